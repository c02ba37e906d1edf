package indicators

import (
	"fmt"
	"math"
)

// cumulative judges the sum over the period against the bound; the years
// still without a value are projected at the mean of the years so far.
func (e *engine) cumulative() Progress {
	per := e.in.Target.Period
	ys := e.vals.years(per.From, per.To)
	if len(ys) == 0 {
		return e.noValues(per.From)
	}
	e.use(ys...)
	t, k := ys[len(ys)-1], len(ys)
	sum := e.sum(ys)
	e.p.LatestYear, e.p.SoFar = t, fig(sum)
	bound, total := e.boundText(), e.amount(sum)
	head := bilingual{
		fmt.Sprintf("Tổng %s đạt %s", span(per.From, t), total.vi),
		fmt.Sprintf("The total for %s is %s", span(per.From, t), total.en),
	}
	final := k == per.Years() || t == per.To
	switch {
	case final && e.meets(sum):
		return e.done(Achieved, "", bilingual{
			fmt.Sprintf("%s, đạt mục tiêu %s", head.vi, bound.vi),
			fmt.Sprintf("%s, meeting the target of %s", head.en, bound.en),
		})
	case final:
		return e.done(OffTrack, "", bilingual{
			fmt.Sprintf("%s, không đạt mục tiêu %s", head.vi, bound.vi),
			fmt.Sprintf("%s, missing the target of %s", head.en, bound.en),
		})
	}

	left := per.Years() - k
	proj := sum + sum/float64(k)*float64(left)
	e.p.Projection = fig(proj)
	pr := e.amount(proj)
	// Yearly amounts only add up, so a total that must reach a floor is
	// achieved the moment it does; a ceiling can only be judged at the end.
	if e.dir == Up && e.meets(sum) {
		return e.done(Achieved, "ahead", bilingual{
			fmt.Sprintf("%s, đã đạt mục tiêu %s trước thời hạn %d", head.vi, bound.vi, per.To),
			fmt.Sprintf("%s, already meeting the target of %s ahead of %d", head.en, bound.en, per.To),
		})
	}
	a, d := e.aim(sum)
	e.p.Required = fig((a - sum) / float64(left))
	perYr := e.unitAmountPerYear((a - sum) / float64(left))
	need := bilingual{"cần thêm " + perYr.vi, "need " + perYr.en}
	if d < 0 {
		// Under a ceiling, what is left is an allowance, not a need.
		need = bilingual{"chỉ được thêm tối đa " + perYr.vi, "may add at most " + perYr.en}
	}
	head = bilingual{
		fmt.Sprintf("%s; theo mức bình quân các năm qua, đến năm %d ước đạt %s", head.vi, per.To, pr.vi),
		fmt.Sprintf("%s; at the mean of the years so far it would reach %s by %d", head.en, pr.en, per.To),
	}
	if e.meets(proj) {
		return e.done(OnTrack, "", bilingual{
			fmt.Sprintf("%s, đạt mục tiêu %s (%d năm còn lại %s)", head.vi, bound.vi, left, need.vi),
			fmt.Sprintf("%s, meeting the target of %s (the %d years left %s)", head.en, bound.en, left, need.en),
		})
	}
	// at_risk when the projection misses the nearest edge by no more than
	// the tolerated share of it (≥ 90 % of a floor, ≤ 110 % of a ceiling).
	edge, side := e.aim(proj)
	share := shareOf(proj, edge)
	if side*(edge-proj) <= (1-e.s.CumulativeAtRisk)*math.Abs(edge)+eps {
		return e.done(AtRisk, "", bilingual{
			fmt.Sprintf("%s, bằng %s mục tiêu %s; %d năm còn lại %s", head.vi, share.vi, bound.vi, left, need.vi),
			fmt.Sprintf("%s, %s of the target of %s; the %d years left %s", head.en, share.en, bound.en, left, need.en),
		})
	}
	return e.done(OffTrack, "", bilingual{
		fmt.Sprintf("%s, chỉ bằng %s mục tiêu %s; %d năm còn lại %s", head.vi, share.vi, bound.vi, left, need.vi),
		fmt.Sprintf("%s, only %s of the target of %s; the %d years left %s", head.en, share.en, bound.en, left, need.en),
	})
}
