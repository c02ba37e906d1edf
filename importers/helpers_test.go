package importers_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"chitieu/importers"
	"chitieu/indicators"
	"chitieu/indicators/sqlite"
	"chitieu/internal/fixture"
	"chitieu/internal/testdb"
)

// shared returns the path of a test file: in the repository's testdata,
// else in the shared test data beside it (see chitieu/internal/fixture).
func shared(t *testing.T, name string) string {
	t.Helper()
	return fixture.Path(t, name)
}

// openStore opens a fresh store with the built-in catalogue: a copy of a
// template made once per test binary.
func openStore(t *testing.T) *sqlite.DB {
	t.Helper()
	return testdb.Builtin(t)
}

// planner is the context of a planner with no limits.
func planner() context.Context {
	return indicators.WithActor(context.Background(), indicators.Actor{User: "lan", Role: indicators.Planner})
}

func newImporter(t *testing.T, db *sqlite.DB) *importers.Importer {
	t.Helper()
	return &importers.Importer{Store: db, TempDir: t.TempDir()}
}

// receive copies a file into an upload, removed at the end of the test.
func receive(t *testing.T, path string) *importers.Upload {
	t.Helper()
	u, err := importers.ReceiveFile(path, t.TempDir(), importers.Limits{})
	if err != nil {
		t.Fatalf("receive %s: %v", path, err)
	}
	t.Cleanup(func() { u.Close() })
	return u
}

func loadProfile(t *testing.T, path string) *importers.Profile {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := importers.ParseProfile(b)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// longHeader is the header of the long tables the tests write.
var longHeader = []any{"Mã chỉ tiêu", "Đơn vị", "Kỳ", "Loại số liệu", "Giá trị"}

// writeXLSX writes rows into the first sheet of a new workbook with
// excelize: strings as text, numbers as typed numbers.
func writeXLSX(t *testing.T, name string, rows [][]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		for j, v := range r {
			if v == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			var err error
			if s, ok := v.(string); ok {
				err = f.SetCellStr("Sheet1", cell, s)
			} else {
				err = f.SetCellValue("Sheet1", cell, v)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// longFile writes a long table of the given rows below longHeader.
func longFile(t *testing.T, name string, rows ...[]any) string {
	t.Helper()
	return writeXLSX(t, name, append([][]any{longHeader}, rows...))
}

// current returns the values in force of an indicator and unit, by period
// and type, as "value@batch".
func current(t *testing.T, db *sqlite.DB, indicator, unit string) map[string]string {
	t.Helper()
	vs, err := db.Values(context.Background(), indicators.ValueFilter{Indicator: indicator, Units: []string{unit}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, v := range vs {
		if !v.Superseded {
			out[v.Period.String()+"/"+string(v.Type)] = fmt.Sprintf("%v@%d", v.Value, v.Batch)
		}
	}
	return out
}

// counts returns how many values, batches and audit events are stored.
func counts(t *testing.T, db *sqlite.DB) (values, batches, events int) {
	t.Helper()
	ctx := context.Background()
	vs, err := db.Values(ctx, indicators.ValueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	bs, err := db.Batches(ctx, indicators.BatchFilter{})
	if err != nil {
		t.Fatal(err)
	}
	evs, err := db.AuditEvents(ctx, indicators.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(vs), len(bs), len(evs)
}
