package dashboard

import (
	"chitieu/indicators"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Every message key the templates and the Go code name exists in both
// catalogues — a missing one would show as ⟦key⟧ — and every entry of the
// catalogues is used: by its name, or through a prefix the code completes
// ("status."+…, {{t (print "kind." .Kind)}}).
func TestMessagesNamedExistAndAreUsed(t *testing.T) {
	t.Parallel()
	m, err := loadMessages()
	if err != nil {
		t.Fatal(err)
	}
	// A Go string is taken for a message key when it looks like one and
	// its first part is a group of the catalogue ("login", "users", …).
	groups := map[string]bool{}
	for k := range m[languages[0]] {
		g, _, _ := strings.Cut(k, ".")
		groups[g] = true
	}
	var (
		keyInTemplate    = regexp.MustCompile(`\bt\s+"([a-z0-9_.]+)"`)
		prefixInTemplate = regexp.MustCompile(`\bprint\s+"([a-z0-9_]+\.)"`)
		keyInGo          = regexp.MustCompile(`"([a-z_]+(?:\.[a-z0-9_]+)+)"`)
		prefixInGo       = regexp.MustCompile(`"([a-z0-9_]+(?:\.[a-z0-9_]+)*\.(?:[a-z0-9_]+_)?)"\s*[+,]`)
		fileName         = regexp.MustCompile(`\.(html|js|css|json|svg|png|txt|go|db)$`)
	)
	used := map[string]bool{}
	var prefixes []string
	check := func(file, key string) {
		used[key] = true
		for _, lang := range languages {
			if _, ok := m[lang][key]; !ok {
				t.Errorf("%s names message %q, which the %s catalogue lacks", file, key, lang)
			}
		}
	}
	err = filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p == "static" || p == "i18n" {
				return filepath.SkipDir
			}
			return nil
		}
		isTemplate := strings.HasSuffix(p, ".html")
		if !isTemplate && (!strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go")) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		keys, pre := keyInGo, prefixInGo
		if isTemplate {
			keys, pre = keyInTemplate, prefixInTemplate
		}
		filePrefixes := map[string]bool{}
		for _, x := range pre.FindAllStringSubmatch(string(b), -1) {
			prefixes = append(prefixes, x[1])
			filePrefixes[x[1]] = true
		}
		for _, x := range keys.FindAllStringSubmatch(string(b), -1) {
			key := x[1]
			if filePrefixes[key] {
				continue // the start of keys made at run time: "reports.format_" + v, s.options(lang, "admin.op.", …)
			}
			if g, _, _ := strings.Cut(key, "."); !isTemplate && (!groups[g] || fileName.MatchString(key)) {
				continue
			}
			check(p, key)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(used) < 100 || !slices.Contains(prefixes, "status.") {
		t.Fatalf("found %d message keys and prefixes %v: the scan is broken", len(used), prefixes)
	}
	vocab := indicators.Vocabulary(languages[0])
	for k := range m[languages[0]] {
		if _, ok := vocab[k]; ok {
			continue // the domain's vocabulary serves the reports and the command line too
		}
		if used[k] || slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(k, p) }) {
			continue
		}
		t.Errorf("message %q is never used", k)
	}
}
