package indicators

import (
	"fmt"
	"math"
	"time"
)

// A year of the period still in progress has no whole-year figure, but
// reports to the People's Council give its first months ("9 tháng đầu năm
// 2025") beside the same months of the year before ("so với cùng kỳ").
// When the year has no whole-year value, the engine draws the year's
// figure from its year-to-date one (DESIGN.md §2: an annual verdict drawn
// from a year-to-date figure is provisional), and the sentence says so in
// both languages:
//
//   - a rate, a share or a growth rate is a figure of the months it covers:
//     the year's figure is the year-to-date figure itself (GRDP growth of 9
//     months, 7,39 %, stands for the year);
//   - a level or a count adds up over the months: the year is taken to
//     grow as its first months did against the same months of the year
//     before, so year = whole year before × year-to-date ÷ same period
//     before (55 000 × 41 230 ÷ 38 030 = 59 626,6). Without the same period
//     before or the whole year before there is no provisional figure.
//
// Only the year after the latest whole-year value, within the period, is
// drawn so, and only while its whole-year figure is still due: until 30
// June of the year after, by when the statistical yearbook gives it. An
// earlier year without its figure stays missing, and so does a year whose
// figure never came (the old city's 2025 after the merger: its first six
// months stop standing for the year on 1 July 2026).

// Provisional is the year's figure drawn from a year-to-date one.
type Provisional struct {
	Year       int
	Period     Period   // the year-to-date period the figure comes from
	Value      float64  // the year-to-date figure
	SamePeriod *float64 // the same period of the year before, when known
	YearBefore *float64 // the whole year before, for a level or a count
	Change     *float64 // percent change against the same period before
	YearValue  float64  // the year's figure drawn from them
}

// ytdSeries holds, per year-to-date period, the value that counts.
type ytdSeries map[Period]Value

func (s ytdSeries) add(v Value) {
	w, ok := s[v.Period]
	switch {
	case !ok:
	case v.Type != w.Type && v.Type != OfficialValue:
		return
	case v.Type == w.Type && !v.Newer(&w):
		return
	}
	s[v.Period] = v
}

// provisionalYear adds to e.vals the figure of the year in progress drawn
// from its longest year-to-date value, as above.
func (e *engine) provisionalYear(ytd ytdSeries) {
	per := e.in.Target.Period
	latest := per.BaseYear() - 1
	for y := range e.vals {
		latest = max(latest, y)
	}
	var p Period
	for q := range ytd {
		due := time.Date(q.Year+1, time.July, 1, 0, 0, 0, 0, Vietnam)
		if q.Year > latest && q.Year <= per.To && e.in.AsOf.Before(due) &&
			(p.Year == 0 || q.Year > p.Year || q.Year == p.Year && q.Through() > p.Through()) {
			p = q
		}
	}
	if p.Year == 0 {
		return
	}
	cur := ytd[p]
	pr := &Provisional{Year: p.Year, Period: p, Value: cur.Value, YearValue: cur.Value}
	if before, ok := ytd[p.SamePeriodBefore()]; ok {
		pr.SamePeriod = fig(before.Value)
		if before.Value != 0 {
			pr.Change = fig(100 * (cur.Value/before.Value - 1))
		}
	}
	switch e.in.Indicator.Measure {
	case Level, Count:
		whole, ok := e.vals[p.Year-1]
		if pr.SamePeriod == nil || !ok || *pr.SamePeriod <= 0 || cur.Value < 0 || whole.Value < 0 {
			return
		}
		pr.YearBefore = fig(whole.Value)
		pr.YearValue = whole.Value * cur.Value / *pr.SamePeriod
	}
	v := cur
	v.Value, v.Type = pr.YearValue, EstimateValue
	e.vals[p.Year] = v
	e.p.Provisional = pr
}

// provisionalNote says, when the status rests on a provisional year, where
// its figure came from and that the verdict is provisional.
func (e *engine) provisionalNote(m bilingual) bilingual {
	pr := e.p.Provisional
	if pr == nil {
		return m
	}
	if _, used := e.used[pr.Year]; !used {
		return m
	}
	y := pr.Year
	ytd, pv, pe := e.amount(pr.Value), pr.Period.Label("vi"), pr.Period.Label("en")
	if pr.YearBefore != nil {
		before, whole, year := e.amount(*pr.SamePeriod), e.amount(*pr.YearBefore), e.amount(pr.YearValue)
		ch := num(math.Abs(*pr.Change))
		upVI, upEN := "tăng", "up"
		if *pr.Change < 0 {
			upVI, upEN = "giảm", "down"
		}
		m.vi += fmt.Sprintf("; số liệu năm %d là tạm tính: %s đạt %s, so với cùng kỳ năm %d (%s) %s %s %%, áp vào cả năm %d (%s) được %s — kết luận tạm thời",
			y, pv, ytd.vi, y-1, before.vi, upVI, ch.vi, y-1, whole.vi, year.vi)
		m.en += fmt.Sprintf("; the %d figure is provisional: %s reached %s, %s %s %% on the same period of %d (%s), which applied to the whole of %d (%s) gives %s — a provisional verdict",
			y, pe, ytd.en, upEN, ch.en, y-1, before.en, y-1, whole.en, year.en)
		return m
	}
	m.vi += fmt.Sprintf("; số liệu năm %d là tạm tính, lấy theo %s (%s", y, pv, ytd.vi)
	m.en += fmt.Sprintf("; the %d figure is provisional, taken from %s (%s", y, pe, ytd.en)
	if pr.SamePeriod != nil {
		before := e.amount(*pr.SamePeriod)
		m.vi += fmt.Sprintf("; cùng kỳ năm %d: %s", y-1, before.vi)
		m.en += fmt.Sprintf("; same period of %d: %s", y-1, before.en)
	}
	m.vi += ") — kết luận tạm thời"
	m.en += ") — a provisional verdict"
	return m
}
