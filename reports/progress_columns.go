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
	stt  int  // 0 on a target's second line
	plan bool // the line of the year's plans (KH) in the annex
}

// value is the cell of col for row r, with the column's number format.
func (col progressColumn) value(r tableRow) cell {
	c := col.cell(r)
	if col.format != nil && c.style.numFmt == "" {
		c.style.numFmt = col.format(r)
	}
	return c
}

// decimals is a number format of a row's indicator's decimals, with the
// suffix a function gives (nil for none).
func (p *progress) decimals(suffix func(r tableRow) string) func(r tableRow) string {
	return func(r tableRow) string {
		s := ""
		if suffix != nil {
			s = suffix(r)
		}
		return numFmt(p.lang, r.tp.Indicator.Decimals, s)
	}
}

// leadColumns name a target: STT, indicator, unit.
func (p *progress) leadColumns(name float64) []progressColumn {
	l := p.lang
	return []progressColumn{
		{key: colKeySTT, head: l.pick("STT", "No."), width: 4,
			cell: func(r tableRow) cell {
				if r.stt == 0 {
					return empty(centerStyle)
				}
				return number(float64(r.stt), centerStyle)
			}},
		{key: colKeyName, head: l.pick("Chỉ tiêu", "Indicator"), width: name,
			cell: func(r tableRow) cell {
				if r.plan {
					return empty(cellStyle)
				}
				ind := r.tp.Indicator
				return text(pickName(l, ind.NameVI, ind.NameEN)+" ("+ind.Code+", "+r.planCode+")", cellStyle)
			}},
		{head: l.pick("ĐVT", "Unit"), width: 6,
			cell: func(r tableRow) cell {
				return text(pickName(l, r.tp.Indicator.Unit, r.tp.Indicator.UnitEN), centerStyle)
			}},
	}
}

// tableColumns is the main progress table, which prints on A4 landscape
// at 8 pt or more: who, the target, the baseline, where it stands and how
// it is judged. The yearly values are in the annex (annexColumns).
func (p *progress) tableColumns() []progressColumn {
	l := p.lang
	cols := p.leadColumns(22)
	y := p.year()
	return append(cols,
		progressColumn{head: l.pick("Mục tiêu (theo văn bản)", "Target (as written)"), width: 14,
			cell: func(r tableRow) cell { return text(targetText(l, r.tp.Target, r.tp.Indicator.Decimals), cellStyle) }},
		progressColumn{head: fmt.Sprintf(l.pick("Năm cơ sở (%d)", "Baseline (%d)"), p.period.BaseYear()), width: 9,
			format: p.decimals(p.baseSuffix), cell: p.baseCell},
		progressColumn{head: fmt.Sprintf(l.pick("Kế hoạch năm %d", "Plan for %d"), y), width: 9,
			format: p.decimals(nil), cell: func(r tableRow) cell { return p.planCell(r, y) }},
		progressColumn{head: fmt.Sprintf(l.pick("Thực hiện năm %d (* ước)", "Result for %d (* estimate)"), y), width: 9,
			format: p.decimals(nil), cell: p.yearCell(y)},
		progressColumn{head: fmt.Sprintf(l.pick("So với KH năm %d", "Against the plan for %d"), y), width: 8,
			cell: func(r tableRow) cell { return text(p.yearVerdict(r.targetRow, y), centerStyle) }},
		progressColumn{head: l.pick("Ước TH / mới nhất", "Latest (estimate or official)"), width: 11,
			format: p.decimals(func(r tableRow) string { return p.soFarSuffix(r.tp.Target.Kind, r.tp.Progress) }),
			cell:   func(r tableRow) cell { return numberPtr(round6(r.tp.Progress.SoFar), style{border: true, wrap: true}) }},
		progressColumn{head: l.pick("Tỷ lệ đạt (%)", "Achieved (%)"), width: 7,
			format: func(tableRow) string { return numFmt(l, 1, "") },
			cell:   func(r tableRow) cell { return numberPtr(r.achievement, style{border: true}) }},
		progressColumn{head: fmt.Sprintf(l.pick("Trạng thái đến năm %d", "Status by %d"), p.period.To), width: 10,
			cell: func(r tableRow) cell {
				st := r.tp.Progress.Status
				return text(st.Label(string(l)), style{border: true, wrap: true, align: "center", fill: statusFill[st]})
			}},
		progressColumn{head: l.pick("Tốc độ / mức cần đạt mỗi năm còn lại", "Pace required per remaining year"), width: 12,
			format: func(r tableRow) string { return numFmt(l, 2, p.requiredSuffix(r.tp.Target.Kind, r.dir)) },
			cell: func(r tableRow) cell {
				return numberPtr(round6(r.tp.Progress.Required), style{border: true, wrap: true})
			}},
		progressColumn{key: colKeyExplain, head: l.pick("Đánh giá, giải trình", "Assessment, explanation"), width: 29,
			cell: func(r tableRow) cell {
				return text(p.explainText(r.tp.Target.ID, pickName(l, r.tp.Progress.ExplanationVI, r.tp.Progress.ExplanationEN)), cellStyle)
			}},
	)
}

// annexColumns is the annex of yearly values: two lines a target, the
// results and then the year's plans (KH), and where the figures come from.
func (p *progress) annexColumns() []progressColumn {
	l := p.lang
	cols := p.leadColumns(26)
	cols = append(cols,
		progressColumn{head: l.pick("Số liệu", "Figures"), width: 9,
			cell: func(r tableRow) cell {
				if r.plan {
					return text(l.pick("Kế hoạch (KH)", "Plan"), centerStyle)
				}
				return text(l.pick("Thực hiện (TH)", "Result"), centerStyle)
			}},
		progressColumn{head: fmt.Sprintf(l.pick("Năm cơ sở (%d)", "Baseline (%d)"), p.period.BaseYear()), width: 9,
			format: p.decimals(p.baseSuffix), cell: func(r tableRow) cell {
				if r.plan {
					return empty(style{border: true})
				}
				return p.baseCell(r)
			}},
	)
	for y := p.period.From; y <= p.period.To; y++ {
		cols = append(cols, progressColumn{group: l.pick("Các năm (* ước thực hiện)", "Years (* estimate)"),
			head: fmt.Sprint(y), width: 9, format: p.decimals(nil), cell: p.yearCell(y)})
	}
	return append(cols, progressColumn{head: l.pick("Nguồn", "Source"), width: 30,
		cell: func(r tableRow) cell {
			if r.plan {
				return empty(cellStyle)
			}
			return text(p.sources(r.targetRow), cellStyle)
		}})
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
	if r.plan {
		return empty(style{border: true})
	}
	if v, ok := r.actual[r.baseYear]; ok {
		return number(v.Value, style{border: true})
	}
	return empty(style{border: true})
}

// yearCell is the result of year y: an estimate in italics, marked with an
// asterisk by its number format.
func (p *progress) yearCell(y int) func(r tableRow) cell {
	return func(r tableRow) cell {
		if r.plan {
			return p.planCell(r, y)
		}
		v, ok := r.actual[y]
		if !ok {
			return empty(style{border: true})
		}
		// * marks an estimate, † a figure not yet approved by the head
		// of its unit, once the office runs the approval cycle (see the
		// rules sheet).
		mark := ""
		if v.Type == indicators.EstimateValue {
			mark = "*"
		}
		if p.approvals.InUse() && !p.approvals.ApprovedUsed(r.tp.Indicator.Code, v) {
			mark += notApprovedMark
		}
		if mark != "" {
			return number(v.Value, style{border: true, italic: v.Type == indicators.EstimateValue,
				numFmt: numFmt(p.lang, r.tp.Indicator.Decimals, mark)})
		}
		return number(v.Value, style{border: true})
	}
}

// planCell is the plan (KH) of year y: a number, or a range as text.
func (p *progress) planCell(r tableRow, y int) cell {
	v, ok := r.planned[y]
	switch {
	case !ok:
		return empty(style{border: true})
	case v.PlanHigh != nil:
		dec := r.tp.Indicator.Decimals
		return text(p.lang.number(v.Plan, dec)+"–"+p.lang.number(*v.PlanHigh, dec), style{border: true, align: "right"})
	}
	return number(v.Plan, style{border: true})
}

// hasPlans reports whether a row has a plan value in the period.
func (p *progress) hasPlans(r targetRow) bool {
	for y := range r.planned {
		if p.period.Contains(y) {
			return true
		}
	}
	return false
}

// year is the year the main table reports on beside the period: the one
// asked for, else the year of the report's moment, within the period.
func (p *progress) year() int {
	if p.form.Year != 0 {
		return p.form.Year
	}
	y := p.asOf.In(indicators.Vietnam).Year()
	return min(max(y, p.period.From), p.period.To)
}

// yearVerdict is the result of year y against its plan: vượt, đạt or
// không đạt, as the engine judged it; "" without both figures.
func (p *progress) yearVerdict(r targetRow, y int) string {
	v, ok := r.planned[y]
	if !ok || v.Verdict == "" {
		return ""
	}
	return v.Verdict.Label(string(p.lang))
}
