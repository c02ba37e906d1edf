package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"chitieu/indicators"
)

// Reporting obligations and the plans' cut-off rules, each write one
// transaction with its audit event.

var _ indicators.ObligationStore = (*DB)(nil)

// Obligations lists obligations by plan, unit and frequency, each with its
// indicators in code order.
func (db *DB) Obligations(ctx context.Context, f indicators.ObligationFilter) ([]indicators.Obligation, error) {
	q := `SELECT o.id, o.plan, o.unit, o.frequency, COALESCE(o.figures, ''), o.from_year, COALESCE(i.indicator, '')
		FROM obligations o LEFT JOIN obligation_indicators i ON i.obligation = o.id WHERE 1=1`
	var args []any
	if f.Plan != "" {
		q += ` AND o.plan = ?`
		args = append(args, f.Plan)
	}
	if len(f.Units) > 0 {
		in := `(?` + strings.Repeat(`, ?`, len(f.Units)-1) + `)`
		q += ` AND (o.unit IN ` + in + ` OR o.figures IN ` + in + `)`
		for range 2 {
			for _, u := range f.Units {
				args = append(args, u)
			}
		}
	}
	q += ` ORDER BY o.plan, o.unit, CASE o.frequency WHEN 'year' THEN 0 WHEN 'half' THEN 1 WHEN 'quarter' THEN 2 ELSE 3 END,
		i.indicator`
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list obligations: %w", err)
	}
	defer rows.Close()
	var out []indicators.Obligation
	for rows.Next() {
		var o indicators.Obligation
		var code string
		if err := rows.Scan(&o.ID, &o.Plan, &o.Unit, &o.Frequency, &o.Figures, &o.FromYear, &code); err != nil {
			return nil, fmt.Errorf("sqlite: scan obligation: %w", err)
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

func (db *DB) obligation(ctx context.Context, tx *sql.Tx, id int64) (indicators.Obligation, error) {
	var o indicators.Obligation
	err := tx.QueryRowContext(ctx, `SELECT id, plan, unit, frequency, COALESCE(figures, ''), from_year FROM obligations WHERE id = ?`, id).
		Scan(&o.ID, &o.Plan, &o.Unit, &o.Frequency, &o.Figures, &o.FromYear)
	if errors.Is(err, sql.ErrNoRows) {
		return o, notFound("obligation", fmt.Sprint(id))
	}
	if err != nil {
		return o, fmt.Errorf("sqlite: find obligation %d: %w", id, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT indicator FROM obligation_indicators WHERE obligation = ? ORDER BY indicator`, id)
	if err != nil {
		return o, fmt.Errorf("sqlite: obligation %d indicators: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return o, fmt.Errorf("sqlite: scan obligation %d indicator: %w", id, err)
		}
		o.Indicators = append(o.Indicators, code)
	}
	return o, rows.Err()
}

// checkObligation validates o and checks that its plan, unit and
// indicators exist and that no other obligation of the plan has its unit
// and frequency; its indicators come back sorted without repeats.
func checkObligation(ctx context.Context, tx *sql.Tx, o *indicators.Obligation) error {
	slices.Sort(o.Indicators)
	o.Indicators = slices.Compact(o.Indicators)
	if err := o.Validate(); err != nil {
		return err
	}
	if o.Figures == o.Unit {
		o.Figures = ""
	}
	checks := []struct{ what, q, key string }{
		{"plan", `SELECT COUNT(*) FROM plans WHERE id = ?`, o.Plan},
		{"unit", `SELECT COUNT(*) FROM units WHERE code = ?`, o.Unit},
	}
	if o.Figures != "" {
		checks = append(checks, struct{ what, q, key string }{"unit", `SELECT COUNT(*) FROM units WHERE code = ?`, o.Figures})
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
		found, err := exists(ctx, tx, "indicator", `SELECT COUNT(*) FROM indicators WHERE code = ?`, code)
		if err != nil {
			return err
		}
		if !found {
			return invalid("indicators", fmt.Sprintf("không có chỉ tiêu %q", code), fmt.Sprintf("there is no indicator %q", code))
		}
	}
	clash, err := exists(ctx, tx, "obligation", `SELECT COUNT(*) FROM obligations WHERE plan = ? AND unit = ? AND frequency = ? AND id <> ?`,
		o.Plan, o.Unit, o.Frequency, o.ID)
	if err != nil {
		return err
	}
	if clash {
		return conflict("unit", fmt.Sprintf("đơn vị %s đã có nghĩa vụ báo cáo tần suất này trong kế hoạch", o.Unit),
			fmt.Sprintf("unit %s already has an obligation of this frequency in the plan", o.Unit))
	}
	return nil
}

func setObligationIndicators(ctx context.Context, tx *sql.Tx, o indicators.Obligation) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM obligation_indicators WHERE obligation = ?`, o.ID); err != nil {
		return fmt.Errorf("sqlite: clear obligation %d indicators: %w", o.ID, err)
	}
	for _, code := range o.Indicators {
		if _, err := tx.ExecContext(ctx, `INSERT INTO obligation_indicators (obligation, indicator) VALUES (?, ?)`, o.ID, code); err != nil {
			return fmt.Errorf("sqlite: add obligation %d indicator %s: %w", o.ID, code, err)
		}
	}
	return nil
}

// AddObligation stores a new obligation and sets its ID.
func (db *DB) AddObligation(ctx context.Context, o *indicators.Obligation) error {
	return db.edit(ctx, func(tx *sql.Tx) (indicators.AuditEvent, error) {
		o.ID = 0
		if err := checkObligation(ctx, tx, o); err != nil {
			return indicators.AuditEvent{}, err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO obligations (plan, unit, frequency, figures, from_year) VALUES (?, ?, ?, ?, ?)`,
			o.Plan, o.Unit, o.Frequency, nullable(o.Figures), o.FromYear)
		if err != nil {
			return indicators.AuditEvent{}, fmt.Errorf("sqlite: insert obligation: %w", err)
		}
		if o.ID, err = res.LastInsertId(); err != nil {
			return indicators.AuditEvent{}, fmt.Errorf("sqlite: obligation id: %w", err)
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
	return db.edit(ctx, func(tx *sql.Tx) (indicators.AuditEvent, error) {
		before, err := db.obligation(ctx, tx, o.ID)
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
		if _, err := tx.ExecContext(ctx, `UPDATE obligations SET unit = ?, frequency = ?, figures = ?, from_year = ? WHERE id = ?`,
			o.Unit, o.Frequency, nullable(o.Figures), o.FromYear, o.ID); err != nil {
			return indicators.AuditEvent{}, fmt.Errorf("sqlite: update obligation %d: %w", o.ID, err)
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
	return db.edit(ctx, func(tx *sql.Tx) (indicators.AuditEvent, error) {
		before, err := db.obligation(ctx, tx, id)
		if err != nil {
			return indicators.AuditEvent{}, err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM obligations WHERE id = ?`, id); err != nil {
			return indicators.AuditEvent{}, fmt.Errorf("sqlite: delete obligation %d: %w", id, err)
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
	rows, err := db.read.QueryContext(ctx, `SELECT plan, frequency, cutoff_day, deadline_days FROM plan_cutoffs ORDER BY plan, frequency`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list cut-off rules: %w", err)
	}
	defer rows.Close()
	out := map[string]indicators.Schedule{}
	for rows.Next() {
		var plan string
		var r indicators.CutoffRule
		if err := rows.Scan(&plan, &r.Frequency, &r.CutoffDay, &r.DeadlineDays); err != nil {
			return nil, fmt.Errorf("sqlite: scan cut-off rule: %w", err)
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
	return db.edit(ctx, func(tx *sql.Tx) (indicators.AuditEvent, error) {
		var ev indicators.AuditEvent
		found, err := exists(ctx, tx, "plan", `SELECT COUNT(*) FROM plans WHERE id = ?`, plan)
		if err != nil {
			return ev, err
		}
		if !found {
			return ev, notFound("plan", plan)
		}
		before := indicators.DefaultCutoff(r.Frequency)
		err = tx.QueryRowContext(ctx, `SELECT cutoff_day, deadline_days FROM plan_cutoffs WHERE plan = ? AND frequency = ?`,
			plan, r.Frequency).Scan(&before.CutoffDay, &before.DeadlineDays)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return ev, fmt.Errorf("sqlite: find cut-off rule %s/%s: %w", plan, r.Frequency, err)
		}
		if before == r {
			return ev, nil
		}
		if r == indicators.DefaultCutoff(r.Frequency) {
			_, err = tx.ExecContext(ctx, `DELETE FROM plan_cutoffs WHERE plan = ? AND frequency = ?`, plan, r.Frequency)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO plan_cutoffs (plan, frequency, cutoff_day, deadline_days) VALUES (?, ?, ?, ?)
				ON CONFLICT (plan, frequency) DO UPDATE SET cutoff_day = excluded.cutoff_day, deadline_days = excluded.deadline_days`,
				plan, r.Frequency, r.CutoffDay, r.DeadlineDays)
		}
		if err != nil {
			return ev, fmt.Errorf("sqlite: set cut-off rule %s/%s: %w", plan, r.Frequency, err)
		}
		return indicators.AuditEvent{Action: "cutoff.set", Object: "cutoff:" + plan + "/" + string(r.Frequency),
			Before: jsonOf(before), After: jsonOf(r)}, nil
	})
}

// receivedQuery finds, per indicator, unit and period of a year, the
// first estimate or official figure committed by the as-of moment and not
// rolled back by then; values of a commit still under way do not count.
// It reads the year's rows through data_values_year (migration 0019) and
// groups them in a temporary tree: 70 ms for 54,000 values, once per
// data version, since the page that asks is cached.
const receivedQuery = `SELECT indicator, unit, period, MIN(entered_at) FROM data_values
	WHERE year = ? AND type IN ('estimate', 'official') AND entered_at <= ?
	AND (retracted_at = '' OR retracted_at > ?) AND ` + notPending

// Received returns when each indicator, unit and period of year y was
// first reported, as known at asOf.
func (db *DB) Received(ctx context.Context, units []string, y int, asOf time.Time) (map[indicators.ReceivedKey]time.Time, error) {
	at := fmtTime(asOf)
	q := receivedQuery
	args := []any{y, at, at}
	if len(units) > 0 {
		q += ` AND unit IN (?` + strings.Repeat(`, ?`, len(units)-1) + `)`
		for _, u := range units {
			args = append(args, u)
		}
	}
	rows, err := db.read.QueryContext(ctx, q+` GROUP BY indicator, unit, period`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: reports received in %d: %w", y, err)
	}
	defer rows.Close()
	out := map[indicators.ReceivedKey]time.Time{}
	// A year has a few dozen period texts and tens of thousands of rows.
	periods := map[string]indicators.Period{}
	for rows.Next() {
		var k indicators.ReceivedKey
		var period, first string
		if err := rows.Scan(&k.Indicator, &k.Unit, &period, &first); err != nil {
			return nil, fmt.Errorf("sqlite: scan report received: %w", err)
		}
		p, ok := periods[period]
		if !ok {
			if p, err = indicators.ParsePeriod(period); err != nil {
				continue // a period the calendar does not know is no report of it
			}
			periods[period] = p
		}
		k.Period = p
		out[k] = parseTime(first)
	}
	return out, rows.Err()
}
