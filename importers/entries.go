package importers

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Values sent as data — by a program through the JSON API — rather than in
// a workbook are written as a long table in a workbook of their own, one
// row per value in the order sent, and that workbook is read like any
// upload: the same checks, scope rules and plausibility warnings, the same
// batch with its kept file and the same audit events, and no second copy
// of any rule. A rejected cell of that sheet names the value it came from
// by its JSON pointer (SentPointer).

// SentValue is one value sent as data.
type SentValue struct {
	Indicator string   `json:"indicator"`      // the indicator's code
	Unit      string   `json:"unit,omitempty"` // the unit's code; the request's when empty
	Period    string   `json:"period"`         // "2024", "Quý I/2025", "6 tháng đầu năm 2025" …
	Type      string   `json:"type"`           // official, estimate, plan, same_period (or TH, ƯTH, KH)
	Value     float64  `json:"value"`
	High      *float64 `json:"high,omitempty"` // the top of a planned range
	Note      string   `json:"note,omitempty"`
}

// SentSheet is the sheet the entries are written to, and SentProfileName
// the name of the profile that reads it, which its batches keep.
const (
	SentSheet       = "Số liệu"
	SentProfileName = "dữ liệu gửi qua API"
)

// MaxSentValues bounds the values of one request: a year of monthly reports
// of every indicator and unit is 76,632.
const MaxSentValues = 100000

// sentColumns are the sheet's columns, A to G, by header and by the
// entry's JSON field.
var sentColumns = [...]struct{ header, field string }{
	{"Mã chỉ tiêu", "indicator"}, {"Mã đơn vị", "unit"}, {"Kỳ", "period"}, {"Loại", "type"},
	{"Giá trị", "value"}, {"Cận trên", "high"}, {"Ghi chú", "note"},
}

// SentProfile is how the entries' sheet is read: a long table whose
// columns the profile names, so that nothing is guessed.
func SentProfile() *Profile {
	return &Profile{Name: SentProfileName, Shape: Long, Sheet: SentSheet, HeaderRows: []int{1},
		Columns: Columns{Code: sentColumns[0].header, Unit: sentColumns[1].header, Period: sentColumns[2].header,
			Type: sentColumns[3].header, Value: sentColumns[4].header, High: sentColumns[5].header,
			Note: sentColumns[6].header}}
}

// ReceiveSentValues writes entries as the entries' workbook into a new
// temporary upload named name, as Receive copies an uploaded file. The
// same entries make the same file, byte for byte, so that sending them
// twice is known as the same file. Text is written as text, never as a
// formula.
func ReceiveSentValues(entries []SentValue, name, tmpDir string, lim Limits) (*Upload, error) {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeSentValues(entries, pw)) }()
	u, err := Receive(pr, name, tmpDir, lim)
	pr.Close()
	return u, err
}

func writeSentValues(entries []SentValue, w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SentSheet); err != nil {
		return fmt.Errorf("importers: entries sheet: %w", err)
	}
	sw, err := f.NewStreamWriter(SentSheet)
	if err != nil {
		return fmt.Errorf("importers: entries sheet: %w", err)
	}
	head := make([]any, len(sentColumns))
	for i, c := range sentColumns {
		head[i] = c.header
	}
	if err := sw.SetRow("A1", head); err != nil {
		return fmt.Errorf("importers: entries header: %w", err)
	}
	row := make([]any, len(sentColumns))
	for i, e := range entries {
		var high any
		if e.High != nil {
			high = *e.High
		}
		row[0], row[1], row[2], row[3] = text(e.Indicator), text(e.Unit), text(e.Period), text(e.Type)
		row[4], row[5], row[6] = e.Value, high, text(e.Note)
		if err := sw.SetRow("A"+strconv.Itoa(i+2), row); err != nil {
			return fmt.Errorf("importers: entry %d: %w", i, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("importers: entries sheet: %w", err)
	}
	return f.Write(w)
}

// text is a cell that holds s as a string, whatever it starts with; an
// empty one is no cell at all.
func text(s string) any {
	if s == "" {
		return nil
	}
	return excelize.Cell{Value: s}
}

// SentPointer is the JSON pointer of the entry field a cell of the
// entries' sheet holds ("/values/3/value" for Số liệu!E5), relative to
// the request whose list of values is named list; ok is false for a cell
// of any other sheet.
func SentPointer(list, sheet, cell string) (string, bool) {
	if sheet != SentSheet {
		return "", false
	}
	col, row, err := excelize.CellNameToCoordinates(cell)
	if err != nil || row < 2 || col < 1 || col > len(sentColumns) {
		return "", false
	}
	return "/" + list + "/" + strconv.Itoa(row-2) + "/" + sentColumns[col-1].field, true
}

// escapePointer escapes a name for a JSON pointer (RFC 6901).
func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
