package reports

import (
	"archive/zip"
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/sqlite"

	"github.com/xuri/excelize/v2"
)

// clock is a settable clock for entries at known moments.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// at sets the clock to noon of a day in Vietnam.
func (c *clock) at(s string) { c.t = day(s).Add(12 * time.Hour) }

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

func ptrf(x float64) *float64 { return &x }

var testPlan = indicators.Plan{Code: "01/NQ-TEST", Issued: day("2021-01-15"), IssuingBody: "Thành ủy",
	TitleVI: "Nghị quyết thử nghiệm", TitleEN: "Test resolution", Order: 1}

func testPlanID() string { return indicators.PlanID(testPlan.Code, testPlan.Issued) }

var period = indicators.YearRange{From: 2021, To: 2025}

// testCatalog is a plan with three groups, two city-level units, three
// indicators and a target each, and values for 2020–2025.
func testCatalog() *indicators.Catalog {
	p := testPlan
	p.ID = testPlanID()
	target := func(ind string, group int, kind indicators.Kind, b indicators.Bound, text string) indicators.Target {
		return indicators.Target{Plan: p.ID, Indicator: ind, Period: period, Scope: indicators.OldCity, Group: group,
			TargetRevision: indicators.TargetRevision{Kind: kind, Bound: b, Text: text, Source: "S01", Act: p.Code,
				Effective: p.Issued, EnteredBy: "catalog"}}
	}
	val := func(ind, unit string, year int, typ indicators.ValueType, x float64) indicators.Value {
		return indicators.Value{Key: key(ind, unit, year, typ), Value: x, Source: "S02", EnteredBy: "catalog"}
	}
	plan24 := val("ECO-01", "CT-CU", 2024, indicators.PlanValue, 7.5)
	plan24.High = ptrf(8)
	return &indicators.Catalog{
		Plans: []indicators.Plan{p},
		Groups: []indicators.TaskGroup{
			{Plan: p.ID, Number: 0, NameVI: "Mục tiêu tổng quát", NameEN: "Overall targets"},
			{Plan: p.ID, Number: 1, NameVI: "Kinh tế", NameEN: "Economy"},
			{Plan: p.ID, Number: 2, NameVI: "Xã hội", NameEN: "Society"},
		},
		Units: []indicators.Unit{
			{Code: "CT-CU", NameVI: "TP Cần Thơ (cũ)", Kind: indicators.City, Scope: indicators.OldCity},
			{Code: "916", NameVI: "Quận Ninh Kiều", Kind: indicators.District, Scope: indicators.OldCity, Parent: "CT-CU"},
		},
		Indicators: []indicators.Indicator{
			{Code: "ECO-01", NameVI: "Tốc độ tăng trưởng GRDP", NameEN: "GRDP growth", Unit: "%", UnitEN: "%", Decimals: 2,
				Direction: indicators.Up, Measure: indicators.GrowthRate, Rollup: indicators.RollupNone, Frequency: indicators.Yearly},
			{Code: "ECO-02", NameVI: "GRDP bình quân đầu người", NameEN: "GRDP per head", Unit: "USD/người", UnitEN: "USD/head",
				Direction: indicators.Up, Measure: indicators.Level, Rollup: indicators.RollupNone, Frequency: indicators.Yearly},
			{Code: "SOC-01", NameVI: "Tỷ lệ hộ nghèo", NameEN: "Poor households", Unit: "%", UnitEN: "%", Decimals: 2,
				Direction: indicators.Down, Measure: indicators.Rate, Rollup: indicators.RollupNone, Frequency: indicators.Yearly},
		},
		Targets: []indicators.Target{
			target("ECO-01", 0, indicators.AvgGrowthTarget, indicators.Bound{Op: indicators.OpRange, A: 7.5, B: 8}, "7,5–8%/năm"),
			target("ECO-02", 0, indicators.LevelTarget, indicators.Bound{Op: indicators.OpAtLeast, A: 6200}, "6.200 USD"),
			target("SOC-01", 2, indicators.LevelTarget, indicators.Bound{Op: indicators.OpAtMost, A: 1}, "dưới 1%"),
		},
		Values: []indicators.Value{
			val("ECO-01", "CT-CU", 2020, indicators.OfficialValue, 1.02),
			val("ECO-01", "CT-CU", 2021, indicators.OfficialValue, -2.79),
			val("ECO-01", "CT-CU", 2022, indicators.OfficialValue, 12.64),
			val("ECO-01", "CT-CU", 2023, indicators.OfficialValue, 5.75),
			val("ECO-01", "CT-CU", 2024, indicators.OfficialValue, 7.12),
			val("ECO-01", "CT-CU", 2025, indicators.EstimateValue, 8.0),
			plan24,
			val("ECO-01", "916", 2024, indicators.OfficialValue, 6.0),
			val("ECO-02", "CT-CU", 2020, indicators.OfficialValue, 4136),
			val("ECO-02", "CT-CU", 2022, indicators.OfficialValue, 4700),
			val("ECO-02", "CT-CU", 2023, indicators.OfficialValue, 5000),
			val("ECO-02", "CT-CU", 2024, indicators.OfficialValue, 5400),
			val("SOC-01", "CT-CU", 2020, indicators.OfficialValue, 3.0),
			val("SOC-01", "CT-CU", 2022, indicators.OfficialValue, 2.0),
			val("SOC-01", "CT-CU", 2024, indicators.OfficialValue, 1.5),
		},
	}
}

// fixture is a store holding the test catalogue, loaded on 1 January 2026,
// and a builder on it sharing the clock.
type fixture struct {
	t     *testing.T
	path  string
	db    *sqlite.DB
	clock *clock
	b     *Builder
	ctx   context.Context
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	fx := &fixture{t: t, path: filepath.Join(t.TempDir(), "r.db"), clock: &clock{}}
	fx.clock.at("2026-01-01")
	db, err := sqlite.Open(context.Background(), fx.path, sqlite.WithClock(fx.clock.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fx.db = db
	fx.ctx = indicators.WithActor(context.Background(), indicators.Actor{User: "lan"})
	if _, err := db.LoadCatalog(fx.ctx, testCatalog()); err != nil {
		t.Fatal(err)
	}
	fx.b = &Builder{Source: db, Now: fx.clock.now, TempDir: t.TempDir()}
	return fx
}

// add enters values at the clock's moment.
func (fx *fixture) add(vs ...indicators.Value) {
	fx.t.Helper()
	for i := range vs {
		if vs[i].Source == "" && vs[i].Batch == 0 {
			vs[i].Source = "S03"
		}
	}
	if err := fx.db.AddValues(fx.ctx, vs); err != nil {
		fx.t.Fatal(err)
	}
}

// target returns the stored target of an indicator.
func (fx *fixture) target(ind string) indicators.Target {
	fx.t.Helper()
	ts, err := fx.db.Targets(fx.ctx, indicators.TargetFilter{Indicator: ind})
	if err != nil || len(ts) != 1 {
		fx.t.Fatalf("targets of %s = %v, %v", ind, ts, err)
	}
	return ts[0]
}

// insertBatch stores an import batch directly, as the import work will
// through its own store methods; the reports only read batches.
func (fx *fixture) insertBatch(b indicators.Batch) {
	fx.t.Helper()
	raw, err := sql.Open("sqlite", fx.path)
	if err != nil {
		fx.t.Fatal(err)
	}
	defer raw.Close()
	ts := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02T15:04:05.000000000Z")
	}
	if _, err := raw.Exec(`INSERT INTO batches (id, file_name, sha256, size, state, created_by, created_at,
		committed_at, rolled_back_at, rolled_back_by, new_values, rejected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		b.ID, b.FileName, b.SHA256, b.Size, b.State, b.CreatedBy, ts(b.CreatedAt), ts(b.CommittedAt),
		ts(b.RolledBackAt), b.RolledBackBy, b.New, b.Rejected); err != nil {
		fx.t.Fatal(err)
	}
}

// save writes a finished report to a file and returns its path.
func (fx *fixture) save(f *File, err error) string {
	fx.t.Helper()
	if err != nil {
		fx.t.Fatal(err)
	}
	defer f.Close()
	path := filepath.Join(fx.t.TempDir(), f.Name)
	if err := f.Save(fx.ctx, path); err != nil {
		fx.t.Fatal(err)
	}
	return path
}

func (fx *fixture) progress(asOf time.Time, lang string) string {
	fx.t.Helper()
	return fx.save(fx.b.Progress(fx.ctx, ProgressRequest{Plan: testPlan.Code, Period: period, AsOf: asOf, Lang: lang}))
}

// book opens a report with excelize.
func book(t *testing.T, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// rawRows reads a sheet's cells as stored: numbers unformatted.
func rawRows(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("rows of %s: %v", sheet, err)
	}
	return rows
}

// at returns the cell at column col (from 1) of a row, "" past its end.
func at(row []string, col int) string {
	if col-1 < len(row) {
		return row[col-1]
	}
	return ""
}

// findRow returns the index of the first row whose column col contains s.
func findRow(rows [][]string, col int, s string) int {
	for i, r := range rows {
		if strings.Contains(at(r, col), s) {
			return i
		}
	}
	return -1
}

// zipParts returns the names and contents of the parts of a workbook.
func zipParts(t *testing.T, path string) map[string]string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	parts := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = string(b)
	}
	return parts
}

// leftovers lists what remains in a folder.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
