package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"chitieu/indicators/postgres"
	"chitieu/indicators/postgres/pgtest"

	"github.com/jackc/pgx/v5"
)

// olderDatabase makes, in a schema of its own, the database as the
// chitieu before the newest migration left it: every migration file but
// the last applied and recorded, as Open applies them. It returns the
// database and the file name of the migration it lacks.
func olderDatabase(t *testing.T) (dsn, pending string) {
	t.Helper()
	dsn = pgtest.Fresh(t)
	files, err := filepath.Glob("../../indicators/postgres/migrations/*.sql")
	if err != nil || len(files) < 2 {
		t.Fatalf("the PostgreSQL migrations: %v, %v", files, err)
	}
	sort.Strings(files)
	ctx := context.Background()
	conn := pgConn(t, dsn)
	if _, err := conn.Exec(ctx, `CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL,
		applied_at timestamptz NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, f := range files[:len(files)-1] {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, string(body)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		num, _, _ := strings.Cut(filepath.Base(f), "_")
		v, _ := strconv.Atoi(num)
		if _, err := conn.Exec(ctx, `INSERT INTO schema_migrations VALUES ($1, $2, now())`, v, filepath.Base(f)); err != nil {
			t.Fatal(err)
		}
	}
	return dsn, filepath.Base(files[len(files)-1])
}

// schemaOf reads the schema version of dsn and the audit events of action.
func schemaOf(t *testing.T, dsn, action string) (version int, events []string) {
	t.Helper()
	ctx := context.Background()
	conn := pgConn(t, dsn)
	if err := conn.QueryRow(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.Query(ctx, `SELECT object || ' ' || after FROM audit_events WHERE action = $1 ORDER BY id`, action)
	if err != nil {
		t.Fatal(err)
	}
	events, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return version, events
}

// TestBackupBeforeMigratingOnPostgres: `chitieu serve` and `chitieu
// migrate` dump a PostgreSQL database with pg_dump before applying its
// pending migrations — into the folder "backups" beside the audit key
// unless told otherwise, the schema as it stood before them — and record
// the backup in the audit trail after the migration. Without pg_dump they
// refuse in both languages, naming the flag that goes without, and change
// nothing; with that flag they migrate and record that choice. A new
// database has nothing to lose and is not dumped.
func TestBackupBeforeMigratingOnPostgres(t *testing.T) {
	dump, err := exec.LookPath("pg_dump")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pg_dump is not installed; CI must test the backup before migrating")
		}
		t.Skip("skipped: pg_dump is not installed (apt-get install postgresql-client)")
	}
	dir := t.TempDir()
	t.Setenv("CHITIEU_AUDIT_KEY", filepath.Join(dir, "chitieu.key"))
	backups := filepath.Join(dir, "backups")
	latest := postgres.SchemaVersion()

	fresh := pgtest.Fresh(t)
	if code, out, stderr := chitieu(t, "migrate", "--db", fresh); code != 0 || !strings.Contains(out, "lược đồ phiên bản "+strconv.Itoa(latest)) {
		t.Fatalf("migrate a new database = %d\n%s\n%s", code, out, stderr)
	}
	if _, err := os.Stat(backups); err == nil {
		t.Fatal("a new database was dumped before its first migrations")
	}

	// Without pg_dump: refused, nothing migrated. (Each database has a
	// heads file of its own: the chain of one is not the other's.)
	older, pending := olderDatabase(t)
	t.Setenv("CHITIEU_AUDIT_HEADS", filepath.Join(dir, "older.heads"))
	path := os.Getenv("PATH")
	t.Setenv("PATH", t.TempDir())
	for lang, said := range map[string]string{"vi": "chưa có gì thay đổi", "en": "nothing was changed"} {
		code, _, stderr := chitieuIn(t, lang, "migrate", "--db", older)
		for _, want := range []string{"--migrate-without-backup", "pg_dump", "postgresql-client", pending, said} {
			if code != 1 || !strings.Contains(stderr, want) {
				t.Errorf("migrate without pg_dump (%s) = %d, %q; want 1 and %q", lang, code, stderr, want)
			}
		}
	}
	if v, _ := schemaOf(t, older, "db.migrate"); v != latest-1 {
		t.Fatalf("schema after the refusal = %d, want %d as before", v, latest-1)
	}
	// The operator goes without, on record.
	if code, out, stderr := chitieu(t, "migrate", "--db", older, "--migrate-without-backup"); code != 0 {
		t.Fatalf("migrate --migrate-without-backup = %d\n%s\n%s", code, out, stderr)
	}
	if v, evs := schemaOf(t, older, "db.migrate"); v != latest || len(evs) != 1 || !strings.Contains(evs[0], pending) ||
		!strings.Contains(evs[0], "without") {
		t.Fatalf("after migrate --migrate-without-backup: schema %d, events %q; want %d and the choice on record", v, evs, latest)
	}
	t.Setenv("PATH", path)

	// A server started on an older database dumps it first.
	older, pending = olderDatabase(t)
	t.Setenv("CHITIEU_AUDIT_HEADS", filepath.Join(dir, "served.heads"))
	serveInProcess(t, older, true)
	dumps, _ := filepath.Glob(filepath.Join(backups, "*.dump"))
	num, _, _ := strings.Cut(pending, "_")
	if len(dumps) != 1 || !strings.Contains(filepath.Base(dumps[0]), ".pre-"+num+"-") {
		t.Fatalf("dumps in %s = %v; want one named for migration %s", backups, dumps, num)
	}
	data, err := os.ReadFile(dumps[0])
	if err != nil || !bytes.HasPrefix(data, []byte("PGDMP")) {
		t.Fatalf("the backup is not a pg_dump archive (%v)", err)
	}
	if fi, _ := os.Stat(dumps[0]); fi.Mode().Perm() != 0o600 {
		t.Errorf("the backup's mode = %v, want 0600: it holds every user's password hash", fi.Mode().Perm())
	}
	v, evs := schemaOf(t, older, "db.backup")
	if v != latest || len(evs) != 1 || !strings.Contains(evs[0], filepath.Base(dumps[0])) || !strings.Contains(evs[0], `"before_migrations":["`+pending+`"]`) {
		t.Fatalf("after serve: schema %d, backup events %q; want %d and the backup before %s", v, evs, latest, pending)
	}
	// The dump holds the schema as it stood before the migration: its
	// record of migrations ends before the one pending.
	restore := filepath.Join(filepath.Dir(dump), "pg_restore")
	if _, err := os.Stat(restore); err != nil {
		if restore, err = exec.LookPath("pg_restore"); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal("pg_restore is not installed beside pg_dump")
			}
			t.Skip("skipped the look inside the dump: no pg_restore")
		}
	}
	applied, err := exec.Command(restore, "--data-only", "--table=schema_migrations", "--file=-", dumps[0]).CombinedOutput()
	if err != nil || strings.Contains(string(applied), pending) || !strings.Contains(string(applied), "0001_core.sql") {
		t.Fatalf("schema_migrations in the dump (%v):\n%s\nwant the migrations before %s", err, applied, pending)
	}
	list, err := exec.Command(restore, "--list", dumps[0]).CombinedOutput()
	if err != nil || !strings.Contains(string(list), "audit_events") {
		t.Fatalf("pg_restore --list: %v\n%s", err, list)
	}
	if code, out, stderr := chitieu(t, "audit", "verify", "--db", older); code != 0 || !strings.Contains(out, "nguyên vẹn") {
		t.Fatalf("audit verify after the migration = %d\n%s\n%s", code, out, stderr)
	}
	// Nothing pending: no second dump.
	time.Sleep(time.Second) // a second dump would have a name of its own
	if code, out, stderr := chitieu(t, "migrate", "--db", older); code != 0 {
		t.Fatalf("migrate again = %d\n%s\n%s", code, out, stderr)
	}
	if again, _ := filepath.Glob(filepath.Join(backups, "*.dump")); len(again) != 1 {
		t.Fatalf("dumps after migrating a migrated database = %v, want the one", again)
	}
}
