package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"chitieu/indicators"
)

var _ indicators.ValueStream = (*DB)(nil)

// valueWhere turns a value filter into the FROM and WHERE clauses of a
// query over data_values v, with the batch b joined for its file name.
// The unit kind is a subquery, so that SQLite seeks the key index by
// indicator and unit rather than reading every unit's values of the
// indicator; a query that needs the unit's scope joins units u itself
// through join.
func valueWhere(f indicators.ValueFilter, join string) (string, []any) {
	q := ` FROM data_values v` + join + ` LEFT JOIN batches b ON b.id = v.batch WHERE ` + notPendingV
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
		q += ` AND v.unit IN (SELECT code FROM units WHERE kind = ?)`
		args = append(args, f.UnitKind)
	}
	if f.Batch != 0 {
		q += ` AND v.batch = ?`
		args = append(args, f.Batch)
	}
	if f.YearsOnly {
		q += ` AND length(v.period) = 4` // a year is written "2024"; its parts are longer
	}
	if !f.EnteredBy.IsZero() {
		q += ` AND v.entered_at <= ?`
		args = append(args, fmtTime(f.EnteredBy))
	}
	return q, args
}

// CountValues counts the values f selects.
func (db *DB) CountValues(ctx context.Context, f indicators.ValueFilter) (int, error) {
	where, args := valueWhere(f, "")
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*)`+where, args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlite: count values: %w", err)
	}
	return n, nil
}

// eachValueQuery reads values in the order they were stored. A scan in
// that order reads each page of the table once; a scan in key order would
// jump between pages for every row, which on a million values costs more
// than the export's writing.
const eachValueQuery = `SELECT v.id, v.indicator, v.unit, v.period, v.type, v.value, v.high, v.note, v.source,
	COALESCE(v.batch, 0), COALESCE(b.file_name, ''), v.sheet, v.cell, v.entered_by, v.entered_at, v.retracted_at`

// EachValue streams the values f selects to fn in the order they were
// stored (by ID), each marked Superseded as Values marks it at f.EnteredBy
// (now when zero). The few keys that hold more than one value are sorted
// out first, from the key index, so that the stream itself holds nothing
// but the IDs of the values others replaced.
func (db *DB) EachValue(ctx context.Context, f indicators.ValueFilter, fn func(indicators.Value) error) error {
	at := f.EnteredBy
	if at.IsZero() {
		at = db.now()
	}
	replaced, err := db.replaced(ctx, f, at)
	if err != nil {
		return err
	}
	scopes := map[string]indicators.Scope{}
	units, err := db.Units(ctx)
	if err != nil {
		return err
	}
	for _, u := range units {
		scopes[u.Code] = u.Scope
	}
	where, args := valueWhere(f, "")
	rows, err := db.read.QueryContext(ctx, eachValueQuery+where+` ORDER BY v.id`, args...)
	if err != nil {
		return fmt.Errorf("sqlite: stream values: %w", err)
	}
	defer rows.Close()
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
		_, gone := replaced[v.ID]
		v.Superseded = gone || !v.KnownAt(at)
		if err := fn(v); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: stream values: %w", err)
	}
	return nil
}

// replaced returns the IDs of the values f selects that another value of
// their key had replaced at moment at. Only keys holding more than one
// value can have any; the key index finds them without reading the table.
func (db *DB) replaced(ctx context.Context, f indicators.ValueFilter, at time.Time) (map[int64]struct{}, error) {
	multi := `SELECT indicator, unit, period, type FROM data_values WHERE ` + notPending
	var args []any
	if f.Indicator != "" {
		multi += ` AND indicator = ?`
		args = append(args, f.Indicator)
	}
	multi += ` GROUP BY indicator, unit, period, type HAVING COUNT(*) > 1`
	rows, err := db.read.QueryContext(ctx, `SELECT v.id, v.indicator, v.unit, v.period, v.type, v.entered_at, v.retracted_at
		FROM data_values v JOIN (`+multi+`) k
		ON k.indicator = v.indicator AND k.unit = v.unit AND k.period = v.period AND k.type = v.type
		WHERE v.entered_at <= ? AND `+notPendingV+` ORDER BY v.indicator, v.unit, v.period, v.type, v.entered_at, v.id`,
		append(args, fmtTime(at))...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: find replaced values: %w", err)
	}
	defer rows.Close()
	out := map[int64]struct{}{}
	type version struct {
		id   int64
		seen bool // known at the moment
	}
	var key [4]string
	var group []version
	flush := func() {
		current := -1
		for i, v := range group {
			if v.seen {
				current = i // oldest first, so the last known one is the newest
			}
		}
		for i, v := range group {
			if i != current {
				out[v.id] = struct{}{}
			}
		}
		group = group[:0]
	}
	for rows.Next() {
		var k [4]string
		var v indicators.Value
		var enteredAt, retractedAt string
		if err := rows.Scan(&v.ID, &k[0], &k[1], &k[2], &k[3], &enteredAt, &retractedAt); err != nil {
			return nil, fmt.Errorf("sqlite: scan replaced value: %w", err)
		}
		if k != key {
			flush()
			key = k
		}
		v.EnteredAt, v.RetractedAt = parseTime(enteredAt), parseTime(retractedAt)
		group = append(group, version{id: v.ID, seen: v.KnownAt(at)})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: find replaced values: %w", err)
	}
	flush()
	return out, nil
}
