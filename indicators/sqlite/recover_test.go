package sqlite_test

import (
	"bufio"
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/storetest"
)

// A store already open — a running server — withdraws the commit of
// another process killed in its middle (a `chitieu import`) when it looks
// (RecoverCommits, which serve runs every few seconds), without waiting
// for a restart; its own commit it leaves alone, however long it runs.
func TestRunningStoreWithdrawsAKilledProcessCommit(t *testing.T) {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan"})
	path := filepath.Join(t.TempDir(), "r.db")
	c := &clock{t: time.Now()}
	db := open(t, path, c)
	if _, err := db.LoadCatalog(ctx, smallCatalog()); err != nil {
		t.Fatal(err)
	}
	own, err := db.BeginCommit(ctx, fileBatch("own.xlsx"), nil)
	if err != nil {
		t.Fatal(err)
	}
	changes := storetest.Classified(t, ctx, db, monthReadings(20, 1)...)
	if err := db.WriteCommit(ctx, own, changes[:10]); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "-test.run", "^TestHelperCommitForever$", "-test.v")
	cmd.Env = append(os.Environ(), "CHITIEU_KILL_DB="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var killed int64
	for sc := bufio.NewScanner(out); sc.Scan(); {
		if rest, ok := strings.CutPrefix(sc.Text(), "HALF "); ok {
			killed, _ = strconv.ParseInt(rest, 10, 64)
			break
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if killed == 0 {
		t.Fatal("the helper never wrote half of its batch")
	}
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	count := func(q string, args ...any) (n int) {
		t.Helper()
		if err := raw.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// The helper's batches are named k….xlsx.
	const helpers = `SELECT COUNT(*) FROM data_values v JOIN batches b ON b.id = v.batch WHERE b.file_name LIKE 'k%'`
	if n := count(helpers); n < 3000 {
		t.Fatalf("the killed commit holds %d values before the look, want the 3000 written and more", n)
	}
	c.t = c.t.Add(7 * time.Hour) // past the age at which a start gives any commit up
	if err := db.RecoverCommits(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(helpers); n != 0 {
		t.Errorf("the killed commit holds %d values after the look, want none", n)
	}
	if n := count(`SELECT COUNT(*) FROM import_pending WHERE batch = ?`, own.ID); n != 1 {
		t.Fatal("the running store withdrew its own commit")
	}
	if err := db.WriteCommit(ctx, own, changes[10:]); err != nil {
		t.Fatalf("the own commit after the look: %v", err)
	}
	own.New = 20
	if b, err := db.FinishCommit(ctx, own); err != nil || b.State != indicators.Committed {
		t.Fatalf("finish the own commit = %+v, %v", b, err)
	}
	evs, _ := db.AuditEvents(ctx, indicators.AuditFilter{Action: "batch.abort"})
	if len(evs) == 0 || evs[0].Batch != killed {
		t.Errorf("withdrawals in the audit trail = %+v; want the killed commit's", evs)
	}
	for _, ev := range evs {
		if ev.Batch == own.ID || ev.User != "system" {
			t.Errorf("withdrawal %+v; want only the killed process's, by the system", ev)
		}
	}
	if broken, err := db.VerifyAudit(ctx); err != nil || broken != nil {
		t.Errorf("audit chain = %v, %v", broken, err)
	}
}
