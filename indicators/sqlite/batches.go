package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"chitieu/indicators"
)

const batchColumns = `id, file_name, sha256, size, state, profile, unit, locale, new_values, changed_values,
	unchanged, rejected, created_by, created_at, committed_at, rolled_back_at, rolled_back_by`

func scanBatch(s interface{ Scan(...any) error }) (indicators.Batch, error) {
	var b indicators.Batch
	var created, committed, rolledBack string
	err := s.Scan(&b.ID, &b.FileName, &b.SHA256, &b.Size, &b.State, &b.Profile, &b.Unit, &b.Locale, &b.New,
		&b.Changed, &b.Unchanged, &b.Rejected, &b.CreatedBy, &created, &committed, &rolledBack, &b.RolledBackBy)
	b.CreatedAt, b.CommittedAt, b.RolledBackAt = parseTime(created), parseTime(committed), parseTime(rolledBack)
	return b, err
}

// Batches returns the import batches f selects, newest first.
func (db *DB) Batches(ctx context.Context, f indicators.BatchFilter) ([]indicators.Batch, error) {
	q := `SELECT ` + batchColumns + ` FROM batches WHERE 1=1`
	var args []any
	if !f.From.IsZero() {
		q += ` AND created_at >= ?`
		args = append(args, fmtTime(f.From))
	}
	if !f.To.IsZero() {
		q += ` AND created_at <= ?`
		args = append(args, fmtTime(f.To))
	}
	if f.State != "" {
		q += ` AND state = ?`
		args = append(args, f.State)
	}
	if f.User != "" {
		q += ` AND created_by = ?`
		args = append(args, f.User)
	}
	rows, err := db.read.QueryContext(ctx, q+` ORDER BY id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list batches: %w", err)
	}
	defer rows.Close()
	var out []indicators.Batch
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: scan batch: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// Batch returns one import batch.
func (db *DB) Batch(ctx context.Context, id int64) (indicators.Batch, error) {
	b, err := scanBatch(db.read.QueryRowContext(ctx, `SELECT `+batchColumns+` FROM batches WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return b, notFound("batch", fmt.Sprint(id))
	}
	if err != nil {
		return b, fmt.Errorf("sqlite: find batch %d: %w", id, err)
	}
	return b, nil
}

const batchScopeQuery = `SELECT DISTINCT v.unit, i.grp FROM data_values v JOIN indicators i ON i.code = v.indicator
	WHERE v.batch = ?`

// BatchScope returns the units and task groups of the values batch id
// stored, retracted ones included: a rollback does not change what a
// batch spoke for.
func (db *DB) BatchScope(ctx context.Context, id int64) (indicators.BatchScope, error) {
	var sc indicators.BatchScope
	rows, err := db.read.QueryContext(ctx, batchScopeQuery, id)
	if err != nil {
		return sc, fmt.Errorf("sqlite: scope of batch %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit string
		var group int
		if err := rows.Scan(&unit, &group); err != nil {
			return sc, fmt.Errorf("sqlite: scope of batch %d: %w", id, err)
		}
		if !slices.Contains(sc.Units, unit) {
			sc.Units = append(sc.Units, unit)
		}
		if !slices.Contains(sc.Groups, group) {
			sc.Groups = append(sc.Groups, group)
		}
	}
	if err := rows.Err(); err != nil {
		return sc, fmt.Errorf("sqlite: scope of batch %d: %w", id, err)
	}
	return sc, nil
}

var _ indicators.BatchReader = (*DB)(nil)
