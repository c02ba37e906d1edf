package importers

import (
	"fmt"
	"strings"

	"chitieu/indicators"
)

// longLabels are the column headers a long table is recognised by, in
// Vietnamese and English, by match key.
var longLabels = map[string][]string{
	"code":    {"ma chi tieu", "ma", "ma so", "indicator code", "code"},
	"name":    {"chi tieu", "ten chi tieu", "indicator", "indicator name", "name"},
	"unit":    {"don vi", "ma don vi", "don vi bao cao", "dia ban", "unit", "unit code", "reporting unit"},
	"period":  {"ky", "ky bao cao", "nam", "thoi gian", "period", "year"},
	"type":    {"loai", "loai so lieu", "loai gia tri", "type", "value type"},
	"value":   {"gia tri", "so lieu", "value"},
	"high":    {"can tren", "high", "upper"},
	"note":    {"ghi chu", "note", "notes"},
	"measure": {"don vi tinh", "dvt", "unit of measure"},
}

// recogniseLong builds a long profile from a row of recognised headers:
// an indicator (code or name), a period and a value at least.
func recogniseLong(r *Row) (*Profile, bool) {
	found := map[string]string{}
	for _, c := range r.Cells {
		t := cellText(c)
		k := MatchKey(t)
		for field, words := range longLabels {
			for _, w := range words {
				if k == w && found[field] == "" {
					found[field] = t
				}
			}
		}
	}
	if found["period"] == "" || found["value"] == "" || (found["code"] == "" && found["name"] == "") {
		return nil, false
	}
	return &Profile{Shape: Long, HeaderRows: []int{r.Num}, Columns: Columns{Code: found["code"], Name: found["name"],
		Unit: found["unit"], Period: found["period"], Type: found["type"], Value: found["value"], High: found["high"],
		Note: found["note"], Measure: found["measure"]}}, true
}

// longTable reads one row per indicator × unit × period (× type), or, with
// a profile's value columns, one row per unit × period with a column per
// indicator.
type longTable struct {
	codeCol, nameCol, periodCol, typeCol, valueCol, highCol, noteCol int
	valueCols                                                        []indicatorColumn
	names                                                            map[string]string
	units                                                            *unitColumn
	defType                                                          indicators.ValueType
	years                                                            yearFilter
	extra                                                            map[string]indicators.ValueType
	ended                                                            bool

	// Columns such as the unit or the type repeat a few values a million
	// times: what each text resolves to is remembered.
	indMemo    map[string]int
	typeMemo   map[string]indicators.ValueType
	periodMemo map[string]indicators.Period
}

type indicatorColumn struct{ col, ind int }

func (l *longTable) skippedUnits() int { return l.units.skipped }

func newLongTable(p *Profile, h Header, unit int, cat *catalogue) (*longTable, error) {
	l := &longTable{names: keyed(p.Indicators), defType: p.DefaultType, extra: keyed(p.ValueTypes), indMemo: map[string]int{},
		typeMemo: map[string]indicators.ValueType{}, periodMemo: map[string]indicators.Period{}}
	if len(p.Years) == 2 {
		l.years = yearFilter{p.Years[0], p.Years[1]}
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
	if l.units, err = newUnitColumn(p, h, unit); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		dst          *int
		label, field string
	}{
		{&l.codeCol, p.Columns.Code, "code"}, {&l.nameCol, p.Columns.Name, "name"},
		{&l.periodCol, p.Columns.Period, "period"}, {&l.typeCol, p.Columns.Type, "type"}, {&l.valueCol, p.Columns.Value, "value"},
		{&l.highCol, p.Columns.High, "high"}, {&l.noteCol, p.Columns.Note, "note"},
	} {
		if *f.dst, err = find(f.label, f.field); err != nil {
			return nil, err
		}
	}
	for header, code := range p.Values {
		col, err := find(header, "values")
		if err != nil {
			return nil, err
		}
		ind, ok := cat.indicator(code)
		if !ok {
			return nil, profileError(p.Name, fmt.Sprintf("values[%q]: mã chỉ tiêu %s không có trong danh mục", header, code),
				fmt.Sprintf("values[%q]: no indicator %s", header, code))
		}
		l.valueCols = append(l.valueCols, indicatorColumn{col, ind})
	}
	return l, nil
}

func (l *longTable) mapRow(r *Row, c *collector) {
	if l.ended || columnNumbers(r) {
		return
	}
	if len(l.valueCols) == 0 {
		if cell, ok := r.Get(l.valueCol); !ok || !hasValue(cell) {
			if first := firstText(r); first != "" && endOfTable(first) {
				l.ended = true
			}
			return
		}
	} else if !l.anyValue(r) {
		return
	}
	unit, ok := l.units.of(r, c)
	if !ok {
		return
	}
	pcell, ok := r.Get(l.periodCol)
	if !ok || pcell.Blank() {
		if first := firstText(r); first != "" && endOfTable(first) {
			l.ended = true
			return
		}
		c.reject(l.periodCol, r.Num, "", "thiếu kỳ báo cáo (năm) của dòng có số liệu", "the row has values but no period (year)")
		return
	}
	var note string
	if l.noteCol > 0 {
		if cell, ok := r.Get(l.noteCol); ok {
			note = cellText(cell)
		}
	}
	if len(l.valueCols) > 0 {
		for _, vc := range l.valueCols {
			cell, ok := r.Get(vc.col)
			if !ok || !hasValue(cell) {
				continue
			}
			if !l.emit(r, c, vc.ind, unit, pcell, l.defType, cell, note) {
				return // the period is wrong: one rejection for the row is enough
			}
		}
		return
	}
	ind, ok := l.indicatorOf(r, c)
	if !ok {
		return
	}
	typ := l.defType
	if l.typeCol > 0 {
		tcell, has := r.Get(l.typeCol)
		if !has || tcell.Blank() {
			c.reject(l.typeCol, r.Num, "", "thiếu loại số liệu (Thực hiện, Ước thực hiện, Kế hoạch)",
				"the value type is missing (Thực hiện, Ước thực hiện, Kế hoạch; official, estimate, plan)")
			return
		}
		t := cellText(tcell)
		var known bool
		if typ, known = l.typeMemo[t]; !known {
			if typ, known = valueTypeOf(t, l.extra); !known {
				if err := indicators.ValueType(t).Validate(); err == nil {
					typ, known = indicators.ValueType(t), true
				}
			}
			if !known {
				c.reject(l.typeCol, r.Num, t, "loại số liệu không rõ (Thực hiện, Ước thực hiện, Kế hoạch; official, estimate, plan)",
					"unknown value type (Thực hiện, Ước thực hiện, Kế hoạch; official, estimate, plan)")
				return
			}
			l.typeMemo[t] = typ
		}
	}
	vcell, _ := r.Get(l.valueCol)
	l.emit(r, c, ind, unit, pcell, typ, vcell, note)
}

func (l *longTable) anyValue(r *Row) bool {
	for _, vc := range l.valueCols {
		if cell, ok := r.Get(vc.col); ok && hasValue(cell) {
			return true
		}
	}
	return false
}

// emit reads the period and the value of one cell and hands them on. It
// returns false when the period cannot be read.
func (l *longTable) emit(r *Row, c *collector, ind, unit int, pcell Cell, typ indicators.ValueType, vcell Cell, note string) bool {
	if pcell.Kind == CellNumber && !pcell.Date && pcell.Num == float64(int(pcell.Num)) &&
		!l.years.keeps(indicators.YearPeriod(int(pcell.Num))) {
		return true // a year the profile leaves out, even one before 1900
	}
	freq := c.cat.indicators[ind].Frequency
	var p indicators.Period
	key := pcell.Text
	cached := false
	if pcell.Kind == CellText || (pcell.Kind == CellNumber && !pcell.Date) {
		p, cached = l.periodMemo[key]
	}
	if !cached {
		var err error
		if p, err = periodOf(pcell, freq, c.date1904); err != nil {
			c.rejectErr(pcell.Col, r.Num, cellText(pcell), err)
			return false
		}
		if pcell.Kind == CellText || (pcell.Kind == CellNumber && !pcell.Date) {
			if len(l.periodMemo) < 10000 {
				l.periodMemo[key] = p
			}
		}
	}
	if !l.years.keeps(p) {
		return true
	}
	v, high, ok := c.number(vcell, r.Num, typ)
	if !ok {
		return true
	}
	if l.highCol > 0 && high == nil {
		if hcell, has := r.Get(l.highCol); has && hasValue(hcell) {
			h, _, ok := c.number(hcell, r.Num, typ)
			if !ok {
				return true
			}
			if typ != indicators.PlanValue || h < v {
				c.reject(hcell.Col, r.Num, cellText(hcell), "chỉ số liệu kế hoạch mới có cận trên, và cận trên không nhỏ hơn giá trị",
					"only a plan value has an upper bound, and it is not below the value")
				return true
			}
			high = &h
		}
	}
	c.emit(ind, unit, p, typ, v, high, note, vcell.Col, r.Num, cellText(vcell))
	return true
}

// indicatorOf resolves the row's indicator by code or by name.
func (l *longTable) indicatorOf(r *Row, c *collector) (int, bool) {
	col := l.codeCol
	if cell, ok := r.Get(l.codeCol); l.codeCol == 0 || !ok || cell.Blank() {
		col = l.nameCol
	}
	cell, ok := r.Get(col)
	if col == 0 || !ok || cell.Blank() {
		c.reject(max(l.codeCol, l.nameCol), r.Num, "", "thiếu mã hoặc tên chỉ tiêu của dòng có số liệu",
			"the row has values but no indicator code or name")
		return 0, false
	}
	t := cellText(cell)
	if i, ok := l.indMemo[t]; ok && i >= 0 {
		return i, true
	}
	i, ok := -1, false
	if col == l.codeCol {
		i, ok = c.cat.indicator(t)
		if !ok {
			c.reject(col, r.Num, t, fmt.Sprintf("mã chỉ tiêu “%s” không có trong danh mục", t),
				fmt.Sprintf("indicator code “%s” is not in the catalogue", t))
			return 0, false
		}
	} else {
		if code, has := l.names[MatchKey(t)]; has {
			i, ok = c.cat.indicator(code)
		} else {
			i, ok = c.cat.indicatorByName(t)
		}
		if !ok {
			c.unknownName(col, r.Num, t)
			return 0, false
		}
	}
	if len(l.indMemo) < 10000 {
		l.indMemo[t] = i
	}
	return i, true
}
