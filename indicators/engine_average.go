package indicators

import (
	"fmt"
)

// average judges the arithmetic mean of the yearly values over the period
// (budget revenue 12–14 % of GRDP on average), mirroring avg_growth.
func (e *engine) average() Progress {
	per := e.in.Target.Period
	ys := e.vals.years(per.From, per.To)
	if len(ys) == 0 {
		return e.noValues(per.From)
	}
	e.use(ys...)
	n, k, t := per.Years(), len(ys), ys[len(ys)-1]
	sum := e.sum(ys)
	mean := sum / float64(k)
	e.p.LatestYear, e.p.SoFar = t, fig(mean)
	bound, m := e.boundText(), e.amount(mean)
	head := bilingual{
		fmt.Sprintf("Bình quân %s đạt %s", span(per.From, t), m.vi),
		fmt.Sprintf("The average for %s is %s", span(per.From, t), m.en),
	}
	if k == n || t == per.To {
		if e.meets(mean) {
			return e.done(Achieved, "", bilingual{
				fmt.Sprintf("%s, đạt mục tiêu %s", head.vi, bound.vi),
				fmt.Sprintf("%s, meeting the target of %s", head.en, bound.en),
			})
		}
		return e.done(OffTrack, "", bilingual{
			fmt.Sprintf("%s, không đạt mục tiêu %s", head.vi, bound.vi),
			fmt.Sprintf("%s, missing the target of %s", head.en, bound.en),
		})
	}

	left := n - k
	a, d := e.aim(mean)
	req := (a*float64(n) - sum) / float64(left)
	e.p.Required = fig(req)
	r := e.amount(req)
	need := e.needed(t, left,
		bilingual{"đạt " + r.vi, "a value of " + r.en},
		bilingual{"bình quân đạt " + r.vi, "an average of " + r.en})
	if d < 0 {
		need = e.needed(t, left,
			bilingual{"không quá " + r.vi, "a value of at most " + r.en},
			bilingual{"bình quân không quá " + r.vi, "an average of at most " + r.en})
	}
	if e.meets(mean) {
		return e.done(OnTrack, "", bilingual{
			fmt.Sprintf("%s, đạt mục tiêu %s; %s để giữ mục tiêu", head.vi, bound.vi, need.vi),
			fmt.Sprintf("%s, meeting the target of %s; %s to keep to it", head.en, bound.en, need.en),
		})
	}
	rate, year, ok := e.bestValue(t, d)
	head = bilingual{
		fmt.Sprintf("%s, chưa đạt mục tiêu %s; %s", head.vi, bound.vi, need.vi),
		fmt.Sprintf("%s, short of the target of %s; %s", head.en, bound.en, need.en),
	}
	return e.judgeBest(head, req, rate, year, ok, d, e.amount)
}
