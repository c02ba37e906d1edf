package indicators

import (
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, Vietnam) }

// TestCutoffWindows shows the Decree 09/2019 Art. 12 windows and the
// deadlines they give, and what an edited rule changes.
func TestCutoffWindows(t *testing.T) {
	t.Parallel()
	calendar := CutoffRule{Frequency: Monthly, CutoffDay: 0, DeadlineDays: 5}
	cases := []struct {
		name               string
		rule               CutoffRule
		period             Period
		from, to, deadline time.Time
	}{
		// Month: 15th of the month before to the 14th; due the 14th.
		{"July", DefaultCutoff(Monthly), Period{2025, Month, 7}, day(2025, 6, 15), day(2025, 7, 14), day(2025, 7, 14)},
		// January's window opens in December of the year before.
		{"January", DefaultCutoff(Monthly), Period{2025, Month, 1}, day(2024, 12, 15), day(2025, 1, 14), day(2025, 1, 14)},
		// Quarter: 15th of the month before it to the 14th of its last month.
		{"Q1", DefaultCutoff(Quarterly), Period{2025, Quarter, 1}, day(2024, 12, 15), day(2025, 3, 14), day(2025, 3, 14)},
		{"Q3", DefaultCutoff(Quarterly), Period{2025, Quarter, 3}, day(2025, 6, 15), day(2025, 9, 14), day(2025, 9, 14)},
		// Six months: 15 December to 14 June; the second half follows on.
		{"H1", DefaultCutoff(HalfYear), Period{2025, Half, 1}, day(2024, 12, 15), day(2025, 6, 14), day(2025, 6, 14)},
		{"H2", DefaultCutoff(HalfYear), Period{2025, Half, 2}, day(2025, 6, 15), day(2025, 12, 14), day(2025, 12, 14)},
		// Year: 15 December of the year before to 14 December.
		{"year", DefaultCutoff(Yearly), YearPeriod(2025), day(2024, 12, 15), day(2025, 12, 14), day(2025, 12, 14)},
		// A plan that gives ten days to send the yearly report: 14 + 10 = 24 December.
		{"year +10 days", CutoffRule{Frequency: Yearly, CutoffDay: 14, DeadlineDays: 10}, YearPeriod(2025),
			day(2024, 12, 15), day(2025, 12, 14), day(2025, 12, 24)},
		// Calendar months (cut-off 0 = last day): February 2024 is a leap month,
		// 1–29 February, due 29 + 5 = 5 March.
		{"calendar February", calendar, Period{2024, Month, 2}, day(2024, 2, 1), day(2024, 2, 29), day(2024, 3, 5)},
		// A deadline past the year's end: December 31 + 5 = 5 January.
		{"calendar December", calendar, Period{2024, Month, 12}, day(2024, 12, 1), day(2024, 12, 31), day(2025, 1, 5)},
	}
	for _, c := range cases {
		w := c.rule.Window(c.period)
		if !w.From.Equal(c.from) || !w.To.Equal(c.to) || !w.Deadline.Equal(c.deadline) {
			t.Errorf("%s: got %s–%s due %s, want %s–%s due %s", c.name,
				w.From.Format(DateLayout), w.To.Format(DateLayout), w.Deadline.Format(DateLayout),
				c.from.Format(DateLayout), c.to.Format(DateLayout), c.deadline.Format(DateLayout))
		}
	}
}

// TestCutoffWindowsTile checks that each month's window opens the day
// after the one before closes, for the default and a calendar rule.
func TestCutoffWindowsTile(t *testing.T) {
	t.Parallel()
	for _, r := range []CutoffRule{DefaultCutoff(Monthly), {Frequency: Monthly, CutoffDay: 0}, {Frequency: Monthly, CutoffDay: 28}} {
		prev := r.Window(Period{2024, Month, 12})
		for _, p := range PeriodsOf(Monthly, 2025) {
			w := r.Window(p)
			if !w.From.Equal(prev.To.AddDate(0, 0, 1)) {
				t.Errorf("cut-off %d, %s: opens %s, the window before closed %s", r.CutoffDay, p,
					w.From.Format(DateLayout), prev.To.Format(DateLayout))
			}
			prev = w
		}
	}
}

func TestCutoffRuleValidate(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		rule  CutoffRule
		field string
	}{
		{CutoffRule{Frequency: Monthly, CutoffDay: 14}, ""},
		{CutoffRule{Frequency: Monthly, CutoffDay: 0, DeadlineDays: 90}, ""},
		{CutoffRule{Frequency: Monthly, CutoffDay: 29}, "cutoff_day"},
		{CutoffRule{Frequency: Monthly, CutoffDay: -1}, "cutoff_day"},
		{CutoffRule{Frequency: Monthly, DeadlineDays: 91}, "deadline_days"},
		{CutoffRule{Frequency: "week"}, "frequency"},
	} {
		err := c.rule.Validate()
		got := ""
		if e, ok := err.(*Error); ok {
			got = e.Field
		} else if err != nil {
			got = err.Error()
		}
		if got != c.field {
			t.Errorf("%+v: error on %q, want %q", c.rule, got, c.field)
		}
	}
}

func TestScheduleRule(t *testing.T) {
	t.Parallel()
	s := Schedule{Plan: "p", Rules: []CutoffRule{{Frequency: Quarterly, CutoffDay: 0, DeadlineDays: 20}}}
	if got := s.Rule(Quarterly); got.CutoffDay != 0 || got.DeadlineDays != 20 {
		t.Errorf("changed rule: got %+v", got)
	}
	if got := s.Rule(Monthly); got != DefaultCutoff(Monthly) {
		t.Errorf("unchanged rule: got %+v, want the default", got)
	}
}

// TestExpect judges the monthly reports of three communes for 2025 at
// 20 March 2025 (deadlines: January 14 Jan, February 14 Feb, March 14
// March, April 14 April).
func TestExpect(t *testing.T) {
	t.Parallel()
	at := func(m time.Month, d, h int) time.Time { return time.Date(2025, m, d, h, 0, 0, 0, Vietnam) }
	obs := []Obligation{
		{Plan: "p", Unit: "A", Indicators: []string{"ECO-01", "ECO-02"}, Frequency: Monthly},
		{Plan: "p", Unit: "B", Indicators: []string{"ECO-01", "ECO-02"}, Frequency: Monthly},
		{Plan: "p", Unit: "C", Indicators: []string{"ECO-01"}, Frequency: Monthly},
	}
	m := func(n int) Period { return Period{2025, Month, n} }
	received := map[ReceivedKey]time.Time{
		// A: January both on 10 Jan (on time); February ECO-01 on 14 Feb 23:00
		// and ECO-02 on 15 Feb (the later one decides: late); March on time.
		{"ECO-01", "A", m(1)}: at(1, 10, 9), {"ECO-02", "A", m(1)}: at(1, 10, 9),
		{"ECO-01", "A", m(2)}: at(2, 14, 23), {"ECO-02", "A", m(2)}: at(2, 15, 8),
		{"ECO-01", "A", m(3)}: at(3, 1, 8), {"ECO-02", "A", m(3)}: at(3, 2, 8),
		// B: January only half (missing); nothing after.
		{"ECO-01", "B", m(1)}: at(1, 5, 8),
		// C: January on time; April sent early (pending months stay out of the rate).
		{"ECO-01", "C", m(1)}: at(1, 14, 23), {"ECO-01", "C", m(4)}: at(3, 18, 8),
		// A figure committed after the as-of moment is not known yet.
		{"ECO-01", "C", m(2)}: at(3, 25, 8),
	}
	asOf := EndOfDay(day(2025, 3, 20))
	es := Expect(obs, nil, 2025, received, asOf)
	if len(es) != 36 {
		t.Fatalf("got %d expectations, want 3 units × 12 months = 36", len(es))
	}
	state := map[string]ReportState{}
	for _, e := range es {
		state[e.Obligation.Unit+"/"+e.Window.Period.String()] = e.State
	}
	for key, want := range map[string]ReportState{
		"A/2025-01": ReportOnTime, "A/2025-02": ReportLate, "A/2025-03": ReportOnTime, "A/2025-04": ReportPending,
		"B/2025-01": ReportMissing, "B/2025-02": ReportMissing, "B/2025-03": ReportMissing,
		"C/2025-01": ReportOnTime, "C/2025-02": ReportMissing, "C/2025-03": ReportMissing,
		// Received early, before its deadline: on time already.
		"C/2025-04": ReportOnTime,
	} {
		if state[key] != want {
			t.Errorf("%s: got %s, want %s", key, state[key], want)
		}
	}
	// Due at 20 March: January, February and March for each unit.
	// A: 2 on time + 1 late; B: 3 missing; C: 1 on time + 2 missing;
	// total 9 expected = 3 on time + 1 late + 5 missing.
	want := []ReportingRate{
		{Unit: "A", Expected: 3, OnTime: 2, Late: 1},
		{Unit: "B", Expected: 3, Missing: 3},
		{Unit: "C", Expected: 3, OnTime: 1, Missing: 2},
		{Expected: 9, OnTime: 3, Late: 1, Missing: 5},
	}
	got := RatesByUnit(es, asOf)
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	// 3 on time of 9 expected = 33.3 %.
	if p := got[3].Percent(); p < 33.33 || p > 33.34 {
		t.Errorf("total rate %.2f %%, want 33.33", p)
	}

	// What C owes at 10 April with a week ahead: February came late on
	// 25 March (known by now), so only March is overdue; April was
	// received early, so it is not owed — May would be, due 14 May, outside.
	asOf = EndOfDay(day(2025, 4, 10))
	overdue, soon := Owed(Expect(obs[2:], nil, 2025, received, asOf), asOf, 7)
	if len(overdue) != 1 || overdue[0].Window.Period != m(3) {
		t.Errorf("overdue: got %v, want March", periodsOfExp(overdue))
	}
	if len(soon) != 0 {
		t.Errorf("soon: got %v, want none", periodsOfExp(soon))
	}
	// B at 10 April owes April, due 14 April, within the week.
	_, soon = Owed(Expect(obs[1:2], nil, 2025, received, asOf), asOf, 7)
	if len(soon) != 1 || soon[0].Window.Period != m(4) {
		t.Errorf("B soon: got %v, want April", periodsOfExp(soon))
	}
}

// TestExpectFromYear leaves out the years before an obligation began.
func TestExpectFromYear(t *testing.T) {
	t.Parallel()
	o := Obligation{Plan: "p", Unit: "A", Indicators: []string{"ECO-01"}, Frequency: Quarterly, FromYear: 2025}
	asOf := EndOfDay(day(2025, 4, 20))
	if es := Expect([]Obligation{o}, nil, 2024, nil, asOf); len(es) != 0 {
		t.Errorf("2024: got %d reports, want none before 2025", len(es))
	}
	// 2025: four quarters, Q1 (due 14 March) missing, the others pending.
	es := Expect([]Obligation{o}, nil, 2025, nil, asOf)
	if len(es) != 4 || es[0].State != ReportMissing || es[1].State != ReportPending {
		t.Errorf("2025: got %+v", es)
	}
}

func periodsOfExp(es []Expectation) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Window.Period.String())
	}
	return out
}
