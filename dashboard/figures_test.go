package dashboard

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"chitieu/indicators"
)

// Until the office runs the approval cycle every figure entered counts;
// once a submission exists, the pages count the approved ones by default,
// and ?figures=all (kept in the navigation) every one entered. Approving
// moves the data version: the cached page shows the figure at once.
func TestPagesCountApprovedFiguresByDefault(t *testing.T) {
	t.Parallel()
	s, db := testServer(t, Config{})
	defer s.Close()
	planner := cycleUser(t, s, "p.ctcu", indicators.Planner, "CT-CU")
	head := cycleUser(t, s, "tt.ctcu", indicators.Approver, "CT-CU")
	scopedBatch(t, s, planner, 77.7, true) // ECO-01 of CT-CU, 2021
	r98, err := db.FindPlan(context.Background(), "98/NQ-CP")
	if err != nil {
		t.Fatal(err)
	}
	page := "/indicators/ECO-01?" + url.Values{"plan": {r98.ID}, "period": {"2021-2025"}}.Encode()
	shows := func(path string) bool {
		t.Helper()
		rec := send(t, s, "leader", "GET", path, nil)
		if rec.Code != 200 {
			t.Fatalf("GET %s = %d", path, rec.Code)
		}
		return strings.Contains(rec.Body.String(), "77,7")
	}
	if !shows(page) {
		t.Fatal("before any submission the page does not show the figure entered")
	}
	k := indicators.SubmissionKey{Plan: r98.ID, Unit: "CT-CU", Period: indicators.YearPeriod(2021)}
	if _, err := db.Submit(indicators.WithActor(context.Background(), planner.Actor("")), k); err != nil {
		t.Fatal(err)
	}
	if shows(page) {
		t.Error("a figure submitted, not approved, is counted by default")
	}
	// The public view shows approved figures only, once the cycle runs.
	if err := db.SetPlanPublic(context.Background(), r98.ID, true); err != nil {
		t.Fatal(err)
	}
	public := "/public/plans/" + url.PathEscape(r98.ID) + "/indicators/ECO-01"
	if rec := send(t, s, "leader", "GET", public, nil); rec.Code != 200 || strings.Contains(rec.Body.String(), "77,7") {
		t.Errorf("GET %s = %d, shows the figure not approved: %v", public, rec.Code, strings.Contains(rec.Body.String(), "77,7"))
	}
	all := page + "&figures=all"
	if !shows(all) {
		t.Error("?figures=all does not show the figure entered")
	}
	if body := send(t, s, "leader", "GET", all, nil).Body.String(); !strings.Contains(body, `href="/groups?figures=all&amp;`) &&
		!strings.Contains(body, "figures=all&amp;period") {
		t.Error("the navigation does not keep ?figures=all")
	}
	if _, err := db.Decide(indicators.WithActor(context.Background(), head.Actor("")), k, true, ""); err != nil {
		t.Fatal(err)
	}
	if !shows(page) {
		t.Error("once approved the figure is not shown by default (a stale cache?)")
	}
	if rec := send(t, s, "leader", "GET", public, nil); !strings.Contains(rec.Body.String(), "77,7") {
		t.Errorf("GET %s does not show the approved figure", public)
	}
	if rec := send(t, s, "leader", "GET", page+"&figures=some", nil); rec.Code != 400 {
		t.Errorf("?figures=some = %d, want 400", rec.Code)
	}
}
