package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"chitieu/indicators"
)

var _ indicators.Versioner = (*DB)(nil)

const dataVersionQuery = `SELECT id, at FROM data_version WHERE one = 1`

// DataVersion returns the ID and time of the last audit event but those of
// a batch's own values: every write appends one in its own transaction, so
// the pair changes exactly when the data does, while the chunks of a batch
// being committed, which no reader sees, leave it (and the page caches)
// alone until the batch's own event. A trigger keeps it in a row of its
// own (migration 0007).
func (db *DB) DataVersion(ctx context.Context) (indicators.DataVersion, error) {
	var v indicators.DataVersion
	var at string
	err := db.read.QueryRowContext(ctx, dataVersionQuery).Scan(&v.ID, &at)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && v.ID == 0) {
		return indicators.DataVersion{}, nil
	}
	if err != nil {
		return v, fmt.Errorf("sqlite: read data version: %w", err)
	}
	v.At = parseTime(at)
	return v, nil
}
