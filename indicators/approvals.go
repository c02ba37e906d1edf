package indicators

import (
	"context"
	"time"
)

// Approvals tells approved values from the others: a value is approved
// when an approved submission of its unit and period, for a plan one of
// whose targets measures its indicator, was approved after the value came
// in. Values of the built-in catalogue (a published source, no batch) were
// approved by the body that published them and count as approved.
type Approvals struct {
	inUse    bool
	byPeriod map[unitPeriod][]approval
}

type unitPeriod struct {
	unit   string
	period Period
}

type approval struct {
	indicators map[string]bool // the indicators of the plan's targets
	at         time.Time
}

// DecidedBy keeps the approvals decided by moment t: a report as of a
// past day marks what was approved then.
func (a Approvals) DecidedBy(t time.Time) Approvals {
	out := Approvals{inUse: a.inUse, byPeriod: map[unitPeriod][]approval{}}
	for k, aps := range a.byPeriod {
		for _, ap := range aps {
			if !ap.at.After(t) {
				out.byPeriod[k] = append(out.byPeriod[k], ap)
			}
		}
	}
	return out
}

// ApprovedUsed reports whether a yearly value the engine used for
// indicator is approved.
func (a Approvals) ApprovedUsed(indicator string, u UsedValue) bool {
	v := Value{Key: Key{Indicator: indicator, Unit: u.Unit, Period: YearPeriod(u.Year), Type: u.Type}, Batch: u.Batch,
		EnteredAt: u.EnteredAt}
	return a.Approved(&v)
}

// NewApprovals builds the index from every submission recorded and, for
// each plan, the indicators its targets (and those of the plans beneath
// it) measure.
func NewApprovals(subs []Submission, planIndicators map[string][]string) Approvals {
	a := Approvals{inUse: len(subs) > 0, byPeriod: map[unitPeriod][]approval{}}
	sets := map[string]map[string]bool{}
	for plan, codes := range planIndicators {
		set := make(map[string]bool, len(codes))
		for _, c := range codes {
			set[c] = true
		}
		sets[plan] = set
	}
	for _, s := range subs {
		if s.State != Approved {
			continue
		}
		k := unitPeriod{s.Unit, s.Period}
		a.byPeriod[k] = append(a.byPeriod[k], approval{indicators: sets[s.Plan], at: s.DecidedAt})
	}
	return a
}

// InUse reports whether the office runs the cycle: at least one
// submission was ever made. Until then every figure entered is shown by
// default, since nobody could have approved any.
func (a Approvals) InUse() bool { return a.inUse }

// Approved reports whether v is approved.
func (a Approvals) Approved(v *Value) bool {
	if v.Batch == 0 {
		return true
	}
	for _, ap := range a.byPeriod[unitPeriod{v.Unit, v.Period}] {
		if ap.indicators[v.Indicator] && !v.EnteredAt.After(ap.at) {
			return true
		}
	}
	return false
}

// Keep returns the approved values of vs, in their order.
func (a Approvals) Keep(vs []Value) []Value {
	out := make([]Value, 0, len(vs))
	for i := range vs {
		if a.Approved(&vs[i]) {
			out = append(out, vs[i])
		}
	}
	return out
}

// ApprovedStore is a store whose values are the approved ones only. The
// engine, fed through it, makes the same one choice of values among
// those, so that "approved figures" needs no rule of its own.
type ApprovedStore struct {
	Store
	Approvals Approvals
}

// Values returns the approved values that f selects.
func (s ApprovedStore) Values(ctx context.Context, f ValueFilter) ([]Value, error) {
	vs, err := s.Store.Values(ctx, f)
	if err != nil {
		return nil, err
	}
	return s.Approvals.Keep(vs), nil
}
