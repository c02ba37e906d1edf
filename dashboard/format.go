package dashboard

import (
	"bytes"
	"encoding/json"
	"html/template"
	"math"
	"time"

	"chitieu/indicators"
)

// Numbers and dates as each language writes them: 1.234,5 and 7,23 % and
// 31/12/2025 in Vietnamese; 1,234.5 and 7.23% and 31 Dec 2025 in English.
// The template functions accept float64, *float64 and int, and show a dash
// for a missing figure.

const dash = "–"

// number turns what a template hands over into a float; ok is false for a
// nil pointer or a value that is not a number.
func number(v any) (x float64, ok bool) {
	switch n := v.(type) {
	case float64:
		x = n
	case *float64:
		if n == nil {
			return 0, false
		}
		x = *n
	case int:
		x = float64(n)
	case int64:
		x = float64(n)
	default:
		return 0, false
	}
	return x, !math.IsNaN(x) && !math.IsInf(x, 0)
}

// formatNum writes v with exactly decimals decimals.
func formatNum(lang string, v any, decimals int) string {
	x, ok := number(v)
	if !ok {
		return dash
	}
	return indicators.FormatNumber(x, decimals, lang)
}

// formatTrim writes v with at most max decimals, trailing zeros dropped.
func formatTrim(lang string, v any, max int) string {
	x, ok := number(v)
	if !ok {
		return dash
	}
	return indicators.FormatTrim(x, max, lang)
}

// formatPct writes a percentage: "7,23 %" in Vietnamese, "7.23%" in English.
func formatPct(lang string, v any, decimals int) string {
	x, ok := number(v)
	if !ok {
		return dash
	}
	s := indicators.FormatNumber(x, decimals, lang)
	if lang == "en" {
		return s + "%"
	}
	return s + " %"
}

// formatDate writes a day: dd/mm/yyyy in Vietnamese, "2 Jan 2006" in
// English; a zero time is empty.
func formatDate(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(indicators.Vietnam)
	if lang == "en" {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02/01/2006")
}

// formatDateTime writes a moment to the minute, in Vietnam's time.
func formatDateTime(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(indicators.Vietnam)
	if lang == "en" {
		return t.Format("2 Jan 2006 15:04")
	}
	return t.Format("02/01/2006 15:04")
}

// formatMoment writes a moment to the second, in Vietnam's time: the
// audit trail's moments, whose order matters.
func formatMoment(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(indicators.Vietnam)
	if lang == "en" {
		return t.Format("2 Jan 2006 15:04:05")
	}
	return t.Format("02/01/2006 15:04:05")
}

// formatUTC writes a moment in UTC, as the audit trail records it; a zero
// time is a dash.
func formatUTC(t time.Time) string {
	if t.IsZero() {
		return dash
	}
	return t.UTC().Format("2006-01-02 15:04:05") + " UTC"
}

// prettyJSON indents a JSON document for reading; other text stays as it
// is.
func prettyJSON(s string) string {
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(s), "", "  "); err != nil {
		return s
	}
	return b.String()
}

// pick returns the English text when lang is English and it is not empty,
// else the Vietnamese: names in the data have both, English sometimes
// missing.
func pick(lang, vi, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return vi
}

// roleName is a role as people read it, in lang.
func (m messages) roleName(lang string, r indicators.Role) string {
	if !m.has("role." + string(r)) {
		return string(r)
	}
	return m.translate(lang, "role."+string(r))
}

// templateFuncs returns the template functions bound to one language; each
// page is parsed once per language with its own set. They depend on
// nothing but the messages and the assets, so that the embedded pages can
// be parsed once for every server of the process.
func templateFuncs(msgs messages, assets *assetSet, lang string) template.FuncMap {
	return template.FuncMap{
		"t":          func(key string, args ...any) string { return msgs.translate(lang, key, args...) },
		"lang":       func() string { return lang },
		"num":        func(v any, decimals int) string { return formatNum(lang, v, decimals) },
		"numt":       func(v any, max int) string { return formatTrim(lang, v, max) },
		"pct":        func(v any, decimals int) string { return formatPct(lang, v, decimals) },
		"date":       func(t time.Time) string { return formatDate(lang, t) },
		"datetime":   func(t time.Time) string { return formatDateTime(lang, t) },
		"moment":     func(t time.Time) string { return formatMoment(lang, t) },
		"utc":        formatUTC,
		"action":     func(a string) string { return indicators.ActionLabel(a, lang) },
		"actionKind": func(k string) string { return indicators.ActionKindLabel(k, lang) },
		"iso":        func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"pretty":     prettyJSON,
		"pick":       func(vi, en string) string { return pick(lang, vi, en) },
		"asset":      assets.url,
		"add":        func(a, b int) int { return a + b },
		"status":     func(st indicators.Status) string { return msgs.translate(lang, "status."+string(st)) },
		"role":       func(r indicators.Role) string { return msgs.roleName(lang, r) },
		"has":        func(v any) bool { _, ok := number(v); return ok },
	}
}
