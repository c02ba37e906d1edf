package indicators

import (
	"slices"
	"testing"
	"time"
)

func TestEntryIndicatorsKeepToSharesFrequencyAndScope(t *testing.T) {
	t.Parallel()
	inds := []Indicator{
		{Code: "ECO-01", Frequency: Yearly, Group: 1},
		{Code: "ECO-02", Frequency: Quarterly, Group: 1},
		{Code: "SOC-01", Frequency: Monthly, Group: 2},
	}
	codes := func(is []Indicator) (out []string) {
		for _, i := range is {
			out = append(out, i.Code)
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		targets []Target
		p       Period
		a       Actor
		want    []string
	}{
		{"a year: every indicator", nil, YearPeriod(2024), Actor{Role: Admin}, []string{"ECO-01", "ECO-02", "SOC-01"}},
		{"a quarter: quarterly and monthly", nil, Period{Year: 2024, Kind: Quarter, N: 2}, Actor{Role: Admin}, []string{"ECO-02", "SOC-01"}},
		{"a month: monthly only", nil, Period{Year: 2024, Kind: Month, N: 7}, Actor{Role: Admin}, []string{"SOC-01"}},
		{"the unit's shares only", []Target{{Indicator: "SOC-01", Unit: "916"}, {Indicator: "ECO-02", Unit: "917"}},
			YearPeriod(2024), Actor{Role: Admin}, []string{"SOC-01"}},
		{"a planner of group 1", nil, YearPeriod(2024), Actor{Role: Planner, Groups: []int{1}}, []string{"ECO-01", "ECO-02"}},
		{"a planner of another unit", nil, YearPeriod(2024), Actor{Role: Planner, Units: []string{"917"}}, nil},
		{"a leader writes nothing", nil, YearPeriod(2024), Actor{Role: Leader}, nil},
	} {
		got := codes(EntryIndicators(inds, tc.targets, "916", tc.p, tc.a))
		if len(got) != len(tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
			}
		}
	}
}

func TestPreviousPeriod(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"2024": "2023", "2024-H1": "2023-H2", "2024-H2": "2024-H1", "2024-Q1": "2023-Q4", "2024-Q3": "2024-Q2",
		"2024-01": "2023-12", "2024-07": "2024-06", "2024-YTD09": "2023-YTD09",
	} {
		p, err := ParsePeriod(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := PreviousPeriod(p).String(); got != want {
			t.Errorf("PreviousPeriod(%s) = %s, want %s", in, got, want)
		}
	}
}

// Official beats estimate whatever the order of entry; of one type the
// newest wins; a value entered after asOf does not count.
func TestReportedAndPlannedValue(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	p := YearPeriod(2023)
	key := func(typ ValueType) Key { return Key{Indicator: "ECO-01", Unit: "916", Period: p, Type: typ} }
	vs := []Value{
		{ID: 1, Key: key(OfficialValue), Value: 7, EnteredAt: t0},
		{ID: 2, Key: key(EstimateValue), Value: 8, EnteredAt: t0.Add(time.Hour)},
		{ID: 3, Key: key(OfficialValue), Value: 7.2, EnteredAt: t0.Add(2 * time.Hour)},
		{ID: 4, Key: key(PlanValue), Value: 7.5, EnteredAt: t0},
		{ID: 5, Key: key(PlanValue), Value: 9, EnteredAt: t0.Add(48 * time.Hour)},
	}
	if v, ok := ReportedValue(vs, "916", p, t0.Add(3*time.Hour)); !ok || v.Value != 7.2 {
		t.Errorf("reported = %v %v, want the newer official 7,2", v.Value, ok)
	}
	if v, ok := ReportedValue(vs, "916", p, t0.Add(90*time.Minute)); !ok || v.Value != 7 {
		t.Errorf("reported before the second official = %v %v, want the official 7 over the newer estimate", v.Value, ok)
	}
	if v, ok := PlannedValue(vs, "916", p, t0.Add(3*time.Hour)); !ok || v.Value != 7.5 {
		t.Errorf("planned = %v %v, want 7,5 (9 is not known yet)", v.Value, ok)
	}
	if _, ok := ReportedValue(vs, "917", p, t0.Add(3*time.Hour)); ok {
		t.Errorf("a value of another unit was found")
	}
}

// In July 2025 the form offers 2025, both halves (the second began in
// July), Q1–Q3 and months January–July, but not Q4 or August; a period
// ends at the first moment of the next month in Vietnam.
func TestEntryPeriodsBegunAndOver(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 7, 10, 3, 0, 0, 0, Vietnam)
	offered := map[string]bool{}
	for _, p := range EntryPeriods(now) {
		offered[p.String()] = true
	}
	for code, want := range map[string]bool{"2025": true, "2025-H1": true, "2025-H2": true, "2025-Q3": true, "2025-Q4": false,
		"2025-07": true, "2025-08": false, "2022-12": true, "2021": false} {
		if offered[code] != want {
			t.Errorf("%s offered = %v, want %v", code, offered[code], want)
		}
	}
	for code, want := range map[string]bool{"2025-Q2": true, "2025-Q3": false, "2025-06": true, "2025-07": false, "2024": true, "2025": false} {
		p, _ := ParsePeriod(code)
		if got := PeriodOver(p, now); got != want {
			t.Errorf("PeriodOver(%s) = %v, want %v", code, got, want)
		}
	}
	if !PeriodOver(YearPeriod(2024), time.Date(2024, 12, 31, 17, 0, 0, 0, time.UTC)) {
		t.Errorf("2024 is not over at midnight of 1 January 2025 in Vietnam")
	}
}

func TestOwedIndicators(t *testing.T) {
	t.Parallel()
	q2 := Period{Year: 2025, Kind: Quarter, N: 2}
	obs := []Obligation{
		// Sở Tài chính reports the city's budget every quarter from 2025.
		{Plan: "p", Unit: "STC", Figures: "CT", Indicators: []string{"ECO-05", "ECO-06"}, Frequency: Quarterly, FromYear: 2025},
		// The city's statistics office reports GRDP yearly.
		{Plan: "p", Unit: "CT", Indicators: []string{"ECO-01", "ECO-05"}, Frequency: Yearly},
		// A commune's poverty rate every half, from 2026 only.
		{Plan: "p", Unit: "X1", Indicators: []string{"SOC-04"}, Frequency: HalfYear, FromYear: 2026},
	}
	cases := []struct {
		unit string
		p    Period
		want []string
	}{
		{"CT", q2, []string{"ECO-05", "ECO-06"}},               // the department's quarterly report is made of the city's figures
		{"STC", q2, []string{"ECO-05", "ECO-06"}},              // and the department itself may enter it
		{"CT", YearPeriod(2025), []string{"ECO-01", "ECO-05"}}, // the year: only the yearly obligation has it among its periods
		{"X1", Period{Year: 2025, Kind: Half, N: 1}, nil},      // owed from 2026 only
		{"X1", Period{Year: 2026, Kind: Half, N: 1}, []string{"SOC-04"}},
		{"X2", q2, nil}, // nothing asked of this unit
	}
	for _, c := range cases {
		if got := OwedIndicators(obs, c.unit, c.p); !slices.Equal(got, c.want) {
			t.Errorf("OwedIndicators(%s, %s) = %v, want %v", c.unit, c.p, got, c.want)
		}
	}
}
