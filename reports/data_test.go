package reports

import (
	"bytes"
	"encoding/csv"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
)

// Columns of the data export.
const (
	dID, dIndicator, dUnit, dUnitCode     = 1, 2, 3, 4
	dPeriod, dType, dValue, dHigh, dState = 5, 6, 7, 8, 9
	dSource, dBatch, dFile, dSheet, dCell = 10, 11, 12, 13, 14
	dBy, dAt, dNote                       = 15, 16, 18
)

// storeValues returns the store's values as of asOf in the order the
// export lists them: as they were stored.
func storeValues(t *testing.T, fx *fixture, asOf time.Time) []indicators.Value {
	t.Helper()
	want, err := fx.db.Values(fx.ctx, indicators.ValueFilter{EnteredBy: asOf})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(want, func(i, j int) bool { return want[i].ID < want[j].ID })
	return want
}

// checkData compares the export's rows with the store's values as of asOf,
// one row per value.
func checkData(t *testing.T, fx *fixture, rows [][]string, asOf time.Time) {
	t.Helper()
	want := storeValues(t, fx, asOf)
	if len(rows) != len(want)+1 {
		t.Fatalf("export has %d rows, want a heading and %d values", len(rows), len(want))
	}
	for i, v := range want {
		r := rows[i+1]
		state := "Hiện hành"
		if v.Superseded {
			state = "Đã bị thay thế"
		}
		checks := []struct {
			col  int
			want string
		}{
			{dID, strconv.FormatInt(v.ID, 10)}, {dIndicator, v.Indicator}, {dUnitCode, v.Unit},
			{dPeriod, v.Period.String()}, {dType, typeCode(v.Type)},
			{dValue, strconv.FormatFloat(v.Value, 'f', -1, 64)}, {dState, state}, {dSource, v.Source},
			{dSheet, v.Sheet}, {dCell, v.Cell}, {dBy, indicators.AuthorName(v.EnteredBy, "vi")}, {dNote, v.Note},
			{dAt, strconv.FormatFloat(serial(v.EnteredAt), 'f', -1, 64)},
		}
		if v.High != nil {
			checks = append(checks, struct {
				col  int
				want string
			}{dHigh, strconv.FormatFloat(*v.High, 'f', -1, 64)})
		}
		for _, c := range checks {
			if got := at(r, c.col); got != c.want {
				t.Errorf("value %d column %d = %q, store %q", v.ID, c.col, got, c.want)
			}
		}
	}
}

func TestDataExportMatchesTheStore(t *testing.T) {
	fx := newFixture(t)
	d := indicators.EndOfDay(day("2026-02-15"))
	fx.clock.at("2026-03-01")
	fx.add(indicators.Value{Key: key("ECO-01", "CT-CU", 2024, indicators.OfficialValue), Value: 7.45, Sheet: "Biểu 01", Cell: "F12"})
	fx.clock.at("2026-04-01")
	if err := fx.db.SetUnitOfficialCode(fx.ctx, "916", "92101"); err != nil {
		t.Fatal(err)
	}

	now := fx.save(fx.b.Data(fx.ctx, DataRequest{}))
	rows := rawRows(t, book(t, now), "Số liệu")
	checkData(t, fx, rows, fx.clock.now())
	// Both versions of ECO-01 2024 are there, the old one superseded.
	old, cur := findRow(rows, dValue, "7.12"), findRow(rows, dValue, "7.45")
	if old < 0 || cur < 0 || at(rows[old], dState) != "Đã bị thay thế" || at(rows[cur], dState) != "Hiện hành" ||
		at(rows[cur], dBy) != "lan" || at(rows[cur], dSheet) != "Biểu 01" || at(rows[cur], dCell) != "F12" {
		t.Errorf("ECO-01 2024 rows: old %q, new %q", rows[max(old, 0)], rows[max(cur, 0)])
	}

	past := fx.save(fx.b.Data(fx.ctx, DataRequest{AsOf: d}))
	rows = rawRows(t, book(t, past), "Số liệu")
	checkData(t, fx, rows, d)
	if i := findRow(rows, dValue, "7.12"); i < 0 || at(rows[i], dState) != "Hiện hành" {
		t.Errorf("as of 15 Feb, 7.12 should be current: row %d", i)
	}
	if i := findRow(rows, dValue, "7.45"); i >= 0 {
		t.Errorf("as of 15 Feb, the value entered on 1 March is exported: %q", rows[i])
	}

	// The codes sheet names every indicator and unit.
	codes := rawRows(t, book(t, now), "Danh mục")
	if i := findRow(codes, 2, "ECO-02"); i < 0 || at(codes[i], 3) != "GRDP bình quân đầu người" || at(codes[i], 4) != "USD/người" {
		t.Errorf("codes sheet lacks ECO-02 and its name: %q", codes)
	}
	if i := findRow(codes, 2, "916"); i < 0 || at(codes[i], 3) != "Quận Ninh Kiều" || at(codes[i], 6) != "92101" {
		t.Errorf("codes sheet lacks unit 916, its name and its official code 92101: %q", codes)
	}
	if at(codes[0], 6) != "Mã đơn vị hành chính" {
		t.Errorf("codes sheet headings %q, want the official code last", codes[0])
	}

	// One indicator only.
	only := fx.save(fx.b.Data(fx.ctx, DataRequest{Indicator: "SOC-01"}))
	rows = rawRows(t, book(t, only), "Số liệu")
	if len(rows) != 4 {
		t.Errorf("SOC-01 export has %d rows, want a heading and 3 values", len(rows))
	}
	for _, r := range rows[1:] {
		if at(r, dIndicator) != "SOC-01" {
			t.Errorf("SOC-01 export holds %q", r)
		}
	}
	if _, err := fx.b.Data(fx.ctx, DataRequest{Indicator: "XYZ-99"}); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Errorf("export of an unknown indicator: %v, want not found", err)
	}
	if _, err := fx.b.Data(fx.ctx, DataRequest{Format: "ods"}); indicators.ErrorCode(err) != indicators.EINVALID {
		t.Errorf("export as ods: %v, want invalid", err)
	}
}

// The CSV holds the same rows as the workbook, starts with a byte order
// mark, and shares the workbook's content hash.
func TestDataExportAsCSV(t *testing.T) {
	fx := newFixture(t)
	d := indicators.EndOfDay(day("2026-02-15"))
	fx.clock.at("2026-03-01")
	xf, err := fx.b.Data(fx.ctx, DataRequest{AsOf: d})
	if err != nil {
		t.Fatal(err)
	}
	defer xf.Close()
	cf, err := fx.b.Data(fx.ctx, DataRequest{AsOf: d, Format: "csv"})
	if err != nil {
		t.Fatal(err)
	}
	if cf.Hash != xf.Hash || !strings.HasSuffix(cf.Name, ".csv") || cf.ContentType != ContentTypeCSV {
		t.Errorf("csv %s hash %s, xlsx hash %s; want one hash", cf.Name, cf.Hash, xf.Hash)
	}
	path := fx.save(cf, nil)
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("csv starts %q, want a UTF-8 byte order mark", body[:3])
	}
	recs, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[0][dIndicator-1] != "Mã chỉ tiêu" {
		t.Errorf("csv heading %q", recs[0])
	}
	want := storeValues(t, fx, d)
	if len(recs) != len(want)+1 {
		t.Fatalf("csv has %d records, want %d", len(recs), len(want)+1)
	}
	for i, v := range want {
		r := recs[i+1]
		if r[dID-1] != strconv.FormatInt(v.ID, 10) || r[dValue-1] != strconv.FormatFloat(v.Value, 'f', -1, 64) ||
			r[dAt-1] != v.EnteredAt.In(indicators.Vietnam).Format("2006-01-02 15:04:05") {
			t.Errorf("csv record %q, store %+v", r, v)
		}
	}
}

// A sheet that outgrows a worksheet goes on in "Số liệu (2)" under the
// same heading, and the report still verifies.
func TestDataExportContinuesOnAnotherSheet(t *testing.T) {
	fx := newFixture(t)
	fx.b.maxRows = 6
	path := fx.save(fx.b.Data(fx.ctx, DataRequest{}))
	f := book(t, path)
	var all [][]string
	for i, name := range []string{"Số liệu", "Số liệu (2)", "Số liệu (3)"} {
		rows := rawRows(t, f, name)
		if len(rows) == 0 || at(rows[0], dIndicator) != "Mã chỉ tiêu" {
			t.Fatalf("%s starts %q, want the heading", name, rows)
		}
		if i == 0 {
			all = append(all, rows[0])
		}
		all = append(all, rows[1:]...)
	}
	if idx, _ := f.GetSheetIndex("Số liệu (4)"); idx >= 0 {
		t.Error("a fourth sheet for 15 values at 5 a sheet")
	}
	checkData(t, fx, all, fx.clock.now())
	v, err := fx.b.Verify(fx.ctx, path)
	if err != nil || !v.Matches() {
		t.Errorf("verify split export: %+v, %v", v, err)
	}
}
