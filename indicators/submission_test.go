package indicators

import (
	"testing"
	"time"
)

// The cut-off of a period is the end of the 14th of its last month in
// Vietnam (Decree 09/2019/NĐ-CP Art. 12): a year's on 14 December, the
// first half's on 14 June, the third quarter's on 14 September, July's on
// 14 July, January–September's on 14 September.
func TestCutOffFollowsDecree09(t *testing.T) {
	for _, tc := range []struct {
		period string
		want   string // the day whose end is the cut-off
	}{
		{"2024", "2024-12-14"},
		{"2025-H1", "2025-06-14"},
		{"2025-H2", "2025-12-14"},
		{"2025-Q3", "2025-09-14"},
		{"2025-07", "2025-07-14"},
		{"2025-YTD09", "2025-09-14"},
	} {
		p, err := ParsePeriod(tc.period)
		if err != nil {
			t.Fatal(err)
		}
		d, _ := ParseDate("d", tc.want)
		if got := CutOff(p); !got.Equal(EndOfDay(d)) {
			t.Errorf("CutOff(%s) = %v, want the end of %s in Vietnam", tc.period, got, tc.want)
		}
	}
	// 23:59 on 14 December 2024 in Vietnam is 16:59 UTC: not locked yet;
	// 17:00 UTC is already the 15th there.
	s := Submission{SubmissionKey: SubmissionKey{Period: YearPeriod(2024)}, State: Approved}
	if s.Locked(time.Date(2024, 12, 14, 16, 59, 0, 0, time.UTC)) || !s.Locked(time.Date(2024, 12, 14, 17, 0, 0, 0, time.UTC)) {
		t.Error("the lock does not start at the end of 14 December in Vietnam")
	}
	s.UnlockedAt = time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	if s.Locked(time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("an unlocked period is still locked")
	}
	s.UnlockedAt, s.State = time.Time{}, Submitted
	if s.Locked(time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("a period only submitted is locked")
	}
}

// Who may make each transition, by role and unit.
func TestWhoMaySubmitAndApprove(t *testing.T) {
	for _, tc := range []struct {
		a               Actor
		submit, approve bool
	}{
		{Actor{User: "hoa", Role: Planner, Units: []string{"916"}}, true, false},
		{Actor{User: "hoa", Role: Planner}, true, false}, // a planner of every unit
		{Actor{User: "minh", Role: Planner, Units: []string{"917"}}, false, false},
		{Actor{User: "tam", Role: Approver, Units: []string{"916"}}, false, true},
		{Actor{User: "vu", Role: Approver, Units: []string{"917"}}, false, false},
		{Actor{User: "root", Role: Admin}, false, false},
		{Actor{User: "lan", Role: Leader}, false, false},
		{Actor{User: "kt", Role: Auditor}, false, false},
	} {
		if got := tc.a.MaySubmit("916"); got != tc.submit {
			t.Errorf("%+v.MaySubmit(916) = %v", tc.a, got)
		}
		if got := tc.a.MayApprove("916"); got != tc.approve {
			t.Errorf("%+v.MayApprove(916) = %v", tc.a, got)
		}
	}
}
