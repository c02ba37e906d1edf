package indicators

import (
	"fmt"
	"math"
)

// cumulative judges the sum over the period against the bound. A year
// missing is unknown, not zero: the projection is the sum of the years
// present plus their mean for every year missing or still to come. A floor
// (≥, >) is achieved once the sum of the years present reaches it; a
// ceiling (≤, <) fails as soon as that sum passes it and is achieved only
// with all n years present; everything else is judged on the projection.
func (e *engine) cumulative() Progress {
	per := e.in.Target.Period
	ys := e.vals.years(per.From, per.To)
	if len(ys) == 0 {
		return e.noValues(per.From)
	}
	e.use(ys...)
	n, t, k := per.Years(), ys[len(ys)-1], len(ys)
	sum := e.sum(ys)
	rest := n - k // years missing and years still to come
	proj := sum + sum/float64(k)*float64(rest)
	e.p.LatestYear, e.p.SoFar = t, fig(sum)
	if rest > 0 {
		e.p.Projection = fig(proj)
	}
	bound, total := e.boundText(), e.amount(sum)
	head := bilingual{
		fmt.Sprintf("Tổng %s đạt %s", span(per.From, t), total.vi),
		fmt.Sprintf("The total for %s is %s", span(per.From, t), total.en),
	}
	if k < t-per.From+1 {
		// Years missing: the total is of the years with figures only.
		head = bilingual{
			fmt.Sprintf("Tổng các năm có số liệu (%s) đạt %s", yearRuns(ys), total.vi),
			fmt.Sprintf("The total of the years with figures (%s) is %s", yearRuns(ys), total.en),
		}
	}
	floor := e.dir == Up || e.dir == Within
	ceiling := e.dir == Down || e.dir == Within
	_, hi := e.bound.Interval(e.tol)
	over := ceiling && !math.IsInf(hi, 1) && (sum > hi+eps || (e.bound.Op == OpBelow && sum >= hi-eps))
	switch {
	case over:
		return e.done(OffTrack, "over_ceiling", bilingual{
			fmt.Sprintf("%s, đã vượt mức trần của mục tiêu %s", head.vi, bound.vi),
			fmt.Sprintf("%s, already past the ceiling of the target of %s", head.en, bound.en),
		})
	case rest == 0 && e.meets(sum):
		return e.done(Achieved, "", bilingual{
			fmt.Sprintf("Tổng %s đạt %s, đạt mục tiêu %s", span(per.From, per.To), total.vi, bound.vi),
			fmt.Sprintf("The total for %s is %s, meeting the target of %s", span(per.From, per.To), total.en, bound.en),
		})
	case rest == 0:
		return e.done(OffTrack, "", bilingual{
			fmt.Sprintf("Tổng %s đạt %s, không đạt mục tiêu %s", span(per.From, per.To), total.vi, bound.vi),
			fmt.Sprintf("The total for %s is %s, missing the target of %s", span(per.From, per.To), total.en, bound.en),
		})
	case floor && !ceiling && e.meets(sum):
		// Yearly amounts only add up: a floor reached stays reached.
		if t == per.To {
			return e.done(Achieved, "", bilingual{
				fmt.Sprintf("%s, đã đạt mục tiêu %s", head.vi, bound.vi),
				fmt.Sprintf("%s, already meeting the target of %s", head.en, bound.en),
			})
		}
		return e.done(Achieved, "ahead", bilingual{
			fmt.Sprintf("%s, đã đạt mục tiêu %s trước thời hạn %d", head.vi, bound.vi, per.To),
			fmt.Sprintf("%s, already meeting the target of %s ahead of %d", head.en, bound.en, per.To),
		})
	}

	a, d := e.aim(sum)
	if !math.IsInf(a, 0) {
		e.p.Required = fig((a - sum) / float64(rest))
	}
	perYr := e.unitAmountPerYear(math.Abs(a-sum) / float64(rest))
	need := bilingual{"cần bình quân " + perYr.vi, "need an average of " + perYr.en}
	if d < 0 {
		// Under a ceiling, what is left is an allowance, not a need.
		need = bilingual{"chỉ được thêm bình quân tối đa " + perYr.vi, "may add at most an average of " + perYr.en}
	}
	pr := e.amount(proj)
	years := e.restYears(k, t)
	head = bilingual{
		fmt.Sprintf("%s; tính %s theo mức bình quân các năm đã có, cả giai đoạn ước đạt %s", head.vi, years.vi, pr.vi),
		fmt.Sprintf("%s; counting %s at the mean of the years so far, the period would reach %s", head.en, years.en, pr.en),
	}
	reason := ""
	if t == per.To {
		// The end year is in but years are missing: judged on the
		// projection, and the coverage note says the verdict is incomplete.
		reason = "incomplete"
	}
	if e.meets(proj) {
		return e.done(OnTrack, reason, bilingual{
			fmt.Sprintf("%s, đạt mục tiêu %s (%s %s)", head.vi, bound.vi, years.vi, need.vi),
			fmt.Sprintf("%s, meeting the target of %s (%s %s)", head.en, bound.en, years.en, need.en),
		})
	}
	// at_risk when the projection misses the nearest edge by no more than
	// the tolerated share of it (≥ 90 % of a floor, ≤ 110 % of a ceiling).
	edge, side := e.aim(proj)
	share := shareOf(proj, edge)
	if side*(edge-proj) <= (1-e.s.CumulativeAtRisk)*math.Abs(edge)+eps {
		return e.done(AtRisk, reason, bilingual{
			fmt.Sprintf("%s, bằng %s mục tiêu %s; %s %s", head.vi, share.vi, bound.vi, years.vi, need.vi),
			fmt.Sprintf("%s, %s of the target of %s; %s %s", head.en, share.en, bound.en, years.en, need.en),
		})
	}
	return e.done(OffTrack, reason, bilingual{
		fmt.Sprintf("%s, chỉ bằng %s mục tiêu %s; %s %s", head.vi, share.vi, bound.vi, years.vi, need.vi),
		fmt.Sprintf("%s, only %s of the target of %s; %s %s", head.en, share.en, bound.en, years.en, need.en),
	})
}

// restYears names the years a cumulative projection fills in: "3 năm còn
// lại", "1 năm còn thiếu số liệu và 2 năm còn lại".
func (e *engine) restYears(k, t int) bilingual {
	per := e.in.Target.Period
	left := per.To - t
	missing := per.Years() - k - left
	switch {
	case missing == 0:
		return bilingual{fmt.Sprintf("%d năm còn lại", left), fmt.Sprintf("the %d years left", left)}
	case left == 0:
		return bilingual{fmt.Sprintf("%d năm còn thiếu số liệu", missing), fmt.Sprintf("the %d years without figures", missing)}
	}
	return bilingual{fmt.Sprintf("%d năm còn thiếu số liệu và %d năm còn lại", missing, left),
		fmt.Sprintf("the %d years without figures and the %d years left", missing, left)}
}
