package dashboard

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"chitieu/indicators"
)

// TestAdminObligations adds, refuses, proposes and removes obligations and
// changes a cut-off rule through the admin page, each write in the audit
// trail.
func TestAdminObligations(t *testing.T) {
	t.Parallel()
	s, db := testServer(t, Config{})
	ctx := context.Background()
	plans, _ := db.Plans(ctx)
	root, _ := rootPlan(plans)
	base := "/admin/plans/" + root.ID + "/obligations"
	ck, tok := sessionFor(t, s, "admin")
	post := func(path string, v url.Values, want int) string {
		t.Helper()
		v.Set("csrf_token", tok)
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(ck)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Fatalf("POST %s = %d, want %d:\n%.400s", path, rec.Code, want, rec.Body.String())
		}
		return rec.Body.String()
	}
	post(base, url.Values{"unit": {"CT"}, "frequency": {"quarter"}, "indicators": {"eco-01, ECO-02"}, "from_year": {"2025"}}, http.StatusSeeOther)
	body := post(base, url.Values{"unit": {"CT"}, "frequency": {"month"}, "indicators": {"ECO-01, XYZ-99"}}, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "XYZ-99") || !strings.Contains(body, `value="ECO-01, XYZ-99"`) {
		t.Errorf("a refused obligation does not say which code, or loses the input")
	}
	post(base, url.Values{"unit": {"CT"}, "frequency": {"quarter"}, "indicators": {"ECO-03"}}, http.StatusConflict)
	post(base+"/suggest", url.Values{}, http.StatusSeeOther)
	obs, err := db.Obligations(ctx, indicators.ObligationFilter{Plan: root.ID})
	if err != nil {
		t.Fatal(err)
	}
	// Besides CT's quarterly one, each lead agency of the plan's targeted
	// indicators reports them yearly with the city's figures.
	inds, _ := db.Indicators(ctx)
	lead := map[string]string{}
	for _, ind := range inds {
		lead[ind.Code] = ind.LeadAgency
	}
	var agencies int
	for _, o := range obs {
		if o.Unit == "CT" {
			if o.Frequency != indicators.Quarterly || strings.Join(o.Indicators, ",") != "ECO-01,ECO-02" {
				t.Errorf("CT's obligation: %+v", o)
			}
			continue
		}
		agencies++
		for _, code := range o.Indicators {
			if lead[code] != o.Unit {
				t.Errorf("%s is proposed for %s, its lead agency is %q", code, o.Unit, lead[code])
			}
		}
		if o.Figures == "" || o.Frequency != indicators.Yearly {
			t.Errorf("proposed %+v: want yearly with the city's figures", o)
		}
	}
	if agencies == 0 {
		t.Error("nothing was proposed from the lead agencies")
	}
	post(base+"/"+strconv.FormatInt(obs[0].ID, 10)+"/delete", url.Values{}, http.StatusSeeOther)
	v := url.Values{}
	for _, f := range indicators.Frequencies {
		v.Set("cutoff_day."+string(f), "14")
		v.Set("deadline_days."+string(f), "0")
	}
	v.Set("deadline_days.year", "10")
	post("/admin/plans/"+root.ID+"/cutoffs", v, http.StatusSeeOther)
	sch, _ := db.Schedules(ctx)
	if r := sch[root.ID].Rule(indicators.Yearly); r.DeadlineDays != 10 || len(sch[root.ID].Rules) != 1 {
		t.Errorf("cut-off rules after the form: %+v", sch[root.ID])
	}
	page := httptest.NewRequest(http.MethodGet, base, nil)
	page.AddCookie(ck)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, page)
	// 2026's year: 15/12/2025 to 14/12/2026, due 14 + 10 = 24/12/2026.
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "24/12/") {
		t.Errorf("the page does not show the changed yearly deadline")
	}
	evs, _ := db.AuditEvents(ctx, indicators.AuditFilter{Action: "obligation"})
	if want := 1 + agencies + 1; len(evs) != want {
		t.Errorf("got %d obligation events, want %d (add, proposals, delete)", len(evs), want)
	}
	if evs, _ := db.AuditEvents(ctx, indicators.AuditFilter{Action: "cutoff"}); len(evs) != 1 || evs[0].User != "admin" {
		t.Errorf("cut-off events: %+v", evs)
	}
}
