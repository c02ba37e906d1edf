package dashboard

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every text key the pages and handlers use exists, in Vietnamese and in
// English, and every entry is used somewhere.
func TestAuthTextComplete(t *testing.T) {
	for k, v := range authText {
		if strings.TrimSpace(v[0]) == "" || strings.TrimSpace(v[1]) == "" {
			t.Errorf("text %q lacks its Vietnamese or English", k)
		}
	}
	keyInTemplate := regexp.MustCompile(`\.T "([a-z_.]+)"`)
	keyInGo := regexp.MustCompile(`"((?:nav|login|role|users|user|audit|verify)\.[a-z_]+)"`)
	used := map[string]bool{}
	files, _ := filepath.Glob("templates/auth_*.html")
	gofiles, _ := filepath.Glob("*.go")
	for _, f := range append(files, gofiles...) {
		if strings.HasSuffix(f, "_test.go") || f == "auth_text.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		re := keyInGo
		if strings.HasSuffix(f, ".html") {
			re = keyInTemplate
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
			if _, ok := authText[m[1]]; !ok {
				t.Errorf("%s uses text %q, which authText lacks", f, m[1])
			}
		}
	}
	for k := range authText {
		if !used[k] && !strings.HasPrefix(k, "role.") {
			t.Errorf("text %q is never used", k)
		}
	}
}
