package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

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

var _ indicators.BatchReader = (*DB)(nil)
