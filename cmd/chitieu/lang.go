package main

// The command line speaks the operator's language: Vietnamese, the
// interface's first language, unless CHITIEU_LANG=en. An environment
// variable rather than a flag on every command, because it is set once
// where the operator works (a shell profile, a systemd unit, a cron line)
// and then holds for every command — its help, usage lines, results and
// errors — while a flag could not translate the help of the very flag set
// it is parsed with. LANG is not followed: servers often have
// LANG=en_US.UTF-8 for Vietnamese operators. The commands that write
// something for others to read (status, catalog, report) keep their
// --lang; it defaults to CHITIEU_LANG, and when given it sets the language
// of that run's messages too.

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/postgres"
)

// langOf reads CHITIEU_LANG: "" or vi is Vietnamese, en English; a region
// or charset after the language ("en_US.UTF-8", "vi-VN") is ignored.
func langOf(v string) (string, error) {
	l := strings.ToLower(strings.TrimSpace(v))
	if i := strings.IndexAny(l, "_-.@"); i >= 0 {
		l = l[:i]
	}
	switch l {
	case "", "vi":
		return "vi", nil
	case "en":
		return "en", nil
	}
	return "", usagef("CHITIEU_LANG=%q không hợp lệ: dùng vi (tiếng Việt) hoặc en (tiếng Anh)",
		"CHITIEU_LANG=%q is not valid: use vi (Vietnamese) or en (English)", v)
}

// say returns the text in the operator's language.
func (a *app) say(vi, en string) string {
	if a.lang == "en" {
		return en
	}
	return vi
}

// sayf formats the format of the operator's language; both take the same
// arguments.
func (a *app) sayf(vi, en string, args ...any) string { return fmt.Sprintf(a.say(vi, en), args...) }

// printf writes a result line to standard output in the operator's
// language.
func (a *app) printf(vi, en string, args ...any) { fmt.Fprintf(a.stdout, a.say(vi, en), args...) }

// num writes a count as the operator reads it: 1.234.567 or 1,234,567.
func (a *app) num(n int64) string { return indicators.FormatNumber(float64(n), 0, a.lang) }

// stamp writes a moment in Vietnam's time: 31/12/2025 15:04 in
// Vietnamese, 2025-12-31 15:04 in English, whose readers may take
// 01/02 for 2 January.
func (a *app) stamp(t time.Time) string {
	return t.In(indicators.Vietnam).Format(a.say("02/01/2006 15:04", "2006-01-02 15:04"))
}

// setLang makes a command's --lang the language of its messages as well.
// The value is checked first, in the language in force.
func (a *app) setLang(lang string) error {
	if lang != "vi" && lang != "en" {
		return usagef("--lang phải là vi hoặc en", "--lang must be vi or en")
	}
	a.lang = lang
	return nil
}

// langFlag adds --lang, the language of what the command writes, by
// default the operator's.
func (a *app) langFlag(fs *flag.FlagSet) *string {
	return fs.String("lang", a.lang, a.say("ngôn ngữ: vi hoặc en (mặc định theo CHITIEU_LANG)",
		"language: vi or en (by default CHITIEU_LANG's)"))
}

// flagError turns an error of the flag package, which speaks English, into
// a usage error in both languages.
func flagError(err error) error {
	msg := err.Error()
	vi := msg
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		vi = "không có tham số " + strings.TrimPrefix(msg, "flag provided but not defined: ")
	case strings.HasPrefix(msg, "flag needs an argument: "):
		vi = "tham số " + strings.TrimPrefix(msg, "flag needs an argument: ") + " cần một giá trị"
	case strings.HasPrefix(msg, "invalid value ") || strings.HasPrefix(msg, "invalid boolean value "):
		// invalid value "x" for flag -percent: parse error
		rest := strings.TrimPrefix(strings.TrimPrefix(msg, "invalid boolean value "), "invalid value ")
		if value, after, ok := strings.Cut(rest, " for flag "); ok {
			name, why, _ := strings.Cut(after, ": ")
			vi = fmt.Sprintf("giá trị %s của %s không hợp lệ", value, name)
			if why != "" {
				vi += " (" + why + ")"
			}
		}
	case strings.HasPrefix(msg, "bad flag syntax: "):
		vi = "tham số viết sai: " + strings.TrimPrefix(msg, "bad flag syntax: ")
	}
	return usageError{vi, msg}
}

// printDefaults lists a flag set's options as flag.PrintDefaults does, in
// the operator's language; a default that is a connection URL has its
// password hidden.
func (a *app) printDefaults(w io.Writer, fs *flag.FlagSet) {
	kinds := map[string][2]string{"string": {"CHUỖI", "string"}, "int": {"SỐ", "int"}, "float": {"SỐ", "number"},
		"duration": {"THỜIGIAN", "duration"}, "value": {"GIÁTRỊ", "value"}}
	fs.VisitAll(func(f *flag.Flag) {
		kind, usage := flag.UnquoteUsage(f)
		line := "  -" + f.Name
		if k, ok := kinds[kind]; ok {
			line += " " + a.say(k[0], k[1])
		} else if kind != "" {
			line += " " + kind
		}
		line += "\n    \t" + strings.ReplaceAll(usage, "\n", "\n    \t")
		if def := f.DefValue; def != "" && def != "false" && def != "0" {
			if kind == "string" {
				def = fmt.Sprintf("%q", postgres.Redact(def))
			}
			line += a.sayf(" (mặc định %s)", " (default %s)", def)
		}
		fmt.Fprintln(w, line)
	})
}

// stampSeconds is stamp to the second, for the audit trail's moments.
func (a *app) stampSeconds(t time.Time) string {
	return t.In(indicators.Vietnam).Format(a.say("02/01/2006 15:04:05", "2006-01-02 15:04:05"))
}
