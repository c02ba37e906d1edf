package importers

import (
	"fmt"
	"strings"

	"chitieu/indicators"
)

// table maps the rows below a sheet's header to readings.
type table interface {
	mapRow(r *Row, c *collector)
	skippedUnits() int // rows left out for their unit (other_units: skip)
}

func (w *wideTable) skippedUnits() int { return w.units.skipped }

// wideTable reads indicators down and years across: a department's own
// sheet, or chitieu's template.
type wideTable struct {
	codeCol, nameCol, measureCol, noteCol int // 0 when absent
	values                                []valueColumn
	names                                 map[string]string // confirmed names, by match key → code
	units                                 *unitColumn
	years                                 yearFilter
	ended                                 bool
	checkedMeasure                        map[int]bool
}

// valueColumn is a column of values of one period and type.
type valueColumn struct {
	col       int
	period    indicators.Period
	typ       indicators.ValueType
	ownPeriod bool // its header names its own months ("9 tháng"), not only a year
}

// yearFilter keeps the periods of the years a profile asks for.
type yearFilter struct{ from, to int }

func (y yearFilter) keeps(p indicators.Period) bool {
	return (y.from == 0 || p.Year >= y.from) && (y.to == 0 || p.Year <= y.to)
}

// newWideTable finds the profile's columns in the header.
func newWideTable(p *Profile, h Header, unit int) (*wideTable, error) {
	w := &wideTable{names: keyed(p.Indicators), checkedMeasure: map[int]bool{}}
	if len(p.Years) == 2 {
		w.years = yearFilter{p.Years[0], p.Years[1]}
	}
	where := headerRowsText(h.Rows)
	find := func(label, field string) (int, error) {
		if strings.TrimSpace(label) == "" {
			return 0, nil
		}
		c, ok := h.find(label)
		if !ok {
			return 0, profileError(p.Name, fmt.Sprintf("không thấy cột “%s” (columns.%s) trong tiêu đề %s", label, field, where),
				fmt.Sprintf("no column %q (columns.%s) in the header", label, field))
		}
		return c.Col, nil
	}
	var err error
	if w.units, err = newUnitColumn(p, h, unit); err != nil {
		return nil, err
	}
	if w.codeCol, err = find(p.Columns.Code, "code"); err != nil {
		return nil, err
	}
	if w.nameCol, err = find(p.Columns.Name, "name"); err != nil {
		return nil, err
	}
	if w.measureCol, err = find(p.Columns.Measure, "measure"); err != nil {
		return nil, err
	}
	if w.noteCol, err = find(p.Columns.Note, "note"); err != nil {
		return nil, err
	}
	periods := map[string]indicators.Period{}
	for text, s := range p.Periods {
		periods[MatchKey(text)], _ = parsePeriodText(s)
	}
	extra := keyed(p.ValueTypes)
	for _, hc := range h.Columns {
		switch hc.Col {
		case w.codeCol, w.nameCol, w.measureCol, w.noteCol, w.units.col:
			continue
		}
		vc, isValue, err := valueColumnOf(p, hc, periods, extra)
		if err != nil {
			return nil, err
		}
		if !isValue {
			continue
		}
		// "So cùng kỳ (%)" compares the figure just before it: under "Năm
		// 2025", beside "9 tháng", it is the nine months' comparison.
		if n := len(w.values); vc.typ == indicators.SamePeriodValue && !vc.ownPeriod && n > 0 &&
			w.values[n-1].typ != indicators.SamePeriodValue && w.values[n-1].period.Year == vc.period.Year {
			vc.period = w.values[n-1].period
		}
		w.values = append(w.values, vc)
	}
	if len(w.values) == 0 {
		return nil, profileError(p.Name, fmt.Sprintf("không thấy cột số liệu nào (cột năm như “Năm 2024”, “2024”, “TH 2023”) trong tiêu đề %s", where),
			"no value column (a year) in the header")
	}
	return w, nil
}

func headerRowsText(rows []int) string {
	switch len(rows) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("(dòng %d)", rows[0])
	}
	return fmt.Sprintf("(dòng %d–%d)", rows[0], rows[len(rows)-1])
}

// valueColumnOf reads the period and value type a header column gives its
// values: a year in one part and the type in the same or another part
// ("Năm 2020" over "Thực hiện"; "TH 2023"; "2024" over a chosen "Ước thực
// hiện"), or the profile's periods. A part that is neither makes it a
// column of something else ("Mục tiêu NQ đến năm 2025", "Ghi chú").
func valueColumnOf(p *Profile, hc HeaderColumn, periods map[string]indicators.Period, extra map[string]indicators.ValueType) (valueColumn, bool, error) {
	vc := valueColumn{col: hc.Col}
	found := false
	months, monthsYear := 0, 0 // a year-to-date header: "9 tháng", "Ước TH 6 tháng 2025"
	if per, ok := periods[MatchKey(hc.Text)]; ok {
		vc.period, found = per, true
	}
	for _, part := range hc.Parts {
		if part == "" {
			continue
		}
		if per, ok := periods[MatchKey(part)]; ok {
			vc.period, found = per, true
			continue
		}
		if m, y, t, ok := monthsHeader(part, extra); ok {
			months, vc.ownPeriod = m, true
			if y != 0 {
				monthsYear = y
			}
			if t != "" {
				vc.typ = t
			}
			continue
		}
		if y, t, ok := yearHeader(part, extra); ok {
			if !found {
				vc.period, found = indicators.YearPeriod(y), true
			}
			if t != "" {
				vc.typ = t
			}
			continue
		}
		if t, ok := valueTypeOf(part, extra); ok {
			vc.typ = t
			continue
		}
		// "So kế hoạch (%)", "% so với KH": a ratio to another column,
		// not a figure of the period.
		if k := MatchKey(part); strings.HasPrefix(k, "so ") || strings.Contains(k, "so voi") || strings.HasPrefix(k, "ty le so") {
			return vc, false, nil
		}
		if !found {
			return vc, false, nil
		}
	}
	if months > 0 {
		y := monthsYear
		if y == 0 && found {
			y = vc.period.Year
		}
		if y == 0 {
			return vc, false, profileError(p.Name,
				fmt.Sprintf("cột %s (“%s”) ghi %d tháng nhưng không cho biết năm nào; hãy ghi năm ở tiêu đề (“9 tháng 2025”, hoặc “Năm 2025” ở dòng trên)",
					hc.Letter, hc.Text, months),
				fmt.Sprintf("column %s (%q) gives %d months but no year", hc.Letter, hc.Text, months))
		}
		vc.period, found = indicators.YearToDatePeriod(y, months), true
	}
	if !found {
		return vc, false, nil
	}
	if vc.typ == "" {
		vc.typ = p.DefaultType
	}
	if vc.typ == "" {
		return vc, false, profileError(p.Name,
			fmt.Sprintf("cột %s (“%s”) không cho biết loại số liệu (Thực hiện, Ước TH, Kế hoạch); hãy ghi loại ở dòng tiêu đề hoặc đặt default_type trong hồ sơ",
				hc.Letter, hc.Text),
			fmt.Sprintf("column %s (%q) names no value type", hc.Letter, hc.Text))
	}
	return vc, true, nil
}

// indicatorOf resolves a row's indicator: its code, or its name through
// the confirmed names and then the catalogue. col and text are the cell to
// blame when it cannot.
func (w *wideTable) indicatorOf(r *Row, c *collector) (ind int, ok bool, col int, text string, known bool) {
	if w.codeCol > 0 {
		if cell, has := r.Get(w.codeCol); has && !cell.Blank() {
			t := cellText(cell)
			i, ok := c.cat.indicator(t)
			return i, ok, w.codeCol, t, ok
		}
	}
	if w.nameCol > 0 {
		if cell, has := r.Get(w.nameCol); has && !cell.Blank() {
			t := cellText(cell)
			if code, ok := w.names[MatchKey(t)]; ok {
				i, ok := c.cat.indicator(code)
				if !ok {
					return 0, false, w.nameCol, t, true
				}
				return i, true, w.nameCol, t, true
			}
			i, ok := c.cat.indicatorByName(t)
			return i, ok, w.nameCol, t, false
		}
	}
	return 0, false, 0, "", false
}

func (w *wideTable) mapRow(r *Row, c *collector) {
	if w.ended {
		w.afterEnd(r, c)
		return
	}
	if columnNumbers(r) {
		return
	}
	ind, found, col, text, confirmed := w.indicatorOf(r, c)
	if !found {
		if first := firstText(r); first != "" && endOfTable(first) {
			w.ended = true
			return
		}
	}
	any := false
	unit := -1
	var note string
	if w.noteCol > 0 {
		if cell, ok := r.Get(w.noteCol); ok {
			note = cellText(cell)
		}
	}
	for _, vc := range w.values {
		cell, ok := r.Get(vc.col)
		if !ok || !hasValue(cell) {
			continue
		}
		any = true
		if !found || !w.years.keeps(vc.period) {
			continue
		}
		if unit < 0 {
			if unit, ok = w.units.of(r, c); !ok {
				return
			}
		}
		v, high, ok := c.number(cell, r.Num, vc.typ)
		if !ok {
			continue
		}
		c.emit(ind, unit, vc.period, vc.typ, v, high, note, cell.Col, r.Num, cellText(cell))
	}
	switch {
	case found:
		w.checkMeasure(r, c, ind)
		if col == w.nameCol && any {
			c.matchedName(col, r.Num, text, ind, confirmed)
		}
	case !any:
		// a section heading ("I", "VỀ KINH TẾ"), a sub-heading or an
		// indicator with no figure yet
	case col == w.codeCol && col > 0:
		c.reject(col, r.Num, text, fmt.Sprintf("mã chỉ tiêu “%s” không có trong danh mục", text),
			fmt.Sprintf("indicator code “%s” is not in the catalogue", text))
	case !confirmed && w.section(r):
		// a section's total ("I | TỔNG THU …" with figures): not an
		// indicator of the catalogue, and said so
		c.warn(fmt.Sprintf("%s: dòng %d là dòng mục “%s” có số liệu nhưng tên không khớp chỉ tiêu nào — đã bỏ qua; nếu là một chỉ tiêu, hãy ghi tên này trong hồ sơ ánh xạ (indicators)",
			c.sheet, r.Num, text),
			fmt.Sprintf("%s: row %d is a section row “%s” with figures, but its name matches no indicator — skipped; if it is an indicator, give this name in the mapping profile (indicators)",
				c.sheet, r.Num, text))
	case confirmed:
		c.reject(col, r.Num, text, fmt.Sprintf("hồ sơ ánh xạ ghi tên này là mã %s, nhưng danh mục không có mã đó", w.names[MatchKey(text)]),
			fmt.Sprintf("the mapping profile gives this name the code %s, which the catalogue does not hold", w.names[MatchKey(text)]))
	case text != "":
		c.unknownName(col, r.Num, text)
	default:
		cell := r.Cells[0]
		c.reject(cell.Col, r.Num, cellText(cell), "dòng có số liệu nhưng không có tên hay mã chỉ tiêu",
			"the row has values but no indicator name or code")
	}
}

// section reports whether the row is numbered as a section (I, II, A) in
// a column left of the indicator names.
func (w *wideTable) section(r *Row) bool {
	for _, c := range r.Cells {
		if c.Col >= w.nameCol {
			break
		}
		if c.Col != w.codeCol && !c.Blank() {
			return sectionNumber(cellText(c))
		}
	}
	return false
}

// checkMeasure warns once per indicator when the sheet's unit of measure
// (ĐVT) is not the catalogue's: often the sign of a wrong mapping.
func (w *wideTable) checkMeasure(r *Row, c *collector, ind int) {
	if w.measureCol == 0 || w.checkedMeasure[ind] {
		return
	}
	w.checkedMeasure[ind] = true
	cell, ok := r.Get(w.measureCol)
	if !ok || cell.Blank() {
		return
	}
	in := &c.cat.indicators[ind]
	if MatchKey(cellText(cell)) != MatchKey(in.Unit) {
		c.warn(fmt.Sprintf("%s!%s: đơn vị tính “%s” khác với danh mục (“%s”) của %s %s — hãy kiểm tra số liệu có cùng đơn vị",
			c.sheet, CellName(w.measureCol, r.Num), cellText(cell), in.Unit, in.Code, in.NameVI),
			fmt.Sprintf("%s!%s: the unit of measure “%s” is not the catalogue's (“%s”) for %s %s — check that the figures are in the same unit",
				c.sheet, CellName(w.measureCol, r.Num), cellText(cell), in.Unit, in.Code, pickName(in.NameEN, in.NameVI)))
	}
}

// afterEnd warns of figures below the notes and signatures, which are not
// imported: never a silent loss.
func (w *wideTable) afterEnd(r *Row, c *collector) {
	ind, found, _, _, _ := w.indicatorOf(r, c)
	if !found {
		return
	}
	for _, vc := range w.values {
		if cell, ok := r.Get(vc.col); ok && hasValue(cell) {
			code := c.cat.indicators[ind].Code
			c.warn(fmt.Sprintf("%s: dòng %d nằm dưới phần ghi chú hoặc chữ ký nhưng có số liệu của %s — không được nhập; nếu cần, hãy chuyển dòng này lên trong bảng",
				c.sheet, r.Num, code),
				fmt.Sprintf("%s: row %d lies below the notes or signatures but holds figures of %s — not imported; if they are needed, move the row up into the table",
					c.sheet, r.Num, code))
			return
		}
	}
}

// firstText is the text of a row's first non-blank text cell.
func firstText(r *Row) string {
	for _, c := range r.Cells {
		if c.Kind == CellText && !c.Blank() {
			return c.Text
		}
	}
	return ""
}
