package importers_test

import (
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"chitieu/importers"
	"chitieu/indicators"
)

// A department's report to the People's Council: the year's plan, the
// estimate for the first six months, nine months done with a "so cùng kỳ"
// column beside it, and an eleven-month column under the year heading —
// each figure lands on its year-to-date period, the comparison on the
// nine months it compares, and a "so kế hoạch" column on nothing.
func TestWideSheetWithYearToDateAndSamePeriodColumns(t *testing.T) {
	f := excelize.NewFile()
	sh := "Biểu 05"
	f.SetSheetName("Sheet1", sh)
	cells := map[string]string{
		"A1": "SỞ TÀI CHÍNH", "A2": "BÁO CÁO 9 THÁNG NĂM 2025",
		"A4": "STT", "B4": "Chỉ tiêu", "C4": "Đơn vị tính", "D4": "Năm 2025",
		"D5": "Kế hoạch", "E5": "Ước TH 6 tháng", "F5": "Thực hiện 9 tháng", "G5": "So cùng kỳ (%)", "H5": "So kế hoạch (%)",
		"I5": "Ước TH 11 tháng",
		"A6": "1", "B6": "Tốc độ tăng trưởng GRDP", "C6": "%", "D6": "10", "E6": "6,8", "F6": "7,39", "G6": "101,2",
		"A7": "2", "B7": "Vốn đầu tư phát triển toàn xã hội", "C7": "tỷ đồng", "D7": "60.000", "E7": "25.500",
		"F7": "41.230", "G7": "108,4", "H7": "68,7", "I7": "52.000",
	}
	for cell, v := range cells {
		f.SetCellStr(sh, cell, v)
	}
	f.MergeCell(sh, "D4", "I4")
	for _, c := range []string{"A", "B", "C"} {
		f.MergeCell(sh, c+"4", c+"5")
	}
	path := filepath.Join(t.TempDir(), "bieu-05.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()

	p := &importers.Profile{Name: "bieu-05", Shape: importers.Wide, Unit: "CT-CU",
		Columns: importers.Columns{Name: "Chỉ tiêu", Measure: "Đơn vị tính"}}
	res, err := newImporter(t, openStoreNoValues(t)).Preview(planner(), receive(t, path), importers.Options{Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range res.Changes {
		got = append(got, c.Indicator+" "+c.Period+" "+string(c.Type)+" "+c.Cell+" "+strconv.FormatFloat(c.New, 'f', -1, 64))
	}
	sort.Strings(got)
	want := []string{
		"ECO-01 2025 plan D6 10",
		"ECO-01 2025-H1 estimate E6 6.8",
		"ECO-01 2025-YTD09 official F6 7.39",
		"ECO-01 2025-YTD09 same_period G6 101.2",
		"ECO-05 2025 plan D7 60000",
		"ECO-05 2025-H1 estimate E7 25500",
		"ECO-05 2025-YTD09 official F7 41230",
		"ECO-05 2025-YTD09 same_period G7 108.4",
		"ECO-05 2025-YTD11 estimate I7 52000",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("values:\n%s\nwant:\n%s\nerrors: %v", strings.Join(got, "\n"), strings.Join(want, "\n"), res.Errors)
	}
	// The periods read as people write them, and say they are year to date.
	for code, label := range map[string]string{"2025-YTD09": "9 tháng đầu năm 2025", "2025-H1": "6 tháng đầu năm 2025",
		"2025-YTD11": "11 tháng đầu năm 2025"} {
		per, err := indicators.ParsePeriod(code)
		if err != nil || per.Label("vi") != label || !per.IsYearToDate() {
			t.Errorf("%s: label %q, year to date %v, %v; want %q", code, per.Label("vi"), per.IsYearToDate(), err, label)
		}
	}
}

// The long table takes year-to-date periods as people write them and
// "so cùng kỳ" as a value type; committed, they are stored under their
// period codes and read back the same.
func TestLongTableYearToDateAndSamePeriod(t *testing.T) {
	db := openStoreNoValues(t)
	path := longFile(t, "luy-ke.xlsx",
		[]any{"ECO-05", "CT-CU", "9 tháng 2025", "Thực hiện", "41.230"},
		[]any{"ECO-05", "CT-CU", "9 tháng đầu năm 2025", "So cùng kỳ", "108,4"},
		[]any{"ECO-05", "CT-CU", "11 tháng 2025", "Ước TH", 52000},
		[]any{"ECO-05", "CT-CU", "6 tháng đầu năm 2025", "Ước TH", 25500},
		[]any{"ECO-05", "CT-CU", "2025-YTD10", "Ước TH", 47000},
		[]any{"ECO-05", "CT-CU", "13 tháng 2025", "Ước TH", 1},
	)
	res, err := newImporter(t, db).Import(planner(), receive(t, path), importers.Options{})
	if err == nil || len(res.Errors) != 1 || res.Errors[0].Cell != "C7" {
		t.Fatalf("import = %v, errors %+v; want the 13-month period refused at C7", err, res.Errors)
	}
	rows := [][]any{
		{"ECO-05", "CT-CU", "9 tháng 2025", "Thực hiện", "41.230"},
		{"ECO-05", "CT-CU", "9 tháng đầu năm 2025", "So cùng kỳ", "108,4"},
		{"ECO-05", "CT-CU", "11 tháng 2025", "Ước TH", 52000},
		{"ECO-05", "CT-CU", "6 tháng đầu năm 2025", "Ước TH", 25500},
		{"ECO-05", "CT-CU", "2025-YTD10", "Ước TH", 47000},
	}
	if _, err := newImporter(t, db).Import(planner(), receive(t, longFile(t, "luy-ke-2.xlsx", rows...)), importers.Options{}); err != nil {
		t.Fatal(err)
	}
	got := current(t, db, "ECO-05", "CT-CU")
	for key, want := range map[string]string{"2025-YTD09/official": "41230", "2025-YTD09/same_period": "108.4",
		"2025-YTD11/estimate": "52000", "2025-H1/estimate": "25500", "2025-YTD10/estimate": "47000"} {
		if v, _, _ := strings.Cut(got[key], "@"); v != want {
			t.Errorf("%s = %q, want %s (all: %v)", key, got[key], want, got)
		}
	}
}
