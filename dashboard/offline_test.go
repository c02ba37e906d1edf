package dashboard_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The intranet reaches nothing outside: no page may load or link anything
// by an absolute http(s) address, in either language.
func TestPagesReferToNoOutsideAddress(t *testing.T) {
	ts, srv := newServer2(t)
	outside := regexp.MustCompile(`(?i)\b(src|href|action|srcset|poster|data)\s*=\s*["']?\s*(https?:)?//`)
	for _, lang := range []string{"vi", "en"} {
		for _, path := range pagePaths(t, srv) {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			_, body := get(t, nil, ts.URL+path+sep+"lang="+lang, 200)
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
