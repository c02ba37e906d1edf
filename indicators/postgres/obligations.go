package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"chitieu/indicators"

	"github.com/jackc/pgx/v5"
)

// Reporting obligations and the plans' cut-off rules, each write one
// transaction with its audit event, as in SQLite's store.

var _ indicators.ObligationStore = (*DB)(nil)

// Obligations lists obligations by plan, unit and frequency, each with its
// indicators in code order.
func (db *DB) Obligations(ctx context.Context, f indicators.ObligationFilter) ([]indicators.Obligation, error) {
	var a args
	q := `SELECT o.id, o.plan, o.unit, o.frequency, COALESCE(o.figures, ''), o.from_year, COALESCE(i.indicator, '')
		FROM obligations o LEFT JOIN obligation_indicators i ON i.obligation = o.id WHERE true`
	if f.Plan != "" {
		q += ` AND o.plan = ` + a.add(f.Plan)
	}
	if len(f.Units) > 0 {
		in := a.add(f.Units)
		q += ` AND (o.unit = ANY(` + in + `) OR o.figures = ANY(` + in + `))`
	}
	q += ` ORDER BY o.plan, o.unit, CASE o.frequency WHEN 'year' THEN 0 WHEN 'half' THEN 1 WHEN 'quarter' THEN 2 ELSE 3 END,
		o.id, i.indicator`
	rows, err := db.pool.Query(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list obligations: %w", err)
	}
	defer rows.Close()
	var out []indicators.Obligation
	for rows.Next() {
		var o indicators.Obligation
		var code string
		if err := rows.Scan(&o.ID, &o.Plan, &o.Unit, &o.Frequency, &o.Figures, &o.FromYear, &code); err != nil {
			return nil, fmt.Errorf("postgres: scan obligation: %w", err)
		}
		if n := len(out); n > 0 && out[n-1].ID == o.ID {
			out[n-1].Indicators = append(out[n-1].Indicators, code)
			continue
		}
		if code != "" {
			o.Indicators = []string{code}
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func obligationIn(ctx context.Context, tx *wtx, id int64) (indicators.Obligation, error) {
	var o indicators.Obligation
	err := tx.QueryRow(ctx, `SELECT id, plan, unit, frequency, COALESCE(figures, ''), from_year FROM obligations WHERE id = $1`, id).
		Scan(&o.ID, &o.Plan, &o.Unit, &o.Frequency, &o.Figures, &o.FromYear)
	if errors.Is(err, pgx.ErrNoRows) {
		return o, notFound("obligation", fmt.Sprint(id))
	}
	if err != nil {
		return o, fmt.Errorf("postgres: find obligation %d: %w", id, err)
	}
	rows, err := tx.Query(ctx, `SELECT indicator FROM obligation_indicators WHERE obligation = $1 ORDER BY indicator`, id)
	if err != nil {
		return o, fmt.Errorf("postgres: obligation %d indicators: %w", id, err)
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return o, fmt.Errorf("postgres: obligation %d indicators: %w", id, err)
	}
	if len(codes) > 0 {
		o.Indicators = codes
	}
	return o, nil
}

// checkObligation validates o and checks that its plan, unit and
// indicators exist and that no other obligation of the plan has its unit
// and frequency; its indicators come back sorted without repeats.
func checkObligation(ctx context.Context, tx *wtx, o *indicators.Obligation) error {
	slices.Sort(o.Indicators)
	o.Indicators = slices.Compact(o.Indicators)
	if err := o.Validate(); err != nil {
		return err
	}
	if o.Figures == o.Unit {
		o.Figures = ""
	}
	checks := []struct{ what, q, key string }{
		{"plan", `SELECT COUNT(*) FROM plans WHERE id = $1`, o.Plan},
		{"unit", `SELECT COUNT(*) FROM units WHERE code = $1`, o.Unit},
	}
	if o.Figures != "" {
		checks = append(checks, struct{ what, q, key string }{"unit", `SELECT COUNT(*) FROM units WHERE code = $1`, o.Figures})
	}
	for _, c := range checks {
		found, err := exists(ctx, tx, c.what, c.q, c.key)
		if err != nil {
			return err
		}
		if !found {
			return notFound(c.what, c.key)
		}
	}
	for _, code := range o.Indicators {
		found, err := exists(ctx, tx, "indicator", `SELECT COUNT(*) FROM indicators WHERE code = $1`, code)
		if err != nil {
			return err
		}
		if !found {
			return invalid("indicators", fmt.Sprintf("không có chỉ tiêu %q", code), fmt.Sprintf("there is no indicator %q", code))
		}
	}
	clash, err := exists(ctx, tx, "obligation", `SELECT COUNT(*) FROM obligations WHERE plan = $1 AND unit = $2 AND frequency = $3 AND id <> $4`,
		o.Plan, o.Unit, string(o.Frequency), o.ID)
	if err != nil {
		return err
	}
	if clash {
		return conflict("unit", fmt.Sprintf("đơn vị %s đã có nghĩa vụ báo cáo tần suất này trong kế hoạch", o.Unit),
			fmt.Sprintf("unit %s already has an obligation of this frequency in the plan", o.Unit))
	}
	return nil
}

func setObligationIndicators(ctx context.Context, tx *wtx, o indicators.Obligation) error {
	if _, err := tx.Exec(ctx, `DELETE FROM obligation_indicators WHERE obligation = $1`, o.ID); err != nil {
		return fmt.Errorf("postgres: clear obligation %d indicators: %w", o.ID, err)
	}
	if len(o.Indicators) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `INSERT INTO obligation_indicators (obligation, indicator) SELECT $1, unnest($2::text[])`,
		o.ID, o.Indicators); err != nil {
		return fmt.Errorf("postgres: add obligation %d indicators: %w", o.ID, err)
	}
	return nil
}

// AddObligation stores a new obligation and sets its ID.
func (db *DB) AddObligation(ctx context.Context, o *indicators.Obligation) error {
	return db.edit(ctx, func(tx *wtx) (indicators.AuditEvent, error) {
		o.ID = 0
		if err := checkObligation(ctx, tx, o); err != nil {
			return indicators.AuditEvent{}, err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO obligations (plan, unit, frequency, figures, from_year) VALUES ($1, $2, $3, $4, $5)
			RETURNING id`, o.Plan, o.Unit, string(o.Frequency), nullable(o.Figures), o.FromYear).Scan(&o.ID); err != nil {
			return indicators.AuditEvent{}, fmt.Errorf("postgres: insert obligation: %w", err)
		}
		if err := setObligationIndicators(ctx, tx, *o); err != nil {
			return indicators.AuditEvent{}, err
		}
		return indicators.AuditEvent{Action: "obligation.create", Object: fmt.Sprintf("obligation:%d", o.ID), After: jsonOf(o)}, nil
	})
}

// UpdateObligation changes an obligation's unit, frequency or indicators;
// its plan stays.
func (db *DB) UpdateObligation(ctx context.Context, o indicators.Obligation) error {
	return db.edit(ctx, func(tx *wtx) (indicators.AuditEvent, error) {
		before, err := obligationIn(ctx, tx, o.ID)
		if err != nil {
			return indicators.AuditEvent{}, err
		}
		o.Plan = before.Plan
		if err := checkObligation(ctx, tx, &o); err != nil {
			return indicators.AuditEvent{}, err
		}
		if jsonOf(before) == jsonOf(o) {
			return indicators.AuditEvent{}, nil
		}
		if _, err := tx.Exec(ctx, `UPDATE obligations SET unit = $1, frequency = $2, figures = $3, from_year = $4 WHERE id = $5`,
			o.Unit, string(o.Frequency), nullable(o.Figures), o.FromYear, o.ID); err != nil {
			return indicators.AuditEvent{}, fmt.Errorf("postgres: update obligation %d: %w", o.ID, err)
		}
		if err := setObligationIndicators(ctx, tx, o); err != nil {
			return indicators.AuditEvent{}, err
		}
		return indicators.AuditEvent{Action: "obligation.update", Object: fmt.Sprintf("obligation:%d", o.ID),
			Before: jsonOf(before), After: jsonOf(o)}, nil
	})
}

// RemoveObligation deletes an obligation: the audit event keeps what it
// was. The figures the unit sent stay.
func (db *DB) RemoveObligation(ctx context.Context, id int64) error {
	return db.edit(ctx, func(tx *wtx) (indicators.AuditEvent, error) {
		before, err := obligationIn(ctx, tx, id)
		if err != nil {
			return indicators.AuditEvent{}, err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM obligations WHERE id = $1`, id); err != nil {
			return indicators.AuditEvent{}, fmt.Errorf("postgres: delete obligation %d: %w", id, err)
		}
		return indicators.AuditEvent{Action: "obligation.delete", Object: fmt.Sprintf("obligation:%d", id), Before: jsonOf(before)}, nil
	})
}

// nullable stores an empty code as NULL, which a foreign key lets pass.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Schedules returns every plan's changed cut-off rules by plan ID.
func (db *DB) Schedules(ctx context.Context) (map[string]indicators.Schedule, error) {
	rows, err := db.pool.Query(ctx, `SELECT plan, frequency, cutoff_day, deadline_days FROM plan_cutoffs ORDER BY plan, frequency`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list cut-off rules: %w", err)
	}
	defer rows.Close()
	out := map[string]indicators.Schedule{}
	for rows.Next() {
		var plan string
		var r indicators.CutoffRule
		if err := rows.Scan(&plan, &r.Frequency, &r.CutoffDay, &r.DeadlineDays); err != nil {
			return nil, fmt.Errorf("postgres: scan cut-off rule: %w", err)
		}
		s := out[plan]
		s.Plan = plan
		s.Rules = append(s.Rules, r)
		out[plan] = s
	}
	return out, rows.Err()
}

// SetCutoff stores a plan's rule for a frequency; the Decree's default
// removes the change.
func (db *DB) SetCutoff(ctx context.Context, plan string, r indicators.CutoffRule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return db.edit(ctx, func(tx *wtx) (indicators.AuditEvent, error) {
		var ev indicators.AuditEvent
		found, err := exists(ctx, tx, "plan", `SELECT COUNT(*) FROM plans WHERE id = $1`, plan)
		if err != nil {
			return ev, err
		}
		if !found {
			return ev, notFound("plan", plan)
		}
		before := indicators.DefaultCutoff(r.Frequency)
		err = tx.QueryRow(ctx, `SELECT cutoff_day, deadline_days FROM plan_cutoffs WHERE plan = $1 AND frequency = $2`,
			plan, string(r.Frequency)).Scan(&before.CutoffDay, &before.DeadlineDays)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return ev, fmt.Errorf("postgres: find cut-off rule %s/%s: %w", plan, r.Frequency, err)
		}
		if before == r {
			return ev, nil
		}
		if r == indicators.DefaultCutoff(r.Frequency) {
			_, err = tx.Exec(ctx, `DELETE FROM plan_cutoffs WHERE plan = $1 AND frequency = $2`, plan, string(r.Frequency))
		} else {
			_, err = tx.Exec(ctx, `INSERT INTO plan_cutoffs (plan, frequency, cutoff_day, deadline_days) VALUES ($1, $2, $3, $4)
				ON CONFLICT (plan, frequency) DO UPDATE SET cutoff_day = excluded.cutoff_day, deadline_days = excluded.deadline_days`,
				plan, string(r.Frequency), r.CutoffDay, r.DeadlineDays)
		}
		if err != nil {
			return ev, fmt.Errorf("postgres: set cut-off rule %s/%s: %w", plan, r.Frequency, err)
		}
		return indicators.AuditEvent{Action: "cutoff.set", Object: "cutoff:" + plan + "/" + string(r.Frequency),
			Before: jsonOf(before), After: jsonOf(r)}, nil
	})
}

// receivedQuery finds, per indicator, unit and period of a year, the
// first estimate or official figure committed by the as-of moment and not
// rolled back by then; values of a commit still under way do not count.
const receivedQuery = `SELECT v.indicator, v.unit, v.period, MIN(v.entered_at) FROM data_values v
	WHERE v.year = $1 AND v.type IN ('estimate', 'official') AND v.entered_at <= $2
	AND (v.retracted_at IS NULL OR v.retracted_at > $2) AND ` + notPendingV

// Received returns when each indicator, unit and period of year y was
// first reported, as known at asOf.
func (db *DB) Received(ctx context.Context, units []string, y int, asOf time.Time) (map[indicators.ReceivedKey]time.Time, error) {
	q := receivedQuery
	a := args{y, asOf.UTC()}
	if len(units) > 0 {
		q += ` AND v.unit = ANY(` + a.add(units) + `)`
	}
	rows, err := db.pool.Query(ctx, q+` GROUP BY v.indicator, v.unit, v.period`, a...)
	if err != nil {
		return nil, fmt.Errorf("postgres: reports received in %d: %w", y, err)
	}
	defer rows.Close()
	out := map[indicators.ReceivedKey]time.Time{}
	// A year has a few dozen period texts and tens of thousands of rows.
	periods := map[string]indicators.Period{}
	for rows.Next() {
		var k indicators.ReceivedKey
		var period string
		var first time.Time
		if err := rows.Scan(&k.Indicator, &k.Unit, &period, &first); err != nil {
			return nil, fmt.Errorf("postgres: scan report received: %w", err)
		}
		p, ok := periods[period]
		if !ok {
			if p, err = indicators.ParsePeriod(period); err != nil {
				continue // a period the calendar does not know is no report of it
			}
			periods[period] = p
		}
		k.Period = p
		out[k] = first.UTC()
	}
	return out, rows.Err()
}
