package sqlite

import (
	"context"
	"database/sql"

	"chitieu/indicators"
)

// WriteTx runs fn in one write transaction, for tests that need a writer
// holding the lock.
func (db *DB) WriteTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return db.writeTx(ctx, fn)
}

// AuditIn appends ev to the trail inside tx.
func (db *DB) AuditIn(ctx context.Context, tx *sql.Tx, ev indicators.AuditEvent) error {
	return db.audit(ctx, tx, ev)
}
