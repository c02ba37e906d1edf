package importers

import (
	"fmt"
	"strconv"
	"strings"

	"chitieu/indicators"
)

// targetRows are the rows of one target, in the workbook's order.
type targetRows struct {
	key  indicators.TargetKey
	rows []BookRow
}

func (d *differ) targets(rows []BookRow) {
	stored := map[indicators.TargetKey]indicators.Target{}
	for _, t := range d.cur.Targets {
		stored[t.Key()] = t
	}
	var order []*targetRows
	byKey := map[indicators.TargetKey]*targetRows{}
	for _, row := range rows {
		k, ok := d.targetKey(row)
		if !ok {
			continue
		}
		tr := byKey[k]
		if tr == nil {
			tr = &targetRows{key: k}
			byKey[k] = tr
			order = append(order, tr)
		}
		tr.rows = append(tr.rows, row)
	}
	for _, tr := range order {
		st, exists := stored[tr.key]
		d.target(tr, st, exists)
	}
}

// targetKey reads and checks the identity of a target row.
func (d *differ) targetKey(row BookRow) (indicators.TargetKey, bool) {
	rec := row.Record
	k := indicators.TargetKey{Plan: rec["plan"], Indicator: rec["indicator"], Scope: indicators.Scope(rec["scope"]),
		Unit: strings.TrimSpace(rec["unit"])}
	if _, ok := d.unit[k.Unit]; k.Unit != "" && !ok {
		d.reject(row, "unit", fmt.Sprintf("không có đơn vị mã %q (xem trang %s)", k.Unit, indicators.UnitsSheet.Name),
			fmt.Sprintf("there is no unit %q (see sheet %s)", k.Unit, indicators.UnitsSheet.Name))
		return k, false
	}
	if _, ok := d.plan[k.Plan]; !ok {
		d.reject(row, "plan", fmt.Sprintf("không có kế hoạch mã %q", k.Plan), fmt.Sprintf("there is no plan %q", k.Plan))
		return k, false
	}
	if _, ok := d.ind[k.Indicator]; !ok {
		d.reject(row, "indicator", fmt.Sprintf("không có chỉ tiêu mã %q (xem trang %s)", k.Indicator, indicators.IndicatorsSheet.Name),
			fmt.Sprintf("there is no indicator %q (see sheet %s)", k.Indicator, indicators.IndicatorsSheet.Name))
		return k, false
	}
	period, err := indicators.ParseYearRange("period", rec["period"])
	if err != nil {
		d.rejectErr(row, err)
		return k, false
	}
	k.Period = period
	if err := k.Scope.Validate(); err != nil {
		d.rejectErr(row, err)
		return k, false
	}
	return k, true
}

// target compares the rows of one target with the stored target: rows of
// stored revisions must match them, new rows become the target (when it
// is new) and its revisions, and a change of task group or task files it
// anew.
func (d *differ) target(tr *targetRows, st indicators.Target, exists bool) {
	last := -1
	if exists {
		last = st.Revisions[len(st.Revisions)-1].Seq
	}
	// The filing (task group, task) is the target's, repeated on each row.
	group, task, filed := st.Group, st.Task, BookRow{}
	for i, row := range tr.rows {
		g, hasG := row.Record["group"]
		t, hasT := row.Record["task"]
		if i == 0 {
			filed = row
			if hasG {
				group = atoi(g)
			}
			if hasT {
				task = t
			}
			continue
		}
		if hasG && atoi(g) != group || hasT && t != task {
			d.reject(row, "group", fmt.Sprintf("nhóm nhiệm vụ, mã nhiệm vụ khác với dòng %d của cùng mục tiêu", tr.rows[0].Num),
				fmt.Sprintf("the task group or task differs from row %d of the same target", tr.rows[0].Num))
			return
		}
	}
	if !d.groupKnown(tr.key.Plan, group) {
		d.reject(filed, "group", fmt.Sprintf("kế hoạch %s không có nhóm nhiệm vụ số %d", tr.key.Plan, group),
			fmt.Sprintf("plan %s has no task group %d", tr.key.Plan, group))
		return
	}
	if task != "" && !d.task[task] {
		d.reject(filed, "task", fmt.Sprintf("không có nhiệm vụ mã %q (xem trang %s)", task, indicators.TasksSheet.Name),
			fmt.Sprintf("there is no task %q (see sheet %s)", task, indicators.TasksSheet.Name))
		return
	}
	key := tr.key.String()
	var revs []indicators.TargetRevision
	var revRows []BookRow
	for _, row := range tr.rows {
		seqText := row.Record["seq"]
		if seqText != "" && atoi(seqText) <= last {
			d.storedRevision(row, st, atoi(seqText))
			continue
		}
		next := last + 1 + len(revs)
		if seqText != "" && atoi(seqText) != next {
			d.reject(row, "seq", fmt.Sprintf("lần điều chỉnh tiếp theo của mục tiêu này là %d (hoặc để trống)", next),
				fmt.Sprintf("the next revision of this target is %d (or leave it empty)", next))
			continue
		}
		r, ok := d.revision(row, tr.key, next)
		if !ok {
			continue
		}
		revs = append(revs, r)
		revRows = append(revRows, row)
	}
	identity := indicators.Target{Plan: tr.key.Plan, Indicator: tr.key.Indicator, Period: tr.key.Period, Scope: tr.key.Scope,
		Unit: tr.key.Unit, Group: group, Task: task}
	if exists && (group != st.Group || task != st.Task) {
		t := identity
		t.ID, t.TargetRevision = st.ID, st.TargetRevision
		if err := t.Validate(); err != nil {
			d.rejectErr(filed, err)
			return
		}
		before := map[string]string{"group": strconv.Itoa(st.Group), "task": st.Task}
		after := map[string]string{"group": strconv.Itoa(group), "task": task}
		d.emit(filed, indicators.Update, indicators.ObjTarget, key, fieldChanges(indicators.TargetsSheet, before, after),
			func(c *indicators.CatalogChange) { c.Target = &t })
	}
	for i, r := range revs {
		t := identity
		t.TargetRevision = r
		if err := t.Validate(); err != nil {
			d.rejectErr(revRows[i], err)
			return
		}
		action := indicators.Revise
		if !exists && i == 0 {
			action = indicators.Create
		}
		// The preview shows the reading beside the text.
		var fields []indicators.FieldChange
		if r.Text != "" {
			fields = []indicators.FieldChange{{Field: indicators.TargetsSheet.Columns[colIndex("text")].Header, After: r.Text},
				{Field: indicators.TargetsSheet.Columns[colIndex("reading")].Header, After: indicators.TargetReading(r.Text)}}
		}
		d.emit(revRows[i], action, indicators.ObjTarget, fmt.Sprintf("%s#%d", key, r.Seq), fields,
			func(c *indicators.CatalogChange) { c.Target = &t })
	}
}

// colIndex is the index of the targets sheet's column key.
func colIndex(key string) int {
	for i, c := range indicators.TargetsSheet.Columns {
		if c.Key == key {
			return i
		}
	}
	panic("importers: no column " + key)
}

// storedRevision checks that the row of a stored revision is unchanged:
// revisions are never edited in place.
func (d *differ) storedRevision(row BookRow, st indicators.Target, seq int) {
	var rev *indicators.TargetRevision
	for i := range st.Revisions {
		if st.Revisions[i].Seq == seq {
			rev = &st.Revisions[i]
		}
	}
	if rev == nil {
		d.reject(row, "seq", fmt.Sprintf("mục tiêu không có lần điều chỉnh %d", seq), fmt.Sprintf("the target has no revision %d", seq))
		return
	}
	before := indicators.RevisionRecord(st, *rev)
	after := overlay(before, row.Record, indicators.TargetsSheet)
	fields := fieldChanges(indicators.TargetsSheet, before, after, "group", "task")
	if len(fields) == 0 {
		d.p.Unchanged++
		return
	}
	col := ""
	for _, c := range indicators.TargetsSheet.Columns {
		if c.Header == fields[0].Field {
			col = c.Key
		}
	}
	d.reject(row, col, fmt.Sprintf("lần %d của mục tiêu đã lưu, không được sửa (%s: %q → %q); muốn thay đổi hãy thêm một dòng điều chỉnh mới, để trống cột %s",
		seq, fields[0].Field, fields[0].Before, fields[0].After, "Lần điều chỉnh"),
		fmt.Sprintf("revision %d of the target is stored and may not be edited (%s: %q → %q); to change it add a new revision row, with column %s empty",
			seq, fields[0].Field, fields[0].Before, fields[0].After, "Lần điều chỉnh"))
}

// revision builds revision seq of a target from its row. An empty Phép so
// sánh means "read the bound from the text", fitted to the indicator's
// direction and unit; an original revision without an act takes its
// plan's code and date.
func (d *differ) revision(row BookRow, k indicators.TargetKey, seq int) (indicators.TargetRevision, bool) {
	rec := row.Record
	ind := d.ind[k.Indicator]
	r := indicators.TargetRevision{Seq: seq, Text: rec["text"], Direction: indicators.Direction(rec["direction"]),
		Source: rec["source"], Act: rec["act"], ActDate: dateOf(rec["act_date"]), Effective: dateOf(rec["effective"]),
		Reason: rec["reason"], Kind: indicators.Kind(rec["kind"]), BaseYear: atoi(rec["base_year"]), Tolerance: atof(rec["tolerance"])}
	dir := r.Direction
	if dir == "" {
		dir = ind.Direction
	}
	parsed, perr := indicators.ParseTargetText(r.Text)
	switch op := strings.TrimSpace(rec["op"]); op {
	case "":
		if strings.TrimSpace(r.Text) == "" {
			d.reject(row, "text", "cần nội dung mục tiêu, hoặc phép so sánh và cận", "the target's text is needed, or its comparison and bound")
			return r, false
		}
		// A reading that is not certain is never stored unseen: the row
		// waits for its bound columns to be filled by hand.
		if perr != nil {
			d.reject(row, "op", fmt.Sprintf("%s — điền Phép so sánh, Cận A (Cận B, Năm gốc nếu cần) bằng tay, hoặc ghi %q nếu mục tiêu chưa lượng hóa",
				indicators.TargetReading(r.Text), indicators.OpNoneText),
				fmt.Sprintf("%s — fill in Phép so sánh, Cận A (Cận B, Năm gốc if needed) by hand, or write %q if the target is not quantified",
					indicators.TargetReading(r.Text), indicators.OpNoneText))
			return r, false
		}
		var converted bool
		if r.Bound, converted = parsed.Fit(dir, ind.Unit); !converted {
			d.reject(row, "op", fmt.Sprintf("đơn vị trong nội dung (%s) khác đơn vị của chỉ tiêu (%s) — điền Phép so sánh và Cận A bằng tay",
				parsed.Unit, ind.Unit),
				fmt.Sprintf("the unit in the text (%s) is not the indicator's (%s) — fill in Phép so sánh and Cận A by hand",
					parsed.Unit, ind.Unit))
			return r, false
		}
		if rec["base_year"] == "" {
			r.BaseYear = parsed.BaseYear
		}
		if rec["kind"] == "" && parsed.Direction != "" && parsed.Direction != ind.Direction && r.Direction == "" {
			r.Direction = parsed.Direction
		}
	case indicators.OpNoneText:
		r.Bound = indicators.Bound{Op: indicators.OpNone}
	default:
		r.Bound.Op = indicators.Op(map[string]string{"≥": ">=", "≤": "<=", "khoảng": "about"}[op])
		if r.Bound.Op == "" {
			r.Bound.Op = indicators.Op(op)
		}
		if rec["a"] == "" {
			d.reject(row, "a", "thiếu cận A", "bound A is missing")
			return r, false
		}
		r.Bound.A = atof(rec["a"])
		if r.Bound.Op == indicators.OpRange {
			if rec["b"] == "" {
				d.reject(row, "b", "khoảng cần cận B", "a range needs bound B")
				return r, false
			}
			r.Bound.B = atof(rec["b"])
		}
	}
	if r.Kind == "" {
		r.Kind = indicators.LevelTarget
		if strings.TrimSpace(r.Text) != "" {
			r.Kind = parsed.Kind
		}
	}
	if seq == 0 {
		p := d.plan[k.Plan]
		if r.Act == "" {
			r.Act = p.Code
		}
		if r.ActDate.IsZero() {
			r.ActDate = p.Issued
		}
		if r.Effective.IsZero() {
			r.Effective = r.ActDate
		}
	}
	if err := r.Validate(); err != nil {
		d.rejectErr(row, err)
		return r, false
	}
	return r, true
}
