// Package storetest is the one store test suite: behaviours every store of
// chitieu must show, run against a constructor, so that SQLite and
// PostgreSQL are held to the same cases (stores_test.go runs both). A
// store part not yet on PostgreSQL joins the suite when it gets there.
package storetest

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
)

// Store is what the suite exercises: the parts of indicators' store
// interfaces that both stores implement.
type Store interface {
	indicators.Store
	indicators.UserStore
	indicators.AuditLog
	indicators.AuditStream
	indicators.ValueStream
	indicators.BatchReader
	indicators.Versioner
	indicators.ImportStore
	indicators.TokenStore
	indicators.UploadKeeper
	indicators.ExportLog
	indicators.MetadataStore
	indicators.PublicStore
	indicators.ObligationStore
	indicators.ReminderStore
	indicators.IdempotencyStore

	// The lease that keeps one reminders' sender among the servers of a
	// database (the reminders package asks for these two).
	TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error
}

// Handle is an opened store with a way to change its tables behind its
// back, as someone with access to the database could: the same SQL runs on
// both engines (audit_events has the same columns there).
type Handle struct {
	Store Store
	Exec  func(query string) error
}

// Opener opens a new, empty store whose clock is now, closed when t ends.
type Opener func(t *testing.T, now func() time.Time) Handle

// Clock is a settable clock for entries at known moments.
type Clock struct{ T time.Time }

// Now is the clock's moment.
func (c *Clock) Now() time.Time { return c.T }

// Run runs every case of the suite against stores that open makes.
func Run(t *testing.T, open Opener) {
	cases := []struct {
		name string
		fn   func(t *testing.T, open Opener)
	}{
		{"CatalogLoadsOnceAndFindsPlans", catalogLoadsOnce},
		{"ReferenceDataReadsBack", referenceDataReadsBack},
		{"TargetRevisionsKeepHistory", targetRevisionsKeepHistory},
		{"ValuesSupersedeAndHistory", valuesSupersede},
		{"ValuesOutsideThePlannersScopeAreRefused", plannerScope},
		{"UsersAreAuditedAndValidated", usersAudited},
		{"SessionsAndLoginFailures", sessions},
		{"AuditChainHoldsAndShowsTampering", auditChain},
		{"AuditFiltersAndDataVersion", auditFilters},
		{"ImportCommitWithdrawAndRollback", importCommit},
		{"SubmissionTransitionsAndWhoMayMakeThem", submissionTransitions},
		{"LockedPeriodsRefuseValuesAndApprovedBatchesStay", lockedPeriods},
		{"RollbackSetsASubmittedPeriodBackToDraft", rollbackResetsSubmission},
		{"SubmissionNeedsExplanationsOfLaggingTargets", explanations},
		{"StagedBatchKeepsItsFile", stagedBatchFile},
		{"ALargeBatchKeepsEveryColumn", largeBatch},
		{"ProfilesAreSavedRenamedAndDeleted", profiles},
		{"TokensAreKeptByHashAndRevoked", tokens},
		{"UploadsAreKeptOnceAndChecked", uploads},
		{"MetadataPublicViewAndExports", openData},
		{"EveryCatalogueEditIsAuditedWithBeforeAndAfter", catalogueEditsAudited},
		{"RefusedEditsStoreNothing", refusedEdits},
		{"TaskProgressByPlannersInScopeWithHistory", taskProgress},
		{"CatalogChangesAreAllOrNothing", catalogChangesAllOrNothing},
		{"ObligationsAndCutoffsAreAudited", obligations},
		{"ReceivedCountsTheFirstReport", received},
		{"RemindersAreClaimedOnce", reminders},
		{"LeasesHaveOneHolderUntilTheyExpire", leases},
		{"IdempotencyKeysReplayAndExpire", idempotency},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, open)
		})
	}
}

func day(s string) time.Time {
	d, err := time.ParseInLocation("2006-01-02", s, indicators.Vietnam)
	if err != nil {
		panic(err)
	}
	return d
}

func key(ind, unit string, year int, typ indicators.ValueType) indicators.Key {
	return indicators.Key{Indicator: ind, Unit: unit, Period: indicators.YearPeriod(year), Type: typ}
}

// SmallCatalog has two plans numbered 59-NQ/TW, a task group, a task, one
// indicator, two city units, a source and a target: enough to exercise a
// store.
func SmallCatalog() *indicators.Catalog {
	r59 := indicators.Plan{Code: "59-NQ/TW", Issued: day("2020-08-05"), TitleVI: "Nghị quyết 59 về Cần Thơ", Order: 1,
		Incomplete: "Mục 10–20 chưa công bố đầy đủ"}
	r59.ID = indicators.PlanID(r59.Code, r59.Issued)
	other := indicators.Plan{Code: "59-NQ/TW", Issued: day("2025-01-24"), TitleVI: "Nghị quyết 59 về hội nhập quốc tế", Order: 2}
	other.ID = indicators.PlanID(other.Code, other.Issued)
	r98 := indicators.Plan{Code: "98/NQ-CP", Issued: day("2021-08-30"), TitleVI: "Chương trình hành động", Parent: r59.ID, Order: 3}
	r98.ID = indicators.PlanID(r98.Code, r98.Issued)
	pct := 40.0
	return &indicators.Catalog{
		Plans:  []indicators.Plan{r59, other, r98},
		Groups: []indicators.TaskGroup{{Plan: r59.ID, Number: 0, NameVI: "Mục tiêu tổng quát"}},
		Tasks: []indicators.Task{{Code: "T-01", Plan: r59.ID, Group: 0, NameVI: "Cao tốc Cần Thơ – Cà Mau",
			Deadline: day("2025-12-31"), Percent: &pct}},
		Units: []indicators.Unit{
			{Code: "CT-CU", NameVI: "TP Cần Thơ (cũ)", Kind: indicators.City, Scope: indicators.OldCity, ValidTo: day("2025-06-30")},
			{Code: "CT", NameVI: "TP Cần Thơ", Kind: indicators.City, Scope: indicators.MergedCity, ValidFrom: day("2025-07-01")},
		},
		Indicators: []indicators.Indicator{{Code: "ECO-01", NameVI: "Tăng trưởng GRDP", Unit: "%", Decimals: 2,
			Direction: indicators.Up, Measure: indicators.GrowthRate, Rollup: indicators.RollupNone, Frequency: indicators.Yearly}},
		Targets: []indicators.Target{{Plan: r98.ID, Indicator: "ECO-01", Period: indicators.YearRange{From: 2021, To: 2025},
			Scope: indicators.OldCity, TargetRevision: indicators.TargetRevision{Kind: indicators.AvgGrowthTarget,
				Bound: indicators.Bound{Op: indicators.OpRange, A: 7.5, B: 8}, Text: "7,5–8%/năm", Source: "S08",
				Act: "98/NQ-CP", Effective: day("2021-08-30"), EnteredBy: "catalog"}}},
		Values: []indicators.Value{
			{Key: key("ECO-01", "CT-CU", 2021, indicators.OfficialValue), Value: -2.79, Source: "S45", EnteredBy: "catalog"},
			{Key: key("ECO-01", "CT", 2025, indicators.EstimateValue), Value: 8.3, Source: "S33", EnteredBy: "catalog"},
		},
		Sources: []indicators.Source{{Code: "S08", Title: "Nghị quyết 98/NQ-CP", Publisher: "chinhphu.vn",
			Published: day("2021-08-30"), Address: "https://chinhphu.vn/"}},
	}
}

// withCatalog opens a store with SmallCatalog loaded.
func withCatalog(t *testing.T, open Opener, c *Clock) Handle {
	t.Helper()
	h := open(t, c.Now)
	if _, err := h.Store.LoadCatalog(context.Background(), SmallCatalog()); err != nil {
		t.Fatalf("load catalogue: %v", err)
	}
	return h
}

func lastEvent(t *testing.T, s Store) indicators.AuditEvent {
	t.Helper()
	evs, err := s.AuditEvents(context.Background(), indicators.AuditFilter{Newest: true, Limit: 1})
	if err != nil || len(evs) != 1 {
		t.Fatalf("last audit event: %v, %v", evs, err)
	}
	return evs[0]
}

func catalogLoadsOnce(t *testing.T, open Opener) {
	ctx := context.Background()
	c := &Clock{T: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := open(t, c.Now).Store
	res, err := db.LoadCatalog(ctx, SmallCatalog())
	if err != nil {
		t.Fatal(err)
	}
	if res.Plans != 3 || res.Groups != 1 || res.Tasks != 1 || res.Units != 2 || res.Indicators != 1 || res.Targets != 1 || res.Values != 2 {
		t.Fatalf("first load = %+v, want 3 plans, 1 group, 1 task, 2 units, 1 indicator, 1 target, 2 values", res)
	}
	// A second load with one more value adds only that value; a third
	// finds the catalogue loaded and writes nothing, not even an event.
	cat := SmallCatalog()
	cat.Values = append(cat.Values, indicators.Value{Key: key("ECO-01", "CT-CU", 2022, indicators.OfficialValue),
		Value: 12.64, Source: "S46", EnteredBy: "catalog"})
	if res, err = db.LoadCatalog(ctx, cat); err != nil {
		t.Fatal(err)
	}
	if res != (indicators.CatalogResult{Values: 1}) {
		t.Fatalf("second load = %+v, want only the new value", res)
	}
	before, _ := db.AuditHead(ctx)
	if res, err = db.LoadCatalog(ctx, cat); err != nil || res != (indicators.CatalogResult{}) {
		t.Fatalf("third load = %+v, %v; want nothing", res, err)
	}
	if after, _ := db.AuditHead(ctx); after != before || after.Events != 2 {
		t.Fatalf("audit head after a load of nothing = %+v, before %+v; want the same two catalog.load events", after, before)
	}

	// Two plans carry 59-NQ/TW: the code alone is ambiguous, the ID is not.
	_, err = db.FindPlan(ctx, "59-NQ/TW")
	if indicators.ErrorCode(err) != indicators.EINVALID || !strings.Contains(err.Error(), "59-nq-tw-2020-08-05") {
		t.Fatalf("FindPlan(59-NQ/TW) err = %v, want an ambiguity naming both IDs", err)
	}
	p, err := db.FindPlan(ctx, "59-nq-tw-2020-08-05")
	if err != nil || p.Issued.Format("2006-01-02") != "2020-08-05" || p.Issued.Location() != indicators.Vietnam ||
		p.Incomplete != "Mục 10–20 chưa công bố đầy đủ" {
		t.Fatalf("FindPlan by ID = %+v, %v", p, err)
	}
	if p, err = db.FindPlan(ctx, "98/nq-cp"); err != nil || p.Code != "98/NQ-CP" || p.Parent != "59-nq-tw-2020-08-05" {
		t.Fatalf("FindPlan(98/nq-cp) = %+v, %v", p, err)
	}
	if _, err = db.FindPlan(ctx, "1/NQ-XX"); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Fatalf("FindPlan unknown err = %v, want not found", err)
	}
	plans, err := db.Plans(ctx)
	if err != nil || len(plans) != 3 || plans[0].Order != 1 || plans[2].Code != "98/NQ-CP" {
		t.Fatalf("Plans = %+v, %v; want the three in register order", plans, err)
	}
}

func referenceDataReadsBack(t *testing.T, open Opener) {
	ctx := context.Background()
	c := &Clock{T: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := withCatalog(t, open, c).Store
	r59 := SmallCatalog().Plans[0].ID
	gs, err := db.TaskGroups(ctx, r59)
	if err != nil || len(gs) != 1 || gs[0].NameVI != "Mục tiêu tổng quát" {
		t.Fatalf("TaskGroups = %+v, %v", gs, err)
	}
	ts, err := db.Tasks(ctx, "")
	if err != nil || len(ts) != 1 || ts[0].Percent == nil || *ts[0].Percent != 40 || !ts[0].Deadline.Equal(day("2025-12-31")) ||
		!ts[0].Start.IsZero() {
		t.Fatalf("Tasks = %+v, %v; want T-01 at 40%% due 31/12/2025 with no start", ts, err)
	}
	if ups, err := db.TaskUpdates(ctx, ts[0].ID); err != nil || len(ups) != 0 {
		t.Fatalf("TaskUpdates = %+v, %v; want none", ups, err)
	}
	us, err := db.Units(ctx)
	if err != nil || len(us) != 2 || us[0].Code != "CT" || !us[1].ValidTo.Equal(day("2025-06-30")) || !us[0].ValidFrom.Equal(day("2025-07-01")) {
		t.Fatalf("Units = %+v, %v", us, err)
	}
	if _, err := db.Unit(ctx, "XX"); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Fatalf("Unit(XX) err = %v, want not found", err)
	}
	ind, err := db.Indicator(ctx, "ECO-01")
	if err != nil || ind.Direction != indicators.Up || ind.Measure != indicators.GrowthRate || ind.Decimals != 2 {
		t.Fatalf("Indicator = %+v, %v", ind, err)
	}
	src, err := db.SourceByCode(ctx, "S08")
	if err != nil || src.Publisher != "chinhphu.vn" || !src.Published.Equal(day("2021-08-30")) {
		t.Fatalf("SourceByCode = %+v, %v", src, err)
	}
	s, err := db.Settings(ctx)
	if err != nil || !reflect.DeepEqual(s, indicators.DefaultSettings()) {
		t.Fatalf("Settings = %+v, %v; want the defaults", s, err)
	}
}

func targetRevisionsKeepHistory(t *testing.T, open Opener) {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "admin"})
	c := &Clock{T: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := withCatalog(t, open, c).Store
	ts, err := db.Targets(ctx, indicators.TargetFilter{Indicator: "ECO-01"})
	if err != nil || len(ts) != 1 {
		t.Fatalf("targets = %v, %v", ts, err)
	}
	c.T = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	rev := indicators.TargetRevision{Kind: indicators.AvgGrowthTarget, Bound: indicators.Bound{Op: indicators.OpAtLeast, A: 7},
		Text: "7%/năm trở lên", Act: "QĐ 1/QĐ-UBND", ActDate: day("2026-01-20"), Effective: day("2026-06-01"), Reason: "điều chỉnh sau hợp nhất"}
	if err := db.ReviseTarget(ctx, ts[0].ID, rev); err != nil {
		t.Fatal(err)
	}
	city := ""
	ts, err = db.Targets(ctx, indicators.TargetFilter{Plan: ts[0].Plan, Unit: &city, Period: &indicators.YearRange{From: 2021, To: 2025}})
	if err != nil || len(ts) != 1 {
		t.Fatalf("targets after revision = %v, %v", ts, err)
	}
	got := ts[0]
	if len(got.Revisions) != 2 || got.Seq != 1 || got.Bound.A != 7 || got.Revisions[0].Bound.A != 7.5 ||
		got.EnteredBy != "admin" || !got.EnteredAt.Equal(c.T) || !got.ActDate.Equal(day("2026-01-20")) ||
		got.Revisions[0].EnteredBy != "catalog" {
		t.Fatalf("target = %+v; want the revision on top of the original", got)
	}
	tr, ok := db.(interface {
		Target(context.Context, int64) (indicators.Target, error)
	})
	if !ok {
		t.Fatalf("%T cannot read one target", db)
	}
	if one, err := tr.Target(ctx, got.ID); err != nil || len(one.Revisions) != 2 {
		t.Errorf("Target(%d) = %+v, %v; want its 2 revisions", got.ID, one, err)
	}
	if _, err := tr.Target(ctx, 999); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Errorf("Target(999) err = %v, want not found", err)
	}
	ev := lastEvent(t, db)
	if ev.Action != "target.revise" || !strings.Contains(ev.Before, "7.5") || !strings.Contains(ev.After, "QĐ 1/QĐ-UBND") {
		t.Fatalf("revision event = %+v", ev)
	}
	// A revision without its act is refused and leaves the history alone.
	if err := db.ReviseTarget(ctx, got.ID, indicators.TargetRevision{Kind: indicators.AvgGrowthTarget,
		Bound: indicators.Bound{Op: indicators.OpAtLeast, A: 6}}); indicators.ErrorCode(err) != indicators.EINVALID {
		t.Fatalf("revision without act err = %v, want invalid", err)
	}
	if ts, _ = db.Targets(ctx, indicators.TargetFilter{Indicator: "ECO-01"}); len(ts[0].Revisions) != 2 {
		t.Fatalf("a refused revision was stored: %+v", ts[0].Revisions)
	}
	// The revision in force at a moment is the newest one both entered and
	// effective by then: the store keeps the entry time and the effective
	// date that this rule reads.
	for _, tc := range []struct {
		at   time.Time
		want float64
	}{
		{indicators.EndOfDay(day("2026-01-15")), 7.5}, // entered on 1 February: the original
		{indicators.EndOfDay(day("2026-05-31")), 7.5}, // entered, in force from 1 June
		{indicators.EndOfDay(day("2026-06-01")), 7},
	} {
		r, ok := indicators.InForce(ts[0].Revisions, tc.at)
		if !ok || r.Bound.A != tc.want {
			t.Errorf("in force at %s = %+v (%v), want bound %v", tc.at, r.Bound, ok, tc.want)
		}
	}
}

func valuesSupersede(t *testing.T, open Opener) {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan", Addr: "10.0.0.7"})
	c := &Clock{T: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := withCatalog(t, open, c).Store
	k := key("ECO-01", "CT-CU", 2024, indicators.OfficialValue)
	c.T = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	if err := db.AddValues(ctx, []indicators.Value{{Key: k, Value: 7.0, Source: "S56", Sheet: "Biểu 01", Cell: "I11"}}); err != nil {
		t.Fatal(err)
	}
	c.T = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	high := 7.5
	if err := db.AddValues(ctx, []indicators.Value{{Key: k, Value: 7.12, Source: "S56", Sheet: "Biểu 01", Cell: "I12"},
		{Key: key("ECO-01", "CT-CU", 2025, indicators.PlanValue), Value: 7, High: &high, Source: "S56", Sheet: "Biểu 01", Cell: "J12"}}); err != nil {
		t.Fatal(err)
	}
	got := func(at time.Time) (current float64, superseded []float64) {
		vs, err := db.Values(ctx, indicators.ValueFilter{Indicator: "ECO-01", Units: []string{"CT-CU"}, EnteredBy: at})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			if v.Key != k {
				continue
			}
			if v.Superseded {
				superseded = append(superseded, v.Value)
			} else {
				current = v.Value
			}
			if v.EnteredBy != "lan" || v.Sheet != "Biểu 01" || v.Scope != indicators.OldCity {
				t.Errorf("value %v lost its provenance or scope: %+v", v.Value, v)
			}
		}
		return current, superseded
	}
	if cur, sup := got(time.Time{}); cur != 7.12 || len(sup) != 1 || sup[0] != 7.0 {
		t.Errorf("now: current %v, superseded %v; want 7.12 and [7]", cur, sup)
	}
	if cur, sup := got(time.Date(2026, 2, 15, 0, 0, 0, 0, time.UTC)); cur != 7.0 || len(sup) != 0 {
		t.Errorf("as of 15 Feb: current %v, superseded %v; want 7 alone", cur, sup)
	}
	if cur, _ := got(time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)); cur != 0 {
		t.Errorf("as of 15 Jan: current %v, want none", cur)
	}
	// The stream marks the same values as the list, at each moment.
	for _, at := range []time.Time{{}, time.Date(2026, 2, 15, 0, 0, 0, 0, time.UTC)} {
		f := indicators.ValueFilter{Indicator: "ECO-01", EnteredBy: at}
		list, err := db.Values(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]bool{}
		for _, v := range list {
			want[v.ID] = v.Superseded
		}
		n := 0
		var lastID int64
		err = db.EachValue(ctx, f, func(v indicators.Value) error {
			n++
			if v.ID <= lastID {
				t.Errorf("EachValue out of order: %d after %d", v.ID, lastID)
			}
			lastID = v.ID
			if sup, ok := want[v.ID]; !ok || sup != v.Superseded {
				t.Errorf("as of %v: EachValue value %d superseded %v, Values says %v (listed %v)", at, v.ID, v.Superseded, sup, ok)
			}
			if v.High != nil && *v.High != 7.5 {
				t.Errorf("value %d high = %v, want 7.5", v.ID, *v.High)
			}
			return nil
		})
		if err != nil || n != len(list) {
			t.Errorf("as of %v: EachValue gave %d values, %v; Values %d", at, n, err, len(list))
		}
		if cnt, err := db.CountValues(ctx, f); err != nil || cnt != len(list) {
			t.Errorf("as of %v: CountValues = %d, %v; want %d", at, cnt, err, len(list))
		}
	}
	// Every addition is in the audit trail with who, where and what it replaced.
	evs, err := db.AuditEvents(ctx, indicators.AuditFilter{Action: "value"})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 3 || evs[1].User != "lan" || evs[1].Addr != "10.0.0.7" || !strings.Contains(evs[1].Before, `"value":7`) ||
		!strings.Contains(evs[2].After, `"high":7.5`) || evs[2].Before != "" {
		t.Fatalf("audit events = %+v", evs)
	}
	// A value for an unknown unit is refused and nothing is stored.
	head, _ := db.AuditHead(ctx)
	bad := []indicators.Value{
		{Key: key("ECO-01", "CT-CU", 2019, indicators.OfficialValue), Value: 7.84, Source: "S41"},
		{Key: key("ECO-01", "XX", 2019, indicators.OfficialValue), Value: 1, Source: "S41"},
	}
	if err := db.AddValues(ctx, bad); indicators.ErrorCode(err) != indicators.EINVALID {
		t.Fatalf("unknown unit err = %v, want invalid", err)
	}
	vs, _ := db.Values(ctx, indicators.ValueFilter{Indicator: "ECO-01"})
	for _, v := range vs {
		if v.Period.Year == 2019 {
			t.Fatalf("a refused batch left %+v behind", v)
		}
	}
	if after, _ := db.AuditHead(ctx); after != head {
		t.Fatalf("a refused batch moved the audit head from %+v to %+v", head, after)
	}
}

func plannerScope(t *testing.T, open Opener) {
	c := &Clock{T: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := withCatalog(t, open, c).Store
	planner := indicators.WithActor(context.Background(), indicators.Actor{User: "hoa", Role: indicators.Planner,
		Units: []string{"CT"}})
	err := db.AddValues(planner, []indicators.Value{
		{Key: key("ECO-01", "CT", 2025, indicators.OfficialValue), Value: 8, Source: "S33"},
		{Key: key("ECO-01", "CT-CU", 2024, indicators.OfficialValue), Value: 7, Source: "S56"},
	})
	if indicators.ErrorCode(err) != indicators.EFORBIDDEN || !strings.Contains(err.Error(), "CT-CU") ||
		!strings.Contains(indicators.ErrorMessage(err), "ngoài phạm vi") {
		t.Fatalf("value outside the planner's units err = %v, want forbidden naming CT-CU, outside the scope", err)
	}
	if n, _ := db.CountValues(context.Background(), indicators.ValueFilter{}); n != 2 {
		t.Fatalf("%d values after a refused write, want the catalogue's 2", n)
	}
	leader := indicators.WithActor(context.Background(), indicators.Actor{User: "lead", Role: indicators.Leader})
	if err := db.AddValues(leader, []indicators.Value{{Key: key("ECO-01", "CT", 2025, indicators.OfficialValue),
		Value: 8, Source: "S33"}}); indicators.ErrorCode(err) != indicators.EFORBIDDEN ||
		!strings.Contains(indicators.ErrorMessage(err), "leader") || !strings.Contains(indicators.ErrorMessage(err), "ECO-01") {
		t.Fatalf("a leader's value err = %v, want forbidden naming the role and the indicator", err)
	}
	if err := db.AddValues(planner, []indicators.Value{{Key: key("ECO-01", "CT", 2025, indicators.OfficialValue),
		Value: 8, Source: "S33"}}); err != nil {
		t.Fatalf("a value within the planner's scope: %v", err)
	}
	// A planner of other task groups and an auditor are refused too,
	// saying why; a planner without limits and an admin write anywhere.
	for i, tc := range []struct {
		actor indicators.Actor
		code  string
		words []string
	}{
		{indicators.Actor{User: "hoa", Role: indicators.Planner, Groups: []int{3}}, indicators.EFORBIDDEN,
			[]string{"ECO-01", "nhóm nhiệm vụ 0", "CT-CU"}},
		{indicators.Actor{User: "kt", Role: indicators.Auditor}, indicators.EFORBIDDEN, nil},
		{indicators.Actor{User: "minh", Role: indicators.Planner}, "", nil},
		{indicators.Actor{User: "root", Role: indicators.Admin}, "", nil},
	} {
		before, _ := db.CountValues(context.Background(), indicators.ValueFilter{})
		err := db.AddValues(indicators.WithActor(context.Background(), tc.actor),
			[]indicators.Value{{Key: key("ECO-01", "CT-CU", 2016+i, indicators.OfficialValue), Value: 5.75, Source: "S46"}})
		if indicators.ErrorCode(err) != tc.code {
			t.Errorf("%s (%s, groups %v): err = %v, want code %q", tc.actor.User, tc.actor.Role, tc.actor.Groups, err, tc.code)
		}
		for _, w := range tc.words {
			if !strings.Contains(indicators.ErrorMessage(err), w) {
				t.Errorf("%s: message %q lacks %q", tc.actor.User, indicators.ErrorMessage(err), w)
			}
		}
		want := before
		if tc.code == "" {
			want++
		}
		if n, _ := db.CountValues(context.Background(), indicators.ValueFilter{}); n != want {
			t.Errorf("%s: %d values after, want %d", tc.actor.User, n, want)
		}
	}
}

// hash is a stand-in password hash: the store keeps what it is given.
const hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"

func addUser(t *testing.T, db Store, ctx context.Context, u indicators.User) indicators.User {
	t.Helper()
	u.PasswordHash = hash
	if err := db.CreateUser(ctx, &u); err != nil {
		t.Fatalf("create %s: %v", u.Name, err)
	}
	return u
}

func usersAudited(t *testing.T, open Opener) {
	c := &Clock{T: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := withCatalog(t, open, c).Store
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "root", Addr: "10.0.0.9", Role: indicators.Admin})
	addUser(t, db, ctx, indicators.User{Name: "root", Role: indicators.Admin})
	hoa := addUser(t, db, ctx, indicators.User{Name: "hoa.nguyen", FullName: "Nguyễn Thị Hoa", Role: indicators.Planner,
		Units: []string{"CT-CU"}, Groups: []int{0}})
	ev := lastEvent(t, db)
	if ev.Action != "user.add" || ev.Object != "user:hoa.nguyen" || ev.User != "root" || ev.Addr != "10.0.0.9" ||
		!strings.Contains(ev.After, `"units":["CT-CU"]`) || strings.Contains(ev.After, "argon2") {
		t.Errorf("user.add event = %+v", ev)
	}
	got, err := db.User(ctx, "hoa.nguyen")
	if err != nil || got.FullName != "Nguyễn Thị Hoa" || got.Role != indicators.Planner || len(got.Units) != 1 ||
		got.Units[0] != "CT-CU" || len(got.Groups) != 1 || got.PasswordHash != hash || got.ID != hoa.ID || got.CreatedBy != "root" ||
		!got.CreatedAt.Equal(c.T) || got.Disabled {
		t.Errorf("User = %+v, %v", got, err)
	}
	root, _ := db.User(ctx, "root")
	if len(root.Units) != 0 || len(root.Groups) != 0 {
		t.Errorf("a user without limits reads back units %v, groups %v; want none", root.Units, root.Groups)
	}
	if err := db.CreateUser(ctx, &indicators.User{Name: "hoa.nguyen", Role: indicators.Leader, PasswordHash: hash}); indicators.ErrorCode(err) != indicators.ECONFLICT {
		t.Errorf("duplicate name err = %v, want conflict", err)
	}
	if err := db.CreateUser(ctx, &indicators.User{Name: "x", Role: indicators.Planner, Units: []string{"NOPE"}, PasswordHash: hash}); indicators.ErrorCode(err) != indicators.EINVALID {
		t.Errorf("unknown unit err = %v, want invalid", err)
	}
	// Names that are not sign-in names (a space, a line that would forge a
	// log entry), unknown roles, limits a role cannot have, unknown task
	// groups: all refused, none stored.
	for _, u := range []indicators.User{
		{Name: "Hoa Nguyen", Role: indicators.Leader},
		{Name: "x\nlevel=ERROR", Role: indicators.Leader},
		{Name: "lan", Role: "boss"},
		{Name: "lan", Role: indicators.Leader, Units: []string{"CT"}},
		{Name: "lan", Role: indicators.Planner, Groups: []int{7}},
	} {
		u.PasswordHash = hash
		if err := db.CreateUser(ctx, &u); indicators.ErrorCode(err) != indicators.EINVALID {
			t.Errorf("CreateUser(%q, %s, %v, %v) = %v, want invalid", u.Name, u.Role, u.Units, u.Groups, err)
		}
	}
	if n, err := db.CountUsers(ctx); err != nil || n != 2 {
		t.Errorf("CountUsers = %d, %v; want 2 (refused users are not stored)", n, err)
	}
	up, err := db.UpdateUser(ctx, "hoa.nguyen", indicators.UserChange{FullName: "Nguyễn Thị Hoa", Role: indicators.Leader})
	if err != nil || up.Role != indicators.Leader || len(up.Units) != 0 {
		t.Errorf("UpdateUser = %+v, %v", up, err)
	}
	if ev := lastEvent(t, db); ev.Action != "user.update" || !strings.Contains(ev.Before, `"role":"planner"`) ||
		!strings.Contains(ev.After, `"role":"leader"`) {
		t.Errorf("user.update event = %+v", ev)
	}
	// The last enabled admin can neither be disabled nor lose the role.
	if err := db.SetDisabled(ctx, "root", true); indicators.ErrorCode(err) != indicators.ECONFLICT {
		t.Errorf("disable the last admin err = %v, want conflict", err)
	}
	if _, err := db.UpdateUser(ctx, "root", indicators.UserChange{Role: indicators.Leader}); indicators.ErrorCode(err) != indicators.ECONFLICT {
		t.Errorf("demote the last admin err = %v, want conflict", err)
	}
	if err := db.SetDisabled(ctx, "hoa.nguyen", true); err != nil {
		t.Fatal(err)
	}
	if u, _ := db.User(ctx, "hoa.nguyen"); !u.Disabled {
		t.Errorf("hoa.nguyen is not disabled")
	}
	if ev := lastEvent(t, db); ev.Action != "user.disable" || ev.Object != "user:hoa.nguyen" {
		t.Errorf("user.disable event = %+v", ev)
	}
	users, err := db.Users(ctx)
	if n, _ := db.CountUsers(ctx); err != nil || len(users) != 2 || n != 2 || users[0].Name != "hoa.nguyen" {
		t.Errorf("Users = %+v, %v, count %d", users, err, n)
	}
	if _, err := db.User(ctx, "nobody"); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Errorf("unknown user err = %v, want not found", err)
	}
}

func sessions(t *testing.T, open Opener) {
	c := &Clock{T: time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)}
	db := withCatalog(t, open, c).Store
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "root", Role: indicators.Admin})
	addUser(t, db, ctx, indicators.User{Name: "root", Role: indicators.Admin})
	addUser(t, db, ctx, indicators.User{Name: "lan", Role: indicators.Leader})
	start := c.T
	s1 := indicators.Session{ID: strings.Repeat("a", 64), User: "lan", CSRF: "c1", Addr: "10.0.0.1", CreatedAt: start, LastSeen: start}
	if err := db.StartSession(ctx, s1, "", strings.Repeat("d", 64), start.Add(-time.Hour), start.Add(-24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	s, u, err := db.Session(ctx, s1.ID)
	if err != nil || s.User != "lan" || s.CSRF != "c1" || u.Role != indicators.Leader || !s.CreatedAt.Equal(start) {
		t.Fatalf("Session = %+v, %+v, %v", s, u, err)
	}
	// The trail names the session by the start of its ID, never the whole
	// of it, which would let a reader of the trail take the session over.
	if ev := lastEvent(t, db); ev.Action != "login" || ev.User != "lan" || ev.Addr != "10.0.0.1" ||
		!strings.Contains(ev.After, strings.Repeat("a", 12)) || strings.Contains(ev.After, s1.ID) {
		t.Fatalf("login event = %+v", ev)
	}
	if name, err := db.DeviceUser(ctx, strings.Repeat("d", 64)); err != nil || name != "lan" {
		t.Fatalf("DeviceUser = %q, %v", name, err)
	}
	// Activity moves last-seen forward only.
	later := start.Add(10 * time.Minute)
	if err := db.TouchSession(ctx, s1.ID, later); err != nil {
		t.Fatal(err)
	}
	if err := db.TouchSession(ctx, s1.ID, start.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if s, _, _ := db.Session(ctx, s1.ID); !s.LastSeen.Equal(later) {
		t.Fatalf("last seen = %v, want %v", s.LastSeen, later)
	}
	// A second session; a new password ends all but the one kept.
	s2 := s1
	s2.ID, s2.CSRF = strings.Repeat("b", 64), "c2"
	if err := db.StartSession(ctx, s2, "", "", start.Add(-time.Hour), start.Add(-24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.SetPassword(ctx, "lan", hash+"x", s2.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Session(ctx, s1.ID); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Fatalf("session 1 after a new password: %v, want ended", err)
	}
	if _, _, err := db.Session(ctx, s2.ID); err != nil {
		t.Fatalf("the kept session ended: %v", err)
	}
	// The logout is the session's user's, from the address it came from.
	lctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan", Addr: "10.0.0.6"})
	if err := db.EndSession(lctx, s2.ID, "logout"); err != nil {
		t.Fatal(err)
	}
	if ev := lastEvent(t, db); ev.Action != "logout" || ev.User != "lan" || ev.Addr != "10.0.0.6" {
		t.Fatalf("logout event = %+v", ev)
	}
	if _, _, err := db.Session(ctx, s2.ID); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Fatalf("session 2 after logout: %v", err)
	}
	// A session started in place of another ends that one.
	s3, s4 := s1, s1
	s3.ID, s4.ID = strings.Repeat("c", 64), strings.Repeat("e", 64)
	if err := db.StartSession(ctx, s3, "", "", start.Add(-time.Hour), start.Add(-24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.StartSession(ctx, s4, s3.ID, "", start.Add(-time.Hour), start.Add(-24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Session(ctx, s3.ID); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Fatalf("a replaced session is still found: %v", err)
	}
	if _, _, err := db.Session(ctx, s4.ID); err != nil {
		t.Fatalf("the session that replaced it: %v", err)
	}
	// A disabled account cannot sign in.
	if err := db.SetDisabled(ctx, "lan", true); err != nil {
		t.Fatal(err)
	}
	if err := db.StartSession(ctx, s1, "", "", start, start); indicators.ErrorCode(err) != indicators.EFORBIDDEN {
		t.Fatalf("session of a disabled user err = %v, want forbidden", err)
	}
	// Failed sign-ins are counted by name, address and device since a moment.
	for i, at := range []time.Time{start.Add(-2 * time.Hour), start.Add(-time.Minute), start} {
		a := indicators.LoginAttempt{Name: "lan", Addr: "10.0.0.1", At: at, Reason: "wrong_password", Counted: true}
		if i == 2 {
			a.Addr, a.Device = "10.0.0.2", strings.Repeat("d", 64)
		}
		if err := db.RefuseLogin(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	// A name that is no one's, tried from the same address.
	if err := db.RefuseLogin(ctx, indicators.LoginAttempt{Name: "ghost", Addr: "10.0.0.1", At: start.Add(-5 * time.Minute),
		Reason: "unknown_user", Counted: true}); err != nil {
		t.Fatal(err)
	}
	if err := db.RefuseLogin(ctx, indicators.LoginAttempt{Name: "lan", Addr: "10.0.0.1", At: start, Reason: "throttled"}); err != nil {
		t.Fatal(err)
	}
	f, err := db.CountLoginFailures(ctx, "lan", "10.0.0.1", strings.Repeat("d", 64), start.Add(-time.Hour))
	// Since 07:00: lan's failures at 07:59 (10.0.0.1) and 08:00 (10.0.0.2,
	// device), and ghost's at 07:55 (10.0.0.1, counted by address); the one
	// at 06:00 is older and the throttled one not counted.
	if err != nil || f != (indicators.LoginFailures{Name: 2, Addr: 2, Device: 1}) {
		t.Fatalf("CountLoginFailures = %+v, %v; want 2 by name, 2 by address, 1 by device", f, err)
	}
	if ev := lastEvent(t, db); ev.Action != "login.throttled" {
		t.Fatalf("throttled sign-in event = %+v", ev)
	}
	// An action filter ending in a dot is no prefix of these actions.
	if evs, err := db.AuditEvents(ctx, indicators.AuditFilter{Action: "login."}); err != nil || len(evs) != 0 {
		t.Fatalf("AuditEvents(login.) = %d events, %v; want none", len(evs), err)
	}
}

func auditChain(t *testing.T, open Opener) {
	c := &Clock{T: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	h := withCatalog(t, open, c)
	db := h.Store
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "root", Role: indicators.Admin})
	for i, name := range []string{"root", "an", "binh"} {
		c.T = c.T.Add(time.Duration(i+1) * 1234567 * time.Nanosecond) // moments finer than a millisecond
		addUser(t, db, ctx, indicators.User{Name: name, Role: indicators.Admin, FullName: "Tên có \"ngoặc\" <&> và dấu"})
	}
	if b, err := db.VerifyAudit(ctx); err != nil || b != nil {
		t.Fatalf("VerifyAudit of a whole trail = %v, %v", b, err)
	}
	chk, err := db.CheckAudit(ctx)
	if err != nil || chk.Head.Events != 4 || chk.Head.LastID != 4 || chk.KeyedFrom != 1 || chk.Recorded == nil || chk.Recorded.Seq != 4 {
		t.Fatalf("CheckAudit = %+v, %v; want 4 signed events held against a recorded head at #4", chk, err)
	}
	head, err := db.AuditHead(ctx)
	last := lastEvent(t, db)
	if err != nil || head != (indicators.AuditHead{Events: 4, LastID: 4, Hash: last.Hash}) || last.PrevHash == "" {
		t.Fatalf("AuditHead = %+v, %v; last event %+v", head, err, last)
	}
	// An event edited behind the store's back breaks the chain there.
	if err := h.Exec(`UPDATE audit_events SET after = '{}' WHERE id = 3`); err != nil {
		t.Fatal(err)
	}
	b, err := db.VerifyAudit(ctx)
	if err != nil || b == nil || b.ID != 3 {
		t.Fatalf("VerifyAudit after editing #3 = %v, %v; want broken at #3", b, err)
	}
	// The last event cut off shows against the recorded heads.
	h2 := withCatalog(t, open, c)
	for _, name := range []string{"root", "an"} {
		addUser(t, h2.Store, ctx, indicators.User{Name: name, Role: indicators.Admin})
	}
	if err := h2.Exec(`DELETE FROM audit_events WHERE id = 3`); err != nil {
		t.Fatal(err)
	}
	b, err = h2.Store.VerifyAudit(ctx)
	if err != nil || b == nil || b.Missing != 1 || b.ID != 3 {
		t.Fatalf("VerifyAudit after cutting #3 = %+v, %v; want one event missing from #3", b, err)
	}
}

func auditFilters(t *testing.T, open Opener) {
	c := &Clock{T: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := withCatalog(t, open, c).Store
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "root", Role: indicators.Admin})
	v0, err := db.DataVersion(ctx)
	if err != nil || v0.ID != 1 || !v0.At.Equal(c.T) {
		t.Fatalf("DataVersion after the catalogue = %+v, %v; want event #1 at %v", v0, err, c.T)
	}
	c.T = c.T.Add(time.Hour)
	addUser(t, db, ctx, indicators.User{Name: "root", Role: indicators.Admin})
	c.T = c.T.Add(time.Hour)
	if err := db.AddValues(ctx, []indicators.Value{{Key: key("ECO-01", "CT", 2025, indicators.OfficialValue), Value: 8, Source: "S33"}}); err != nil {
		t.Fatal(err)
	}
	if v, _ := db.DataVersion(ctx); v.ID != 3 || !v.At.Equal(c.T) {
		t.Fatalf("DataVersion after a value = %+v, want #3 at %v", v, c.T)
	}
	all, err := db.AuditEvents(ctx, indicators.AuditFilter{})
	if err != nil || len(all) != 3 || all[0].Action != "catalog.load" || all[1].Action != "user.add" || all[2].Action != "value.add" {
		t.Fatalf("AuditEvents = %+v, %v", all, err)
	}
	for i, e := range all {
		if e.ID != int64(i+1) || (i > 0 && e.PrevHash != all[i-1].Hash) {
			t.Fatalf("event %d = %+v; want #%d chained to the one before", i, e, i+1)
		}
	}
	cases := []struct {
		f    indicators.AuditFilter
		want []int64
	}{
		{indicators.AuditFilter{Action: "user"}, []int64{2}},
		{indicators.AuditFilter{Action: "user.add"}, []int64{2}},
		{indicators.AuditFilter{Action: "use"}, nil}, // a prefix stops at a dot
		{indicators.AuditFilter{Object: "ECO-01/CT/"}, []int64{3}},
		{indicators.AuditFilter{Object: "%"}, nil}, // LIKE characters match themselves
		{indicators.AuditFilter{User: "root"}, []int64{2, 3}},
		{indicators.AuditFilter{Newest: true, Limit: 2}, []int64{3, 2}},
		{indicators.AuditFilter{Newest: true, Before: 3}, []int64{2, 1}},
		{indicators.AuditFilter{From: time.Date(2026, 1, 1, 0, 30, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 1, 30, 0, 0, time.UTC)}, []int64{2}},
	}
	for _, tc := range cases {
		evs, err := db.AuditEvents(ctx, tc.f)
		var got []int64
		for _, e := range evs {
			got = append(got, e.ID)
		}
		if err != nil || !equal(got, tc.want) {
			t.Errorf("AuditEvents(%+v) = %v, %v; want %v", tc.f, got, err, tc.want)
		}
	}
	one, err := db.AuditEvent(ctx, 2)
	if err != nil || one != all[1] {
		t.Errorf("AuditEvent(2) = %+v, %v; want %+v", one, err, all[1])
	}
	if _, err := db.AuditEvent(ctx, 99); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Errorf("AuditEvent(99) err = %v, want not found", err)
	}
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
