package reports

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// excelMaxRows is the number of rows a worksheet can hold.
const excelMaxRows = 1048576

// style is how a cell looks. The workbook turns each distinct style into
// an excelize style once.
type style struct {
	numFmt string // custom number format; "" for General
	bold   bool
	italic bool
	wrap   bool
	align  string // "", "left", "center", "right"
	fill   string // background colour, "C6EFCE"; "" for none
	border bool
	size   float64 // font size; 0 for the body size
	color  string  // font colour; "" for black
}

// Fonts of Vietnamese official documents.
const (
	fontFamily = "Times New Roman"
	fontSize   = 11
)

// sheet is one worksheet of a report. Most are written row by row with
// excelize's StreamWriter; a sheet with draw instead of rows is drawn with
// the ordinary API (the charts, whose drawings a stream cannot carry).
type sheet struct {
	name string
	// hashed: its cells are part of the content hash and are compared by
	// Verify.
	hashed bool
	// deferred: written after the others, when the content hash is known
	// (the cover, which prints it).
	deferred bool
	// headTo is the last row of the heading; rows 1..headTo start every
	// continuation sheet, and rows headFrom..headTo head every printed page.
	headFrom, headTo int
	widths           []float64
	freezeCols       int
	freezeRows       int
	print            bool // A4 landscape, fitted to the page width (see pageSetup)
	filter           bool // an auto-filter on row headTo
	// fitRows sets each row's height to its wrapped text: spreadsheet
	// programs do not grow rows written without a height on opening.
	fitRows bool
	merges  [][2]string
	rows    func(ctx context.Context, emit func([]cell) error) error
	draw    func(wb *workbook) error
}

// workbook is a report being written.
type workbook struct {
	f       *excelize.File
	lang    lang
	styles  map[style]int
	maxRows int
}

func newWorkbook(dir string, l lang, maxRows int) *workbook {
	f := excelize.NewFile(excelize.Options{TmpDir: dir})
	if maxRows <= 0 || maxRows > excelMaxRows {
		maxRows = excelMaxRows
	}
	return &workbook{f: f, lang: l, styles: map[style]int{}, maxRows: maxRows}
}

// styleID returns the excelize style of s, making it on first use.
func (wb *workbook) styleID(s style) (int, error) {
	if s == (style{}) {
		return 0, nil
	}
	if id, ok := wb.styles[s]; ok {
		return id, nil
	}
	size := s.size
	if size == 0 {
		size = fontSize
	}
	x := &excelize.Style{
		Font:      &excelize.Font{Family: fontFamily, Size: size, Bold: s.bold, Italic: s.italic, Color: s.color},
		Alignment: &excelize.Alignment{Horizontal: s.align, Vertical: "top", WrapText: s.wrap},
	}
	if s.numFmt != "" {
		nf := s.numFmt
		x.CustomNumFmt = &nf
	}
	if s.fill != "" {
		x.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{s.fill}}
	}
	if s.border {
		for _, side := range []string{"left", "right", "top", "bottom"} {
			x.Border = append(x.Border, excelize.Border{Type: side, Color: "808080", Style: 1})
		}
	}
	id, err := wb.f.NewStyle(x)
	if err != nil {
		return 0, fmt.Errorf("reports: style: %w", err)
	}
	wb.styles[s] = id
	return id, nil
}

// hashWriter feeds the canonical form of rows to the content hash: one
// JSON array of strings per row, trailing empty cells dropped, and a marker
// line before each sheet.
type hashWriter struct {
	buf *bufio.Writer
	enc *json.Encoder
}

func newHashWriter(w io.Writer, p Params) (*hashWriter, error) {
	buf := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	h := &hashWriter{buf: buf, enc: enc}
	if _, err := buf.WriteString("chitieu report\n"); err != nil {
		return nil, err
	}
	return h, enc.Encode(p)
}

func (h *hashWriter) sheet(name string) error { return h.enc.Encode([]string{"#sheet", name}) }

func (h *hashWriter) row(r []string) error {
	n := len(r)
	for n > 0 && r[n-1] == "" {
		n--
	}
	if n == 0 {
		// A row read back from a file with no values is nil, which JSON
		// writes as null; the row written holds empty cells, [].
		return h.enc.Encode([]string{})
	}
	return h.enc.Encode(r[:n])
}

func (h *hashWriter) flush() error { return h.buf.Flush() }

// rowHasher takes the rows of the hashed sheets, in order.
type rowHasher interface {
	sheet(name string) error
	cells(row []cell) error
}

func (h *hashWriter) cells(row []cell) error { return h.row(canonicalRow(row)) }

// asyncHash hashes rows in a goroutine of its own, so that writing a long
// sheet does not wait for its hashing. Rows must not change once sent.
type asyncHash struct {
	queue chan hashItem
	done  chan error
	err   error
}

// hashItem is the start of a sheet (row nil) or one of its rows.
type hashItem struct {
	sheet string
	row   []cell
}

func newAsyncHash(h *hashWriter) *asyncHash {
	a := &asyncHash{queue: make(chan hashItem, 4096), done: make(chan error, 1)}
	go func() {
		var err error
		for it := range a.queue {
			switch {
			case err != nil: // drain after a failure
			case it.row == nil:
				err = h.sheet(it.sheet)
			default:
				err = h.cells(it.row)
			}
		}
		if err == nil {
			err = h.flush()
		}
		a.done <- err
	}()
	return a
}

func (a *asyncHash) sheet(name string) error {
	a.queue <- hashItem{sheet: name}
	return nil
}

func (a *asyncHash) cells(row []cell) error {
	if row == nil {
		row = []cell{}
	}
	a.queue <- hashItem{row: row}
	return nil
}

// close waits for the hashing to finish and returns its error.
func (a *asyncHash) close() error {
	if a.queue != nil {
		close(a.queue)
		a.err, a.queue = <-a.done, nil
	}
	return a.err
}

func canonicalRow(cells []cell) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = c.canonical()
	}
	return out
}

// partName is the name of the n-th worksheet (from 1) of a sheet that
// holds more rows than a worksheet can: "Số liệu", "Số liệu (2)" …
func partName(name string, n int) string {
	if n <= 1 {
		return name
	}
	return fmt.Sprintf("%s (%d)", name, n)
}

// writeSheet streams one sheet, continuing on further worksheets when it
// outgrows one, and feeds its rows to h when it is hashed.
func (wb *workbook) writeSheet(ctx context.Context, s *sheet, h rowHasher) error {
	if s.hashed {
		if err := h.sheet(s.name); err != nil {
			return err
		}
	}
	part, row := 1, 0
	var heading [][]cell
	sw, err := wb.startPart(s, s.name)
	if err != nil {
		return err
	}
	width := func() int {
		if len(heading) == 0 {
			return 1
		}
		return len(heading[len(heading)-1])
	}
	emit := func(cells []cell) error {
		if row == wb.maxRows && wb.maxRows > len(heading) {
			if err := wb.endPart(s, sw, row, width()); err != nil {
				return err
			}
			part++
			name := partName(s.name, part)
			if _, err := wb.f.NewSheet(name); err != nil {
				return fmt.Errorf("reports: add sheet %s: %w", name, err)
			}
			if sw, err = wb.startPart(s, name); err != nil {
				return err
			}
			for row = 0; row < len(heading); row++ {
				var opts []excelize.RowOpts
				if s.fitRows {
					opts = append(opts, excelize.RowOpts{Height: s.rowHeight(row+1, heading[row])})
				}
				if err := wb.setRow(sw, row+1, heading[row], opts...); err != nil {
					return err
				}
			}
		}
		row++
		if part == 1 && row <= s.headTo {
			heading = append(heading, cells)
		}
		if row%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if s.hashed {
			if err := h.cells(cells); err != nil {
				return err
			}
		}
		if s.fitRows {
			return wb.setRow(sw, row, cells, excelize.RowOpts{Height: s.rowHeight(row, cells)})
		}
		return wb.setRow(sw, row, cells)
	}
	if err := s.rows(ctx, emit); err != nil {
		return err
	}
	return wb.endPart(s, sw, row, width())
}

// startPart sets up a worksheet of s: print set-up, column widths and
// frozen panes come before the first row.
func (wb *workbook) startPart(s *sheet, name string) (*excelize.StreamWriter, error) {
	f := wb.f
	if err := wb.pageSetup(s, name); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, fmt.Errorf("reports: write sheet %s: %w", name, err)
	}
	for i, w := range s.widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, fmt.Errorf("reports: column width on %s: %w", name, err)
		}
	}
	if s.freezeCols > 0 || s.freezeRows > 0 {
		pane := "bottomRight"
		switch {
		case s.freezeCols == 0:
			pane = "bottomLeft"
		case s.freezeRows == 0:
			pane = "topRight"
		}
		top, _ := excelize.CoordinatesToCellName(s.freezeCols+1, s.freezeRows+1)
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: s.freezeCols, YSplit: s.freezeRows,
			TopLeftCell: top, ActivePane: pane, Selection: []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: pane}}}); err != nil {
			return nil, fmt.Errorf("reports: panes on %s: %w", name, err)
		}
	}
	for _, m := range s.merges {
		if err := sw.MergeCell(m[0], m[1]); err != nil {
			return nil, fmt.Errorf("reports: merge %s:%s on %s: %w", m[0], m[1], name, err)
		}
	}
	return sw, nil
}

// pageSetup prints a sheet on A4 landscape, one page wide and as many
// long as it needs, with a page number in the footer and its heading rows
// (headFrom..headTo) on every page.
func (wb *workbook) pageSetup(s *sheet, name string) error {
	if !s.print {
		return nil
	}
	f := wb.f
	size, orient, one, zero, yes := 9, "landscape", 1, 0, true // 9 is A4
	if err := f.SetPageLayout(name, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient,
		FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return fmt.Errorf("reports: page layout of %s: %w", name, err)
	}
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
		return fmt.Errorf("reports: sheet properties of %s: %w", name, err)
	}
	lr, tb, hf := 0.4, 0.6, 0.3
	if err := f.SetPageMargins(name, &excelize.PageLayoutMarginsOptions{Left: &lr, Right: &lr, Top: &tb, Bottom: &tb,
		Header: &hf, Footer: &hf}); err != nil {
		return fmt.Errorf("reports: margins of %s: %w", name, err)
	}
	if err := f.SetHeaderFooter(name, &excelize.HeaderFooterOptions{
		OddFooter: wb.lang.pick("&CTrang &P/&N", "&CPage &P of &N")}); err != nil {
		return fmt.Errorf("reports: footer of %s: %w", name, err)
	}
	if s.headFrom > 0 {
		if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles",
			RefersTo: fmt.Sprintf("%s!$%d:$%d", quoteSheet(name), s.headFrom, s.headTo), Scope: name}); err != nil {
			return fmt.Errorf("reports: print titles of %s: %w", name, err)
		}
	}
	return nil
}

// endPart adds the auto-filter over the rows written and flushes.
func (wb *workbook) endPart(s *sheet, sw *excelize.StreamWriter, rows, width int) error {
	if s.filter && rows > s.headTo && s.headTo > 0 {
		last, _ := excelize.ColumnNumberToName(width)
		ref := fmt.Sprintf("A%d:%s%d", s.headTo, last, rows)
		if err := wb.f.AutoFilter(sw.Sheet, ref, nil); err != nil {
			return fmt.Errorf("reports: filter on %s: %w", sw.Sheet, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("reports: finish sheet %s: %w", sw.Sheet, err)
	}
	return nil
}

// rowHeight estimates the height in points that shows all the wrapped
// text of a row: lines of text in a cell are its characters over what its
// column (or its merged columns) holds, paragraph by paragraph.
func (s *sheet) rowHeight(row int, cells []cell) float64 {
	lines := 1
	for i, c := range cells {
		if c.kind != kindText || !c.style.wrap || c.s == "" {
			continue
		}
		width := s.spanWidth(row, i+1)
		size := c.style.size
		if size == 0 {
			size = fontSize
		}
		perLine := max(1, int(width*1.05*fontSize/size))
		n := 0
		for _, para := range strings.Split(c.s, "\n") {
			n += max(1, (utf8.RuneCountInString(para)+perLine-1)/perLine)
		}
		lines = max(lines, n)
		if size > fontSize {
			lines = max(lines, int(float64(n)*size/fontSize+0.5))
		}
	}
	return min(409, 15*float64(lines)+2)
}

// spanWidth is the width of column col on row, or of the merged cells that
// start there.
func (s *sheet) spanWidth(row, col int) float64 {
	width := func(c int) float64 {
		if c-1 < len(s.widths) {
			return s.widths[c-1]
		}
		return 9
	}
	at := ref(col, row)
	for _, m := range s.merges {
		if m[0] != at {
			continue
		}
		last, lastRow, err := excelize.CellNameToCoordinates(m[1])
		if err != nil || lastRow != row {
			break
		}
		w := 0.0
		for c := col; c <= last; c++ {
			w += width(c)
		}
		return w
	}
	return width(col)
}

func (wb *workbook) setRow(sw *excelize.StreamWriter, row int, cells []cell, opts ...excelize.RowOpts) error {
	values := make([]any, len(cells))
	for i := range cells {
		c := &cells[i]
		id := 0
		if c.style != (style{}) {
			var err error
			if id, err = wb.styleID(c.style); err != nil {
				return err
			}
		}
		values[i] = c.xlsx(id)
	}
	ref, _ := excelize.CoordinatesToCellName(1, row)
	if err := sw.SetRow(ref, values, opts...); err != nil {
		return fmt.Errorf("reports: write row %d of %s: %w", row, sw.Sheet, err)
	}
	return nil
}

// set writes one cell with the ordinary API, for drawn sheets.
func (wb *workbook) set(sheetName, ref string, c cell) error {
	var v any
	switch c.kind {
	case kindText:
		v = c.s // SetCellValue stores a string as a shared string, never a formula
	case kindNumber:
		v = c.x
	case kindTime:
		v = serial(c.t)
	}
	if v != nil {
		if err := wb.f.SetCellValue(sheetName, ref, v); err != nil {
			return fmt.Errorf("reports: write %s!%s: %w", sheetName, ref, err)
		}
	}
	id, err := wb.styleID(c.style)
	if err != nil || id == 0 {
		return err
	}
	return wb.f.SetCellStyle(sheetName, ref, ref, id)
}

// quoteSheet quotes a sheet name for a cell reference: 'Dữ liệu'!$A$1.
func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

// deflaters keeps the compressors of finished zip entries: each allocates
// about a megabyte of tables, and a workbook has a dozen entries.
var deflaters sync.Pool

// deflater is a pooled compressor that goes back to the pool when the zip
// writer closes its entry.
type deflater struct{ *flate.Writer }

func newDeflater(w io.Writer) (io.WriteCloser, error) {
	if fw, ok := deflaters.Get().(*flate.Writer); ok {
		fw.Reset(w)
		return deflater{fw}, nil
	}
	fw, err := flate.NewWriter(w, flate.BestSpeed)
	if err != nil {
		return nil, fmt.Errorf("reports: deflate: %w", err)
	}
	return deflater{fw}, nil
}

func (d deflater) Close() error {
	err := d.Writer.Close()
	deflaters.Put(d.Writer)
	return err
}

// save zips the workbook into path. excelize's own writer would first
// gather the whole zip in memory; a zip writer of our own sends it straight
// to the file, with the fastest compression, which matters for an export
// of a million rows.
func (wb *workbook) save(path string) error {
	out, err := os.OpenFile(filepath.Clean(path), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("reports: create %s: %w", path, err)
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	wb.f.SetZipWriter(func(io.Writer) excelize.ZipWriter {
		zw := zip.NewWriter(bw)
		zw.RegisterCompressor(zip.Deflate, newDeflater)
		return zw
	})
	if err := wb.f.Write(io.Discard); err != nil {
		out.Close()
		return fmt.Errorf("reports: write workbook: %w", err)
	}
	if err := bw.Flush(); err != nil {
		out.Close()
		return fmt.Errorf("reports: write workbook: %w", err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("reports: write workbook: %w", err)
	}
	return nil
}
