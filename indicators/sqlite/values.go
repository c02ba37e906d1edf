package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"chitieu/indicators"
)

// Values returns the values f selects, oldest first, each with the scope of
// its unit and marked Superseded when another value of its key was current
// at f.EnteredBy (now when zero) or it was retracted by then.
func (db *DB) Values(ctx context.Context, f indicators.ValueFilter) ([]indicators.Value, error) {
	where, args := valueWhere(f, ` JOIN units u ON u.code = v.unit`)
	q := `SELECT v.id, v.indicator, v.unit, v.period, v.type, v.value, v.high, u.scope, v.note, v.source,
		COALESCE(v.batch, 0), COALESCE(b.file_name, ''), v.sheet, v.cell, v.entered_by, v.entered_at, v.retracted_at` + where
	at := f.EnteredBy
	if at.IsZero() {
		at = db.now()
	}
	q += ` ORDER BY v.indicator, v.unit, v.year, v.period, v.type, v.entered_at, v.id`
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list values: %w", err)
	}
	defer rows.Close()
	var out []indicators.Value
	for rows.Next() {
		var v indicators.Value
		var period, enteredAt, retractedAt string
		var high sql.NullFloat64
		if err := rows.Scan(&v.ID, &v.Indicator, &v.Unit, &period, &v.Type, &v.Value, &high, &v.Scope, &v.Note,
			&v.Source, &v.Batch, &v.File, &v.Sheet, &v.Cell, &v.EnteredBy, &enteredAt, &retractedAt); err != nil {
			return nil, fmt.Errorf("sqlite: scan value: %w", err)
		}
		if v.Period, err = indicators.ParsePeriod(period); err != nil {
			return nil, fmt.Errorf("sqlite: value %d has period %q: %w", v.ID, period, err)
		}
		if high.Valid {
			v.High = &high.Float64
		}
		v.EnteredAt, v.RetractedAt = parseTime(enteredAt), parseTime(retractedAt)
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list values: %w", err)
	}
	markSuperseded(out, at)
	return out, nil
}

// markSuperseded flags every value that was not the current one of its key
// at moment at.
func markSuperseded(vs []indicators.Value, at time.Time) {
	current := map[int64]bool{}
	for _, v := range indicators.Current(vs, at) {
		current[v.ID] = true
	}
	for i := range vs {
		vs[i].Superseded = !current[vs[i].ID]
	}
}

// AddValues appends values in one transaction, with one audit event per
// value naming the value it supersedes, if any.
func (db *DB) AddValues(ctx context.Context, vs []indicators.Value) error {
	for i := range vs {
		if err := vs[i].Validate(); err != nil {
			return fmt.Errorf("sqlite: value %d (%s): %w", i+1, vs[i].Key, err)
		}
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		w, ins, err := db.newValueWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer ins.close()
		first := w.nextValue
		for i := range vs {
			if err := w.add(&vs[i], ""); err != nil {
				return err
			}
		}
		if err := w.flush(); err != nil {
			return err
		}
		return db.resetTouched(ctx, tx, "values", `v.id >= ?`, first)
	})
}

// valueAudit is what a value's event records after it: the value, and
// where it came from when it came from a sheet. Its ID is in the event's
// object and its batch in the event's batch column, so neither is repeated
// here; empty fields are left out (events before migration 0015 carry
// all of them, and keep them, since their hashes cover them).
func valueAudit(v *indicators.Value) map[string]any {
	m := map[string]any{"value": v.Value}
	for k, s := range map[string]string{"source": v.Source, "sheet": v.Sheet, "cell": v.Cell} {
		if s != "" {
			m[k] = s
		}
	}
	if v.High != nil {
		m["high"] = *v.High
	}
	return m
}
