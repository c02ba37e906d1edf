package indicators

import (
	"fmt"
	"math"
)

// What every result carries besides its status, so that a page, a chart, a
// report and the API show the same figures without computing any of them
// again: the band with its tolerance, the series that counts, the years
// present and missing, the verdicts per year and the achievement.

// result fills in p what follows from the engine's state whatever the
// status.
func (e *engine) result(p *Progress) {
	per := e.in.Target.Period
	p.Bound = e.bound
	for _, y := range e.vals.years(math.MinInt, math.MaxInt) {
		p.Series = append(p.Series, usedValue(e.vals[y]))
	}
	if e.in.Target.Kind == MilestoneTarget {
		p.Achievement = p.SoFar
		return
	}
	p.PeriodYears = per.Years()
	ys := e.vals.years(per.From, per.To)
	p.YearsPresent = ys
	if len(ys) > 0 {
		last := ys[len(ys)-1]
		for y := per.From; y < last; y++ {
			if _, ok := e.vals[y]; !ok {
				p.YearsMissing = append(p.YearsMissing, y)
			}
		}
		// The verdict is final once the end year has a value; it rests on
		// incomplete years where the kind adds the years up.
		aggregates := e.in.Target.Kind == CumulativeTarget || e.in.Target.Kind == AverageTarget ||
			e.in.Target.Kind == AnnualTarget || (e.in.Target.Kind == AvgGrowthTarget && e.in.Indicator.Measure == GrowthRate)
		p.Incomplete = last == per.To && len(p.YearsMissing) > 0 && aggregates && p.Status != NoData
	}
	p.Band = e.band()
	p.Original = e.originalBand()
	p.Achievement = e.achievement(p.SoFar)
	p.YearVerdicts = e.yearVerdicts()
}

// band is the bound as an interval with the tolerance applied.
func (e *engine) band() *Band {
	if !e.bound.Quantified() || (e.in.Target.Kind == RelativeTarget && e.p.Band == nil) {
		return e.p.Band // nil, or the relative band resolveRelative made
	}
	b := &Band{From: e.in.Target.Period.From, To: e.in.Target.Period.To,
		Strict: e.bound.Op == OpAbove || e.bound.Op == OpBelow}
	if e.p.Band != nil {
		b = e.p.Band
	}
	lo, hi := e.bound.Interval(e.tol)
	b.Lo, b.Hi = fig(lo), fig(hi)
	if e.bound.Op == OpAbout {
		b.Tolerance = e.tol
	}
	switch e.in.Target.Kind {
	case LevelTarget, RelativeTarget, AnnualTarget, AverageTarget:
		b.InValues = true
	case AvgGrowthTarget:
		b.InValues = e.in.Indicator.Measure == GrowthRate
	}
	return b
}

// originalBand is the band of the target's first revision when the one in
// force differs from it, with that revision's own tolerance or the
// setting, and a relative bound resolved against the same base value.
func (e *engine) originalBand() *Band {
	t := e.in.Target
	if t.Seq == 0 || len(t.Revisions) == 0 {
		return nil
	}
	o := t.Revisions[0]
	if !o.Bound.Quantified() || (o.Bound == t.Bound && o.Kind == t.Kind && o.Tolerance == t.Tolerance) {
		return nil
	}
	ob, tol := o.Bound, o.Tolerance
	if tol <= 0 {
		tol = e.s.AboutTolerance
	}
	b := &Band{From: t.Period.From, To: t.Period.To, Strict: ob.Op == OpAbove || ob.Op == OpBelow}
	if o.Kind == RelativeTarget {
		if e.p.Band == nil || e.p.Band.BaseValue == nil || *e.p.Band.BaseValue < 0 {
			return nil
		}
		x := *e.p.Band.BaseValue
		ob = Bound{Op: ob.Op, A: ob.A * x, B: ob.B * x}
	}
	lo, hi := ob.Interval(tol)
	b.Lo, b.Hi = fig(lo), fig(hi)
	if ob.Op == OpAbout {
		b.Tolerance = tol
	}
	switch o.Kind {
	case LevelTarget, RelativeTarget, AnnualTarget, AverageTarget:
		b.InValues = true
	case AvgGrowthTarget:
		b.InValues = e.in.Indicator.Measure == GrowthRate
	}
	return b
}

// achievement is the measure so far as a percentage of the bound that
// matters: so far ÷ bound when higher is better, bound ÷ so far when lower
// is better. Nil for a range to land in and for figures of mixed or zero
// sign, where a ratio means nothing.
func (e *engine) achievement(soFar *float64) *float64 {
	if soFar == nil || !e.bound.Quantified() || e.dir == Within {
		return nil
	}
	a := e.bound.Binding(e.dir, e.tol)
	if e.in.Target.Kind == AvgGrowthTarget || e.in.Target.Kind == AvgChangeTarget {
		a, _ = e.bound.Interval(e.tol)
	}
	so := *soFar
	if math.IsInf(a, 0) || a <= 0 || so <= 0 {
		return nil
	}
	if e.dir == Down && e.in.Target.Kind != AvgGrowthTarget && e.in.Target.Kind != AvgChangeTarget {
		return fig(100 * a / so)
	}
	return fig(100 * so / a)
}

// yearVerdicts judges every year of the period, and its base year, that
// has a plan value against it: vượt, đạt or không đạt once the year has a
// value that counts.
func (e *engine) yearVerdicts() []YearVerdict {
	per := e.in.Target.Period
	var out []YearVerdict
	for _, y := range e.plans.years(per.BaseYear(), per.To) {
		pl := e.plans[y]
		yv := YearVerdict{Year: y, Plan: pl.Value, PlanHigh: pl.High}
		if v, ok := e.vals[y]; ok {
			u := usedValue(v)
			yv.Actual = &u
			yv.Verdict = Judge(v.Value, pl, e.dir)
		}
		out = append(out, yv)
	}
	return out
}

// coverageNote says how many of the period's years the status rests on and
// names the missing ones ("dựa trên 4/5 năm, thiếu 2023"); a final verdict
// on incomplete years says so.
func (e *engine) coverageNote(m bilingual, p *Progress) bilingual {
	k, n := len(p.YearsPresent), p.PeriodYears
	m.vi += fmt.Sprintf("; dựa trên %d/%d năm", k, n)
	m.en += fmt.Sprintf("; based on %d of %d years", k, n)
	if miss := p.YearsMissing; len(miss) > 0 {
		m.vi += ", thiếu " + yearRuns(miss)
		m.en += ", " + yearRuns(miss) + " missing"
	}
	if p.Incomplete {
		m.vi += " (kết luận cuối kỳ trên số liệu chưa đủ các năm)"
		m.en += " (a final verdict on incomplete years)"
	}
	return m
}
