// Package benchdata writes the long tables that chitieu's benchmarks
// import: one row per indicator × value type × unit × month from January
// 2005, every row a different key, written as excelize's StreamWriter
// writes (inline strings) or as Excel does (shared strings).
package benchdata

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"chitieu/importers"
	"chitieu/indicators"
	"chitieu/indicators/catalog"
)

// Import imports the file at path into store end to end and commits it,
// as the planner "bench", and fails unless a batch was stored whole.
func Import(store importers.Store, path string, limits importers.Limits) (*importers.Result, error) {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "bench"})
	u, err := importers.ReceiveFile(path, "", limits)
	if err != nil {
		return nil, err
	}
	defer u.Close()
	res, err := (&importers.Importer{Store: store, Limits: limits}).Import(ctx, u, importers.Options{ConfirmNote: "số liệu thử cho đo tốc độ (benchmark data)"})
	if err != nil {
		return nil, err
	}
	if res.Batch == 0 || res.Rejected > 0 {
		return nil, fmt.Errorf("%s: no batch stored (%d new, %d changed, %d rejected: %v)", path, res.New, res.Changed, res.Rejected, res.Errors)
	}
	return res, nil
}

// Table is a long table to write: the catalogue's indicators and the
// units that existed over its months.
type Table struct {
	Indicators []indicators.Indicator
	Units      []string
	// Shift is added to every value, so that two tables that differ only
	// in it change every value of each other when imported in turn.
	Shift float64
	// From is the index of the first row written: tables whose rows do not
	// overlap hold different keys.
	From int
}

// Builtin is the table over the built-in catalogue: its indicators and
// the units that existed from 2005 to mid-2025, the months the rows cover.
func Builtin() (Table, error) {
	c, err := catalog.Builtin()
	if err != nil {
		return Table{}, err
	}
	from := time.Date(2005, 1, 1, 0, 0, 0, 0, indicators.Vietnam)
	to := time.Date(2025, 6, 30, 0, 0, 0, 0, indicators.Vietnam)
	t := Table{Indicators: c.Indicators}
	for _, u := range c.Units {
		if u.ValidOn(from) && u.ValidOn(to) {
			t.Units = append(t.Units, u.Code)
		}
	}
	return t, nil
}

var header = []string{"Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị", "Kỳ", "Loại số liệu", "Giá trị", "Ghi chú"}

var valueTypes = []string{"Thực hiện", "Ước thực hiện", "Kế hoạch"}

// row is row i of a long table: every row a different key (indicator
// × type × unit × month), months from January 2005.
func (t Table) row(i int) (code, name, unit, period, typ string, value float64, note string) {
	i += t.From
	in := t.Indicators[i%len(t.Indicators)]
	i /= len(t.Indicators)
	typ = valueTypes[i%3]
	i /= 3
	unit = t.Units[i%len(t.Units)]
	m := i / len(t.Units)
	period = fmt.Sprintf("%04d-%02d", 2005+m/12, m%12+1)
	value = float64((i*7919+m*104729)%1000000)/100 + t.Shift
	if i%97 == 0 {
		note = "Số liệu sơ bộ"
	}
	return in.Code, in.NameVI, unit, period, typ, value, note
}

// WriteInline writes n rows of a long table as excelize's StreamWriter does, with
// inline strings.
func (t Table) WriteInline(path string, n int) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	head := make([]any, len(header))
	for i, h := range header {
		head[i] = h
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	row := make([]any, 7)
	for i := 0; i < n; i++ {
		code, name, unit, period, typ, value, note := t.row(i)
		row[0], row[1], row[2], row[3], row[4], row[5] = code, name, unit, period, typ, value
		row[6] = nil
		if note != "" {
			row[6] = note
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

// WriteShared writes n rows of a long table as Excel does: every text in the shared
// string table, cells with their references and styles, rows with spans.
func (t Table) WriteShared(path string, n int) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	defer out.Close()
	zw := zip.NewWriter(out)
	put := func(name, body string) error {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, body)
		return err
	}
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	for _, p := range [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" + `<workbook ` + ns + ` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800" windowHeight="12300"/></bookViews><sheets><sheet name="Số liệu" sheetId="1" r:id="rId1"/></sheets><calcPr calcId="191029"/></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{"xl/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" + `<styleSheet ` + ns + `><numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`},
	} {
		if err := put(p[0], p[1]); err != nil {
			return err
		}
	}
	index := map[string]int{}
	var table []string
	sst := func(s string) int {
		i, ok := index[s]
		if !ok {
			i = len(table)
			index[s] = i
			table = append(table, s)
		}
		return i
	}
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	var b []byte
	b = append(b, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\r\n"+`<worksheet `+ns+`><dimension ref="A1:G`...)
	b = strconv.AppendInt(b, int64(n+1), 10)
	b = append(b, `"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData>`...)
	text := func(col byte, r int, s string) {
		b = append(b, `<c r="`...)
		b = append(b, col)
		b = strconv.AppendInt(b, int64(r), 10)
		b = append(b, `" t="s"><v>`...)
		b = strconv.AppendInt(b, int64(sst(s)), 10)
		b = append(b, `</v></c>`...)
	}
	rowStart := func(r int) {
		b = append(b, `<row r="`...)
		b = strconv.AppendInt(b, int64(r), 10)
		b = append(b, `" spans="1:7">`...)
	}
	rowStart(1)
	for j, h := range header {
		text(byte('A'+j), 1, h)
	}
	b = append(b, `</row>`...)
	for i := 0; i < n; i++ {
		r := i + 2
		code, name, unit, period, typ, value, note := t.row(i)
		rowStart(r)
		text('A', r, code)
		text('B', r, name)
		text('C', r, unit)
		text('D', r, period)
		text('E', r, typ)
		b = append(b, `<c r="F`...)
		b = strconv.AppendInt(b, int64(r), 10)
		b = append(b, `" s="1"><v>`...)
		b = strconv.AppendFloat(b, value, 'f', -1, 64)
		b = append(b, `</v></c>`...)
		if note != "" {
			text('G', r, note)
		}
		b = append(b, `</row>`...)
		if len(b) > 1<<20 {
			if _, err := w.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	b = append(b, `</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`...)
	if _, err := w.Write(b); err != nil {
		return err
	}
	var s strings.Builder
	fmt.Fprintf(&s, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\r\n"+`<sst %s count="%d" uniqueCount="%d">`, ns, 7*n, len(table))
	for _, t := range table {
		s.WriteString("<si><t>")
		xmlEscape(&s, t)
		s.WriteString("</t></si>")
	}
	s.WriteString("</sst>")
	if err := put("xl/sharedStrings.xml", s.String()); err != nil {
		return err
	}
	return zw.Close()
}

func xmlEscape(s *strings.Builder, t string) {
	for _, r := range t {
		switch r {
		case '&':
			s.WriteString("&amp;")
		case '<':
			s.WriteString("&lt;")
		case '>':
			s.WriteString("&gt;")
		default:
			s.WriteRune(r)
		}
	}
}
