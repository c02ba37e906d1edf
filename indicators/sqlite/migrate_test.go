package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A database that lacks a migration is backed up before it is applied, and
// a migration that fails leaves the schema as it was.
func TestMigrationBacksUpFirstAndIsAtomic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "m.db")
	now := func() time.Time { return time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC) }
	db, err := Open(ctx, path, WithClock(now))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	n := ms[len(ms)-1].version
	broken := append(ms, migration{version: n + 1, name: "broken.sql",
		sql: `CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);`})
	if err := db.migrateTo(ctx, broken); err == nil || !strings.Contains(err.Error(), "broken.sql") {
		t.Fatalf("broken migration err = %v", err)
	}
	var tables int
	db.write.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'`).Scan(&tables)
	if tables != 0 {
		t.Fatal("a failed migration left its table behind")
	}
	good := append(ms, migration{version: n + 1, name: "extra.sql", sql: `CREATE TABLE extra (x INTEGER);`})
	if err := db.migrateTo(ctx, good); err != nil {
		t.Fatal(err)
	}
	backups, _ := filepath.Glob(path + ".pre-*.bak")
	if len(backups) == 0 {
		t.Fatal("no backup was taken before migrating")
	}
	st, err := os.Stat(backups[0])
	if err != nil || st.Size() == 0 {
		t.Fatalf("backup %v: %v", backups, err)
	}
	db.Close()
}
