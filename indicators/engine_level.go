package indicators

import (
	"fmt"
	"math"
)

// level judges the value in the end year against the bound (DESIGN.md §3).
func (e *engine) level() Progress {
	T := e.in.Target.Period.To
	b, t, ok := e.baseAndLatest()
	if !ok {
		return e.noValues(e.in.Target.Period.BaseYear())
	}
	e.p.BaseYear, e.p.LatestYear = b, t
	vt := e.vals[t].Value
	e.p.SoFar = fig(vt)
	if e.dir == Within {
		return e.levelWithin(b, t)
	}
	bound, amt := e.boundText(), e.amount(vt)
	switch {
	case t == T && e.meets(vt):
		e.use(t)
		return e.done(Achieved, "", bilingual{
			fmt.Sprintf("Năm %d ở mức %s, đạt mục tiêu %s", t, amt.vi, bound.vi),
			fmt.Sprintf("In %d the value was %s, meeting the target of %s", t, amt.en, bound.en),
		})
	case t == T:
		e.use(t)
		return e.done(OffTrack, "", bilingual{
			fmt.Sprintf("Năm %d ở mức %s, không đạt mục tiêu %s", t, amt.vi, bound.vi),
			fmt.Sprintf("In %d the value was %s, missing the target of %s", t, amt.en, bound.en),
		})
	case e.meets(vt):
		e.use(t)
		return e.done(OnTrack, "ahead", bilingual{
			fmt.Sprintf("Năm %d ở mức %s, đã đạt mục tiêu %s trước thời hạn %d", t, amt.vi, bound.vi, T),
			fmt.Sprintf("In %d the value was %s, already meeting the target of %s ahead of %d", t, amt.en, bound.en, T),
		})
	case t == b:
		return e.oneYear(t)
	}
	return e.levelRatio(b, t)
}

// levelRatio judges a level not yet met by the Statistics Canada / Open SDG
// ratio of the growth so far to the growth the target needs.
func (e *engine) levelRatio(b, t int) Progress {
	T := e.in.Target.Period.To
	e.use(b, t)
	vb0, vt := e.vals[b].Value, e.vals[t].Value
	a0 := e.bound.Binding(e.dir, e.tol)
	// Open SDG replaces a zero base or target so that the ratios exist.
	vb, a := e.nonZero(vb0), e.nonZero(a0)
	switch {
	case vb*vt < 0:
		return e.oppositeSigns(b, bilingual{fmt.Sprintf("năm %d", t), fmt.Sprintf("the %d value", t)}, vt)
	case vb*a < 0:
		return e.oppositeSigns(b, bilingual{"mục tiêu", "the target"}, a)
	}
	co := math.Pow(vt/vb, 1/float64(t-b)) - 1
	proj := vt * math.Pow(1+co, float64(T-t))
	req := math.Pow(a/e.nonZero(vt), 1/float64(T-t)) - 1
	e.p.Projection, e.p.Required = fig(proj), fig(100*req)
	bound, pr, moved := e.boundText(), e.amount(proj), e.movement(b, t)
	if math.Abs(a0-vb0) <= eps*math.Max(1, math.Abs(vb0)) {
		// A bound equal to the base needs no growth: met now is on track
		// (judged before this), not met is moving away from it.
		return e.done(Regressing, "bound_at_base", bilingual{
			fmt.Sprintf("Mục tiêu %s bằng đúng mức năm gốc %d nên chỉ cần giữ mức đó, nhưng chỉ tiêu %s, chưa đạt; theo đà này năm %d ước ở mức %s",
				bound.vi, b, moved.vi, T, pr.vi),
			fmt.Sprintf("The target of %s equals the base-year %d value, so holding that level would do, but the value %s and does not meet it; at this pace it would be %s in %d",
				bound.en, b, moved.en, pr.en, T),
		})
	}
	cr := math.Pow(a/vb, 1/float64(T-b)) - 1
	sign := 1.0
	if vb < 0 {
		// With a negative base a falling ratio means a rising value.
		sign = -1
	}
	r := sign * e.dir.Sign() * co / math.Abs(cr)
	e.p.Ratio = fig(r)

	var st Status
	switch {
	case r >= e.s.OnTrackRatio:
		st = OnTrack
	case r >= e.s.AtRiskRatio:
		st = AtRisk
	case r >= 0:
		st = OffTrack
	default:
		st = Regressing
	}
	label := statusLabel(st)
	// The pace so far and the pace needed: growth rates for a positive
	// series; for a negative one, where a rate reads backwards (−20 to −12
	// is a rise, not "a fall of 22,5 %/yr"), changes in the unit a year.
	so, need, now := growthPhrase(100*co), growthPhrase(100*cr), growthPhrase(100*req)
	if vb < 0 {
		so, need, now = e.unitChange((vt-vb)/float64(t-b)), e.unitChange((a-vb)/float64(T-b)), e.unitChange((a-vt)/float64(T-t))
	}
	// "about 29 %" in whole percent: the ratio is a guide, not a measure.
	share := pct(math.Round(100 * r))
	pace := bilingual{fmt.Sprintf("tức là khoảng %s tốc độ cần có: %s", share.vi, label.vi),
		fmt.Sprintf("about %s of the pace needed: %s", share.en, label.en)}
	if r < 0 {
		pace = bilingual{"tức là " + label.vi, "that is, " + label.en}
	}
	return e.done(st, "", bilingual{
		fmt.Sprintf("Chỉ tiêu %s, bình quân %s, trong khi cần %s để đạt mục tiêu %s vào năm %d, %s; theo đà này năm %d ước đạt %s, từ nay cần %s",
			moved.vi, so.vi, need.vi, bound.vi, T, pace.vi, T, pr.vi, now.vi),
		fmt.Sprintf("The value %s, averaging a %s against the %s needed to reach %s by %d, %s; at this pace it would be %s in %d, and from now on it needs a %s",
			moved.en, so.en, need.en, bound.en, T, pace.en, pr.en, T, now.en),
	})
}

// levelWithin judges a share that must land inside a range by the
// least-squares line through the values from b to t.
func (e *engine) levelWithin(b, t int) Progress {
	T := e.in.Target.Period.To
	lo, hi := e.bound.Interval(e.tol)
	vt := e.vals[t].Value
	bound, amt := e.boundText(), e.amount(vt)
	inside := e.meets(vt)
	switch {
	case t == T && inside:
		e.use(t)
		return e.done(Achieved, "", bilingual{
			fmt.Sprintf("Năm %d ở mức %s, nằm trong khoảng mục tiêu %s", t, amt.vi, bound.vi),
			fmt.Sprintf("In %d the value was %s, inside the target range of %s", t, amt.en, bound.en),
		})
	case t == T:
		e.use(t)
		return e.done(OffTrack, "", bilingual{
			fmt.Sprintf("Năm %d ở mức %s, nằm ngoài khoảng mục tiêu %s", t, amt.vi, bound.vi),
			fmt.Sprintf("In %d the value was %s, outside the target range of %s", t, amt.en, bound.en),
		})
	case inside:
		e.use(t)
		return e.done(OnTrack, "ahead", bilingual{
			fmt.Sprintf("Năm %d ở mức %s, đã nằm trong khoảng mục tiêu %s của năm %d", t, amt.vi, bound.vi, T),
			fmt.Sprintf("In %d the value was %s, already inside the target range of %s set for %d", t, amt.en, bound.en, T),
		})
	case t == b:
		return e.oneYear(t)
	}

	ys := e.vals.years(b, t)
	e.use(ys...)
	slope, atT := e.trendLine(ys, T)
	edge := hi
	if vt < lo {
		edge = lo
	}
	e.p.Projection = fig(atT)
	e.p.Required = fig((edge - vt) / float64(T-t))
	toward := (edge-vt)*slope > 0
	// The line reaches the range by T when at T it is at or past the near edge.
	reaches := toward && (edge-atT)*(edge-vt) <= 0

	trend := e.unitChange(slope)
	need := e.unitChange((edge - vt) / float64(T-t))
	edgeAmt, proj := e.amount(edge), e.amount(atT)
	head := bilingual{
		fmt.Sprintf("Năm %d ở mức %s, ngoài khoảng mục tiêu %s", t, amt.vi, bound.vi),
		fmt.Sprintf("In %d the value was %s, outside the target range of %s", t, amt.en, bound.en),
	}
	switch {
	case reaches:
		return e.done(OnTrack, "", bilingual{
			fmt.Sprintf("%s, nhưng xu hướng %s (%s) sẽ đưa về khoảng này, năm %d ước ở mức %s", head.vi, span(b, t), trend.vi, T, proj.vi),
			fmt.Sprintf("%s, but the %s trend (%s) brings it into the range, at about %s in %d", head.en, span(b, t), trend.en, proj.en, T),
		})
	case toward:
		return e.done(AtRisk, "", bilingual{
			fmt.Sprintf("%s; xu hướng %s (%s) đi về phía khoảng này nhưng năm %d mới ở mức %s, cần %s để chạm %s", head.vi, span(b, t), trend.vi, T, proj.vi, need.vi, edgeAmt.vi),
			fmt.Sprintf("%s; the %s trend (%s) moves towards the range but would only reach %s in %d, while a %s is needed to reach %s", head.en, span(b, t), trend.en, proj.en, T, need.en, edgeAmt.en),
		})
	case math.Abs(slope) < eps:
		return e.done(Regressing, "flat", bilingual{
			fmt.Sprintf("%s và xu hướng %s đi ngang nên không tiến về khoảng này, cần %s để chạm %s vào năm %d", head.vi, span(b, t), need.vi, edgeAmt.vi, T),
			fmt.Sprintf("%s and the %s trend is flat, so it does not approach the range, while a %s is needed to reach %s by %d", head.en, span(b, t), need.en, edgeAmt.en, T),
		})
	}
	return e.done(Regressing, "", bilingual{
		fmt.Sprintf("%s và xu hướng %s (%s) đi xa khỏi khoảng này, cần %s để chạm %s vào năm %d", head.vi, span(b, t), trend.vi, need.vi, edgeAmt.vi, T),
		fmt.Sprintf("%s and the %s trend (%s) moves away from the range, while a %s is needed to reach %s by %d", head.en, span(b, t), trend.en, need.en, edgeAmt.en, T),
	})
}

// trendLine fits the least-squares line through the values of years ys and
// returns its slope per year and its value in year at.
func (e *engine) trendLine(ys []int, at int) (slope, value float64) {
	var mx, my float64
	for _, y := range ys {
		mx += float64(y)
		my += e.vals[y].Value
	}
	n := float64(len(ys))
	mx, my = mx/n, my/n
	var sxy, sxx float64
	for _, y := range ys {
		dx := float64(y) - mx
		sxy += dx * (e.vals[y].Value - my)
		sxx += dx * dx
	}
	slope = sxy / sxx
	return slope, my + slope*(float64(at)-mx)
}
