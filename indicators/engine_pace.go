package indicators

import (
	"fmt"
)

// judgeBest ends an avg_growth or average judgement that is behind: at_risk
// when what is required is no worse than the best year among the recent
// ones (d tells which way is better), off_track otherwise.
func (e *engine) judgeBest(head bilingual, req, best float64, year int, ok bool, d float64, show func(float64) bilingual) Progress {
	recent := e.s.BestRecentYears
	if !ok {
		return e.done(OffTrack, "", bilingual{
			fmt.Sprintf("%s, và chưa có số liệu %d năm gần đây để so sánh", head.vi, recent),
			fmt.Sprintf("%s, with no figure of the last %d years to compare with", head.en, recent),
		})
	}
	e.use(year)
	b := show(best)
	within, beyond := bilingual{"không cao hơn", "no higher than"}, bilingual{"cao hơn", "above"}
	if d < 0 {
		within, beyond = bilingual{"không thấp hơn", "no lower than"}, bilingual{"thấp hơn", "below"}
	}
	if d*(best-req) >= -eps {
		return e.done(AtRisk, "", bilingual{
			fmt.Sprintf("%s, %s mức tốt nhất %d năm gần đây (%s năm %d)", head.vi, within.vi, recent, b.vi, year),
			fmt.Sprintf("%s, %s the best of the last %d years (%s in %d)", head.en, within.en, recent, b.en, year),
		})
	}
	return e.done(OffTrack, "", bilingual{
		fmt.Sprintf("%s, %s mức tốt nhất %d năm gần đây (%s năm %d)", head.vi, beyond.vi, recent, b.vi, year),
		fmt.Sprintf("%s, %s the best of the last %d years (%s in %d)", head.en, beyond.en, recent, b.en, year),
	})
}

// recentYears is the window of the best-year rule: BestRecentYears years up
// to and including t, which may reach back before the period.
func (e *engine) recentYears(t int) (from, to int) {
	return t - e.s.BestRecentYears + 1, t
}

// bestValue is the best yearly value in the recent window: the highest when
// d > 0, the lowest when d < 0. For a growth-rate indicator the values are
// the annual rates themselves.
func (e *engine) bestValue(t int, d float64) (float64, int, bool) {
	from, to := e.recentYears(t)
	ys := e.vals.years(from, to)
	if len(ys) == 0 {
		return 0, 0, false
	}
	by := ys[0]
	for _, y := range ys[1:] {
		if d*(e.vals[y].Value-e.vals[by].Value) > 0 {
			by = y
		}
	}
	return e.vals[by].Value, by, true
}

// bestLevelGrowth is the highest year-on-year growth of the levels in the
// recent window, in percent; a year counts only when the year before has a
// positive value.
func (e *engine) bestLevelGrowth(t int) (float64, int, bool) {
	from, to := e.recentYears(t)
	best, by, ok := 0.0, 0, false
	for _, y := range e.vals.years(from, to) {
		prev, has := e.vals[y-1]
		if !has || prev.Value <= 0 {
			continue
		}
		r := 100 * (e.vals[y].Value/prev.Value - 1)
		if !ok || r > best {
			best, by, ok = r, y, true
		}
	}
	if ok {
		e.use(by - 1)
	}
	return best, by, ok
}

// needed phrases what the years left must do: once is the predicate when a
// single year is left ("năm 2025 cần tăng 15,74 %"), yearly the one for
// several ("3 năm còn lại cần tăng bình quân 7,17 %/năm").
func (e *engine) needed(t, left int, once, yearly bilingual) bilingual {
	T := e.in.Target.Period.To
	if left == 1 && t == T-1 {
		return bilingual{
			fmt.Sprintf("năm %d cần %s", T, once.vi),
			fmt.Sprintf("%d needs %s", T, once.en),
		}
	}
	return bilingual{
		fmt.Sprintf("%d năm còn lại cần %s", left, yearly.vi),
		fmt.Sprintf("the %d years left need %s", left, yearly.en),
	}
}
