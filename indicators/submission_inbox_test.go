package indicators

import (
	"context"
	"slices"
	"testing"
	"time"
)

// submissionsOnly is a SubmissionStore that answers Submissions from a
// list, filtering as the store does by units and state.
type submissionsOnly struct {
	SubmissionStore
	all []Submission
}

func (s submissionsOnly) Submissions(_ context.Context, f SubmissionFilter) ([]Submission, error) {
	var out []Submission
	for _, x := range s.all {
		if (len(f.Units) == 0 || slices.Contains(f.Units, x.Unit)) && (f.State == "" || x.State == f.State) {
			out = append(out, x)
		}
	}
	return out, nil
}

func TestSubmissionInbox(t *testing.T) {
	t.Parallel()
	day := func(d int) time.Time { return time.Date(2025, 7, d, 9, 0, 0, 0, Vietnam) }
	q2 := Period{Year: 2025, Kind: Quarter, N: 2}
	store := submissionsOnly{all: []Submission{
		{SubmissionKey: SubmissionKey{Plan: "p", Unit: "916", Period: q2}, State: Returned, Note: "thiếu số liệu tháng 6", DecidedAt: day(3)},
		{SubmissionKey: SubmissionKey{Plan: "p", Unit: "917", Period: q2}, State: Submitted, SubmittedAt: day(2)},
		{SubmissionKey: SubmissionKey{Plan: "p", Unit: "918", Period: q2}, State: Approved, SubmittedAt: day(1), DecidedAt: day(2)},
	}}
	inbox := SubmissionInbox{Submissions: store}
	ctx := context.Background()
	cases := []struct {
		name  string
		user  User
		asOf  time.Time
		kinds []InboxKind
		units []string
	}{
		{"planner of the unit sees the return and its note", User{Name: "hoa", Role: Planner, Units: []string{"916"}}, day(10), []InboxKind{InboxReturned}, []string{"916"}},
		{"planner of another unit sees nothing", User{Name: "lan", Role: Planner, Units: []string{"917"}}, day(10), nil, nil},
		{"head of the unit sees what awaits them", User{Name: "minh", Role: Approver, Units: []string{"917"}}, day(10), []InboxKind{InboxAwaiting}, []string{"917"}},
		{"head of another unit sees nothing", User{Name: "tuan", Role: Approver, Units: []string{"916"}}, day(10), nil, nil},
		{"nothing before it happened (as of an earlier day)", User{Name: "hoa", Role: Planner, Units: []string{"916"}}, day(2), nil, nil},
		{"a leader is asked nothing", User{Name: "an", Role: Leader}, day(10), nil, nil},
	}
	for _, c := range cases {
		items, err := inbox.Inbox(ctx, c.user, c.asOf)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []InboxKind
		var units []string
		for _, it := range items {
			kinds, units = append(kinds, it.Kind), append(units, it.Unit)
			if it.Kind == InboxReturned && it.Note != "thiếu số liệu tháng 6" {
				t.Errorf("%s: the returned item's note = %q", c.name, it.Note)
			}
			// Q2 2025 closes on 14 June (Decree 09); the item names that day.
			if want := time.Date(2025, 6, 14, 0, 0, 0, 0, Vietnam); !sameDay(it.Deadline, want) {
				t.Errorf("%s: deadline %v, want the cut-off of 14 June 2025", c.name, it.Deadline)
			}
		}
		if !slices.Equal(kinds, c.kinds) || !slices.Equal(units, c.units) {
			t.Errorf("%s: items %v of units %v, want %v of %v", c.name, kinds, units, c.kinds, c.units)
		}
	}
}

func sameDay(a, b time.Time) bool {
	a, b = a.In(Vietnam), b.In(Vietnam)
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}
