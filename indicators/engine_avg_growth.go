package indicators

import (
	"fmt"
	"math"
)

// avgGrowth judges the average annual growth over the period against lo,
// from annual growth rates when the indicator is one, else from its levels.
// Years missing inside the period are left out of G and k, never read as
// zero growth; a year of −100 % makes G = 0, an average of −100 %.
func (e *engine) avgGrowth() Progress {
	per := e.in.Target.Period
	n := per.Years()
	lo, _ := e.bound.Interval(e.tol)
	var (
		g        float64 // G, the growth factor so far
		k, first int     // years of growth so far, the first of them
		t        int
		best     func() (rate float64, year int, ok bool)
	)
	if e.in.Indicator.Measure == GrowthRate {
		ys := e.vals.years(per.From, per.To)
		if len(ys) == 0 {
			return e.noValues(per.From)
		}
		g, k, first, t = 1, len(ys), ys[0], ys[len(ys)-1]
		for _, y := range ys {
			g *= 1 + e.vals[y].Value/100
		}
		e.use(ys...)
		best = func() (float64, int, bool) { return e.bestValue(t, 1) }
	} else {
		b, latest, ok := e.baseAndLatest()
		if !ok {
			return e.noValues(per.BaseYear())
		}
		t = latest
		e.p.BaseYear = b
		if t == b {
			e.p.LatestYear = t
			return e.oneYear(t)
		}
		e.use(b, t)
		vb, vt := e.nonZero(e.vals[b].Value), e.vals[t].Value
		if vb*vt < 0 {
			e.p.LatestYear = t
			return e.oppositeSigns(b, bilingual{fmt.Sprintf("năm %d", t), fmt.Sprintf("the %d value", t)}, vt)
		}
		g, k, first = vt/vb, t-b, b+1
		best = func() (float64, int, bool) { return e.bestLevelGrowth(t) }
	}
	e.p.LatestYear = t
	// A fall of 100 % leaves nothing to grow from: the average is −100 %.
	avg := -100.0
	if g > 0 {
		avg = 100 * (math.Pow(g, 1/float64(k)) - 1)
	}
	e.p.SoFar = fig(avg)
	so, low, bound := perYear(avg), pct(lo), e.boundTextUnit("%/năm", "%/yr")
	verb := "đạt"
	if avg < 0 {
		verb = "là"
	}
	head := bilingual{
		fmt.Sprintf("Tăng trưởng bình quân %s %s %s", span(first, t), verb, so.vi),
		fmt.Sprintf("Average growth over %s was %s", span(first, t), so.en),
	}
	if k >= n || t == per.To {
		// Final: on the years present (an average over them estimates the
		// period's; the coverage note names any that are missing).
		if e.meetsLo(avg) {
			return e.done(Achieved, "", bilingual{
				fmt.Sprintf("%s, đạt mục tiêu %s", head.vi, bound.vi),
				fmt.Sprintf("%s, meeting the target of %s", head.en, bound.en),
			})
		}
		return e.done(OffTrack, "", bilingual{
			fmt.Sprintf("%s, dưới mức %s của mục tiêu %s", head.vi, low.vi, bound.vi),
			fmt.Sprintf("%s, below the %s of the target of %s", head.en, low.en, bound.en),
		})
	}

	left := n - k
	if g <= 0 {
		return e.done(Regressing, "fall_100", bilingual{
			fmt.Sprintf("%s vì có năm giảm 100 %%, đi ngược mục tiêu %s và không thể bù lại trong %d năm còn lại", head.vi, bound.vi, left),
			fmt.Sprintf("%s because of a fall of 100 %%, moving away from the target of %s, which the %d years left cannot make up", head.en, bound.en, left),
		})
	}
	req := 100 * (math.Pow(math.Pow(1+lo/100, float64(n))/g, 1/float64(left)) - 1)
	e.p.Required = fig(req)
	once, yearly := pct(req), perYear(req)
	need := e.needed(t, left,
		bilingual{"tăng " + once.vi, "growth of " + once.en},
		bilingual{"tăng bình quân " + yearly.vi, "average growth of " + yearly.en})
	switch {
	case e.meetsLo(avg):
		return e.done(OnTrack, "", bilingual{
			fmt.Sprintf("%s, không thấp hơn mức %s; %s để giữ mục tiêu", head.vi, low.vi, need.vi),
			fmt.Sprintf("%s, not below %s; %s to keep to the target", head.en, low.en, need.en),
		})
	case avg < 0:
		return e.done(Regressing, "", bilingual{
			fmt.Sprintf("%s, tức là giảm, đi ngược mục tiêu %s; %s mới đạt mục tiêu", head.vi, bound.vi, need.vi),
			fmt.Sprintf("%s, a decline, moving away from the target of %s; %s to meet it", head.en, bound.en, need.en),
		})
	}
	rate, year, ok := best()
	head = bilingual{
		fmt.Sprintf("%s, dưới mức %s; để đạt mục tiêu, %s", head.vi, low.vi, need.vi),
		fmt.Sprintf("%s, below %s; to meet the target, %s", head.en, low.en, need.en),
	}
	return e.judgeBest(head, req, rate, year, ok, 1, pct)
}
