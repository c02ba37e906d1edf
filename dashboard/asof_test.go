package dashboard_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/catalog"
)

// asOfTarget is what the as-of tests read of a target in the API.
type asOfTarget struct {
	Indicator string `json:"indicator"`
	Plan      string `json:"plan"`
	Period    string `json:"period"`
	Scope     string `json:"scope"`
	Progress  struct {
		ValuesUsed []indicators.UsedValue `json:"values_used"`
	} `json:"progress"`
}

// The built-in catalogue carries the day each target and value became known
// (the act's date; the day its source published it), so that the API as of
// a past day shows what was known then: for every plan and period of the
// catalogue, as of 31/12/2025 each of its targets in force then, and as of
// 31/12/2023 the same for 2021–2025 with only the values published by then.
func TestBuiltinTargetsAsOfPastDays(t *testing.T) {
	t.Parallel()
	ts, _ := newServer(t)
	cat, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ plan, period string }
	want := map[key][]indicators.Target{}
	for _, tg := range cat.Targets {
		k := key{tg.Plan, tg.Period.String()}
		want[k] = append(want[k], tg)
	}
	cases := []struct {
		day     string
		periods func(string) bool
	}{
		{"2025-12-31", func(string) bool { return true }},
		{"2023-12-31", func(p string) bool { return p == "2021-2025" }},
	}
	seenValues := 0
	for _, tc := range cases {
		d, _ := indicators.ParseDate("asof", tc.day)
		asOf := indicators.EndOfDay(d)
		for k, targets := range want {
			if !tc.periods(k.period) {
				continue
			}
			var got []asOfTarget
			getJSON(t, ts.URL+"/api/v1/plans/"+url.PathEscape(k.plan)+"/targets?period="+k.period+"&asof="+tc.day, http.StatusOK, &got)
			have := map[string]bool{}
			for _, g := range got {
				have[g.Plan+"|"+g.Indicator+"|"+g.Scope] = true
				// Only values published by the day count.
				for _, v := range g.Progress.ValuesUsed {
					seenValues++
					if v.EnteredAt.After(asOf) {
						t.Errorf("as of %s, %s %s %s uses the %d value %v known from %s", tc.day, g.Plan, g.Indicator,
							g.Period, v.Year, v.Value, v.EnteredAt.In(indicators.Vietnam).Format(indicators.DateLayout))
					}
					if v.EnteredAt.IsZero() {
						t.Errorf("%s %s: a value without its known-from day", g.Plan, g.Indicator)
					}
				}
			}
			for _, tg := range targets {
				inForce := !tg.EnteredAt.After(asOf)
				id := tg.Plan + "|" + tg.Indicator + "|" + string(tg.Scope)
				if inForce != have[id] {
					t.Errorf("as of %s, %s %s %s listed = %v, want %v (known from %s)", tc.day, tg.Plan, tg.Indicator,
						k.period, have[id], inForce, tg.EnteredAt.Format(indicators.DateLayout))
				}
			}
		}
	}
	if seenValues == 0 {
		t.Fatal("no target as of either day rests on a value; the test checked nothing")
	}

	// By name: as of 31/12/2023 the 98/NQ-CP GRDP target rests on 2021–2023
	// (−2.79, 12.64, 5.75, all published by December 2023) and not on 2024's
	// 7.12, which the statistics office gave at the end of 2024 (S56).
	ids, err := catalog.PlanIDs()
	if err != nil {
		t.Fatal(err)
	}
	var got []asOfTarget
	getJSON(t, ts.URL+"/api/v1/plans/"+ids["R98"]+"/targets?period=2021-2025&asof=2023-12-31", http.StatusOK, &got)
	years := map[int]bool{}
	for _, g := range got {
		if g.Plan == ids["R98"] && g.Indicator == "ECO-01" {
			for _, v := range g.Progress.ValuesUsed {
				years[v.Year] = true
			}
		}
	}
	if !years[2023] || years[2024] {
		t.Errorf("R98 ECO-01 as of 2023-12-31 uses years %v, want 2023 and not 2024", years)
	}
}

// Every built-in target and value is dated by its act or its source, never
// by the day the database was made: no known-from day lies after the
// newest source in the register.
func TestBuiltinKnownFromDays(t *testing.T) {
	t.Parallel()
	cat, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var newest time.Time
	for _, s := range cat.Sources {
		if s.Published.After(newest) {
			newest = s.Published
		}
	}
	for _, tg := range cat.Targets {
		if tg.EnteredAt.IsZero() || tg.EnteredAt.After(newest) {
			t.Errorf("target %s %s %s known from %v", tg.Plan, tg.Indicator, tg.Period, tg.EnteredAt)
		}
	}
	for _, v := range cat.Values {
		if v.EnteredAt.IsZero() || v.EnteredAt.After(newest) {
			t.Errorf("value %s known from %v", v.Key, v.EnteredAt)
		}
	}
}

// An as-of day before anything of a plan was known gets a sentence, not an
// empty page: the overview and the API say so.
func TestAsOfBeforeAnythingKnown(t *testing.T) {
	t.Parallel()
	ts, _ := newServer(t)
	_, body := visit(t, ts.URL, "/?plan="+url.QueryEscape("98/NQ-CP")+"&period=2021-2025&asof=2019-12-31", http.StatusOK)
	if !strings.Contains(body, `id="nothing-known"`) || !strings.Contains(body, "31/12/2019") {
		t.Errorf("overview as of 2019-12-31 has no sentence saying nothing was known yet:\n%s", excerpt(body, "asof-line"))
	}
	ids, _ := catalog.PlanIDs()
	var plan map[string]any
	getJSON(t, ts.URL+"/api/v1/plans/"+ids["R98"]+"?asof=2019-12-31", http.StatusOK, &plan)
	if s, _ := plan["notice_vi"].(string); !strings.Contains(s, "31/12/2019") {
		t.Errorf("plan as of 2019-12-31: notice_vi = %q, want a sentence naming the day", s)
	}
	var later map[string]any
	getJSON(t, ts.URL+"/api/v1/plans/"+ids["R98"]+"?asof=2025-12-31", http.StatusOK, &later)
	if _, ok := later["notice_vi"]; ok {
		t.Errorf("plan as of 2025-12-31 carries a notice %v, want none", later["notice_vi"])
	}
}

// excerpt returns the part of a page around a marker, for failure messages.
func excerpt(body, marker string) string {
	i := strings.Index(body, marker)
	if i < 0 {
		if len(body) > 600 {
			return body[:600]
		}
		return body
	}
	end := min(len(body), i+600)
	return body[max(0, i-200):end]
}

// The register of sources: /sources lists every source of the catalogue,
// /sources/{code} shows one with its publisher, date and address, an
// unknown code is 404, and a source code on a page is a link to the
// register titled by its source; built-in values are attributed to the
// catalogue by name, not to "catalog".
func TestSourcesRegister(t *testing.T) {
	t.Parallel()
	ts, _ := newServer(t)
	cat, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	_, body := visit(t, ts.URL, "/sources", http.StatusOK)
	for _, s := range cat.Sources {
		if !strings.Contains(body, `href="/sources/`+s.Code+`"`) {
			t.Errorf("/sources does not list %s", s.Code)
		}
	}
	if len(cat.Sources) != 131 {
		t.Errorf("the register holds %d sources, want the 131 of resolution59-sources.md", len(cat.Sources))
	}
	_, body = visit(t, ts.URL, "/sources/S63", http.StatusOK)
	for _, want := range []string{"tienphong.vn", "31/01/2026", "post1820715"} {
		if !strings.Contains(body, want) {
			t.Errorf("/sources/S63 lacks %q", want)
		}
	}
	visit(t, ts.URL, "/sources/S999", http.StatusNotFound)

	_, body = visit(t, ts.URL, "/indicators/ECO-06", http.StatusOK)
	if !strings.Contains(body, `<a class="source-link" href="/sources/S63" title="January 2026: growth &gt;7.2%`) {
		t.Errorf("the ECO-06 page does not link S63 titled by its source:\n%s", excerpt(body, "S63"))
	}
	if strings.Contains(body, ">catalog<") || !strings.Contains(body, "Danh mục dựng sẵn (nguồn công khai)") {
		t.Errorf("the ECO-06 page does not attribute built-in values to the catalogue by name:\n%s", excerpt(body, "S63"))
	}
}

// A plan whose list is not public in full says so on its pages and on the
// cover of its progress report: the XIV Congress's items 10–20.
func TestIncompletePlanSaysSo(t *testing.T) {
	t.Parallel()
	env := newReportEnv(t, nil)
	ids, err := catalog.PlanIDs()
	if err != nil {
		t.Fatal(err)
	}
	const gap = "Mục 10–20 chưa công bố đầy đủ"
	for _, page := range []string{"/", "/groups"} {
		_, body := env.download(t, indicators.Leader, page+"?plan="+ids["DH14"]+"&period=2021-2025")
		if !strings.Contains(string(body), `id="plan-incomplete">`+gap) {
			t.Errorf("%s of DH14 does not say %q", page, gap)
		}
	}
	_, body := env.download(t, indicators.Leader, "/?plan="+ids["R98"]+"&period=2021-2025")
	if strings.Contains(string(body), gap) {
		t.Errorf("the 98/NQ-CP overview carries the XIV Congress's note")
	}
	f, _ := env.workbook(t, indicators.Leader, "/reports/progress?plan="+ids["DH14"]+"&period=2021-2025&language=vi")
	found := false
	for _, row := range rowsOf(t, f, "Bìa") {
		for _, c := range row {
			found = found || strings.Contains(c, gap)
		}
	}
	if !found {
		t.Errorf("the DH14 report's cover does not say %q", gap)
	}
}

// The 103 communes and wards of the merged city are stored with the
// catalogue and listed by the API with their validity.
func TestCommunesListed(t *testing.T) {
	t.Parallel()
	ts, _ := newServer(t)
	var units []struct {
		Code      string `json:"code"`
		NameVI    string `json:"name_vi"`
		Kind      string `json:"kind"`
		Parent    string `json:"parent"`
		ValidFrom string `json:"valid_from"`
		ValidTo   string `json:"valid_to"`
	}
	getJSON(t, ts.URL+"/api/v1/units", http.StatusOK, &units)
	n := 0
	for _, u := range units {
		if u.Kind != string(indicators.Commune) {
			continue
		}
		n++
		if u.ValidFrom != "2025-07-01" || u.ValidTo != "" || u.Parent != "CT" {
			t.Errorf("unit %s %s: valid %q–%q under %q, want from 2025-07-01 under CT", u.Code, u.NameVI, u.ValidFrom, u.ValidTo, u.Parent)
		}
	}
	if n != 103 {
		t.Errorf("the API lists %d communes and wards, want 103", n)
	}
}

// Periods read as people write them, and a headline figure says its year:
// the overview's GRDP-per-head card "4.136 USD/người · năm 2020"; the
// indicator page's quarters "Quý I/2025", halves "6 tháng đầu năm 2025",
// in English "Q1 2025", "H1 2025" — never "2025-Q1".
func TestPlainPeriodsAndFigureYears(t *testing.T) {
	t.Parallel()
	ts, _ := newServer(t)
	_, body := visit(t, ts.URL, "/?plan="+url.QueryEscape("98/NQ-CP")+"&period=2021-2025&asof=2025-12-31", http.StatusOK)
	i := strings.Index(body, "/indicators/ECO-02")
	if i < 0 {
		t.Fatalf("no ECO-02 card on the overview")
	}
	card := body[i:min(len(body), i+700)]
	if !strings.Contains(card, "4.136") || !strings.Contains(card, "· năm 2020") {
		t.Errorf("the ECO-02 card does not say its figure is of 2020:\n%s", card)
	}
	_, body = visit(t, ts.URL, "/indicators/ECO-01", http.StatusOK)
	for _, want := range []string{"Quý I/2025", "6 tháng đầu năm 2025", "Quý IV/2024"} {
		if !strings.Contains(body, "<td>"+want+"</td>") {
			t.Errorf("the ECO-01 page does not show %q", want)
		}
	}
	for _, code := range []string{"<td>2025-Q1</td>", "<td>2025-H1</td>", "<td>2024-Q4</td>"} {
		if strings.Contains(body, code) {
			t.Errorf("the ECO-01 page shows the code %s", code)
		}
	}
	_, body = visit(t, ts.URL, "/indicators/ECO-01?lang=en", http.StatusOK)
	for _, want := range []string{"<td>Q1 2025</td>", "<td>H1 2025</td>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the English ECO-01 page does not show %s", want)
		}
	}
}
