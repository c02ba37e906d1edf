package importers_test

import (
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"chitieu/importers"
)

// A department's wide sheet with a group heading over three columns (KH,
// Ước TH, TH), a section total, a column-number row, text numbers, a
// planned range, notes and a signature block: every figure lands on its
// indicator, year and type, and nothing else does.
func TestWideSheetWithAGroupedHeader(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	sh := "Sheet1"
	f.SetSheetName(sh, "Biểu 02")
	sh = "Biểu 02"
	cells := map[string]any{
		"A1": "SỞ TÀI CHÍNH", "A3": "BIỂU 02: KẾT QUẢ NĂM 2024",
		"A5": "STT", "B5": "Nội dung chỉ tiêu", "C5": "Đơn vị tính", "D5": "TH 2023", "E5": "Năm 2024", "H5": "Ghi chú",
		"E6": "KH", "F6": "Ước TH", "G6": "TH",
		"A7": "(1)", "B7": "(2)", "C7": "(3)", "D7": "(4)", "E7": "(5)", "F7": "(6)", "G7": "(7)",
		"A8": "I", "B8": "KINH TẾ", "D8": 100.0, // a section total, not an indicator
		"A9": "1", "B9": "Tốc độ tăng trưởng GRDP", "C9": "%", "D9": "5,75", "E9": "7,5 - 8", "F9": 7.1, "G9": "-",
		"A10": "a)", "B10": "Vốn đầu tư phát triển toàn xã hội", "C10": "tỷ đồng", "D10": "31.293", "F10": "35.000,5",
		"A11": "2", "B11": "Tỷ lệ đô thị hoá\u00a0", "C11": "%", "D11": 0.74, "G11": "x",
		"A12": "3", "B12": "Số doanh nghiệp thành lập mới", "C12": "DN", "D12": 1200.0,
		"B14": "Ghi chú: số năm 2024 là số ước.", "B16": "NGƯỜI LẬP BIỂU", "F16": "GIÁM ĐỐC",
	}
	for cell, v := range cells {
		if s, ok := v.(string); ok {
			f.SetCellStr(sh, cell, s)
		} else {
			f.SetCellValue(sh, cell, v)
		}
	}
	f.MergeCell(sh, "E5", "G5")
	for _, c := range []string{"A", "B", "C", "D", "H"} {
		f.MergeCell(sh, c+"5", c+"6")
	}
	pct, _ := f.NewStyle(&excelize.Style{NumFmt: 10})
	f.SetCellStyle(sh, "D11", "D11", pct)
	path := filepath.Join(t.TempDir(), "bieu-02.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()

	p := &importers.Profile{Name: "bieu-02", Shape: importers.Wide, Unit: "CT-CU",
		Columns: importers.Columns{Name: "Nội dung chỉ tiêu", Measure: "Đơn vị tính", Note: "Ghi chú"}}
	res, err := newImporter(t, openStoreNoValues(t)).Preview(planner(), receive(t, path), importers.Options{Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range res.Changes {
		s := c.Indicator + " " + c.Period + " " + string(c.Type) + " " + c.Cell + " " + strconv.FormatFloat(c.New, 'f', -1, 64)
		if c.High != nil {
			s += "–" + strconv.FormatFloat(*c.High, 'f', -1, 64)
		}
		got = append(got, s)
	}
	sort.Strings(got)
	want := []string{
		"ECO-01 2023 official D9 5.75",
		"ECO-01 2024 estimate F9 7.1",
		"ECO-01 2024 plan E9 7.5–8",
		"ECO-05 2023 official D10 31293",
		"ECO-05 2024 estimate F10 35000.5",
		"SOC-01 2023 official D11 74",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("values:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if res.Rejected != 1 || len(res.Errors) != 1 || res.Errors[0].Cell != "B12" {
		t.Errorf("errors = %+v, want the unknown indicator at B12", res.Errors)
	}
	warned, warnedEN := notices(res.Warnings, "vi"), notices(res.Warnings, "en")
	if !strings.Contains(warned, "dòng 8") || !strings.Contains(warned, "KINH TẾ") ||
		!strings.Contains(warnedEN, "row 8 is a section row") || !strings.Contains(warnedEN, "KINH TẾ") {
		t.Errorf("warnings = %+v, want the section total named in both languages", res.Warnings)
	}
	if hr := res.Header.Rows; len(hr) != 2 || hr[0] != 5 {
		t.Errorf("header rows = %v, want 5 and 6", hr)
	}
}

// A wide sheet may list its units down a column: each row's values go to
// the unit it names, by code or by name.
func TestWideSheetWithAUnitColumn(t *testing.T) {
	t.Parallel()
	path := writeXLSX(t, "units.xlsx", [][]any{
		{"Chỉ tiêu", "Đơn vị", "Năm 2022", "Năm 2023"},
		{"Tỷ lệ đô thị hóa", "916", 80.5, 81.0},
		{"Tỷ lệ đô thị hóa", "Quận Ô Môn", 60.0, nil},
		{"Tỷ lệ đô thị hóa", "Huyện Không Có", 1.0, nil},
	})
	p := &importers.Profile{Name: "units", Shape: importers.Wide, DefaultType: "official",
		Columns: importers.Columns{Name: "Chỉ tiêu", Unit: "Đơn vị"}}
	res, err := newImporter(t, openStoreNoValues(t)).Preview(planner(), receive(t, path), importers.Options{Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range res.Changes {
		got = append(got, c.Unit+" "+c.Period+" "+strconv.FormatFloat(c.New, 'f', -1, 64)+" "+c.Cell)
	}
	sort.Strings(got)
	want := "916 2022 80.5 C2\n916 2023 81 D2\n917 2022 60 C3"
	if strings.Join(got, "\n") != want {
		t.Errorf("values:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
	if res.Rejected != 1 || res.Errors[0].Cell != "B4" || !strings.Contains(res.Errors[0].Reason, "không có trong danh mục") {
		t.Errorf("errors = %+v, want the unknown unit at B4", res.Errors)
	}
}

// notices joins a preview's notes in lang, one a line.
func notices(ns []importers.Notice, lang string) string {
	var b strings.Builder
	for _, n := range ns {
		b.WriteString(n.In(lang) + "\n")
	}
	return b.String()
}
