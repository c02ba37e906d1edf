package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"chitieu/indicators"
	"chitieu/indicators/postgres"
	"chitieu/indicators/postgres/pgtest"
)

// TestBackupOnPostgres: `chitieu backup` on a postgres:// database dumps
// it with pg_dump in the custom format, which pg_restore reads back, and
// records the backup in the audit trail; without pg_dump it says what to
// install and leaves no file.
func TestBackupOnPostgres(t *testing.T) {
	dsn := pgtest.Fresh(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "chitieu.key")
	t.Setenv("CHITIEU_AUDIT_KEY", key)
	ctx := context.Background()
	db, err := postgres.Open(ctx, dsn, postgres.WithAuditKey(key))
	if err != nil {
		t.Fatal(err)
	}
	before, err := db.AuditHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "chitieu.dump")
	code, stdout, stderr := chitieu(t, "backup", out, "--db", dsn)
	if code != 0 || !strings.Contains(stdout, "pg_dump") || !strings.Contains(stdout, "pg_restore") || !strings.Contains(stdout, key) {
		t.Fatalf("backup = %d\n%s\n%s", code, stdout, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(data, []byte("PGDMP")) {
		t.Fatalf("the backup is not a pg_dump archive (%v)", err)
	}
	if _, err := exec.LookPath("pg_restore"); err == nil {
		list, err := exec.Command("pg_restore", "--list", out).CombinedOutput()
		if err != nil || !strings.Contains(string(list), "TABLE DATA") || !strings.Contains(string(list), "data_values") {
			t.Fatalf("pg_restore --list: %v\n%s", err, list)
		}
	}
	evs, err := db.AuditEvents(ctx, indicators.AuditFilter{Action: "db.backup"})
	if err != nil || len(evs) != 1 || evs[0].ID != before.LastID+1 || !strings.Contains(evs[0].After, "pg_dump") {
		t.Fatalf("backup events = %+v, %v; want one, right after the head before the dump", evs, err)
	}
	db.Close()

	t.Setenv("PATH", t.TempDir())
	missing := filepath.Join(dir, "none.dump")
	code, _, stderr = chitieu(t, "backup", missing, "--db", dsn)
	if code != 1 || !strings.Contains(stderr, "pg_dump") || !strings.Contains(stderr, "postgresql-client") {
		t.Fatalf("backup without pg_dump = %d, %q; want 1 and what to install", code, stderr)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("a backup file was left without pg_dump")
	}
}

// TestUserAndAuditCommandsOnPostgres: `chitieu user` and `chitieu audit
// verify` run on a postgres:// database with the servers' audit key: a
// user made on the command line is listed, and the chain, with that
// creation in it, verifies.
func TestUserAndAuditCommandsOnPostgres(t *testing.T) {
	dsn := pgtest.Fresh(t)
	t.Setenv("CHITIEU_AUDIT_KEY", filepath.Join(t.TempDir(), "chitieu.key"))
	if code, out, stderr := withStdin(t, "mật khẩu của Hoa\n", "user", "add", "--db", dsn, "--name", "hoa.nguyen", "--role", "planner",
		"--full-name", "Nguyễn Thị Hoa"); code != 0 || !strings.Contains(out, "đã tạo người dùng hoa.nguyen") {
		t.Fatalf("user add = %d\n%s\n%s", code, out, stderr)
	}
	if code, out, stderr := chitieu(t, "user", "disable", "--db", dsn, "--name", "hoa.nguyen"); code != 0 {
		t.Fatalf("user disable = %d\n%s\n%s", code, out, stderr)
	}
	code, out, stderr := chitieu(t, "user", "list", "--db", dsn)
	if code != 0 || !strings.Contains(out, "hoa.nguyen") || !strings.Contains(out, "planner") || !strings.Contains(out, "đã khóa") {
		t.Fatalf("user list = %d\n%s\n%s", code, out, stderr)
	}
	code, out, stderr = chitieu(t, "audit", "verify", "--db", dsn)
	if code != 0 || !strings.Contains(out, "chuỗi nhật ký kiểm toán nguyên vẹn: 2 sự kiện") {
		t.Fatalf("audit verify = %d\n%s\n%s", code, out, stderr)
	}
}

// TestImportCommandsOnPostgres: `chitieu import` previews, commits, lists,
// hands back the kept file and rolls back on a postgres:// database.
func TestImportCommandsOnPostgres(t *testing.T) {
	dsn := pgtest.Fresh(t)
	dir := t.TempDir()
	t.Setenv("CHITIEU_AUDIT_KEY", filepath.Join(dir, "chitieu.key"))
	file := longXLSX(t, []any{"ECO-01", "CT-CU", "2019", "Thực hiện", 7.9}, []any{"ECO-01", "CT-CU", "2023", "Thực hiện", "5,8"})
	if code, out, stderr := chitieu(t, "import", file, "--db", dsn, "--dry-run"); code != 0 || !strings.Contains(out, "5,75 → 5,8") {
		t.Fatalf("dry run = %d\n%s\n%s", code, out, stderr)
	}
	if code, out, stderr := chitieu(t, "import", file, "--db", dsn); code != 0 || !strings.Contains(out, "Đã ghi lô #1") {
		t.Fatalf("import = %d\n%s\n%s", code, out, stderr)
	}
	if code, out, _ := chitieu(t, "import", "list", "--db", dsn); code != 0 || !strings.Contains(out, "#1") || !strings.Contains(out, "committed") {
		t.Fatalf("import list = %d\n%s", code, out)
	}
	kept := filepath.Join(dir, "kept.xlsx")
	if code, _, stderr := chitieu(t, "import", "file", "1", "--out", kept, "--db", dsn); code != 0 {
		t.Fatalf("import file = %d: %s", code, stderr)
	} else if mustRead(t, kept) != mustRead(t, file) {
		t.Error("the kept file differs from the upload")
	}
	if code, out, stderr := chitieu(t, "import", "rollback", "1", "--db", dsn); code != 0 || !strings.Contains(out, "rút 2 số liệu") {
		t.Fatalf("rollback = %d\n%s\n%s", code, out, stderr)
	}
	if code, out, _ := chitieu(t, "audit", "verify", "--db", dsn); code != 0 || !strings.Contains(out, "nguyên vẹn") {
		t.Fatalf("audit verify after the import = %d\n%s", code, out)
	}
}

// TestReportCommandsOnPostgres: `chitieu report` builds the progress, data
// and audit workbooks from a postgres:// database, and verifies them
// against it.
func TestReportCommandsOnPostgres(t *testing.T) {
	dsn := pgtest.Fresh(t)
	dir := t.TempDir()
	t.Setenv("CHITIEU_AUDIT_KEY", filepath.Join(dir, "chitieu.key"))
	progress, data, audit := filepath.Join(dir, "p.xlsx"), filepath.Join(dir, "d.xlsx"), filepath.Join(dir, "a.xlsx")
	for _, args := range [][]string{
		{"report", "progress", "--db", dsn, "--plan", "98/NQ-CP", "--period", "2021-2025", "--out", progress},
		{"report", "data", "--db", dsn, "--out", data},
		{"report", "audit", "--db", dsn, "--from", "2020-01-01", "--to", "2030-12-31", "--out", audit},
	} {
		if code, out, stderr := chitieu(t, args...); code != 0 || !strings.Contains(out, "mã kiểm tra nội dung") {
			t.Fatalf("chitieu %v = %d\n%s\n%s", args, code, out, stderr)
		}
	}
	for _, p := range []string{progress, data, audit} {
		if code, out, stderr := chitieu(t, "report", "verify", p, "--db", dsn); code != 0 || !strings.Contains(out, "KHỚP") {
			t.Errorf("verify %s = %d\n%s%s", p, code, out, stderr)
		}
	}
}
