package reports

import (
	"fmt"

	"chitieu/indicators"
)

// progressColumn is one column of a progress table: its heading, its
// width, the number format of its cells and the cell it holds for a
// target. A table is a list of these, as indicators.Sheet is for the plan
// workbook, so that a column's heading, width, format and content sit on
// one line and cannot drift apart.
type progressColumn struct {
	key string // names the column for the rows that are not targets (the roll-up of a group)
	// group is a heading over this column and the ones next to it with
	// the same group (the years); head is then the heading's second row.
	// Without a group, head spans both heading rows.
	group  string
	head   string
	width  float64
	format func(r tableRow) string // the number format of the cell; nil for text
	cell   func(r tableRow) cell   // the value and its look; format is set on it
}

// Keys of the columns other rows refer to.
const (
	colKeySTT     = "stt"
	colKeyName    = "name"
	colKeyExplain = "explain"
)

// tableRow is a target's row of a table, with its number in its group.
type tableRow struct {
	targetRow
	stt int
}

// value is the cell of col for row r, with the column's number format.
func (col progressColumn) value(r tableRow) cell {
	c := col.cell(r)
	if col.format != nil && c.style.numFmt == "" {
		c.style.numFmt = col.format(r)
	}
	return c
}

// tableColumns is the progress table: STT, indicator, unit, target,
// baseline, one column per year, then latest, achievement, verdict,
// status, pace, explanation, source.
func (p *progress) tableColumns() []progressColumn {
	l := p.lang
	decimals := func(suffix func(r tableRow) string) func(r tableRow) string {
		return func(r tableRow) string {
			s := ""
			if suffix != nil {
				s = suffix(r)
			}
			return numFmt(l, r.tp.Indicator.Decimals, s)
		}
	}
	cols := []progressColumn{
		{key: colKeySTT, head: l.pick("STT", "No."), width: 6,
			cell: func(r tableRow) cell { return number(float64(r.stt), centerStyle) }},
		{key: colKeyName, head: l.pick("Chỉ tiêu", "Indicator"), width: 38,
			cell: func(r tableRow) cell {
				ind := r.tp.Indicator
				return text(pickName(l, ind.NameVI, ind.NameEN)+" ("+ind.Code+", "+r.planCode+")", cellStyle)
			}},
		{head: l.pick("ĐVT", "Unit"), width: 11,
			cell: func(r tableRow) cell {
				return text(pickName(l, r.tp.Indicator.Unit, r.tp.Indicator.UnitEN), centerStyle)
			}},
		{head: l.pick("Mục tiêu (theo văn bản)", "Target (as written)"), width: 20,
			cell: func(r tableRow) cell { return text(targetText(l, r.tp.Target, r.tp.Indicator.Decimals), cellStyle) }},
		{head: fmt.Sprintf(l.pick("Năm cơ sở (%d)", "Baseline (%d)"), p.period.BaseYear()), width: 14,
			format: decimals(p.baseSuffix), cell: p.baseCell},
	}
	for y := p.period.From; y <= p.period.To; y++ {
		cols = append(cols, progressColumn{group: l.pick("Thực hiện các năm (* ước thực hiện)", "Yearly results (* estimate)"),
			head: fmt.Sprint(y), width: 10, format: decimals(nil), cell: p.yearCell(y)})
	}
	return append(cols,
		progressColumn{head: l.pick("Ước TH / mới nhất", "Latest (estimate or official)"), width: 16,
			format: decimals(func(r tableRow) string { return p.soFarSuffix(r.tp.Target.Kind, r.tp.Progress) }),
			cell:   func(r tableRow) cell { return numberPtr(round6(r.tp.Progress.SoFar), style{border: true}) }},
		progressColumn{head: l.pick("Tỷ lệ đạt (%)", "Achieved (%)"), width: 9,
			format: func(tableRow) string { return numFmt(l, 1, "") },
			cell:   func(r tableRow) cell { return numberPtr(r.achievement, style{border: true}) }},
		progressColumn{head: l.pick("Đánh giá so với KH năm", "Against the year's plan"), width: 13,
			cell: func(r tableRow) cell { return text(p.verdictText(r.targetRow), centerStyle) }},
		progressColumn{head: fmt.Sprintf(l.pick("Trạng thái đến năm %d", "Status by %d"), p.period.To), width: 15,
			cell: func(r tableRow) cell {
				st := r.tp.Progress.Status
				return text(st.Label(string(l)), style{border: true, wrap: true, align: "center", fill: statusFill[st]})
			}},
		progressColumn{head: l.pick("Tốc độ / mức cần đạt mỗi năm còn lại", "Pace required per remaining year"), width: 13,
			format: func(r tableRow) string { return numFmt(l, 2, p.requiredSuffix(r.tp.Target.Kind, r.dir)) },
			cell:   func(r tableRow) cell { return numberPtr(round6(r.tp.Progress.Required), style{border: true}) }},
		progressColumn{key: colKeyExplain, head: l.pick("Giải thích", "Explanation"), width: 55,
			cell: func(r tableRow) cell {
				return text(pickName(l, r.tp.Progress.ExplanationVI, r.tp.Progress.ExplanationEN), cellStyle)
			}},
		progressColumn{head: l.pick("Nguồn", "Source"), width: 30,
			cell: func(r tableRow) cell { return text(p.sources(r.targetRow), cellStyle) }},
	)
}

// baseSuffix marks a baseline of another year than the period's base year
// with that year, and an estimate with an asterisk.
func (p *progress) baseSuffix(r tableRow) string {
	v, ok := r.actual[r.baseYear]
	if !ok {
		return ""
	}
	suffix := ""
	if r.baseYear != p.period.BaseYear() {
		suffix = fmt.Sprintf(" (%d)", r.baseYear)
	}
	if v.Type == indicators.EstimateValue {
		suffix += "*"
	}
	return suffix
}

func (p *progress) baseCell(r tableRow) cell {
	if v, ok := r.actual[r.baseYear]; ok {
		return number(v.Value, style{border: true})
	}
	return empty(style{border: true})
}

// yearCell is the result of year y: an estimate in italics, marked with an
// asterisk by its number format.
func (p *progress) yearCell(y int) func(r tableRow) cell {
	return func(r tableRow) cell {
		v, ok := r.actual[y]
		switch {
		case !ok:
			return empty(style{border: true})
		case v.Type == indicators.EstimateValue:
			return number(v.Value, style{border: true, italic: true, numFmt: numFmt(p.lang, r.tp.Indicator.Decimals, "*")})
		}
		return number(v.Value, style{border: true})
	}
}
