package sqlite

import (
	"context"
	"database/sql"

	"chitieu/indicators"
)

var _ indicators.ExportLog = (*DB)(nil)

// RecordExport appends a "report.export" event for a report handed to the
// actor of ctx: its kind and parameters, file name, content hash and size.
// It writes nothing else; it is its own transaction, like every write.
func (db *DB) RecordExport(ctx context.Context, e indicators.Export) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		return db.audit(ctx, tx, indicators.AuditEvent{Action: "report.export", Object: "report:" + e.Kind, After: jsonOf(e)})
	})
}
