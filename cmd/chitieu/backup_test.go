package main

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// chitieu backup while another connection — another process, as far as
// SQLite's locks go — holds the write lock in the middle of a large
// commit: the backup is made (exit 0) instead of failing with
// SQLITE_BUSY, says the live trail was busy, and the copy restores and
// verifies without any of the uncommitted values.
func TestBackupWhileAnotherProcessWrites(t *testing.T) {
	dir := t.TempDir()
	live, bk, restored := filepath.Join(dir, "live.db"), filepath.Join(dir, "bk.db"), filepath.Join(dir, "r.db")
	if code, _, errs := chitieu(t, "migrate", "--db", live); code != 0 {
		t.Fatal(errs)
	}
	raw, err := sql.Open("sqlite", "file:"+live+"?_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	tx, err := raw.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 200000)
		INSERT INTO data_values (indicator, unit, period, year, type, value, source, entered_by, entered_at)
		SELECT 'ECO-01', 'CT-CU', '2024', 2024, 'official', n, 'bulk', 'x', '2026-01-01T00:00:00.000000000Z' FROM i`); err != nil {
		t.Fatal(err)
	}
	code, out, errs := chitieu(t, "backup", bk, "--db", live)
	t.Logf("backup during a write held by another connection: exit %d\n%s%s", code, out, errs)
	if code != 0 || !strings.Contains(out, "đã sao lưu") || !strings.Contains(out, "đang bận ghi") {
		t.Fatalf("backup while another process writes: exit %d\n%s%s", code, out, errs)
	}
	tx.Rollback()
	if code, out, errs := chitieu(t, "restore", bk, "--db", restored); code != 0 {
		t.Fatalf("restore: %s%s", out, errs)
	}
	if code, out, errs := chitieu(t, "audit", "verify", "--db", restored); code != 0 {
		t.Errorf("verify of the restored copy: exit %d\n%s%s", code, out, errs)
	}
	check, err := sql.Open("sqlite", restored)
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	var n int
	if err := check.QueryRow(`SELECT COUNT(*) FROM data_values WHERE source = 'bulk'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the copy holds %d uncommitted values (%v), want 0", n, err)
	}
}
