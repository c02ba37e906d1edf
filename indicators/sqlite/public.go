package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"chitieu/indicators"
)

var _ indicators.PublicStore = (*DB)(nil)

// PublicPlans returns the plans open to the public view.
func (db *DB) PublicPlans(ctx context.Context) (map[string]bool, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT plan FROM public_plans`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list public plans: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlite: scan public plan: %w", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}

// SetPlanPublic opens or closes a plan's public view; a switch to the state
// it is already in writes nothing.
func (db *DB) SetPlanPublic(ctx context.Context, plan string, open bool) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM plans WHERE id = ?`, plan).Scan(&n); err != nil {
			return fmt.Errorf("sqlite: find plan %s: %w", plan, err)
		}
		if n == 0 {
			return notFound("plan", plan)
		}
		var res sql.Result
		var err error
		if open {
			res, err = tx.ExecContext(ctx, `INSERT INTO public_plans (plan, opened_at, opened_by) VALUES (?, ?, ?)
				ON CONFLICT (plan) DO NOTHING`, plan, fmtTime(db.now().UTC()), indicators.ActorFrom(ctx).User)
		} else {
			res, err = tx.ExecContext(ctx, `DELETE FROM public_plans WHERE plan = ?`, plan)
		}
		if err != nil {
			return fmt.Errorf("sqlite: set public view of plan %s: %w", plan, err)
		}
		if changed, _ := res.RowsAffected(); changed == 0 {
			return nil
		}
		return db.audit(ctx, tx, indicators.AuditEvent{Action: "plan.public", Object: "plan:" + plan,
			Before: jsonOf(map[string]any{"public": !open}), After: jsonOf(map[string]any{"public": open})})
	})
}

// PublicOptions returns the options of a plan's public view.
func (db *DB) PublicOptions(ctx context.Context, plan string) (indicators.PublicOptions, error) {
	var o indicators.PublicOptions
	err := db.read.QueryRowContext(ctx, `SELECT estimates, indexing FROM public_plans WHERE plan = ?`, plan).
		Scan(&o.Estimates, &o.Indexing)
	if errors.Is(err, sql.ErrNoRows) {
		return o, nil
	}
	if err != nil {
		return o, fmt.Errorf("sqlite: public options of plan %s: %w", plan, err)
	}
	return o, nil
}

// SetPublicOptions sets the options of an open plan's public view; a
// change of nothing writes nothing.
func (db *DB) SetPublicOptions(ctx context.Context, plan string, o indicators.PublicOptions) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		var old indicators.PublicOptions
		err := tx.QueryRowContext(ctx, `SELECT estimates, indexing FROM public_plans WHERE plan = ?`, plan).
			Scan(&old.Estimates, &old.Indexing)
		if errors.Is(err, sql.ErrNoRows) {
			return indicators.FieldError(indicators.ECONFLICT, "plan",
				fmt.Sprintf("kế hoạch %s chưa được công khai; hãy mở trang công khai trước", plan),
				fmt.Sprintf("plan %s is not open to the public; open its public view first", plan))
		}
		if err != nil {
			return fmt.Errorf("sqlite: public options of plan %s: %w", plan, err)
		}
		if old == o {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE public_plans SET estimates = ?, indexing = ? WHERE plan = ?`,
			o.Estimates, o.Indexing, plan); err != nil {
			return fmt.Errorf("sqlite: set public options of plan %s: %w", plan, err)
		}
		return db.audit(ctx, tx, indicators.AuditEvent{Action: "plan.public_options", Object: "plan:" + plan,
			Before: jsonOf(map[string]any{"estimates": old.Estimates, "indexing": old.Indexing}),
			After:  jsonOf(map[string]any{"estimates": o.Estimates, "indexing": o.Indexing})})
	})
}
