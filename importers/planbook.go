// Package importers turns uploaded spreadsheets into domain change sets,
// with every refused cell named by sheet and address in Vietnamese. It does
// no HTTP and no SQL: what it reads it hands to the store's interfaces.
package importers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"chitieu/indicators"

	"github.com/xuri/excelize/v2"
)

// Limits on an uploaded plan workbook, which protect the server from
// oversized files and zip bombs.
const (
	MaxPlanbookBytes  = 20 << 20  // the file as uploaded
	maxUnzipBytes     = 200 << 20 // the whole workbook unpacked
	maxUnzipXMLBytes  = 100 << 20 // one sheet's XML unpacked
	maxPlanbookRows   = 20000     // rows of one sheet
	maxPlanbookCellRs = 32767     // characters of one cell, Excel's own limit
)

// Planbook is a plan workbook as read: the rows of each sheet it holds,
// as record text keyed by column, and the cells it could not read.
type Planbook struct {
	FileName string
	SHA256   string
	Sheets   map[string][]BookRow // by sheet name of the layout; absent when the workbook lacks the sheet
	Errors   []CellError
}

// BookRow is one row of a sheet: its number, its record (only the columns
// the sheet has) and the column letters of each key, to address errors.
type BookRow struct {
	Sheet  string
	Num    int
	Record map[string]string
	// Refused is set when a cell of the row could not be read; the
	// comparison leaves such a row out, its error being reported already.
	Refused bool
	cols    map[string]string
}

// Cell is the address of the row's cell for key, or of its first cell when
// the sheet lacks the column.
func (r BookRow) Cell(key string) string {
	col, ok := r.cols[key]
	if !ok {
		col = "A"
	}
	return col + strconv.Itoa(r.Num)
}

// openWorkbook takes an uploaded plan workbook through the same checks as
// data uploads (a temporary copy, its kind sniffed, the zip directory
// checked before anything is inflated), then opens it with excelize within
// unzip limits. closeFn removes the temporary copy.
func openWorkbook(r io.Reader, name string) (f *excelize.File, sum string, closeFn func(), err error) {
	lim := Limits{MaxBytes: MaxPlanbookBytes}
	u, err := Receive(r, name, "", lim)
	if err != nil {
		return nil, "", nil, err
	}
	wb, err := OpenWorkbook(u, lim)
	if err != nil {
		u.Close()
		return nil, "", nil, err
	}
	wb.Close()
	f, err = excelize.OpenFile(u.Path, excelize.Options{UnzipSizeLimit: maxUnzipBytes, UnzipXMLSizeLimit: maxUnzipXMLBytes})
	if err != nil {
		u.Close()
		return nil, "", nil, indicators.FieldError(indicators.EINVALID, "file",
			"không mở được tệp .xlsx (tệp hỏng hoặc quá lớn khi giải nén)",
			"the .xlsx cannot be opened (damaged, or too large unpacked)")
	}
	return f, u.SHA256, func() { f.Close(); u.Close() }, nil
}

// ReadPlanbook reads a plan workbook from r. Cells it cannot read are in
// the result's Errors; the error is for a file that is not a workbook.
func ReadPlanbook(r io.Reader, name string) (*Planbook, error) {
	f, sum, closeFn, err := openWorkbook(r, name)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	book := &Planbook{FileName: name, SHA256: sum, Sheets: map[string][]BookRow{}}
	known := map[string]indicators.Sheet{}
	for _, s := range indicators.PlanbookSheets {
		known[indicators.Slug(s.Name)] = s
	}
	var valid []string
	for _, s := range indicators.PlanbookSheets {
		valid = append(valid, s.Name)
	}
	for _, name := range f.GetSheetList() {
		slug := indicators.Slug(name)
		if slug == indicators.Slug(indicators.InstructionsSheet) {
			continue
		}
		layout, ok := known[slug]
		if !ok {
			book.Errors = append(book.Errors, CellError{Sheet: name, Cell: "A1",
				Reason:   "trang không thuộc sổ kế hoạch; các trang hợp lệ: " + strings.Join(valid, ", "),
				ReasonEN: "the sheet is not one of the plan workbook's; its sheets are: " + strings.Join(valid, ", ")})
			continue
		}
		if _, dup := book.Sheets[layout.Name]; dup {
			book.Errors = append(book.Errors, CellError{Sheet: name, Cell: "A1",
				Reason: fmt.Sprintf("sổ có hai trang %s", layout.Name), ReasonEN: fmt.Sprintf("the workbook has two sheets %s", layout.Name)})
			continue
		}
		rows, errs, err := readSheet(f, name, layout)
		if err != nil {
			return nil, err
		}
		book.Sheets[layout.Name] = rows
		book.Errors = append(book.Errors, errs...)
	}
	if len(book.Sheets) == 0 && len(book.Errors) == 0 {
		book.Errors = append(book.Errors, CellError{Sheet: f.GetSheetName(0), Cell: "A1",
			Reason:   "tệp không có trang nào của sổ kế hoạch (" + strings.Join(valid, ", ") + ")",
			ReasonEN: "the file has none of the plan workbook's sheets (" + strings.Join(valid, ", ") + ")"})
	}
	return book, nil
}

// readSheet reads one data sheet: the header row names the columns; the
// rows below become records, empty rows skipped.
func readSheet(f *excelize.File, name string, layout indicators.Sheet) ([]BookRow, []CellError, error) {
	rows, err := f.Rows(name)
	if err != nil {
		return nil, nil, fmt.Errorf("importers: read sheet %s: %w", name, err)
	}
	defer rows.Close()
	var out []BookRow
	var errs []CellError
	bad := func(cell, text, vi, en string) {
		errs = append(errs, CellError{Sheet: name, Cell: cell, Text: text, Reason: vi, ReasonEN: en})
	}
	index := map[string]int{}      // column key → position
	letters := map[string]string{} // column key → letters
	num := 0
	for rows.Next() {
		num++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, nil, fmt.Errorf("importers: read %s row %d: %w", name, num, err)
		}
		if num == 1 {
			byHeader := map[string]indicators.Column{}
			for _, c := range layout.Columns {
				byHeader[indicators.Slug(c.Header)] = c
			}
			for i, h := range cells {
				c, ok := byHeader[indicators.Slug(h)]
				if !ok || strings.TrimSpace(h) == "" {
					continue
				}
				col, _ := excelize.ColumnNumberToName(i + 1)
				if _, dup := index[c.Key]; dup {
					bad(col+"1", h, "cột trùng tên với một cột trước", "a column before it has the same name")
					continue
				}
				index[c.Key], letters[c.Key] = i, col
			}
			for _, c := range layout.Columns {
				if _, ok := index[c.Key]; !ok && c.Required {
					bad("A1", "", fmt.Sprintf("thiếu cột bắt buộc «%s» ở dòng tiêu đề", c.Header),
						fmt.Sprintf("the header row lacks the required column «%s»", c.Header))
				}
			}
			continue
		}
		if num > maxPlanbookRows+1 {
			bad(fmt.Sprintf("A%d", num), "", fmt.Sprintf("trang có quá %d dòng", maxPlanbookRows),
				fmt.Sprintf("the sheet has more than %d rows", maxPlanbookRows))
			break
		}
		row := BookRow{Sheet: layout.Name, Num: num, Record: map[string]string{}, cols: letters}
		blank := true
		for _, c := range layout.Columns {
			i, ok := index[c.Key]
			if !ok {
				continue
			}
			raw := ""
			if i < len(cells) {
				raw = strings.TrimSpace(cells[i])
			}
			if raw != "" {
				blank = false
			}
			addr := letters[c.Key] + strconv.Itoa(num)
			v, vi, en := planbookCellText(f, name, addr, c, raw)
			if vi != "" {
				bad(addr, raw, vi, en)
				row.Refused = true
			}
			row.Record[c.Key] = v
		}
		if !blank {
			out = append(out, row)
		}
	}
	if err := rows.Error(); err != nil {
		return nil, nil, fmt.Errorf("importers: read sheet %s: %w", name, err)
	}
	if num == 0 {
		bad("A1", "", "trang trống, thiếu dòng tiêu đề", "the sheet is empty: it has no header row")
	}
	return out, errs, nil
}

var (
	machineNumber = regexp.MustCompile(`^-?\d+(\.\d+)?([eE][-+]?\d+)?$`)
	isoDate       = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	dmyDate       = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})$`)
)

// planbookCellText turns the raw text of a cell into its record form, or
// says why it cannot, in Vietnamese and English.
func planbookCellText(f *excelize.File, sheet, addr string, c indicators.Column, raw string) (v, vi, en string) {
	if raw == "" {
		return "", "", ""
	}
	if len(raw) > maxPlanbookCellRs {
		return "", "ô dài quá 32.767 ký tự", "the cell is longer than 32,767 characters"
	}
	switch c.Type {
	case indicators.NumberColumn, indicators.IntegerColumn:
		x, err := cellNumber(f, sheet, addr, raw)
		if err != nil {
			var de *indicators.Error
			if !errors.As(err, &de) {
				return "", indicators.ErrorMessage(err), "system error: try again or tell the administrator"
			}
			vi, en := reasons(err)
			return "", vi, en
		}
		if c.Type == indicators.IntegerColumn {
			if x != float64(int64(x)) {
				return "", "cần số nguyên", "a whole number is needed"
			}
			return strconv.FormatInt(int64(x), 10), "", ""
		}
		return indicators.CellNumber(x), "", ""
	case indicators.DateColumn:
		d, ok := cellDate(raw)
		if !ok {
			return "", "ngày không hợp lệ (cần YYYY-MM-DD, DD/MM/YYYY hoặc ô ngày của Excel)",
				"not a valid date (YYYY-MM-DD, DD/MM/YYYY or an Excel date cell)"
		}
		return indicators.CellDate(d), "", ""
	}
	if c.Vocab != "" {
		// A label in either language, or the code; a text the vocabulary
		// does not know is left for the field's validation, which names it.
		code, _ := indicators.VocabularyCode(c.Vocab, raw)
		return code, "", ""
	}
	return raw, "", ""
}

// cellNumber reads a number cell: a typed number as Excel stores it, or a
// number typed as text, read by the one number parser in Vietnamese style,
// the workbook's. The raw text of a typed number ("6.2") and of a text
// ("6.200", "7.5") can look alike, so whenever the raw text holds a point
// the cell's type decides; a text the parser cannot read for certain is an
// error, never a guess.
func cellNumber(f *excelize.File, sheet, addr, raw string) (float64, error) {
	if machineNumber.MatchString(raw) {
		typed := !strings.ContainsAny(raw, ".eE") // digits only read the same either way
		if !typed {
			t, err := f.GetCellType(sheet, addr)
			if err != nil {
				return 0, fmt.Errorf("importers: type of %s!%s: %w", sheet, addr, err)
			}
			typed = t == excelize.CellTypeUnset || t == excelize.CellTypeNumber
		}
		if typed {
			if x, err := strconv.ParseFloat(raw, 64); err == nil {
				return x, nil
			}
		}
	}
	x, present, err := indicators.ParseNumber(raw, indicators.Vietnamese)
	if err != nil {
		return 0, err
	}
	if !present {
		return 0, indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("“%s” không phải là số (ví dụ đúng: 7,5 hoặc 1.700.000)", raw),
			fmt.Sprintf("“%s” is not a number (e.g. 7,5 or 1.700.000)", raw))
	}
	return x, nil
}

// cellDate reads YYYY-MM-DD, DD/MM/YYYY or an Excel date serial.
func cellDate(raw string) (time.Time, bool) {
	var d time.Time
	switch {
	case isoDate.MatchString(raw):
		t, err := indicators.ParseDate("date", raw)
		if err != nil {
			return d, false
		}
		d = t
	case dmyDate.MatchString(raw):
		m := dmyDate.FindStringSubmatch(raw)
		day, _ := strconv.Atoi(m[1])
		month, _ := strconv.Atoi(m[2])
		year, _ := strconv.Atoi(m[3])
		d = time.Date(year, time.Month(month), day, 0, 0, 0, 0, indicators.Vietnam)
		if d.Day() != day || int(d.Month()) != month {
			return d, false
		}
	case machineNumber.MatchString(raw):
		serial, err := strconv.ParseFloat(raw, 64)
		if err != nil || serial < 1 || serial > 200000 {
			return d, false
		}
		t, err := excelize.ExcelDateToTime(serial, false)
		if err != nil {
			return d, false
		}
		d = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, indicators.Vietnam)
	default:
		return d, false
	}
	return d, d.Year() >= 1900 && d.Year() <= 2200
}

// PlanbookStore is what importing a plan workbook needs of the store.
type PlanbookStore interface {
	indicators.Store
	indicators.PlanEditor
}

// ImportPlanbook reads the plan workbook r, compares it with the store and,
// when commit is set and nothing is refused, applies every change in one
// transaction. The preview comes back in every case; a workbook with
// refused cells returns an EINVALID error and stores nothing.
func ImportPlanbook(ctx context.Context, s PlanbookStore, r io.Reader, name string, commit bool) (PlanbookPreview, error) {
	return ImportPlanbookConfirmed(ctx, s, r, name, commit, "")
}

// ImportPlanbookConfirmed is ImportPlanbook with the note confirming the
// plausibility warnings of the targets' bounds, which the audit trail
// keeps; a commit with warnings and no note is refused, storing nothing.
func ImportPlanbookConfirmed(ctx context.Context, s PlanbookStore, r io.Reader, name string, commit bool, note string) (PlanbookPreview, error) {
	book, err := ReadPlanbook(r, name)
	if err != nil {
		return PlanbookPreview{}, err
	}
	current, err := indicators.ReadCatalog(ctx, s)
	if err != nil {
		return PlanbookPreview{}, err
	}
	p, err := PreviewPlanbook(ctx, s, book, current)
	if err != nil {
		return p, err
	}
	if len(p.Errors) > 0 {
		return p, indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("sổ kế hoạch %s có %d ô bị từ chối; không có gì được ghi", name, len(p.Errors)),
			fmt.Sprintf("the plan workbook %s has %d rejected cells; nothing was stored", name, len(p.Errors)))
	}
	if !commit || len(p.Changes) == 0 {
		return p, nil
	}
	if err := p.confirmed(note); err != nil {
		return p, err
	}
	src := indicators.ChangeSource{FileName: name, SHA256: book.SHA256, Warnings: p.Implausible, ConfirmNote: strings.TrimSpace(note)}
	if err := s.ApplyCatalogChanges(ctx, p.Changes, src); err != nil {
		return p, err
	}
	p.Committed = true
	return p, nil
}

// PreviewPlanbook compares a plan workbook with the catalogue as stored
// (DiffPlanbook) and runs the plausibility checks over the targets' bounds
// when nothing is refused.
func PreviewPlanbook(ctx context.Context, s indicators.Store, book *Planbook, current *indicators.Catalog) (PlanbookPreview, error) {
	p := DiffPlanbook(book, current)
	if len(p.Errors) > 0 {
		return p, nil
	}
	return p, checkPlanbook(ctx, s, &p, current)
}

// CheckPlanbookConfirmed refuses the commit of a previewed plan workbook
// with plausibility warnings and no note.
func CheckPlanbookConfirmed(p PlanbookPreview, note string) error { return p.confirmed(note) }
