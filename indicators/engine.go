package indicators

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// The progress engine: DESIGN.md §3 turned into pure functions. Evaluate
// judges one target, Judge gives the administrative verdict of one year and
// Roll sums statuses up for a task group or a plan.

// eps absorbs float noise when a figure is compared with a bound, as
// Bound.Met does.
const eps = 1e-9

// Evaluate judges one target at in.AsOf. It applies the as-of rule (only
// values known at AsOf, the newest of each key) and the scope rule (only
// values of the target's territory; the others are listed in Excluded)
// itself, judges by the target's kind, and explains the result in one
// Vietnamese and one English sentence.
func Evaluate(in Input, s Settings) Progress {
	e := newEngine(in, s)
	switch {
	case in.Target.Kind == MilestoneTarget:
		// A milestone is judged on its task, not on a bound.
		return e.milestone()
	case !in.Target.Bound.Quantified():
		return e.notQuantified()
	case e.directionConflict():
		return e.conflicting()
	}
	switch in.Target.Kind {
	case LevelTarget:
		return e.level()
	case AvgGrowthTarget:
		return e.avgGrowth()
	case AnnualTarget:
		return e.annual()
	case CumulativeTarget:
		return e.cumulative()
	case AverageTarget:
		return e.average()
	}
	return e.done(NoData, "unknown_kind", bilingual{
		fmt.Sprintf("Loại mục tiêu %q chưa được hỗ trợ nên chưa đánh giá được", in.Target.Kind),
		fmt.Sprintf("Target kind %q is not supported, so it cannot be judged", in.Target.Kind),
	})
}

// Judge gives the administrative verdict of a year's value v against that
// year's plan value: vượt when better than the plan (past the top of a
// planned range when higher is better, below its bottom when lower is
// better), đạt when it meets the plan or lies within the range, không đạt
// when worse. For a Within indicator only the range counts.
func Judge(v float64, plan Value, d Direction) Verdict {
	lo, hi := plan.Value, plan.Value
	if plan.High != nil {
		hi = *plan.High
	}
	inside := v >= lo-eps && v <= hi+eps
	switch {
	case d == Within && inside:
		return Met
	case d == Within:
		return NotMet
	case d == Down && v < lo-eps:
		return Exceeded
	case d == Down && v <= hi+eps:
		return Met
	case d == Down:
		return NotMet
	case v > hi+eps:
		return Exceeded
	case v >= lo-eps:
		return Met
	}
	return NotMet
}

// Roll counts statuses and scores them: (achieved + on_track + ½·at_risk) ÷
// the statuses that rest on data. no_data is counted apart and left out of
// the score, which is nil when nothing rests on data.
func Roll(statuses []Status) RollUp {
	r := RollUp{Counts: map[Status]int{}}
	// Every status is present, zero or not, so that a page or an export
	// lists them all in the same columns.
	for _, st := range Statuses {
		r.Counts[st] = 0
	}
	for _, st := range statuses {
		r.Counts[st]++
	}
	r.Total = len(statuses)
	r.NoData = r.Counts[NoData]
	r.RestsOn = r.Total - r.NoData
	if r.RestsOn > 0 {
		good := float64(r.Counts[Achieved]+r.Counts[OnTrack]) + 0.5*float64(r.Counts[AtRisk])
		r.Score = fig(good / float64(r.RestsOn))
	}
	return r
}

// series holds, per year, the one value that counts for a territory.
type series map[int]Value

// add keeps v for its year if it beats the value already there: official
// beats estimate, and of one type the newest wins (several city units of one
// scope could report the same year).
func (s series) add(v Value) {
	w, ok := s[v.Period.Year]
	switch {
	case !ok:
	case v.Type != w.Type && v.Type != OfficialValue:
		return
	case v.Type == w.Type && !v.Newer(&w):
		return
	}
	s[v.Period.Year] = v
}

// years lists, in order, the years in [from, to] that have a value.
func (s series) years(from, to int) []int {
	var ys []int
	for y := range s {
		if y >= from && y <= to {
			ys = append(ys, y)
		}
	}
	sort.Ints(ys)
	return ys
}

// bilingual is one phrase in Vietnamese and in English.
type bilingual struct{ vi, en string }

// engine holds what one evaluation needs while it is being built.
type engine struct {
	in   Input
	s    Settings
	dir  Direction
	vals series // the yearly values of the target's territory that count
	used series // those the status rests on
	p    Progress
}

func newEngine(in Input, s Settings) *engine {
	e := &engine{in: in, s: s, dir: in.Target.Direction, vals: series{}, used: series{}}
	if e.dir == "" {
		e.dir = in.Indicator.Direction
	}
	if e.dir == "" {
		e.dir = Up
	}
	others := map[Scope]series{}
	for _, v := range Current(in.Values, in.AsOf) {
		if !v.Period.IsYear() || (v.Type != OfficialValue && v.Type != EstimateValue) {
			continue
		}
		if v.Scope == in.Target.Scope {
			e.vals.add(v)
			continue
		}
		if others[v.Scope] == nil {
			others[v.Scope] = series{}
		}
		others[v.Scope].add(v)
	}
	for _, o := range others {
		for _, v := range o {
			e.p.Excluded = append(e.p.Excluded, usedValue(v))
		}
	}
	sort.Slice(e.p.Excluded, func(i, j int) bool {
		a, b := e.p.Excluded[i], e.p.Excluded[j]
		if a.Year != b.Year {
			return a.Year < b.Year
		}
		return a.Scope < b.Scope
	})
	return e
}

func usedValue(v Value) UsedValue {
	return UsedValue{ID: v.ID, Year: v.Period.Year, Value: v.Value, Type: v.Type, Scope: v.Scope,
		Source: v.Source, Batch: v.Batch, File: v.File, Sheet: v.Sheet, Cell: v.Cell,
		EnteredBy: v.EnteredBy, EnteredAt: v.EnteredAt.UTC()}
}

// use records the values of the given years as ones the status rests on.
func (e *engine) use(years ...int) {
	for _, y := range years {
		if v, ok := e.vals[y]; ok {
			e.used[y] = v
		}
	}
}

// done finishes the result: status, reason, the values used, and the
// explanation with the estimate and scope caveats appended, so that every
// sentence carries them the same way.
func (e *engine) done(st Status, reason string, m bilingual) Progress {
	p := e.p
	p.Status, p.Reason = st, reason
	var estimates []int
	for _, y := range e.used.years(math.MinInt, math.MaxInt) {
		v := e.used[y]
		p.ValuesUsed = append(p.ValuesUsed, usedValue(v))
		if v.Type == EstimateValue {
			estimates = append(estimates, y)
		}
	}
	if st != NoData && len(estimates) > 0 {
		p.RestsOnEstimate = true
		ys := joinYears(estimates)
		m.vi += fmt.Sprintf(", dựa trên số liệu năm %s (ước tính)", ys)
		if len(estimates) == 1 {
			m.en += fmt.Sprintf(", based on the %s figure (estimate)", ys)
		} else {
			m.en += fmt.Sprintf(", based on the %s figures (estimate)", ys)
		}
	}
	m = e.scopeNote(m)
	p.ExplanationVI, p.ExplanationEN = m.vi+".", m.en+"."
	return p
}

// scopeNote adds why values of the period that belong to another territory
// were left out: a leader who has seen the merged city's 2025 figure must
// learn why it does not count.
func (e *engine) scopeNote(m bilingual) bilingual {
	byScope := map[Scope][]int{}
	var scopes []Scope
	for _, x := range e.p.Excluded {
		if !e.in.Target.Period.Contains(x.Year) {
			continue
		}
		if byScope[x.Scope] == nil {
			scopes = append(scopes, x.Scope)
		}
		byScope[x.Scope] = append(byScope[x.Scope], x.Year)
	}
	for _, sc := range scopes {
		name := scopeName(sc)
		ys := joinYears(byScope[sc])
		m.vi += fmt.Sprintf(", và số liệu năm %s thuộc %s nên không được tính", ys, name.vi)
		if len(byScope[sc]) == 1 {
			m.en += fmt.Sprintf(", and the %s figure is for %s, so it does not count", ys, name.en)
		} else {
			m.en += fmt.Sprintf(", and the %s figures are for %s, so they do not count", ys, name.en)
		}
	}
	return m
}

func scopeName(s Scope) bilingual {
	switch s {
	case OldCity:
		return bilingual{"thành phố trước hợp nhất", "the city before the merger"}
	case MergedCity:
		return bilingual{"thành phố sau hợp nhất", "the merged city"}
	case "":
		return bilingual{"phạm vi chưa xác định", "no stated territory"}
	}
	return bilingual{"phạm vi " + string(s), "scope " + string(s)}
}

// notQuantified keeps a target whose text could not be put in numbers.
func (e *engine) notQuantified() Progress {
	text := strings.TrimSpace(e.in.Target.Text)
	if text == "" {
		return e.done(NoData, "not_quantified", bilingual{
			"Mục tiêu chưa có cận định lượng nên chưa đánh giá được",
			"The target has no bound yet, so it cannot be judged",
		})
	}
	return e.done(NoData, "not_quantified", bilingual{
		fmt.Sprintf("Mục tiêu được giữ nguyên văn “%s” và chưa có cận định lượng nên chưa đánh giá được", text),
		fmt.Sprintf("The target is kept as written (“%s”) and has no bound yet, so it cannot be judged", text),
	})
}

// directionConflict reports a one-sided bound that points against the
// direction, e.g. "≤ 4" on a higher-is-better indicator: the end that
// matters would be infinite. avg_growth always asks for at least lo.
func (e *engine) directionConflict() bool {
	lo, _ := e.in.Target.Bound.Interval(e.s.AboutTolerance)
	if e.in.Target.Kind == AvgGrowthTarget {
		return math.IsInf(lo, 0)
	}
	return e.dir != Within && math.IsInf(e.in.Target.Bound.Binding(e.dir, e.s.AboutTolerance), 0)
}

func (e *engine) conflicting() Progress {
	b := e.boundText()
	return e.done(NoData, "direction_conflict", bilingual{
		fmt.Sprintf("Cận mục tiêu %s ngược với chiều đánh giá của chỉ tiêu nên chưa đánh giá được, cần ghi rõ chiều của mục tiêu", b.vi),
		fmt.Sprintf("The bound %s runs against the indicator's direction, so the target cannot be judged until its own direction is set", b.en),
	})
}

// noValues explains that no usable value exists in [from, To].
func (e *engine) noValues(from int) Progress {
	d := e.asOfDate()
	return e.done(NoData, "no_values", bilingual{
		fmt.Sprintf("Đến ngày %s chưa có số liệu chính thức hoặc ước tính nào của giai đoạn %s", d.vi, span(from, e.in.Target.Period.To)),
		fmt.Sprintf("By %s no official or estimated figure for %s was known", d.en, span(from, e.in.Target.Period.To)),
	})
}

// oneYear explains that a trend needs two years with values.
func (e *engine) oneYear(t int) Progress {
	e.use(t)
	v := e.amount(e.vals[t].Value)
	return e.done(NoData, "one_year", bilingual{
		fmt.Sprintf("Mới có số liệu năm %d (%s), chưa đủ hai năm để tính xu hướng đến năm %d", t, v.vi, e.in.Target.Period.To),
		fmt.Sprintf("Only the %d figure (%s) is known, not enough years to measure a trend to %d", t, v.en, e.in.Target.Period.To),
	})
}

// oppositeSigns explains why no growth rate can be computed between a base
// and a value of the other sign.
func (e *engine) oppositeSigns(b int, what bilingual, x float64) Progress {
	e.use(b)
	vb, vx := e.amount(e.vals[b].Value), e.amount(x)
	return e.done(NoData, "opposite_signs", bilingual{
		fmt.Sprintf("Giá trị năm gốc %d (%s) và %s (%s) trái dấu nên không tính được tốc độ bình quân", b, vb.vi, what.vi, vx.vi),
		fmt.Sprintf("The base-year %d value (%s) and %s (%s) have opposite signs, so no average rate can be computed", b, vb.en, what.en, vx.en),
	})
}

// baseAndLatest finds b — the year before the period, or the first year
// with a value when that one has none — and t, the latest year with a
// value in [b, T].
func (e *engine) baseAndLatest() (b, t int, ok bool) {
	ys := e.vals.years(e.in.Target.Period.BaseYear(), e.in.Target.Period.To)
	if len(ys) == 0 {
		return 0, 0, false
	}
	return ys[0], ys[len(ys)-1], true
}

// meets reports whether x satisfies the bound in the target's direction:
// for higher or lower is better only the end that matters counts (7 000 USD
// meets "6 200–6 800 USD"); for Within the whole range does.
func (e *engine) meets(x float64) bool {
	b, tol := e.in.Target.Bound, e.s.AboutTolerance
	switch e.dir {
	case Within:
		return b.Met(x, tol)
	case Down:
		return x <= b.Binding(Down, tol)+eps
	}
	return x >= b.Binding(Up, tol)-eps
}

// aim is the end of the bound a measure at x still has to reach, with the
// sign of the way it has to go: for Within, the edge on x's side.
func (e *engine) aim(x float64) (a, d float64) {
	lo, hi := e.in.Target.Bound.Interval(e.s.AboutTolerance)
	switch {
	case e.dir == Up, e.dir == Within && x < lo:
		return lo, 1
	}
	return hi, -1
}

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
	vb, vt := e.vals[b].Value, e.vals[t].Value
	a := e.in.Target.Bound.Binding(e.dir, e.s.AboutTolerance)
	// Open SDG replaces a zero base or target so that the ratios exist.
	vb, a = e.nonZero(vb), e.nonZero(a)
	switch {
	case vb*vt < 0:
		return e.oppositeSigns(b, bilingual{fmt.Sprintf("năm %d", t), fmt.Sprintf("the %d value", t)}, vt)
	case vb*a < 0:
		return e.oppositeSigns(b, bilingual{"mục tiêu", "the target"}, a)
	}
	co := math.Pow(vt/vb, 1/float64(t-b)) - 1
	cr := math.Pow(a/vb, 1/float64(T-b)) - 1
	sign := 1.0
	if vb < 0 {
		// With a negative base a falling ratio means a rising value.
		sign = -1
	}
	r := sign * e.dir.Sign() * co / math.Abs(cr)
	proj := vt * math.Pow(1+co, float64(T-t))
	req := math.Pow(a/e.nonZero(vt), 1/float64(T-t)) - 1
	e.p.Ratio, e.p.Projection, e.p.Required = fig(r), fig(proj), fig(100*req)

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
	so, need, now := growthPhrase(100*co), growthPhrase(100*cr), growthPhrase(100*req)
	bound, pr, rr := e.boundText(), e.amount(proj), num(r)
	return e.done(st, "", bilingual{
		fmt.Sprintf("Giai đoạn %s bình quân %s, trong khi cần %s để đạt %s vào năm %d (R = %s: %s); theo đà này năm %d ước đạt %s, từ nay cần %s",
			span(b, t), so.vi, need.vi, bound.vi, T, rr.vi, label.vi, T, pr.vi, now.vi),
		fmt.Sprintf("From %d to %d the value averaged a %s against the %s needed to reach %s by %d (R = %s: %s); at this pace it would be %s in %d, and from now on it needs a %s",
			b, t, so.en, need.en, bound.en, T, rr.en, label.en, pr.en, T, now.en),
	})
}

// nonZero replaces 0 by the zero substitute, as Open SDG does.
func (e *engine) nonZero(x float64) float64 {
	if x == 0 {
		return e.s.ZeroSubstitute
	}
	return x
}

// levelWithin judges a share that must land inside a range by the
// least-squares line through the values from b to t.
func (e *engine) levelWithin(b, t int) Progress {
	T := e.in.Target.Period.To
	lo, hi := e.in.Target.Bound.Interval(e.s.AboutTolerance)
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

func (e *engine) sum(ys []int) float64 {
	var s float64
	for _, y := range ys {
		s += e.vals[y].Value
	}
	return s
}

// milestone judges a task against its deadline from what was known of it
// at AsOf.
func (e *engine) milestone() Progress {
	task := e.in.Task
	if task == nil {
		return e.done(NoData, "no_task", bilingual{
			"Mục tiêu mốc chưa gắn với nhiệm vụ nào nên chưa đánh giá được",
			"The milestone target is linked to no task, so it cannot be judged",
		})
	}
	name := bilingual{task.NameVI, task.NameEN}
	if name.en == "" {
		name.en = task.NameVI
	}
	deadline := task.Deadline
	percent, doneAt := e.taskState(task)
	if deadline.IsZero() && e.in.Target.Period.To == 0 {
		// A task judged on its own, with no deadline: nothing is late.
		if !doneAt.IsZero() {
			e.p.SoFar = fig(100)
			at := dateText(doneAt)
			return e.done(Achieved, "", bilingual{
				fmt.Sprintf("Nhiệm vụ “%s” hoàn thành ngày %s", name.vi, at.vi),
				fmt.Sprintf("The task “%s” was finished on %s", name.en, at.en),
			})
		}
		if percent != nil {
			e.p.SoFar = fig(*percent)
		}
		return e.done(NoData, "no_deadline", bilingual{
			fmt.Sprintf("Nhiệm vụ “%s” chưa có thời hạn hoàn thành nên chưa đánh giá được tiến độ", name.vi),
			fmt.Sprintf("The task “%s” has no deadline, so its pace cannot be judged", name.en),
		})
	}
	if deadline.IsZero() {
		// A task without its own deadline is due by the end of the target's period.
		deadline = time.Date(e.in.Target.Period.To, 12, 31, 0, 0, 0, 0, Vietnam)
	}
	due := EndOfDay(deadline)
	dl := dateText(deadline)
	if !doneAt.IsZero() {
		e.p.SoFar = fig(100)
		at := dateText(doneAt)
		if doneAt.After(due) {
			return e.done(Achieved, "late", bilingual{
				fmt.Sprintf("Nhiệm vụ “%s” hoàn thành ngày %s, trễ so với thời hạn %s", name.vi, at.vi, dl.vi),
				fmt.Sprintf("The task “%s” was finished on %s, late for its deadline of %s", name.en, at.en, dl.en),
			})
		}
		return e.done(Achieved, "", bilingual{
			fmt.Sprintf("Nhiệm vụ “%s” hoàn thành ngày %s, trong thời hạn %s", name.vi, at.vi, dl.vi),
			fmt.Sprintf("The task “%s” was finished on %s, within its deadline of %s", name.en, at.en, dl.en),
		})
	}
	if percent != nil {
		e.p.SoFar = fig(*percent)
	}
	if e.in.AsOf.After(due) {
		done := bilingual{"chưa có báo cáo tiến độ", "no progress was reported"}
		if percent != nil {
			p := pct(*percent)
			done = bilingual{"mới đạt " + p.vi, "it is " + p.en + " done"}
		}
		return e.done(OffTrack, "overdue", bilingual{
			fmt.Sprintf("Nhiệm vụ “%s” đã quá thời hạn %s mà chưa hoàn thành (%s)", name.vi, dl.vi, done.vi),
			fmt.Sprintf("The task “%s” is past its deadline of %s and not finished (%s)", name.en, dl.en, done.en),
		})
	}
	if percent == nil {
		return e.done(NoData, "no_progress", bilingual{
			fmt.Sprintf("Chưa có báo cáo tiến độ nào của nhiệm vụ “%s” (thời hạn %s)", name.vi, dl.vi),
			fmt.Sprintf("No progress of the task “%s” has been reported (deadline %s)", name.en, dl.en),
		})
	}

	start := task.Start
	if start.IsZero() {
		start = e.in.PlanIssued
	}
	if start.IsZero() {
		start = time.Date(e.in.Target.Period.From, 1, 1, 0, 0, 0, 0, Vietnam)
	}
	if !e.in.AsOf.After(start) {
		return e.done(OnTrack, "not_started", bilingual{
			fmt.Sprintf("Nhiệm vụ “%s” chưa đến ngày bắt đầu %s", name.vi, dateText(start).vi),
			fmt.Sprintf("The task “%s” is not due to start before %s", name.en, dateText(start).en),
		})
	}
	elapsed := float64(e.in.AsOf.Sub(start)) / float64(due.Sub(start))
	ratio := *percent / 100 / elapsed
	e.p.Ratio = fig(ratio)
	var st Status
	switch {
	case ratio >= e.s.MilestoneOnTrack:
		st = OnTrack
	case ratio >= e.s.MilestoneAtRisk:
		st = AtRisk
	default:
		st = OffTrack
	}
	p, el, r, label := pct(*percent), pct(100*elapsed), num(ratio), statusLabel(st)
	return e.done(st, "", bilingual{
		fmt.Sprintf("Nhiệm vụ “%s” đạt %s khối lượng khi đã qua %s thời gian (từ %s đến thời hạn %s), tỷ lệ %s: %s",
			name.vi, p.vi, el.vi, dateText(start).vi, dl.vi, r.vi, label.vi),
		fmt.Sprintf("The task “%s” is %s done with %s of its time gone (%s to the deadline of %s), a ratio of %s: %s",
			name.en, p.en, el.en, dateText(start).en, dl.en, r.en, label.en),
	})
}

// taskState is the task's percent complete and completion date as known at
// AsOf: the latest update entered by then overrides the percent the task
// was loaded with, and a completion counts from its date.
func (e *engine) taskState(task *Task) (percent *float64, doneAt time.Time) {
	percent = task.Percent
	if !task.Done.IsZero() && !task.Done.After(e.in.AsOf) {
		doneAt = task.Done
	}
	for i := range e.in.TaskUpdates {
		u := &e.in.TaskUpdates[i]
		if u.EnteredAt.After(e.in.AsOf) {
			continue
		}
		if u.Done {
			at := u.Date
			if at.IsZero() {
				at = u.EnteredAt
			}
			if doneAt.IsZero() || at.Before(doneAt) {
				doneAt = at
			}
		}
	}
	if latest, ok := LatestUpdate(e.in.TaskUpdates, e.in.AsOf); ok {
		p := latest.Percent
		percent = &p
	}
	return percent, doneAt
}

// statusLabel names a status inside a sentence.
func statusLabel(st Status) bilingual {
	switch st {
	case OnTrack:
		return bilingual{"đúng tiến độ", "on track"}
	case AtRisk:
		return bilingual{"có nguy cơ chậm", "at risk"}
	case OffTrack:
		return bilingual{"chậm tiến độ", "off track"}
	case Regressing:
		return bilingual{"đi ngược hướng mục tiêu", "moving away from the target"}
	}
	return bilingual{string(st), string(st)}
}

// fig rounds a figure to 4 decimals against float noise; nil when it is not
// a number.
func fig(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	r := math.Round(x*1e4) / 1e4
	if r == 0 {
		r = 0 // no "-0"
	}
	return &r
}

func num(x float64) bilingual {
	return bilingual{FormatTrim(x, 2, "vi"), FormatTrim(x, 2, "en")}
}

func pct(x float64) bilingual {
	n := num(x)
	return bilingual{n.vi + " %", n.en + " %"}
}

func perYear(x float64) bilingual {
	n := num(x)
	return bilingual{n.vi + " %/năm", n.en + " %/yr"}
}

// growthPhrase writes a rate in percent per year with its way: "tăng 3,1
// %/năm" / "rise of 3.1 %/yr", "giảm 2 %/năm" / "fall of 2 %/yr".
func growthPhrase(x float64) bilingual {
	p := perYear(math.Abs(x))
	if x < 0 {
		return bilingual{"giảm " + p.vi, "fall of " + p.en}
	}
	return bilingual{"tăng " + p.vi, "rise of " + p.en}
}

// units are the indicator's unit in each language, "" when it has none.
func (e *engine) units() bilingual {
	u := bilingual{e.in.Indicator.Unit, e.in.Indicator.UnitEN}
	if u.en == "" {
		u.en = u.vi
	}
	return u
}

// amount writes x in the indicator's unit: "6.500 USD".
func (e *engine) amount(x float64) bilingual {
	n, u := num(x), e.units()
	if u.vi == "" {
		return n
	}
	return bilingual{n.vi + " " + u.vi, n.en + " " + u.en}
}

// unitChange writes a change per year in the indicator's unit with its
// way; a change of a percentage is in percentage points.
func (e *engine) unitChange(x float64) bilingual {
	p := e.unitAmountPerYear(math.Abs(x))
	if x < 0 {
		return bilingual{"giảm " + p.vi, "fall of " + p.en}
	}
	return bilingual{"tăng " + p.vi, "rise of " + p.en}
}

func (e *engine) unitAmountPerYear(x float64) bilingual {
	n, u := num(x), e.units()
	switch u.vi {
	case "%":
		return bilingual{n.vi + " điểm %/năm", n.en + " pp/yr"}
	case "":
		return bilingual{n.vi + "/năm", n.en + "/yr"}
	}
	return bilingual{n.vi + " " + u.vi + "/năm", n.en + " " + u.en + "/yr"}
}

// shareOf writes x as a percentage of whole: "93 %".
func shareOf(x, whole float64) bilingual {
	if whole == 0 {
		return bilingual{"–", "–"}
	}
	return pct(100 * x / whole)
}

// boundText writes the target's bound in the indicator's unit.
func (e *engine) boundText() bilingual {
	u := e.units()
	return e.boundTextUnit(u.vi, u.en)
}

// boundTextUnit writes the bound with FormatTrim ("7,5–8 %/năm") rather than
// Bound.Format, whose fixed decimals would print "7,50–8,00".
func (e *engine) boundTextUnit(unitVI, unitEN string) bilingual {
	b := e.in.Target.Bound
	a, hi := num(b.A), num(b.B)
	var m bilingual
	switch b.Op {
	case OpAtLeast:
		m = bilingual{"≥ " + a.vi, "≥ " + a.en}
	case OpAtMost:
		m = bilingual{"≤ " + a.vi, "≤ " + a.en}
	case OpAbout:
		m = bilingual{"khoảng " + a.vi, "about " + a.en}
	case OpRange:
		m = bilingual{a.vi + "–" + hi.vi, a.en + "–" + hi.en}
	default:
		return bilingual{"chưa lượng hóa", "not quantified"}
	}
	if unitVI != "" {
		m.vi += " " + unitVI
	}
	if unitEN != "" {
		m.en += " " + unitEN
	}
	return m
}

func (e *engine) asOfDate() bilingual { return dateText(e.in.AsOf) }

// dateText writes a day the way each language does: 31/12/2025, 31 Dec 2025.
func dateText(t time.Time) bilingual {
	t = t.In(Vietnam)
	return bilingual{t.Format("02/01/2006"), t.Format("2 Jan 2006")}
}

// span writes a run of years: "2021–2024", or "2024" alone.
func span(from, to int) string {
	if from == to {
		return fmt.Sprint(from)
	}
	return fmt.Sprintf("%d–%d", from, to)
}

func joinYears(ys []int) string {
	parts := make([]string, len(ys))
	for i, y := range ys {
		parts[i] = fmt.Sprint(y)
	}
	return strings.Join(parts, ", ")
}
