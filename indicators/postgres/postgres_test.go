package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/postgres"
	"chitieu/indicators/postgres/pgtest"
	"chitieu/indicators/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// server opens the store as one more server of the database dsn would:
// the shared key file, a heads file of its own.
func server(t *testing.T, dsn, key, heads string) *postgres.DB {
	t.Helper()
	db, err := tryServer(t, dsn, key, heads)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return db
}

// tryServer is server for a goroutine, which may not stop the test.
func tryServer(t *testing.T, dsn, key, heads string) (*postgres.DB, error) {
	db, err := postgres.Open(context.Background(), dsn, postgres.WithLogger(quiet),
		postgres.WithAuditKey(key), postgres.WithHeadsFile(heads))
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { db.Close() })
	return db, nil
}

// TestServersAppendToOneChain has two servers on one database, each with
// several writers at once, append users and values: the appends queue on
// the chain's head row, so the trail comes out as one unbroken chain, its
// IDs without a gap, and each server's heads file agrees with it.
func TestServersAppendToOneChain(t *testing.T) {
	dsn := pgtest.Fresh(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "chitieu.key")
	if err := os.WriteFile(key, []byte(strings.Repeat("5c", 32)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Both servers start at once on the new database, each loading the
	// catalogue: one migrates, the other waits for the migration lock; one
	// loads, the other finds it loaded.
	var first, second *postgres.DB
	var wg sync.WaitGroup
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "root", Role: indicators.Admin})
	for i, db := range []**postgres.DB{&first, &second} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if *db, err = tryServer(t, dsn, key, filepath.Join(dir, fmt.Sprintf("%d.heads", i))); err != nil {
				t.Errorf("open server %d: %v", i, err)
				return
			}
			if _, err := (*db).LoadCatalog(ctx, storetest.SmallCatalog()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}

	const writers, each = 4, 15
	errs := make(chan error, 2*writers*each)
	for s, db := range []*postgres.DB{first, second} {
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					name := fmt.Sprintf("u%d-%d-%02d", s, w, i)
					if err := db.CreateUser(ctx, &indicators.User{Name: name, Role: indicators.Leader, PasswordHash: "x"}); err != nil {
						errs <- err
						return
					}
					v := indicators.Value{Key: indicators.Key{Indicator: "ECO-01", Unit: "CT",
						Period: indicators.YearPeriod(2000 + s*100 + w*20 + i), Type: indicators.OfficialValue}, Value: float64(i), Source: "S33"}
					if err := db.AddValues(ctx, []indicators.Value{v}); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("a writer failed: %v", err)
	}
	// 1 catalogue load + 2 servers × 4 writers × 15 × (user + value) = 241.
	const want = 1 + 2*writers*each*2
	evs, err := first.AuditEvents(ctx, indicators.AuditFilter{})
	if err != nil || len(evs) != want {
		t.Fatalf("%d events, %v; want %d", len(evs), err, want)
	}
	for i, ev := range evs {
		if ev.ID != int64(i+1) || (i > 0 && ev.PrevHash != evs[i-1].Hash) {
			t.Fatalf("event %d is #%d with prev %s; want #%d chained to #%d", i, ev.ID, ev.PrevHash, i+1, i)
		}
	}
	for _, db := range []*postgres.DB{first, second} {
		c, err := db.CheckAudit(ctx)
		if err != nil || c.Broken != nil || c.Head.Events != want || c.Recorded == nil {
			t.Fatalf("CheckAudit on %s = %+v, %v; want whole, held against its heads", db.HeadsPath(), c, err)
		}
	}
	if h, _ := second.AuditHead(ctx); h.Events != want || h.LastID != want || h.Hash != evs[want-1].Hash {
		t.Fatalf("AuditHead = %+v, want %d events ending in %s", h, want, evs[want-1].Hash)
	}
}

// TestServerWithAnotherKeyIsRefused: a server started with its own new key
// on a signed database would sign events no other server can check; it is
// refused, as is one whose key file is missing.
func TestServerWithAnotherKeyIsRefused(t *testing.T) {
	dsn := pgtest.Fresh(t)
	dir := t.TempDir()
	db := server(t, dsn, filepath.Join(dir, "chitieu.key"), filepath.Join(dir, "a.heads"))
	ctx := context.Background()
	if _, err := db.LoadCatalog(ctx, storetest.SmallCatalog()); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.key")
	if err := os.WriteFile(other, []byte(strings.Repeat("ab", 32)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := postgres.Open(ctx, dsn, postgres.WithLogger(quiet), postgres.WithAuditKey(other))
	if indicators.ErrorCode(err) != indicators.EINVALID || !strings.Contains(err.Error(), "cùng một tệp khóa") {
		t.Fatalf("open with another key err = %v, want a refusal asking for the same key", err)
	}
	missing := filepath.Join(dir, "missing.key")
	_, err = postgres.Open(ctx, dsn, postgres.WithLogger(quiet), postgres.WithAuditKey(missing))
	if indicators.ErrorCode(err) != indicators.EINVALID || !strings.Contains(err.Error(), "không thấy tệp khóa") {
		t.Fatalf("open without the key err = %v, want a refusal", err)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Fatalf("a refused open left a new key at %s", missing)
	}
	if _, err := postgres.Open(ctx, dsn, postgres.WithLogger(quiet)); indicators.ErrorCode(err) != indicators.EINVALID {
		t.Fatalf("open with no key given err = %v, want invalid", err)
	}
}

// TestNewerSchemaIsRefused: a database migrated by a newer chitieu is not
// opened by an older one.
func TestNewerSchemaIsRefused(t *testing.T) {
	dsn := pgtest.Fresh(t)
	dir := t.TempDir()
	db := server(t, dsn, filepath.Join(dir, "chitieu.key"), filepath.Join(dir, "a.heads"))
	ctx := context.Background()
	if _, err := db.Pool().Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', now())`); err != nil {
		t.Fatal(err)
	}
	_, err := postgres.Open(ctx, dsn, postgres.WithLogger(quiet), postgres.WithAuditKey(filepath.Join(dir, "chitieu.key")))
	if indicators.ErrorCode(err) != indicators.EINVALID || !strings.Contains(err.Error(), "9999") {
		t.Fatalf("open a newer schema err = %v, want a refusal naming migration 9999", err)
	}
	if v := postgres.SchemaVersion(); v < 1 {
		t.Fatalf("SchemaVersion = %d", v)
	}
}

// TestMomentsKeepTheirNanoseconds: the trail hashes moments to the
// nanosecond, which timestamptz does not keep; an event whose moment has
// nanoseconds below the microsecond still verifies after a round trip.
func TestMomentsKeepTheirNanoseconds(t *testing.T) {
	dsn := pgtest.Fresh(t)
	dir := t.TempDir()
	c := &storetest.Clock{T: time.Date(2026, 1, 2, 3, 4, 5, 987654321, time.UTC)}
	db, err := postgres.Open(context.Background(), dsn, postgres.WithLogger(quiet), postgres.WithClock(c.Now),
		postgres.WithAuditKey(filepath.Join(dir, "chitieu.key")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.LoadCatalog(ctx, storetest.SmallCatalog()); err != nil {
		t.Fatal(err)
	}
	ev, err := db.AuditEvent(ctx, 1)
	// The store makes its moments at microseconds: 05.987654 seconds.
	if err != nil || !ev.At.Equal(time.Date(2026, 1, 2, 3, 4, 5, 987654000, time.UTC)) {
		t.Fatalf("event at %v, %v; want the clock's moment to the microsecond", ev.At, err)
	}
	// An event copied with nanoseconds keeps them (what a copy from SQLite needs).
	if _, err := db.Pool().Exec(ctx, `UPDATE audit_events SET at_ns = 321 WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	ev, _ = db.AuditEvent(ctx, 1)
	if ev.At.Nanosecond() != 987654321 {
		t.Fatalf("event nanoseconds = %d, want 987654321", ev.At.Nanosecond())
	}
}

// killWriter ends the session that holds the commit lock of batch id, as
// the death of its writer's process, or the loss of its connection, does,
// and waits until PostgreSQL has let the lock go.
func killWriter(t *testing.T, db *postgres.DB, id int64) {
	t.Helper()
	ctx := context.Background()
	const held = `FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.objid = $1
		AND l.classid = hashtext('chitieu.commit:' || current_schema())::oid
		AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`
	var n int
	if err := db.Pool().QueryRow(ctx, `SELECT count(pg_terminate_backend(l.pid)) `+held, id).Scan(&n); err != nil || n != 1 {
		t.Fatalf("end the writer of batch %d: %d sessions, %v; want its one", id, n, err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if err := db.Pool().QueryRow(ctx, `SELECT count(*) `+held, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the commit lock of batch %d outlived its session by 10 s", id)
		}
	}
}

// beginOne begins the commit of a new batch named name and writes one
// value of it.
func beginOne(t *testing.T, db *postgres.DB, name string) indicators.StagedBatch {
	t.Helper()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan"})
	b, err := db.BeginCommit(ctx, indicators.StagedBatch{Batch: indicators.Batch{FileName: name, SHA256: strings.Repeat("0", 64)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.WriteCommit(ctx, b, []indicators.Change{oneChange(2026)}); err != nil {
		t.Fatal(err)
	}
	return b
}

func oneChange(year int) indicators.Change {
	return indicators.Change{Kind: indicators.NewValue, Reading: indicators.Reading{
		Key:   indicators.Key{Indicator: "ECO-01", Unit: "CT", Period: indicators.YearPeriod(year), Type: indicators.OfficialValue},
		Value: 9, Sheet: "S", Cell: "A1"}}
}

// TestCutOffCommitIsWithdrawn: a writer killed in the middle of a commit
// leaves its batch pending, seen by no reader; its session's commit lock
// goes with it, and the next start withdraws the batch and audits it,
// while a commit whose writer's session lives is left alone, however long
// it has been silent and on whatever host. A commit an older chitieu
// began, without the lock, is withdrawn as before: when begun on this
// host by a process that is gone, or silent for a quarter of an hour.
func TestCutOffCommitIsWithdrawn(t *testing.T) {
	dsn := pgtest.Fresh(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "chitieu.key")
	db := server(t, dsn, key, filepath.Join(dir, "a.heads"))
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan"})
	if _, err := db.LoadCatalog(ctx, storetest.SmallCatalog()); err != nil {
		t.Fatal(err)
	}
	dead, alive := beginOne(t, db, "dead.xlsx"), beginOne(t, db, "alive.xlsx")
	oldDead, oldElsewhere, oldSilent := beginOne(t, db, "old-dead.xlsx"), beginOne(t, db, "old-elsewhere.xlsx"), beginOne(t, db, "old-silent.xlsx")
	killWriter(t, db, dead.ID)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Pool().Exec(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`UPDATE import_pending SET owner = 'another-host/1', seen = seen - interval '16 minutes' WHERE batch = $1`, alive.ID)
	host, _ := os.Hostname()
	// No process has ID 2^22+1 on Linux (pid_max is at most 2^22).
	exec(`UPDATE import_pending SET locked = false, owner = $1 WHERE batch = $2`, host+"/4194305", oldDead.ID)
	exec(`UPDATE import_pending SET locked = false, owner = 'another-host/1' WHERE batch = $1`, oldElsewhere.ID)
	exec(`UPDATE import_pending SET locked = false, owner = 'third-host/1', seen = seen - interval '16 minutes' WHERE batch = $1`, oldSilent.ID)
	count := func(batch int64) (n int) {
		db.Pool().QueryRow(ctx, `SELECT COUNT(*) FROM data_values WHERE batch = $1`, batch).Scan(&n)
		return n
	}
	if count(dead.ID) != 1 {
		t.Fatalf("the cut-off batch holds %d values before the restart, want 1", count(dead.ID))
	}
	server(t, dsn, key, filepath.Join(dir, "b.heads")) // the restart
	for _, c := range []struct {
		what  string
		batch int64
		want  int
	}{
		{"the commit whose writer died", dead.ID, 0},
		{"a commit whose writer's session lives, silent for 16 minutes on another host", alive.ID, 1},
		{"an older chitieu's commit of a process of this host that is gone", oldDead.ID, 0},
		{"an older chitieu's commit of another host, writing", oldElsewhere.ID, 1},
		{"an older chitieu's commit of another host, silent for 16 minutes", oldSilent.ID, 0},
	} {
		if n := count(c.batch); n != c.want {
			t.Errorf("%s holds %d values after the restart, want %d", c.what, n, c.want)
		}
	}
	evs, err := db.AuditEvents(ctx, indicators.AuditFilter{Action: "batch.abort"})
	if err != nil || len(evs) != 3 || evs[0].Batch != dead.ID || evs[1].Batch != oldDead.ID || evs[2].Batch != oldSilent.ID ||
		!strings.Contains(evs[0].After, `"reason":"cut off"`) || !strings.Contains(evs[0].After, `"withdrawn":1`) || evs[0].User != "system" {
		t.Fatalf("abort events = %+v, %v", evs, err)
	}
	if b, err := db.VerifyAudit(ctx); err != nil || b != nil {
		t.Fatalf("VerifyAudit = %v, %v", b, err)
	}
}

// TestRunningServerWithdrawsACutOffCommit: a server already running finds
// a commit whose writer's session died (RecoverCommits, which serve runs
// every few seconds) and withdraws it, leaving alone one whose writer is
// at work. A writer taken for gone while it lives — its lock connection
// cut — has the rest of its commit refused, so that no half batch is ever
// committed.
func TestRunningServerWithdrawsACutOffCommit(t *testing.T) {
	dsn := pgtest.Fresh(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "chitieu.key")
	writer := server(t, dsn, key, filepath.Join(dir, "w.heads"))
	running := server(t, dsn, key, filepath.Join(dir, "r.heads"))
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan"})
	if _, err := writer.LoadCatalog(ctx, storetest.SmallCatalog()); err != nil {
		t.Fatal(err)
	}
	b := beginOne(t, writer, "bieu.xlsx")
	count := func(q string, args ...any) (n int) {
		t.Helper()
		if err := running.Pool().QueryRow(ctx, q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if err := running.RecoverCommits(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT COUNT(*) FROM data_values WHERE batch = $1`, b.ID); n != 1 {
		t.Fatalf("a commit at work holds %d values after another server looked, want its 1", n)
	}
	killWriter(t, writer, b.ID)
	if err := running.RecoverCommits(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT COUNT(*) FROM data_values WHERE batch = $1`, b.ID); n != 0 {
		t.Fatalf("the cut-off commit holds %d values after the running server looked, want 0", n)
	}
	if n := count(`SELECT COUNT(*) FROM import_pending`); n != 0 {
		t.Fatalf("%d commits still pending", n)
	}
	// The writer lives on, its lock gone: it may not go on.
	err := writer.WriteCommit(ctx, b, []indicators.Change{oneChange(2025)})
	if indicators.ErrorCode(err) != indicators.ECONFLICT {
		t.Fatalf("a chunk after the withdrawal err = %v, want conflict", err)
	}
	if _, err := writer.FinishCommit(ctx, b); indicators.ErrorCode(err) != indicators.ECONFLICT {
		t.Fatalf("the finish after the withdrawal err = %v, want conflict", err)
	}
	if n := count(`SELECT COUNT(*) FROM data_values WHERE batch = $1`, b.ID); n != 0 {
		t.Fatalf("the withdrawn batch holds %d values, want none", n)
	}
	if n := count(`SELECT COUNT(*) FROM batches WHERE id = $1 AND state = 'committed'`, b.ID); n != 0 {
		t.Fatal("the withdrawn batch was committed")
	}
	evs, err := running.AuditEvents(ctx, indicators.AuditFilter{Action: "batch.abort"})
	if err != nil || len(evs) != 1 || evs[0].Batch != b.ID || evs[0].User != "system" || !strings.Contains(evs[0].After, `"reason":"cut off"`) {
		t.Fatalf("abort events = %+v, %v; want the running server's one", evs, err)
	}
	if br, err := running.VerifyAudit(ctx); err != nil || br != nil {
		t.Fatalf("VerifyAudit = %v, %v", br, err)
	}
}

// TestWithdrawingCommitTakesNoMoreChunks: once a server has begun to
// withdraw a commit (it marks it first, in the writers' queue), its writer
// can add no chunk and cannot finish it, while the withdrawal itself goes
// through.
func TestWithdrawingCommitTakesNoMoreChunks(t *testing.T) {
	dsn := pgtest.Fresh(t)
	dir := t.TempDir()
	db := server(t, dsn, filepath.Join(dir, "chitieu.key"), filepath.Join(dir, "a.heads"))
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan"})
	if _, err := db.LoadCatalog(ctx, storetest.SmallCatalog()); err != nil {
		t.Fatal(err)
	}
	b := beginOne(t, db, "bieu.xlsx")
	if _, err := db.Pool().Exec(ctx, `UPDATE import_pending SET withdrawing = true WHERE batch = $1`, b.ID); err != nil {
		t.Fatal(err)
	}
	err := db.WriteCommit(ctx, b, []indicators.Change{oneChange(2025)})
	var de *indicators.Error
	if !errors.As(err, &de) || de.Code != indicators.ECONFLICT || !strings.Contains(de.English, "being withdrawn") || !strings.Contains(de.Message, "đang được rút lại") {
		t.Fatalf("a chunk of a commit being withdrawn err = %v, want a conflict saying so in both languages", err)
	}
	if _, err := db.FinishCommit(ctx, b); indicators.ErrorCode(err) != indicators.ECONFLICT {
		t.Fatalf("finishing a commit being withdrawn err = %v, want conflict", err)
	}
	var n int
	db.Pool().QueryRow(ctx, `SELECT COUNT(*) FROM data_values WHERE batch = $1`, b.ID).Scan(&n)
	if n != 1 {
		t.Fatalf("the batch holds %d values, want the 1 written before", n)
	}
	if err := db.AbortCommit(ctx, b.ID, "cut off"); err != nil {
		t.Fatalf("the withdrawal itself: %v", err)
	}
	db.Pool().QueryRow(ctx, `SELECT COUNT(*) FROM data_values WHERE batch = $1`, b.ID).Scan(&n)
	if n != 0 {
		t.Fatalf("the withdrawn batch holds %d values, want none", n)
	}
}
