package importers

import (
	"encoding/json"
	"fmt"
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
	// Plausibility lists the first warnings of the plausibility checks on
	// the bounds of the targets created or revised (DESIGN §4);
	// Implausible counts them all. They are not part of the digest that
	// ties a commit to its preview: the changes are.
	Plausibility []indicators.PlausibilityWarning
	Implausible  int
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
		New          int                              `json:"new"`
		Changed      int                              `json:"changed"`
		Unchanged    int                              `json:"unchanged"`
		Rejected     int                              `json:"rejected"`
		Committed    bool                             `json:"committed"`
		Changes      []change                         `json:"changes"`
		Errors       []CellError                      `json:"errors"`
		Plausibility []indicators.PlausibilityWarning `json:"plausibility,omitempty"`
		Implausible  int                              `json:"implausible,omitempty"`
	}{p.New, p.Changed, p.Unchanged, p.Rejected, p.Committed, changes, errs, p.Plausibility, p.Implausible})
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
	diffSheet(d, rows(indicators.PlansSheet), d.plansSheet())
	diffSheet(d, rows(indicators.GroupsSheet), d.groupsSheet())
	diffSheet(d, rows(indicators.UnitsSheet), d.unitsSheet())
	diffSheet(d, rows(indicators.IndicatorsSheet), d.indicatorsSheet())
	diffSheet(d, rows(indicators.MetadataSheet), d.metadataSheet())
	diffSheet(d, rows(indicators.TasksSheet), d.tasksSheet())
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

// reject refuses the row's cell for key, saying why in Vietnamese and
// English.
func (d *differ) reject(row BookRow, key, vi, en string) {
	d.p.Errors = append(d.p.Errors, CellError{Sheet: row.Sheet, Cell: row.Cell(key), Text: row.Record[key], Reason: vi, ReasonEN: en})
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
	vi, en := reasons(err)
	d.reject(row, key, vi, en)
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
		b, a := before[c.Key], after[c.Key]
		if c.Vocab != "" { // shown as the workbook shows it, never as a code
			b, a = labelOrEmpty(c.Vocab, b), labelOrEmpty(c.Vocab, a)
		}
		out = append(out, indicators.FieldChange{Field: c.Header, Before: b, After: a})
	}
	return out
}

// labelOrEmpty is the Vietnamese label of a code, and empty for no code.
func labelOrEmpty(group, code string) string {
	if code == "" {
		return ""
	}
	return indicators.Label(group, code, "vi")
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
		d.reject(row, keyCol, fmt.Sprintf("trùng khóa với dòng %d", n), fmt.Sprintf("the same key as row %d", n))
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

// item is a pointer to what a row of a keyed sheet becomes: a plan, a task
// group, a unit, an indicator or a task. Validate may tidy the item.
type item[T any] interface {
	*T
	Validate() error
	Record() map[string]string
}

// sheetDiff is what the diff needs to know of one sheet whose rows are
// items with a key; diffSheet compares them all the same way. Only the
// hooks differ: how a row's key is read, how an item is built from its
// record, which references it must resolve and in which order new items go.
type sheetDiff[T any] struct {
	sheet  indicators.Sheet
	object string // of the changes, and the prefix of the item in newIDs
	keyCol string // the key's column, blamed for a second row with the same key
	// key, when not nil, returns the row's key and its record, which it may
	// complete (a plan's id is made from its code and date when the cell is
	// empty); else the key is the text of keyCol.
	key    func(rec map[string]string) (string, map[string]string)
	stored map[string]T // by key
	// build makes the item from a record: the row's alone for a new item,
	// the stored record with the row's cells on top for an existing one.
	build func(rec map[string]string, stored T) T
	// keepEmpty lists the columns whose empty cell keeps the stored text.
	keepEmpty []string
	// check refuses, at their cells, references of a valid item that name
	// nothing known; nil accepts every item.
	check    func(row BookRow, it T) bool
	remember func(it T) // makes the item known to the rows that follow
	set      func(c *indicators.CatalogChange, it *T)
	// Once every row is read: missing names a reference to an item neither
	// stored nor created by the workbook, forget drops a refused new item
	// from what is known, and order sorts the changes kept so that an item
	// goes after the new item it refers to. All three may be nil.
	missing func(c indicators.CatalogChange) (col, vi, en string)
	forget  func(key string)
	order   func(kept []indicators.CatalogChange)
}

// diffSheet compares the rows of one keyed sheet with the stored items: a
// second row with a key is refused, a row equal to its stored item is only
// counted, and any other is validated, checked and becomes a change.
func diffSheet[T any, P item[T]](d *differ, rows []BookRow, s sheetDiff[T]) {
	seen := firstRow{}
	start := len(d.p.Changes)
	for _, row := range rows {
		key, rec := row.Record[s.keyCol], row.Record
		if s.key != nil {
			key, rec = s.key(rec)
		}
		if seen.dup(d, row, key, s.keyCol) {
			continue
		}
		action, fields := indicators.Create, []indicators.FieldChange(nil)
		st, exists := s.stored[key]
		if exists {
			before := P(&st).Record()
			rec = overlay(before, rec, s.sheet)
			for _, k := range s.keepEmpty {
				if rec[k] == "" {
					rec[k] = before[k]
				}
			}
			if fields = fieldChanges(s.sheet, before, rec); len(fields) == 0 {
				d.p.Unchanged++
				continue
			}
			action = indicators.Update
		}
		it := s.build(rec, st)
		if err := P(&it).Validate(); err != nil {
			d.rejectErr(row, err)
			continue
		}
		if s.check != nil && !s.check(row, it) {
			continue
		}
		if action == indicators.Create {
			d.newIDs[s.object+":"+key] = true
		}
		s.remember(it)
		d.emit(row, action, s.object, key, fields, func(c *indicators.CatalogChange) { s.set(c, &it) })
	}
	if s.missing == nil {
		return
	}
	kept := d.settle(start, rows, s.missing, func(c indicators.CatalogChange) {
		d.forget(s.object, c.Key, func() { s.forget(c.Key) })
	})
	if s.order != nil {
		s.order(kept)
	}
}

// settle drops, until none is left to drop, the changes from start on that
// refer to an unknown item, refusing each at its row; forget removes a
// refused new item from what is known, so that what refers to it goes too.
func (d *differ) settle(start int, rows []BookRow, missing func(indicators.CatalogChange) (col, vi, en string),
	forget func(indicators.CatalogChange)) []indicators.CatalogChange {
	for {
		changes := d.p.Changes[start:]
		kept := changes[:0]
		dropped := false
		for _, c := range changes {
			if col, vi, en := missing(c); vi != "" {
				d.rejectAt(c.Row, rows, col, vi, en)
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
func (d *differ) rejectAt(num int, rows []BookRow, key, vi, en string) {
	for _, r := range rows {
		if r.Num == num {
			d.reject(r, key, vi, en)
			return
		}
	}
}
