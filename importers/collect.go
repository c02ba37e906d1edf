package importers

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"chitieu/indicators"
)

// CellError is a rejected cell: where, what it held, and why, in
// Vietnamese and, where the reason has been put into English, in English.
type CellError struct {
	Sheet    string `json:"sheet"`
	Cell     string `json:"cell"`
	Text     string `json:"text"`
	Reason   string `json:"reason"`
	ReasonEN string `json:"reason_en,omitempty"`
}

// ReasonIn is the reason in lang ("en", or Vietnamese for anything else).
func (e CellError) ReasonIn(lang string) string {
	if lang == "en" && e.ReasonEN != "" {
		return e.ReasonEN
	}
	return e.Reason
}

// reasons are the Vietnamese and English messages of err: a domain
// error's own, or its text in both for any other.
func reasons(err error) (vi, en string) {
	var de *indicators.Error
	if errors.As(err, &de) {
		vi, en = de.Message, de.English
		if en == "" {
			en = vi
		}
		return vi, en
	}
	return err.Error(), err.Error()
}

// String is the refused cell as the command line prints it, in
// Vietnamese.
func (e CellError) String() string { return e.In("vi") }

// In is the refused cell as the command line prints it, in lang.
func (e CellError) In(lang string) string {
	where := e.Sheet
	if e.Cell != "" {
		where += "!" + e.Cell
	}
	if e.Text != "" {
		return fmt.Sprintf("%s: %q — %s", where, e.Text, e.ReasonIn(lang))
	}
	return where + ": " + e.ReasonIn(lang)
}

// Unmatched is an indicator name the catalogue does not hold as written,
// with the indicators it may mean; a profile's "indicators" confirms one.
type Unmatched struct {
	Name        string       `json:"name"`
	Cell        string       `json:"cell"`
	Suggestions []Suggestion `json:"suggestions"`
}

// collector checks each value a table yields — the indicator and unit
// exist, the unit existed in the period, the actor may write it, no other
// cell gave the same key — and gathers readings and rejected cells.
type collector struct {
	cat      *catalogue
	actor    indicators.Actor
	sheet    string
	locale   indicators.Locale
	date1904 bool
	listMax  int

	readings []indicators.Reading // the chunk being filled
	seen     *seenKeys            // key → cell, to find two cells with one key
	mayWrite map[uint32]bool      // indicator × unit → allowed
	// locks are the approved periods past their cut-off, refused at the
	// cell (the store refuses them at the commit as well).
	locks indicators.Locks

	errors   []CellError // the first listMax
	rejected int
	// refused is set at the first rejected cell, for the commit, which
	// runs beside the collector, to stop writing a batch that will be
	// refused.
	refused       atomic.Bool
	warnings      []Notice
	unmatched     []Unmatched
	unmatchedSeen map[string]bool
	matched       []Matched
	matchedSeen   map[string]bool
	values        int // readings emitted
	unit          int // the unit of the readings, while they have one (units == 1)
	units         int // distinct units of the readings, counted up to 2
}

func newCollector(cat *catalogue, actor indicators.Actor, sheet string, loc indicators.Locale, date1904 bool, listMax int) *collector {
	return &collector{cat: cat, actor: actor, sheet: sheet, locale: loc, date1904: date1904, listMax: listMax,
		seen: newSeenKeys(), mayWrite: map[uint32]bool{}, unmatchedSeen: map[string]bool{}}
}

// soleUnit is the code of the one unit every reading went to; "" when
// they went to several, or there are none.
func (c *collector) soleUnit() string {
	if c.units != 1 {
		return ""
	}
	return c.cat.units[c.unit].Code
}

// reject records a refused cell.
func (c *collector) reject(col, row int, text, vi, en string) {
	c.rejected++
	c.refused.Store(true)
	if len(c.errors) < c.listMax {
		c.errors = append(c.errors, CellError{Sheet: c.sheet, Cell: CellName(col, row), Text: text, Reason: vi, ReasonEN: en})
	}
}

// rejectErr refuses a cell for err, in both languages.
func (c *collector) rejectErr(col, row int, text string, err error) {
	vi, en := reasons(err)
	c.reject(col, row, text, vi, en)
}

// Notice is a note of a preview that refuses nothing — a row skipped, a
// unit of measure unlike the catalogue's, a check left undone — in
// Vietnamese and English, as a rejected cell's reason is. The web preview
// shows it in the page's language, the API in the language asked for
// (?lang=), the command line in the operator's (CHITIEU_LANG).
type Notice struct {
	VI string `json:"vi"`
	EN string `json:"en"`
}

// In returns the notice in lang ("en", else Vietnamese).
func (n Notice) In(lang string) string {
	if lang == "en" && n.EN != "" {
		return n.EN
	}
	return n.VI
}

// String is the notice in Vietnamese, the interface's first language.
func (n Notice) String() string { return n.VI }

// noticef makes a Notice of two formats that take the same arguments.
func noticef(vi, en string, args ...any) Notice {
	return Notice{VI: fmt.Sprintf(vi, args...), EN: fmt.Sprintf(en, args...)}
}

// pickName is an English name, or the Vietnamese one when there is none.
func pickName(en, vi string) string {
	if en != "" {
		return en
	}
	return vi
}

// warn adds a notice to the preview, up to the first hundred.
func (c *collector) warn(vi, en string) {
	if len(c.warnings) < 100 {
		c.warnings = append(c.warnings, Notice{VI: vi, EN: en})
	}
}

// unknownName records an indicator name the catalogue does not hold.
func (c *collector) unknownName(col, row int, name string) {
	sugg := suggest(name, c.cat.names)
	vi, en := "không nhận ra chỉ tiêu trong danh mục", "no indicator of the catalogue has this name"
	if len(sugg) > 0 {
		var parts []string
		for _, s := range sugg {
			parts = append(parts, s.Code+" “"+s.Name+"”")
		}
		vi += "; có thể là: " + strings.Join(parts, ", ") + " — hãy xác nhận trong hồ sơ ánh xạ (indicators)"
		en += "; it may be: " + strings.Join(parts, ", ") + " — confirm one in the mapping profile (indicators)"
	} else {
		vi += " — hãy ghi mã chỉ tiêu cho tên này trong hồ sơ ánh xạ (indicators)"
		en += " — give its indicator code in the mapping profile (indicators)"
	}
	c.reject(col, row, name, vi, en)
	if k := MatchKey(name); !c.unmatchedSeen[k] && len(c.unmatched) < 1000 {
		c.unmatchedSeen[k] = true
		c.unmatched = append(c.unmatched, Unmatched{Name: name, Cell: CellName(col, row), Suggestions: sugg})
	}
}

var typeVI = map[indicators.ValueType]string{
	indicators.OfficialValue: "thực hiện", indicators.EstimateValue: "ước thực hiện", indicators.PlanValue: "kế hoạch",
	indicators.SamePeriodValue: "so cùng kỳ (%)",
}

var typeEN = map[indicators.ValueType]string{
	indicators.OfficialValue: "official", indicators.EstimateValue: "estimate", indicators.PlanValue: "plan",
	indicators.SamePeriodValue: "same period last year (%)",
}

// emit checks one value and adds it as a reading, or rejects its cell.
func (c *collector) emit(ind, unit int, p indicators.Period, t indicators.ValueType, v float64, high *float64, note string,
	col, row int, text string) {
	in, u := &c.cat.indicators[ind], &c.cat.units[unit]
	pair := uint32(ind)<<16 | uint32(unit)
	ok, known := c.mayWrite[pair]
	if !known {
		ok = c.actor.MayWrite(u.Code, in.Group)
		c.mayWrite[pair] = ok
	}
	if !ok {
		c.reject(col, row, text, fmt.Sprintf("ngoài phạm vi được giao: %s không được nhập số liệu của đơn vị %s cho chỉ tiêu %s (nhóm nhiệm vụ %d)",
			c.actor.User, u.Code, in.Code, in.Group),
			fmt.Sprintf("outside the assigned scope: %s may not enter values of unit %s for indicator %s (task group %d)",
				c.actor.User, u.Code, in.Code, in.Group))
		return
	}
	if err := unitCovers(u, p); err != nil {
		c.rejectErr(col, row, text, err)
		return
	}
	if len(c.locks) > 0 {
		k := indicators.Key{Indicator: in.Code, Unit: u.Code, Period: p, Type: t}
		if s, ok := c.locks.Locked(k); ok {
			c.rejectErr(col, row, text, indicators.LockedError(s, k, "", ""))
			return
		}
	}
	if firstCol, firstRow, dup := c.seen.add(ind, unit, p, t, col, row); dup {
		first := CellName(firstCol, firstRow)
		c.reject(col, row, text, fmt.Sprintf("trùng với ô %s!%s: cả hai ô cho cùng chỉ tiêu %s, đơn vị %s, kỳ %s, loại %s; mỗi số liệu chỉ được có ở một ô",
			c.sheet, first, in.Code, u.Code, p, typeVI[t]),
			fmt.Sprintf("same as cell %s!%s: both cells give indicator %s, unit %s, period %s, type %s; each value may be in one cell only",
				c.sheet, first, in.Code, u.Code, p, typeEN[t]))
		return
	}
	switch {
	case c.units == 0:
		c.unit, c.units = unit, 1
	case c.units == 1 && unit != c.unit:
		c.units = 2
	}
	c.readings = append(c.readings, indicators.Reading{
		Key:   indicators.Key{Indicator: in.Code, Unit: u.Code, Period: p, Type: t},
		Value: v, High: high, Note: note, Sheet: c.sheet, Cell: CellName(col, row)})
	c.values++
}

// number reads a value cell: ok is false when it holds no value, and a cell
// that is not a number is rejected. Plan values may be a range ("7,5–8").
func (c *collector) number(cell Cell, row int, t indicators.ValueType) (v float64, high *float64, ok bool) {
	switch cell.Kind {
	case CellNumber:
		if cell.Date {
			c.reject(cell.Col, row, cell.Text, "ô là ngày tháng, không phải số liệu", "the cell is a date, not a value")
			return 0, nil, false
		}
		v = cell.Num
		if cell.Percent {
			v *= 100 // shown as 12,5%: stored in percent points
		}
		return v, nil, true
	case CellText:
		if t == indicators.PlanValue {
			lo, hi, isRange, err := indicators.ParseRange(cell.Text, c.locale)
			if err != nil {
				c.rejectErr(cell.Col, row, cell.Text, err)
				return 0, nil, false
			}
			if isRange {
				return lo, &hi, true
			}
		}
		x, present, err := indicators.ParseNumber(cell.Text, c.locale)
		if err != nil {
			c.rejectErr(cell.Col, row, cell.Text, err)
			return 0, nil, false
		}
		return x, nil, present
	case CellBool:
		c.reject(cell.Col, row, cell.Text, "ô là giá trị đúng/sai, không phải số", "the cell is true/false, not a number")
	case CellErrorValue:
		c.reject(cell.Col, row, cell.Text, "ô chứa lỗi của công thức ("+cell.Text+")", "the cell holds a formula error ("+cell.Text+")")
	case CellNoCache:
		c.reject(cell.Col, row, "", "ô có công thức nhưng chưa có kết quả tính sẵn; hãy mở tệp trong Excel, lưu lại rồi tải lên",
			"the cell has a formula with no saved result; open the file in Excel, save it and upload it again")
	}
	return 0, nil, false
}

// hasValue reports whether a cell holds something other than "no value".
func hasValue(cell Cell) bool {
	if cell.Kind == CellText {
		return !indicators.NoValue(cell.Text)
	}
	return true
}

// take hands over the readings gathered so far.
func (c *collector) take() []indicators.Reading {
	out := c.readings
	c.readings = make([]indicators.Reading, 0, cap(out))
	return out
}
