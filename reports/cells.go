package reports

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"chitieu/indicators"

	"github.com/xuri/excelize/v2"
)

// This file is the one place where report values become cells, for the
// workbooks and for the CSV alike. Text — and every name, note, file name,
// sheet name and user name came from a user at some point — is always
// written as a string: no report cell is ever a formula, so
// =HYPERLINK("http://x","y") or -2+3 shows as that text. Numbers are
// numbers, negative ones included.

type cellKind uint8

const (
	kindEmpty cellKind = iota
	kindText
	kindNumber
	kindTime
)

// cell is one cell of a report: what it holds and how it looks.
type cell struct {
	kind  cellKind
	s     string
	x     float64
	t     time.Time
	style style
}

// maxCellChars is Excel's limit on the characters of a cell (UTF-16 units).
const maxCellChars = 32767

// text is a cell holding s as text.
func text(s string, st style) cell {
	return cell{kind: kindText, s: cleanText(s), style: st}
}

// number is a cell holding x, or an empty cell when x is not a finite number.
func number(x float64, st style) cell {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return cell{style: st}
	}
	return cell{kind: kindNumber, x: x, style: st}
}

// numberPtr is number(*x), or an empty cell when x is nil.
func numberPtr(x *float64, st style) cell {
	if x == nil {
		return cell{style: st}
	}
	return number(*x, st)
}

// moment is a cell holding a date and time, shown in Vietnam's time; the
// zero time gives an empty cell.
func moment(t time.Time, st style) cell {
	if t.IsZero() {
		return cell{style: st}
	}
	return cell{kind: kindTime, t: t, style: st}
}

// empty is a cell with a look and no value.
func empty(st style) cell { return cell{style: st} }

// cleanText makes s safe to store and to read back unchanged: valid UTF-8,
// no characters XML cannot carry, line ends as \n, at most Excel's length.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n':
			return r
		case r < 0x20, r == 0xFFFE, r == 0xFFFF, r >= 0xD800 && r <= 0xDFFF:
			return '\uFFFD'
		}
		return r
	}, s)
	if n := utf16Len(s); n > maxCellChars {
		var b strings.Builder
		units := 0
		for _, r := range s {
			w := len(utf16.Encode([]rune{r}))
			if units+w > maxCellChars {
				break
			}
			units += w
			b.WriteRune(r)
		}
		s = b.String()
	}
	return s
}

func utf16Len(s string) int {
	if len(s) <= maxCellChars/2 { // even all-astral text of this many bytes fits
		return utf8.RuneCountInString(s)
	}
	n := 0
	for _, r := range s {
		n += len(utf16.Encode([]rune{r}))
	}
	return n
}

// excelEpoch is day 0 of Excel's 1900 date system as it is used in
// practice (30 December 1899).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// serial is t as an Excel date-time serial in Vietnam's wall-clock time.
func serial(t time.Time) float64 {
	v := t.In(indicators.Vietnam)
	wall := time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), v.Nanosecond(), time.UTC)
	return float64(wall.Sub(excelEpoch)) / float64(24*time.Hour)
}

// xlsx is the value the stream writer gets for c: a string, a float64 or
// nil, never an excelize.Cell with a formula.
func (c cell) xlsx(styleID int) any {
	var v any
	switch c.kind {
	case kindText:
		v = c.s
	case kindNumber:
		v = c.x
	case kindTime:
		v = serial(c.t)
	}
	if styleID == 0 && v == nil {
		return nil
	}
	return excelize.Cell{StyleID: styleID, Value: v}
}

// canonical is c as the file stores it: text as it is, numbers (and
// date-times, as serials) in Go's shortest exact decimal form, which is how
// excelize writes them. The content hash and Verify compare these.
func (c cell) canonical() string {
	switch c.kind {
	case kindText:
		return c.s
	case kindNumber:
		return strconv.FormatFloat(c.x, 'f', -1, 64)
	case kindTime:
		return strconv.FormatFloat(serial(c.t), 'f', -1, 64)
	}
	return ""
}

// csv is c as a CSV field. Spreadsheet programs evaluate a CSV field that
// starts with = + - @ (or a tab or carriage return) as a formula, so such
// text is prefixed with an apostrophe; numbers are written plainly, so a
// negative number stays a number.
func (c cell) csv() string {
	switch c.kind {
	case kindText:
		if formulaLead(c.s) {
			return "'" + c.s
		}
		return c.s
	case kindNumber:
		return strconv.FormatFloat(c.x, 'f', -1, 64)
	case kindTime:
		return c.t.In(indicators.Vietnam).Format("2006-01-02 15:04:05")
	}
	return ""
}

// formulaLead reports whether a spreadsheet would read s as a formula.
func formulaLead(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	switch r {
	case '=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠':
		return true
	}
	return false
}
