package importers_test

import (
	"bytes"
	"testing"

	"chitieu/importers"
	"chitieu/indicators"

	"github.com/xuri/excelize/v2"
)

// The indicators' metadata sheets go out in the plan workbook's sheet
// "Siêu dữ liệu" as text (a formula-looking text stays text) and come back
// in: a workbook exported and imported again changes nothing; a field
// edited, a field emptied and a new indicator's sheet are stored exactly,
// audited, and export again as edited; a sheet for an unknown indicator is
// refused at its cell and nothing is stored.
func TestMetadataRoundTripsThroughThePlanWorkbook(t *testing.T) {
	t.Parallel()
	db, ctx := store(t)
	sheet := indicators.MetadataSheet.Name
	eco01 := indicators.IndicatorMetadata{Indicator: "ECO-01", Definition: "=SUM(A1) là tốc độ tăng GRDP\nso với năm trước",
		Method: "(GRDP năm t / GRDP năm t−1 − 1) × 100", Source: "Cục Thống kê", Comparability: "số trước 2025 của TP cũ"}
	if err := db.SetIndicatorMetadata(ctx, eco01); err != nil {
		t.Fatal(err)
	}
	data := export(t, db)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	row := rowOf(t, f, sheet, "Mã chỉ tiêu", "ECO-01")
	def := cell(t, f, sheet, "Khái niệm, định nghĩa", row)
	if v, _ := f.GetCellValue(sheet, def); v != eco01.Definition {
		t.Errorf("%s!%s = %q, want %q", sheet, def, v, eco01.Definition)
	}
	if formula, _ := f.GetCellFormula(sheet, def); formula != "" {
		t.Errorf("%s!%s became the formula %q", sheet, def, formula)
	}
	f.Close()

	p, err := importers.ImportPlanbook(ctx, db, bytes.NewReader(data), "so.xlsx", true)
	if err != nil || len(p.Changes) != 0 {
		t.Fatalf("the export imported again = %v, changes %+v", err, p.Changes)
	}
	_, _, before := planCounts(t, db)
	edited := edit(t, data, func(f *excelize.File) {
		f.SetCellStr(sheet, cell(t, f, sheet, "Phương pháp tính", row), "GRDP giá so sánh 2010")
		f.SetCellStr(sheet, cell(t, f, sheet, "Ghi chú về tính so sánh", row), "")
		n := lastRow(t, f, sheet) + 1
		f.SetCellStr(sheet, cell(t, f, sheet, "Mã chỉ tiêu", n), "ECO-04")
		f.SetCellStr(sheet, cell(t, f, sheet, "Cơ quan cung cấp số liệu", n), "Sở Tài chính")
	})
	p, err = importers.ImportPlanbook(ctx, db, bytes.NewReader(edited), "so.xlsx", true)
	if err != nil || p.New != 1 || p.Changed != 1 || !p.Committed {
		t.Fatalf("edited workbook = %v: new %d, changed %d, committed %v, errors %v", err, p.New, p.Changed, p.Committed, p.Errors)
	}
	got, _ := db.IndicatorMetadata(ctx, "ECO-01")
	want := eco01
	want.Method, want.Comparability = "GRDP giá so sánh 2010", ""
	if got.Record()["definition"] != want.Definition || got.Method != want.Method || got.Source != want.Source || got.Comparability != "" {
		t.Errorf("ECO-01 after the import = %+v, want %+v", got.Record(), want.Record())
	}
	if got, _ := db.IndicatorMetadata(ctx, "ECO-04"); got.Source != "Sở Tài chính" || got.Definition != "" {
		t.Errorf("ECO-04 after the import = %+v", got.Record())
	}
	if _, _, after := planCounts(t, db); after != before+3 {
		t.Errorf("audit events %d → %d, want two metadata events and the import's", before, after)
	}
	// Exported again, the edited sheets come back unchanged.
	if p, err := importers.ImportPlanbook(ctx, db, bytes.NewReader(export(t, db)), "so.xlsx", false); err != nil || len(p.Changes) != 0 {
		t.Errorf("the second export imported again = %v, changes %+v", err, p.Changes)
	}

	bad := edit(t, data, func(f *excelize.File) {
		f.SetCellStr(sheet, cell(t, f, sheet, "Mã chỉ tiêu", row), "ZZZ-99")
	})
	p, err = importers.ImportPlanbook(ctx, db, bytes.NewReader(bad), "so.xlsx", true)
	if err == nil || len(p.Errors) != 1 || p.Errors[0].Sheet != sheet || p.Errors[0].Cell != cell(t, mustOpen(t, bad), sheet, "Mã chỉ tiêu", row) {
		t.Errorf("an unknown indicator's sheet = %v, errors %+v", err, p.Errors)
	}
	if got, _ := db.IndicatorMetadata(ctx, "ECO-01"); got.Method != "GRDP giá so sánh 2010" {
		t.Errorf("a refused workbook changed ECO-01: %+v", got.Record())
	}
}

func mustOpen(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
