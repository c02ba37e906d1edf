package indicators

import (
	"fmt"
	"math"
)

// avgGrowth judges the average annual growth over the period against lo,
// from annual growth rates when the indicator is one, else from its levels.
func (e *engine) avgGrowth() Progress {
	per := e.in.Target.Period
	n := per.Years()
	lo, _ := e.in.Target.Bound.Interval(e.s.AboutTolerance)
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
	if g <= 0 {
		return e.done(NoData, "not_computable", bilingual{
			fmt.Sprintf("Có năm giảm từ 100 %% trở lên trong giai đoạn %s nên không tính được tăng trưởng bình quân", span(first, t)),
			fmt.Sprintf("A fall of 100 %% or more in %s leaves no average growth to compute", span(first, t)),
		})
	}
	avg := 100 * (math.Pow(g, 1/float64(k)) - 1)
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
		if avg >= lo-eps {
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
	req := 100 * (math.Pow(math.Pow(1+lo/100, float64(n))/g, 1/float64(left)) - 1)
	e.p.Required = fig(req)
	once, yearly := pct(req), perYear(req)
	need := e.needed(t, left,
		bilingual{"tăng " + once.vi, "growth of " + once.en},
		bilingual{"tăng bình quân " + yearly.vi, "average growth of " + yearly.en})
	switch {
	case avg >= lo-eps:
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
