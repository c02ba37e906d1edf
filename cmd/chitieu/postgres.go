package main

import (
	"context"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"chitieu/dashboard"
	"chitieu/importers"
	"chitieu/indicators"
	"chitieu/indicators/catalog"
	"chitieu/indicators/postgres"
)

// postgresGaps lists what the server needs of its store (dashboard.Store)
// that the PostgreSQL store does not have, by method, read from the two
// types: when the server comes to need more (a new page's store methods),
// serve on PostgreSQL stops with that list rather than failing to build.
func postgresGaps() (missing []string, needed int) {
	need := reflect.TypeOf((*dashboard.Store)(nil)).Elem()
	have := reflect.TypeOf((*postgres.DB)(nil))
	for i := 0; i < need.NumMethod(); i++ {
		if _, ok := have.MethodByName(need.Method(i).Name); !ok {
			missing = append(missing, need.Method(i).Name)
		}
	}
	return missing, need.NumMethod()
}

// refusePostgres stops a command other than serve given a postgres://
// database, with a sentence an operator can act on, rather than letting
// SQLite make a file named "postgres:".
func refusePostgres(db string) error {
	if !postgres.IsURL(db) {
		return nil
	}
	return indicators.FieldError(indicators.EINVALID, "",
		fmt.Sprintf("--db %s: trên PostgreSQL mới chạy được `chitieu serve`, cùng `chitieu backup` (qua pg_dump), `migrate`, `import`, `report`, `user` và `audit verify`; "+
			"lệnh này làm việc trên một tệp SQLite (--db chitieu.db). Chép một cơ sở dữ liệu SQLite sang PostgreSQL mới "+
			"bằng chitieu migrate-store --from chitieu.db --to postgres://…", postgres.Redact(db)),
		fmt.Sprintf("--db %s: only `chitieu serve` runs on PostgreSQL so far, with `chitieu backup` (through pg_dump), `migrate`, `import`, `report`, `user` and `audit verify`; "+
			"this command works on a SQLite file (--db chitieu.db). Copy a SQLite database into a new PostgreSQL one "+
			"with chitieu migrate-store --from chitieu.db --to postgres://…", postgres.Redact(db)))
}

// openPostgres opens the PostgreSQL store for serve: every server of the
// database holds the same audit key (CHITIEU_AUDIT_KEY) and records its own
// heads (CHITIEU_AUDIT_HEADS, by default beside the key); pending
// migrations are applied after a pg_dump, as mb says. It loads the
// built-in catalogue, as opening a SQLite file does, and refuses while the
// store lacks part of what the server needs.
func (a *app) openPostgres(ctx context.Context, url string, mb migrationBackup) (*postgres.DB, dashboard.Store, error) {
	if missing, needed := postgresGaps(); len(missing) > 0 {
		return nil, nil, indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("--db %s: máy chủ chưa chạy được trên PostgreSQL: %d trong %d phương thức lưu trữ nó cần "+
				"chưa có trên PostgreSQL (%s); hãy dùng một tệp SQLite (--db chitieu.db)",
				postgres.Redact(url), len(missing), needed, strings.Join(missing, ", ")),
			fmt.Sprintf("--db %s: the server cannot run on PostgreSQL yet: %d of the %d store methods it needs "+
				"are not on PostgreSQL (%s); use a SQLite file (--db chitieu.db) for now",
				postgres.Redact(url), len(missing), needed, strings.Join(missing, ", ")))
	}
	db, err := postgres.Open(ctx, url, a.pgOptions(url, mb)...)
	if err != nil {
		return nil, nil, err
	}
	// Checked at run time, not at build time, so that a server needing more
	// of its store than PostgreSQL has yet still builds (postgresGaps).
	store, ok := any(db).(dashboard.Store)
	if !ok {
		db.Close()
		return nil, nil, fmt.Errorf("postgres: the store does not satisfy the server's interface")
	}
	cat, err := catalog.Builtin()
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	res, err := db.LoadCatalog(indicators.WithActor(ctx, indicators.Actor{User: "system"}), cat)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	if res != (indicators.CatalogResult{}) {
		a.log.Info("loaded the built-in catalogue", "plans", res.Plans, "indicators", res.Indicators,
			"targets", res.Targets, "values", res.Values)
	}
	return db, store, nil
}

// jobSilence reads CHITIEU_IMPORT_JOB_SILENT, how long an import job may
// go unbeaten before another server takes it over (30s when unset).
func (a *app) jobSilence() (time.Duration, error) {
	v := a.getenv("CHITIEU_IMPORT_JOB_SILENT")
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 100*time.Millisecond || d > time.Hour {
		return 0, usagef("CHITIEU_IMPORT_JOB_SILENT=%q không hợp lệ: cần một khoảng thời gian từ 100ms đến 1h, ví dụ 30s",
			"CHITIEU_IMPORT_JOB_SILENT=%q is not valid: give a duration from 100ms to 1h, e.g. 30s", v)
	}
	return d, nil
}

// adminStore is what the user and audit commands need of a store; both
// stores have it.
type adminStore interface {
	Users(ctx context.Context) ([]indicators.User, error)
	CreateUser(ctx context.Context, u *indicators.User) error
	SetPassword(ctx context.Context, name, hash, keep string) error
	SetDisabled(ctx context.Context, name string, disabled bool) error
	CheckAudit(ctx context.Context) (indicators.AuditCheck, error)
	KeyPath() string
	Close() error
}

// openAdmin opens the store of --db for the user and audit commands: a
// SQLite file, or a PostgreSQL database with the servers' audit key
// (CHITIEU_AUDIT_KEY) and heads file (CHITIEU_AUDIT_HEADS).
func (a *app) openAdmin(ctx context.Context, db string) (adminStore, error) {
	if !postgres.IsURL(db) {
		return a.open(ctx, db)
	}
	return postgres.Open(ctx, db, a.pgOptions(db, migrationBackup{})...)
}

// importStore is what the import commands need of a store; both stores
// have it.
type importStore interface {
	importers.Store
	Batches(ctx context.Context, f indicators.BatchFilter) ([]indicators.Batch, error)
	BatchFile(ctx context.Context, id int64, w io.Writer) (indicators.Batch, error)
	Close() error
}

// openImports opens the store of --db for the import commands: a SQLite
// file, or a PostgreSQL database as a server opens it (the audit key, the
// built-in catalogue). A commit from the command line is one more writer
// among the servers': its values show on their pages at once.
func (a *app) openImports(ctx context.Context, db string) (importStore, error) {
	if !postgres.IsURL(db) {
		return a.open(ctx, db)
	}
	pg, _, err := a.openPostgres(ctx, db, migrationBackup{})
	if err != nil {
		return nil, err
	}
	return pg, nil
}
