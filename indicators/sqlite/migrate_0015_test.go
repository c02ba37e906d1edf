package sqlite

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
)

// Migration 0015 rebuilds the audit trail without the previous hash, with
// the hash as bytes and the batch's file hash left to the batch. A trail
// written before it — plain, or under the key — verifies unchanged after
// it, reads back the same events (previous hash, file hash and hash
// included, whether or not a filter picks them), takes new events on its
// chain, and still breaks when the batch's file hash is changed, since
// the events' hashes cover it.
func TestMigration0015KeepsTheAuditTrail(t *testing.T) {
	t.Parallel()
	for _, keyed := range []bool{false, true} {
		name := "plain"
		if keyed {
			name = "keyed"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			migration0015(t, keyed)
		})
	}
}

func migration0015(t *testing.T, keyed bool) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	raw.SetMaxOpenConns(1)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	old := &DB{path: path, write: raw, log: quiet, now: time.Now}
	var before []migration
	for _, m := range ms {
		if m.version < 15 {
			before = append(before, m)
		}
	}
	if err := old.migrateTo(ctx, before); err != nil {
		t.Fatal(err)
	}
	fileA := strings.Repeat("a", 64)
	for _, q := range []string{
		`INSERT INTO indicators (code, name_vi, unit, direction, measure, rollup) VALUES ('ECO-01', 'GRDP', '%', 'up', 'growth', 'none')`,
		`INSERT INTO units (code, name_vi, kind) VALUES ('CT', 'Cần Thơ', 'city')`,
		`INSERT INTO batches (id, file_name, sha256, state, created_by, created_at) VALUES (1, 'a.xlsx', '` + fileA + `', 'committed', 'hoa', '2026-01-02T03:04:05.000000000Z')`,
		`INSERT INTO data_values (id, indicator, unit, period, year, type, value, batch, sheet, cell, entered_by, entered_at)
			VALUES (7, 'ECO-01', 'CT', '2024', 2024, 'official', 7.12, 1, 'Biểu 01', 'F12', 'hoa', '2026-01-02T03:04:05.000000000Z')`,
	} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// The events as chitieu wrote them before 0015: each with the hash
	// of the one before and its file hash spelled out.
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	evs := []indicators.AuditEvent{
		{User: "hoa", Addr: "10.0.0.7", Action: "login.ok", Object: "user:hoa"},
		{User: "hoa", Action: "file.upload", Object: "file:b.xlsx", FileHash: strings.Repeat("b", 64)},
		{User: "hoa", Action: "batch.commit", Object: "batch:1", After: `{"new":1}`, Batch: 1, FileHash: fileA},
		{User: "hoa", Action: "value.add", Object: "value:7:ECO-01/CT/2024/official",
			After: `{"batch":1,"cell":"F12","id":7,"sheet":"Biểu 01","source":"","value":7.12}`, Batch: 1, FileHash: fileA},
		{User: "hoa", Action: "value.add", Object: "value:8:ECO-01/CT/2023/official", After: `{"id":8,"value":6}`, Batch: 1},
		{User: "hoa", Action: "batch.note", Object: "batch:1", Batch: 1, FileHash: strings.Repeat("c", 64)},
	}
	var key *auditKey
	if keyed {
		k := []byte("0123456789abcdef0123456789abcdef")
		if err := writeKeyFile(path+".key", k); err != nil {
			t.Fatal(err)
		}
		key = newAuditKey(k)
	}
	prev := ""
	for i := range evs {
		ev := &evs[i]
		ev.ID, ev.At, ev.PrevHash = int64(i+1), at.Add(time.Duration(i)*time.Second), prev
		if keyed {
			ev.Hash = key.eventHash(*ev)
		} else {
			ev.Hash = eventHash(*ev)
		}
		if _, err := raw.ExecContext(ctx, `INSERT INTO audit_events (id, at, user, addr, action, object, before, after,
			batch, file_hash, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, ev.ID, fmtTime(ev.At), ev.User,
			ev.Addr, ev.Action, ev.Object, ev.Before, ev.After, ev.Batch, ev.FileHash, ev.PrevHash, ev.Hash); err != nil {
			t.Fatal(err)
		}
		prev = ev.Hash
	}
	raw.Close()

	if keyed {
		// A backup made before 0015 is checked as it is, then restored
		// and migrated.
		restored := filepath.Join(t.TempDir(), "restored.db")
		if _, err := Restore(ctx, path, restored, WithLogger(quiet)); err != nil {
			t.Fatalf("restore a backup made before 0015: %v", err)
		}
		rst, err := Open(ctx, restored, WithLogger(quiet))
		if err != nil {
			t.Fatal(err)
		}
		broken, err := rst.VerifyAudit(ctx)
		rst.Close()
		if err != nil || broken != nil {
			t.Fatalf("verify the restored backup = %+v, %v; want whole", broken, err)
		}
	}

	st, err := Open(ctx, path, WithLogger(quiet))
	if err != nil {
		t.Fatalf("migrate to 0015: %v", err)
	}
	defer st.Close()
	// A new event chains onto the migrated ones (and, through the commit,
	// records a head for the keyed trail, which had no heads file).
	ctx = indicators.WithActor(ctx, indicators.Actor{User: "admin"})
	if err := st.writeTx(ctx, func(tx *sql.Tx) error {
		return st.audit(ctx, tx, indicators.AuditEvent{Action: "batch.note", Object: "batch:1", Batch: 1, FileHash: fileA})
	}); err != nil {
		t.Fatal(err)
	}
	if broken, err := st.VerifyAudit(ctx); err != nil || broken != nil {
		t.Fatalf("verify after 0015 = %+v, %v; want whole", broken, err)
	}
	got, err := st.AuditEvents(ctx, indicators.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) < len(evs)+1 {
		t.Fatalf("%d events after 0015, want at least %d", len(got), len(evs)+1)
	}
	for i, want := range evs {
		g := got[i]
		if g.ID != want.ID || !g.At.Equal(want.At) || g.User != want.User || g.Addr != want.Addr || g.Action != want.Action ||
			g.Object != want.Object || g.After != want.After || g.Batch != want.Batch || g.FileHash != want.FileHash ||
			g.PrevHash != want.PrevHash || g.Hash != want.Hash {
			t.Errorf("event %d after 0015 = %+v\nwant %+v", want.ID, g, want)
		}
	}
	last := got[len(got)-1]
	if last.PrevHash != got[len(got)-2].Hash || last.FileHash != fileA {
		t.Errorf("new event: prev %s, file %s; want prev %s, file %s", last.PrevHash, last.FileHash, got[len(got)-2].Hash, fileA)
	}
	// A filter that picks one event still reads the hash of the event
	// before it, not of the one before it in the selection.
	one, err := st.AuditEvents(ctx, indicators.AuditFilter{Object: "value:7:"})
	if err != nil {
		t.Fatal(err)
	}
	if len(one) != 1 || one[0].PrevHash != evs[2].Hash || one[0].FileHash != fileA {
		t.Errorf("filtered = %+v, want event 4 with prev %s and file %s", one, evs[2].Hash, fileA)
	}
	// What is stored: the batch's own file is not repeated, other files
	// and "no file" are kept, hashes are 32 bytes.
	wantFile := map[int64]string{1: "''", 2: "'" + strings.Repeat("b", 64) + "'", 3: "NULL", 4: "NULL", 5: "''",
		6: "'" + strings.Repeat("c", 64) + "'", last.ID: "NULL"}
	for id, w := range wantFile {
		var f string
		var n int
		var typ string
		if err := st.write.QueryRowContext(ctx, `SELECT COALESCE(quote(file_hash), 'NULL'), length(hash), typeof(hash)
			FROM audit_events WHERE id = ?`, id).Scan(&f, &n, &typ); err != nil {
			t.Fatal(err)
		}
		if f != w || n != 32 || typ != "blob" {
			t.Errorf("event %d stores file_hash %s, hash of %d bytes (%s); want %s, 32, blob", id, f, n, typ, w)
		}
	}
	var cols int
	if err := st.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM pragma_table_info('audit_events') WHERE name = 'prev_hash'`).Scan(&cols); err != nil || cols != 0 {
		t.Errorf("prev_hash columns after 0015 = %d, %v; want none", cols, err)
	}
	// The data version still follows the trail's events.
	var dv int64
	if err := st.write.QueryRowContext(ctx, `SELECT id FROM data_version`).Scan(&dv); err != nil || dv != last.ID {
		t.Errorf("data version = %d, %v; want %d", dv, err, last.ID)
	}
	// The events' hashes cover the batch's file hash they no longer store.
	if _, err := st.write.ExecContext(ctx, `UPDATE batches SET sha256 = ? WHERE id = 1`, strings.Repeat("d", 64)); err != nil {
		t.Fatal(err)
	}
	broken, err := st.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if broken == nil || broken.ID != 3 {
		t.Errorf("after the batch's file hash changed: broken = %+v, want event #3", broken)
	}
	if _, err := os.Stat(path + ".key"); err != nil {
		t.Errorf("audit key: %v", err)
	}
}
