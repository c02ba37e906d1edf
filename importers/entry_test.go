package importers_test

import (
	"bytes"
	"testing"
	"time"

	"chitieu/importers"
	"chitieu/indicators"

	"github.com/xuri/excelize/v2"
)

// The generated workbook holds the numbers as numbers and every text as a
// string: a note that looks like a formula stays the planner's words.
func TestWriteEntryKeepsTextAsText(t *testing.T) {
	t.Parallel()
	e := importers.Entry{Unit: "916", Period: indicators.Period{Year: 2025, Kind: indicators.Quarter, N: 1}, User: "hoa",
		At: time.Date(2025, 4, 10, 8, 0, 0, 0, time.UTC), Rows: []importers.EntryRow{
			{Indicator: "ECO-01", Name: "Tốc độ tăng GRDP", Type: indicators.EstimateValue, Value: 1234.5, Note: `=HYPERLINK("http://x","y")`},
		}}
	var buf bytes.Buffer
	if err := importers.WriteEntry(e, &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string]string{"A2": "ECO-01", "C2": "916", "D2": "Quý I/2025", "E2": "Ước thực hiện", "F2": "1234.5",
		"G2": `=HYPERLINK("http://x","y")`} {
		if got, _ := f.GetCellValue(importers.EntrySheet, cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
		if formula, _ := f.GetCellFormula(importers.EntrySheet, cell); formula != "" {
			t.Errorf("%s holds a formula %q", cell, formula)
		}
	}
	if typ, _ := f.GetCellType(importers.EntrySheet, "F2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("the value is stored as text")
	}
	if importers.EntryCell(0) != "F2" || importers.EntryRowOf("F2", 1) != 0 || importers.EntryRowOf("C2", 1) != 0 ||
		importers.EntryRowOf("F3", 1) != -1 || importers.EntryRowOf("F1", 1) != -1 {
		t.Errorf("EntryCell/EntryRowOf do not address the value cells")
	}
	// An entry type the form does not offer is refused, not written.
	e.Rows[0].Type = indicators.PlanValue
	if err := importers.WriteEntry(e, &bytes.Buffer{}); err == nil {
		t.Errorf("a plan value was written from the form")
	}
}
