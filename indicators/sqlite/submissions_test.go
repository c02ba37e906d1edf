package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/sqlite"
)

// cycleDB is a database with the small catalogue, its clock, and one
// context per person of the cycle: planners of CT-CU and of CT, the head
// of CT-CU and the head of CT, an admin and a leader.
type cycleDB struct {
	db    *sqlite.DB
	clock *clock
	as    map[string]context.Context
	key   indicators.SubmissionKey
}

func newCycleDB(t *testing.T) *cycleDB {
	t.Helper()
	c := &clock{t: time.Date(2024, 11, 1, 3, 0, 0, 0, time.UTC)}
	db := open(t, filepath.Join(t.TempDir(), "cycle.db"), c)
	if _, err := db.LoadCatalog(context.Background(), smallCatalog()); err != nil {
		t.Fatal(err)
	}
	r98 := indicators.PlanID("98/NQ-CP", day("2021-08-30"))
	as := map[string]context.Context{}
	for _, a := range []indicators.Actor{
		{User: "hoa", Role: indicators.Planner, Units: []string{"CT-CU"}},
		{User: "minh", Role: indicators.Planner, Units: []string{"CT"}},
		{User: "tam", Role: indicators.Approver, Units: []string{"CT-CU"}},
		{User: "vu", Role: indicators.Approver, Units: []string{"CT"}},
		{User: "root", Role: indicators.Admin},
		{User: "lan", Role: indicators.Leader},
	} {
		as[a.User] = indicators.WithActor(context.Background(), a)
	}
	return &cycleDB{db: db, clock: c, as: as,
		key: indicators.SubmissionKey{Plan: r98, Unit: "CT-CU", Period: indicators.YearPeriod(2024)}}
}

// commit commits ECO-01 of CT-CU for 2024 as hoa, at cell S!C2.
func (cy *cycleDB) commit(t *testing.T, v float64) (indicators.StagedBatch, error) {
	t.Helper()
	ctx := cy.as["hoa"]
	r := indicators.Reading{Key: key("ECO-01", "CT-CU", 2024, indicators.OfficialValue), Value: v, Sheet: "S", Cell: "C2"}
	return commitAll(ctx, cy.db, fileBatch("b"+time.Now().String()), nil, 10, classified(t, ctx, cy.db, r))
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if indicators.ErrorCode(err) != code {
		t.Errorf("%s: err = %v (%s), want %s", what, err, indicators.ErrorCode(err), code)
	}
}

// A commit touching a submitted or approved period before its cut-off
// sets it back to draft; once approved and past the cut-off, a commit or
// a value touching it is refused at its cell, and nothing is stored;
// after an admin unlocks it, a commit goes through and sets it to draft.
// An approved batch is never rolled back.
func TestLockedPeriodsRefuseValuesAndApprovedBatchesStay(t *testing.T) {
	t.Parallel()
	cy := newCycleDB(t)
	db, k := cy.db, cy.key
	first, err := cy.commit(t, 5.1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Submit(cy.as["hoa"], k); err != nil {
		t.Fatal(err)
	}
	cy.clock.t = cy.clock.t.Add(time.Hour)
	if _, err := cy.commit(t, 5.2); err != nil {
		t.Fatal(err)
	}
	if s, _ := db.Submission(context.Background(), k); s.State != indicators.Draft {
		t.Fatalf("after a new commit the submission is %s, want draft", s.State)
	}
	if _, err := db.Submit(cy.as["hoa"], k); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Decide(cy.as["tam"], k, true, ""); err != nil {
		t.Fatal(err)
	}
	ap, err := db.Approvals(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	vs, _ := db.Values(context.Background(), indicators.ValueFilter{Indicator: "ECO-01", Units: []string{"CT-CU"}})
	approved := map[float64]bool{}
	for i := range vs {
		approved[vs[i].Value] = ap.Approved(&vs[i])
	}
	// 5.1 and 5.2 came in before the approval; -2.79 (2021) is the
	// catalogue's published figure.
	if !approved[5.1] || !approved[5.2] || !approved[-2.79] || !ap.InUse() {
		t.Errorf("approved = %v", approved)
	}
	_, err = db.RollbackBatch(cy.as["hoa"], first.ID)
	wantCode(t, "rollback of an approved batch", err, indicators.ECONFLICT)
	if err == nil || !strings.Contains(indicators.ErrorMessage(err), "phê duyệt") {
		t.Errorf("rollback refused with %v; want the reason", err)
	}

	cy.clock.t = time.Date(2025, 1, 5, 3, 0, 0, 0, time.UTC) // past 14 December 2024
	count := func() int {
		n, _ := db.CountValues(context.Background(), indicators.ValueFilter{Indicator: "ECO-01"})
		return n
	}
	before := count()
	_, err = cy.commit(t, 5.3)
	wantCode(t, "commit into a locked period", err, indicators.ECONFLICT)
	if msg := indicators.ErrorMessage(err); !strings.Contains(msg, "S!C2") || !strings.Contains(msg, "tam") || !strings.Contains(msg, "14/12/2024") {
		t.Errorf("refusal = %q; want the cell, the approver and the cut-off", msg)
	}
	var de *indicators.Error
	if !errors.As(err, &de) || !strings.Contains(de.English, "locked") {
		t.Errorf("refusal %v has no English message", err)
	}
	err = db.AddValues(cy.as["root"], []indicators.Value{{Key: key("ECO-01", "CT-CU", 2024, indicators.EstimateValue),
		Value: 5, Source: "S45"}})
	wantCode(t, "a value added into a locked period, even by an admin", err, indicators.ECONFLICT)
	// Another year of the same unit is not locked.
	if err := db.AddValues(cy.as["root"], []indicators.Value{{Key: key("ECO-01", "CT-CU", 2023, indicators.OfficialValue),
		Value: 5.75, Source: "S45"}}); err != nil {
		t.Errorf("a value of 2023: %v", err)
	}
	if got := count(); got != before+1 {
		t.Errorf("values = %d, want %d: only the 2023 one stored", got, before+1)
	}

	if _, err := db.Unlock(cy.as["root"], k, "số chính thức mới"); err != nil {
		t.Fatal(err)
	}
	if _, err := cy.commit(t, 5.3); err != nil {
		t.Fatalf("commit after the unlock: %v", err)
	}
	if s, _ := db.Submission(context.Background(), k); s.State != indicators.Draft {
		t.Errorf("after a commit into the unlocked period the submission is %s, want draft", s.State)
	}
	evs, _ := db.AuditEvents(context.Background(), indicators.AuditFilter{Action: "submission.draft"})
	if len(evs) != 2 {
		t.Errorf("%d submission.draft events, want 2 (one per commit that touched it)", len(evs))
	}
}

// A submission that leaves a lagging target of the unit without its
// explanation is refused, listing the target; once the planner writes the
// cause and the remedy it goes through. Only a planner of the unit writes
// an explanation, and a new one replaces the old, which the audit keeps.
func TestSubmissionNeedsExplanationsOfLaggingTargets(t *testing.T) {
	t.Parallel()
	cy := newCycleDB(t)
	db, k := cy.db, cy.key
	if _, err := cy.commit(t, 5.1); err != nil {
		t.Fatal(err)
	}
	cycle := indicators.Cycle{Tracker: indicators.Tracker{Store: db}, Submissions: db, Explanations: db}
	// ECO-01 of the old city, 2021–2025, at least 7.5 % a year: −2.79 % in
	// 2021 and 5.1 % in 2024 give (0.9721 × 1.051)^(1/2) − 1 ≈ 1.08 % a
	// year so far; the three years left would need ((1.075^5 / 1.0217)^(1/3)
	// − 1 ≈ 12 % a year, more than the best year (5.1 %): off_track.
	tps, err := cycle.Tracker.UnitTargets(cy.as["hoa"], k.Plan, indicators.Unit{Code: "CT-CU", Kind: indicators.City,
		Scope: indicators.OldCity}, cy.clock.t)
	if err != nil || len(tps) != 1 || tps[0].Progress.Status != indicators.OffTrack {
		t.Fatalf("targets of CT-CU = %+v, %v; want ECO-01 off_track", tps, err)
	}
	_, err = cycle.Submit(cy.as["hoa"], k, cy.clock.t)
	wantCode(t, "submit without the explanation", err, indicators.EINVALID)
	if msg := indicators.ErrorMessage(err); !strings.Contains(msg, "ECO-01") || !strings.Contains(msg, "giải trình") {
		t.Errorf("refusal = %q; want the target named", msg)
	}
	if s, _ := db.Submission(context.Background(), k); s.ID != 0 {
		t.Errorf("a refused submission was stored: %+v", s)
	}
	e := indicators.Explanation{Target: tps[0].Target.ID, Unit: "CT-CU", Period: k.Period,
		Cause: "Dịch bệnh năm 2021", Remedy: "Đẩy nhanh giải ngân đầu tư công"}
	for _, who := range []string{"minh", "tam", "lan"} {
		_, err := db.SetExplanation(cy.as[who], e)
		wantCode(t, "explain as "+who, err, indicators.EFORBIDDEN)
	}
	_, err = db.SetExplanation(cy.as["hoa"], indicators.Explanation{Target: e.Target, Unit: e.Unit, Period: e.Period, Cause: "x"})
	wantCode(t, "explain without a remedy", err, indicators.EINVALID)
	if _, err := db.SetExplanation(cy.as["hoa"], indicators.Explanation{Target: e.Target, Unit: e.Unit, Period: e.Period,
		Cause: "nháp", Remedy: "nháp"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetExplanation(cy.as["hoa"], e); err != nil {
		t.Fatal(err)
	}
	es, _ := db.Explanations(context.Background(), indicators.ExplanationFilter{Units: []string{"CT-CU"}, Period: &k.Period})
	if len(es) != 1 || es[0].Cause != e.Cause || es[0].EnteredBy != "hoa" {
		t.Errorf("explanations = %+v; want the last one only", es)
	}
	evs, _ := db.AuditEvents(context.Background(), indicators.AuditFilter{Action: "explanation"})
	if len(evs) != 2 || !strings.Contains(evs[1].Before, "nháp") || !strings.Contains(evs[1].After, "Dịch bệnh") {
		t.Errorf("explanation events = %+v", evs)
	}
	if s, err := cycle.Submit(cy.as["hoa"], k, cy.clock.t); err != nil || s.State != indicators.Submitted {
		t.Errorf("submit with the explanation = %+v, %v", s, err)
	}
}
