package dashboard_test

import (
	"context"
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
	t.Parallel()
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

// A period outside the plan is refused with 400, not added as a tab.
func TestPeriodOutsideThePlanIsRefused(t *testing.T) {
	t.Parallel()
	env := newReportEnv(t, nil)
	for _, path := range []string{"/?period=1999-2000", "/groups?period=1999-2000", "/indicators/ECO-02?period=2090-2095"} {
		res, body := env.download(t, indicators.Leader, path)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "nằm ngoài kế hoạch") {
			t.Errorf("GET %s = %d, want 400 saying the period is outside the plan", path, res.StatusCode)
		}
	}
	for _, path := range []string{"/?period=2026-2030", "/groups?period=2021-2030"} {
		if res, _ := env.download(t, indicators.Leader, path); res.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", path, res.StatusCode)
		}
	}
}

// An indicator with no values yet says so instead of drawing an empty
// chart frame and a table of headings alone.
func TestIndicatorWithoutValuesHasEmptyStates(t *testing.T) {
	t.Parallel()
	env := newReportEnv(t, nil)
	inds, err := env.db.Indicators(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// A new indicator, with neither values nor targets yet.
	admin := indicators.WithActor(context.Background(), indicators.Actor{User: "quantri", Role: indicators.Admin})
	if err := env.db.CreateIndicator(admin, indicators.Indicator{Code: "ECO-39", NameVI: "Chỉ tiêu mới", Unit: "tỷ đồng",
		Direction: indicators.Up, Measure: indicators.Level, Rollup: indicators.RollupSum, Frequency: indicators.Yearly,
		Group: inds[0].Group}); err != nil {
		t.Fatal(err)
	}
	inds = append(inds, indicators.Indicator{Code: "ECO-39"})
	code := ""
	for _, ind := range inds {
		n, err := env.db.CountValues(context.Background(), indicators.ValueFilter{Indicator: ind.Code})
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			continue
		}
		// With no value and no target there is nothing to chart; a target
		// alone is charted (TestBrowser/ChartTargets).
		tgs, err := env.db.Targets(context.Background(), indicators.TargetFilter{Indicator: ind.Code})
		if err != nil {
			t.Fatal(err)
		}
		if len(tgs) == 0 {
			code = ind.Code
			break
		}
	}
	if code == "" {
		t.Fatal("every indicator of the test catalogue has values or targets")
	}
	res, body := env.download(t, indicators.Leader, "/indicators/"+code)
	page := string(body)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "Chưa có số liệu nào của chỉ tiêu này, nên chưa có biểu đồ diễn biến.") ||
		!strings.Contains(page, `<td colspan="7" class="muted empty">Chưa có số liệu nào của chỉ tiêu này.</td>`) {
		t.Errorf("GET /indicators/%s = %d without the empty states", code, res.StatusCode)
	}
	if strings.Contains(page, `id="h-history"`) && strings.Contains(page, "echarts.init") {
		t.Errorf("/indicators/%s draws a chart with no values", code)
	}
}
