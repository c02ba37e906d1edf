package postgres

import (
	"context"
	"fmt"

	"chitieu/indicators"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// querier is what reads need of the pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Targets returns the targets f selects, each with every revision, oldest
// first; the embedded revision is the latest entered. Ordered by plan,
// group, indicator and period.
func (db *DB) Targets(ctx context.Context, f indicators.TargetFilter) ([]indicators.Target, error) {
	var a args
	q := ` WHERE true`
	if f.Plan != "" {
		q += ` AND t.plan = ` + a.add(f.Plan)
	}
	if f.Period != nil {
		q += ` AND t.period_from = ` + a.add(f.Period.From) + ` AND t.period_to = ` + a.add(f.Period.To)
	}
	if f.Indicator != "" {
		q += ` AND t.indicator = ` + a.add(f.Indicator)
	}
	if f.Group != nil {
		q += ` AND t.grp = ` + a.add(*f.Group)
	}
	if f.Unit != nil {
		q += ` AND t.unit = ` + a.add(*f.Unit)
	}
	return queryTargets(ctx, db.pool, q, a...)
}

// queryTargets reads the targets that where selects (t is the target, r
// its revision), each with every revision, oldest first.
func queryTargets(ctx context.Context, q querier, where string, a ...any) ([]indicators.Target, error) {
	rows, err := q.Query(ctx, `SELECT t.id, t.plan, t.indicator, t.period_from, t.period_to, t.scope, t.unit, t.grp, t.task,
		r.seq, r.kind, r.op, r.a, r.b, r.base_year, r.tolerance, r.direction, r.text, r.source, r.act, r.act_date, r.effective,
		r.reason, r.entered_by, r.entered_at
		FROM targets t JOIN target_revisions r ON r.target = t.id
		JOIN plans p ON p.id = t.plan`+where+`
		ORDER BY p.ord, t.plan COLLATE "C", t.grp, t.indicator COLLATE "C", t.period_from, t.period_to,
			t.scope COLLATE "C", t.unit COLLATE "C", r.seq`, a...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list targets: %w", err)
	}
	defer rows.Close()
	var out []indicators.Target
	for rows.Next() {
		var t indicators.Target
		var r indicators.TargetRevision
		var actDate, effective pgtype.Date
		if err := rows.Scan(&t.ID, &t.Plan, &t.Indicator, &t.Period.From, &t.Period.To, &t.Scope, &t.Unit, &t.Group, &t.Task,
			&r.Seq, &r.Kind, &r.Bound.Op, &r.Bound.A, &r.Bound.B, &r.BaseYear, &r.Tolerance, &r.Direction, &r.Text, &r.Source, &r.Act,
			&actDate, &effective, &r.Reason, &r.EnteredBy, &r.EnteredAt); err != nil {
			return nil, fmt.Errorf("postgres: scan target: %w", err)
		}
		r.ActDate, r.Effective, r.EnteredAt = dateOf(actDate), dateOf(effective), r.EnteredAt.UTC()
		if n := len(out); n > 0 && out[n-1].ID == t.ID {
			out[n-1].Revisions = append(out[n-1].Revisions, r)
			out[n-1].TargetRevision = r
			continue
		}
		t.TargetRevision = r
		t.Revisions = []indicators.TargetRevision{r}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list targets: %w", err)
	}
	return out, nil
}

// Target returns one target with its revisions.
func (db *DB) Target(ctx context.Context, id int64) (indicators.Target, error) {
	return targetByID(ctx, db.pool, id)
}

func targetByID(ctx context.Context, q querier, id int64) (indicators.Target, error) {
	ts, err := queryTargets(ctx, q, ` WHERE t.id = $1`, id)
	if err != nil {
		return indicators.Target{}, err
	}
	if len(ts) == 0 {
		return indicators.Target{}, notFound("target", fmt.Sprint(id))
	}
	return ts[0], nil
}

// insertTarget stores a new target with its original revision.
func (db *DB) insertTarget(ctx context.Context, tx *wtx, t *indicators.Target) error {
	err := tx.QueryRow(ctx, `INSERT INTO targets (plan, indicator, period_from, period_to, scope, unit, grp, task)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		t.Plan, t.Indicator, t.Period.From, t.Period.To, t.Scope, t.Unit, t.Group, t.Task).Scan(&t.ID)
	if err != nil {
		return fmt.Errorf("postgres: insert target %s/%s/%s: %w", t.Plan, t.Indicator, t.Period, err)
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

func insertRevision(ctx context.Context, tx *wtx, target int64, r indicators.TargetRevision) error {
	_, err := tx.Exec(ctx, `INSERT INTO target_revisions (target, seq, kind, op, a, b, base_year, tolerance, direction, text,
		source, act, act_date, effective, reason, entered_by, entered_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		target, r.Seq, r.Kind, r.Bound.Op, r.Bound.A, r.Bound.B, r.BaseYear, r.Tolerance, r.Direction, r.Text, r.Source, r.Act,
		nullDate(r.ActDate), nullDate(r.Effective), r.Reason, r.EnteredBy, nullTime(r.EnteredAt))
	if err != nil {
		return fmt.Errorf("postgres: insert revision %d of target %d: %w", r.Seq, target, err)
	}
	return nil
}

// ReviseTarget appends a revision to a target; the earlier ones stay.
func (db *DB) ReviseTarget(ctx context.Context, id int64, rev indicators.TargetRevision) error {
	return db.edit(ctx, func(tx *wtx) (indicators.AuditEvent, error) { return db.reviseTarget(ctx, tx, id, rev) })
}

// reviseTarget appends rev to target id inside tx and returns the audit
// event that records it.
func (db *DB) reviseTarget(ctx context.Context, tx *wtx, id int64, rev indicators.TargetRevision) (indicators.AuditEvent, error) {
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
