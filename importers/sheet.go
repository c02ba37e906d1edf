package importers

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"chitieu/indicators"
)

// CellKind says what a cell holds.
type CellKind uint8

// Cell kinds.
const (
	CellNumber     CellKind = iota + 1 // a typed number (or date, or percentage)
	CellText                           // text, possibly a number written as text
	CellBool                           // TRUE or FALSE
	CellErrorValue                     // an error value such as #DIV/0!
	CellNoCache                        // a formula with no cached result
)

// Cell is one non-empty cell of a row.
type Cell struct {
	Col     int // 1-based
	Kind    CellKind
	Text    string  // the text; for a number, as the file writes it
	Num     float64 // a number, a date serial, or 1/0 for TRUE/FALSE
	Date    bool    // a number shown as a date or time
	Percent bool    // a number shown as a percentage
	Formula bool    // the value is the cached result of a formula
}

// Row is the non-empty cells of one row, in column order.
type Row struct {
	Num   int // 1-based
	Cells []Cell
}

// Get returns the cell in column col, if the row has one.
func (r *Row) Get(col int) (Cell, bool) {
	for _, c := range r.Cells {
		if c.Col == col {
			return c, true
		}
		if c.Col > col {
			break
		}
	}
	return Cell{}, false
}

// Blank reports whether the cell holds nothing but whitespace.
func (c Cell) Blank() bool {
	return c.Kind == CellText && strings.TrimSpace(CleanText(c.Text)) == ""
}

// SheetReader streams the rows of a worksheet: rows come one at a time and
// the row returned by Row is valid until the next call to Next.
type SheetReader struct {
	wb    *Workbook
	sheet string
	rc    io.ReadCloser
	s     *xmlScanner
	sst   []string

	row          Row
	lastRow      int
	err          error
	done         bool
	inData       bool
	DeclaredRows int // from the sheet's <dimension>, which may lie; 0 when absent
}

// OpenSheet starts reading a sheet by name.
func (wb *Workbook) OpenSheet(name string) (*SheetReader, error) {
	var ref *SheetRef
	for i := range wb.Sheets {
		if wb.Sheets[i].Name == name {
			ref = &wb.Sheets[i]
		}
	}
	if ref == nil {
		return nil, indicators.FieldError(indicators.EINVALID, "sheet",
			fmt.Sprintf("sổ làm việc %s không có trang %q (có: %s)", wb.Name, name, strings.Join(wb.SheetNames(), ", ")),
			fmt.Sprintf("workbook %s has no sheet %q", wb.Name, name))
	}
	sst, err := wb.sharedStrings()
	if err != nil {
		return nil, err
	}
	rc, err := wb.openPart(ref.part, wb.lim.MaxPart)
	if err != nil {
		return nil, err
	}
	return &SheetReader{wb: wb, sheet: name, rc: rc, s: newXMLScanner(rc), sst: sst}, nil
}

// SheetNames lists the sheets in workbook order.
func (wb *Workbook) SheetNames() []string {
	names := make([]string, len(wb.Sheets))
	for i, s := range wb.Sheets {
		names[i] = s.Name
	}
	return names
}

// Close stops reading.
func (r *SheetReader) Close() error { return r.rc.Close() }

// Err returns what stopped the reading early, if anything did.
func (r *SheetReader) Err() error { return r.err }

// Row returns the current row.
func (r *SheetReader) Row() *Row { return &r.row }

// Next moves to the next row that has a cell, skipping empty ones.
func (r *SheetReader) Next() bool {
	if r.done {
		return false
	}
	s := r.s
	for {
		switch s.next() {
		case tokenEOF:
			r.done = true
			if s.err != nil {
				r.fail(s.err)
			}
			return false
		case tokenStart:
			switch string(s.name) {
			case "dimension":
				r.DeclaredRows = dimensionRows(string(s.attr("ref")))
			case "sheetData":
				r.inData = !s.selfClose
				if s.selfClose {
					r.done = true
					return false
				}
			case "row":
				if !r.inData {
					continue
				}
				n := r.lastRow + 1
				if v := s.attr("r"); v != nil {
					var err error
					if n, err = strconv.Atoi(string(v)); err != nil || n < 1 {
						r.fail(fmt.Errorf("row number %q", v))
						return false
					}
				}
				if n > r.wb.lim.MaxRows {
					r.done = true
					r.err = fileError(indicators.ETOOLARGE, r.wb.Name,
						fmt.Sprintf("trang %q có dòng %d, vượt giới hạn %d dòng", r.sheet, n, r.wb.lim.MaxRows),
						fmt.Sprintf("sheet %q has row %d, over the limit of %d rows", r.sheet, n, r.wb.lim.MaxRows))
					return false
				}
				r.lastRow = n
				r.row.Num, r.row.Cells = n, r.row.Cells[:0]
				if s.selfClose {
					continue
				}
				if !r.readRow() {
					return false
				}
				if len(r.row.Cells) > 0 {
					return true
				}
			}
		case tokenEnd:
			if string(s.name) == "sheetData" {
				r.done = true
				return false
			}
		}
	}
}

func (r *SheetReader) fail(err error) {
	r.done = true
	r.err = fileError(indicators.EINVALID, r.wb.Name,
		fmt.Sprintf("trang %q bị hỏng gần dòng %d (%v); hãy mở và lưu lại trong Excel rồi tải lên", r.sheet, r.lastRow, err),
		fmt.Sprintf("sheet %q is damaged near row %d: %v", r.sheet, r.lastRow, err))
}

// readRow reads the cells of the row whose start tag was just read.
func (r *SheetReader) readRow() bool {
	s := r.s
	col := 0
	for {
		switch s.next() {
		case tokenEOF:
			r.fail(fmt.Errorf("the row does not end"))
			return false
		case tokenStart:
			if string(s.name) != "c" {
				s.skipElement()
				continue
			}
			c := Cell{Col: col + 1}
			if ref := s.attr("r"); ref != nil {
				n := columnOf(ref)
				if n < 1 || n > 16384 {
					r.fail(fmt.Errorf("cell reference %q", ref))
					return false
				}
				c.Col = n
			}
			col = c.Col
			format := formatPlain
			if st := s.attr("s"); st != nil {
				if i, err := strconv.Atoi(string(st)); err == nil && i >= 0 && i < len(r.wb.formats) {
					format = r.wb.formats[i]
				}
			}
			typ := string(s.attr("t"))
			if s.selfClose {
				continue
			}
			ok, err := r.readCell(&c, typ, format)
			if err != nil {
				r.fail(err)
				return false
			}
			if ok {
				if len(r.row.Cells) == 16384 { // Excel's columns: more is a malformed or hostile sheet
					r.fail(fmt.Errorf("row %d has more than 16384 cells", r.row.Num))
					return false
				}
				r.row.Cells = append(r.row.Cells, c)
			}
		case tokenEnd:
			if string(s.name) == "row" {
				return r.ordered()
			}
		}
	}
}

// ordered puts the row's cells in column order, as Excel writes them and
// as Row.Get expects; two cells at one address make the sheet malformed.
func (r *SheetReader) ordered() bool {
	cells := r.row.Cells
	for i := 1; i < len(cells); i++ {
		if cells[i].Col > cells[i-1].Col {
			continue
		}
		slices.SortStableFunc(cells, func(a, b Cell) int { return a.Col - b.Col })
		for j := 1; j < len(cells); j++ {
			if cells[j].Col == cells[j-1].Col {
				r.fail(fmt.Errorf("two cells at %s", CellName(cells[j].Col, r.row.Num)))
				return false
			}
		}
		break
	}
	return true
}

// readCell reads the children of a <c> and sets the cell's value; ok is
// false for a cell that holds nothing.
func (r *SheetReader) readCell(c *Cell, typ string, format cellFormat) (ok bool, err error) {
	s := r.s
	var v string
	hasV := false
	var inline strings.Builder
	hasInline := false
	for {
		switch s.next() {
		case tokenEOF:
			return false, fmt.Errorf("a cell does not end")
		case tokenStart:
			switch string(s.name) {
			case "v":
				if s.selfClose {
					hasV = true
					continue
				}
				v, hasV = r.elementText("v"), true
			case "f":
				c.Formula = true
				s.skipElement()
			case "is":
				if !s.selfClose {
					hasInline = true
					r.inlineText(&inline)
				}
			default:
				s.skipElement()
			}
		case tokenEnd:
			if string(s.name) != "c" {
				continue
			}
			switch typ {
			case "s":
				if !hasV {
					return false, nil
				}
				i, err := strconv.Atoi(v)
				if err != nil || i < 0 || i >= len(r.sst) {
					return false, fmt.Errorf("shared string %q", v)
				}
				c.Kind, c.Text = CellText, r.sst[i]
			case "inlineStr":
				if !hasInline {
					return false, nil
				}
				c.Kind, c.Text = CellText, unescapeOOXML(inline.String())
			case "str":
				if !hasV {
					c.Kind = CellNoCache
					return c.Formula, nil
				}
				c.Kind, c.Text = CellText, unescapeOOXML(v)
			case "b":
				if !hasV {
					return false, nil
				}
				c.Kind, c.Text = CellBool, v
				if v == "1" || v == "true" {
					c.Num = 1
				}
			case "e":
				c.Kind, c.Text = CellErrorValue, v
			case "d":
				if !hasV {
					return false, nil
				}
				t, err := parseISODate(v)
				if err != nil {
					c.Kind, c.Text = CellText, v
					return true, nil
				}
				c.Kind, c.Text, c.Date = CellNumber, v, true
				c.Num = t.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24
				if r.wb.date1904 {
					c.Num -= 1462
				}
			default: // "n" or none: a number
				if !hasV || strings.TrimSpace(v) == "" {
					if c.Formula {
						c.Kind = CellNoCache
						return true, nil
					}
					return false, nil
				}
				x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil {
					c.Kind, c.Text = CellErrorValue, v
					return true, nil
				}
				c.Kind, c.Text, c.Num = CellNumber, v, x
				c.Date, c.Percent = format == formatDate, format == formatPercent
			}
			return true, nil
		}
	}
}

// elementText returns the text of the element whose start was just read.
func (r *SheetReader) elementText(name string) string {
	s := r.s
	var out string
	first := true
	for {
		switch s.next() {
		case tokenText:
			if first {
				out = string(s.text)
				first = false
			} else {
				out += string(s.text)
			}
		case tokenEnd:
			if string(s.name) == name {
				return out
			}
		case tokenStart:
			s.skipElement()
		case tokenEOF:
			return out
		}
	}
}

// inlineText collects the text of an <is> element, leaving out phonetic runs.
func (r *SheetReader) inlineText(b *strings.Builder) {
	s := r.s
	inT, skip := false, 0
	for {
		switch s.next() {
		case tokenStart:
			switch string(s.name) {
			case "rPh":
				if !s.selfClose {
					skip++
				}
			case "t":
				inT = !s.selfClose && skip == 0
			}
		case tokenEnd:
			switch string(s.name) {
			case "is":
				return
			case "rPh":
				skip--
			case "t":
				inT = false
			}
		case tokenText:
			if inT {
				b.Write(s.text)
			}
		case tokenEOF:
			return
		}
	}
}

func parseISODate(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q", s)
}

// columnOf returns the column of a cell reference such as "AB12".
func columnOf(ref []byte) int {
	n := 0
	for _, c := range ref {
		switch {
		case c >= 'A' && c <= 'Z':
			n = n*26 + int(c-'A'+1)
		case c >= 'a' && c <= 'z':
			n = n*26 + int(c-'a'+1)
		case c == '$':
		default:
			return n
		}
		if n > 16384 {
			return -1
		}
	}
	return n
}

// ColumnName returns the letters of a 1-based column: 1 → A, 28 → AB.
func ColumnName(col int) string {
	var b [4]byte
	i := len(b)
	for col > 0 {
		col--
		i--
		b[i] = byte('A' + col%26)
		col /= 26
	}
	return string(b[i:])
}

// CellName returns the address of a cell: (5, 11) → E11.
func CellName(col, row int) string {
	return ColumnName(col) + strconv.Itoa(row)
}

// dimensionRows returns the rows a <dimension ref="A1:H20000"> claims.
func dimensionRows(ref string) int {
	_, last, _ := strings.Cut(ref, ":")
	if last == "" {
		last = ref
	}
	i := strings.IndexAny(last, "0123456789")
	if i < 0 {
		return 0
	}
	n, _ := strconv.Atoi(last[i:])
	return n
}
