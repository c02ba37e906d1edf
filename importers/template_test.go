package importers_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"chitieu/importers"
	"chitieu/indicators"
)

// A template is generated, filled in as a planner would (with excelize),
// and imports with no mapping: the values land on the template's unit,
// with the value type chosen over each year.
func TestTemplateRoundTrip(t *testing.T) {
	t.Parallel()
	db := openStoreNoValues(t)
	ctx := context.Background()
	var buf bytes.Buffer
	info, err := importers.WriteTemplate(ctx, db, importers.TemplateRequest{Plan: "98/NQ-CP",
		Period: indicators.YearRange{From: 2021, To: 2025}, Unit: "CT-CU"}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if info.Indicators == 0 || len(info.Years) != 6 || info.Years[0] != 2020 {
		t.Fatalf("template info = %+v, want indicators and the years 2020–2025", info)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 3 || sheets[0] != "Số liệu" || sheets[1] != "Hướng dẫn" {
		t.Fatalf("sheets = %v, want Số liệu, Hướng dẫn and the hidden one", sheets)
	}
	if visible, _ := f.GetSheetVisible(sheets[2]); visible {
		t.Errorf("sheet %s is visible", sheets[2])
	}
	help, _ := f.GetCellValue("Hướng dẫn", "A4")
	if !strings.Contains(help, "Nhập số liệu") {
		t.Errorf("instructions start %q", help)
	}
	dvs, err := f.GetDataValidations("Số liệu")
	if err != nil {
		t.Fatal(err)
	}
	var list, decimal bool
	for _, dv := range dvs {
		list = list || (dv.Type == "list" && strings.Contains(dv.Formula1, "Ước thực hiện"))
		decimal = decimal || dv.Type == "decimal"
	}
	if !list || !decimal {
		t.Errorf("data validations %+v: want a value-type list and a number check", dvs)
	}

	// Find the rows of two indicators and the year columns by their headers.
	rows, err := f.GetRows("Số liệu")
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[4] {
		col[h] = i + 1
	}
	row := map[string]int{}
	for i, r := range rows {
		if len(r) > 0 && indicators.ValidCode(r[0]) {
			row[r[0]] = i + 1
		}
	}
	if row["ECO-01"] == 0 || row["ECO-04"] == 0 || col["2024"] == 0 || col["Ghi chú"] == 0 {
		t.Fatalf("template rows %v, columns %v: want ECO-01, ECO-04, 2024 and Ghi chú", row, col)
	}
	set := func(c, r int, v any) {
		cell, _ := excelize.CoordinatesToCellName(c, r)
		if err := f.SetCellValue("Số liệu", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set(col["2024"], 6, "Ước thực hiện")
	set(col["2024"], row["ECO-01"], 7.3)
	set(col["2021"], row["ECO-01"], -2.79)
	set(col["2022"], row["ECO-04"], "14,2")
	set(col["Ghi chú"], row["ECO-04"], "Số liệu của Cục Thống kê")
	filled := filepath.Join(t.TempDir(), "filled.xlsx")
	if err := f.SaveAs(filled); err != nil {
		t.Fatal(err)
	}

	res, err := newImporter(t, db).Import(planner(), receive(t, filled), importers.Options{})
	if err != nil {
		t.Fatalf("import: %v (%+v)", err, res)
	}
	if res.Profile != "biểu mẫu chitieu" || res.Unit != "CT-CU" || res.New != 3 || res.Rejected != 0 || res.Batch == 0 {
		t.Fatalf("import = profile %q unit %s new %d rejected %d batch %d", res.Profile, res.Unit, res.New, res.Rejected, res.Batch)
	}
	vs, err := db.Values(ctx, indicators.ValueFilter{Batch: res.Batch})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, v := range vs {
		got[v.Key.String()] = formatValue(v)
	}
	c := func(col, row int) string { n, _ := excelize.CoordinatesToCellName(col, row); return n }
	want := map[string]string{
		"ECO-01/CT-CU/2024/estimate": "7.3 Số liệu!" + c(col["2024"], row["ECO-01"]),
		"ECO-01/CT-CU/2021/official": "-2.79 Số liệu!" + c(col["2021"], row["ECO-01"]),
		"ECO-04/CT-CU/2022/official": "14.2 Số liệu!" + c(col["2022"], row["ECO-04"]) + " Số liệu của Cục Thống kê",
	}
	if len(got) != len(want) {
		t.Errorf("stored %v, want %v", got, want)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
	os.Remove(filled)
}

// A year column of the template marked "Thực hiện 9 tháng" from its
// drop-down holds the nine months of that year.
func TestTemplateYearToDateColumn(t *testing.T) {
	db := openStoreNoValues(t)
	var buf bytes.Buffer
	if _, err := importers.WriteTemplate(context.Background(), db, importers.TemplateRequest{Plan: "98/NQ-CP",
		Period: indicators.YearRange{From: 2021, To: 2025}, Unit: "CT-CU"}, &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dvs, _ := f.GetDataValidations("Số liệu")
	offered := false
	for _, dv := range dvs {
		offered = offered || dv.Type == "list" && strings.Contains(dv.Formula1, "Thực hiện 9 tháng") && len(dv.Formula1) < 255+2
	}
	if !offered {
		t.Fatalf("the type list does not offer year-to-date figures: %+v", dvs)
	}
	rows, _ := f.GetRows("Số liệu")
	col, row := 0, 0
	for i, h := range rows[4] {
		if h == "2025" {
			col = i + 1
		}
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == "ECO-01" {
			row = i + 1
		}
	}
	head, _ := excelize.CoordinatesToCellName(col, 6)
	cell, _ := excelize.CoordinatesToCellName(col, row)
	f.SetCellValue("Số liệu", head, "Thực hiện 9 tháng")
	f.SetCellValue("Số liệu", cell, 7.39)
	filled := filepath.Join(t.TempDir(), "9-thang.xlsx")
	if err := f.SaveAs(filled); err != nil {
		t.Fatal(err)
	}
	res, err := newImporter(t, db).Import(planner(), receive(t, filled), importers.Options{})
	if err != nil {
		t.Fatalf("import: %v (%+v)", err, res)
	}
	vs, err := db.Values(context.Background(), indicators.ValueFilter{Batch: res.Batch})
	if err != nil || len(vs) != 1 || vs[0].Key.String() != "ECO-01/CT-CU/2025-YTD09/official" || vs[0].Value != 7.39 {
		t.Errorf("stored %+v, %v; want ECO-01/CT-CU/2025-YTD09/official 7.39", vs, err)
	}
}

func formatValue(v indicators.Value) string {
	s := strings.TrimRight(strings.TrimRight(indicators.FormatNumber(v.Value, 6, "en"), "0"), ".") + " " + v.Sheet + "!" + v.Cell
	if v.Note != "" {
		s += " " + v.Note
	}
	return s
}

// A template for one unit refuses to be imported for another.
func TestTemplateKeepsItsUnit(t *testing.T) {
	t.Parallel()
	db := openStore(t)
	path := filepath.Join(t.TempDir(), "t.xlsx")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := importers.WriteTemplate(context.Background(), db, importers.TemplateRequest{Plan: "98/NQ-CP",
		Period: indicators.YearRange{From: 2021, To: 2025}, Unit: "CT-CU"}, out); err != nil {
		t.Fatal(err)
	}
	out.Close()
	_, err = newImporter(t, db).Preview(planner(), receive(t, path), importers.Options{Unit: "916"})
	if indicators.ErrorCode(err) != indicators.EINVALID || !strings.Contains(err.Error(), "dành cho đơn vị CT-CU") {
		t.Errorf("err = %v, want the template's unit named", err)
	}
}
