package indicators

import (
	"context"
	"math"
	"sort"
	"time"
)

// UnitShare is one unit's share of a city target (a department's or a
// commune's), judged by the engine against that unit's own values, with
// its place in the league of the target's units.
type UnitShare struct {
	Target   Target // its TargetRevision is the one in force at the moment
	Unit     Unit
	Progress Progress
	// Achievement is the measure so far as a percentage of the bound that
	// matters, turned so that more is better (the bound over the value when
	// lower is better); nil when it cannot be said (no value, a zero or
	// opposite-signed bound, a milestone).
	Achievement *float64
	Rank        int // 1 for the first of the league
}

// Shares judges the units' shares of target city at moment asOf — the
// targets of the same plan, indicator, period and territory set for one
// unit — and ranks them: by status (achieved first, no data last), then
// by achievement, then by unit code. Each is judged as the engine judges
// any target, on the values of its own unit only.
func (tr Tracker) Shares(ctx context.Context, city Target, asOf time.Time) ([]UnitShare, error) {
	all, err := tr.Store.Targets(ctx, TargetFilter{Plan: city.Plan, Indicator: city.Indicator, Period: &city.Period})
	if err != nil {
		return nil, err
	}
	var out []UnitShare
	var settings Settings
	var ind Indicator
	var plan Plan
	for _, t := range all {
		if t.Unit == "" || t.Scope != city.Scope {
			continue
		}
		rev, ok := InForce(t.Revisions, asOf)
		if !ok {
			continue
		}
		t.TargetRevision = rev
		if out == nil {
			if settings, err = tr.Store.Settings(ctx); err != nil {
				return nil, err
			}
			if ind, err = tr.Store.Indicator(ctx, t.Indicator); err != nil {
				return nil, err
			}
			if plan, err = tr.Store.Plan(ctx, t.Plan); err != nil {
				return nil, err
			}
		}
		unit, err := tr.Store.Unit(ctx, t.Unit)
		if err != nil {
			return nil, err
		}
		vs, err := tr.Store.Values(ctx, ValueFilter{Indicator: t.Indicator, Units: []string{t.Unit}})
		if err != nil {
			return nil, err
		}
		p := Evaluate(Input{Target: t, Indicator: ind, Values: vs, PlanIssued: plan.Issued, AsOf: asOf}, settings)
		out = append(out, UnitShare{Target: t, Unit: unit, Progress: p, Achievement: achievement(t, ind, p, settings)})
	}
	rank := map[Status]int{}
	for i, s := range Statuses {
		rank[s] = i
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if rank[a.Progress.Status] != rank[b.Progress.Status] {
			return rank[a.Progress.Status] < rank[b.Progress.Status]
		}
		switch {
		case a.Achievement != nil && b.Achievement == nil:
			return true
		case a.Achievement == nil && b.Achievement != nil:
			return false
		case a.Achievement != nil && *a.Achievement != *b.Achievement:
			return *a.Achievement > *b.Achievement
		}
		return a.Unit.Code < b.Unit.Code
	})
	for i := range out {
		out[i].Rank = i + 1
	}
	return out, nil
}

// achievement is the measure so far against the bound that matters, in
// percent, turned so that more is better.
func achievement(t Target, ind Indicator, p Progress, s Settings) *float64 {
	if p.SoFar == nil || !t.Bound.Quantified() || t.Kind == MilestoneTarget || t.Kind == RelativeTarget {
		return nil
	}
	d := t.Direction
	if d == "" {
		d = ind.Direction
	}
	tol := s.AboutTolerance
	if t.Tolerance > 0 {
		tol = t.Tolerance
	}
	a, v := t.Bound.Binding(d, tol), *p.SoFar
	if a == 0 || v == 0 && d == Down || math.Signbit(a) != math.Signbit(v) || math.IsInf(a, 0) {
		return nil
	}
	x := v / a * 100
	if d == Down {
		x = a / v * 100
	}
	x = math.Round(x*10) / 10
	return &x
}
