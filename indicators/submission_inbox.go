package indicators

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// SubmissionInbox is the reporting cycle's source of inbox items: to a
// planner, the submissions of their units returned with a note; to the
// head of a unit, the submissions awaiting their decision.
type SubmissionInbox struct {
	Submissions SubmissionStore
}

// Inbox gives u's items at asOf.
func (si SubmissionInbox) Inbox(ctx context.Context, u User, asOf time.Time) ([]InboxItem, error) {
	var kind InboxKind
	var state SubmissionState
	switch {
	case u.Disabled:
		return nil, nil
	case u.Role == Planner:
		kind, state = InboxReturned, Returned
	case u.Role == Approver && len(u.Units) > 0:
		kind, state = InboxAwaiting, Submitted
	default:
		return nil, nil
	}
	subs, err := si.Submissions.Submissions(ctx, SubmissionFilter{Units: u.Units, State: state})
	if err != nil {
		return nil, fmt.Errorf("indicators: inbox of %s: %w", u.Name, err)
	}
	var out []InboxItem
	for _, s := range subs {
		if u.Role == Approver && !slices.Contains(u.Units, s.Unit) {
			continue
		}
		at := s.SubmittedAt
		if kind == InboxReturned {
			at = s.DecidedAt
		}
		if at.After(asOf) {
			continue
		}
		out = append(out, InboxItem{Kind: kind, Plan: s.Plan, Unit: s.Unit, Period: s.Period, Deadline: CutOff(s.Period),
			Note: s.Note, Key: fmt.Sprintf("%s|%s|%s|%s|%s", kind, s.Plan, s.Unit, s.Period, at.UTC().Format(time.RFC3339Nano))})
	}
	return out, nil
}
