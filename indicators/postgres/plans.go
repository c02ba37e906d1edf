package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"chitieu/indicators"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

const planColumns = `id, code, issued, issued_note, issuing_body, title_vi, title_en,
	horizon_from, horizon_to, scope, parent, source, ord`

// planReadColumns adds the note of what of a plan's list is not public in
// full, which only the catalogue writes.
const planReadColumns = planColumns + `, incomplete_vi, incomplete_en`

func scanPlan(s pgx.Row) (indicators.Plan, error) {
	var p indicators.Plan
	var issued pgtype.Date
	err := s.Scan(&p.ID, &p.Code, &issued, &p.IssuedNote, &p.IssuingBody, &p.TitleVI, &p.TitleEN,
		&p.HorizonFrom, &p.HorizonTo, &p.Scope, &p.Parent, &p.Source, &p.Order, &p.Incomplete, &p.IncompleteEN)
	p.Issued = dateOf(issued)
	return p, err
}

// Plans returns every plan in register order.
func (db *DB) Plans(ctx context.Context) ([]indicators.Plan, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+planReadColumns+` FROM plans ORDER BY ord, issued NULLS FIRST, id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list plans: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (indicators.Plan, error) { return scanPlan(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: list plans: %w", err)
	}
	return out, nil
}

// Plan returns the plan with the given ID.
func (db *DB) Plan(ctx context.Context, id string) (indicators.Plan, error) {
	p, err := scanPlan(db.pool.QueryRow(ctx, `SELECT `+planReadColumns+` FROM plans WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return p, notFound("plan", id)
	}
	if err != nil {
		return p, fmt.Errorf("postgres: find plan %s: %w", id, err)
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
	rows, err := db.pool.Query(ctx, `SELECT plan, number, name_vi, name_en, scope_vi, scope_en
		FROM task_groups WHERE plan = $1 ORDER BY number`, plan)
	if err != nil {
		return nil, fmt.Errorf("postgres: list task groups of %s: %w", plan, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (indicators.TaskGroup, error) {
		var g indicators.TaskGroup
		err := r.Scan(&g.Plan, &g.Number, &g.NameVI, &g.NameEN, &g.ScopeVI, &g.ScopeEN)
		return g, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list task groups of %s: %w", plan, err)
	}
	return out, nil
}

const taskColumns = `id, code, plan, grp, name_vi, name_en, lead_agency, start, deadline, percent, done, status_note, source`

func scanTask(s pgx.Row) (indicators.Task, error) {
	var t indicators.Task
	var start, deadline, done pgtype.Date
	err := s.Scan(&t.ID, &t.Code, &t.Plan, &t.Group, &t.NameVI, &t.NameEN, &t.LeadAgency,
		&start, &deadline, &t.Percent, &done, &t.StatusNote, &t.Source)
	t.Start, t.Deadline, t.Done = dateOf(start), dateOf(deadline), dateOf(done)
	return t, err
}

// Tasks returns a plan's tasks (all plans' when plan is empty), by group and code.
func (db *DB) Tasks(ctx context.Context, plan string) ([]indicators.Task, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+taskColumns+` FROM tasks
		WHERE $1 = '' OR plan = $1 ORDER BY grp, code`, plan)
	if err != nil {
		return nil, fmt.Errorf("postgres: list tasks of %s: %w", plan, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (indicators.Task, error) { return scanTask(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: list tasks of %s: %w", plan, err)
	}
	return out, nil
}

// TaskUpdates returns the progress updates of a task, oldest first.
func (db *DB) TaskUpdates(ctx context.Context, task int64) ([]indicators.TaskUpdate, error) {
	return queryTaskUpdates(ctx, db.pool, task)
}

func queryTaskUpdates(ctx context.Context, q querier, task int64) ([]indicators.TaskUpdate, error) {
	rows, err := q.Query(ctx, `SELECT task, percent, note, date, done, entered_by, entered_at
		FROM task_updates WHERE task = $1 ORDER BY entered_at, id`, task)
	if err != nil {
		return nil, fmt.Errorf("postgres: list updates of task %d: %w", task, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (indicators.TaskUpdate, error) {
		var u indicators.TaskUpdate
		var date pgtype.Date
		err := r.Scan(&u.Task, &u.Percent, &u.Note, &date, &u.Done, &u.EnteredBy, &u.EnteredAt)
		u.Date, u.EnteredAt = dateOf(date), u.EnteredAt.UTC()
		return u, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list updates of task %d: %w", task, err)
	}
	return out, nil
}

const indicatorColumns = `code, name_vi, name_en, unit, unit_en, decimals, direction, measure, rollup,
	weight_by, lead_agency, frequency, grp, note_vi, note_en`

func scanIndicator(s pgx.Row) (indicators.Indicator, error) {
	var i indicators.Indicator
	err := s.Scan(&i.Code, &i.NameVI, &i.NameEN, &i.Unit, &i.UnitEN, &i.Decimals, &i.Direction, &i.Measure,
		&i.Rollup, &i.WeightBy, &i.LeadAgency, &i.Frequency, &i.Group, &i.NoteVI, &i.NoteEN)
	return i, err
}

// Indicators returns every indicator by code.
func (db *DB) Indicators(ctx context.Context) ([]indicators.Indicator, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+indicatorColumns+` FROM indicators ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list indicators: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (indicators.Indicator, error) { return scanIndicator(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: list indicators: %w", err)
	}
	return out, nil
}

// Indicator returns the indicator with the given code.
func (db *DB) Indicator(ctx context.Context, code string) (indicators.Indicator, error) {
	i, err := scanIndicator(db.pool.QueryRow(ctx, `SELECT `+indicatorColumns+` FROM indicators WHERE code = $1`, code))
	if errors.Is(err, pgx.ErrNoRows) {
		return i, notFound("indicator", code)
	}
	if err != nil {
		return i, fmt.Errorf("postgres: find indicator %s: %w", code, err)
	}
	return i, nil
}

const unitColumns = `code, name_vi, name_en, kind, type, parent, scope, valid_from, valid_to, source`

// unitSelect reads a unit with its official code, which only an admin
// sets (SetUnitOfficialCode), never a catalogue or a workbook.
const unitSelect = unitColumns + `, official_code`

func scanUnit(s pgx.Row) (indicators.Unit, error) {
	var u indicators.Unit
	var from, to pgtype.Date
	err := s.Scan(&u.Code, &u.NameVI, &u.NameEN, &u.Kind, &u.Type, &u.Parent, &u.Scope, &from, &to, &u.Source, &u.OfficialCode)
	u.ValidFrom, u.ValidTo = dateOf(from), dateOf(to)
	return u, err
}

// Units returns every unit: cities first, then districts, communes and agencies.
func (db *DB) Units(ctx context.Context) ([]indicators.Unit, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+unitSelect+` FROM units
		ORDER BY CASE kind WHEN 'city' THEN 0 WHEN 'district' THEN 1 WHEN 'commune' THEN 2 ELSE 3 END, code`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list units: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (indicators.Unit, error) { return scanUnit(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: list units: %w", err)
	}
	return out, nil
}

// Unit returns the unit with the given code.
func (db *DB) Unit(ctx context.Context, code string) (indicators.Unit, error) {
	u, err := scanUnit(db.pool.QueryRow(ctx, `SELECT `+unitSelect+` FROM units WHERE code = $1`, code))
	if errors.Is(err, pgx.ErrNoRows) {
		return u, notFound("unit", code)
	}
	if err != nil {
		return u, fmt.Errorf("postgres: find unit %s: %w", code, err)
	}
	return u, nil
}

const sourceColumns = `code, title, publisher, published, date_note, address`

func scanSource(s pgx.Row) (indicators.Source, error) {
	var src indicators.Source
	var published pgtype.Date
	err := s.Scan(&src.Code, &src.Title, &src.Publisher, &published, &src.DateNote, &src.Address)
	src.Published = dateOf(published)
	return src, err
}

// Sources returns the register of the catalogue's sources in code order
// (S01, S02 … S131).
func (db *DB) Sources(ctx context.Context) ([]indicators.Source, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+sourceColumns+` FROM sources ORDER BY length(code), code`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list sources: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (indicators.Source, error) { return scanSource(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: list sources: %w", err)
	}
	return out, nil
}

// SourceByCode returns one entry of the register.
func (db *DB) SourceByCode(ctx context.Context, code string) (indicators.Source, error) {
	s, err := scanSource(db.pool.QueryRow(ctx, `SELECT `+sourceColumns+` FROM sources WHERE code = $1`, code))
	if errors.Is(err, pgx.ErrNoRows) {
		return s, notFound("source", code)
	}
	if err != nil {
		return s, fmt.Errorf("postgres: find source %s: %w", code, err)
	}
	return s, nil
}
