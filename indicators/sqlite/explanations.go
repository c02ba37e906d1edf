package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"chitieu/indicators"
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
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM targets WHERE id = ?`, e.Target).Scan(&n); err != nil {
			return fmt.Errorf("sqlite: find target %d: %w", e.Target, err)
		}
		if n == 0 {
			return notFound("target", strconv.FormatInt(e.Target, 10))
		}
		var before string
		var cause, remedy string
		err := tx.QueryRowContext(ctx, `SELECT cause, remedy FROM explanations WHERE target = ? AND unit = ? AND period = ?`,
			e.Target, e.Unit, e.Period.String()).Scan(&cause, &remedy)
		switch {
		case err == nil:
			before = jsonOf(map[string]any{"cause": cause, "remedy": remedy})
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("sqlite: read %s: %w", object, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO explanations (target, unit, period, cause, remedy, entered_by, entered_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (target, unit, period) DO UPDATE SET cause = excluded.cause,
			remedy = excluded.remedy, entered_by = excluded.entered_by, entered_at = excluded.entered_at`,
			e.Target, e.Unit, e.Period.String(), e.Cause, e.Remedy, e.EnteredBy, fmtTime(e.EnteredAt)); err != nil {
			if strings.Contains(err.Error(), "FOREIGN KEY") {
				return notFound("unit", e.Unit)
			}
			return fmt.Errorf("sqlite: store %s: %w", object, err)
		}
		return db.audit(ctx, tx, indicators.AuditEvent{Action: "explanation.set", Object: object, Before: before,
			After: jsonOf(map[string]any{"cause": e.Cause, "remedy": e.Remedy})})
	})
	return e, err
}

// Explanations returns the explanations f selects, by period, unit and target.
func (db *DB) Explanations(ctx context.Context, f indicators.ExplanationFilter) ([]indicators.Explanation, error) {
	q := `SELECT target, unit, period, cause, remedy, entered_by, entered_at FROM explanations WHERE (? = '' OR period = ?)`
	period := ""
	if f.Period != nil {
		period = f.Period.String()
	}
	args := []any{period, period}
	if len(f.Units) > 0 {
		q += ` AND unit IN (?` + strings.Repeat(", ?", len(f.Units)-1) + `)`
		for _, u := range f.Units {
			args = append(args, u)
		}
	}
	rows, err := db.read.QueryContext(ctx, q+` ORDER BY period, unit, target`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list explanations: %w", err)
	}
	defer rows.Close()
	var out []indicators.Explanation
	for rows.Next() {
		var e indicators.Explanation
		var p, at string
		if err := rows.Scan(&e.Target, &e.Unit, &p, &e.Cause, &e.Remedy, &e.EnteredBy, &at); err != nil {
			return nil, fmt.Errorf("sqlite: scan explanation: %w", err)
		}
		if e.Period, err = indicators.ParsePeriod(p); err != nil {
			return nil, fmt.Errorf("sqlite: explanation of target %d has period %q: %w", e.Target, p, err)
		}
		e.EnteredAt = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
