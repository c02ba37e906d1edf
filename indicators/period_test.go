package indicators_test

import (
	"testing"

	"chitieu/indicators"
)

// Year-to-date periods have one code each, read back the same, and are
// shown as people write them; the spans with names of their own (three
// months, six, twelve) keep those names.
func TestYearToDatePeriods(t *testing.T) {
	for _, tc := range []struct {
		months    int
		code      string
		vi, en    string
		yearToDay bool
		through   int
	}{
		{9, "2025-YTD09", "9 tháng đầu năm 2025", "January–September 2025", true, 9},
		{11, "2025-YTD11", "11 tháng đầu năm 2025", "January–November 2025", true, 11},
		{2, "2025-YTD02", "2 tháng đầu năm 2025", "January–February 2025", true, 2},
		{6, "2025-H1", "6 tháng đầu năm 2025", "H1 2025", true, 6},
		{3, "2025-Q1", "Quý I/2025", "Q1 2025", true, 3},
		{12, "2025", "2025", "2025", false, 12},
	} {
		p := indicators.YearToDatePeriod(2025, tc.months)
		back, err := indicators.ParsePeriod(tc.code)
		if p.String() != tc.code || err != nil || back != p {
			t.Errorf("%d months = %s (read back %+v, %v); want %s", tc.months, p, back, err, tc.code)
		}
		if p.Label("vi") != tc.vi || p.Label("en") != tc.en || p.IsYearToDate() != tc.yearToDay || p.Through() != tc.through {
			t.Errorf("%s: %q / %q, year to date %v, through %d; want %q / %q, %v, %d", tc.code, p.Label("vi"), p.Label("en"),
				p.IsYearToDate(), p.Through(), tc.vi, tc.en, tc.yearToDay, tc.through)
		}
	}
	for _, bad := range []string{"2025-YTD03", "2025-YTD06", "2025-YTD12", "2025-YTD00", "2025-YTD9"} {
		if _, err := indicators.ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q) accepted a second code for a span that has one", bad)
		}
	}
	if got := indicators.YearToDatePeriod(2025, 9).SamePeriodBefore().String(); got != "2024-YTD09" {
		t.Errorf("same period of the year before = %s, want 2024-YTD09", got)
	}
	for code, want := range map[string]string{"2025-Q3": "Quý III/2025", "2025-07": "Tháng 7/2025", "2025-H2": "6 tháng cuối năm 2025"} {
		p, _ := indicators.ParsePeriod(code)
		if p.Label("vi") != want || p.IsYearToDate() {
			t.Errorf("%s = %q, year to date %v; want %q and not year to date", code, p.Label("vi"), p.IsYearToDate(), want)
		}
	}
}
