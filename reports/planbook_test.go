package reports_test

import (
	"bytes"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/reports"

	"github.com/xuri/excelize/v2"
)

func TestPlanbookWritesUserTextAsStringsAndNumbersAsNumbers(t *testing.T) {
	day := func(s string) time.Time { d, _ := indicators.ParseDate("d", s); return d }
	evil := `=HYPERLINK("http://example.invalid","bấm vào đây")`
	plan := indicators.Plan{ID: "kh-1", Code: "1/KH", Issued: day("2026-01-05"), TitleVI: evil, HorizonFrom: 2026, HorizonTo: 2030}
	target := indicators.Target{Plan: "kh-1", Indicator: "ECO-01", Period: indicators.YearRange{From: 2026, To: 2030},
		Scope: indicators.MergedCity, TargetRevision: indicators.TargetRevision{Kind: indicators.AvgGrowthTarget,
			Bound: indicators.Bound{Op: indicators.OpRange, A: 10, B: 10.5}, Text: "+10 - 10,5%/năm", Act: "@cmd"}}
	c := &indicators.Catalog{Plans: []indicators.Plan{plan}, Targets: []indicators.Target{target}}
	var buf bytes.Buffer
	if err := reports.WritePlanbook(&buf, c, time.Date(2026, 2, 1, 3, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{indicators.InstructionsSheet}
	for _, s := range indicators.PlanbookSheets {
		want = append(want, s.Name)
	}
	if got := f.GetSheetList(); len(got) != len(want) {
		t.Fatalf("sheets = %v, want %v", got, want)
	} else {
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("sheets = %v, want %v", got, want)
			}
		}
	}
	for _, tc := range []struct {
		sheet, cell, value string
		typ                excelize.CellType
	}{
		{"Kế hoạch", "F2", evil, excelize.CellTypeInlineString},
		{"Kế hoạch", "C2", "2026-01-05", excelize.CellTypeInlineString},
		{"Kế hoạch", "H2", "2026", excelize.CellTypeUnset},
		{"Mục tiêu", "I2", "+10 - 10,5%/năm", excelize.CellTypeInlineString},
		{"Mục tiêu", "S2", "@cmd", excelize.CellTypeInlineString},
		{"Mục tiêu", "M2", "10", excelize.CellTypeUnset},
		{"Mục tiêu", "N2", "10.5", excelize.CellTypeUnset},
	} {
		v, _ := f.GetCellValue(tc.sheet, tc.cell, excelize.Options{RawCellValue: true})
		formula, _ := f.GetCellFormula(tc.sheet, tc.cell)
		typ, _ := f.GetCellType(tc.sheet, tc.cell)
		if v != tc.value || formula != "" || typ != tc.typ {
			t.Errorf("%s!%s = %q (type %v, formula %q); want %q of type %v and no formula", tc.sheet, tc.cell, v, typ, formula, tc.value, tc.typ)
		}
	}
	for i, col := range indicators.TargetsSheet.Columns {
		name, _ := excelize.CoordinatesToCellName(i+1, 1)
		if v, _ := f.GetCellValue("Mục tiêu", name); v != col.Header {
			t.Errorf("Mục tiêu!%s = %q, want header %q", name, v, col.Header)
		}
	}
	if v, _ := f.GetCellValue(indicators.InstructionsSheet, "A1"); v == "" {
		t.Error("the instructions sheet is empty")
	}
}
