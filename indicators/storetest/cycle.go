package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"chitieu/indicators"
)

// The reporting cycle's store parts: obligations and cut-off rules, the
// reports received, reminders and their addresses, and idempotency keys.

// eventsOf lists the actions of the audit events whose action starts with
// prefix, oldest first.
func eventsOf(t *testing.T, s Store, prefix string) []indicators.AuditEvent {
	t.Helper()
	evs, err := s.AuditEvents(context.Background(), indicators.AuditFilter{Action: prefix})
	if err != nil {
		t.Fatalf("audit events %s: %v", prefix, err)
	}
	return evs
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// obligations adds, changes and removes an obligation and a cut-off rule:
// each write is refused when it should be (a second obligation of the
// unit and frequency, an unknown indicator or obligation, a cut-off day
// out of range) and leaves one audit event, with what was before and
// after, when it changes something.
func obligations(t *testing.T, open Opener) {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "admin", Role: indicators.Admin})
	c := &Clock{T: time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC)}
	db := withCatalog(t, open, c).Store
	plan := SmallCatalog().Plans[2].ID
	o := indicators.Obligation{Plan: plan, Unit: "CT", Indicators: []string{"ECO-01", "ECO-01"}, Frequency: indicators.Quarterly}
	if err := db.AddObligation(ctx, &o); err != nil {
		t.Fatalf("add: %v", err)
	}
	if o.ID == 0 || len(o.Indicators) != 1 {
		t.Fatalf("add: %+v, want an ID and ECO-01 once", o)
	}
	created := mustJSON(o)
	if ev := lastEvent(t, db); ev.Action != "obligation.create" || ev.Object != "obligation:"+itoa(o.ID) ||
		ev.User != "admin" || ev.Before != "" || ev.After != created {
		t.Errorf("create event = %+v, want after %s", ev, created)
	}
	dup := indicators.Obligation{Plan: plan, Unit: "CT", Indicators: []string{"ECO-01"}, Frequency: indicators.Quarterly}
	var de *indicators.Error
	if err := db.AddObligation(ctx, &dup); !errors.As(err, &de) || de.Code != indicators.ECONFLICT || de.Field != "unit" {
		t.Errorf("same unit and frequency again: got %v, want a conflict on unit", err)
	}
	bad := indicators.Obligation{Plan: plan, Unit: "CT", Indicators: []string{"ECO-99"}, Frequency: indicators.Monthly}
	if err := db.AddObligation(ctx, &bad); !errors.As(err, &de) || de.Field != "indicators" || de.Message == "" || de.English == "" {
		t.Errorf("unknown indicator: got %v, want a bilingual error on indicators", err)
	}
	got, err := db.Obligations(ctx, indicators.ObligationFilter{Plan: plan})
	if err != nil || len(got) != 1 || mustJSON(got[0]) != created {
		t.Fatalf("list: got %+v, %v; want the one quarterly obligation of ECO-01 as added", got, err)
	}
	// Update: the plan stays whatever is sent; figures of another unit.
	o.Frequency, o.Figures, o.FromYear, o.Plan = indicators.Monthly, "CT-CU", 2025, "other"
	if err := db.UpdateObligation(ctx, o); err != nil {
		t.Fatalf("update: %v", err)
	}
	o.Plan = plan
	if ev := lastEvent(t, db); ev.Action != "obligation.update" || ev.Before != created || ev.After != mustJSON(o) {
		t.Errorf("update event = %+v, want before %s and after %s", ev, created, mustJSON(o))
	}
	// By the unit whose figures make the report, too.
	got, _ = db.Obligations(ctx, indicators.ObligationFilter{Units: []string{"CT-CU"}})
	if len(got) != 1 || got[0].Frequency != indicators.Monthly || got[0].FiguresUnit() != "CT-CU" || got[0].FromYear != 2025 {
		t.Errorf("after update, by figures unit: got %+v", got)
	}
	// The same again changes nothing and writes no event.
	n := len(eventsOf(t, db, "obligation"))
	if err := db.UpdateObligation(ctx, o); err != nil || len(eventsOf(t, db, "obligation")) != n {
		t.Errorf("unchanged update: %v, events %d → %d", err, n, len(eventsOf(t, db, "obligation")))
	}
	if err := db.UpdateObligation(ctx, indicators.Obligation{ID: 999, Unit: "CT", Frequency: indicators.Yearly}); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Errorf("update of no obligation err = %v, want not found", err)
	}

	// Cut-off rules: a change is kept, the Decree's rule removes it.
	rule := indicators.CutoffRule{Frequency: indicators.Monthly, CutoffDay: 0, DeadlineDays: 5}
	if err := db.SetCutoff(ctx, plan, rule); err != nil {
		t.Fatalf("set cut-off: %v", err)
	}
	if ev := lastEvent(t, db); ev.Action != "cutoff.set" || ev.Object != "cutoff:"+plan+"/month" ||
		ev.Before != mustJSON(indicators.DefaultCutoff(indicators.Monthly)) || ev.After != mustJSON(rule) {
		t.Errorf("cut-off event = %+v", ev)
	}
	if err := db.SetCutoff(ctx, plan, indicators.CutoffRule{Frequency: indicators.Monthly, CutoffDay: 30}); err == nil {
		t.Error("cut-off day 30 was taken")
	}
	if err := db.SetCutoff(ctx, "no-plan", rule); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Errorf("cut-off of no plan err = %v, want not found", err)
	}
	sch, err := db.Schedules(ctx)
	if err != nil || len(sch) != 1 || sch[plan].Rule(indicators.Monthly) != rule ||
		sch[plan].Rule(indicators.Yearly) != indicators.DefaultCutoff(indicators.Yearly) {
		t.Errorf("schedules: got %+v, %v", sch, err)
	}
	if err := db.SetCutoff(ctx, plan, indicators.DefaultCutoff(indicators.Monthly)); err != nil {
		t.Fatal(err)
	}
	if sch, _ = db.Schedules(ctx); len(sch) != 0 {
		t.Errorf("after reset: got %+v, want no changed rules", sch)
	}

	if err := db.RemoveObligation(ctx, o.ID); err != nil {
		t.Fatalf("remove: %v", err)
	}
	if ev := lastEvent(t, db); ev.Action != "obligation.delete" || ev.Before != mustJSON(o) || ev.After != "" {
		t.Errorf("delete event = %+v", ev)
	}
	if got, _ = db.Obligations(ctx, indicators.ObligationFilter{}); len(got) != 0 {
		t.Errorf("after remove: got %+v", got)
	}
	if err := db.RemoveObligation(ctx, o.ID); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Errorf("second remove err = %v, want not found", err)
	}
	var actions []string
	for _, e := range eventsOf(t, db, "obligation") {
		actions = append(actions, e.Action)
	}
	if want := `["obligation.create","obligation.update","obligation.delete"]`; mustJSON(actions) != want {
		t.Errorf("obligation events: got %v, want %s", actions, want)
	}
	if cut := eventsOf(t, db, "cutoff"); len(cut) != 2 {
		t.Errorf("got %d cut-off events, want 2 (set, reset)", len(cut))
	}
}

func itoa(n int64) string { return mustJSON(n) }

// received reads when each figure first arrived: estimates and official
// figures count, plan figures do not, nor a figure entered after the
// as-of moment.
func received(t *testing.T, open Opener) {
	ctx := context.Background()
	c := &Clock{T: time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)}
	db := withCatalog(t, open, c).Store
	jan := indicators.Period{Year: 2025, Kind: indicators.Month, N: 1}
	feb := indicators.Period{Year: 2025, Kind: indicators.Month, N: 2}
	mar := indicators.Period{Year: 2025, Kind: indicators.Month, N: 3}
	add := func(at time.Time, p indicators.Period, typ indicators.ValueType, v float64) {
		t.Helper()
		c.T = at
		if err := db.AddValues(ctx, []indicators.Value{{Key: indicators.Key{Indicator: "ECO-01", Unit: "CT", Period: p, Type: typ},
			Value: v, Source: "S01", EnteredBy: "planner"}}); err != nil {
			t.Fatal(err)
		}
	}
	t1 := time.Date(2025, 1, 10, 3, 0, 0, 0, time.UTC)
	t2 := time.Date(2025, 1, 20, 3, 0, 0, 0, time.UTC)
	add(t1, jan, indicators.EstimateValue, 1)
	add(t2, jan, indicators.OfficialValue, 2) // later: January still counts from t1
	add(t1, feb, indicators.PlanValue, 3)     // a plan figure is no report
	add(time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), mar, indicators.EstimateValue, 4)
	year := indicators.ReceivedKey{Indicator: "ECO-01", Unit: "CT", Period: indicators.YearPeriod(2025)}
	janKey := indicators.ReceivedKey{Indicator: "ECO-01", Unit: "CT", Period: jan}
	got, err := db.Received(ctx, []string{"CT"}, 2025, time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	// The catalogue's 2025 estimate for CT, loaded on 1 February, counts
	// too: two keys.
	if len(got) != 2 || !got[janKey].Equal(t1) || !got[year].Equal(time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("got %v, want January at %s and the year from the catalogue", got, t1)
	}
	// Before the catalogue came and the official figure, January from t1.
	if got, _ = db.Received(ctx, nil, 2025, t1); len(got) != 1 || !got[janKey].Equal(t1) {
		t.Errorf("as of %s: got %v, want January alone", t1, got)
	}
	if got, _ = db.Received(ctx, []string{"CT-CU"}, 2025, time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)); len(got) != 0 {
		t.Errorf("another unit: got %v, want none", got)
	}
	if got, _ = db.Received(ctx, nil, 2025, time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)); len(got) != 3 {
		t.Errorf("all units in May: got %v, want January, March and the year", got)
	}
}

// reminders claims a reminder once, whoever asks again; a released claim
// can be taken again, a sent one cannot be released. Addresses are set,
// audited, checked and listed for enabled users only.
func reminders(t *testing.T, open Opener) {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "root", Role: indicators.Admin})
	c := &Clock{T: time.Date(2026, 1, 5, 1, 0, 0, 0, time.UTC)}
	db := withCatalog(t, open, c).Store
	addUser(t, db, ctx, indicators.User{Name: "lan", Role: indicators.Planner, Units: []string{"CT"}})
	addUser(t, db, ctx, indicators.User{Name: "minh", Role: indicators.Leader})

	if a, err := db.UserEmail(ctx, "lan"); err != nil || a != "" {
		t.Errorf("no address yet = %q, %v", a, err)
	}
	if err := db.SetUserEmail(ctx, "lan", " lan@cantho.gov.vn "); err != nil {
		t.Fatal(err)
	}
	if ev := lastEvent(t, db); ev.Action != "user.email" || ev.Object != "user:lan" || ev.Before != `{"email":""}` ||
		ev.After != `{"email":"lan@cantho.gov.vn"}` {
		t.Errorf("e-mail event = %+v", ev)
	}
	n := len(eventsOf(t, db, "user.email"))
	if err := db.SetUserEmail(ctx, "lan", "lan@cantho.gov.vn"); err != nil || len(eventsOf(t, db, "user.email")) != n {
		t.Errorf("the same address again: %v, and an event was written", err)
	}
	if err := db.SetUserEmail(ctx, "lan", "Lan <lan@cantho.gov.vn>"); indicators.ErrorCode(err) != indicators.EINVALID {
		t.Errorf("an address with a name err = %v, want invalid", err)
	}
	if err := db.SetUserEmail(ctx, "nobody", "x@cantho.gov.vn"); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Errorf("address of no user err = %v, want not found", err)
	}
	if err := db.SetUserEmail(ctx, "minh", "minh@cantho.gov.vn"); err != nil {
		t.Fatal(err)
	}
	if err := db.SetDisabled(ctx, "minh", true); err != nil {
		t.Fatal(err)
	}
	if got, err := db.UserEmails(ctx); err != nil || len(got) != 1 || got["lan"] != "lan@cantho.gov.vn" {
		t.Errorf("UserEmails = %v, %v; want lan's alone (minh is disabled)", got, err)
	}
	if err := db.SetUserEmail(ctx, "lan", ""); err != nil {
		t.Fatal(err)
	}
	if a, _ := db.UserEmail(ctx, "lan"); a != "" || lastEvent(t, db).After != `{"email":""}` {
		t.Errorf("after removal: %q, event %+v", a, lastEvent(t, db))
	}

	const k = "overdue/2026-01/lan"
	if ok, err := db.ClaimReminder(ctx, k, "lan", "lan@cantho.gov.vn"); err != nil || !ok {
		t.Fatalf("first claim = %v, %v", ok, err)
	}
	if ok, err := db.ClaimReminder(ctx, k, "lan", "lan@cantho.gov.vn"); err != nil || ok {
		t.Errorf("second claim = %v, %v; want refused", ok, err)
	}
	// The mail server was not reached: released, the next round claims it.
	if err := db.ReleaseReminder(ctx, k); err != nil {
		t.Fatal(err)
	}
	if ok, err := db.ClaimReminder(ctx, k, "lan", "lan@cantho.gov.vn"); err != nil || !ok {
		t.Errorf("claim after release = %v, %v", ok, err)
	}
	if err := db.ReminderSent(ctx, k, errors.New("421 try later")); err != nil {
		t.Fatal(err)
	}
	if err := db.ReminderSent(ctx, k, nil); err != nil {
		t.Fatal(err)
	}
	// Sent: a release no longer frees it, and no claim takes it again.
	if err := db.ReleaseReminder(ctx, k); err != nil {
		t.Fatal(err)
	}
	if ok, err := db.ClaimReminder(ctx, k, "lan", "lan@cantho.gov.vn"); err != nil || ok {
		t.Errorf("claim of a sent reminder = %v, %v; want refused", ok, err)
	}
}

// idempotency claims a key, replays its answer to a retry, frees it when
// abandoned, and forgets keys past their time: a running one after
// IdempotencyStale, an answered one after IdempotencyKept.
func idempotency(t *testing.T, open Opener) {
	ctx := context.Background()
	c := &Clock{T: time.Date(2026, 1, 5, 1, 0, 0, 0, time.UTC)}
	db := open(t, c.Now).Store
	now := time.Date(2026, 1, 5, 1, 0, 0, 123456000, time.UTC)
	req := indicators.IdempotentAnswer{User: "lan", Key: "k-1", Request: "POST /api/v1/values sha256:ab"}
	held, ok, err := db.BeginIdempotent(ctx, req, now)
	if err != nil || !ok {
		t.Fatalf("first begin = %+v, %v, %v", held, ok, err)
	}
	held, ok, err = db.BeginIdempotent(ctx, req, now.Add(time.Second))
	if err != nil || ok || held.Done || held.Request != req.Request || held.User != "lan" || held.Key != "k-1" || !held.CreatedAt.Equal(now) {
		t.Fatalf("begin while running = %+v, %v, %v; want the running claim made at %s", held, ok, err, now)
	}
	// Another user's same key is another key.
	if _, ok, err := db.BeginIdempotent(ctx, indicators.IdempotentAnswer{User: "minh", Key: "k-1", Request: "x"}, now); err != nil || !ok {
		t.Errorf("another user's key = %v, %v", ok, err)
	}
	ans := req
	ans.Status, ans.ContentType, ans.Body = 201, "application/json", []byte(`{"added":1}`)
	if err := db.FinishIdempotent(ctx, ans); err != nil {
		t.Fatal(err)
	}
	// Finished once: a second finish does not change the kept answer.
	other := ans
	other.Status, other.Body = 500, []byte("no")
	if err := db.FinishIdempotent(ctx, other); err != nil {
		t.Fatal(err)
	}
	held, ok, err = db.BeginIdempotent(ctx, req, now.Add(time.Hour))
	if err != nil || ok || !held.Done || held.Status != 201 || held.ContentType != "application/json" || !bytes.Equal(held.Body, ans.Body) {
		t.Errorf("replay = %+v, %v, %v; want the 201 answer", held, ok, err)
	}
	// An answered key is not abandoned; a day on, it is gone.
	if err := db.AbandonIdempotent(ctx, "lan", "k-1"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := db.BeginIdempotent(ctx, req, now.Add(2*time.Hour)); ok {
		t.Error("abandon freed an answered key")
	}
	if _, ok, err := db.BeginIdempotent(ctx, req, now.Add(indicators.IdempotencyKept+time.Second)); err != nil || !ok {
		t.Errorf("a day on = %v, %v; want the key claimed anew", ok, err)
	}

	// A claim abandoned is free at once.
	k2 := indicators.IdempotentAnswer{User: "lan", Key: "k-2", Request: "r"}
	later := now.Add(48 * time.Hour)
	if _, ok, _ := db.BeginIdempotent(ctx, k2, later); !ok {
		t.Fatal("k-2 not claimed")
	}
	if err := db.AbandonIdempotent(ctx, "lan", "k-2"); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := db.BeginIdempotent(ctx, k2, later.Add(time.Second)); err != nil || !ok {
		t.Errorf("after abandon = %v, %v; want claimed", ok, err)
	}
	// A claim whose request never answered is taken for dead after
	// IdempotencyStale, not before.
	if _, ok, _ := db.BeginIdempotent(ctx, k2, later.Add(indicators.IdempotencyStale-time.Minute)); ok {
		t.Error("a running claim was taken before it went stale")
	}
	if _, ok, err := db.BeginIdempotent(ctx, k2, later.Add(indicators.IdempotencyStale+2*time.Second)); err != nil || !ok {
		t.Errorf("after the stale time = %v, %v; want claimed", ok, err)
	}
}
