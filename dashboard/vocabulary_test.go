package dashboard_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"chitieu/indicators"
)

var (
	scriptOrStyle = regexp.MustCompile(`(?s)<(script|style)\b.*?</(script|style)>`)
	anyTag        = regexp.MustCompile(`(?s)<[^>]*>`)
)

// No page shows a code of the domain's vocabulary to people: states,
// kinds, territories, types and audit actions are in words on every page
// (attributes, scripts and styles, which nobody reads, are left out).
func TestPagesShowNoCodes(t *testing.T) {
	env := newReportEnv(t, nil)
	var codes []string
	for _, g := range []string{"kind", "scope", "direction", "measure", "rollup", "frequency", "value_type", "unit_kind", "batch_state"} {
		for _, c := range indicators.VocabularyCodes(g) {
			if strings.ContainsAny(c, "_.") {
				codes = append(codes, c)
			}
		}
	}
	codes = append(codes, indicators.AuditActions()...)
	for _, s := range indicators.Statuses {
		if strings.Contains(string(s), "_") {
			codes = append(codes, string(s))
		}
	}
	word := func(code string) *regexp.Regexp {
		return regexp.MustCompile(`(^|[^\w.:/-])` + regexp.QuoteMeta(code) + `($|[^\w.-])`)
	}
	for _, path := range []string{"/", "/groups", "/groups/0", "/indicators", "/indicators/ECO-02", "/units", "/imports",
		"/audit", "/reports", "/reports/verify", "/admin/indicators", "/admin/plans"} {
		for _, lang := range []string{"vi", "en"} {
			res, body := env.download(t, indicators.Admin, path+"?lang="+lang)
			if res.StatusCode != http.StatusOK {
				t.Errorf("GET %s = %d", path, res.StatusCode)
				continue
			}
			text := html.UnescapeString(anyTag.ReplaceAllString(scriptOrStyle.ReplaceAllString(string(body), " "), " "))
			for _, code := range codes {
				if loc := word(code).FindStringIndex(text); loc != nil {
					from, to := max(0, loc[0]-60), min(len(text), loc[1]+60)
					t.Errorf("%s (%s) shows the code %q: …%s…", path, lang, code, strings.Join(strings.Fields(text[from:to]), " "))
				}
			}
		}
	}
}
