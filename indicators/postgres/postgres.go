// Package postgres stores chitieu's domain in PostgreSQL through pgx, for
// deployments that outgrow one machine: several servers on one database.
// It implements the same interfaces as indicators/sqlite and passes the
// same store test suite (indicators/storetest); the SQL is its own, since
// the two engines differ in types, placeholders and how writers queue.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"

	"chitieu/indicators"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DB is chitieu's store on PostgreSQL. Reads run on the pool; every write
// is one transaction that first takes the audit chain's head row, so that
// writers of every server queue there as SQLite's writers queue on its
// one write connection.
type DB struct {
	pool *pgxpool.Pool
	name string // the database as messages name it: host and name, no password
	log  *slog.Logger
	now  func() time.Time

	// The audit chain's key and the file of the heads this server wrote,
	// both kept outside the database (see audit.go).
	keyPath, headsPath string
	key                *auditKey
	heads              *headsFile

	locks commitLocks // the commit locks of this process's commits

	// backup backs the database up before migrations are applied to it;
	// migrated is what was applied, and how it was backed up, for the
	// audit trail once the key is loaded.
	backup   func(context.Context, PendingMigrations) (string, error)
	migrated *migrationRecord
}

var _ indicators.Store = (*DB)(nil)

// Option changes how Open sets up the store.
type Option func(*DB)

// WithLogger sets the logger for migrations and the audit key.
func WithLogger(l *slog.Logger) Option { return func(db *DB) { db.log = l } }

// WithClock replaces the clock, for tests that need entries at given times.
func WithClock(now func() time.Time) Option { return func(db *DB) { db.now = now } }

// WithAuditKey sets the file of the audit key. Every server of one
// database must hold the same key; Open refuses a key other than the one
// the database was first signed with.
func WithAuditKey(path string) Option { return func(db *DB) { db.keyPath = path } }

// WithHeadsFile sets the file this server records the chain's heads in;
// the default is the key's file with ".heads" in place of ".key".
func WithHeadsFile(path string) Option { return func(db *DB) { db.headsPath = path } }

// WithBackupBeforeMigrating sets how Open backs up a database that has
// migrations to apply: fn is called under the migration lock, so that of
// servers starting at once one backs up and migrates and the others find
// the schema done, and it returns the file it wrote, or "" when the
// operator chose to go without. An error from fn stops Open before any
// migration. A new database, with nothing in it to lose, is not backed up.
func WithBackupBeforeMigrating(fn func(ctx context.Context, p PendingMigrations) (file string, err error)) Option {
	return func(db *DB) { db.backup = fn }
}

// PendingMigrations is what a backup before migrating is told.
type PendingMigrations struct {
	Database string   // the database as messages name it (host and name)
	Schema   string   // the schema the store's tables are in
	Version  int      // the schema version now
	Pending  []string // the migrations about to be applied, by file name
}

// migrationRecord is a migration of a database that had data, and its
// backup, kept for the audit trail.
type migrationRecord struct {
	pending PendingMigrations
	file    string
	head    indicators.AuditHead
}

// IsURL reports whether a --db value names a PostgreSQL database rather
// than a SQLite file.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open connects to the database that dsn names (a postgres:// URL or a
// key=value string), brings its schema up to date and loads the audit key.
// A database made by a newer chitieu is refused.
func Open(ctx context.Context, dsn string, opts ...Option) (*DB, error) {
	db := &DB{log: slog.Default(), now: time.Now}
	for _, o := range opts {
		o(db)
	}
	clock := db.now
	// PostgreSQL keeps microseconds: moments are made at that precision so
	// that what is written is what is read back.
	db.now = func() time.Time { return clock().UTC().Truncate(time.Microsecond) }
	if db.keyPath == "" {
		return nil, indicators.FieldError(indicators.EINVALID, "audit_key",
			"cơ sở dữ liệu PostgreSQL cần tệp khóa nhật ký kiểm toán (CHITIEU_AUDIT_KEY), dùng chung cho mọi máy chủ",
			"a PostgreSQL database needs the audit key file (CHITIEU_AUDIT_KEY), the same on every server")
	}
	if db.headsPath == "" {
		db.headsPath = strings.TrimSuffix(db.keyPath, ".key") + ".heads"
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: read the connection string: %w", err)
	}
	db.name = cfg.ConnConfig.Host + "/" + cfg.ConnConfig.Database
	if db.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return nil, fmt.Errorf("postgres: connect to %s: %w", db.name, err)
	}
	if err := db.pool.Ping(ctx); err != nil {
		db.pool.Close()
		return nil, fmt.Errorf("postgres: connect to %s: %w", db.name, err)
	}
	if err := db.migrate(ctx); err != nil {
		db.pool.Close()
		return nil, err
	}
	if err := db.setUpKey(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.recordMigration(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// Withdrawing a commit this host cut off writes audit events, which
	// need the key.
	if err := db.RecoverCommits(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close ends the commit locks still held, the pool and the heads file.
func (db *DB) Close() error {
	db.closeCommitLocks()
	var err error
	if db.heads != nil {
		err = db.heads.close()
	}
	db.pool.Close()
	return err
}

// Name is the database as messages name it (host and database).
func (db *DB) Name() string { return db.name }

// Pool is the connection pool, for tests and tools that need SQL of their
// own (the store test suite's tampering, migrate-store).
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the embedded migrations by version; as in SQLite's
// store, versions are unique and increasing but need not be contiguous.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("postgres: list migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("postgres: migration %s is not named NNNN_name.sql", e.Name())
		}
		body, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("postgres: read migration %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("postgres: migrations %s and %s share a number", ms[i-1].name, ms[i].name)
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

// migrateLock is the advisory lock that servers starting at once take, so
// that one of them migrates and the others find the schema done.
const migrateLock = 0x63686974_69657531 // "chitieu1"

// migrate applies the migrations the database lacks, each in its own
// transaction, under the advisory lock.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: connect to %s: %w", db.name, err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrateLock)); err != nil {
		return fmt.Errorf("postgres: wait for the migration lock of %s: %w", db.name, err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(migrateLock))
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)`); err != nil {
		return fmt.Errorf("postgres: create schema_migrations in %s: %w", db.name, err)
	}
	rows, err := conn.Query(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("postgres: read schema version of %s: %w", db.name, err)
	}
	applied, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return fmt.Errorf("postgres: read schema version of %s: %w", db.name, err)
	}
	known := map[int]bool{}
	for _, m := range ms {
		known[m.version] = true
	}
	done := map[int]bool{}
	for _, v := range applied {
		done[v] = true
		if !known[v] {
			return indicators.FieldError(indicators.EINVALID, "",
				fmt.Sprintf("cơ sở dữ liệu %s có bản nâng cấp lược đồ số %d mà chương trình này không biết (được tạo bởi bản chitieu mới hơn); hãy dùng bản chitieu mới hơn", db.name, v),
				fmt.Sprintf("the database %s has schema migration %d, which this program does not know (a newer chitieu made it); use a newer chitieu", db.name, v))
		}
	}
	if err := db.backUpBefore(ctx, conn, ms, done); err != nil {
		return err
	}
	for _, m := range ms {
		if done[m.version] {
			continue
		}
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("postgres: migration %s: %w", m.name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
				m.version, m.name, db.now()); err != nil {
				return fmt.Errorf("postgres: record migration %s: %w", m.name, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
		db.log.Info("applied migration", "db", db.name, "migration", m.name)
	}
	return nil
}

// wtx is a writing transaction: it holds the audit chain's head row from
// its start, and keeps the chain's end as its appends move it.
type wtx struct {
	pgx.Tx
	db *DB

	lastID, events int64
	hash           string
	appended       bool
	versionID      int64 // the data version this transaction sets, when bumped
	versionAt      time.Time
}

// writeTx runs fn in one transaction that first locks the audit chain's
// head, so that writers of all servers follow one another and the chain
// never forks. Under READ COMMITTED each statement after the lock sees
// every write committed before it, as a queued SQLite writer does.
func (db *DB) writeTx(ctx context.Context, fn func(tx *wtx) error) error {
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	w := &wtx{Tx: tx, db: db}
	if err := tx.QueryRow(ctx, `SELECT last_id, hash, events FROM audit_head WHERE one FOR UPDATE`).
		Scan(&w.lastID, &w.hash, &w.events); err != nil {
		return fmt.Errorf("postgres: take the audit chain's head: %w", err)
	}
	if err := fn(w); err != nil {
		return err
	}
	if w.appended {
		if _, err := tx.Exec(ctx, `UPDATE audit_head SET last_id = $1, hash = $2, events = $3,
			version_id = CASE WHEN $4::bigint > 0 THEN $4 ELSE version_id END,
			version_at = CASE WHEN $4::bigint > 0 THEN $5 ELSE version_at END WHERE one`,
			w.lastID, w.hash, w.events, w.versionID, nullTime(w.versionAt)); err != nil {
			return fmt.Errorf("postgres: move the audit chain's head: %w", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	if w.appended && db.heads != nil {
		db.heads.commit(w.lastID, w.hash)
	}
	return nil
}

// nullTime is t for a timestamptz column at the precision PostgreSQL keeps
// (truncated, where PostgreSQL would round), or NULL for the zero time.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Truncate(time.Microsecond)
}

// timeOf is a scanned nullable timestamptz as the domain holds it.
func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// nullDate is the day of t in Vietnam for a date column, or NULL.
func nullDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	y, m, d := t.In(indicators.Vietnam).Date()
	return pgtype.Date{Time: time.Date(y, m, d, 0, 0, 0, 0, time.UTC), Valid: true}
}

// dateOf is a scanned date as the domain holds days: midnight in Vietnam.
func dateOf(d pgtype.Date) time.Time {
	if !d.Valid {
		return time.Time{}
	}
	y, m, dd := d.Time.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, indicators.Vietnam)
}

// day is t's day in Vietnam, at midnight there.
func day(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.In(indicators.Vietnam).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, indicators.Vietnam)
}

// args numbers the parameters of a query built piece by piece.
type args []any

// add appends v and returns its placeholder.
func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// isUnique reports whether err is a unique violation.
func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// isForeignKey reports whether err is a foreign-key violation.
func isForeignKey(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
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
	"profile": "hồ sơ ánh xạ", "file": "tệp", "source": "nguồn",
	"obligation": "nghĩa vụ báo cáo",
}
