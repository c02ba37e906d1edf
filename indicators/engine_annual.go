package indicators

import (
	"fmt"
)

// annual judges a bound that every year of the period must meet.
func (e *engine) annual() Progress {
	per := e.in.Target.Period
	ys := e.vals.years(per.From, per.To)
	if len(ys) == 0 {
		return e.noValues(per.From)
	}
	t := ys[len(ys)-1]
	e.p.LatestYear = t
	e.p.SoFar = fig(e.vals[t].Value)
	bound := e.boundText()
	var missed []int
	for _, y := range ys {
		if !e.meets(e.vals[y].Value) {
			missed = append(missed, y)
		}
	}
	if len(missed) > 0 {
		// The status rests on the years that missed, not on those that met.
		e.use(missed...)
		first := e.amount(e.vals[missed[0]].Value)
		what := bilingual{
			fmt.Sprintf("Năm %d ở mức %s, không đạt mức %s", missed[0], first.vi, bound.vi),
			fmt.Sprintf("In %d the value was %s, missing the bound of %s", missed[0], first.en, bound.en),
		}
		if len(missed) > 1 {
			what = bilingual{
				fmt.Sprintf("Các năm %s không đạt mức %s (năm %d: %s)", joinYears(missed), bound.vi, missed[0], first.vi),
				fmt.Sprintf("%s missed the bound of %s (%d: %s)", joinYears(missed), bound.en, missed[0], first.en),
			}
		}
		return e.done(OffTrack, "", bilingual{
			fmt.Sprintf("%s, nên mục tiêu hằng năm giai đoạn %s không còn đạt được", what.vi, span(per.From, per.To)),
			fmt.Sprintf("%s, so the every-year target for %s can no longer be met", what.en, span(per.From, per.To)),
		})
	}
	e.use(ys...)
	last := e.amount(e.vals[t].Value)
	if len(ys) == per.Years() {
		return e.done(Achieved, "", bilingual{
			fmt.Sprintf("Cả %d năm %s đều đạt mức %s (năm %d: %s)", len(ys), span(per.From, per.To), bound.vi, t, last.vi),
			fmt.Sprintf("All %d years of %s met the bound of %s (%d: %s)", len(ys), span(per.From, per.To), bound.en, t, last.en),
		})
	}
	if len(ys) == 1 && t == per.From {
		return e.done(OnTrack, "", bilingual{
			fmt.Sprintf("Năm %d ở mức %s, đạt mức %s", t, last.vi, bound.vi),
			fmt.Sprintf("In %d the value was %s, meeting the bound of %s", t, last.en, bound.en),
		})
	}
	var gaps []int
	for y := per.From; y < t; y++ {
		if _, ok := e.vals[y]; !ok {
			gaps = append(gaps, y)
		}
	}
	if len(gaps) > 0 {
		return e.done(OnTrack, "missing_years", bilingual{
			fmt.Sprintf("Các năm có số liệu của giai đoạn %s đều đạt mức %s (năm %d: %s), nhưng còn thiếu số liệu năm %s", span(per.From, t), bound.vi, t, last.vi, joinYears(gaps)),
			fmt.Sprintf("Every year with a figure in %s met the bound of %s (%d: %s), but %s has no figure", span(per.From, t), bound.en, t, last.en, joinYears(gaps)),
		})
	}
	return e.done(OnTrack, "", bilingual{
		fmt.Sprintf("Các năm %s đều đạt mức %s (năm %d: %s)", span(per.From, t), bound.vi, t, last.vi),
		fmt.Sprintf("Every year of %s met the bound of %s (%d: %s)", span(per.From, t), bound.en, t, last.en),
	})
}
