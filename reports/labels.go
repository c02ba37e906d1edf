package reports

import (
	"fmt"
	"strings"
	"time"

	"chitieu/indicators"
)

// lang is the language of a report's labels: Vietnamese first, English second.
type lang string

const (
	langVI lang = "vi"
	langEN lang = "en"
)

// parseLang reads a language; "" means Vietnamese.
func parseLang(s string) (lang, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "vi":
		return langVI, nil
	case "en":
		return langEN, nil
	}
	return "", indicators.FieldError(indicators.EINVALID, "lang",
		fmt.Sprintf("ngôn ngữ %q không hợp lệ (vi hoặc en)", s),
		fmt.Sprintf("language %q is not valid (vi or en)", s))
}

func (l lang) pick(vi, en string) string {
	if l == langEN {
		return en
	}
	return vi
}

// date writes a day the way the language does: 15/02/2026 or 15 Feb 2026.
func (l lang) date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(indicators.Vietnam).Format(l.pick("02/01/2006", "2 Jan 2006"))
}

// moment writes a moment to the second, in Vietnam's time.
func (l lang) moment(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(indicators.Vietnam).Format(l.pick("15:04:05 ngày 02/01/2006 (giờ Việt Nam)", "15:04:05 on 2 Jan 2006 (Vietnam time)"))
}

func (l lang) number(x float64, decimals int) string {
	return indicators.FormatTrim(x, decimals, string(l))
}

// span writes a year range with an en dash: 2021–2025.
func span(r indicators.YearRange) string { return fmt.Sprintf("%d–%d", r.From, r.To) }

// roman writes n (1–3999) in Roman numerals, as Vietnamese reports number
// their sections.
func roman(n int) string {
	if n <= 0 || n >= 4000 {
		return ""
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}

// numFmt is an Excel number format with the given decimals and an optional
// suffix shown after the number. Vietnamese reports carry the Vietnamese
// locale tag, which LibreOffice follows for the separators (1.234,5);
// Excel follows the reader's system settings.
func numFmt(l lang, decimals int, suffix string) string {
	f := "#,##0"
	if decimals > 0 {
		f += "." + strings.Repeat("0", min(decimals, 6))
	}
	if suffix != "" {
		f += `"` + strings.ReplaceAll(suffix, `"`, "") + `"`
	}
	if l == langVI {
		f = "[$-42A]" + f
	}
	return f
}

// dateTimeFmt shows a date-time serial.
const dateTimeFmt = "dd/mm/yyyy hh:mm:ss"

// statusFill is the background of a status, from green to red; grey when
// there is no data.
var statusFill = map[indicators.Status]string{
	indicators.Achieved:   "A9D08E",
	indicators.OnTrack:    "C6EFCE",
	indicators.AtRisk:     "FFEB9C",
	indicators.OffTrack:   "F8CBAD",
	indicators.Regressing: "FF7C80",
	indicators.NoData:     "E7E6E6",
}

// scopeLabel and kindLabel are the domain's vocabulary in the report's
// language.
func scopeLabel(l lang, s indicators.Scope) string { return s.Label(string(l)) }

func kindLabel(l lang, k indicators.Kind) string { return k.Label(string(l)) }

func pickName(l lang, vi, en string) string {
	if l == langEN && en != "" {
		return en
	}
	return vi
}
