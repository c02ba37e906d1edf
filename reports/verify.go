package reports

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"

	"chitieu/indicators"

	"github.com/xuri/excelize/v2"
)

// Verification is what Verify found: the hash the file carries, the hash
// of the cells it holds now, the hash of the report re-created from the
// database, and the first cells where file and database disagree.
type Verification struct {
	// Check says how the file was checked: CheckProperties when it carries
	// chitieu's document properties, CheckCover when they are gone (the
	// file was saved again by another program) and the hash and params
	// printed on its cover stood in for them.
	Check       string
	Params      Params
	Stored      string
	File        string
	Database    string
	Rows        int // rows compared
	Differences []Difference
}

// How a file was checked.
const (
	CheckProperties = "properties"
	CheckCover      = "cover"
)

// Difference is one cell where the file and the re-created report differ.
type Difference struct {
	Sheet    string
	Cell     string
	File     string // as the file holds it ("" for a cell or row it lacks)
	Database string // as the database gives it
}

// maxDifferences bounds the differences a verification lists.
const maxDifferences = 20

// Matches reports whether the file is as it was made and the database
// still gives the same report.
func (v *Verification) Matches() bool {
	return v.Stored != "" && v.Stored == v.File && v.File == v.Database
}

// Limits on the workbooks Verify opens: a data export of a million values
// unzips to about a gigabyte; sheets past the XML limit are read from a
// temporary file rather than memory.
const (
	verifyUnzipLimit    = 8 << 30
	verifyUnzipXMLLimit = 16 << 20
)

// Verify re-creates the report in the workbook at path from the database,
// with the params the file carries, and compares it with the file cell by
// cell.
func (b *Builder) Verify(ctx context.Context, path string) (*Verification, error) {
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: verifyUnzipLimit,
		UnzipXMLSizeLimit: verifyUnzipXMLLimit, TmpDir: b.TempDir})
	if err != nil {
		return nil, indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("không đọc được tệp %s như một tệp .xlsx: %v", path, err), fmt.Sprintf("%s cannot be read as an .xlsx file: %v", path, err))
	}
	defer f.Close()
	props, err := f.GetCustomProps()
	if err != nil {
		return nil, indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("không đọc được thuộc tính của tệp %s: %v", path, err), fmt.Sprintf("the properties of %s cannot be read: %v", path, err))
	}
	v := &Verification{}
	var raw string
	for _, p := range props {
		s, _ := p.Value.(string)
		switch p.Name {
		case propParams:
			raw = s
		case propHash:
			v.Stored = s
		}
	}
	v.Check = CheckProperties
	if raw == "" || v.Stored == "" {
		// Another program saved the file again and dropped the
		// properties: the cover prints the same hash and params.
		raw, v.Stored = coverStamp(f)
		v.Check = CheckCover
	}
	if raw == "" || v.Stored == "" {
		return nil, indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("tệp %s không mang mã kiểm tra của chitieu, trong thuộc tính của tệp cũng như trên trang bìa (không phải báo cáo do chitieu tạo, hoặc đã bị xóa)", path),
			fmt.Sprintf("%s carries no chitieu check code, neither in its properties nor on its cover (not a report made by chitieu, or the code was removed)", path))
	}
	if err := json.Unmarshal([]byte(raw), &v.Params); err != nil {
		return nil, indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("thuộc tính %s của tệp %s hỏng: %v", propParams, path, err), fmt.Sprintf("the property %s of %s is damaged: %v", propParams, path, err))
	}
	if v.Params.Layout != layoutVersion {
		return nil, indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("tệp %s có bố cục phiên bản %d, bản chitieu này dùng bố cục %d: hãy kiểm tra bằng bản chitieu đã tạo ra tệp",
				path, v.Params.Layout, layoutVersion),
			fmt.Sprintf("%s has layout version %d, this chitieu uses layout %d: check it with the chitieu that made the file",
				path, v.Params.Layout, layoutVersion))
	}
	rep, err := b.recreate(ctx, v.Params)
	if err != nil {
		return nil, err
	}
	dbSum, fileSum := sha256.New(), sha256.New()
	dbH, err := newHashWriter(dbSum, rep.params)
	if err != nil {
		return nil, err
	}
	fileH, err := newHashWriter(fileSum, v.Params)
	if err != nil {
		return nil, err
	}
	for _, s := range rep.sheets {
		if s.hashed {
			if err := v.compare(ctx, f, s, dbH, fileH); err != nil {
				return nil, err
			}
		}
	}
	v.Database, v.File = finish(dbH, dbSum), finish(fileH, fileSum)
	return v, nil
}

func finish(h *hashWriter, sum hash.Hash) string {
	if err := h.flush(); err != nil {
		return ""
	}
	return hex.EncodeToString(sum.Sum(nil))
}

// recreate builds the report the params describe, without writing it.
func (b *Builder) recreate(ctx context.Context, p Params) (*report, error) {
	asOf, err := unstamp("asof", p.AsOf)
	if err != nil {
		return nil, err
	}
	switch p.Kind {
	case KindProgress:
		period, err := indicators.ParseYearRange("period", p.Period)
		if err != nil {
			return nil, err
		}
		req := ProgressRequest{Plan: p.Plan, Period: period, AsOf: asOf, Group: p.Group, Lang: p.Lang}
		if p.Form != nil {
			req.Form = *p.Form
		}
		return b.progressReport(ctx, req)
	case KindData:
		return b.dataReport(ctx, DataRequest{AsOf: asOf, Indicator: p.Indicator, Lang: p.Lang})
	case KindAudit:
		from, err := unstamp("from", p.From)
		if err != nil {
			return nil, err
		}
		return b.auditReport(ctx, AuditRequest{From: from, To: asOf, Lang: p.Lang})
	case KindCalendar:
		// The rates rest on the obligations as they stand, of which the
		// store keeps no history: a workbook of a past day is made again
		// from the calendar page (?asof=), not checked here.
		return nil, indicators.FieldError(indicators.EINVALID, "kind",
			"bảng tỷ lệ báo cáo không kiểm tra lại được bằng lệnh này: hãy tải lại từ trang Lịch báo cáo với cùng ngày tính đến",
			"a reporting-rate workbook cannot be checked this way: download it again from the reporting calendar with the same as-of day")
	}
	return nil, indicators.FieldError(indicators.EINVALID, "",
		fmt.Sprintf("loại báo cáo %q không rõ", p.Kind), fmt.Sprintf("unknown report kind %q", p.Kind))
}

// compare walks one hashed sheet of the re-created report and the same
// sheet of the file side by side, feeding both hashes.
func (v *Verification) compare(ctx context.Context, f *excelize.File, s *sheet, dbH, fileH *hashWriter) error {
	if err := dbH.sheet(s.name); err != nil {
		return err
	}
	if err := fileH.sheet(s.name); err != nil {
		return err
	}
	fr := &fileRows{f: f, base: s.name, headTo: s.headTo}
	defer fr.close()
	err := s.rows(ctx, func(cells []cell) error {
		want := canonicalRow(cells)
		if err := dbH.row(want); err != nil {
			return err
		}
		got, at, row, ok, err := fr.next()
		if err != nil {
			return err
		}
		v.Rows++
		if !ok {
			v.differ(s.name, fmt.Sprintf("%d", row), "", fmt.Sprintf("(dòng có %d ô)", len(trim(want))))
			return nil
		}
		if err := fileH.row(got); err != nil {
			return err
		}
		v.diffRow(at, row, got, want)
		return nil
	})
	if err != nil {
		return err
	}
	for {
		got, at, row, ok, err := fr.next()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		if err := fileH.row(got); err != nil {
			return err
		}
		if len(trim(got)) > 0 {
			v.differ(at, fmt.Sprintf("%d", row), fmt.Sprintf("(dòng thừa có %d ô)", len(trim(got))), "")
		}
	}
}

func trim(r []string) []string {
	n := len(r)
	for n > 0 && r[n-1] == "" {
		n--
	}
	return r[:n]
}

func (v *Verification) diffRow(sheetName string, row int, got, want []string) {
	got, want = trim(got), trim(want)
	for i := 0; i < max(len(got), len(want)); i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			v.differ(sheetName, ref(i+1, row), g, w)
		}
	}
}

func (v *Verification) differ(sheetName, cellRef, file, db string) {
	if len(v.Differences) < maxDifferences {
		v.Differences = append(v.Differences, Difference{Sheet: sheetName, Cell: cellRef, File: file, Database: db})
	}
}

// fileRows reads the rows of a sheet and of its continuation sheets, raw
// (numbers as stored, not as formatted), skipping the repeated heading of
// each continuation.
type fileRows struct {
	f      *excelize.File
	base   string
	headTo int
	part   int
	name   string
	rows   *excelize.Rows
	row    int
	done   bool
}

func (r *fileRows) next() (cells []string, sheetName string, row int, ok bool, err error) {
	for !r.done {
		if r.rows == nil {
			r.part++
			r.name = partName(r.base, r.part)
			if idx, _ := r.f.GetSheetIndex(r.name); idx < 0 {
				r.done = true
				break
			}
			if r.rows, err = r.f.Rows(r.name); err != nil {
				return nil, r.name, 0, false, fmt.Errorf("reports: read sheet %s: %w", r.name, err)
			}
			r.row = 0
			if r.part > 1 {
				for r.row < r.headTo && r.rows.Next() {
					r.row++
				}
			}
		}
		if r.rows.Next() {
			r.row++
			cells, err := r.rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				return nil, r.name, r.row, false, fmt.Errorf("reports: read %s row %d: %w", r.name, r.row, err)
			}
			return cells, r.name, r.row, true, nil
		}
		if err := r.rows.Error(); err != nil {
			return nil, r.name, r.row, false, fmt.Errorf("reports: read sheet %s: %w", r.name, err)
		}
		r.rows.Close()
		r.rows = nil
	}
	return nil, r.name, r.row + 1, false, nil
}

func (r *fileRows) close() {
	if r.rows != nil {
		r.rows.Close()
	}
}

// coverHashLabel and coverParamsLabel head the cover's lines that carry
// the content hash and the params, which Verify reads when a file has lost
// its properties.
func coverHashLabel(l lang) string {
	return l.pick("Mã kiểm tra nội dung (SHA-256)", "Content hash (SHA-256)")
}

func coverParamsLabel(l lang) string {
	return l.pick("Tham số kiểm tra", "Verification parameters")
}

// paramsJSON is the params as the properties and the cover carry them.
func (rep *report) paramsJSON() string {
	b, err := json.Marshal(rep.params)
	if err != nil {
		return ""
	}
	return string(b)
}

// coverStamp reads the params and the hash printed on the first sheet of
// f, in either language; "" for what it does not find.
func coverStamp(f *excelize.File) (params, hash string) {
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return "", ""
	}
	rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		return "", ""
	}
	for _, r := range rows {
		if len(r) < 2 {
			continue
		}
		switch r[0] {
		case coverHashLabel(langVI), coverHashLabel(langEN):
			hash = r[1]
		case coverParamsLabel(langVI), coverParamsLabel(langEN):
			params = r[1]
		}
	}
	return params, hash
}
