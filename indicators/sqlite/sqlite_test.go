package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/sqlite"

	_ "modernc.org/sqlite"
)

// clock is a settable clock for entries at known moments.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func open(t *testing.T, path string, c *clock) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path, sqlite.WithClock(c.now))
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func day(s string) time.Time {
	d, err := time.ParseInLocation("2006-01-02", s, indicators.Vietnam)
	if err != nil {
		panic(err)
	}
	return d
}

// smallCatalog has two plans numbered 59-NQ/TW, one indicator, two city
// units and a target, enough to exercise the store.
func smallCatalog() *indicators.Catalog {
	r59 := indicators.Plan{Code: "59-NQ/TW", Issued: day("2020-08-05"), TitleVI: "Nghị quyết 59 về Cần Thơ", Order: 1}
	r59.ID = indicators.PlanID(r59.Code, r59.Issued)
	other := indicators.Plan{Code: "59-NQ/TW", Issued: day("2025-01-24"), TitleVI: "Nghị quyết 59 về hội nhập quốc tế", Order: 2}
	other.ID = indicators.PlanID(other.Code, other.Issued)
	r98 := indicators.Plan{Code: "98/NQ-CP", Issued: day("2021-08-30"), TitleVI: "Chương trình hành động", Parent: r59.ID, Order: 3}
	r98.ID = indicators.PlanID(r98.Code, r98.Issued)
	return &indicators.Catalog{
		Plans:  []indicators.Plan{r59, other, r98},
		Groups: []indicators.TaskGroup{{Plan: r59.ID, Number: 0, NameVI: "Mục tiêu tổng quát"}},
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
	}
}

func key(ind, unit string, year int, typ indicators.ValueType) indicators.Key {
	return indicators.Key{Indicator: ind, Unit: unit, Period: indicators.YearPeriod(year), Type: typ}
}

func TestCatalogLoadsOnceAndFindsPlans(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := open(t, filepath.Join(t.TempDir(), "c.db"), c)
	res, err := db.LoadCatalog(ctx, smallCatalog())
	if err != nil {
		t.Fatal(err)
	}
	if res.Plans != 3 || res.Targets != 1 || res.Values != 2 {
		t.Fatalf("first load = %+v, want 3 plans, 1 target, 2 values", res)
	}
	// A second load with one more value adds only that value.
	cat := smallCatalog()
	cat.Values = append(cat.Values, indicators.Value{Key: key("ECO-01", "CT-CU", 2022, indicators.OfficialValue),
		Value: 12.64, Source: "S46", EnteredBy: "catalog"})
	if res, err = db.LoadCatalog(ctx, cat); err != nil {
		t.Fatal(err)
	}
	if res != (indicators.CatalogResult{Values: 1}) {
		t.Fatalf("second load = %+v, want only the new value", res)
	}
	if res, err = db.LoadCatalog(ctx, cat); err != nil || res != (indicators.CatalogResult{}) {
		t.Fatalf("third load = %+v, %v; want nothing", res, err)
	}

	// Two plans carry 59-NQ/TW: the code alone is ambiguous, the ID is not.
	_, err = db.FindPlan(ctx, "59-NQ/TW")
	if indicators.ErrorCode(err) != indicators.EINVALID || !strings.Contains(err.Error(), "59-nq-tw-2020-08-05") {
		t.Fatalf("FindPlan(59-NQ/TW) err = %v, want an ambiguity naming both IDs", err)
	}
	p, err := db.FindPlan(ctx, "59-nq-tw-2020-08-05")
	if err != nil || p.Issued.Format("2006-01-02") != "2020-08-05" {
		t.Fatalf("FindPlan by ID = %+v, %v", p, err)
	}
	if p, err = db.FindPlan(ctx, "98/nq-cp"); err != nil || p.Code != "98/NQ-CP" {
		t.Fatalf("FindPlan(98/nq-cp) = %+v, %v", p, err)
	}
	if _, err = db.FindPlan(ctx, "1/NQ-XX"); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Fatalf("FindPlan unknown err = %v, want not found", err)
	}
}

func TestValuesSupersedeAndHistory(t *testing.T) {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan", Addr: "10.0.0.7"})
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := open(t, filepath.Join(t.TempDir(), "v.db"), c)
	if _, err := db.LoadCatalog(ctx, smallCatalog()); err != nil {
		t.Fatal(err)
	}
	k := key("ECO-01", "CT-CU", 2024, indicators.OfficialValue)
	c.t = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	if err := db.AddValues(ctx, []indicators.Value{{Key: k, Value: 7.0, Source: "S56", Sheet: "Biểu 01", Cell: "I11"}}); err != nil {
		t.Fatal(err)
	}
	c.t = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	if err := db.AddValues(ctx, []indicators.Value{{Key: k, Value: 7.12, Source: "S56", Sheet: "Biểu 01", Cell: "I12"}}); err != nil {
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
			if v.EnteredBy != "lan" || v.Sheet != "Biểu 01" {
				t.Errorf("value %v lost its provenance: %+v", v.Value, v)
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
	// Every addition is in the audit trail with who, where and what it replaced.
	evs, err := db.AuditEvents(ctx, indicators.AuditFilter{Action: "value"})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[1].User != "lan" || evs[1].Addr != "10.0.0.7" || !strings.Contains(evs[1].Before, `"value":7`) {
		t.Fatalf("audit events = %+v", evs)
	}
	// A value for an unknown unit is refused and nothing is stored.
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
}

func TestTargetRevisionsKeepHistory(t *testing.T) {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "admin"})
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := open(t, filepath.Join(t.TempDir(), "t.db"), c)
	if _, err := db.LoadCatalog(ctx, smallCatalog()); err != nil {
		t.Fatal(err)
	}
	ts, err := db.Targets(ctx, indicators.TargetFilter{Indicator: "ECO-01"})
	if err != nil || len(ts) != 1 {
		t.Fatalf("targets = %v, %v", ts, err)
	}
	c.t = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	rev := indicators.TargetRevision{Kind: indicators.AvgGrowthTarget, Bound: indicators.Bound{Op: indicators.OpAtLeast, A: 7},
		Text: "7%/năm trở lên", Act: "QĐ 1/QĐ-UBND", ActDate: day("2026-01-20"), Effective: day("2026-06-01"), Reason: "điều chỉnh sau hợp nhất"}
	if err := db.ReviseTarget(ctx, ts[0].ID, rev); err != nil {
		t.Fatal(err)
	}
	if err := db.ReviseTarget(ctx, ts[0].ID, indicators.TargetRevision{Kind: indicators.LevelTarget, Text: "x"}); indicators.ErrorCode(err) != indicators.EINVALID {
		t.Fatalf("revision without act err = %v, want invalid", err)
	}
	ts, _ = db.Targets(ctx, indicators.TargetFilter{Indicator: "ECO-01"})
	revs := ts[0].Revisions
	if len(revs) != 2 || revs[0].Bound.A != 7.5 || revs[1].Bound.A != 7 || revs[1].EnteredBy != "admin" {
		t.Fatalf("revisions = %+v", revs)
	}
	for _, tc := range []struct {
		at   time.Time
		want float64
	}{
		{indicators.EndOfDay(day("2026-01-15")), 7.5}, // entered later: the original
		{indicators.EndOfDay(day("2026-05-31")), 7.5}, // entered, not yet in force
		{indicators.EndOfDay(day("2026-06-01")), 7},
	} {
		r, ok := indicators.InForce(revs, tc.at)
		if !ok || r.Bound.A != tc.want {
			t.Errorf("in force at %s = %+v (%v), want bound %v", tc.at, r.Bound, ok, tc.want)
		}
	}
}

func TestNewerDatabaseRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	db := open(t, path, &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	db.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO schema_migrations VALUES (99, '0099_future.sql', '')`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, err = sqlite.Open(context.Background(), path)
	if indicators.ErrorCode(err) != indicators.EINVALID || !strings.Contains(err.Error(), "mới hơn") || !strings.Contains(err.Error(), "99") {
		t.Fatalf("open newer db err = %v, want a refusal", err)
	}
}

func TestBackupRestoreAndAuditChain(t *testing.T) {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "admin"})
	dir := t.TempDir()
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := open(t, filepath.Join(dir, "live.db"), c)
	if _, err := db.LoadCatalog(ctx, smallCatalog()); err != nil {
		t.Fatal(err)
	}
	for i, v := range []float64{12.64, 12.7, 5.75} {
		c.t = c.t.Add(time.Hour)
		if err := db.AddValues(ctx, []indicators.Value{{Key: key("ECO-01", "CT-CU", 2022+i/2, indicators.OfficialValue),
			Value: v, Source: "S46"}}); err != nil {
			t.Fatal(err)
		}
	}
	backup := filepath.Join(dir, "backup.db")
	if _, err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Backup(ctx, backup); indicators.ErrorCode(err) != indicators.ECONFLICT {
		t.Fatalf("backup over an existing file err = %v, want conflict", err)
	}
	want, err := db.Check(ctx)
	if err != nil || len(want.Problems) > 0 {
		t.Fatalf("check live = %+v, %v", want, err)
	}
	restored := filepath.Join(dir, "restored.db")
	if _, err := sqlite.Restore(ctx, backup, restored); err != nil {
		t.Fatal(err)
	}
	rdb := open(t, restored, c)
	got, err := rdb.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Problems) > 0 || len(got.Counts) != len(want.Counts) {
		t.Fatalf("check restored = %+v, want %+v", got, want)
	}
	for i := range got.Counts {
		if got.Counts[i] != want.Counts[i] {
			t.Errorf("restored %s = %d, live %d", got.Counts[i].What, got.Counts[i].N, want.Counts[i].N)
		}
	}

	// Tampering with the trail by direct SQL is found and the first broken
	// event named: an edit, a removal, a swap.
	n := want.Counts[len(want.Counts)-1].N
	if n < 4 {
		t.Fatalf("only %d audit events", n)
	}
	for _, tc := range []struct {
		name, sql string
		first     int64
	}{
		{"edit", `UPDATE audit_events SET after = '{"value":99}' WHERE id = 3`, 3},
		{"remove", `DELETE FROM audit_events WHERE id = 2`, 3},
		{"swap", `UPDATE audit_events SET action = CASE id WHEN 2 THEN (SELECT action FROM audit_events WHERE id = 3)
			ELSE (SELECT action FROM audit_events WHERE id = 2) END,
			after = CASE id WHEN 2 THEN (SELECT after FROM audit_events WHERE id = 3)
			ELSE (SELECT after FROM audit_events WHERE id = 2) END,
			hash = CASE id WHEN 2 THEN (SELECT hash FROM audit_events WHERE id = 3)
			ELSE (SELECT hash FROM audit_events WHERE id = 2) END WHERE id IN (2, 3)`, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "tampered.db")
			if _, err := sqlite.Restore(ctx, backup, path); err != nil {
				t.Fatal(err)
			}
			tdb := open(t, path, c)
			if broken, err := tdb.VerifyAudit(ctx); err != nil || broken != nil {
				t.Fatalf("before tampering: %v, %v", broken, err)
			}
			raw, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			if _, err := raw.Exec(tc.sql); err != nil {
				t.Fatal(err)
			}
			broken, err := tdb.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if broken == nil || broken.ID != tc.first {
				t.Fatalf("after %s: broken = %+v, want event #%d", tc.name, broken, tc.first)
			}
		})
	}
}

func TestValuesOfYearsOnly(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "y.db"), &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if _, err := db.LoadCatalog(ctx, smallCatalog()); err != nil {
		t.Fatal(err)
	}
	q1, _ := indicators.ParsePeriod("2024-Q1")
	m7, _ := indicators.ParsePeriod("2024-07")
	var vs []indicators.Value
	for _, p := range []indicators.Period{q1, m7, indicators.YearPeriod(2024)} {
		vs = append(vs, indicators.Value{Key: indicators.Key{Indicator: "ECO-01", Unit: "CT-CU", Period: p,
			Type: indicators.OfficialValue}, Value: 4.8, Source: "S58"})
	}
	if err := db.AddValues(ctx, vs); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		yearsOnly bool
		want      int
	}{{false, 4}, {true, 2}} { // the catalogue's 2021 value, and 2024
		got, err := db.Values(ctx, indicators.ValueFilter{Indicator: "ECO-01", Units: []string{"CT-CU"}, YearsOnly: tc.yearsOnly})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != tc.want {
			t.Errorf("YearsOnly %v: %d values, want %d", tc.yearsOnly, len(got), tc.want)
		}
		for _, v := range got {
			if tc.yearsOnly && !v.Period.IsYear() {
				t.Errorf("YearsOnly returned %s", v.Period)
			}
		}
	}
}
