package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"chitieu/indicators"

	"github.com/jackc/pgx/v5"
)

var _ indicators.ExplanationStore = (*DB)(nil)

// SetExplanation stores a unit's explanation of a target for a period,
// replacing the one before (kept in the audit trail). Only a planner of
// the unit writes it.
func (db *DB) SetExplanation(ctx context.Context, e indicators.Explanation) (indicators.Explanation, error) {
	e.Cause, e.Remedy = strings.TrimSpace(e.Cause), strings.TrimSpace(e.Remedy)
	if err := e.Validate(); err != nil {
		return e, err
	}
	a := indicators.ActorFrom(ctx)
	if a.Role != "" && !a.MaySubmit(e.Unit) {
		return e, indicators.FieldError(indicators.EFORBIDDEN, "unit",
			fmt.Sprintf("%s không được giải trình thay đơn vị %s: chỉ chuyên viên của đơn vị", a.User, e.Unit),
			fmt.Sprintf("%s may not explain for unit %s: only a planner of the unit", a.User, e.Unit))
	}
	e.EnteredBy, e.EnteredAt = a.User, db.now()
	object := "explanation:" + strconv.FormatInt(e.Target, 10) + "/" + e.Unit + "/" + e.Period.String()
	err := db.writeTx(ctx, func(tx *wtx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM targets WHERE id = $1`, e.Target).Scan(&n); err != nil {
			return fmt.Errorf("postgres: find target %d: %w", e.Target, err)
		}
		if n == 0 {
			return notFound("target", strconv.FormatInt(e.Target, 10))
		}
		var before, cause, remedy string
		err := tx.QueryRow(ctx, `SELECT cause, remedy FROM explanations WHERE target = $1 AND unit = $2 AND period = $3`,
			e.Target, e.Unit, e.Period.String()).Scan(&cause, &remedy)
		switch {
		case err == nil:
			before = jsonOf(map[string]any{"cause": cause, "remedy": remedy})
		case !errors.Is(err, pgx.ErrNoRows):
			return fmt.Errorf("postgres: read %s: %w", object, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO explanations (target, unit, period, cause, remedy, entered_by, entered_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (target, unit, period) DO UPDATE SET cause = excluded.cause,
			remedy = excluded.remedy, entered_by = excluded.entered_by, entered_at = excluded.entered_at`,
			e.Target, e.Unit, e.Period.String(), e.Cause, e.Remedy, e.EnteredBy, nullTime(e.EnteredAt)); err != nil {
			if isForeignKey(err) {
				return notFound("unit", e.Unit)
			}
			return fmt.Errorf("postgres: store %s: %w", object, err)
		}
		return tx.audit(ctx, indicators.AuditEvent{Action: "explanation.set", Object: object, Before: before,
			After: jsonOf(map[string]any{"cause": e.Cause, "remedy": e.Remedy})})
	})
	return e, err
}

// Explanations returns the explanations f selects, by period, unit and target.
func (db *DB) Explanations(ctx context.Context, f indicators.ExplanationFilter) ([]indicators.Explanation, error) {
	var a args
	q := `SELECT target, unit, period, cause, remedy, entered_by, entered_at FROM explanations WHERE true`
	if f.Period != nil {
		q += ` AND period = ` + a.add(f.Period.String())
	}
	if len(f.Units) > 0 {
		q += ` AND unit = ANY(` + a.add(f.Units) + `)`
	}
	rows, err := db.pool.Query(ctx, q+` ORDER BY period COLLATE "C", unit COLLATE "C", target`, a...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list explanations: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (indicators.Explanation, error) {
		var e indicators.Explanation
		var p string
		var at time.Time
		if err := r.Scan(&e.Target, &e.Unit, &p, &e.Cause, &e.Remedy, &e.EnteredBy, &at); err != nil {
			return e, err
		}
		var err error
		if e.Period, err = indicators.ParsePeriod(p); err != nil {
			return e, fmt.Errorf("explanation of target %d has period %q: %w", e.Target, p, err)
		}
		e.EnteredAt = at.UTC()
		return e, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list explanations: %w", err)
	}
	return out, nil
}
