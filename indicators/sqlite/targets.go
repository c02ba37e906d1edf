package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"chitieu/indicators"
)

// Targets returns the targets f selects, each with every revision, oldest
// first; the embedded revision is the latest entered. Ordered by plan,
// group, indicator and period.
func (db *DB) Targets(ctx context.Context, f indicators.TargetFilter) ([]indicators.Target, error) {
	q := ` WHERE 1=1`
	var args []any
	if f.Plan != "" {
		q += ` AND t.plan = ?`
		args = append(args, f.Plan)
	}
	if f.Period != nil {
		q += ` AND t.period_from = ? AND t.period_to = ?`
		args = append(args, f.Period.From, f.Period.To)
	}
	if f.Indicator != "" {
		q += ` AND t.indicator = ?`
		args = append(args, f.Indicator)
	}
	if f.Group != nil {
		q += ` AND t.grp = ?`
		args = append(args, *f.Group)
	}
	if f.Unit != nil {
		q += ` AND t.unit = ?`
		args = append(args, *f.Unit)
	}
	return queryTargets(ctx, db.read, q, args...)
}

// querier is what reads need of a pool or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// queryTargets reads the targets that where selects (t is the target, r
// its revision), each with every revision, oldest first.
func queryTargets(ctx context.Context, q querier, where string, args ...any) ([]indicators.Target, error) {
	rows, err := q.QueryContext(ctx, `SELECT t.id, t.plan, t.indicator, t.period_from, t.period_to, t.scope, t.unit, t.grp, t.task,
		r.seq, r.kind, r.op, r.a, r.b, r.base_year, r.tolerance, r.direction, r.text, r.source, r.act, r.act_date, r.effective,
		r.reason, r.entered_by, r.entered_at
		FROM targets t JOIN target_revisions r ON r.target = t.id
		JOIN plans p ON p.id = t.plan`+where+`
		ORDER BY p.ord, t.plan, t.grp, t.indicator, t.period_from, t.period_to, t.scope, t.unit, r.seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list targets: %w", err)
	}
	defer rows.Close()
	var out []indicators.Target
	for rows.Next() {
		var t indicators.Target
		var r indicators.TargetRevision
		var actDate, effective, enteredAt string
		if err := rows.Scan(&t.ID, &t.Plan, &t.Indicator, &t.Period.From, &t.Period.To, &t.Scope, &t.Unit, &t.Group, &t.Task,
			&r.Seq, &r.Kind, &r.Bound.Op, &r.Bound.A, &r.Bound.B, &r.BaseYear, &r.Tolerance, &r.Direction, &r.Text, &r.Source, &r.Act,
			&actDate, &effective, &r.Reason, &r.EnteredBy, &enteredAt); err != nil {
			return nil, fmt.Errorf("sqlite: scan target: %w", err)
		}
		r.ActDate, r.Effective, r.EnteredAt = parseDate(actDate), parseDate(effective), parseTime(enteredAt)
		if n := len(out); n > 0 && out[n-1].ID == t.ID {
			out[n-1].Revisions = append(out[n-1].Revisions, r)
			out[n-1].TargetRevision = r
			continue
		}
		t.TargetRevision = r
		t.Revisions = []indicators.TargetRevision{r}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Target returns one target with its revisions.
func (db *DB) Target(ctx context.Context, id int64) (indicators.Target, error) {
	return targetByID(ctx, db.read, id)
}

func targetByID(ctx context.Context, q querier, id int64) (indicators.Target, error) {
	ts, err := queryTargets(ctx, q, ` WHERE t.id = ?`, id)
	if err != nil {
		return indicators.Target{}, err
	}
	if len(ts) == 0 {
		return indicators.Target{}, notFound("target", fmt.Sprint(id))
	}
	return ts[0], nil
}

// insertTarget stores a new target with its original revision.
func (db *DB) insertTarget(ctx context.Context, tx *sql.Tx, t *indicators.Target) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO targets (plan, indicator, period_from, period_to, scope, unit, grp, task)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, t.Plan, t.Indicator, t.Period.From, t.Period.To, t.Scope, t.Unit, t.Group, t.Task)
	if err != nil {
		return fmt.Errorf("sqlite: insert target %s/%s/%s: %w", t.Plan, t.Indicator, t.Period, err)
	}
	if t.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("sqlite: id of target: %w", err)
	}
	t.Seq = 0
	if t.EnteredAt.IsZero() {
		t.EnteredAt = db.now()
	}
	if t.EnteredBy == "" {
		t.EnteredBy = indicators.ActorFrom(ctx).User
	}
	return insertRevision(ctx, tx, t.ID, t.TargetRevision)
}

func insertRevision(ctx context.Context, tx *sql.Tx, target int64, r indicators.TargetRevision) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO target_revisions (target, seq, kind, op, a, b, base_year, tolerance, direction, text,
		source, act, act_date, effective, reason, entered_by, entered_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		target, r.Seq, r.Kind, r.Bound.Op, r.Bound.A, r.Bound.B, r.BaseYear, r.Tolerance, r.Direction, r.Text, r.Source, r.Act,
		fmtDate(r.ActDate), fmtDate(r.Effective), r.Reason, r.EnteredBy, fmtTime(r.EnteredAt))
	if err != nil {
		return fmt.Errorf("sqlite: insert revision %d of target %d: %w", r.Seq, target, err)
	}
	return nil
}

// ReviseTarget appends a revision to a target; the earlier ones stay.
func (db *DB) ReviseTarget(ctx context.Context, id int64, rev indicators.TargetRevision) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		ev, err := db.reviseTarget(ctx, tx, id, rev)
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, ev)
	})
}

// reviseTarget appends rev to target id inside tx and returns the audit
// event that records it.
func (db *DB) reviseTarget(ctx context.Context, tx *sql.Tx, id int64, rev indicators.TargetRevision) (indicators.AuditEvent, error) {
	before, err := targetByID(ctx, tx, id)
	if err != nil {
		return indicators.AuditEvent{}, err
	}
	rev.Seq = before.Seq + 1
	rev.EnteredAt = db.now()
	rev.EnteredBy = indicators.ActorFrom(ctx).User
	rev.ActDate, rev.Effective = day(rev.ActDate), day(rev.Effective)
	if err := rev.Validate(); err != nil {
		return indicators.AuditEvent{}, err
	}
	if err := insertRevision(ctx, tx, id, rev); err != nil {
		return indicators.AuditEvent{}, err
	}
	return indicators.AuditEvent{Action: "target.revise",
		Object: fmt.Sprintf("target:%d:%s/%s/%s", id, before.Plan, before.Indicator, before.Period),
		Before: jsonOf(before.TargetRevision), After: jsonOf(rev)}, nil
}
