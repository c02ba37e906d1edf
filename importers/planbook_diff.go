package importers

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"chitieu/indicators"
)

// PlanbookPreview is what importing a plan workbook would do: how many rows
// add an item or a revision (New), change an item (Changed), change
// nothing (Unchanged) or are refused (Rejected), the changes in the order
// to apply them, and every refused cell.
type PlanbookPreview struct {
	New       int
	Changed   int
	Unchanged int
	Rejected  int
	Committed bool
	Changes   []indicators.CatalogChange
	Errors    []CellError
}

// MarshalJSON writes the preview as the command line and the API give it:
// {new, changed, unchanged, rejected, committed, changes: [...], errors: [...]}.
func (p PlanbookPreview) MarshalJSON() ([]byte, error) {
	type change struct {
		Action string                   `json:"action"`
		Object string                   `json:"object"`
		Key    string                   `json:"key"`
		Sheet  string                   `json:"sheet"`
		Row    int                      `json:"row"`
		Fields []indicators.FieldChange `json:"fields"`
	}
	changes := make([]change, len(p.Changes))
	for i, c := range p.Changes {
		fields := c.Fields
		if fields == nil {
			fields = []indicators.FieldChange{}
		}
		changes[i] = change{string(c.Action), c.Object, c.Key, c.Sheet, c.Row, fields}
	}
	errs := p.Errors
	if errs == nil {
		errs = []CellError{}
	}
	return json.Marshal(struct {
		New       int         `json:"new"`
		Changed   int         `json:"changed"`
		Unchanged int         `json:"unchanged"`
		Rejected  int         `json:"rejected"`
		Committed bool        `json:"committed"`
		Changes   []change    `json:"changes"`
		Errors    []CellError `json:"errors"`
	}{p.New, p.Changed, p.Unchanged, p.Rejected, p.Committed, changes, errs})
}

// DiffPlanbook compares a plan workbook with the catalogue as stored and
// returns the changes it asks for. It reads nothing and writes nothing:
// references (a target's indicator, a task's agency …) must name an item
// of the store or of the workbook itself, and a stored target revision may
// not be edited — a change of target is a new revision row.
func DiffPlanbook(book *Planbook, current *indicators.Catalog) PlanbookPreview {
	d := newDiffer(book, current)
	rows := func(s indicators.Sheet) []BookRow {
		var out []BookRow
		for _, r := range book.Sheets[s.Name] {
			if !r.Refused {
				out = append(out, r)
			}
		}
		return out
	}
	d.plans(rows(indicators.PlansSheet))
	d.groups(rows(indicators.GroupsSheet))
	d.units(rows(indicators.UnitsSheet))
	d.indicators(rows(indicators.IndicatorsSheet))
	d.tasks(rows(indicators.TasksSheet))
	d.targets(rows(indicators.TargetsSheet))
	d.p.Errors = append(append([]CellError{}, book.Errors...), d.p.Errors...)
	rejected := map[string]bool{}
	for _, e := range d.p.Errors {
		rejected[e.Sheet+"!"+strings.TrimLeft(e.Cell, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")] = true
	}
	d.p.Rejected = len(rejected)
	for _, c := range d.p.Changes {
		if c.Action == indicators.Update {
			d.p.Changed++
		} else {
			d.p.New++
		}
	}
	return d.p
}

type differ struct {
	p      PlanbookPreview
	cur    *indicators.Catalog
	plan   map[string]indicators.Plan      // known plans: stored, then the workbook's
	group  map[string]map[int]bool         // plan → group numbers known
	unit   map[string]indicators.Unit      //
	ind    map[string]indicators.Indicator //
	task   map[string]bool                 //
	newIDs map[string]bool                 // items the workbook creates, by object and key
}

func newDiffer(book *Planbook, c *indicators.Catalog) *differ {
	d := &differ{cur: c, plan: map[string]indicators.Plan{}, group: map[string]map[int]bool{},
		unit: map[string]indicators.Unit{}, ind: map[string]indicators.Indicator{}, task: map[string]bool{},
		newIDs: map[string]bool{}}
	for _, p := range c.Plans {
		d.plan[p.ID] = p
	}
	for _, g := range c.Groups {
		d.addGroup(g)
	}
	for _, u := range c.Units {
		d.unit[u.Code] = u
	}
	for _, i := range c.Indicators {
		d.ind[i.Code] = i
	}
	for _, t := range c.Tasks {
		d.task[t.Code] = true
	}
	return d
}

func (d *differ) addGroup(g indicators.TaskGroup) {
	if d.group[g.Plan] == nil {
		d.group[g.Plan] = map[int]bool{}
	}
	d.group[g.Plan][g.Number] = true
}

// reject refuses the row's cell for key.
func (d *differ) reject(row BookRow, key, reason string) {
	d.p.Errors = append(d.p.Errors, CellError{Sheet: row.Sheet, Cell: row.Cell(key), Text: row.Record[key], Reason: reason})
}

// fieldColumns maps the fields named by domain errors to workbook columns
// where their names differ.
var fieldColumns = map[string]string{"horizon": "horizon_from", "bound": "a", "target": "plan"}

// rejectErr refuses the row for a domain error, at the cell of the field
// the error names.
func (d *differ) rejectErr(row BookRow, err error) {
	key := indicators.ErrorField(err)
	if k, ok := fieldColumns[key]; ok {
		key = k
	}
	var de *indicators.Error
	msg := err.Error()
	if errors.As(err, &de) {
		msg = de.Message
	}
	d.reject(row, key, msg)
}

// overlay is stored's record with the workbook row's cells on top: a
// column the sheet lacks keeps the stored value.
func overlay(stored, rec map[string]string, sheet indicators.Sheet) map[string]string {
	out := map[string]string{}
	for k, v := range stored {
		out[k] = v
	}
	for _, c := range sheet.Columns {
		if v, ok := rec[c.Key]; ok && !c.Info {
			out[c.Key] = v
		}
	}
	return out
}

// fieldChanges lists the columns whose text differs, by header.
func fieldChanges(sheet indicators.Sheet, before, after map[string]string, skip ...string) []indicators.FieldChange {
	var out []indicators.FieldChange
	for _, c := range sheet.Columns {
		if c.Info || contains(skip, c.Key) || before[c.Key] == after[c.Key] {
			continue
		}
		out = append(out, indicators.FieldChange{Field: c.Header, Before: before[c.Key], After: after[c.Key]})
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// firstRow remembers where each key was first seen in a sheet, to refuse a
// second row with the same key.
type firstRow map[string]int

func (f firstRow) dup(d *differ, row BookRow, key, keyCol string) bool {
	if n, ok := f[key]; ok {
		d.reject(row, keyCol, fmt.Sprintf("trùng khóa với dòng %d", n))
		return true
	}
	f[key] = row.Num
	return false
}

// emit adds a change for a row; unchanged rows are only counted.
func (d *differ) emit(row BookRow, action indicators.ChangeAction, object, key string, fields []indicators.FieldChange, set func(*indicators.CatalogChange)) {
	c := indicators.CatalogChange{Action: action, Object: object, Key: key, Sheet: row.Sheet, Row: row.Num, Fields: fields}
	set(&c)
	d.p.Changes = append(d.p.Changes, c)
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func atof(s string) float64 { x, _ := strconv.ParseFloat(s, 64); return x }

// dateOf reads a record date; the reader has checked it.
func dateOf(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	v, _ := indicators.ParseDate("date", s)
	return v
}

func planFrom(r map[string]string) indicators.Plan {
	return indicators.Plan{ID: r["id"], Code: r["code"], Issued: dateOf(r["issued"]), IssuedNote: r["issued_note"],
		IssuingBody: r["issuing_body"], TitleVI: r["title_vi"], TitleEN: r["title_en"],
		HorizonFrom: atoi(r["horizon_from"]), HorizonTo: atoi(r["horizon_to"]), Scope: indicators.Scope(r["scope"]),
		Parent: r["parent"], Source: r["source"], Order: atoi(r["order"])}
}

func (d *differ) plans(rows []BookRow) {
	seen := firstRow{}
	start := len(d.p.Changes)
	for _, row := range rows {
		rec := row.Record
		p := planFrom(rec)
		if p.ID == "" && p.Code != "" {
			p.ID = indicators.PlanID(p.Code, p.Issued)
			rec = overlay(rec, map[string]string{"id": p.ID}, indicators.PlansSheet)
		}
		if seen.dup(d, row, p.ID, "id") {
			continue
		}
		stored, ok := d.plan[p.ID]
		if ok {
			merged := overlay(stored.Record(), rec, indicators.PlansSheet)
			if merged["order"] == "" {
				merged["order"] = stored.Record()["order"]
			}
			fields := fieldChanges(indicators.PlansSheet, stored.Record(), merged)
			if len(fields) == 0 {
				d.p.Unchanged++
				continue
			}
			p = planFrom(merged)
			if err := p.Validate(); err != nil {
				d.rejectErr(row, err)
				continue
			}
			d.plan[p.ID] = p
			d.emit(row, indicators.Update, indicators.ObjPlan, p.ID, fields, func(c *indicators.CatalogChange) { c.Plan = &p })
			continue
		}
		if err := p.Validate(); err != nil {
			d.rejectErr(row, err)
			continue
		}
		d.plan[p.ID], d.newIDs["plan:"+p.ID] = p, true
		d.emit(row, indicators.Create, indicators.ObjPlan, p.ID, nil, func(c *indicators.CatalogChange) { c.Plan = &p })
	}
	// Parents are checked once every plan of the workbook is known, and a
	// new plan goes after the new plan it hangs under.
	kept := d.settle(start, rows, func(c indicators.CatalogChange) (string, string) {
		if _, ok := d.plan[c.Plan.Parent]; c.Plan.Parent != "" && !ok {
			return "parent", fmt.Sprintf("không có kế hoạch cha %q", c.Plan.Parent)
		}
		return "", ""
	}, func(c indicators.CatalogChange) { d.forget("plan", c.Plan.ID, func() { delete(d.plan, c.Plan.ID) }) })
	sort.SliceStable(kept, func(i, j int) bool { return d.planDepth(kept[i].Plan.ID) < d.planDepth(kept[j].Plan.ID) })
}

// planDepth counts the plans created by the workbook above id.
func (d *differ) planDepth(id string) int {
	n := 0
	for cur, i := d.plan[id].Parent, 0; cur != "" && i < 20; cur, i = d.plan[cur].Parent, i+1 {
		if d.newIDs["plan:"+cur] {
			n++
		}
	}
	return n
}

// settle drops, until none is left to drop, the changes from start on that
// refer to an unknown item, refusing each at its row; forget removes a
// refused new item from what is known, so that what refers to it goes too.
func (d *differ) settle(start int, rows []BookRow, missing func(indicators.CatalogChange) (col, reason string),
	forget func(indicators.CatalogChange)) []indicators.CatalogChange {
	for {
		changes := d.p.Changes[start:]
		kept := changes[:0]
		dropped := false
		for _, c := range changes {
			if col, reason := missing(c); reason != "" {
				d.rejectAt(c.Row, rows, col, reason)
				forget(c)
				dropped = true
				continue
			}
			kept = append(kept, c)
		}
		d.p.Changes = d.p.Changes[:start+len(kept)]
		if !dropped {
			return kept
		}
	}
}

// forget runs drop when the workbook creates the item: a refused update
// leaves the stored item known.
func (d *differ) forget(object, key string, drop func()) {
	if d.newIDs[object+":"+key] {
		drop()
		delete(d.newIDs, object+":"+key)
	}
}

// rejectAt refuses the cell for key of row num.
func (d *differ) rejectAt(num int, rows []BookRow, key, reason string) {
	for _, r := range rows {
		if r.Num == num {
			d.reject(r, key, reason)
			return
		}
	}
}

// groupKnown reports whether plan, or the nearest plan above it that has
// task groups, has group n; a plan with no groups in its line files its
// items under any plan's group of that number, as the built-in catalogue
// files the national airport plan under Resolution 59's groups.
func (d *differ) groupKnown(plan string, n int) bool {
	for cur, i := plan, 0; cur != "" && i < 20; cur, i = d.plan[cur].Parent, i+1 {
		if gs := d.group[cur]; len(gs) > 0 {
			return gs[n]
		}
	}
	return d.anyGroup(n)
}

func (d *differ) groups(rows []BookRow) {
	stored := map[string]indicators.TaskGroup{}
	for _, g := range d.cur.Groups {
		stored[fmt.Sprintf("%s/%d", g.Plan, g.Number)] = g
	}
	seen := firstRow{}
	for _, row := range rows {
		rec := row.Record
		key := rec["plan"] + "/" + rec["number"]
		if seen.dup(d, row, key, "number") {
			continue
		}
		if _, ok := d.plan[rec["plan"]]; !ok {
			d.reject(row, "plan", fmt.Sprintf("không có kế hoạch mã %q", rec["plan"]))
			continue
		}
		action, fields := indicators.Create, []indicators.FieldChange(nil)
		if st, ok := stored[key]; ok {
			rec = overlay(st.Record(), rec, indicators.GroupsSheet)
			if fields = fieldChanges(indicators.GroupsSheet, st.Record(), rec); len(fields) == 0 {
				d.p.Unchanged++
				continue
			}
			action = indicators.Update
		}
		g := indicators.TaskGroup{Plan: rec["plan"], Number: atoi(rec["number"]), NameVI: rec["name_vi"], NameEN: rec["name_en"],
			ScopeVI: rec["scope_vi"], ScopeEN: rec["scope_en"]}
		if err := g.Validate(); err != nil {
			d.rejectErr(row, err)
			continue
		}
		d.addGroup(g)
		d.emit(row, action, indicators.ObjTaskGroup, key, fields, func(c *indicators.CatalogChange) { c.Group = &g })
	}
}

func unitFrom(r map[string]string) indicators.Unit {
	return indicators.Unit{Code: r["code"], NameVI: r["name_vi"], NameEN: r["name_en"], Kind: indicators.UnitKind(r["kind"]),
		Type: r["type"], Parent: r["parent"], Scope: indicators.Scope(r["scope"]), ValidFrom: dateOf(r["valid_from"]),
		ValidTo: dateOf(r["valid_to"]), Source: r["source"]}
}

func (d *differ) units(rows []BookRow) {
	seen := firstRow{}
	start := len(d.p.Changes)
	for _, row := range rows {
		rec := row.Record
		if seen.dup(d, row, rec["code"], "code") {
			continue
		}
		action, fields := indicators.Create, []indicators.FieldChange(nil)
		if st, ok := d.unit[rec["code"]]; ok {
			rec = overlay(st.Record(), rec, indicators.UnitsSheet)
			if fields = fieldChanges(indicators.UnitsSheet, st.Record(), rec); len(fields) == 0 {
				d.p.Unchanged++
				continue
			}
			action = indicators.Update
		}
		u := unitFrom(rec)
		if err := u.Validate(); err != nil {
			d.rejectErr(row, err)
			continue
		}
		if action == indicators.Create {
			d.newIDs["unit:"+u.Code] = true
		}
		d.unit[u.Code] = u
		d.emit(row, action, indicators.ObjUnit, u.Code, fields, func(c *indicators.CatalogChange) { c.Unit = &u })
	}
	kept := d.settle(start, rows, func(c indicators.CatalogChange) (string, string) {
		if p := c.Unit.Parent; p != "" && (d.unit[p].Code == "" || p == c.Unit.Code) {
			return "parent", fmt.Sprintf("không có đơn vị cấp trên %q", p)
		}
		return "", ""
	}, func(c indicators.CatalogChange) {
		d.forget("unit", c.Unit.Code, func() { delete(d.unit, c.Unit.Code) })
	})
	sort.SliceStable(kept, func(i, j int) bool { return d.unitDepth(kept[i].Unit.Code) < d.unitDepth(kept[j].Unit.Code) })
}

func (d *differ) unitDepth(code string) int {
	n := 0
	for cur, i := d.unit[code].Parent, 0; cur != "" && i < 20; cur, i = d.unit[cur].Parent, i+1 {
		if d.newIDs["unit:"+cur] {
			n++
		}
	}
	return n
}

// anyGroup reports whether some plan has task group n.
func (d *differ) anyGroup(n int) bool {
	for _, gs := range d.group {
		if gs[n] {
			return true
		}
	}
	return false
}

// agencyKnown checks a lead agency: empty, or a unit of kind agency.
func (d *differ) agencyKnown(code string) bool {
	return code == "" || d.unit[code].Kind == indicators.Agency
}

func (d *differ) indicators(rows []BookRow) {
	seen := firstRow{}
	start := len(d.p.Changes)
	for _, row := range rows {
		rec := row.Record
		if seen.dup(d, row, rec["code"], "code") {
			continue
		}
		action, fields := indicators.Create, []indicators.FieldChange(nil)
		if st, ok := d.ind[rec["code"]]; ok {
			rec = overlay(st.Record(), rec, indicators.IndicatorsSheet)
			if fields = fieldChanges(indicators.IndicatorsSheet, st.Record(), rec); len(fields) == 0 {
				d.p.Unchanged++
				continue
			}
			action = indicators.Update
		}
		ind := indicators.Indicator{Code: rec["code"], NameVI: rec["name_vi"], NameEN: rec["name_en"], Unit: rec["unit"],
			UnitEN: rec["unit_en"], Decimals: atoi(rec["decimals"]), Direction: indicators.Direction(rec["direction"]),
			Measure: indicators.Measure(rec["measure"]), Rollup: indicators.Rollup(rec["rollup"]), WeightBy: rec["weight_by"],
			LeadAgency: rec["lead_agency"], Frequency: indicators.Frequency(rec["frequency"]), Group: atoi(rec["group"]),
			NoteVI: rec["note_vi"], NoteEN: rec["note_en"]}
		if rec["decimals"] == "" {
			ind.Decimals = 2
		}
		if err := ind.Validate(); err != nil {
			d.rejectErr(row, err)
			continue
		}
		if !d.agencyKnown(ind.LeadAgency) {
			d.reject(row, "lead_agency", fmt.Sprintf("không có cơ quan mã %q (trang %s, loại agency)", ind.LeadAgency, indicators.UnitsSheet.Name))
			continue
		}
		if !d.anyGroup(ind.Group) {
			d.reject(row, "group", fmt.Sprintf("không có nhóm nhiệm vụ số %d", ind.Group))
			continue
		}
		d.ind[ind.Code] = ind
		if action == indicators.Create {
			d.newIDs["indicator:"+ind.Code] = true
		}
		d.emit(row, action, indicators.ObjIndicator, ind.Code, fields, func(c *indicators.CatalogChange) { c.Indicator = &ind })
	}
	kept := d.settle(start, rows, func(c indicators.CatalogChange) (string, string) {
		if w := c.Indicator.WeightBy; w != "" && d.ind[w].Code == "" {
			return "weight_by", fmt.Sprintf("không có chỉ tiêu trọng số %q", w)
		}
		return "", ""
	}, func(c indicators.CatalogChange) {
		d.forget("indicator", c.Indicator.Code, func() { delete(d.ind, c.Indicator.Code) })
	})
	// An indicator weighted by a new one goes after it.
	sort.SliceStable(kept, func(i, j int) bool {
		return !d.newIDs["indicator:"+kept[i].Indicator.WeightBy] && d.newIDs["indicator:"+kept[j].Indicator.WeightBy]
	})
}

func (d *differ) tasks(rows []BookRow) {
	stored := map[string]indicators.Task{}
	for _, t := range d.cur.Tasks {
		stored[t.Code] = t
	}
	seen := firstRow{}
	for _, row := range rows {
		rec := row.Record
		if seen.dup(d, row, rec["code"], "code") {
			continue
		}
		action, fields := indicators.Create, []indicators.FieldChange(nil)
		st, exists := stored[rec["code"]]
		if exists {
			rec = overlay(st.Record(), rec, indicators.TasksSheet)
			if fields = fieldChanges(indicators.TasksSheet, st.Record(), rec); len(fields) == 0 {
				d.p.Unchanged++
				continue
			}
			action = indicators.Update
		}
		t := indicators.Task{ID: st.ID, Code: rec["code"], Plan: rec["plan"], Group: atoi(rec["group"]), NameVI: rec["name_vi"],
			NameEN: rec["name_en"], LeadAgency: rec["lead_agency"], Start: dateOf(rec["start"]),
			Deadline: dateOf(rec["deadline"]), Done: dateOf(rec["done"]), StatusNote: rec["status_note"], Source: rec["source"]}
		if rec["percent"] != "" {
			x := atof(rec["percent"])
			t.Percent = &x
		}
		if err := t.Validate(); err != nil {
			d.rejectErr(row, err)
			continue
		}
		switch _, ok := d.plan[t.Plan]; {
		case !ok:
			d.reject(row, "plan", fmt.Sprintf("không có kế hoạch mã %q", t.Plan))
			continue
		case !d.groupKnown(t.Plan, t.Group):
			d.reject(row, "group", fmt.Sprintf("kế hoạch %s không có nhóm nhiệm vụ số %d", t.Plan, t.Group))
			continue
		case !d.agencyKnown(t.LeadAgency):
			d.reject(row, "lead_agency", fmt.Sprintf("không có cơ quan mã %q (trang %s, loại agency)", t.LeadAgency, indicators.UnitsSheet.Name))
			continue
		}
		d.task[t.Code] = true
		d.emit(row, action, indicators.ObjTask, t.Code, fields, func(c *indicators.CatalogChange) { c.Task = &t })
	}
}

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
		d.reject(row, "unit", fmt.Sprintf("không có đơn vị mã %q (xem trang %s)", k.Unit, indicators.UnitsSheet.Name))
		return k, false
	}
	if _, ok := d.plan[k.Plan]; !ok {
		d.reject(row, "plan", fmt.Sprintf("không có kế hoạch mã %q", k.Plan))
		return k, false
	}
	if _, ok := d.ind[k.Indicator]; !ok {
		d.reject(row, "indicator", fmt.Sprintf("không có chỉ tiêu mã %q (xem trang %s)", k.Indicator, indicators.IndicatorsSheet.Name))
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
			d.reject(row, "group", fmt.Sprintf("nhóm nhiệm vụ, mã nhiệm vụ khác với dòng %d của cùng mục tiêu", tr.rows[0].Num))
			return
		}
	}
	if !d.groupKnown(tr.key.Plan, group) {
		d.reject(filed, "group", fmt.Sprintf("kế hoạch %s không có nhóm nhiệm vụ số %d", tr.key.Plan, group))
		return
	}
	if task != "" && !d.task[task] {
		d.reject(filed, "task", fmt.Sprintf("không có nhiệm vụ mã %q (xem trang %s)", task, indicators.TasksSheet.Name))
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
			d.reject(row, "seq", fmt.Sprintf("lần điều chỉnh tiếp theo của mục tiêu này là %d (hoặc để trống)", next))
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
		d.reject(row, "seq", fmt.Sprintf("mục tiêu không có lần điều chỉnh %d", seq))
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
			d.reject(row, "text", "cần nội dung mục tiêu, hoặc phép so sánh và cận")
			return r, false
		}
		// A reading that is not certain is never stored unseen: the row
		// waits for its bound columns to be filled by hand.
		if perr != nil {
			d.reject(row, "op", fmt.Sprintf("%s — điền Phép so sánh, Cận A (Cận B, Năm gốc nếu cần) bằng tay, hoặc ghi %q nếu mục tiêu chưa lượng hóa",
				indicators.TargetReading(r.Text), indicators.OpNoneText))
			return r, false
		}
		var converted bool
		if r.Bound, converted = parsed.Fit(dir, ind.Unit); !converted {
			d.reject(row, "op", fmt.Sprintf("đơn vị trong nội dung (%s) khác đơn vị của chỉ tiêu (%s) — điền Phép so sánh và Cận A bằng tay",
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
			d.reject(row, "a", "thiếu cận A")
			return r, false
		}
		r.Bound.A = atof(rec["a"])
		if r.Bound.Op == indicators.OpRange {
			if rec["b"] == "" {
				d.reject(row, "b", "khoảng cần cận B")
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
