package indicators

import "testing"

func TestPeriodLabel(t *testing.T) {
	for _, tc := range []struct{ code, vi, en string }{
		{"2025", "2025", "2025"},
		{"2025-Q1", "Quý I/2025", "Q1 2025"},
		{"2024-Q4", "Quý IV/2024", "Q4 2024"},
		{"2025-H1", "6 tháng đầu năm 2025", "H1 2025"},
		{"2022-H2", "6 tháng cuối năm 2022", "H2 2022"},
		{"2026-01", "Tháng 1/2026", "January 2026"},
		{"2024-12", "Tháng 12/2024", "December 2024"},
	} {
		p, err := ParsePeriod(tc.code)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Label("vi"); got != tc.vi {
			t.Errorf("%s in Vietnamese = %q, want %q", tc.code, got, tc.vi)
		}
		if got := p.Label("en"); got != tc.en {
			t.Errorf("%s in English = %q, want %q", tc.code, got, tc.en)
		}
	}
}
