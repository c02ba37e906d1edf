package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
)

// ApprovalStore is a store with the reporting cycle's approval: the
// submissions of the units' figures and the explanations of lagging
// targets.
type ApprovalStore interface {
	Store
	indicators.SubmissionStore
	indicators.ExplanationStore
}

// cycleDB is a store with SmallCatalog, its clock, and one context per
// person of the cycle: planners of CT-CU and of CT, the head of CT-CU and
// the head of CT, an admin and a leader.
type cycleDB struct {
	db      ApprovalStore
	clock   *Clock
	as      map[string]context.Context
	key     indicators.SubmissionKey
	batches int
}

func newCycleDB(t *testing.T, open Opener) *cycleDB {
	t.Helper()
	c := &Clock{T: time.Date(2024, 11, 1, 3, 0, 0, 0, time.UTC)}
	s := withCatalog(t, open, c).Store
	db, ok := s.(ApprovalStore)
	if !ok {
		t.Fatalf("%T keeps no submissions or explanations", s)
	}
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
		key: indicators.SubmissionKey{Plan: indicators.PlanID("98/NQ-CP", day("2021-08-30")), Unit: "CT-CU",
			Period: indicators.YearPeriod(2024)}}
}

// commit commits ECO-01 of CT-CU for 2024 as hoa, at cell S!C2, in a
// batch of a file of its own.
func (cy *cycleDB) commit(t *testing.T, v float64) (indicators.StagedBatch, error) {
	t.Helper()
	ctx := cy.as["hoa"]
	cy.batches++
	file := []byte(fmt.Sprintf("batch %d", cy.batches))
	r := indicators.Reading{Key: key("ECO-01", "CT-CU", 2024, indicators.OfficialValue), Value: v, Sheet: "S", Cell: "C2"}
	b := indicators.StagedBatch{Batch: indicators.Batch{FileName: fmt.Sprintf("b%d.xlsx", cy.batches), SHA256: fileSum(file),
		Size: int64(len(file))}}
	return CommitAll(ctx, cy.db, b, file, 10, Classified(t, ctx, cy.db, r), nil)
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if indicators.ErrorCode(err) != code {
		t.Errorf("%s: err = %v (%s), want %s", what, err, indicators.ErrorCode(err), code)
	}
}

// Every transition of the cycle, and who may make each: only a planner of
// the unit submits, only the head of the unit approves or returns (a
// return needs a note), only an admin unlocks (with a reason), and only an
// approved period past its cut-off (14 December for a year, Decree 09).
func submissionTransitions(t *testing.T, open Opener) {
	cy := newCycleDB(t, open)
	db, k := cy.db, cy.key
	_, err := db.Submit(cy.as["hoa"], k)
	wantCode(t, "submit with no values", err, indicators.EINVALID)
	if _, err := cy.commit(t, 5.1); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"minh", "tam", "root", "lan"} {
		_, err := db.Submit(cy.as[who], k)
		wantCode(t, "submit as "+who, err, indicators.EFORBIDDEN)
	}
	s, err := db.Submit(cy.as["hoa"], k)
	if err != nil || s.State != indicators.Submitted || s.Values != 1 || s.SubmittedBy != "hoa" || !s.SubmittedAt.Equal(cy.clock.T) {
		t.Fatalf("submit = %+v, %v; want submitted with 1 value by hoa now", s, err)
	}
	_, err = db.Submit(cy.as["hoa"], k)
	wantCode(t, "submit twice", err, indicators.ECONFLICT)
	for _, who := range []string{"hoa", "vu", "root", "lan"} {
		_, err := db.Decide(cy.as[who], k, true, "")
		wantCode(t, "approve as "+who, err, indicators.EFORBIDDEN)
	}
	_, err = db.Decide(cy.as["tam"], k, false, "  ")
	wantCode(t, "return without a note", err, indicators.EINVALID)
	s, err = db.Decide(cy.as["tam"], k, false, "Số liệu 2024 chưa khớp Cục Thống kê")
	if err != nil || s.State != indicators.Returned || s.Note != "Số liệu 2024 chưa khớp Cục Thống kê" || s.DecidedBy != "tam" {
		t.Fatalf("return = %+v, %v", s, err)
	}
	_, err = db.Decide(cy.as["tam"], k, true, "")
	wantCode(t, "approve a returned period", err, indicators.ECONFLICT)
	if s, err = db.Submit(cy.as["hoa"], k); err != nil || s.State != indicators.Submitted || s.Note != "" {
		t.Fatalf("submit again after the return = %+v, %v", s, err)
	}
	_, err = db.Unlock(cy.as["root"], k, "sửa số liệu")
	wantCode(t, "unlock a period only submitted", err, indicators.ECONFLICT)
	if s, err = db.Decide(cy.as["tam"], k, true, ""); err != nil || s.State != indicators.Approved {
		t.Fatalf("approve = %+v, %v", s, err)
	}
	// 1 November 2024 is before the cut-off of 2024 (14 December): the
	// period is approved, not locked yet.
	if s.Locked(cy.clock.T) || !s.Locked(time.Date(2024, 12, 14, 17, 0, 0, 0, time.UTC)) {
		t.Errorf("locked on %v = %v; want unlocked until the end of 14 Dec 2024 in Vietnam (17:00 UTC)", cy.clock.T, s.Locked(cy.clock.T))
	}
	_, err = db.Unlock(cy.as["root"], k, "sửa số liệu")
	wantCode(t, "unlock before the cut-off", err, indicators.ECONFLICT)

	cy.clock.T = time.Date(2025, 1, 5, 3, 0, 0, 0, time.UTC)
	for _, who := range []string{"hoa", "tam", "lan"} {
		_, err := db.Unlock(cy.as[who], k, "sửa số liệu")
		wantCode(t, "unlock as "+who, err, indicators.EFORBIDDEN)
	}
	_, err = db.Unlock(cy.as["root"], k, "")
	wantCode(t, "unlock without a reason", err, indicators.EINVALID)
	s, err = db.Unlock(cy.as["root"], k, "Cục Thống kê công bố số chính thức mới")
	if err != nil || s.UnlockedBy != "root" || s.Locked(cy.clock.T) || s.State != indicators.Approved {
		t.Fatalf("unlock = %+v, %v; want approved and unlocked by root", s, err)
	}
	// What was stored reads back the same, by key and by filter.
	got, err := db.Submission(context.Background(), k)
	if err != nil || got.ID != s.ID || got.State != indicators.Approved || got.DecidedBy != "tam" ||
		!got.UnlockedAt.Equal(cy.clock.T) || got.UnlockReason != "Cục Thống kê công bố số chính thức mới" || got.Values != 1 {
		t.Errorf("submission read back = %+v, %v", got, err)
	}
	if list, err := db.Submissions(context.Background(), indicators.SubmissionFilter{Units: []string{"CT-CU"},
		State: indicators.Approved}); err != nil || len(list) != 1 || list[0].ID != s.ID {
		t.Errorf("approved submissions of CT-CU = %+v, %v", list, err)
	}
	if list, _ := db.Submissions(context.Background(), indicators.SubmissionFilter{Units: []string{"CT"}}); len(list) != 0 {
		t.Errorf("submissions of CT = %+v, want none", list)
	}
	_, err = db.Submission(context.Background(), indicators.SubmissionKey{Plan: k.Plan, Unit: "CT", Period: k.Period})
	wantCode(t, "a submission never made", err, indicators.ENOTFOUND)

	evs, err := db.AuditEvents(context.Background(), indicators.AuditFilter{Action: "submission"})
	if err != nil {
		t.Fatal(err)
	}
	var acts []string
	for _, ev := range evs {
		acts = append(acts, ev.User+":"+ev.Action)
	}
	want := "hoa:submission.submit tam:submission.return hoa:submission.submit tam:submission.approve root:submission.unlock"
	if strings.Join(acts, " ") != want {
		t.Errorf("audit = %v\nwant %s", acts, want)
	}
	if first := evs[0]; first.Before != "" || first.After != `{"state":"submitted","values":1}` {
		t.Errorf("submit event = %+v; want no before and the state with its count after", first)
	}
	if last := evs[len(evs)-1]; !strings.Contains(last.After, "Cục Thống kê công bố") || !strings.Contains(last.Object, "CT-CU/2024") ||
		!strings.Contains(last.Before, `"state":"approved"`) {
		t.Errorf("unlock event = %+v; want the reason and the period", last)
	}
}

// A commit touching a submitted or approved period before its cut-off
// sets it back to draft; once approved and past the cut-off, a commit or
// a value touching it is refused at its cell, and nothing is stored;
// after an admin unlocks it, a commit goes through and sets it to draft.
// An approved batch is never rolled back.
func lockedPeriods(t *testing.T, open Opener) {
	cy := newCycleDB(t, open)
	db, k := cy.db, cy.key
	first, err := cy.commit(t, 5.1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Submit(cy.as["hoa"], k); err != nil {
		t.Fatal(err)
	}
	cy.clock.T = cy.clock.T.Add(time.Hour)
	second, err := cy.commit(t, 5.2)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := db.Submission(context.Background(), k); s.State != indicators.Draft {
		t.Fatalf("after a new commit the submission is %s, want draft", s.State)
	}
	draft := lastEvent(t, db)
	if draft.Action != "batch.commit" {
		t.Errorf("last event %s, want batch.commit after the submission's reset", draft.Action)
	}
	evs, _ := db.AuditEvents(context.Background(), indicators.AuditFilter{Action: "submission.draft"})
	wantAfter := fmt.Sprintf(`{"state":"draft","values":1,"why":"batch:%d"}`, second.ID)
	if len(evs) != 1 || evs[0].Before != `{"state":"submitted","values":1}` || evs[0].After != wantAfter ||
		evs[0].Object != "submission:"+k.String() || evs[0].User != "hoa" {
		t.Errorf("draft events = %+v; want one by hoa, submitted to %s", evs, wantAfter)
	}
	// A value written directly resets a submitted period too.
	if _, err := db.Submit(cy.as["hoa"], k); err != nil {
		t.Fatal(err)
	}
	if err := db.AddValues(cy.as["hoa"], []indicators.Value{{Key: key("ECO-01", "CT-CU", 2024, indicators.EstimateValue),
		Value: 5, Source: "S45"}}); err != nil {
		t.Fatal(err)
	}
	if s, _ := db.Submission(context.Background(), k); s.State != indicators.Draft {
		t.Fatalf("after a value written the submission is %s, want draft", s.State)
	}
	if ev := lastEvent(t, db); ev.Action != "submission.draft" || !strings.Contains(ev.After, `"why":"values"`) {
		t.Errorf("last event = %+v; want the reset by a value", ev)
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
	// 5.1, 5.2 and the estimate 5 came in before the approval; -2.79
	// (2021) is the catalogue's published figure.
	if !approved[5.1] || !approved[5.2] || !approved[5] || !approved[-2.79] || !ap.InUse() {
		t.Errorf("approved = %v", approved)
	}
	_, err = db.RollbackBatch(cy.as["hoa"], first.ID)
	wantCode(t, "rollback of an approved batch", err, indicators.ECONFLICT)
	if err == nil || !strings.Contains(indicators.ErrorMessage(err), "phê duyệt") {
		t.Errorf("rollback refused with %v; want the reason", err)
	}
	if b, _ := db.StagedBatch(context.Background(), first.ID); b.State != indicators.Committed {
		t.Errorf("the approved batch is %s after the refused rollback, want committed", b.State)
	}

	cy.clock.T = time.Date(2025, 1, 5, 3, 0, 0, 0, time.UTC) // past 14 December 2024
	locks, err := db.(interface {
		Locks(context.Context) (indicators.Locks, error)
	}).Locks(context.Background())
	if _, ok := locks.Locked(key("ECO-01", "CT-CU", 2024, indicators.OfficialValue)); err != nil || !ok || len(locks) != 1 {
		t.Errorf("locks = %v, %v; want ECO-01 of CT-CU for 2024", locks, err)
	}
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
	if s, _ := db.Submission(context.Background(), k); s.State != indicators.Approved {
		t.Errorf("after refused writes the submission is %s, want approved", s.State)
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
	evs, _ = db.AuditEvents(context.Background(), indicators.AuditFilter{Action: "submission.draft"})
	if len(evs) != 3 || !strings.Contains(evs[2].Before, `"state":"approved"`) {
		t.Errorf("%d submission.draft events, want 3 (two commits and a value), the last from approved: %+v", len(evs), evs)
	}
}

// A rollback of a batch whose period was submitted but not approved goes
// through and sets the submission back to draft.
func rollbackResetsSubmission(t *testing.T, open Opener) {
	cy := newCycleDB(t, open)
	db, k := cy.db, cy.key
	b, err := cy.commit(t, 5.1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cy.commit(t, 5.2); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Submit(cy.as["hoa"], k); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RollbackBatch(cy.as["hoa"], b.ID); err != nil {
		t.Fatalf("rollback of a submitted, not approved, batch: %v", err)
	}
	if s, _ := db.Submission(context.Background(), k); s.State != indicators.Draft {
		t.Errorf("after the rollback the submission is %s, want draft", s.State)
	}
	ev := lastEvent(t, db)
	if ev.Action != "submission.draft" || !strings.Contains(ev.After, fmt.Sprintf(`"why":"rollback:%d"`, b.ID)) {
		t.Errorf("last event = %+v; want the reset by the rollback", ev)
	}
}

// A submission that leaves a lagging target of the unit without its
// explanation is refused, listing the target; once the planner writes the
// cause and the remedy it goes through. Only a planner of the unit writes
// an explanation, and a new one replaces the old, which the audit keeps.
func explanations(t *testing.T, open Opener) {
	cy := newCycleDB(t, open)
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
		Scope: indicators.OldCity}, cy.clock.T)
	if err != nil || len(tps) != 1 || tps[0].Progress.Status != indicators.OffTrack {
		t.Fatalf("targets of CT-CU = %+v, %v; want ECO-01 off_track", tps, err)
	}
	_, err = cycle.Submit(cy.as["hoa"], k, cy.clock.T)
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
	_, err = db.SetExplanation(cy.as["hoa"], indicators.Explanation{Target: e.Target + 1000, Unit: e.Unit, Period: e.Period,
		Cause: "x", Remedy: "y"})
	wantCode(t, "explain a target that does not exist", err, indicators.ENOTFOUND)
	if _, err := db.SetExplanation(cy.as["hoa"], indicators.Explanation{Target: e.Target, Unit: e.Unit, Period: e.Period,
		Cause: "nháp", Remedy: "nháp"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetExplanation(cy.as["hoa"], e); err != nil {
		t.Fatal(err)
	}
	es, _ := db.Explanations(context.Background(), indicators.ExplanationFilter{Units: []string{"CT-CU"}, Period: &k.Period})
	if len(es) != 1 || es[0].Cause != e.Cause || es[0].Remedy != e.Remedy || es[0].EnteredBy != "hoa" ||
		!es[0].EnteredAt.Equal(cy.clock.T) || es[0].Period != k.Period {
		t.Errorf("explanations = %+v; want the last one only", es)
	}
	other := indicators.YearPeriod(2023)
	if es, _ := db.Explanations(context.Background(), indicators.ExplanationFilter{Period: &other}); len(es) != 0 {
		t.Errorf("explanations of 2023 = %+v, want none", es)
	}
	evs, _ := db.AuditEvents(context.Background(), indicators.AuditFilter{Action: "explanation"})
	if len(evs) != 2 || evs[0].Before != "" || evs[1].Before != `{"cause":"nháp","remedy":"nháp"}` ||
		evs[1].After != `{"cause":"Dịch bệnh năm 2021","remedy":"Đẩy nhanh giải ngân đầu tư công"}` {
		t.Errorf("explanation events = %+v", evs)
	}
	if s, err := cycle.Submit(cy.as["hoa"], k, cy.clock.T); err != nil || s.State != indicators.Submitted {
		t.Errorf("submit with the explanation = %+v, %v", s, err)
	}
}
