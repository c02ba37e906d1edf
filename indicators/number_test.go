package indicators_test

import (
	"errors"
	"strings"
	"testing"

	"chitieu/indicators"
)

func TestParseNumber(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text    string
		loc     indicators.Locale
		want    float64
		present bool
		err     string // part of the error message; empty for none
	}{
		{"7,5", indicators.Vietnamese, 7.5, true, ""},
		{"-2,79", indicators.Vietnamese, -2.79, true, ""},
		{"−2,79", indicators.Vietnamese, -2.79, true, ""},
		{"1.234.567", indicators.Vietnamese, 1234567, true, ""},
		{"12,5%", indicators.Vietnamese, 12.5, true, ""},
		{"1.234,5", indicators.Vietnamese, 1234.5, true, ""},
		{"1.234", indicators.Vietnamese, 1234, true, ""},
		{"12,345", indicators.Vietnamese, 12.345, true, ""},
		{" 1\u00a0234\u00a0567 ", indicators.Vietnamese, 1234567, true, ""},
		{"+3", indicators.Vietnamese, 3, true, ""},
		{"0", indicators.Vietnamese, 0, true, ""},
		{"7.5", indicators.Vietnamese, 0, false, "kiểu Việt Nam"},
		{"1,234.5", indicators.Vietnamese, 0, false, "kiểu Việt Nam"},
		{"1.23", indicators.Vietnamese, 0, false, "kiểu Việt Nam"},
		{"7,5", indicators.English, 0, false, "kiểu tiếng Anh"},
		{"7.5", indicators.English, 7.5, true, ""},
		{"1,234,567.25", indicators.English, 1234567.25, true, ""},
		{"1.234", indicators.English, 1.234, true, ""},
		{"12.5%", indicators.English, 12.5, true, ""},
		{"1.234", indicators.AutoLocale, 0, false, "hai cách"},
		{"1,234", indicators.AutoLocale, 0, false, "hai cách"},
		{"1.234.567", indicators.AutoLocale, 1234567, true, ""},
		{"1,234,567", indicators.AutoLocale, 1234567, true, ""},
		{"1.234,5", indicators.AutoLocale, 1234.5, true, ""},
		{"1,234.5", indicators.AutoLocale, 1234.5, true, ""},
		{"7,5", indicators.AutoLocale, 7.5, true, ""},
		{"7.25", indicators.AutoLocale, 7.25, true, ""},
		{"1234", indicators.AutoLocale, 1234, true, ""},
		{"", indicators.Vietnamese, 0, false, ""},
		{"-", indicators.Vietnamese, 0, false, ""},
		{"x", indicators.Vietnamese, 0, false, ""},
		{"X", indicators.Vietnamese, 0, false, ""},
		{"…", indicators.Vietnamese, 0, false, ""},
		{"..", indicators.Vietnamese, 0, false, ""},
		{" \u200b ", indicators.Vietnamese, 0, false, ""},
		{"Đạt", indicators.Vietnamese, 0, false, "không phải là số"},
		{"12a", indicators.Vietnamese, 0, false, "không phải là số"},
		{"1e5", indicators.Vietnamese, 0, false, "không phải là số"},
	} {
		got, present, err := indicators.ParseNumber(tc.text, tc.loc)
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
	t.Parallel()
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
		lo, hi, ok, err := indicators.ParseRange(tc.text, indicators.Vietnamese)
		if err != nil || ok != tc.ok || (ok && (lo != tc.lo || hi != tc.hi)) {
			t.Errorf("ParseRange(%q) = %v, %v, %v, %v; want %v, %v, %v", tc.text, lo, hi, ok, err, tc.lo, tc.hi, tc.ok)
		}
	}
	if _, _, _, err := indicators.ParseRange("8 - 7,5", indicators.Vietnamese); err == nil {
		t.Error("ParseRange(8 - 7,5) gave no error for a range upside down")
	}
}

// TestParseNumberErrorIsBilingual: a number that cannot be read is an
// EINVALID domain error with the text quoted in both languages, so the
// caller only adds the cell or field.
func TestParseNumberErrorIsBilingual(t *testing.T) {
	t.Parallel()
	_, _, err := indicators.ParseNumber("1.234", indicators.AutoLocale)
	var de *indicators.Error
	if !errors.As(err, &de) {
		t.Fatalf("ParseNumber(1.234, auto) error = %v, want an *indicators.Error", err)
	}
	if de.Code != indicators.EINVALID || !strings.Contains(de.Message, "hai cách") || !strings.Contains(de.English, "two ways") ||
		!strings.Contains(de.English, "1.234") {
		t.Errorf("ParseNumber(1.234, auto) error = %+v, want EINVALID naming “1.234” in Vietnamese and English", de)
	}
	if _, err := indicators.ParseLocale("fr"); indicators.ErrorCode(err) != indicators.EINVALID || indicators.ErrorField(err) != "locale" {
		t.Errorf("ParseLocale(fr) error = %v, want EINVALID on the field locale", err)
	}
}
