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

var _ indicators.BatchReader = (*DB)(nil)

const batchColumns = `id, file_name, sha256, size, state, profile, unit, locale, new_values, changed_values,
	unchanged, rejected, created_by, created_at, committed_at, rolled_back_at, rolled_back_by`

func scanBatch(s pgx.Row) (indicators.Batch, error) {
	var b indicators.Batch
	var committed, rolledBack *time.Time
	err := s.Scan(&b.ID, &b.FileName, &b.SHA256, &b.Size, &b.State, &b.Profile, &b.Unit, &b.Locale, &b.New,
		&b.Changed, &b.Unchanged, &b.Rejected, &b.CreatedBy, &b.CreatedAt, &committed, &rolledBack, &b.RolledBackBy)
	b.CreatedAt, b.CommittedAt, b.RolledBackAt = b.CreatedAt.UTC(), timeOf(committed), timeOf(rolledBack)
	return b, err
}

// Batches returns the import batches f selects, newest first.
func (db *DB) Batches(ctx context.Context, f indicators.BatchFilter) ([]indicators.Batch, error) {
	var a args
	q := `SELECT ` + batchColumns + ` FROM batches WHERE true`
	if !f.From.IsZero() {
		q += ` AND created_at >= ` + a.add(f.From.UTC())
	}
	if !f.To.IsZero() {
		q += ` AND created_at <= ` + a.add(f.To.UTC())
	}
	if f.State != "" {
		q += ` AND state = ` + a.add(string(f.State))
	}
	if f.User != "" {
		q += ` AND created_by = ` + a.add(f.User)
	}
	rows, err := db.pool.Query(ctx, q+` ORDER BY id DESC`, a...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list batches: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (indicators.Batch, error) { return scanBatch(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: list batches: %w", err)
	}
	return out, nil
}

// Batch returns one import batch.
func (db *DB) Batch(ctx context.Context, id int64) (indicators.Batch, error) {
	b, err := scanBatch(db.pool.QueryRow(ctx, `SELECT `+batchColumns+` FROM batches WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return b, notFound("batch", fmt.Sprint(id))
	}
	if err != nil {
		return b, fmt.Errorf("postgres: find batch %d: %w", id, err)
	}
	return b, nil
}

// BatchScope returns the units and task groups of the values batch id
// stored, retracted ones included: a rollback does not change what a
// batch spoke for.
func (db *DB) BatchScope(ctx context.Context, id int64) (indicators.BatchScope, error) {
	var sc indicators.BatchScope
	rows, err := db.pool.Query(ctx, `SELECT DISTINCT v.unit, i.grp FROM data_values v
		JOIN indicators i ON i.code = v.indicator WHERE v.batch = $1 ORDER BY 1, 2`, id)
	if err != nil {
		return sc, fmt.Errorf("postgres: scope of batch %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit string
		var group int
		if err := rows.Scan(&unit, &group); err != nil {
			return sc, fmt.Errorf("postgres: scope of batch %d: %w", id, err)
		}
		if !slices.Contains(sc.Units, unit) {
			sc.Units = append(sc.Units, unit)
		}
		if !slices.Contains(sc.Groups, group) {
			sc.Groups = append(sc.Groups, group)
		}
	}
	if err := rows.Err(); err != nil {
		return sc, fmt.Errorf("postgres: scope of batch %d: %w", id, err)
	}
	return sc, nil
}
