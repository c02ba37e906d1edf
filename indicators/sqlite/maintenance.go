package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"chitieu/indicators"
)

// fileExists is the error of a file chitieu will not write over.
func fileExists(path string) error {
	return indicators.FieldError(indicators.ECONFLICT, "",
		fmt.Sprintf("tệp %s đã tồn tại, không ghi đè", path), fmt.Sprintf("the file %s exists and is not overwritten", path))
}

// vacuumInto writes a consistent copy of the live database to path with
// VACUUM INTO, which reads through SQLite and so sees committed data only,
// never a half-written page as a file copy could.
func (db *DB) vacuumInto(ctx context.Context, conn *sql.DB, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fileExists(path)
	}
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("sqlite: vacuum into %s: %w", path, err)
	}
	return nil
}

// BackupResult is what a backup made.
type BackupResult struct {
	Path      string // the copy
	KeyPath   string // the audit key, copied beside it
	HeadsPath string // the copy's heads file: its head when made
	// Head is the copy's audit head, its own db.backup event included.
	Head indicators.AuditHead
	// Recorded reports whether the live trail holds a db.backup event too.
	// It does not when a writer held the database at the time: the backup
	// does not wait for it, and the copy, its heads file and the live
	// heads file record the backup all the same.
	Recorded bool
}

// Backup writes a consistent copy of the live database to path, which must
// not exist yet, without waiting for writers: VACUUM INTO reads one WAL
// snapshot, so a commit under way is in the copy wholly or not at all.
// The copy then gets its own db.backup event, written in the copy, so that
// it holds the record of its own making; the audit key is copied beside it
// (path.key, mode 0600) and its head starts its heads file (path.heads).
// The live heads file records the backup; the live trail gets its
// db.backup event only if the write lock is free within a moment.
func (db *DB) Backup(ctx context.Context, path string) (BackupResult, error) {
	res := BackupResult{Path: path, KeyPath: path + ".key", HeadsPath: path + ".heads"}
	for _, p := range []string{path, res.KeyPath, res.HeadsPath} {
		if _, err := os.Stat(p); err == nil {
			return res, fileExists(p)
		}
	}
	tmp := path + ".partial"
	os.Remove(tmp)
	defer os.Remove(tmp)
	// The read pool is query-only, which VACUUM INTO refuses; a connection
	// of its own keeps the backup off the write connection, so writers go on.
	conn, err := sql.Open("sqlite", dsn(db.path, false))
	if err != nil {
		return res, fmt.Errorf("sqlite: open %s for backup: %w", db.path, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return res, fmt.Errorf("sqlite: vacuum into %s: %w", tmp, err)
	}
	conn.Close()
	ev := indicators.AuditEvent{Action: "db.backup", Object: "file:" + filepath.Base(path),
		After: jsonOf(map[string]any{"from": filepath.Base(db.path)})}
	if res.Head, err = db.appendEventTo(ctx, tmp, ev, 10*time.Second); err != nil {
		return res, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return res, fmt.Errorf("sqlite: move the backup into %s: %w", path, err)
	}
	if err := writeKeyFile(res.KeyPath, db.key.key); err != nil {
		return res, err
	}
	if err := appendHead(res.HeadsPath, db.now(), recordCommit, res.Head.LastID, res.Head.Hash,
		"backup of "+db.path); err != nil {
		return res, err
	}
	db.heads.record(recordBackup, res.Head.LastID, res.Head.Hash, "to="+path)
	// The live event: a quarter of a second for the lock, then the backup
	// stands on the copy's own record.
	live := indicators.AuditEvent{Action: "db.backup", Object: "file:" + filepath.Base(path),
		After: jsonOf(map[string]any{"head": res.Head.LastID, "hash": res.Head.Hash})}
	if _, err := db.appendEventTo(ctx, db.path, live, 250*time.Millisecond); err != nil {
		db.log.Warn("the backup is made; the live audit trail was busy and does not record it", "backup", path, "err", err)
	} else {
		res.Recorded = true
	}
	return res, nil
}

// appendEventTo appends ev to the trail of the database file at path,
// through a connection of its own that waits at most wait for the write
// lock, records the head it leaves when path is the live database, and
// returns that head.
func (db *DB) appendEventTo(ctx context.Context, path string, ev indicators.AuditEvent, wait time.Duration) (indicators.AuditHead, error) {
	var h indicators.AuditHead
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", wait.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	conn, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return h, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return h, fmt.Errorf("sqlite: begin on %s: %w", path, err)
	}
	defer tx.Rollback()
	if err := db.audit(ctx, tx, ev); err != nil {
		return h, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), MAX(id), (SELECT `+hashHex+` FROM audit_events ORDER BY id DESC LIMIT 1)
		FROM audit_events`).Scan(&h.Events, &h.LastID, &h.Hash); err != nil {
		return h, fmt.Errorf("sqlite: read the audit head of %s: %w", path, err)
	}
	if path == db.path {
		err = db.commitTx(ctx, tx)
	} else {
		err = tx.Commit()
	}
	if err != nil {
		return h, fmt.Errorf("sqlite: commit on %s: %w", path, err)
	}
	return h, nil
}

// Restore replaces the database at dst with the backup at src. The backup
// is checked first: it must open, pass the integrity check, not be newer
// than this binary, and its audit trail must hold under the key (dst.key,
// or the src.key copied beside the backup, or the file of WithAuditKey).
// An existing dst is kept beside it as dst.before-restore-…; the key is
// put beside dst if it was not there; and the heads file of dst records
// the restore, with the head it replaced, so that verify tells the older
// trail from a cut one. No server may have dst open meanwhile.
func Restore(ctx context.Context, src, dst string, opts ...Option) (kept string, err error) {
	if _, err := os.Stat(src); err != nil {
		return "", indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("không mở được tệp sao lưu %s: %v", src, err), fmt.Sprintf("cannot open the backup %s: %v", src, err))
	}
	cfg := &DB{path: dst, log: slog.Default(), now: time.Now}
	for _, o := range opts {
		o(cfg)
	}
	keyPath := cfg.keyPath
	if keyPath == "" {
		keyPath = dst + ".key"
	}
	keyFrom := keyPath
	key, err := readKeyFile(keyPath)
	if errors.Is(err, fs.ErrNotExist) && cfg.keyPath == "" {
		keyFrom = src + ".key"
		key, err = readKeyFile(keyFrom)
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	var ak *auditKey
	if key != nil {
		ak = newAuditKey(key)
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
		return "", indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("tệp %s không phải bản sao lưu của chitieu: %v", src, err), fmt.Sprintf("%s is not a chitieu backup: %v", src, err))
	}
	if newest > SchemaVersion() {
		return "", indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("bản sao lưu %s có lược đồ số %d, mới hơn chương trình (%d)", src, newest, SchemaVersion()),
			fmt.Sprintf("the backup %s has schema %d, newer than this program's (%d)", src, newest, SchemaVersion()))
	}
	if problems, err := integrity(ctx, conn); err != nil {
		return "", err
	} else if len(problems) > 0 {
		return "", indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("bản sao lưu %s bị hỏng: %s", src, strings.Join(problems, "; ")),
			fmt.Sprintf("the backup %s is damaged: %s", src, strings.Join(problems, "; ")))
	}
	var check indicators.AuditCheck
	if err := checkChain(ctx, conn, ak, nil, &check); err != nil {
		return "", err
	}
	if check.Broken != nil && ak != nil && check.KeyedFrom == 1 {
		// A backup made before keys: its trail is plain throughout, and
		// the first start after the restore signs it from there on.
		var plain indicators.AuditCheck
		if err := checkChain(ctx, conn, nil, nil, &plain); err != nil {
			return "", err
		}
		if plain.Broken == nil {
			check = plain
		}
	}
	if check.Broken != nil && ak == nil {
		return "", indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("không thấy khóa nhật ký kiểm toán của bản sao lưu %s (%s hoặc %s): hãy chỉ ra bằng CHITIEU_AUDIT_KEY", src, keyPath, src+".key"),
			fmt.Sprintf("the audit key of the backup %s is not found (%s or %s): name it with CHITIEU_AUDIT_KEY", src, keyPath, src+".key"))
	}
	if check.Broken != nil {
		return "", indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("bản sao lưu %s: %s", src, check.Broken.Error()), fmt.Sprintf("the backup %s: %s", src, check.Broken.English()))
	}
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return "", fmt.Errorf("sqlite: copy backup %s: %w", src, err)
	}
	conn.Close()
	replaced := "none"
	if _, err := os.Stat(dst); err == nil {
		if h, err := headOf(ctx, dst); err == nil {
			replaced = fmt.Sprintf("#%d %s", h.LastID, h.Hash)
		}
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
	if keyFrom != keyPath {
		if err := writeKeyFile(keyPath, key); err != nil {
			return kept, err
		}
	}
	heads := dst + ".heads"
	if err := appendHead(heads, time.Now(), recordRestore, check.Head.LastID, check.Head.Hash,
		"from="+src+" replaced="+replaced); err != nil {
		return kept, err
	}
	return kept, nil
}

// headOf reads the audit head of the database file at path, read-only.
func headOf(ctx context.Context, path string) (indicators.AuditHead, error) {
	var h indicators.AuditHead
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return h, err
	}
	defer conn.Close()
	err = conn.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(id), 0),
		COALESCE((SELECT `+hashHex+` FROM audit_events ORDER BY id DESC LIMIT 1), '') FROM audit_events`).
		Scan(&h.Events, &h.LastID, &h.Hash)
	return h, err
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
	problems, err := integrity(ctx, db.read.DB)
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

// RecordRestore appends the db.restore event to a database just restored
// from src, naming the file the old database was kept in.
func (db *DB) RecordRestore(ctx context.Context, src, kept string) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		return db.audit(ctx, tx, indicators.AuditEvent{Action: "db.restore", Object: "file:" + filepath.Base(src),
			After: jsonOf(map[string]any{"from": src, "kept": kept})})
	})
}
