package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"chitieu/indicators"
)

// TestObligationsStoredAndAudited adds, changes and removes an obligation
// and a cut-off rule, and checks each write is refused when it should be
// and leaves an audit event when it changes something.
func TestObligationsStoredAndAudited(t *testing.T) {
	t.Parallel()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "admin", Role: indicators.Admin})
	c := &clock{t: time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC)}
	db := open(t, filepath.Join(t.TempDir(), "o.db"), c)
	cat := smallCatalog()
	if _, err := db.LoadCatalog(ctx, cat); err != nil {
		t.Fatal(err)
	}
	plan := cat.Plans[2].ID
	o := indicators.Obligation{Plan: plan, Unit: "CT", Indicators: []string{"ECO-01", "ECO-01"}, Frequency: indicators.Quarterly}
	if err := db.AddObligation(ctx, &o); err != nil {
		t.Fatalf("add: %v", err)
	}
	if o.ID == 0 {
		t.Fatal("add set no ID")
	}
	dup := indicators.Obligation{Plan: plan, Unit: "CT", Indicators: []string{"ECO-01"}, Frequency: indicators.Quarterly}
	var de *indicators.Error
	if err := db.AddObligation(ctx, &dup); !errors.As(err, &de) || de.Code != indicators.ECONFLICT {
		t.Errorf("same unit and frequency again: got %v, want a conflict", err)
	}
	bad := indicators.Obligation{Plan: plan, Unit: "CT", Indicators: []string{"ECO-99"}, Frequency: indicators.Monthly}
	if err := db.AddObligation(ctx, &bad); !errors.As(err, &de) || de.Field != "indicators" {
		t.Errorf("unknown indicator: got %v, want an error on indicators", err)
	}
	got, err := db.Obligations(ctx, indicators.ObligationFilter{Plan: plan})
	if err != nil || len(got) != 1 || len(got[0].Indicators) != 1 || got[0].Frequency != indicators.Quarterly {
		t.Fatalf("list: got %+v, %v; want one quarterly obligation of ECO-01 (the repeat dropped)", got, err)
	}
	o.Frequency, o.Figures = indicators.Monthly, "CT-CU"
	if err := db.UpdateObligation(ctx, o); err != nil {
		t.Fatalf("update: %v", err)
	}
	got, _ = db.Obligations(ctx, indicators.ObligationFilter{Units: []string{"CT-CU"}})
	if len(got) != 1 || got[0].Frequency != indicators.Monthly || got[0].FiguresUnit() != "CT-CU" {
		t.Errorf("after update, by figures unit: got %+v", got)
	}
	if err := db.SetCutoff(ctx, plan, indicators.CutoffRule{Frequency: indicators.Monthly, CutoffDay: 0, DeadlineDays: 5}); err != nil {
		t.Fatalf("set cut-off: %v", err)
	}
	if err := db.SetCutoff(ctx, plan, indicators.CutoffRule{Frequency: indicators.Monthly, CutoffDay: 30}); err == nil {
		t.Error("cut-off day 30 was taken")
	}
	sch, err := db.Schedules(ctx)
	if err != nil || sch[plan].Rule(indicators.Monthly).DeadlineDays != 5 || sch[plan].Rule(indicators.Yearly) != indicators.DefaultCutoff(indicators.Yearly) {
		t.Errorf("schedules: got %+v, %v", sch, err)
	}
	// Back to the Decree's rule: the change is removed.
	if err := db.SetCutoff(ctx, plan, indicators.DefaultCutoff(indicators.Monthly)); err != nil {
		t.Fatal(err)
	}
	if sch, _ = db.Schedules(ctx); len(sch) != 0 {
		t.Errorf("after reset: got %+v, want no changed rules", sch)
	}
	if err := db.RemoveObligation(ctx, o.ID); err != nil {
		t.Fatalf("remove: %v", err)
	}
	if got, _ = db.Obligations(ctx, indicators.ObligationFilter{}); len(got) != 0 {
		t.Errorf("after remove: got %+v", got)
	}
	evs, err := db.AuditEvents(ctx, indicators.AuditFilter{Action: "obligation"})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range evs {
		actions = append(actions, e.Action)
		if e.User != "admin" {
			t.Errorf("%s by %q, want admin", e.Action, e.User)
		}
	}
	if want := "[obligation.create obligation.update obligation.delete]"; fmtList(actions) != want {
		t.Errorf("obligation events: got %v, want %s", actions, want)
	}
	cut, _ := db.AuditEvents(ctx, indicators.AuditFilter{Action: "cutoff"})
	if len(cut) != 2 {
		t.Errorf("got %d cut-off events, want 2 (set, reset)", len(cut))
	}
}

func fmtList(s []string) string {
	out := "["
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out + "]"
}

// TestReceived reads when each figure first arrived: estimates and
// official figures count, plan figures do not, a figure entered after the
// as-of moment or rolled back by then does not.
func TestReceived(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := &clock{t: time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)}
	db := open(t, filepath.Join(t.TempDir(), "r.db"), c)
	if _, err := db.LoadCatalog(ctx, smallCatalog()); err != nil {
		t.Fatal(err)
	}
	jan := indicators.Period{Year: 2025, Kind: indicators.Month, N: 1}
	feb := indicators.Period{Year: 2025, Kind: indicators.Month, N: 2}
	mar := indicators.Period{Year: 2025, Kind: indicators.Month, N: 3}
	add := func(at time.Time, p indicators.Period, typ indicators.ValueType, v float64) {
		t.Helper()
		c.t = at
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
	got, err := db.Received(ctx, []string{"CT"}, 2025, time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	// The catalogue's 2025 estimate for CT counts too: two keys.
	if len(got) != 2 || !got[indicators.ReceivedKey{Indicator: "ECO-01", Unit: "CT", Period: jan}].Equal(t1) {
		t.Errorf("got %v, want January at %s and the year from the catalogue", got, t1)
	}
	if got, _ = db.Received(ctx, []string{"CT-CU"}, 2025, time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)); len(got) != 0 {
		t.Errorf("another unit: got %v, want none", got)
	}
	if got, _ = db.Received(ctx, nil, 2025, time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)); len(got) != 3 {
		t.Errorf("all units in May: got %v, want January, March and the year", got)
	}
}

// TestSuggestObligationsFromCatalogue seeds the built-in way: the lead
// agency owes its indicators of the plan, the city's figures.
func TestSuggestObligationsFromCatalogue(t *testing.T) {
	t.Parallel()
	cat := smallCatalog()
	cat.Units = append(cat.Units, indicators.Unit{Code: "TK", NameVI: "Thống kê", Kind: indicators.Agency})
	cat.Indicators[0].LeadAgency = "TK"
	plan := cat.Plans[2]
	plan.Scope = indicators.OldCity
	add, unowned := indicators.SuggestObligations(plan, cat.Targets, cat.Indicators, cat.Units, nil)
	if len(add) != 1 || add[0].Unit != "TK" || add[0].Figures != "CT" || add[0].Frequency != indicators.Yearly ||
		len(add[0].Indicators) != 1 || len(unowned) != 0 {
		t.Errorf("got %+v, unowned %v; want TK yearly for ECO-01 with the figures of CT, the city in existence", add, unowned)
	}
	// Once stored, nothing more is proposed.
	add, _ = indicators.SuggestObligations(plan, cat.Targets, cat.Indicators, cat.Units, add)
	if len(add) != 0 {
		t.Errorf("second time: got %+v, want none", add)
	}
	cat.Indicators[0].LeadAgency = ""
	if _, unowned = indicators.SuggestObligations(plan, cat.Targets, cat.Indicators, cat.Units, nil); len(unowned) != 1 {
		t.Errorf("no lead agency: unowned %v, want ECO-01", unowned)
	}
}
