package importers_test

import (
	"bytes"
	"context"
	"path/filepath"
	"sort"
	"testing"

	"github.com/xuri/excelize/v2"

	"chitieu/importers"
	"chitieu/indicators"
)

// A template asked for "9 tháng đầu năm 2025" has that column and the same
// nine months of 2024 after the years, headed as people write them; filled
// in, each figure lands on its year-to-date period. A period that is not
// year-to-date, or lies outside the plan period, is refused.
func TestTemplateYearToDateColumns(t *testing.T) {
	t.Parallel()
	db := openStoreNoValues(t)
	ctx := context.Background()
	req := importers.TemplateRequest{Plan: "98/NQ-CP", Period: indicators.YearRange{From: 2021, To: 2025}, Unit: "CT-CU",
		YearToDate: indicators.YearToDatePeriod(2025, 9)}
	var buf bytes.Buffer
	info, err := importers.WriteTemplate(ctx, db, req, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(info.YearToDate) != 2 || info.YearToDate[0].String() != "2024-YTD09" || info.YearToDate[1].String() != "2025-YTD09" {
		t.Fatalf("year-to-date columns %v, want 2024-YTD09 and 2025-YTD09", info.YearToDate)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Số liệu")
	col := map[string]int{}
	for i, h := range rows[4] {
		col[h] = i + 1
	}
	if col["9 tháng đầu năm 2024"] != col["2025"]+1 || col["9 tháng đầu năm 2025"] != col["2025"]+2 || col["Ghi chú"] != col["2025"]+3 {
		t.Fatalf("headers %v: want the two year-to-date columns between 2025 and Ghi chú", rows[4])
	}
	row := 0
	for i, r := range rows {
		if len(r) > 0 && r[0] == "ECO-01" {
			row = i + 1
		}
	}
	for h, v := range map[string]float64{"9 tháng đầu năm 2024": 6.8, "9 tháng đầu năm 2025": 7.39, "2024": 7.1} {
		cell, _ := excelize.CoordinatesToCellName(col[h], row)
		f.SetCellValue("Số liệu", cell, v)
		// The type offered depends on today's year; the test chooses its own.
		f.SetCellValue("Số liệu", cellAt(col[h], 6), "Thực hiện")
	}
	filled := filepath.Join(t.TempDir(), "9-thang.xlsx")
	if err := f.SaveAs(filled); err != nil {
		t.Fatal(err)
	}
	res, err := newImporter(t, db).Import(planner(), receive(t, filled), importers.Options{})
	if err != nil {
		t.Fatalf("import: %v (%+v)", err, res)
	}
	vs, err := db.Values(ctx, indicators.ValueFilter{Batch: res.Batch})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range vs {
		got = append(got, v.Key.String()+" "+formatValue(v))
	}
	sort.Strings(got)
	want := []string{"ECO-01/CT-CU/2024-YTD09/official 6.8 Số liệu!" + cellAt(col["9 tháng đầu năm 2024"], row),
		"ECO-01/CT-CU/2024/official 7.1 Số liệu!" + cellAt(col["2024"], row),
		"ECO-01/CT-CU/2025-YTD09/official 7.39 Số liệu!" + cellAt(col["9 tháng đầu năm 2025"], row)}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("stored\n%v\nwant\n%v", got, want)
	}

	for _, p := range []indicators.Period{indicators.YearPeriod(2025), {Year: 2025, Kind: indicators.Half, N: 2},
		indicators.YearToDatePeriod(2026, 9)} {
		bad := req
		bad.YearToDate = p
		if _, err := importers.WriteTemplate(ctx, db, bad, &bytes.Buffer{}); indicators.ErrorCode(err) != indicators.EINVALID {
			t.Errorf("year-to-date %s: err = %v, want it refused", p, err)
		}
	}
}

func cellAt(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}
