package indicators

import (
	"fmt"
	"math"
	"strings"
)

// The progress engine: DESIGN.md §3 turned into pure functions. Evaluate
// judges one target, Judge gives the administrative verdict of one year and
// Roll sums statuses up for a task group or a plan. Each kind of target
// has a file of its own (engine_level.go, engine_avg_growth.go, …); the
// sentences are built in engine_text.go, the choice of values in
// engine_select.go and what every result carries besides its status in
// engine_result.go.

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
	case in.Target.Kind == RelativeTarget && !e.resolveRelative():
		return e.noBase()
	case e.directionConflict():
		return e.conflicting()
	}
	switch in.Target.Kind {
	case LevelTarget, RelativeTarget:
		return e.level()
	case AvgGrowthTarget:
		return e.avgGrowth()
	case AvgChangeTarget:
		return e.avgChange()
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

// done finishes the result: status, reason, the values used, what pages
// draw besides (band, series, verdicts per year, achievement), and the
// explanation with the coverage, estimate and scope caveats appended, so
// that every sentence carries them the same way.
func (e *engine) done(st Status, reason string, m bilingual) Progress {
	p := e.p
	p.Status, p.Reason = st, reason
	var estimates []int
	for _, y := range e.used.years(math.MinInt, math.MaxInt) {
		v := e.used[y]
		p.ValuesUsed = append(p.ValuesUsed, usedValue(v))
		if v.Type == EstimateValue && !v.Period.IsYearToDate() { // a provisional year has a note of its own
			estimates = append(estimates, y)
		}
		if v.Period.IsYearToDate() {
			p.RestsOnEstimate = true
		}
	}
	e.result(&p)
	if restsOnValues(e.in.Target.Kind, reason) && len(p.YearsPresent) > 0 {
		m = e.coverageNote(m, &p)
	}
	if st != NoData && len(estimates) > 0 {
		p.RestsOnEstimate = true
		ys := joinYears(estimates)
		m.vi += fmt.Sprintf("; số liệu năm %s là ước tính", ys)
		if len(estimates) == 1 {
			m.en += fmt.Sprintf("; the %s figure is an estimate", ys)
		} else {
			m.en += fmt.Sprintf("; the %s figures are estimates", ys)
		}
	}
	if st != NoData {
		m = e.provisionalNote(m)
	}
	m = e.scopeNote(m)
	p.ExplanationVI, p.ExplanationEN = m.vi+".", m.en+"."
	return p
}

// restsOnValues reports whether a status rests on the yearly values, so
// that its sentence says how many of the period's years it rests on.
func restsOnValues(k Kind, reason string) bool {
	switch reason {
	case "no_values", "not_quantified", "direction_conflict", "no_base", "unknown_kind":
		return false
	}
	return k != MilestoneTarget
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
// matters would be infinite. avg_growth and avg_change always ask for at
// least lo in the indicator's direction.
func (e *engine) directionConflict() bool {
	lo, _ := e.bound.Interval(e.tol)
	if e.in.Target.Kind == AvgGrowthTarget || e.in.Target.Kind == AvgChangeTarget {
		return math.IsInf(lo, 0)
	}
	return e.dir != Within && math.IsInf(e.bound.Binding(e.dir, e.tol), 0)
}

func (e *engine) conflicting() Progress {
	b, d := e.boundText(), e.directionText()
	return e.done(NoData, "direction_conflict", bilingual{
		fmt.Sprintf("Mục tiêu %s ngược chiều với chỉ tiêu (%s) nên chưa đánh giá được; cần ghi rõ chiều đánh giá của mục tiêu", b.vi, d.vi),
		fmt.Sprintf("The target of %s runs against the indicator (%s), so it cannot be judged until the target's own direction is set", b.en, d.en),
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
// with a value after it when that one has none, never a year before it —
// and t, the latest year with a value in [b, T].
func (e *engine) baseAndLatest() (b, t int, ok bool) {
	ys := e.vals.years(e.in.Target.Period.BaseYear(), e.in.Target.Period.To)
	if len(ys) == 0 {
		return 0, 0, false
	}
	return ys[0], ys[len(ys)-1], true
}

// meets reports whether x satisfies the bound in the target's direction:
// for higher or lower is better only the end that matters counts (7 000 USD
// meets "6 200–6 800 USD"), strictly for "> a" and "< a"; for Within the
// whole range does.
func (e *engine) meets(x float64) bool {
	b := e.bound
	switch e.dir {
	case Within:
		return b.Met(x, e.tol)
	case Down:
		if b.Op == OpBelow {
			return x < b.A-eps
		}
		return x <= b.Binding(Down, e.tol)+eps
	}
	if b.Op == OpAbove {
		return x > b.A+eps
	}
	return x >= b.Binding(Up, e.tol)-eps
}

// meetsLo reports whether an average rate or change x reaches lo, the lower
// end of an avg_growth or avg_change bound (strictly for "> a").
func (e *engine) meetsLo(x float64) bool {
	lo, _ := e.bound.Interval(e.tol)
	if e.bound.Op == OpAbove {
		return x > lo+eps
	}
	return x >= lo-eps
}

// aim is the end of the bound a measure at x still has to reach, with the
// sign of the way it has to go: for Within, the edge on x's side.
func (e *engine) aim(x float64) (a, d float64) {
	lo, hi := e.bound.Interval(e.tol)
	switch {
	case e.dir == Up, e.dir == Within && x < lo:
		return lo, 1
	}
	return hi, -1
}

// sum adds the values of years ys.
func (e *engine) sum(ys []int) float64 {
	var s float64
	for _, y := range ys {
		s += e.vals[y].Value
	}
	return s
}

// nonZero replaces 0 by the zero substitute, as Open SDG does.
func (e *engine) nonZero(x float64) float64 {
	if x == 0 {
		return e.s.ZeroSubstitute
	}
	return x
}
