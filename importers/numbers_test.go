package importers_test

import (
	"strings"
	"testing"

	"chitieu/importers"
)

func TestParseNumber(t *testing.T) {
	for _, tc := range []struct {
		text    string
		loc     importers.Locale
		want    float64
		present bool
		err     string // part of the error message; empty for none
	}{
		{"7,5", importers.Vietnamese, 7.5, true, ""},
		{"-2,79", importers.Vietnamese, -2.79, true, ""},
		{"−2,79", importers.Vietnamese, -2.79, true, ""},
		{"1.234.567", importers.Vietnamese, 1234567, true, ""},
		{"12,5%", importers.Vietnamese, 12.5, true, ""},
		{"1.234,5", importers.Vietnamese, 1234.5, true, ""},
		{"1.234", importers.Vietnamese, 1234, true, ""},
		{"12,345", importers.Vietnamese, 12.345, true, ""},
		{" 1\u00a0234\u00a0567 ", importers.Vietnamese, 1234567, true, ""},
		{"+3", importers.Vietnamese, 3, true, ""},
		{"0", importers.Vietnamese, 0, true, ""},
		{"7.5", importers.Vietnamese, 0, false, "kiểu Việt Nam"},
		{"1,234.5", importers.Vietnamese, 0, false, "kiểu Việt Nam"},
		{"1.23", importers.Vietnamese, 0, false, "kiểu Việt Nam"},
		{"7,5", importers.English, 0, false, "kiểu tiếng Anh"},
		{"7.5", importers.English, 7.5, true, ""},
		{"1,234,567.25", importers.English, 1234567.25, true, ""},
		{"1.234", importers.English, 1.234, true, ""},
		{"12.5%", importers.English, 12.5, true, ""},
		{"1.234", importers.AutoLocale, 0, false, "hai cách"},
		{"1,234", importers.AutoLocale, 0, false, "hai cách"},
		{"1.234.567", importers.AutoLocale, 1234567, true, ""},
		{"1,234,567", importers.AutoLocale, 1234567, true, ""},
		{"1.234,5", importers.AutoLocale, 1234.5, true, ""},
		{"1,234.5", importers.AutoLocale, 1234.5, true, ""},
		{"7,5", importers.AutoLocale, 7.5, true, ""},
		{"7.25", importers.AutoLocale, 7.25, true, ""},
		{"1234", importers.AutoLocale, 1234, true, ""},
		{"", importers.Vietnamese, 0, false, ""},
		{"-", importers.Vietnamese, 0, false, ""},
		{"x", importers.Vietnamese, 0, false, ""},
		{"X", importers.Vietnamese, 0, false, ""},
		{"…", importers.Vietnamese, 0, false, ""},
		{"..", importers.Vietnamese, 0, false, ""},
		{" \u200b ", importers.Vietnamese, 0, false, ""},
		{"Đạt", importers.Vietnamese, 0, false, "không phải là số"},
		{"12a", importers.Vietnamese, 0, false, "không phải là số"},
		{"1e5", importers.Vietnamese, 0, false, "không phải là số"},
	} {
		got, present, err := importers.ParseNumber(tc.text, tc.loc)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("ParseNumber(%q, %s) error = %v, want one saying %q", tc.text, tc.loc, err, tc.err)
		case tc.err == "" && err != nil:
			t.Errorf("ParseNumber(%q, %s) error = %v, want none", tc.text, tc.loc, err)
		case tc.err == "" && (got != tc.want || present != tc.present):
			t.Errorf("ParseNumber(%q, %s) = %v, %v; want %v, %v", tc.text, tc.loc, got, present, tc.want, tc.present)
		}
	}
}

func TestParseRange(t *testing.T) {
	for _, tc := range []struct {
		text   string
		lo, hi float64
		ok     bool
	}{
		{"7,5 - 8", 7.5, 8, true},
		{"7,5–8%", 7.5, 8, true},
		{"10 — 12,5", 10, 12.5, true},
		{"-2,5", 0, 0, false},
		{"145 - 160", 145, 160, true},
		{"8", 0, 0, false},
	} {
		lo, hi, ok, err := importers.ParseRange(tc.text, importers.Vietnamese)
		if err != nil || ok != tc.ok || (ok && (lo != tc.lo || hi != tc.hi)) {
			t.Errorf("ParseRange(%q) = %v, %v, %v, %v; want %v, %v, %v", tc.text, lo, hi, ok, err, tc.lo, tc.hi, tc.ok)
		}
	}
	if _, _, _, err := importers.ParseRange("8 - 7,5", importers.Vietnamese); err == nil {
		t.Error("ParseRange(8 - 7,5) gave no error for a range upside down")
	}
}

func TestCleanTextAndMatchKey(t *testing.T) {
	decomposed := "Tỷ le\u0323\u0302" // ệ as e + dot below + circumflex
	for _, tc := range []struct{ in, want string }{
		{"  Tốc độ\u00a0tăng  trưởng\tGRDP \u200b", "Tốc độ tăng trưởng GRDP"},
		{decomposed, "Tỷ lệ"},
		{"Số\u2007bác\u202fsĩ", "Số bác sĩ"},
		{"plain text", "plain text"},
	} {
		if got := importers.CleanText(tc.in); got != tc.want {
			t.Errorf("CleanText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	same := [][2]string{
		{"Số bác sĩ/vạn dân", "so bac si  van dan"},
		{"TỐC ĐỘ TĂNG TRƯỞNG GRDP", "Tốc độ tăng trưởng GRDP\u00a0"},
		{decomposed, "Tỷ lệ"},
		{"Đường", "duong"},
	}
	for _, p := range same {
		if importers.MatchKey(p[0]) != importers.MatchKey(p[1]) {
			t.Errorf("MatchKey(%q) = %q and MatchKey(%q) = %q, want equal", p[0], importers.MatchKey(p[0]), p[1], importers.MatchKey(p[1]))
		}
	}
	if importers.MatchKey("Tỷ lệ hộ nghèo") == importers.MatchKey("Tỷ lệ hộ nghèo (chuẩn mới)") {
		t.Error("MatchKey folds away words, not just marks")
	}
}
