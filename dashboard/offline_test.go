package dashboard_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"chitieu/indicators"
)

// The intranet reaches nothing outside: no page — the dashboards, the
// login page, the users pages, the audit trail — may load or link anything
// by an absolute http(s) address, in either language.
func TestPagesReferToNoOutsideAddress(t *testing.T) {
	t.Parallel()
	ts, srv, _ := newServerDB(t)
	outside := regexp.MustCompile(`(?i)\b(src|href|action|srcset|poster|data)\s*=\s*["']?\s*(https?:)?//`)
	paths := pagePaths(t, srv)
	for _, want := range []string{"/", "/login", "/admin/users", "/admin/users/" + testUsers[indicators.Admin], "/audit", "/audit/1", "/audit/verify"} {
		if !slices.Contains(paths, want) {
			t.Errorf("the pages to check lack %s", want)
		}
	}
	for _, lang := range []string{"vi", "en"} {
		for _, path := range paths {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			_, body := visit(t, ts.URL, path+sep+"lang="+lang, 200)
			if !strings.Contains(body, `<html lang="`+lang+`">`) {
				t.Errorf("%s (%s) is not in its language", path, lang)
			}
			if m := outside.FindString(body); m != "" {
				t.Errorf("%s (%s) refers outside: %q", path, lang, m)
			}
			if strings.Contains(body, "@import") {
				t.Errorf("%s (%s) imports a stylesheet", path, lang)
			}
		}
	}
}

// The stylesheets and our own scripts load nothing from outside either
// (the vendored ECharts only names its licence and documentation).
func TestAssetsReferToNoOutsideAddress(t *testing.T) {
	t.Parallel()
	cssURL := regexp.MustCompile(`(?i)url\(\s*["']?\s*(https?:)?//|@import`)
	jsURL := regexp.MustCompile(`(?i)["'](https?:)?//[a-z0-9]`)
	err := filepath.WalkDir("static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(p, "vendor") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		switch filepath.Ext(p) {
		case ".css":
			if m := cssURL.Find(b); m != nil {
				t.Errorf("%s loads %q", p, m)
			}
		case ".js", ".svg":
			// An SVG names its XML namespace by URL; that loads nothing.
			b = []byte(strings.ReplaceAll(string(b), `xmlns="http://www.w3.org/2000/svg"`, ""))
			if m := jsURL.Find(b); m != nil {
				t.Errorf("%s names %q", p, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
