package indicators

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Explanation is a unit's account of a lagging target for a period (giải
// trình): the causes and the remedies, in the unit's own words. Pages and
// the progress report show it beside the engine's sentence, never in its
// place.
type Explanation struct {
	Target    int64
	Unit      string
	Period    Period
	Cause     string // nguyên nhân
	Remedy    string // giải pháp
	EnteredBy string
	EnteredAt time.Time
}

// Validate checks an explanation: both parts written, each at most
// MaxNoteLen characters of plain text.
func (e *Explanation) Validate() error {
	for _, f := range []struct{ field, vi, en, text string }{
		{"cause", "nguyên nhân", "the cause", e.Cause},
		{"remedy", "giải pháp", "the remedy", e.Remedy},
	} {
		text := strings.TrimSpace(f.text)
		if text == "" {
			return FieldError(EINVALID, f.field, "cần ghi "+f.vi, f.en+" is missing")
		}
		if utf8.RuneCountInString(text) > MaxNoteLen {
			return FieldError(EINVALID, f.field, f.vi+" tối đa 4.000 ký tự", f.en+" has at most 4,000 characters")
		}
		if err := CheckName(f.field, f.vi, f.en, strings.NewReplacer("\r\n", " ", "\n", " ", "\t", " ").Replace(text)); err != nil {
			return err
		}
	}
	if e.Target == 0 || e.Unit == "" {
		return FieldError(EINVALID, "target", "thiếu mục tiêu hoặc đơn vị của giải trình", "the explanation's target or unit is missing")
	}
	return nil
}

// ExplanationFilter selects explanations; zero fields select all.
type ExplanationFilter struct {
	Units  []string
	Period *Period
}

// ExplanationStore keeps the units' explanations. SetExplanation replaces
// the one of its target, unit and period (the earlier one stays in the
// audit trail); only a planner of the unit writes it.
type ExplanationStore interface {
	SetExplanation(ctx context.Context, e Explanation) (Explanation, error)
	Explanations(ctx context.Context, f ExplanationFilter) ([]Explanation, error)
}

// Lagging reports whether a status asks the unit for an explanation.
func (s Status) Lagging() bool { return s == AtRisk || s == OffTrack || s == Regressing }

// UnitTargets judges, at asOf, the targets of a plan that unit answers
// for: the city's own targets of its territory when it is the city, and
// its own shares of the city's targets.
func (tr Tracker) UnitTargets(ctx context.Context, planID string, unit Unit, asOf time.Time) ([]TargetProgress, error) {
	city, err := tr.Targets(ctx, planID, nil, asOf)
	if err != nil {
		return nil, err
	}
	var out []TargetProgress
	for _, tp := range city {
		if unit.Kind == City && tp.Target.Scope == unit.Scope {
			out = append(out, tp)
			continue
		}
		shares, err := tr.Shares(ctx, tp.Target, asOf)
		if err != nil {
			return nil, err
		}
		for _, sh := range shares {
			if sh.Unit.Code == unit.Code {
				out = append(out, TargetProgress{Target: sh.Target, Indicator: tp.Indicator, Progress: sh.Progress})
			}
		}
	}
	return out, nil
}

// MissingExplanations returns the lagging targets of tps that have no
// explanation among es for unit and period.
func MissingExplanations(tps []TargetProgress, es []Explanation, unit string, period Period) []TargetProgress {
	have := map[int64]bool{}
	for _, e := range es {
		if e.Unit == unit && e.Period == period {
			have[e.Target] = true
		}
	}
	var out []TargetProgress
	for _, tp := range tps {
		if tp.Progress.Status.Lagging() && !have[tp.Target.ID] {
			out = append(out, tp)
		}
	}
	return out
}

// MissingExplanationsError refuses a submission that leaves lagging
// targets without the unit's explanation, listing them.
func MissingExplanationsError(missing []TargetProgress) error {
	var vi, en []string
	for _, tp := range missing {
		vi = append(vi, fmt.Sprintf("%s (%s, %s)", tp.Indicator.Code, tp.Target.Period, tp.Progress.Status.Label("vi")))
		en = append(en, fmt.Sprintf("%s (%s, %s)", tp.Indicator.Code, tp.Target.Period, tp.Progress.Status.Label("en")))
	}
	return FieldError(EINVALID, "explanation",
		fmt.Sprintf("cần giải trình (nguyên nhân, giải pháp) trước khi gửi cho %d mục tiêu chậm tiến độ: %s", len(missing), strings.Join(vi, "; ")),
		fmt.Sprintf("explain (cause, remedy) the %d lagging targets before submitting: %s", len(missing), strings.Join(en, "; ")))
}

// Cycle runs the transitions that need the engine as well as the store:
// a submission is refused while a lagging target of the unit lacks its
// explanation.
type Cycle struct {
	Tracker      Tracker
	Submissions  SubmissionStore
	Explanations ExplanationStore
}

// Submit submits k at now once every lagging target of the unit has the
// unit's explanation for the period.
func (cy Cycle) Submit(ctx context.Context, k SubmissionKey, now time.Time) (Submission, error) {
	unit, err := cy.Tracker.Store.Unit(ctx, k.Unit)
	if err != nil {
		return Submission{}, err
	}
	tps, err := cy.Tracker.UnitTargets(ctx, k.Plan, unit, now)
	if err != nil {
		return Submission{}, err
	}
	es, err := cy.Explanations.Explanations(ctx, ExplanationFilter{Units: []string{k.Unit}, Period: &k.Period})
	if err != nil {
		return Submission{}, err
	}
	if missing := MissingExplanations(tps, es, k.Unit, k.Period); len(missing) > 0 {
		if !ActorFrom(ctx).MaySubmit(k.Unit) {
			// Who may not submit learns that first, not the unit's targets.
			return cy.Submissions.Submit(ctx, k)
		}
		return Submission{}, MissingExplanationsError(missing)
	}
	return cy.Submissions.Submit(ctx, k)
}
