package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"chitieu/indicators"
)

// vacuumInto writes a consistent copy of the live database to path with
// VACUUM INTO, which reads through SQLite and so sees committed data only,
// never a half-written page as a file copy could.
func (db *DB) vacuumInto(ctx context.Context, conn *sql.DB, path string) error {
	if _, err := os.Stat(path); err == nil {
		return indicators.Errorf(indicators.ECONFLICT, "tệp %s đã tồn tại, không ghi đè", path)
	}
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("sqlite: vacuum into %s: %w", path, err)
	}
	return nil
}

// Backup writes a consistent copy of the live database to path, which must
// not exist yet. Readers and the writer go on meanwhile. The audit event is
// written first, so that the copy holds the record of its own making and a
// restored copy checks the same as the original did.
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return indicators.Errorf(indicators.ECONFLICT, "tệp %s đã tồn tại, không ghi đè", path)
	}
	if err := db.writeTx(ctx, func(tx *sql.Tx) error {
		return db.audit(ctx, tx, indicators.AuditEvent{Action: "db.backup", Object: "file:" + filepath.Base(path)})
	}); err != nil {
		return err
	}
	// The read pool is query-only, which VACUUM INTO refuses; a connection
	// of its own keeps the backup off the write connection, so writers go on.
	conn, err := sql.Open("sqlite", dsn(db.path, false))
	if err != nil {
		return fmt.Errorf("sqlite: open %s for backup: %w", db.path, err)
	}
	defer conn.Close()
	return db.vacuumInto(ctx, conn, path)
}

// Restore replaces the database at dst with the backup at src. The backup
// is checked first (it must open, pass the integrity check and not be newer
// than this binary); an existing dst is kept beside it as dst.before-restore-…
// No server may have dst open meanwhile.
func Restore(ctx context.Context, src, dst string) (kept string, err error) {
	if _, err := os.Stat(src); err != nil {
		return "", indicators.Errorf(indicators.EINVALID, "không mở được tệp sao lưu %s: %v", src, err)
	}
	tmp := dst + ".restoring"
	os.Remove(tmp)
	defer os.Remove(tmp)
	// Read-only at the file level: checking a backup must not change it.
	conn, err := sql.Open("sqlite", "file:"+src+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return "", fmt.Errorf("sqlite: open backup %s: %w", src, err)
	}
	defer conn.Close()
	var newest int
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&newest); err != nil {
		return "", indicators.Errorf(indicators.EINVALID, "tệp %s không phải bản sao lưu của chitieu: %v", src, err)
	}
	if newest > SchemaVersion() {
		return "", indicators.Errorf(indicators.EINVALID, "bản sao lưu %s có lược đồ số %d, mới hơn chương trình (%d)", src, newest, SchemaVersion())
	}
	if problems, err := integrity(ctx, conn); err != nil {
		return "", err
	} else if len(problems) > 0 {
		return "", indicators.Errorf(indicators.EINVALID, "bản sao lưu %s bị hỏng: %s", src, strings.Join(problems, "; "))
	}
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return "", fmt.Errorf("sqlite: copy backup %s: %w", src, err)
	}
	conn.Close()
	if _, err := os.Stat(dst); err == nil {
		kept = fmt.Sprintf("%s.before-restore-%s", dst, time.Now().UTC().Format("20060102T150405Z"))
		if err := os.Rename(dst, kept); err != nil {
			return "", fmt.Errorf("sqlite: keep %s aside: %w", dst, err)
		}
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(dst + suffix)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return kept, fmt.Errorf("sqlite: move restored copy into %s: %w", dst, err)
	}
	return kept, nil
}

func integrity(ctx context.Context, conn *sql.DB) ([]string, error) {
	var problems []string
	rows, err := conn.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: integrity check: %w", err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: integrity check: %w", err)
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	rows.Close()
	rows, err = conn.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: foreign key check: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, parent string
		var rowid, fkid sql.NullInt64
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return nil, fmt.Errorf("sqlite: foreign key check: %w", err)
		}
		problems = append(problems, fmt.Sprintf("%s row %d refers to a missing %s", table, rowid.Int64, parent))
	}
	return problems, rows.Err()
}

// Report is the outcome of Check: what the database holds and what is wrong.
type Report struct {
	SchemaVersion int
	Counts        []Count
	Problems      []string
}

// Count is the number of rows of one kind.
type Count struct {
	What string
	N    int
}

// Check runs SQLite's integrity and foreign-key checks, verifies the audit
// chain and counts what is stored.
func (db *DB) Check(ctx context.Context) (Report, error) {
	var r Report
	problems, err := integrity(ctx, db.read)
	if err != nil {
		return r, err
	}
	r.Problems = problems
	if err := db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&r.SchemaVersion); err != nil {
		return r, fmt.Errorf("sqlite: read schema version: %w", err)
	}
	for _, t := range []struct{ what, table string }{
		{"plans", "plans"}, {"task_groups", "task_groups"}, {"tasks", "tasks"}, {"units", "units"},
		{"indicators", "indicators"}, {"targets", "targets"}, {"target_revisions", "target_revisions"},
		{"values", "data_values"}, {"batches", "batches"}, {"audit_events", "audit_events"},
	} {
		c := Count{What: t.what}
		if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t.table).Scan(&c.N); err != nil {
			return r, fmt.Errorf("sqlite: count %s: %w", t.table, err)
		}
		r.Counts = append(r.Counts, c)
	}
	broken, err := db.VerifyAudit(ctx)
	if err != nil {
		return r, err
	}
	if broken != nil {
		r.Problems = append(r.Problems, broken.Error())
	}
	return r, nil
}
