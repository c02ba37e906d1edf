package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"chitieu/indicators"
)

// Targets returns the targets f selects, each with every revision, oldest
// first; the embedded revision is the latest entered. Ordered by plan,
// group, indicator and period.
func (db *DB) Targets(ctx context.Context, f indicators.TargetFilter) ([]indicators.Target, error) {
	q := `SELECT t.id, t.plan, t.indicator, t.period_from, t.period_to, t.scope, t.grp, t.task,
		r.seq, r.kind, r.op, r.a, r.b, r.direction, r.text, r.source, r.act, r.act_date, r.effective,
		r.reason, r.entered_by, r.entered_at
		FROM targets t JOIN target_revisions r ON r.target = t.id
		JOIN plans p ON p.id = t.plan WHERE 1=1`
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
	q += ` ORDER BY p.ord, t.plan, t.grp, t.indicator, t.period_from, t.period_to, t.scope, r.seq`
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list targets: %w", err)
	}
	defer rows.Close()
	var out []indicators.Target
	for rows.Next() {
		var t indicators.Target
		var r indicators.TargetRevision
		var actDate, effective, enteredAt string
		if err := rows.Scan(&t.ID, &t.Plan, &t.Indicator, &t.Period.From, &t.Period.To, &t.Scope, &t.Group, &t.Task,
			&r.Seq, &r.Kind, &r.Bound.Op, &r.Bound.A, &r.Bound.B, &r.Direction, &r.Text, &r.Source, &r.Act,
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
	var plan, indicator string
	var from, to int
	err := db.read.QueryRowContext(ctx, `SELECT plan, indicator, period_from, period_to FROM targets WHERE id = ?`, id).
		Scan(&plan, &indicator, &from, &to)
	if errors.Is(err, sql.ErrNoRows) {
		return indicators.Target{}, notFound("target", fmt.Sprint(id))
	}
	if err != nil {
		return indicators.Target{}, fmt.Errorf("sqlite: find target %d: %w", id, err)
	}
	ts, err := db.Targets(ctx, indicators.TargetFilter{Plan: plan, Indicator: indicator,
		Period: &indicators.YearRange{From: from, To: to}})
	if err != nil {
		return indicators.Target{}, err
	}
	for _, t := range ts {
		if t.ID == id {
			return t, nil
		}
	}
	return indicators.Target{}, notFound("target", fmt.Sprint(id))
}

// insertTarget stores a new target with its original revision.
func (db *DB) insertTarget(ctx context.Context, tx *sql.Tx, t *indicators.Target) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO targets (plan, indicator, period_from, period_to, scope, grp, task)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, t.Plan, t.Indicator, t.Period.From, t.Period.To, t.Scope, t.Group, t.Task)
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
	_, err := tx.ExecContext(ctx, `INSERT INTO target_revisions (target, seq, kind, op, a, b, direction, text,
		source, act, act_date, effective, reason, entered_by, entered_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		target, r.Seq, r.Kind, r.Bound.Op, r.Bound.A, r.Bound.B, r.Direction, r.Text, r.Source, r.Act,
		fmtDate(r.ActDate), fmtDate(r.Effective), r.Reason, r.EnteredBy, fmtTime(r.EnteredAt))
	if err != nil {
		return fmt.Errorf("sqlite: insert revision %d of target %d: %w", r.Seq, target, err)
	}
	return nil
}

// ReviseTarget appends a revision to a target; the earlier ones stay.
func (db *DB) ReviseTarget(ctx context.Context, id int64, rev indicators.TargetRevision) error {
	before, err := db.Target(ctx, id)
	if err != nil {
		return err
	}
	rev.Seq = before.Seq + 1 // checked again below, inside the transaction
	rev.EnteredAt = db.now()
	rev.EnteredBy = indicators.ActorFrom(ctx).User
	if err := rev.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT MAX(seq) + 1 FROM target_revisions WHERE target = ?`, id).Scan(&rev.Seq); err != nil {
			return fmt.Errorf("sqlite: next revision of target %d: %w", id, err)
		}
		if err := insertRevision(ctx, tx, id, rev); err != nil {
			return err
		}
		return db.audit(ctx, tx, indicators.AuditEvent{Action: "target.revise",
			Object: fmt.Sprintf("target:%d:%s/%s/%s", id, before.Plan, before.Indicator, before.Period),
			Before: jsonOf(before.TargetRevision), After: jsonOf(rev)})
	})
}
