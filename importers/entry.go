package importers

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"chitieu/indicators"

	"github.com/xuri/excelize/v2"
)

// The web entry form makes a batch like any upload: what the planner typed
// is written as a small long table (one row per indicator, the numbers as
// numbers, every text as a string, never a formula), which then goes
// through the same reading, checks, preview and commit as a file, and is
// kept with the batch for auditors to download.

// EntrySource is the name a batch from the web entry form records as the
// way its file was read, so that the import history says where it came from.
const EntrySource = "biểu nhập trên web"

// EntrySheet is the sheet of the generated workbook that holds the values.
const EntrySheet = "Nhập liệu"

// entryHeaders are the columns of the generated sheet, as long tables are
// recognised by.
var entryHeaders = []string{"Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị", "Kỳ", "Loại số liệu", "Giá trị", "Ghi chú"}

// entryValueColumn is the column of the values, for naming their cells.
const entryValueColumn = 6

// Entry is what a planner typed on the web entry form: one unit, one
// period, a value per indicator.
type Entry struct {
	Unit   string
	Period indicators.Period
	User   string
	At     time.Time
	Rows   []EntryRow
}

// EntryRow is one indicator's value on the form.
type EntryRow struct {
	Indicator string
	Name      string
	Type      indicators.ValueType // official or estimate
	Value     float64
	Note      string
}

// EntryCell is the cell of the generated sheet that holds the value of
// row i (from 0) of an entry, as the preview names it.
func EntryCell(i int) string { return CellName(entryValueColumn, i+2) }

// EntryRowOf returns the row (from 0) of an entry that cell, a cell of
// the generated sheet, belongs to, or −1 when it is none of its rows.
func EntryRowOf(cell string, rows int) int {
	digits := strings.TrimLeft(strings.ToUpper(cell), "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	n, err := strconv.Atoi(digits)
	if err != nil || n < 2 || n-2 >= rows {
		return -1
	}
	return n - 2
}

// EntryFileName is the name the generated workbook is kept under.
func (e Entry) EntryFileName() string {
	return fmt.Sprintf("nhap-tren-web-%s-%s.xlsx", e.Unit, e.Period)
}

// EntryProfile is how the generated workbook is read: fixed, so that no
// guess is involved.
func EntryProfile() *Profile {
	return &Profile{Name: EntrySource, Shape: Long, Sheet: EntrySheet, HeaderRows: []int{1}, Locale: string(indicators.Vietnamese),
		Columns: Columns{Code: entryHeaders[0], Name: entryHeaders[1], Unit: entryHeaders[2], Period: entryHeaders[3],
			Type: entryHeaders[4], Value: entryHeaders[5], Note: entryHeaders[6]}}
}

// Upload writes e as its workbook into a temporary upload, with the
// options that read it, for the Desk or the Importer to preview and commit
// as any upload: the web form uses it, and a JSON write of values can.
func (e Entry) Upload(tmpDir string, lim Limits) (*Upload, Options, error) {
	var buf bytes.Buffer
	if err := WriteEntry(e, &buf); err != nil {
		return nil, Options{}, err
	}
	u, err := Receive(&buf, e.EntryFileName(), tmpDir, lim)
	if err != nil {
		return nil, Options{}, err
	}
	return u, Options{Profile: EntryProfile(), Unit: e.Unit, Locale: indicators.Vietnamese}, nil
}

var entryTypeWords = map[indicators.ValueType]string{indicators.OfficialValue: "Thực hiện", indicators.EstimateValue: "Ước thực hiện"}

// WriteEntry writes e as a workbook: the values on EntrySheet, and on a
// second sheet who entered them, when, and that they came from the form.
func WriteEntry(e Entry, w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	var failed error
	do := func(err error) {
		if failed == nil && err != nil {
			failed = err
		}
	}
	do(f.SetSheetName("Sheet1", EntrySheet))
	for i, h := range entryHeaders {
		do(f.SetCellStr(EntrySheet, CellName(i+1, 1), h))
	}
	for i, r := range e.Rows {
		row := i + 2
		word, ok := entryTypeWords[r.Type]
		if !ok {
			return fmt.Errorf("importers: entry row %s: value type %q is not entered on the form", r.Indicator, r.Type)
		}
		// Every text is a string cell: a note beginning with "=" stays
		// the planner's words, never a formula.
		for col, s := range map[int]string{1: r.Indicator, 2: r.Name, 3: e.Unit, 4: e.Period.Label("vi"), 5: word, 7: r.Note} {
			do(f.SetCellStr(EntrySheet, CellName(col, row), s))
		}
		do(f.SetCellFloat(EntrySheet, CellName(entryValueColumn, row), r.Value, -1, 64))
	}
	do(f.SetColWidth(EntrySheet, "A", "A", 11))
	do(f.SetColWidth(EntrySheet, "B", "B", 44))
	do(f.SetColWidth(EntrySheet, "D", "E", 18))
	do(f.SetColWidth(EntrySheet, "G", "G", 40))
	const about = "Nguồn"
	_, err := f.NewSheet(about)
	do(err)
	for i, kv := range [][2]string{
		{"Nguồn", "Nhập trên biểu mẫu web của chitieu (" + EntrySource + ")"},
		{"Đơn vị", e.Unit},
		{"Kỳ", e.Period.Label("vi")},
		{"Người nhập", e.User},
		{"Thời điểm", e.At.In(indicators.Vietnam).Format("2006-01-02 15:04:05 -07:00")},
	} {
		do(f.SetCellStr(about, CellName(1, i+1), kv[0]))
		do(f.SetCellStr(about, CellName(2, i+1), kv[1]))
	}
	do(f.SetColWidth(about, "A", "A", 14))
	do(f.SetColWidth(about, "B", "B", 60))
	if failed != nil {
		return fmt.Errorf("importers: write the entry workbook: %w", failed)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("importers: write the entry workbook: %w", err)
	}
	return nil
}
