package importers

import (
	"context"
	"fmt"
	"strings"

	"chitieu/indicators"
)

// heads reads and keeps the first rows of each sheet, where headers are.
type heads struct {
	wb       *Workbook
	rows     map[string][]Row
	declared map[string]int
}

func newHeads(wb *Workbook) *heads {
	return &heads{wb: wb, rows: map[string][]Row{}, declared: map[string]int{}}
}

// of returns the first headScan rows of a sheet.
func (h *heads) of(sheet string) ([]Row, error) {
	if rows, ok := h.rows[sheet]; ok {
		return rows, nil
	}
	sr, err := h.wb.OpenSheet(sheet)
	if err != nil {
		return nil, err
	}
	defer sr.Close()
	var rows []Row
	for len(rows) < headScan && sr.Next() {
		rows = append(rows, copyRow(sr.Row()))
	}
	if err := sr.Err(); err != nil {
		return nil, err
	}
	h.rows[sheet], h.declared[sheet] = rows, sr.DeclaredRows
	return rows, nil
}

// plan is how a sheet will be read.
type plan struct {
	sheet     string
	header    Header
	headerEnd int // last header row
	lastCol   int // last column of the header: cells right of it are not read
	table     table
	unit      int // -1 when none
	locale    indicators.Locale
	declared  int // rows the sheet declares
}

// choose picks the profile for an upload: the one given, a saved one by
// name, the template's own, the saved profile whose header the file has,
// or a long table recognised by its headers. source says which.
func (im *Importer) choose(ctx context.Context, wb *Workbook, h *heads, opts Options) (*Profile, string, error) {
	if opts.Profile != nil {
		if err := opts.Profile.Validate(); err != nil {
			return nil, "", err
		}
		name := opts.Profile.Name
		if name == "" {
			name = "hồ sơ kèm theo"
		}
		return opts.Profile, name, nil
	}
	if opts.ProfileName != "" {
		sp, err := im.Store.Profile(ctx, opts.ProfileName)
		if err != nil {
			return nil, "", err
		}
		p, err := ParseProfile([]byte(sp.JSON))
		if err != nil {
			return nil, "", err
		}
		p.Name = sp.Name
		return p, sp.Name, nil
	}
	if p, ok, err := templateProfile(wb); err != nil || ok {
		if err == nil && opts.Unit != "" && !strings.EqualFold(opts.Unit, p.Unit) {
			return nil, "", indicators.FieldError(indicators.EINVALID, "unit",
				fmt.Sprintf("biểu mẫu này dành cho đơn vị %s, không dùng cho đơn vị %s; hãy tải biểu mẫu của đơn vị %s", p.Unit, opts.Unit, opts.Unit),
				fmt.Sprintf("this template is for unit %s, not %s", p.Unit, opts.Unit))
		}
		return p, p.nameOr("biểu mẫu chitieu"), err
	}
	saved, err := im.Store.Profiles(ctx)
	if err != nil {
		return nil, "", err
	}
	var best *Profile
	bestScore := 0
	for _, sp := range saved {
		p, err := ParseProfile([]byte(sp.JSON))
		if err != nil {
			im.log().Warn("importers: a saved profile does not parse", "profile", sp.Name, "err", err)
			continue
		}
		p.Name = sp.Name
		if sheet, score := fits(wb, h, p); score > bestScore {
			best, bestScore = p, score
			best.Sheet = sheet
		}
	}
	if best != nil {
		return best, best.Name, nil
	}
	for _, s := range wb.Sheets {
		if s.Hidden {
			continue
		}
		rows, err := h.of(s.Name)
		if err != nil {
			return nil, "", err
		}
		for i := range rows {
			if p, ok := recogniseLong(&rows[i]); ok {
				p.Sheet = s.Name
				return p, "bảng dọc (nhận theo tiêu đề cột)", nil
			}
		}
	}
	return nil, "", im.unrecognised(wb, h)
}

func (p *Profile) nameOr(s string) string {
	if p != nil && p.Name != "" {
		return p.Name
	}
	return s
}

// unrecognised explains that no shape fits, showing the header found.
func (im *Importer) unrecognised(wb *Workbook, h *heads) error {
	shown := ""
	for _, s := range wb.Sheets {
		if s.Hidden {
			continue
		}
		rows, err := h.of(s.Name)
		if err != nil {
			return err
		}
		if hd := detectHeader(rows); len(hd.Columns) > 0 {
			var cols []string
			for _, c := range hd.Columns {
				cols = append(cols, c.Letter+": "+c.Text)
			}
			shown = fmt.Sprintf(" Tiêu đề tìm thấy ở trang %q %s: %s.", s.Name, headerRowsText(hd.Rows), strings.Join(cols, "; "))
			break
		}
	}
	return indicators.FieldError(indicators.EINVALID, "profile",
		"không nhận ra dạng bảng của tệp: không phải biểu mẫu chitieu, không khớp hồ sơ ánh xạ nào đã lưu, và không có tiêu đề của bảng dọc (Mã chỉ tiêu, Đơn vị, Kỳ, Loại số liệu, Giá trị); hãy chọn hoặc tạo hồ sơ ánh xạ."+shown,
		"the table's shape is not recognised: choose or create a mapping profile")
}

// fits tells whether a saved profile fits the workbook: the sheet it names
// (or any visible sheet) has a header with every column the profile names.
// The score is how many columns matched, so that the most specific
// profile wins.
func fits(wb *Workbook, h *heads, p *Profile) (string, int) {
	labels := p.labels()
	if len(labels) == 0 {
		return "", 0
	}
	for _, s := range wb.Sheets {
		if (p.Sheet != "" && s.Name != p.Sheet) || (p.Sheet == "" && s.Hidden) {
			continue
		}
		rows, err := h.of(s.Name)
		if err != nil {
			continue
		}
		hd, err := headerFor(rows, p)
		if err != nil {
			continue
		}
		n := 0
		for _, l := range labels {
			if _, ok := hd.find(l); ok {
				n++
			}
		}
		if n == len(labels) {
			return s.Name, n
		}
	}
	return "", 0
}

// headerFor finds a profile's header: its header rows, or the row naming
// the most of its columns, with the row below when it carries value types
// or years.
func headerFor(rows []Row, p *Profile) (Header, error) {
	hr := p.HeaderRows
	if len(hr) > 0 {
		// The same sheet a few rows lower or higher (a title line added
		// or removed) is still the profile's: the first shift at which
		// the header names every column of the profile wins.
		for d := 0; d <= headerShift; d++ {
			for _, shift := range []int{d, -d} {
				if h, ok := headerAt(rows, hr, p, shift); ok {
					return h, nil
				}
				if d == 0 {
					break
				}
			}
		}
	}
	if len(hr) == 0 {
		n, matched := findHeaderRow(rows, p.labels())
		if matched == 0 {
			var cols []string
			for _, l := range p.labels() {
				cols = append(cols, "“"+l+"”")
			}
			return Header{}, profileError(p.Name,
				fmt.Sprintf("không thấy dòng tiêu đề có các cột %s trong %d dòng đầu của trang", strings.Join(cols, ", "), headScan),
				"no header row with the profile's columns")
		}
		hr = []int{n}
		if p.Shape == Wide && subHeader(rows, n+1, keyed(p.ValueTypes)) {
			hr = append(hr, n+1)
		}
	}
	return buildHeader(rows, hr), nil
}

// headerShift is how many rows a profile's header may have moved.
const headerShift = 5

// headerAt is the header at the profile's rows moved by shift, when it
// names every column of the profile.
func headerAt(rows []Row, hr []int, p *Profile, shift int) (Header, bool) {
	moved := make([]int, len(hr))
	for i, r := range hr {
		if moved[i] = r + shift; moved[i] < 1 {
			return Header{}, false
		}
	}
	// A two-row header's second row carries the value types or years,
	// and its first row names the indicators' column itself.
	if len(moved) == 2 && p.Shape == Wide {
		if !subHeader(rows, moved[1], keyed(p.ValueTypes)) {
			return Header{}, false
		}
		if first := p.Columns.Name + p.Columns.Code; first != "" {
			r, ok := rowByNum(rows, moved[0])
			if !ok {
				return Header{}, false
			}
			named := false
			for _, c := range r.Cells {
				k := MatchKey(cellText(c))
				named = named || (k != "" && (k == MatchKey(p.Columns.Name) || k == MatchKey(p.Columns.Code)))
			}
			if !named {
				return Header{}, false
			}
		}
	}
	h := buildHeader(rows, moved)
	labels := p.labels()
	if len(labels) == 0 {
		return Header{}, false
	}
	for _, l := range labels {
		if _, ok := h.find(l); !ok {
			return Header{}, false
		}
	}
	return h, true
}

// prepare finds the sheet, its header and columns, the unit and the locale.
func prepare(wb *Workbook, h *heads, p *Profile, opts Options, cat *catalogue) (*plan, error) {
	pl := &plan{sheet: p.Sheet, unit: -1}
	if pl.sheet == "" {
		pl.sheet, _ = fits(wb, h, p)
	}
	if pl.sheet == "" {
		for _, s := range wb.Sheets {
			if !s.Hidden {
				pl.sheet = s.Name
				break
			}
		}
	}
	rows, err := h.of(pl.sheet)
	if err != nil {
		return nil, err
	}
	pl.declared = h.declared[pl.sheet]
	if pl.header, err = headerFor(rows, p); err != nil {
		return nil, err
	}
	pl.headerEnd = pl.header.Rows[len(pl.header.Rows)-1]
	for _, c := range pl.header.Columns {
		pl.lastCol = max(pl.lastCol, c.Col)
	}
	loc := opts.Locale
	if loc == "" {
		if loc, err = indicators.ParseLocale(p.Locale); err != nil {
			return nil, err
		}
	}
	pl.locale = loc
	unit := opts.Unit
	if unit == "" {
		unit = p.Unit
	}
	if unit != "" {
		i, ok := cat.unit(unit)
		if !ok {
			return nil, indicators.FieldError(indicators.EINVALID, "unit",
				fmt.Sprintf("đơn vị “%s” không có trong danh mục", unit), fmt.Sprintf("unit %q is not in the catalogue", unit))
		}
		pl.unit = i
	}
	switch p.Shape {
	case Wide:
		pl.table, err = newWideTable(p, pl.header, pl.unit)
	default:
		pl.table, err = newLongTable(p, pl.header, pl.unit, cat)
	}
	if err != nil {
		return nil, err
	}
	return pl, nil
}
