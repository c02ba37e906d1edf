package importers

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"chitieu/indicators"
)

// Reading .xlsx. excelize's Rows iterator hands back each cell as a string,
// with no type and no number format: a number typed as 1.234 and the text
// "1.234" (one thousand two hundred and thirty-four, as Vietnamese write it)
// arrive alike, and a date arrives as a serial or formatted by a guess. An
// import that must never store a silently wrong number needs both, so the
// worksheets are streamed here, keeping excelize's safeguards: the upload
// is a temporary file, the zip directory is checked before inflating, the
// same unzip limits apply, rows come one at a time and the stream is closed
// with defer. excelize writes the template and the test files.

// Workbook is an opened .xlsx: its sheets, number formats and shared
// strings. Worksheets are inflated only while a SheetReader reads them.
type Workbook struct {
	Name   string
	Sheets []SheetRef

	file     *os.File
	zr       *zip.Reader
	lim      Limits
	parts    map[string]*zip.File // by lower-case name
	date1904 bool
	formats  []cellFormat // per cell style (cellXfs) index
	sstPart  string

	sstOnce sync.Once
	sst     []string
	sstErr  error
}

// SheetRef is a sheet of a workbook.
type SheetRef struct {
	Name   string
	Hidden bool // hidden or very hidden
	part   string
}

// cellFormat is what a cell style says about how a number is shown.
type cellFormat uint8

const (
	formatPlain cellFormat = iota
	formatDate
	formatPercent
)

// OpenWorkbook checks an upload and opens it as a workbook. Every refusal is
// a domain error with a message for the planner.
func OpenWorkbook(u *Upload, lim Limits) (*Workbook, error) {
	lim = lim.withDefaults()
	f, err := u.Open()
	if err != nil {
		return nil, fmt.Errorf("importers: open upload: %w", err)
	}
	wb := &Workbook{Name: u.Name, file: f, lim: lim, parts: map[string]*zip.File{}}
	if err := wb.open(u.Size); err != nil {
		f.Close()
		return nil, err
	}
	return wb, nil
}

// Close closes the file; the Upload removes it.
func (wb *Workbook) Close() error { return wb.file.Close() }

func (wb *Workbook) open(size int64) error {
	if err := sniff(wb.file, wb.Name, size); err != nil {
		return err
	}
	zr, err := zip.NewReader(wb.file, size)
	if err != nil {
		return fileError(indicators.EINVALID, wb.Name,
			"tệp bị cắt cụt hoặc hỏng (không đọc được mục lục của tệp nén); hãy tải lên lại tệp gốc, hoặc mở và lưu lại trong Excel",
			"the file is truncated or damaged (no readable zip directory)")
	}
	if err := checkZip(zr, wb.Name, wb.lim); err != nil {
		return err
	}
	wb.zr = zr
	for _, e := range zr.File {
		wb.parts[strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(e.Name, `\`, "/"), "/"))] = e
	}
	notWorkbook := fileError(indicators.EINVALID, wb.Name,
		"là tệp nén nhưng không phải sổ làm việc Excel (có thể là tệp Word, PowerPoint hoặc OpenDocument đổi tên); hãy lưu bảng tính dưới dạng .xlsx",
		"a zip file but not an Excel workbook")
	if wb.parts["[content_types].xml"] == nil {
		return notWorkbook
	}
	main := "xl/workbook.xml"
	var rels relationships
	if err := wb.readXML("_rels/.rels", &rels); err == nil {
		for _, r := range rels.Rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				main = resolvePart("", r.Target)
			}
		}
	}
	if wb.parts[main] == nil {
		return notWorkbook
	}
	var book workbookXML
	if err := wb.readXML(main, &book); err != nil {
		return wb.damaged(main, err)
	}
	wb.date1904 = book.Pr.Date1904 == "1" || book.Pr.Date1904 == "true"
	dir := path.Dir(main)
	rels = relationships{}
	if err := wb.readXML(path.Join(dir, "_rels", path.Base(main)+".rels"), &rels); err != nil {
		return wb.damaged(main+".rels", err)
	}
	targets := map[string]string{}
	var stylesPart string
	for _, r := range rels.Rels {
		p := resolvePart(dir, r.Target)
		switch {
		case strings.HasSuffix(r.Type, "/worksheet"):
			targets[r.ID] = p // chart sheets and dialog sheets hold no cells
		case strings.HasSuffix(r.Type, "/sharedStrings"):
			wb.sstPart = p
		case strings.HasSuffix(r.Type, "/styles"):
			stylesPart = p
		}
	}
	for _, s := range book.Sheets {
		p := targets[s.RID]
		if p == "" || wb.parts[p] == nil {
			continue
		}
		wb.Sheets = append(wb.Sheets, SheetRef{Name: s.Name, Hidden: s.State == "hidden" || s.State == "veryHidden", part: p})
	}
	if len(wb.Sheets) == 0 {
		return fileError(indicators.EINVALID, wb.Name, "sổ làm việc không có trang tính nào chứa ô dữ liệu", "the workbook has no worksheet")
	}
	if stylesPart != "" && wb.parts[stylesPart] != nil {
		var st stylesXML
		if err := wb.readXML(stylesPart, &st); err != nil {
			return wb.damaged(stylesPart, err)
		}
		wb.formats = st.formats()
	}
	return nil
}

func (wb *Workbook) damaged(part string, err error) error {
	var de *indicators.Error
	if errors.As(err, &de) {
		return err
	}
	return fileError(indicators.EINVALID, wb.Name,
		fmt.Sprintf("tệp bị hỏng (không đọc được phần %s); hãy mở và lưu lại trong Excel rồi tải lên", part),
		fmt.Sprintf("the file is damaged (part %s: %v)", part, err))
}

// resolvePart turns a relationship target into a part name.
func resolvePart(dir, target string) string {
	target = strings.ReplaceAll(target, `\`, "/")
	if strings.HasPrefix(target, "/") {
		return strings.ToLower(strings.TrimPrefix(path.Clean(target), "/"))
	}
	return strings.ToLower(strings.TrimPrefix(path.Clean(path.Join(dir, target)), "/"))
}

// openPart opens a part for streaming, refusing one over limit.
func (wb *Workbook) openPart(name string, limit int64) (io.ReadCloser, error) {
	e := wb.parts[name]
	if e == nil {
		return nil, fmt.Errorf("importers: part %s missing", name)
	}
	if e.UncompressedSize64 > uint64(limit) {
		return nil, fileError(indicators.ETOOLARGE, wb.Name,
			fmt.Sprintf("phần %s khai báo %s, vượt giới hạn %s", name, byteSize(int64(min(e.UncompressedSize64, 1<<62))), byteSize(limit)),
			fmt.Sprintf("part %s is over the limit", name))
	}
	return e.Open()
}

// readXML decodes a small part whole.
func (wb *Workbook) readXML(name string, v any) error {
	rc, err := wb.openPart(name, min(wb.lim.MaxInMemory, 64<<20))
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(rc).Decode(v)
}

// The small parts, through encoding/xml; names match without namespaces.
type relationships struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

type workbookXML struct {
	Pr struct {
		Date1904 string `xml:"date1904,attr"`
	} `xml:"workbookPr"`
	Sheets []struct {
		Name  string `xml:"name,attr"`
		State string `xml:"state,attr"`
		RID   string `xml:"id,attr"`
	} `xml:"sheets>sheet"`
}

type stylesXML struct {
	NumFmts []struct {
		ID   int    `xml:"numFmtId,attr"`
		Code string `xml:"formatCode,attr"`
	} `xml:"numFmts>numFmt"`
	Xfs []struct {
		NumFmtID int `xml:"numFmtId,attr"`
	} `xml:"cellXfs>xf"`
}

func (st *stylesXML) formats() []cellFormat {
	custom := map[int]string{}
	for _, f := range st.NumFmts {
		custom[f.ID] = f.Code
	}
	out := make([]cellFormat, len(st.Xfs))
	for i, xf := range st.Xfs {
		out[i] = numFmtKind(xf.NumFmtID, custom[xf.NumFmtID])
	}
	return out
}

// numFmtKind classifies a number format: the built-in date and percent
// formats by ID, custom ones by their code.
func numFmtKind(id int, code string) cellFormat {
	switch {
	case id == 9 || id == 10:
		return formatPercent
	case (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58):
		return formatDate
	case code == "":
		return formatPlain
	}
	// Drop quoted text, escaped characters and bracketed sections (colours,
	// locales, conditions) before looking for date letters or a percent sign.
	var b strings.Builder
	inQuote, inBracket := false, false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case inQuote:
			inQuote = c != '"'
		case inBracket:
			if c == ']' {
				inBracket = false
			} else if c == 'h' || c == 'H' || c == 'm' || c == 'M' || c == 's' || c == 'S' {
				b.WriteByte('h') // [h]:mm elapsed time
			}
		case c == '"':
			inQuote = true
		case c == '[':
			inBracket = true
		case c == '\\' || c == '_' || c == '*':
			i++
		default:
			b.WriteByte(c)
		}
	}
	plain := strings.ToLower(b.String())
	if section, _, _ := strings.Cut(plain, ";"); strings.ContainsAny(section, "ymdhs") && !strings.Contains(section, "general") {
		return formatDate
	}
	if strings.Contains(plain, "%") {
		return formatPercent
	}
	return formatPlain
}

// sharedStrings loads the shared string table once.
func (wb *Workbook) sharedStrings() ([]string, error) {
	wb.sstOnce.Do(func() {
		if wb.sstPart == "" || wb.parts[wb.sstPart] == nil {
			return
		}
		rc, err := wb.openPart(wb.sstPart, wb.lim.MaxInMemory)
		if err != nil {
			wb.sstErr = err
			return
		}
		defer rc.Close()
		wb.sst, wb.sstErr = readSharedStrings(rc)
		if wb.sstErr != nil {
			wb.sstErr = wb.damaged(wb.sstPart, wb.sstErr)
		}
	})
	return wb.sst, wb.sstErr
}

// readSharedStrings reads <sst>: each <si> is plain <t> or rich-text runs
// <r><t>; phonetic runs <rPh> are not part of the text.
func readSharedStrings(r io.Reader) ([]string, error) {
	s := newXMLScanner(r)
	var out []string
	var text []byte
	inSI, inT, skip := false, false, 0
	for {
		switch s.next() {
		case tokenEOF:
			if s.err != nil {
				return nil, s.err
			}
			return out, nil
		case tokenStart:
			switch string(s.name) {
			case "si":
				inSI, text = true, text[:0]
				if s.selfClose {
					out = append(out, "")
					inSI = false
				}
			case "rPh":
				if !s.selfClose {
					skip++
				}
			case "t":
				inT = !s.selfClose && skip == 0
			}
		case tokenEnd:
			switch string(s.name) {
			case "si":
				if inSI {
					out = append(out, unescapeOOXML(string(text)))
				}
				inSI = false
			case "rPh":
				skip--
			case "t":
				inT = false
			}
		case tokenText:
			if inSI && inT {
				text = append(text, s.text...)
			}
		}
	}
}

// unescapeOOXML decodes the _xHHHH_ escapes Excel writes for characters XML
// cannot hold (control characters, and an underscore sequence itself).
func unescapeOOXML(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '_' && i+6 < len(s) && s[i+1] == 'x' && s[i+6] == '_' {
			if n, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
				b.WriteRune(rune(n))
				i += 6
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// excelTime turns a date serial into a time: days since 30 December 1899
// (1 January 1904 in the 1904 system), the fraction being the time of day.
func excelTime(serial float64, date1904 bool) time.Time {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	days := math.Floor(serial)
	t := base.AddDate(0, 0, int(days))
	return t.Add(time.Duration(math.Round((serial - days) * 86400 * float64(time.Second))))
}
