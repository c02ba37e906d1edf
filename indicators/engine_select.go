package indicators

import (
	"sort"
	"time"
)

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

// ByYear returns, per year, the value that counts for territory scope at
// moment asOf: of the whole-year official and estimate values known then,
// official beats estimate and of one type the newest wins. It is the
// engine's one rule of selection; a page or a report that draws a series
// uses it, or the Series of a target's Progress, and never a rule of its own.
func ByYear(values []Value, scope Scope, asOf time.Time) map[int]Value {
	s := series{}
	for _, v := range Current(values, asOf) {
		if v.Scope == scope && v.Period.IsYear() && (v.Type == OfficialValue || v.Type == EstimateValue) {
			s.add(v)
		}
	}
	return s
}

// ByUnitYear returns, per reporting unit and year, the value that counts
// at moment asOf by the same rule as ByYear: for tables and charts of the
// units below the city.
func ByUnitYear(values []Value, asOf time.Time) map[string]map[int]Value {
	out := map[string]map[int]Value{}
	for _, v := range Current(values, asOf) {
		if !v.Period.IsYear() || (v.Type != OfficialValue && v.Type != EstimateValue) {
			continue
		}
		if out[v.Unit] == nil {
			out[v.Unit] = series{}
		}
		series(out[v.Unit]).add(v)
	}
	return out
}

// PlansByYear returns, per year, the plan value (KH) of territory scope in
// force at moment asOf: the newest whole-year plan value known then.
func PlansByYear(values []Value, scope Scope, asOf time.Time) map[int]Value {
	out := map[int]Value{}
	for _, v := range Current(values, asOf) {
		if v.Scope != scope || !v.Period.IsYear() || v.Type != PlanValue {
			continue
		}
		if w, ok := out[v.Period.Year]; !ok || v.Newer(&w) {
			out[v.Period.Year] = v
		}
	}
	return out
}

// engine holds what one evaluation needs while it is being built.
type engine struct {
	in    Input
	s     Settings
	dir   Direction
	bound Bound   // the bound judged: the target's, or a relative target's resolved level
	tol   float64 // the tolerance of "about a": the target's own, else the setting
	vals  series  // the yearly values of the target's territory that count
	plans series  // the yearly plan values of the target's territory
	used  series  // those the status rests on
	p     Progress
}

func newEngine(in Input, s Settings) *engine {
	e := &engine{in: in, s: s, dir: in.Target.Direction, bound: in.Target.Bound, tol: in.Target.Tolerance,
		vals: series{}, plans: series{}, used: series{}}
	if e.tol <= 0 {
		e.tol = s.AboutTolerance
	}
	if e.dir == "" {
		e.dir = in.Indicator.Direction
	}
	if e.dir == "" {
		e.dir = Up
	}
	others := map[Scope]series{}
	ytd := ytdSeries{}
	for _, v := range Current(in.Values, in.AsOf) {
		if !v.Period.IsYear() {
			if v.Period.IsYearToDate() && v.Scope == in.Target.Scope && (v.Type == OfficialValue || v.Type == EstimateValue) {
				ytd.add(v)
			}
			continue
		}
		if v.Type == PlanValue {
			if w, ok := e.plans[v.Period.Year]; v.Scope == in.Target.Scope && (!ok || v.Newer(&w)) {
				e.plans[v.Period.Year] = v
			}
			continue
		}
		if v.Type != OfficialValue && v.Type != EstimateValue {
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
	if in.Target.Kind != MilestoneTarget {
		e.provisionalYear(ytd)
	}
	return e
}

func usedValue(v Value) UsedValue {
	return UsedValue{ID: v.ID, Year: v.Period.Year, Value: v.Value, Type: v.Type, Scope: v.Scope, Unit: v.Unit,
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
