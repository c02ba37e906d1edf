package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chitieu/indicators/postgres/pgtest"
)

// TestCLIImportKilledWhileAServerRuns kills (SIGKILL) a `chitieu import
// --db postgres://…` process in the middle of its commit while a server
// runs on the database: the import's session, and its commit lock, end
// with it, and within seconds the running server withdraws the batch —
// without a restart, and without waiting for the quarter of an hour after
// which a silent commit was given up before — audited as the start-up
// withdrawal is; no half batch remains and the audit chain verifies.
func TestCLIImportKilledWhileAServerRuns(t *testing.T) {
	dsn := pgtest.Fresh(t)
	dir := t.TempDir()
	t.Setenv("CHITIEU_AUDIT_KEY", filepath.Join(dir, "chitieu.key"))
	serveInProcess(t, dsn, false)
	file := filepath.Join(dir, "bieu-thang.xlsx")
	if err := os.WriteFile(file, manyValues(t, 15000), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "import", file, "--db", dsn, "--confirm-note", "số liệu thử, đã xem")
	cmd.Env = append(os.Environ(), "CHITIEU_TEST_AS_CHITIEU=1", "CHITIEU_AUDIT_HEADS="+filepath.Join(dir, "cli.heads"))
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	ctx := context.Background()
	conn := pgConn(t, dsn)
	count := func(q string, args ...any) int64 { return queryInt(t, conn, q, args...) }
	// Wait for the first chunk of the import's values, pending.
	var batch int64
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		err := conn.QueryRow(ctx, `SELECT p.batch FROM import_pending p WHERE EXISTS
			(SELECT 1 FROM data_values v WHERE v.batch = p.batch)`).Scan(&batch)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import wrote no chunk of its commit within 90 s (%v):\n%s", err, output.String())
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	killed := time.Now()
	if count(`SELECT count(*) FROM import_pending WHERE batch = $1`, batch) != 1 ||
		count(`SELECT count(*) FROM batches WHERE id = $1 AND state = 'committed'`, batch) != 0 {
		t.Fatal("the import ended its commit before the kill; the test killed it too late")
	}
	for deadline := killed.Add(30 * time.Second); count(`SELECT count(*) FROM import_pending`) > 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the running server had not withdrawn the cut-off commit 30 s after the kill; %d values still pending",
				count(`SELECT count(*) FROM data_values WHERE batch = $1`, batch))
		}
	}
	took := time.Since(killed)
	t.Logf("the running server withdrew the cut-off commit %v after the kill", took.Round(time.Millisecond))
	if took > 15*time.Second {
		t.Errorf("the withdrawal took %v; want a few seconds (the server looks every %v)", took, cutOffWatch)
	}
	if n := count(`SELECT count(*) FROM data_values WHERE batch = $1`, batch); n != 0 {
		t.Errorf("the cut-off batch holds %d values, want none", n)
	}
	if n := count(`SELECT count(*) FROM batches WHERE id = $1 AND state = 'committed'`, batch); n != 0 {
		t.Error("the cut-off batch is committed")
	}
	if n := count(`SELECT count(*) FROM audit_events WHERE action = 'batch.abort' AND batch = $1 AND "user" = 'system'
		AND after LIKE '%"reason":"cut off"%'`, batch); n != 1 {
		t.Errorf("withdrawals of the cut-off commit in the audit trail = %d; want 1, by the system, saying why", n)
	}
	if code, out, stderr := chitieu(t, "audit", "verify", "--db", dsn); code != 0 || !strings.Contains(out, "nguyên vẹn") {
		t.Fatalf("audit verify after the withdrawal = %d\n%s\n%s", code, out, stderr)
	}
}
