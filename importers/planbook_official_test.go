package importers_test

import (
	"bytes"
	"testing"

	"chitieu/importers"
	"chitieu/indicators"

	"github.com/xuri/excelize/v2"
)

// The plan workbook shows a unit's official code for the reader only: a
// workbook with the cell cleared or changed imports as no change, and the
// code set on the units page stays.
func TestWorkbookShowsOfficialCodesAndNeverChangesThem(t *testing.T) {
	t.Parallel()
	db, ctx := store(t)
	if err := db.SetUnitOfficialCode(ctx, "916", "92101"); err != nil {
		t.Fatal(err)
	}
	data := export(t, db)
	s := indicators.UnitsSheet.Name
	changed := edit(t, data, func(f *excelize.File) {
		r := rowOf(t, f, s, "Mã đơn vị", "916")
		if v, _ := f.GetCellValue(s, cell(t, f, s, "Mã đơn vị hành chính", r)); v != "92101" {
			t.Errorf("the workbook shows 916's official code as %q, want 92101", v)
		}
		f.SetCellStr(s, cell(t, f, s, "Mã đơn vị hành chính", r), "")
		f.SetCellStr(s, cell(t, f, s, "Mã đơn vị hành chính", rowOf(t, f, s, "Mã đơn vị", "918")), "92101")
	})
	p, err := importers.ImportPlanbook(ctx, db, bytes.NewReader(changed), "ma-hanh-chinh.xlsx", true)
	if err != nil || p.New != 0 || p.Changed != 0 || p.Rejected != 0 {
		t.Errorf("import: new %d, changed %d, rejected %d, %v, errors %v", p.New, p.Changed, p.Rejected, err, p.Errors)
	}
	for unit, want := range map[string]string{"916": "92101", "918": ""} {
		if u, err := db.Unit(ctx, unit); err != nil || u.OfficialCode != want {
			t.Errorf("%s official code = %q (%v), want %q", unit, u.OfficialCode, err, want)
		}
	}
}
