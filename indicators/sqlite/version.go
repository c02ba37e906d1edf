package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"chitieu/indicators"
)

var _ indicators.Versioner = (*DB)(nil)

const dataVersionQuery = `SELECT id, at FROM audit_events ORDER BY id DESC LIMIT 1`

// DataVersion returns the last audit event's ID and time: every write
// appends one in its own transaction, so the pair changes exactly when the
// data does. It reads one row by the primary key.
func (db *DB) DataVersion(ctx context.Context) (indicators.DataVersion, error) {
	var v indicators.DataVersion
	var at string
	err := db.versionStmt.QueryRowContext(ctx).Scan(&v.ID, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return indicators.DataVersion{}, nil
	}
	if err != nil {
		return v, fmt.Errorf("sqlite: read data version: %w", err)
	}
	v.At = parseTime(at)
	return v, nil
}
