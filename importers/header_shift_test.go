package importers_test

import (
	"path/filepath"
	"testing"

	"chitieu/importers"

	"github.com/xuri/excelize/v2"
)

// A profile made for a sheet, which names the sheet's header rows, still
// recognises the same sheet with two title lines added above the header:
// the header is found two rows lower and every value is read, from cells
// two rows lower.
func TestProfileFindsItsHeaderMovedByAFewRows(t *testing.T) {
	x, err := excelize.OpenFile(shared(t, "dept/bieu-01-so-tai-chinh.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	sheet := x.GetSheetList()[0]
	if err := x.InsertRows(sheet, 1, 2); err != nil {
		t.Fatal(err)
	}
	moved := filepath.Join(t.TempDir(), "bieu-01-moved.xlsx")
	if err := x.SaveAs(moved); err != nil {
		t.Fatal(err)
	}
	x.Close()

	p := loadProfile(t, "testdata/profiles/bieu-01.json")
	p.HeaderRows = []int{7, 8} // as a profile made on the page records them
	db := openStoreNoValues(t)
	im := newImporter(t, db)
	before, err := im.Preview(planner(), receive(t, shared(t, "dept/bieu-01-so-tai-chinh.xlsx")), importers.Options{Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	after, err := im.Preview(planner(), receive(t, moved), importers.Options{Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	if got := after.Header.Rows; len(got) != 2 || got[0] != 9 || got[1] != 10 {
		t.Errorf("header rows of the moved sheet = %v, want [9 10]", got)
	}
	if after.New != before.New || after.New != 17 || after.Rejected != 0 {
		t.Fatalf("moved sheet: %d new, %d rejected; the sheet as made: %d new; want 17 and none rejected",
			after.New, after.Rejected, before.New)
	}
	cells := map[string]bool{}
	for _, c := range before.Changes {
		col, row, _ := excelize.CellNameToCoordinates(c.Cell)
		name, _ := excelize.CoordinatesToCellName(col, row+2)
		cells[c.Indicator+" "+c.Period+" "+name] = true
	}
	for _, c := range after.Changes {
		if !cells[c.Indicator+" "+c.Period+" "+c.Cell] {
			t.Errorf("moved sheet: %s %s read from %s, not two rows below where it was", c.Indicator, c.Period, c.Cell)
		}
	}
}
