package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"chitieu/indicators"
)

const planColumns = `id, code, issued, issued_note, issuing_body, title_vi, title_en,
	horizon_from, horizon_to, scope, parent, source, ord`

// planReadColumns adds to the columns a plan is written with the note of
// what of its list is not public in full, which only the catalogue writes.
const planReadColumns = planColumns + `, incomplete_vi, incomplete_en`

func scanPlan(s interface{ Scan(...any) error }) (indicators.Plan, error) {
	var p indicators.Plan
	var issued, scope string
	err := s.Scan(&p.ID, &p.Code, &issued, &p.IssuedNote, &p.IssuingBody, &p.TitleVI, &p.TitleEN,
		&p.HorizonFrom, &p.HorizonTo, &scope, &p.Parent, &p.Source, &p.Order, &p.Incomplete, &p.IncompleteEN)
	p.Issued, p.Scope = parseDate(issued), indicators.Scope(scope)
	return p, err
}

// Plans returns every plan in register order.
func (db *DB) Plans(ctx context.Context) ([]indicators.Plan, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+planReadColumns+` FROM plans ORDER BY ord, issued, id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list plans: %w", err)
	}
	defer rows.Close()
	var out []indicators.Plan
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: scan plan: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Plan returns the plan with the given ID.
func (db *DB) Plan(ctx context.Context, id string) (indicators.Plan, error) {
	p, err := scanPlan(db.read.QueryRowContext(ctx, `SELECT `+planReadColumns+` FROM plans WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, notFound("plan", id)
	}
	if err != nil {
		return p, fmt.Errorf("sqlite: find plan %s: %w", id, err)
	}
	return p, nil
}

// FindPlan resolves a plan ID, or a code carried by exactly one plan
// (compared without case, spaces or diacritics: "59-nq/tw" finds 59-NQ/TW).
func (db *DB) FindPlan(ctx context.Context, ref string) (indicators.Plan, error) {
	if p, err := db.Plan(ctx, ref); err == nil {
		return p, nil
	}
	plans, err := db.Plans(ctx)
	if err != nil {
		return indicators.Plan{}, err
	}
	var found []indicators.Plan
	want := indicators.Slug(ref)
	for _, p := range plans {
		if indicators.Slug(p.Code) == want || p.ID == want {
			found = append(found, p)
		}
	}
	switch len(found) {
	case 0:
		return indicators.Plan{}, notFound("plan", ref)
	case 1:
		return found[0], nil
	}
	ids := make([]string, len(found))
	for i, p := range found {
		ids[i] = p.ID
	}
	return indicators.Plan{}, &indicators.Error{Code: indicators.EINVALID, Field: "plan",
		Message: fmt.Sprintf("có %d kế hoạch mang số hiệu %q, hãy chọn theo mã: %s", len(found), ref, strings.Join(ids, ", ")),
		English: fmt.Sprintf("%d plans carry the code %q; choose by ID: %s", len(found), ref, strings.Join(ids, ", "))}
}

// TaskGroups returns a plan's task groups in order.
func (db *DB) TaskGroups(ctx context.Context, plan string) ([]indicators.TaskGroup, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT plan, number, name_vi, name_en, scope_vi, scope_en
		FROM task_groups WHERE plan = ? ORDER BY number`, plan)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list task groups of %s: %w", plan, err)
	}
	defer rows.Close()
	var out []indicators.TaskGroup
	for rows.Next() {
		var g indicators.TaskGroup
		if err := rows.Scan(&g.Plan, &g.Number, &g.NameVI, &g.NameEN, &g.ScopeVI, &g.ScopeEN); err != nil {
			return nil, fmt.Errorf("sqlite: scan task group: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

const taskColumns = `id, code, plan, grp, name_vi, name_en, lead_agency, start, deadline, percent, done, status_note, source`

// Tasks returns a plan's tasks (all plans' when plan is empty), by group and code.
func (db *DB) Tasks(ctx context.Context, plan string) ([]indicators.Task, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+taskColumns+` FROM tasks
		WHERE ? = '' OR plan = ? ORDER BY grp, code`, plan, plan)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list tasks of %s: %w", plan, err)
	}
	defer rows.Close()
	var out []indicators.Task
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: scan task: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func scanTask(s interface{ Scan(...any) error }) (indicators.Task, error) {
	var t indicators.Task
	var start, deadline, done string
	var percent sql.NullFloat64
	err := s.Scan(&t.ID, &t.Code, &t.Plan, &t.Group, &t.NameVI, &t.NameEN, &t.LeadAgency,
		&start, &deadline, &percent, &done, &t.StatusNote, &t.Source)
	t.Start, t.Deadline, t.Done = parseDate(start), parseDate(deadline), parseDate(done)
	if percent.Valid {
		t.Percent = &percent.Float64
	}
	return t, err
}

// TaskUpdates returns the progress updates of a task, oldest first.
func (db *DB) TaskUpdates(ctx context.Context, task int64) ([]indicators.TaskUpdate, error) {
	return queryTaskUpdates(ctx, db.read, task)
}

func queryTaskUpdates(ctx context.Context, q querier, task int64) ([]indicators.TaskUpdate, error) {
	rows, err := q.QueryContext(ctx, `SELECT task, percent, note, date, done, entered_by, entered_at
		FROM task_updates WHERE task = ? ORDER BY entered_at, id`, task)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list updates of task %d: %w", task, err)
	}
	defer rows.Close()
	var out []indicators.TaskUpdate
	for rows.Next() {
		var u indicators.TaskUpdate
		var date, at string
		if err := rows.Scan(&u.Task, &u.Percent, &u.Note, &date, &u.Done, &u.EnteredBy, &at); err != nil {
			return nil, fmt.Errorf("sqlite: scan task update: %w", err)
		}
		u.Date, u.EnteredAt = parseDate(date), parseTime(at)
		out = append(out, u)
	}
	return out, rows.Err()
}

const indicatorColumns = `code, name_vi, name_en, unit, unit_en, decimals, direction, measure, rollup,
	weight_by, lead_agency, frequency, grp, note_vi, note_en`

func scanIndicator(s interface{ Scan(...any) error }) (indicators.Indicator, error) {
	var i indicators.Indicator
	err := s.Scan(&i.Code, &i.NameVI, &i.NameEN, &i.Unit, &i.UnitEN, &i.Decimals, &i.Direction, &i.Measure,
		&i.Rollup, &i.WeightBy, &i.LeadAgency, &i.Frequency, &i.Group, &i.NoteVI, &i.NoteEN)
	return i, err
}

// Indicators returns every indicator by code.
func (db *DB) Indicators(ctx context.Context) ([]indicators.Indicator, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+indicatorColumns+` FROM indicators ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list indicators: %w", err)
	}
	defer rows.Close()
	var out []indicators.Indicator
	for rows.Next() {
		i, err := scanIndicator(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: scan indicator: %w", err)
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// Indicator returns the indicator with the given code.
func (db *DB) Indicator(ctx context.Context, code string) (indicators.Indicator, error) {
	i, err := scanIndicator(db.read.QueryRowContext(ctx, `SELECT `+indicatorColumns+` FROM indicators WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return i, notFound("indicator", code)
	}
	if err != nil {
		return i, fmt.Errorf("sqlite: find indicator %s: %w", code, err)
	}
	return i, nil
}

// unitColumns are the columns a unit is written with; unitSelect adds the
// official code, which only SetUnitOfficialCode writes.
const (
	unitColumns = `code, name_vi, name_en, kind, type, parent, scope, valid_from, valid_to, source`
	unitSelect  = unitColumns + `, official_code`
)

func scanUnit(s interface{ Scan(...any) error }) (indicators.Unit, error) {
	var u indicators.Unit
	var from, to string
	err := s.Scan(&u.Code, &u.NameVI, &u.NameEN, &u.Kind, &u.Type, &u.Parent, &u.Scope, &from, &to, &u.Source, &u.OfficialCode)
	u.ValidFrom, u.ValidTo = parseDate(from), parseDate(to)
	return u, err
}

// Units returns every unit: cities first, then districts, communes and agencies.
func (db *DB) Units(ctx context.Context) ([]indicators.Unit, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+unitSelect+` FROM units
		ORDER BY CASE kind WHEN 'city' THEN 0 WHEN 'district' THEN 1 WHEN 'commune' THEN 2 ELSE 3 END, code`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list units: %w", err)
	}
	defer rows.Close()
	var out []indicators.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: scan unit: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Unit returns the unit with the given code.
func (db *DB) Unit(ctx context.Context, code string) (indicators.Unit, error) {
	u, err := scanUnit(db.read.QueryRowContext(ctx, `SELECT `+unitSelect+` FROM units WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return u, notFound("unit", code)
	}
	if err != nil {
		return u, fmt.Errorf("sqlite: find unit %s: %w", code, err)
	}
	return u, nil
}
