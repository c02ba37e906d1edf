package postgres

import (
	"context"
	"path/filepath"

	"chitieu/indicators"
)

// RecordBackup appends to the audit trail that a backup of the database
// was made into file (by pg_dump, outside the store), naming the end of
// the trail read before the dump began: the dump holds at least the events
// up to it.
func (db *DB) RecordBackup(ctx context.Context, file string, before indicators.AuditHead) error {
	return db.writeTx(ctx, func(tx *wtx) error {
		return tx.audit(ctx, indicators.AuditEvent{Action: "db.backup", Object: "file:" + filepath.Base(file),
			After: jsonOf(map[string]any{"by": "pg_dump", "head": before.LastID, "hash": before.Hash})})
	})
}
