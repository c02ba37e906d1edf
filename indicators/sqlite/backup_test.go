package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/sqlite"
)

// A backup taken while a writer holds the write transaction in the middle
// of a large commit neither waits for it nor sees part of it: the copy is
// made, restores, passes the integrity check and a verified chain, and
// holds none of the batch; a backup after the commit holds all of it.
//
// What makes the commit large for this purpose is that its pages no longer
// fit SQLite's page cache, so that uncommitted pages sit in the WAL file
// while the backup reads it. The writer's cache is cut to 16 pages for the
// commit, so that 20,000 values spill as a million would with the default
// cache, and the test checks that the WAL has grown well past the cache
// before backing up. (A million values at the default cache proved the
// same and took most of this package's time under -race.)
func TestBackupDuringALongCommit(t *testing.T) {
	t.Parallel()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "admin"})
	dir := t.TempDir()
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := open(t, filepath.Join(dir, "live.db"), c)
	if _, err := db.LoadCatalog(ctx, smallCatalog()); err != nil {
		t.Fatal(err)
	}
	const n = 20_000
	// An empty WAL to start from, so that what it holds during the commit
	// is the commit's.
	raw, err := sql.Open("sqlite", db.Path())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if wal, err := os.Stat(db.Path() + "-wal"); err != nil || wal.Size() != 0 {
		t.Fatalf("the WAL after a truncating checkpoint: %v, %v; want it empty", wal, err)
	}
	inside, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- db.WriteTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = 16`); err != nil {
				return err
			}
			defer tx.ExecContext(ctx, `PRAGMA cache_size = -2000`)
			if _, err := tx.ExecContext(ctx, `WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < ?)
				INSERT INTO data_values (indicator, unit, period, year, type, value, source, entered_by, entered_at)
				SELECT 'ECO-01', 'CT-CU', '2024', 2024, 'official', n, 'bulk', 'admin', '2026-01-01T00:00:00.000000000Z' FROM i`, n); err != nil {
				return err
			}
			if err := db.AuditIn(ctx, tx, indicators.AuditEvent{Action: "value.bulk", Object: "test", After: `{"values":20000}`}); err != nil {
				return err
			}
			close(inside)
			<-release
			return nil
		})
	}()
	select {
	case <-inside:
	case err := <-done:
		t.Fatalf("writer: %v", err)
	}
	// The uncommitted pages spilled into the WAL: it holds many times the
	// 16 pages of 4 KiB the cache keeps.
	var walSize int64
	if wal, err := os.Stat(db.Path() + "-wal"); err == nil {
		walSize = wal.Size()
	}
	if tenCaches := int64(10 * 16 * 4096); walSize < tenCaches {
		close(release)
		<-done
		t.Fatalf("the WAL holds %d bytes during the commit, want over %d: the test needs uncommitted pages past the cache", walSize, tenCaches)
	}
	t.Logf("the WAL holds %d bytes during the commit", walSize)
	// The writer waits for the backup: a backup that waited for the
	// writer would never end, and the deadline says so.
	bctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	during := filepath.Join(dir, "during.db")
	res, err := db.Backup(bctx, during)
	cancel()
	close(release)
	if err != nil {
		t.Fatalf("backup during the commit: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("the commit after the backup: %v", err)
	}
	if res.Recorded {
		t.Errorf("the live trail recorded the backup while the writer held the lock")
	}
	heads, _ := os.ReadFile(db.HeadsPath())
	if !strings.Contains(string(heads), "\tbackup\t") || !strings.Contains(string(heads), during) {
		t.Errorf("live heads file does not record the backup:\n%s", heads)
	}
	after := filepath.Join(dir, "after.db")
	if _, err := db.Backup(ctx, after); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		backup string
		want   int
	}{{during, 0}, {after, n}} {
		restored := filepath.Join(t.TempDir(), "restored.db")
		if _, err := sqlite.Restore(ctx, tc.backup, restored); err != nil {
			t.Fatalf("restore %s: %v", tc.backup, err)
		}
		rdb := open(t, restored, c)
		r, err := rdb.Check(ctx)
		if err != nil || len(r.Problems) > 0 {
			t.Fatalf("restored %s: problems %v, %v", filepath.Base(tc.backup), r.Problems, err)
		}
		raw, err := sql.Open("sqlite", restored)
		if err != nil {
			t.Fatal(err)
		}
		var bulk int
		if err := raw.QueryRow(`SELECT COUNT(*) FROM data_values WHERE source = 'bulk'`).Scan(&bulk); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		if bulk != tc.want {
			t.Errorf("%s holds %d values of the batch, want %d", filepath.Base(tc.backup), bulk, tc.want)
		}
	}
}
