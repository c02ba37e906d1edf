package dashboard

import (
	"testing"
	"time"

	"chitieu/indicators"
)

func TestNumbersAndDatesPerLanguage(t *testing.T) {
	t.Parallel()
	x := 7.2345
	d := time.Date(2025, 12, 31, 23, 0, 0, 0, indicators.Vietnam)
	for _, tc := range []struct {
		name, got, want string
	}{
		{"vi number", formatNum("vi", 1234.5, 1), "1.234,5"},
		{"en number", formatNum("en", 1234.5, 1), "1,234.5"},
		{"vi negative", formatNum("vi", -1234567.891, 2), "-1.234.567,89"},
		{"vi percent", formatPct("vi", 7.23, 2), "7,23 %"},
		{"en percent", formatPct("en", 7.23, 2), "7.23%"},
		{"pointer", formatNum("vi", &x, 2), "7,23"},
		{"nil pointer", formatNum("vi", (*float64)(nil), 2), dash},
		{"trim", formatTrim("vi", 7.5, 2), "7,5"},
		{"int", formatNum("en", 3300000, 0), "3,300,000"},
		{"vi date", formatDate("vi", d), "31/12/2025"},
		{"en date", formatDate("en", d), "31 Dec 2025"},
		{"date in Vietnam", formatDate("vi", time.Date(2025, 6, 30, 18, 0, 0, 0, time.UTC)), "01/07/2025"},
		{"zero date", formatDate("vi", time.Time{}), ""},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}

func TestEveryMessageInBothLanguages(t *testing.T) {
	t.Parallel()
	m, err := loadMessages()
	if err != nil {
		t.Fatal(err)
	}
	if len(m["vi"]) < 20 || len(m["vi"]) != len(m["en"]) {
		t.Fatalf("catalogues hold %d (vi) and %d (en) messages, want the same number", len(m["vi"]), len(m["en"]))
	}
	for k, vi := range m["vi"] {
		if vi == "" || m["en"][k] == "" {
			t.Errorf("message %q is empty in a language: vi %q, en %q", k, vi, m["en"][k])
		}
	}
	for _, st := range indicators.Statuses {
		if !m.has("status." + string(st)) {
			t.Errorf("no message for status %s", st)
		}
	}
	if got := m.translate("vi", "no.such.key"); got != "⟦no.such.key⟧" {
		t.Errorf("unknown key shows as %q", got)
	}
}
