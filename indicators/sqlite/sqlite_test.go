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

func TestNewerDatabaseRefused(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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
