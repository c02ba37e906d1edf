package postgres

import (
	"context"
	"fmt"
	"path/filepath"

	"chitieu/indicators"

	"github.com/jackc/pgx/v5/pgxpool"
)

// backUpBefore runs the backup Open was given (WithBackupBeforeMigrating)
// when migrations of ms are pending on a database that has some applied
// already, on conn, which holds the migration lock. The end of the audit
// trail is read first: the backup holds at least the events up to it.
func (db *DB) backUpBefore(ctx context.Context, conn *pgxpool.Conn, ms []migration, done map[int]bool) error {
	if db.backup == nil || len(done) == 0 {
		return nil
	}
	p := PendingMigrations{Database: db.name}
	for v := range done {
		p.Version = max(p.Version, v)
	}
	for _, m := range ms {
		if !done[m.version] {
			p.Pending = append(p.Pending, m.name)
		}
	}
	if len(p.Pending) == 0 {
		return nil
	}
	if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&p.Schema); err != nil {
		return fmt.Errorf("postgres: read the schema of %s: %w", db.name, err)
	}
	var head indicators.AuditHead
	if err := conn.QueryRow(ctx, `SELECT events, last_id, hash FROM audit_head WHERE one`).
		Scan(&head.Events, &head.LastID, &head.Hash); err != nil {
		return fmt.Errorf("postgres: read the end of the audit trail of %s: %w", db.name, err)
	}
	file, err := db.backup(ctx, p)
	if err != nil {
		return err
	}
	db.migrated = &migrationRecord{pending: p, file: file, head: head}
	return nil
}

// recordMigration appends to the audit trail, once the key is loaded, the
// migration Open applied to a database that had data: the backup taken
// before it ("db.backup", naming the migrations it came before), or that
// the operator chose to migrate without one ("db.migrate").
func (db *DB) recordMigration(ctx context.Context) error {
	m := db.migrated
	if m == nil {
		return nil
	}
	db.migrated = nil
	sys := indicators.WithActor(ctx, indicators.Actor{User: "system"})
	ev := indicators.AuditEvent{Action: "db.backup", Object: "file:" + filepath.Base(m.file),
		After: jsonOf(map[string]any{"file": m.file, "head": m.head.LastID, "hash": m.head.Hash,
			"before_migrations": m.pending.Pending, "schema_from": m.pending.Version, "schema_to": SchemaVersion()})}
	if m.file == "" {
		ev = indicators.AuditEvent{Action: "db.migrate", Object: "db:" + db.name,
			After: jsonOf(map[string]any{"migrations": m.pending.Pending, "schema_from": m.pending.Version,
				"schema_to": SchemaVersion(), "backup": "none: the operator chose to migrate without one"})}
	}
	return db.writeTx(sys, func(tx *wtx) error { return tx.audit(sys, ev) })
}
