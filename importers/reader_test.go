package importers_test

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chitieu/importers"
)

// rawXLSX writes a workbook whose one sheet is the given sheetData, with
// styles 1 = percent, 2 = a built-in date, 3 = a custom date and 4 = a
// custom plain number, and the given shared strings.
func rawXLSX(t *testing.T, dimension, sheetData string, sst []string) string {
	t.Helper()
	parts := map[string]string{
		"[Content_Types].xml":        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`,
		"_rels/.rels":                `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":            `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Dữ liệu" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/styles.xml":              `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="#,##0.0 &quot;tỷ đồng&quot;"/></numFmts><cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="10" applyNumberFormat="1"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165" applyNumberFormat="1"/></cellXfs></styleSheet>`,
		"xl/worksheets/sheet1.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="` + dimension + `"/><sheetData>` + sheetData + `</sheetData><mergeCells count="0"/></worksheet>`,
	}
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	for _, s := range sst {
		sb.WriteString("<si><t>" + s + "</t></si>")
	}
	sb.WriteString("</sst>")
	parts["xl/sharedStrings.xml"] = sb.String()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
		"xl/styles.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(parts[name]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "raw.xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func inl(ref, s string) string {
	return `<c r="` + ref + `" t="inlineStr"><is><t>` + s + `</t></is></c>`
}

func longRow(n, code, unit, period, typ, value string) string {
	r := "<row r=\"" + n + "\">" + inl("A"+n, code) + inl("B"+n, unit)
	if period != "" {
		r += period
	}
	r += inl("D"+n, typ) + value + "</row>"
	return r
}

// A typed number is taken as it is; text is read in the upload's locale;
// a percentage is read in percent points; a formula gives its cached value
// and one without is refused; dates are dates; errors are refused.
func TestCellsAreReadByTheirType(t *testing.T) {
	t.Parallel()
	header := `<row r="1">` + inl("A1", "Mã chỉ tiêu") + inl("B1", "Đơn vị") + inl("C1", "Kỳ") + inl("D1", "Loại số liệu") + inl("E1", "Giá trị") + `</row>`
	year := func(n, y string) string { return `<c r="C` + n + `"><v>` + y + `</v></c>` }
	data := header +
		longRow("2", "ECO-05", "CT-CU", year("2", "2021"), "Thực hiện", `<c r="E2"><v>1.234</v></c>`) +
		longRow("3", "ECO-05", "CT-CU", year("3", "2022"), "Thực hiện", inl("E3", "1.234")) +
		longRow("4", "SOC-01", "CT-CU", year("4", "2021"), "Thực hiện", `<c r="E4" s="1"><v>0.7305</v></c>`) +
		longRow("5", "ECO-01", "CT-CU", `<c r="C5" s="3"><v>43646</v></c>`, "Thực hiện", `<c r="E5"><f>1+1.5</f><v>2.5</v></c>`) +
		longRow("6", "ECO-16", "CT-CU", year("6", "2021"), "Thực hiện", `<c r="E6"><f>SUM(X1:X9)</f></c>`) +
		longRow("7", "ECO-17", "CT-CU", year("7", "2021"), "Thực hiện", `<c r="E7" t="e"><v>#DIV/0!</v></c>`) +
		longRow("8", "ECO-23", "CT-CU", year("8", "2021"), "Thực hiện", `<c r="E8" t="s"><v>0</v></c>`) +
		longRow("9", "ECO-24", "CT-CU", year("9", "2021"), "Thực hiện", `<c r="E9" s="2"><v>44000</v></c>`) +
		longRow("10", "ECO-05", "CT-CU", year("10", "2023"), "Thực hiện", `<c r="E10" s="4"><v>2500.5</v></c>`) +
		longRow("12", "ECO-05", "CT-CU", year("12", "2024"), "Thực hiện", inl("E12", "x")) +
		`<row r="13"><c r="A13" t="inlineStr"><is><r><t>Ghi </t></r><r><t>chú:</t></r><rPh><t>ふりがな</t></rPh></is></c></row>` +
		longRow("14", "ECO-05", "CT-CU", year("14", "2025"), "Thực hiện", `<c r="E14"><v>99</v></c>`)
	path := rawXLSX(t, "A1:E14", data, []string{"7,5"})
	db := openStoreNoValues(t)
	res, err := newImporter(t, db).Preview(planner(), receive(t, path), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, c := range res.Changes {
		got[c.Cell] = c.New
		if c.Cell == "E5" && c.Period != "2019" {
			t.Errorf("the date 30/06/2019 as a period gave %s, want 2019", c.Period)
		}
	}
	want := map[string]float64{"E2": 1.234, "E3": 1234, "E4": 73.05, "E5": 2.5, "E8": 7.5, "E10": 2500.5}
	if !sameFloats(got, want) {
		t.Errorf("values = %v, want %v", got, want)
	}
	reasons := map[string]string{}
	for _, e := range res.Errors {
		reasons[e.Cell] = e.Reason
	}
	for cell, part := range map[string]string{"E6": "chưa có kết quả", "E7": "lỗi", "E9": "ngày tháng"} {
		if !strings.Contains(reasons[cell], part) {
			t.Errorf("%s rejected for %q, want a reason with %q", cell, reasons[cell], part)
		}
	}
	if res.Rejected != 3 {
		t.Errorf("rejected = %d (%v), want 3", res.Rejected, res.Errors)
	}
	if _, ok := got["E14"]; ok {
		t.Error("a row below the notes was imported")
	}
}

func sameFloats(a, b map[string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// Cells out of column order are read by their addresses; two cells at one
// address make the sheet damaged rather than one of them silently lost.
func TestCellOrderAndDuplicateAddresses(t *testing.T) {
	t.Parallel()
	header := `<row r="1">` + inl("A1", "Mã chỉ tiêu") + inl("B1", "Đơn vị") + inl("C1", "Kỳ") + inl("D1", "Loại số liệu") + inl("E1", "Giá trị") + `</row>`
	shuffled := `<row r="2"><c r="E2"><v>7.9</v></c>` + inl("A2", "ECO-01") + inl("D2", "Thực hiện") + `<c r="C2"><v>2019</v></c>` + inl("B2", "CT-CU") + `</row>`
	res, err := newImporter(t, openStoreNoValues(t)).Preview(planner(), receive(t, rawXLSX(t, "A1:E2", header+shuffled, nil)), importers.Options{})
	if err != nil || res.New != 1 || res.Changes[0].New != 7.9 || res.Changes[0].Cell != "E2" {
		t.Fatalf("shuffled row: %+v, %v", res, err)
	}
	twice := `<row r="2">` + inl("A2", "ECO-01") + inl("B2", "CT-CU") + `<c r="C2"><v>2019</v></c>` + inl("D2", "Thực hiện") +
		`<c r="E2"><v>7.9</v></c><c r="E2"><v>8.9</v></c></row>`
	_, err = newImporter(t, openStoreNoValues(t)).Preview(planner(), receive(t, rawXLSX(t, "A1:E2", header+twice, nil)), importers.Options{})
	if err == nil || !strings.Contains(err.Error(), "bị hỏng") || !strings.Contains(err.Error(), "E2") {
		t.Errorf("err = %v, want the sheet damaged at E2", err)
	}
}

// A cell's text of many megabytes is refused, not held in memory.
func TestAHugeCellIsRefused(t *testing.T) {
	t.Parallel()
	header := `<row r="1">` + inl("A1", "Mã chỉ tiêu") + inl("B1", "Đơn vị") + inl("C1", "Kỳ") + inl("D1", "Loại số liệu") + inl("E1", "Giá trị") + `</row>`
	// Letters that do not compress, lest the zip check refuse it first.
	b := make([]byte, 5<<20)
	for i, x := 0, uint32(1); i < len(b); i++ {
		x = x*1664525 + 1013904223
		b[i] = 'a' + byte(x>>24)%26
	}
	huge := `<row r="2">` + inl("A2", string(b)) + `</row>`
	_, err := newImporter(t, openStoreNoValues(t)).Preview(planner(), receive(t, rawXLSX(t, "A1:E2", header+huge, nil)), importers.Options{})
	if err == nil || !strings.Contains(err.Error(), "bị hỏng") {
		t.Errorf("err = %v, want the sheet refused", err)
	}
}
