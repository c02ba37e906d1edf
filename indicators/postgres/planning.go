package postgres

import (
	"context"
	"errors"
	"fmt"

	"chitieu/indicators"

	"github.com/jackc/pgx/v5"
)

// The catalogue as admins edit it: plans, task groups, indicators, targets,
// tasks and units, one item per transaction with its audit event, or a
// whole plan workbook in one transaction. Each write function below works
// inside a transaction and returns the audit event that records it (none
// when an update changes nothing), so that single edits and workbook
// imports share them.

var _ indicators.PlanEditor = (*DB)(nil)

// edit runs fn in one write transaction and appends the event it returns.
func (db *DB) edit(ctx context.Context, fn func(tx *wtx) (indicators.AuditEvent, error)) error {
	return db.writeTx(ctx, func(tx *wtx) error {
		ev, err := fn(tx)
		if err != nil || ev.Action == "" {
			return err
		}
		return tx.audit(ctx, ev)
	})
}

func exists(ctx context.Context, tx *wtx, what, q string, args ...any) (bool, error) {
	var n int
	if err := tx.QueryRow(ctx, q, args...).Scan(&n); err != nil {
		return false, fmt.Errorf("postgres: look up %s: %w", what, err)
	}
	return n > 0, nil
}

func conflict(field, vi, en string) error {
	return indicators.FieldError(indicators.ECONFLICT, field, vi, en)
}

func invalid(field, vi, en string) error {
	return indicators.FieldError(indicators.EINVALID, field, vi, en)
}

// CreatePlan stores a new plan.
func (db *DB) CreatePlan(ctx context.Context, p *indicators.Plan) error {
	return db.edit(ctx, func(tx *wtx) (indicators.AuditEvent, error) { return db.createPlan(ctx, tx, p) })
}

// UpdatePlan changes a stored plan.
func (db *DB) UpdatePlan(ctx context.Context, p indicators.Plan) error {
	return db.edit(ctx, func(tx *wtx) (indicators.AuditEvent, error) { return db.updatePlan(ctx, tx, p) })
}

func (db *DB) createPlan(ctx context.Context, tx *wtx, p *indicators.Plan) (indicators.AuditEvent, error) {
	var ev indicators.AuditEvent
	p.Issued = day(p.Issued)
	if p.ID == "" {
		p.ID = indicators.PlanID(p.Code, p.Issued)
	}
	if err := p.Validate(); err != nil {
		return ev, err
	}
	found, err := exists(ctx, tx, "plan", `SELECT COUNT(*) FROM plans WHERE id = $1`, p.ID)
	if err != nil {
		return ev, err
	}
	if found {
		return ev, conflict("id", fmt.Sprintf("kế hoạch %q đã có", p.ID), fmt.Sprintf("plan %q exists", p.ID))
	}
	if err := checkParentPlan(ctx, tx, *p); err != nil {
		return ev, err
	}
	if p.Order == 0 {
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(ord), 0) + 1 FROM plans`).Scan(&p.Order); err != nil {
			return ev, fmt.Errorf("postgres: order of new plan: %w", err)
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO plans (`+planColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		p.ID, p.Code, nullDate(p.Issued), p.IssuedNote, p.IssuingBody, p.TitleVI, p.TitleEN,
		p.HorizonFrom, p.HorizonTo, p.Scope, p.Parent, p.Source, p.Order); err != nil {
		return ev, fmt.Errorf("postgres: insert plan %s: %w", p.ID, err)
	}
	return indicators.AuditEvent{Action: "plan.create", Object: "plan:" + p.ID, After: jsonOf(p)}, nil
}

func (db *DB) updatePlan(ctx context.Context, tx *wtx, p indicators.Plan) (indicators.AuditEvent, error) {
	var ev indicators.AuditEvent
	before, err := scanPlan(tx.QueryRow(ctx, `SELECT `+planReadColumns+` FROM plans WHERE id = $1`, p.ID))
	if errors.Is(err, pgx.ErrNoRows) {
		return ev, notFound("plan", p.ID)
	}
	if err != nil {
		return ev, fmt.Errorf("postgres: find plan %s: %w", p.ID, err)
	}
	p.Issued = day(p.Issued)
	if p.Order == 0 {
		p.Order = before.Order
	}
	if err := p.Validate(); err != nil {
		return ev, err
	}
	if err := checkParentPlan(ctx, tx, p); err != nil {
		return ev, err
	}
	if jsonOf(before) == jsonOf(p) {
		return ev, nil
	}
	if _, err := tx.Exec(ctx, `UPDATE plans SET code = $1, issued = $2, issued_note = $3, issuing_body = $4,
		title_vi = $5, title_en = $6, horizon_from = $7, horizon_to = $8, scope = $9, parent = $10, source = $11, ord = $12
		WHERE id = $13`, p.Code, nullDate(p.Issued), p.IssuedNote, p.IssuingBody, p.TitleVI, p.TitleEN,
		p.HorizonFrom, p.HorizonTo, p.Scope, p.Parent, p.Source, p.Order, p.ID); err != nil {
		return ev, fmt.Errorf("postgres: update plan %s: %w", p.ID, err)
	}
	return indicators.AuditEvent{Action: "plan.update", Object: "plan:" + p.ID, Before: jsonOf(before), After: jsonOf(p)}, nil
}

// checkParentPlan checks that p's parent exists and that p is not among its
// own ancestors.
func checkParentPlan(ctx context.Context, tx *wtx, p indicators.Plan) error {
	for cur, depth := p.Parent, 0; cur != ""; depth++ {
		if cur == p.ID || depth > 20 {
			return invalid("parent", "kế hoạch không thể là kế hoạch cha của chính nó", "a plan cannot be its own parent")
		}
		var next string
		err := tx.QueryRow(ctx, `SELECT parent FROM plans WHERE id = $1`, cur).Scan(&next)
		if errors.Is(err, pgx.ErrNoRows) {
			return invalid("parent", fmt.Sprintf("không có kế hoạch cha %q", cur), fmt.Sprintf("parent plan %q does not exist", cur))
		}
		if err != nil {
			return fmt.Errorf("postgres: find parent plan %s: %w", cur, err)
		}
		cur = next
	}
	return nil
}

// CreateTaskGroup stores a new task group of a plan.
func (db *DB) CreateTaskGroup(ctx context.Context, g indicators.TaskGroup) error {
	return db.edit(ctx, func(tx *wtx) (indicators.AuditEvent, error) { return db.createGroup(ctx, tx, g) })
}

// UpdateTaskGroup changes the names and scope of a task group.
func (db *DB) UpdateTaskGroup(ctx context.Context, g indicators.TaskGroup) error {
	return db.edit(ctx, func(tx *wtx) (indicators.AuditEvent, error) { return db.updateGroup(ctx, tx, g) })
}

func groupObject(g indicators.TaskGroup) string {
	return fmt.Sprintf("task_group:%s/%d", g.Plan, g.Number)
}

func (db *DB) createGroup(ctx context.Context, tx *wtx, g indicators.TaskGroup) (indicators.AuditEvent, error) {
	var ev indicators.AuditEvent
	if err := g.Validate(); err != nil {
		return ev, err
	}
	if err := checkPlan(ctx, tx, g.Plan); err != nil {
		return ev, err
	}
	found, err := exists(ctx, tx, "task group", `SELECT COUNT(*) FROM task_groups WHERE plan = $1 AND number = $2`, g.Plan, g.Number)
	if err != nil {
		return ev, err
	}
	if found {
		return ev, conflict("number", fmt.Sprintf("kế hoạch %s đã có nhóm nhiệm vụ số %d", g.Plan, g.Number),
			fmt.Sprintf("plan %s already has task group %d", g.Plan, g.Number))
	}
	if _, err := tx.Exec(ctx, `INSERT INTO task_groups (plan, number, name_vi, name_en, scope_vi, scope_en)
		VALUES ($1, $2, $3, $4, $5, $6)`, g.Plan, g.Number, g.NameVI, g.NameEN, g.ScopeVI, g.ScopeEN); err != nil {
		return ev, fmt.Errorf("postgres: insert task group %s/%d: %w", g.Plan, g.Number, err)
	}
	return indicators.AuditEvent{Action: "task_group.create", Object: groupObject(g), After: jsonOf(g)}, nil
}

func (db *DB) updateGroup(ctx context.Context, tx *wtx, g indicators.TaskGroup) (indicators.AuditEvent, error) {
	var ev indicators.AuditEvent
	var before indicators.TaskGroup
	err := tx.QueryRow(ctx, `SELECT plan, number, name_vi, name_en, scope_vi, scope_en FROM task_groups
		WHERE plan = $1 AND number = $2`, g.Plan, g.Number).
		Scan(&before.Plan, &before.Number, &before.NameVI, &before.NameEN, &before.ScopeVI, &before.ScopeEN)
	if errors.Is(err, pgx.ErrNoRows) {
		return ev, notFound("task_group", fmt.Sprintf("%s/%d", g.Plan, g.Number))
	}
	if err != nil {
		return ev, fmt.Errorf("postgres: find task group %s/%d: %w", g.Plan, g.Number, err)
	}
	if err := g.Validate(); err != nil {
		return ev, err
	}
	if before == g {
		return ev, nil
	}
	if _, err := tx.Exec(ctx, `UPDATE task_groups SET name_vi = $1, name_en = $2, scope_vi = $3, scope_en = $4
		WHERE plan = $5 AND number = $6`, g.NameVI, g.NameEN, g.ScopeVI, g.ScopeEN, g.Plan, g.Number); err != nil {
		return ev, fmt.Errorf("postgres: update task group %s/%d: %w", g.Plan, g.Number, err)
	}
	return indicators.AuditEvent{Action: "task_group.update", Object: groupObject(g), Before: jsonOf(before), After: jsonOf(g)}, nil
}

func checkPlan(ctx context.Context, tx *wtx, id string) error {
	found, err := exists(ctx, tx, "plan", `SELECT COUNT(*) FROM plans WHERE id = $1`, id)
	if err != nil {
		return err
	}
	if !found {
		return invalid("plan", fmt.Sprintf("không có kế hoạch %q", id), fmt.Sprintf("plan %q does not exist", id))
	}
	return nil
}

// checkGroup checks that task group n exists in the plan or, for a plan
// without groups of its own (98/NQ-CP files its targets under the groups
// of 59-NQ/TW), in the nearest ancestor that has groups; a plan with no
// groups in its line may use any plan's group of that number.
func checkGroup(ctx context.Context, tx *wtx, plan string, n int) error {
	cur := plan
	for depth := 0; cur != "" && depth < 20; depth++ {
		var all, match int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*), COUNT(CASE WHEN number = $1 THEN 1 END) FROM task_groups
			WHERE plan = $2`, n, cur).Scan(&all, &match); err != nil {
			return fmt.Errorf("postgres: look up task group %s/%d: %w", cur, n, err)
		}
		if match > 0 {
			return nil
		}
		if all > 0 {
			break
		}
		if err := tx.QueryRow(ctx, `SELECT parent FROM plans WHERE id = $1`, cur).Scan(&cur); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				break
			}
			return fmt.Errorf("postgres: find plan %s: %w", cur, err)
		}
	}
	if cur == "" {
		found, err := exists(ctx, tx, "task group", `SELECT COUNT(*) FROM task_groups WHERE number = $1`, n)
		if err != nil || found {
			return err
		}
	}
	return invalid("group", fmt.Sprintf("kế hoạch %s không có nhóm nhiệm vụ số %d", plan, n),
		fmt.Sprintf("plan %s has no task group %d", plan, n))
}

// checkAgency checks that code, when given, is a reporting agency.
func checkAgency(ctx context.Context, tx *wtx, code string) error {
	if code == "" {
		return nil
	}
	found, err := exists(ctx, tx, "agency", `SELECT COUNT(*) FROM units WHERE code = $1 AND kind = $2`, code, indicators.Agency)
	if err != nil {
		return err
	}
	if !found {
		return invalid("lead_agency", fmt.Sprintf("không có cơ quan chủ trì mã %q", code),
			fmt.Sprintf("there is no agency %q", code))
	}
	return nil
}

// CreateIndicator stores a new indicator.
func (db *DB) CreateIndicator(ctx context.Context, ind indicators.Indicator) error {
	return db.edit(ctx, func(tx *wtx) (indicators.AuditEvent, error) { return db.createIndicator(ctx, tx, ind) })
}

// UpdateIndicator changes a stored indicator; its code never changes.
func (db *DB) UpdateIndicator(ctx context.Context, ind indicators.Indicator) error {
	return db.edit(ctx, func(tx *wtx) (indicators.AuditEvent, error) { return db.updateIndicator(ctx, tx, ind) })
}

func (db *DB) checkIndicator(ctx context.Context, tx *wtx, ind indicators.Indicator) error {
	if err := ind.Validate(); err != nil {
		return err
	}
	if ind.WeightBy != "" {
		found, err := exists(ctx, tx, "indicator", `SELECT COUNT(*) FROM indicators WHERE code = $1`, ind.WeightBy)
		if err != nil {
			return err
		}
		if !found {
			return invalid("weight_by", fmt.Sprintf("không có chỉ tiêu trọng số %q", ind.WeightBy),
				fmt.Sprintf("weight indicator %q does not exist", ind.WeightBy))
		}
	}
	found, err := exists(ctx, tx, "task group", `SELECT COUNT(*) FROM task_groups WHERE number = $1`, ind.Group)
	if err != nil {
		return err
	}
	if !found {
		return invalid("group", fmt.Sprintf("không có nhóm nhiệm vụ số %d", ind.Group), fmt.Sprintf("there is no task group %d", ind.Group))
	}
	return checkAgency(ctx, tx, ind.LeadAgency)
}

func (db *DB) createIndicator(ctx context.Context, tx *wtx, ind indicators.Indicator) (indicators.AuditEvent, error) {
	var ev indicators.AuditEvent
	if err := db.checkIndicator(ctx, tx, ind); err != nil {
		return ev, err
	}
	found, err := exists(ctx, tx, "indicator", `SELECT COUNT(*) FROM indicators WHERE code = $1`, ind.Code)
	if err != nil {
		return ev, err
	}
	if found {
		return ev, conflict("code", fmt.Sprintf("chỉ tiêu %s đã có", ind.Code), fmt.Sprintf("indicator %s exists", ind.Code))
	}
	if _, err := tx.Exec(ctx, `INSERT INTO indicators (`+indicatorColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`, ind.Code, ind.NameVI, ind.NameEN, ind.Unit, ind.UnitEN,
		ind.Decimals, ind.Direction, ind.Measure, ind.Rollup, ind.WeightBy, ind.LeadAgency, ind.Frequency, ind.Group,
		ind.NoteVI, ind.NoteEN); err != nil {
		return ev, fmt.Errorf("postgres: insert indicator %s: %w", ind.Code, err)
	}
	return indicators.AuditEvent{Action: "indicator.create", Object: "indicator:" + ind.Code, After: jsonOf(ind)}, nil
}

func (db *DB) updateIndicator(ctx context.Context, tx *wtx, ind indicators.Indicator) (indicators.AuditEvent, error) {
	var ev indicators.AuditEvent
	before, err := scanIndicator(tx.QueryRow(ctx, `SELECT `+indicatorColumns+` FROM indicators WHERE code = $1`, ind.Code))
	if errors.Is(err, pgx.ErrNoRows) {
		return ev, notFound("indicator", ind.Code)
	}
	if err != nil {
		return ev, fmt.Errorf("postgres: find indicator %s: %w", ind.Code, err)
	}
	if err := db.checkIndicator(ctx, tx, ind); err != nil {
		return ev, err
	}
	if before == ind {
		return ev, nil
	}
	if _, err := tx.Exec(ctx, `UPDATE indicators SET name_vi = $1, name_en = $2, unit = $3, unit_en = $4,
		decimals = $5, direction = $6, measure = $7, rollup = $8, weight_by = $9, lead_agency = $10, frequency = $11, grp = $12,
		note_vi = $13, note_en = $14 WHERE code = $15`, ind.NameVI, ind.NameEN, ind.Unit, ind.UnitEN, ind.Decimals,
		ind.Direction, ind.Measure, ind.Rollup, ind.WeightBy, ind.LeadAgency, ind.Frequency, ind.Group,
		ind.NoteVI, ind.NoteEN, ind.Code); err != nil {
		return ev, fmt.Errorf("postgres: update indicator %s: %w", ind.Code, err)
	}
	return indicators.AuditEvent{Action: "indicator.update", Object: "indicator:" + ind.Code,
		Before: jsonOf(before), After: jsonOf(ind)}, nil
}

// CreateTarget stores a new target with its original revision, entered by
// the actor now.
func (db *DB) CreateTarget(ctx context.Context, t *indicators.Target) error {
	return db.edit(ctx, func(tx *wtx) (indicators.AuditEvent, error) { return db.createTarget(ctx, tx, t) })
}

// UpdateTarget files a target under another task group or task.
func (db *DB) UpdateTarget(ctx context.Context, t indicators.Target) error {
	return db.edit(ctx, func(tx *wtx) (indicators.AuditEvent, error) { return db.updateTarget(ctx, tx, t) })
}

func targetObject(t indicators.Target) string {
	return fmt.Sprintf("target:%d:%s/%s/%s", t.ID, t.Plan, t.Indicator, t.Period)
}

// checkTargetLinks checks what a target refers to: its plan, indicator,
// task group and task.
func checkTargetLinks(ctx context.Context, tx *wtx, t indicators.Target) error {
	if err := checkPlan(ctx, tx, t.Plan); err != nil {
		return err
	}
	found, err := exists(ctx, tx, "indicator", `SELECT COUNT(*) FROM indicators WHERE code = $1`, t.Indicator)
	if err != nil {
		return err
	}
	if !found {
		return invalid("indicator", fmt.Sprintf("không có chỉ tiêu %q", t.Indicator), fmt.Sprintf("indicator %q does not exist", t.Indicator))
	}
	if err := checkGroup(ctx, tx, t.Plan, t.Group); err != nil {
		return err
	}
	if t.Unit != "" {
		found, err := exists(ctx, tx, "unit", `SELECT COUNT(*) FROM units WHERE code = $1`, t.Unit)
		if err != nil {
			return err
		}
		if !found {
			return invalid("unit", fmt.Sprintf("không có đơn vị %q", t.Unit), fmt.Sprintf("unit %q does not exist", t.Unit))
		}
	}
	if t.Task != "" {
		found, err := exists(ctx, tx, "task", `SELECT COUNT(*) FROM tasks WHERE code = $1`, t.Task)
		if err != nil {
			return err
		}
		if !found {
			return invalid("task", fmt.Sprintf("không có nhiệm vụ %q", t.Task), fmt.Sprintf("task %q does not exist", t.Task))
		}
	}
	return nil
}

func (db *DB) createTarget(ctx context.Context, tx *wtx, t *indicators.Target) (indicators.AuditEvent, error) {
	var ev indicators.AuditEvent
	t.Seq = 0
	t.ActDate, t.Effective = day(t.ActDate), day(t.Effective)
	t.EnteredAt, t.EnteredBy = db.now(), indicators.ActorFrom(ctx).User
	if err := t.Validate(); err != nil {
		return ev, err
	}
	if err := checkTargetLinks(ctx, tx, *t); err != nil {
		return ev, err
	}
	if _, err := findTarget(ctx, tx, t.Key()); err == nil {
		return ev, conflict("target", fmt.Sprintf("đã có mục tiêu %s; hãy điều chỉnh mục tiêu đó", t.Key()),
			fmt.Sprintf("target %s exists; revise it instead", t.Key()))
	} else if indicators.ErrorCode(err) != indicators.ENOTFOUND {
		return ev, err
	}
	if err := db.insertTarget(ctx, tx, t); err != nil {
		return ev, err
	}
	stored := *t
	stored.Revisions = nil
	return indicators.AuditEvent{Action: "target.create", Object: targetObject(*t), After: jsonOf(stored)}, nil
}

// findTarget returns the target with key k, with its revisions.
func findTarget(ctx context.Context, tx *wtx, k indicators.TargetKey) (indicators.Target, error) {
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM targets WHERE plan = $1 AND indicator = $2 AND period_from = $3
		AND period_to = $4 AND scope = $5 AND unit = $6`, k.Plan, k.Indicator, k.Period.From, k.Period.To, k.Scope, k.Unit).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return indicators.Target{}, notFound("target", k.String())
	}
	if err != nil {
		return indicators.Target{}, fmt.Errorf("postgres: find target %s: %w", k, err)
	}
	return targetByID(ctx, tx, id)
}

// updateTarget changes the task group and task of the target t.ID, or of
// the target with t's key when t.ID is zero.
func (db *DB) updateTarget(ctx context.Context, tx *wtx, t indicators.Target) (indicators.AuditEvent, error) {
	var ev indicators.AuditEvent
	var before indicators.Target
	var err error
	if t.ID != 0 {
		before, err = targetByID(ctx, tx, t.ID)
	} else {
		before, err = findTarget(ctx, tx, t.Key())
	}
	if err != nil {
		return ev, err
	}
	after := before
	after.Group, after.Task = t.Group, t.Task
	if err := after.Validate(); err != nil {
		return ev, err
	}
	if err := checkTargetLinks(ctx, tx, after); err != nil {
		return ev, err
	}
	if after.Group == before.Group && after.Task == before.Task {
		return ev, nil
	}
	if _, err := tx.Exec(ctx, `UPDATE targets SET grp = $1, task = $2 WHERE id = $3`, after.Group, after.Task, before.ID); err != nil {
		return ev, fmt.Errorf("postgres: update target %d: %w", before.ID, err)
	}
	type filing struct {
		Group int    `json:"group"`
		Task  string `json:"task"`
	}
	return indicators.AuditEvent{Action: "target.update", Object: targetObject(before),
		Before: jsonOf(filing{before.Group, before.Task}), After: jsonOf(filing{after.Group, after.Task})}, nil
}

// CreateTask stores a new task and fills its ID.
func (db *DB) CreateTask(ctx context.Context, t *indicators.Task) error {
	return db.edit(ctx, func(tx *wtx) (indicators.AuditEvent, error) { return db.createTask(ctx, tx, t) })
}

// UpdateTask changes a stored task, found by its code.
func (db *DB) UpdateTask(ctx context.Context, t indicators.Task) error {
	return db.edit(ctx, func(tx *wtx) (indicators.AuditEvent, error) { return db.updateTask(ctx, tx, t) })
}

// Task returns the task with the given code.
func (db *DB) Task(ctx context.Context, code string) (indicators.Task, error) {
	return taskByCode(ctx, db.pool, code)
}

func taskByCode(ctx context.Context, q querier, code string) (indicators.Task, error) {
	t, err := scanTask(q.QueryRow(ctx, `SELECT `+taskColumns+` FROM tasks WHERE code = $1`, code))
	if errors.Is(err, pgx.ErrNoRows) {
		return t, notFound("task", code)
	}
	if err != nil {
		return t, fmt.Errorf("postgres: find task %s: %w", code, err)
	}
	return t, nil
}

func normTask(t *indicators.Task) {
	t.Start, t.Deadline, t.Done = day(t.Start), day(t.Deadline), day(t.Done)
}

func checkTask(ctx context.Context, tx *wtx, t indicators.Task) error {
	if err := t.Validate(); err != nil {
		return err
	}
	if err := checkPlan(ctx, tx, t.Plan); err != nil {
		return err
	}
	if err := checkGroup(ctx, tx, t.Plan, t.Group); err != nil {
		return err
	}
	return checkAgency(ctx, tx, t.LeadAgency)
}

func percentArg(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func (db *DB) createTask(ctx context.Context, tx *wtx, t *indicators.Task) (indicators.AuditEvent, error) {
	var ev indicators.AuditEvent
	normTask(t)
	if err := checkTask(ctx, tx, *t); err != nil {
		return ev, err
	}
	found, err := exists(ctx, tx, "task", `SELECT COUNT(*) FROM tasks WHERE code = $1`, t.Code)
	if err != nil {
		return ev, err
	}
	if found {
		return ev, conflict("code", fmt.Sprintf("nhiệm vụ %s đã có", t.Code), fmt.Sprintf("task %s exists", t.Code))
	}
	if err := tx.QueryRow(ctx, `INSERT INTO tasks (code, plan, grp, name_vi, name_en, lead_agency, start, deadline,
		percent, done, status_note, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		t.Code, t.Plan, t.Group, t.NameVI, t.NameEN, t.LeadAgency, nullDate(t.Start), nullDate(t.Deadline),
		percentArg(t.Percent), nullDate(t.Done), t.StatusNote, t.Source).Scan(&t.ID); err != nil {
		return ev, fmt.Errorf("postgres: insert task %s: %w", t.Code, err)
	}
	return indicators.AuditEvent{Action: "task.create", Object: "task:" + t.Code, After: jsonOf(t)}, nil
}

func (db *DB) updateTask(ctx context.Context, tx *wtx, t indicators.Task) (indicators.AuditEvent, error) {
	var ev indicators.AuditEvent
	before, err := taskByCode(ctx, tx, t.Code)
	if err != nil {
		return ev, err
	}
	t.ID = before.ID
	normTask(&t)
	if err := checkTask(ctx, tx, t); err != nil {
		return ev, err
	}
	if jsonOf(before) == jsonOf(t) {
		return ev, nil
	}
	if _, err := tx.Exec(ctx, `UPDATE tasks SET plan = $1, grp = $2, name_vi = $3, name_en = $4, lead_agency = $5,
		start = $6, deadline = $7, percent = $8, done = $9, status_note = $10, source = $11 WHERE id = $12`,
		t.Plan, t.Group, t.NameVI, t.NameEN, t.LeadAgency, nullDate(t.Start), nullDate(t.Deadline),
		percentArg(t.Percent), nullDate(t.Done), t.StatusNote, t.Source, t.ID); err != nil {
		return ev, fmt.Errorf("postgres: update task %s: %w", t.Code, err)
	}
	return indicators.AuditEvent{Action: "task.update", Object: "task:" + t.Code, Before: jsonOf(before), After: jsonOf(t)}, nil
}

// CreateUnit stores a new unit.
func (db *DB) CreateUnit(ctx context.Context, u indicators.Unit) error {
	return db.edit(ctx, func(tx *wtx) (indicators.AuditEvent, error) { return db.createUnit(ctx, tx, u) })
}

// UpdateUnit changes a stored unit, its validity dates included.
func (db *DB) UpdateUnit(ctx context.Context, u indicators.Unit) error {
	return db.edit(ctx, func(tx *wtx) (indicators.AuditEvent, error) { return db.updateUnit(ctx, tx, u) })
}

func checkUnit(ctx context.Context, tx *wtx, u *indicators.Unit) error {
	u.ValidFrom, u.ValidTo = day(u.ValidFrom), day(u.ValidTo)
	if err := u.Validate(); err != nil {
		return err
	}
	if u.Parent == "" {
		return nil
	}
	if u.Parent == u.Code {
		return invalid("parent", "đơn vị không thể trực thuộc chính nó", "a unit cannot belong to itself")
	}
	found, err := exists(ctx, tx, "unit", `SELECT COUNT(*) FROM units WHERE code = $1`, u.Parent)
	if err != nil {
		return err
	}
	if !found {
		return invalid("parent", fmt.Sprintf("không có đơn vị cấp trên %q", u.Parent), fmt.Sprintf("parent unit %q does not exist", u.Parent))
	}
	return nil
}

func (db *DB) createUnit(ctx context.Context, tx *wtx, u indicators.Unit) (indicators.AuditEvent, error) {
	var ev indicators.AuditEvent
	if err := checkUnit(ctx, tx, &u); err != nil {
		return ev, err
	}
	found, err := exists(ctx, tx, "unit", `SELECT COUNT(*) FROM units WHERE code = $1`, u.Code)
	if err != nil {
		return ev, err
	}
	if found {
		return ev, conflict("code", fmt.Sprintf("đơn vị %s đã có", u.Code), fmt.Sprintf("unit %s exists", u.Code))
	}
	if _, err := tx.Exec(ctx, `INSERT INTO units (`+unitColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		u.Code, u.NameVI, u.NameEN, u.Kind, u.Type, u.Parent, u.Scope, nullDate(u.ValidFrom), nullDate(u.ValidTo), u.Source); err != nil {
		return ev, fmt.Errorf("postgres: insert unit %s: %w", u.Code, err)
	}
	return indicators.AuditEvent{Action: "unit.create", Object: "unit:" + u.Code, After: jsonOf(u)}, nil
}

func (db *DB) updateUnit(ctx context.Context, tx *wtx, u indicators.Unit) (indicators.AuditEvent, error) {
	var ev indicators.AuditEvent
	before, err := scanUnit(tx.QueryRow(ctx, `SELECT `+unitSelect+` FROM units WHERE code = $1`, u.Code))
	if errors.Is(err, pgx.ErrNoRows) {
		return ev, notFound("unit", u.Code)
	}
	if err != nil {
		return ev, fmt.Errorf("postgres: find unit %s: %w", u.Code, err)
	}
	if err := checkUnit(ctx, tx, &u); err != nil {
		return ev, err
	}
	if jsonOf(before) == jsonOf(u) {
		return ev, nil
	}
	if _, err := tx.Exec(ctx, `UPDATE units SET name_vi = $1, name_en = $2, kind = $3, type = $4, parent = $5, scope = $6,
		valid_from = $7, valid_to = $8, source = $9 WHERE code = $10`, u.NameVI, u.NameEN, u.Kind, u.Type, u.Parent, u.Scope,
		nullDate(u.ValidFrom), nullDate(u.ValidTo), u.Source, u.Code); err != nil {
		return ev, fmt.Errorf("postgres: update unit %s: %w", u.Code, err)
	}
	return indicators.AuditEvent{Action: "unit.update", Object: "unit:" + u.Code, Before: jsonOf(before), After: jsonOf(u)}, nil
}

// AddTaskUpdate records progress on a task, entered by the actor now. The
// task's own row is left as it is: the engine reads the updates known at
// each as-of date, so that a report made today does not rewrite the past.
func (db *DB) AddTaskUpdate(ctx context.Context, u *indicators.TaskUpdate) error {
	return db.edit(ctx, func(tx *wtx) (indicators.AuditEvent, error) {
		var ev indicators.AuditEvent
		task, err := scanTask(tx.QueryRow(ctx, `SELECT `+taskColumns+` FROM tasks WHERE id = $1`, u.Task))
		if errors.Is(err, pgx.ErrNoRows) {
			return ev, notFound("task", fmt.Sprint(u.Task))
		}
		if err != nil {
			return ev, fmt.Errorf("postgres: find task %d: %w", u.Task, err)
		}
		actor := indicators.ActorFrom(ctx)
		if !actor.MayReport(task) {
			return ev, indicators.FieldError(indicators.EFORBIDDEN, "task",
				fmt.Sprintf("người dùng %s không được báo cáo tiến độ nhiệm vụ %s (ngoài phạm vi cơ quan, nhóm nhiệm vụ được giao)", actor.User, task.Code),
				fmt.Sprintf("user %s may not report on task %s (outside their agencies or task groups)", actor.User, task.Code))
		}
		u.Date = day(u.Date)
		if err := u.Validate(); err != nil {
			return ev, err
		}
		now := db.now()
		if u.Date.After(indicators.EndOfDay(now)) {
			return ev, invalid("date", "ngày báo cáo tiến độ ở tương lai", "the progress date is in the future")
		}
		u.EnteredBy, u.EnteredAt = actor.User, now
		before, err := queryTaskUpdates(ctx, tx, task.ID)
		if err != nil {
			return ev, err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO task_updates (task, percent, note, date, done, entered_by, entered_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, u.Task, u.Percent, u.Note, nullDate(u.Date), u.Done, u.EnteredBy, nullTime(u.EnteredAt)); err != nil {
			return ev, fmt.Errorf("postgres: insert update of task %s: %w", task.Code, err)
		}
		ev = indicators.AuditEvent{Action: "task.progress", Object: "task:" + task.Code, After: jsonOf(u)}
		if last, ok := indicators.LatestUpdate(before, now); ok {
			ev.Before = jsonOf(last)
		} else if task.Percent != nil {
			ev.Before = jsonOf(indicators.TaskUpdate{Task: task.ID, Percent: *task.Percent, Note: task.StatusNote, Done: !task.Done.IsZero()})
		}
		return ev, nil
	})
}

// ApplyCatalogChanges applies a plan workbook's changes in order, in one
// transaction: a refused change rolls back every other. Each change is
// audited with the file's hash, and the import as a whole with its counts.
func (db *DB) ApplyCatalogChanges(ctx context.Context, changes []indicators.CatalogChange, src indicators.ChangeSource) error {
	return db.writeTx(ctx, func(tx *wtx) error {
		counts := map[indicators.ChangeAction]int{}
		for _, ch := range changes {
			ev, err := db.applyChange(ctx, tx, ch)
			if err != nil {
				return changeError(ch, err)
			}
			if ev.Action == "" {
				continue
			}
			counts[ch.Action]++
			ev.FileHash = src.SHA256
			if err := tx.audit(ctx, ev); err != nil {
				return err
			}
		}
		summary := struct {
			File    string `json:"file"`
			Created int    `json:"created"`
			Updated int    `json:"updated"`
			Revised int    `json:"revised"`
		}{src.FileName, counts[indicators.Create], counts[indicators.Update], counts[indicators.Revise]}
		object := "planbook"
		if len(src.SHA256) >= 16 {
			object += ":" + src.SHA256[:16]
		}
		return tx.audit(ctx, indicators.AuditEvent{Action: "planbook.import", Object: object,
			After: jsonOf(summary), FileHash: src.SHA256})
	})
}

func (db *DB) applyChange(ctx context.Context, tx *wtx, ch indicators.CatalogChange) (indicators.AuditEvent, error) {
	create, update := ch.Action == indicators.Create, ch.Action == indicators.Update
	switch {
	case ch.Plan != nil && create:
		return db.createPlan(ctx, tx, ch.Plan)
	case ch.Plan != nil && update:
		return db.updatePlan(ctx, tx, *ch.Plan)
	case ch.Group != nil && create:
		return db.createGroup(ctx, tx, *ch.Group)
	case ch.Group != nil && update:
		return db.updateGroup(ctx, tx, *ch.Group)
	case ch.Indicator != nil && create:
		return db.createIndicator(ctx, tx, *ch.Indicator)
	case ch.Indicator != nil && update:
		return db.updateIndicator(ctx, tx, *ch.Indicator)
	case ch.Task != nil && create:
		return db.createTask(ctx, tx, ch.Task)
	case ch.Task != nil && update:
		return db.updateTask(ctx, tx, *ch.Task)
	case ch.Unit != nil && create:
		return db.createUnit(ctx, tx, *ch.Unit)
	case ch.Unit != nil && update:
		return db.updateUnit(ctx, tx, *ch.Unit)
	case ch.Target != nil && create:
		return db.createTarget(ctx, tx, ch.Target)
	case ch.Target != nil && update:
		return db.updateTarget(ctx, tx, *ch.Target)
	case ch.Target != nil && ch.Action == indicators.Revise:
		t, err := findTarget(ctx, tx, ch.Target.Key())
		if err != nil {
			return indicators.AuditEvent{}, err
		}
		return db.reviseTarget(ctx, tx, t.ID, ch.Target.TargetRevision)
	}
	return indicators.AuditEvent{}, fmt.Errorf("postgres: change %s of %s %s carries no item of that kind", ch.Action, ch.Object, ch.Key)
}

// changeError names the workbook row of a refused change in its message.
func changeError(ch indicators.CatalogChange, err error) error {
	var de *indicators.Error
	if !errors.As(err, &de) {
		return fmt.Errorf("postgres: apply %s of %s %s: %w", ch.Action, ch.Object, ch.Key, err)
	}
	where := ch.Key
	if ch.Sheet != "" {
		where = fmt.Sprintf("trang %s, dòng %d (%s)", ch.Sheet, ch.Row, ch.Key)
	}
	return &indicators.Error{Code: de.Code, Field: de.Field,
		Message: where + ": " + de.Message, English: ch.Key + ": " + de.English}
}

// SetUnitOfficialCode sets or clears a unit's official administrative
// code; two units never share one.
func (db *DB) SetUnitOfficialCode(ctx context.Context, unit, code string) error {
	return db.edit(ctx, func(tx *wtx) (indicators.AuditEvent, error) {
		var ev indicators.AuditEvent
		if err := indicators.ValidateOfficialCode(code); err != nil {
			return ev, err
		}
		var before string
		err := tx.QueryRow(ctx, `SELECT official_code FROM units WHERE code = $1`, unit).Scan(&before)
		if errors.Is(err, pgx.ErrNoRows) {
			return ev, notFound("unit", unit)
		}
		if err != nil {
			return ev, fmt.Errorf("postgres: find unit %s: %w", unit, err)
		}
		if before == code {
			return ev, nil
		}
		if code != "" {
			var other string
			err := tx.QueryRow(ctx, `SELECT code FROM units WHERE official_code = $1 AND code <> $2`, code, unit).Scan(&other)
			if err == nil {
				return ev, conflict("official_code", fmt.Sprintf("mã đơn vị hành chính %s đã là mã của đơn vị %s", code, other),
					fmt.Sprintf("official code %s already belongs to unit %s", code, other))
			}
			if !errors.Is(err, pgx.ErrNoRows) {
				return ev, fmt.Errorf("postgres: check official code %s: %w", code, err)
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE units SET official_code = $1 WHERE code = $2`, code, unit); err != nil {
			return ev, fmt.Errorf("postgres: set official code of unit %s: %w", unit, err)
		}
		return indicators.AuditEvent{Action: "unit.official_code", Object: "unit:" + unit,
			Before: jsonOf(map[string]string{"official_code": before}), After: jsonOf(map[string]string{"official_code": code})}, nil
	})
}
