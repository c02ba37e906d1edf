// Package sqlite stores chitieu's domain in a SQLite file through the pure-Go
// driver modernc.org/sqlite. All SQL of chitieu lives here.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"chitieu/indicators"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DB is chitieu's store. It keeps one connection for writes, so that
// writers queue in Go rather than fight over SQLite's lock, and a small
// pool for reads, which WAL lets run beside the writer.
type DB struct {
	path  string
	write *sql.DB
	read  *readPool
	log   *slog.Logger
	now   func() time.Time

	// The audit chain's key and the file of its heads, both kept outside
	// the database (see auditkey.go and auditheads.go).
	keyPath, headsPath string
	key                *auditKey
	heads              *headsFile
}

var _ indicators.Store = (*DB)(nil)

// Option changes how Open sets up the store.
type Option func(*DB)

// WithLogger sets the logger for migrations and backups.
func WithLogger(l *slog.Logger) Option { return func(db *DB) { db.log = l } }

// WithClock replaces the clock, for tests that need entries at given times.
func WithClock(now func() time.Time) Option { return func(db *DB) { db.now = now } }

// dsn builds the connection string: busy_timeout first, so that the other
// pragmas wait for a lock instead of failing, then WAL and the rest.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "temp_store(MEMORY)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		// Writes take the lock at BEGIN, so a transaction never fails
		// half-way on an upgrade from a read lock.
		q.Set("_txlock", "immediate")
		// The writer copies the WAL back into the file once it holds 8,000
		// pages (32 MB) rather than SQLite's 1,000: a commit chunk rewrites
		// index pages that the next chunks rewrite again, and a checkpoint
		// after every chunk copied each of them each time (a million-row
		// import: 41–43 s with checkpoints at 1,000 pages, 35 s at 8,000,
		// peak memory unchanged). The WAL file stays at about that size.
		q.Add("_pragma", "wal_autocheckpoint(8000)")
	}
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating it if need be) the database at path and brings its
// schema up to date, taking a backup first when an existing database is
// migrated. A database made by a newer chitieu is refused.
func Open(ctx context.Context, path string, opts ...Option) (*DB, error) {
	db := &DB{path: path, log: slog.Default(), now: time.Now}
	for _, o := range opts {
		o(db)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("sqlite: create folder of %s: %w", path, err)
		}
	}
	var err error
	if db.write, err = sql.Open("sqlite", dsn(path, false)); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.write.SetMaxOpenConns(1)
	db.write.SetConnMaxIdleTime(0)
	if err := db.migrate(ctx); err != nil {
		db.write.Close()
		return nil, err
	}
	read, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		db.write.Close()
		return nil, fmt.Errorf("sqlite: open %s for reading: %w", path, err)
	}
	read.SetMaxOpenConns(4)
	db.read = &readPool{DB: read}
	if err := db.setUpKey(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// Withdrawing a cut-off commit writes audit events, which need the key.
	if err := db.recoverCommits(ctx, false); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close closes both pools.
func (db *DB) Close() error {
	var errs []error
	if db.heads != nil {
		errs = append(errs, db.heads.close())
	}
	return errors.Join(append(errs, db.read.Close(), db.write.Close())...)
}

// Path is the file the store lives in.
func (db *DB) Path() string { return db.path }

type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the embedded migrations by version. Versions must be
// unique and increasing but need not be contiguous, so that work on
// separate branches can each take a number.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("sqlite: list migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("sqlite: migration %s is not named NNNN_name.sql", e.Name())
		}
		body, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("sqlite: read migration %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("sqlite: migrations %s and %s share a number", ms[i-1].name, ms[i].name)
		}
	}
	return ms, nil
}

// SchemaVersion is the schema version this binary brings.
func SchemaVersion() int {
	ms, _ := migrations()
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	return db.migrateTo(ctx, ms)
}

// migrateTo applies the migrations of ms that the database lacks.
func (db *DB) migrateTo(ctx context.Context, ms []migration) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`); err != nil {
		return fmt.Errorf("sqlite: create schema_migrations in %s: %w", db.path, err)
	}
	applied := map[int]bool{}
	rows, err := db.write.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("sqlite: read schema version of %s: %w", db.path, err)
	}
	known := map[int]bool{}
	for _, m := range ms {
		known[m.version] = true
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("sqlite: read schema version of %s: %w", db.path, err)
		}
		applied[v] = true
		if !known[v] {
			rows.Close()
			return indicators.FieldError(indicators.EINVALID, "",
				fmt.Sprintf("cơ sở dữ liệu %s có bản nâng cấp lược đồ số %d mà chương trình này không biết (được tạo bởi bản chitieu mới hơn); hãy dùng bản chitieu mới hơn", db.path, v),
				fmt.Sprintf("the database %s has schema migration %d, which this program does not know (a newer chitieu made it); use a newer chitieu", db.path, v))
		}
	}
	rows.Close()
	var pending []migration
	for _, m := range ms {
		if !applied[m.version] {
			pending = append(pending, m)
		}
	}
	if len(pending) == 0 {
		return nil
	}
	if len(applied) > 0 {
		backup := fmt.Sprintf("%s.pre-%04d-%s", db.path, pending[0].version, db.now().UTC().Format("20060102T150405Z"))
		for i := 1; ; i++ {
			if _, err := os.Stat(backup + ".bak"); err != nil {
				break
			}
			backup = fmt.Sprintf("%s.pre-%04d-%s-%d", db.path, pending[0].version, db.now().UTC().Format("20060102T150405Z"), i)
		}
		backup += ".bak"
		if err := db.vacuumInto(ctx, db.write, backup); err != nil {
			return fmt.Errorf("sqlite: back up before migrating: %w", err)
		}
		db.log.Info("backed up the database before migrating", "backup", backup, "pending", len(pending))
	}
	for _, m := range pending {
		if err := db.apply(ctx, m); err != nil {
			return err
		}
		db.log.Info("applied migration", "db", db.path, "migration", m.name)
	}
	return nil
}

func (db *DB) apply(ctx context.Context, m migration) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin migration %s: %w", m.name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, fmtTime(db.now())); err != nil {
		return fmt.Errorf("sqlite: record migration %s: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit migration %s: %w", m.name, err)
	}
	return nil
}

// write runs fn in one transaction on the write connection.
func (db *DB) writeTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return diskFull(err, "thay đổi", "the change")
	}
	if err := db.commitTx(ctx, tx); err != nil {
		return diskFull(fmt.Errorf("sqlite: commit: %w", err), "thay đổi", "the change")
	}
	return nil
}

// Times are stored in UTC with fixed-width nanoseconds, so that comparing
// the text compares the moments.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(indicators.Vietnam).Format(indicators.DateLayout)
}

func parseDate(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation(indicators.DateLayout, s, indicators.Vietnam)
	if err != nil {
		return time.Time{}
	}
	return t
}

func notFound(what, key string) error {
	return &indicators.Error{Code: indicators.ENOTFOUND, Field: what,
		Message: fmt.Sprintf("không tìm thấy %s %q", whatVI[what], key),
		English: fmt.Sprintf("%s %q not found", what, key)}
}

var whatVI = map[string]string{
	"plan": "kế hoạch", "indicator": "chỉ tiêu", "unit": "đơn vị", "target": "mục tiêu",
	"task": "nhiệm vụ", "batch": "lô nhập", "user": "người dùng",
	"audit event": "sự kiện nhật ký", "session": "phiên đăng nhập",
	"profile": "hồ sơ ánh xạ", "file": "tệp", "source": "nguồn", "submission": "kỳ báo cáo", "obligation": "nghĩa vụ báo cáo",
}
