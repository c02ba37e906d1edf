package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"chitieu/indicators"
)

var _ indicators.ValueStream = (*DB)(nil)

// valueWhere turns a value filter into the FROM and WHERE clauses of a
// query over data_values v. Units are joined only to filter on their kind:
// the join costs a lookup per row, and a stream that needs the scope of a
// unit takes it from the units table read once.
func valueWhere(f indicators.ValueFilter) (string, []any) {
	q := ` FROM data_values v`
	if f.UnitKind != "" {
		q += ` JOIN units u ON u.code = v.unit`
	}
	q += ` LEFT JOIN batches b ON b.id = v.batch WHERE 1=1`
	var args []any
	if f.Indicator != "" {
		q += ` AND v.indicator = ?`
		args = append(args, f.Indicator)
	}
	if len(f.Units) > 0 {
		q += ` AND v.unit IN (?` + strings.Repeat(`, ?`, len(f.Units)-1) + `)`
		for _, u := range f.Units {
			args = append(args, u)
		}
	}
	if f.UnitKind != "" {
		q += ` AND u.kind = ?`
		args = append(args, f.UnitKind)
	}
	if f.Batch != 0 {
		q += ` AND v.batch = ?`
		args = append(args, f.Batch)
	}
	if !f.EnteredBy.IsZero() {
		q += ` AND v.entered_at <= ?`
		args = append(args, fmtTime(f.EnteredBy))
	}
	return q, args
}

// CountValues counts the values f selects.
func (db *DB) CountValues(ctx context.Context, f indicators.ValueFilter) (int, error) {
	where, args := valueWhere(f)
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*)`+where, args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlite: count values: %w", err)
	}
	return n, nil
}

// eachValueQuery reads values in key order. The period's text starts with
// its four-digit year, so ordering by period orders by year as Values does,
// and the key index (indicator, unit, period, type) serves the order: SQLite
// sorts only the few rows of each key by entry, never the whole table.
const eachValueQuery = `SELECT v.id, v.indicator, v.unit, v.period, v.type, v.value, v.high, v.note, v.source,
	COALESCE(v.batch, 0), COALESCE(b.file_name, ''), v.sheet, v.cell, v.entered_by, v.entered_at, v.retracted_at`

// EachValue streams the values f selects to fn, one key at a time: the
// values of a key are held until the key changes, so that the one current
// at f.EnteredBy (now when zero) can be told from those it superseded.
func (db *DB) EachValue(ctx context.Context, f indicators.ValueFilter, fn func(indicators.Value) error) error {
	where, args := valueWhere(f)
	at := f.EnteredBy
	if at.IsZero() {
		at = db.now()
	}
	scopes := map[string]indicators.Scope{}
	units, err := db.Units(ctx)
	if err != nil {
		return err
	}
	for _, u := range units {
		scopes[u.Code] = u.Scope
	}
	rows, err := db.read.QueryContext(ctx, eachValueQuery+where+
		` ORDER BY v.indicator, v.unit, v.period, v.type, v.entered_at, v.id`, args...)
	if err != nil {
		return fmt.Errorf("sqlite: stream values: %w", err)
	}
	defer rows.Close()
	var group []indicators.Value // the values of one key, oldest first
	emit := func() error {
		current := -1
		for i := range group {
			if group[i].KnownAt(at) {
				current = i // rows come oldest first, so the last known one is the newest
			}
		}
		for i := range group {
			group[i].Superseded = i != current
			if err := fn(group[i]); err != nil {
				return err
			}
		}
		group = group[:0]
		return nil
	}
	var period, enteredAt, retractedAt string
	var high sql.NullFloat64
	for rows.Next() {
		var v indicators.Value
		if err := rows.Scan(&v.ID, &v.Indicator, &v.Unit, &period, &v.Type, &v.Value, &high, &v.Note,
			&v.Source, &v.Batch, &v.File, &v.Sheet, &v.Cell, &v.EnteredBy, &enteredAt, &retractedAt); err != nil {
			return fmt.Errorf("sqlite: scan value: %w", err)
		}
		v.Scope = scopes[v.Unit]
		if v.Period, err = indicators.ParsePeriod(period); err != nil {
			return fmt.Errorf("sqlite: value %d has period %q: %w", v.ID, period, err)
		}
		if high.Valid {
			h := high.Float64
			v.High = &h
		}
		v.EnteredAt, v.RetractedAt = parseTime(enteredAt), parseTime(retractedAt)
		if len(group) > 0 && group[0].Key != v.Key {
			if err := emit(); err != nil {
				return err
			}
		}
		group = append(group, v)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: stream values: %w", err)
	}
	return emit()
}
