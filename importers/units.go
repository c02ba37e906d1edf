package importers

import (
	"fmt"
	"strings"

	"chitieu/indicators"
)

// unitColumn finds the unit (đơn vị) of each row: from a column naming it,
// through the profile's units and then the catalogue, or the one unit the
// whole sheet speaks for.
type unitColumn struct {
	col       int
	units     map[string]string // the profile's, by match key
	skipOther bool
	sheet     int // the sheet's unit; -1 when none
	memo      map[string]int
	skipped   int // rows of units skipped (other_units: skip)
}

func newUnitColumn(p *Profile, h Header, sheetUnit int) (*unitColumn, error) {
	u := &unitColumn{units: keyed(p.Units), skipOther: p.OtherUnits == "skip", sheet: sheetUnit, memo: map[string]int{}}
	if p.Columns.Unit != "" {
		c, ok := h.find(p.Columns.Unit)
		if !ok {
			return nil, profileError(p.Name, fmt.Sprintf("không thấy cột “%s” (columns.unit) trong tiêu đề %s", p.Columns.Unit, headerRowsText(h.Rows)),
				fmt.Sprintf("no column %q (columns.unit) in the header", p.Columns.Unit))
		}
		u.col = c.Col
	}
	if u.col == 0 && sheetUnit < 0 {
		return nil, indicators.FieldError(indicators.EINVALID, "unit",
			"bảng không có cột đơn vị: hãy chỉ rõ đơn vị mà bảng báo cáo (tham số --unit, hoặc unit trong hồ sơ ánh xạ), ví dụ CT-CU cho TP Cần Thơ trước hợp nhất",
			"the table has no unit column: name the unit it reports for")
	}
	return u, nil
}

// of returns the row's unit; ok is false when the row is rejected or
// skipped for it.
func (u *unitColumn) of(r *Row, c *collector) (int, bool) {
	if u.col == 0 {
		return u.sheet, true
	}
	cell, ok := r.Get(u.col)
	if !ok || cell.Blank() {
		if u.sheet >= 0 {
			return u.sheet, true
		}
		c.reject(u.col, r.Num, "", "thiếu đơn vị của dòng", "the row has no unit")
		return 0, false
	}
	t := cellText(cell)
	i, known := u.memo[t]
	if !known {
		i = -1
		if code, ok := u.units[MatchKey(t)]; ok {
			if j, ok := c.cat.unit(code); ok {
				i = j
			}
		} else if j, ok := c.cat.unit(t); ok {
			i = j
		}
		if len(u.memo) < 10000 {
			u.memo[t] = i
		}
	}
	if i >= 0 {
		return i, true
	}
	if u.skipOther {
		u.skipped++
		return 0, false
	}
	if same := c.cat.unitByName[UnitKey(t)]; len(same) > 1 {
		codes := make([]string, len(same))
		for k, j := range same {
			codes[k] = c.cat.units[j].Code
		}
		c.reject(u.col, r.Num, t, fmt.Sprintf("có %d đơn vị cùng tên “%s” (mã %s): hãy ghi mã đơn vị", len(same), t, strings.Join(codes, ", ")),
			fmt.Sprintf("%d units are named “%s” (codes %s): give the unit's code", len(same), t, strings.Join(codes, ", ")))
		return 0, false
	}
	c.reject(u.col, r.Num, t, fmt.Sprintf("đơn vị “%s” không có trong danh mục (ghi mã đơn vị như CT, CT-CU, 916, hoặc ánh xạ trong hồ sơ: units)", t),
		fmt.Sprintf("unit “%s” is not in the catalogue (give a unit code such as CT, CT-CU, 916, or map it in the profile: units)", t))
	return 0, false
}
