package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// trail builds a database with a few users added, one command each, and
// returns its path and the ID of its last event.
func trail(t *testing.T, dir string, names ...string) (string, int64) {
	t.Helper()
	db := filepath.Join(dir, "live.db")
	for _, name := range names {
		if code, _, errs := withStdin(t, "mật khẩu dài đủ\n", "user", "add", "--db", db, "--name", name, "--role", "leader"); code != 0 {
			t.Fatal(errs)
		}
	}
	return db, lastEvent(t, db)
}

func lastEvent(t *testing.T, path string) int64 {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var id int64
	if err := raw.QueryRow(`SELECT MAX(id) FROM audit_events`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// rehash recomputes the chain from event from on, as someone who can write
// the database would after editing it: with plain SHA-256 when key is nil,
// else with HMAC under key.
func rehash(t *testing.T, path string, from int64, key []byte) {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var prev string
	if from > 1 {
		if err := raw.QueryRow(`SELECT lower(hex(hash)) FROM audit_events WHERE id = ?`, from-1).Scan(&prev); err != nil {
			t.Fatal(err)
		}
	}
	// The trail stores no previous hash, and no file hash where the
	// batch's file is meant: the hash covers both all the same.
	rows, err := raw.Query(`SELECT id, at, user, addr, action, object, before, after, batch,
		COALESCE(file_hash, (SELECT sha256 FROM batches WHERE batches.id = audit_events.batch), '') FROM audit_events
		WHERE id >= ? ORDER BY id`, from)
	if err != nil {
		t.Fatal(err)
	}
	type ev struct {
		id                                            int64
		at, user, addr, action, object, before, after string
		batch                                         int64
		file                                          string
	}
	var evs []ev
	for rows.Next() {
		var e ev
		if err := rows.Scan(&e.id, &e.at, &e.user, &e.addr, &e.action, &e.object, &e.before, &e.after, &e.batch, &e.file); err != nil {
			t.Fatal(err)
		}
		evs = append(evs, e)
	}
	rows.Close()
	for _, e := range evs {
		b, _ := json.Marshal([]any{prev, e.at, e.user, e.addr, e.action, e.object, e.before, e.after, e.batch, e.file})
		var sum []byte
		if key == nil {
			s := sha256.Sum256(b)
			sum = s[:]
		} else {
			m := hmac.New(sha256.New, key)
			m.Write(b)
			sum = m.Sum(nil)
		}
		h := hex.EncodeToString(sum)
		if _, err := raw.Exec(`UPDATE audit_events SET hash = ? WHERE id = ?`, sum, e.id); err != nil {
			t.Fatal(err)
		}
		prev = h
	}
}

func sqlExec(t *testing.T, path, q string, args ...any) {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(q, args...); err != nil {
		t.Fatal(err)
	}
}

// The keyed chain: audit verify names a cut tail, catches an event
// rewritten with the plain chain recomputed after it (and one rewritten
// under the key itself, through the recorded heads), tells a restore of an
// older backup from tampering, and a trail made before keys is signed from
// its first start on, the older events checked as the plain chain they
// are.
func TestAuditVerifyKeyedChain(t *testing.T) {
	dir := t.TempDir()
	live, last := trail(t, dir, "a1", "a2", "a3", "a4", "a5")
	key, err := os.ReadFile(live + ".key")
	if err != nil {
		t.Fatalf("no key beside the database: %v", err)
	}
	if fi, _ := os.Stat(live + ".key"); fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	rawKey, _ := hex.DecodeString(strings.TrimSpace(string(key)))
	code, out, errs := chitieu(t, "audit", "verify", "--db", live)
	t.Logf("verify of a whole trail:\n%s", out)
	if code != 0 || !strings.Contains(out, "nguyên vẹn") || !strings.Contains(out, "mọi sự kiện được ký bằng khóa") ||
		!strings.Contains(out, "khớp đầu chuỗi ghi ngoài cơ sở dữ liệu") {
		t.Fatalf("verify of a whole trail = %d\n%s%s", code, out, errs)
	}

	// Each case works on its own copy of the live files: the database, its
	// key and its heads file.
	copyLive := func(t *testing.T) string {
		d := t.TempDir()
		for _, suffix := range []string{"", ".key", ".heads"} {
			b, err := os.ReadFile(live + suffix)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(d, "live.db"+suffix), b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		return filepath.Join(d, "live.db")
	}
	for _, tc := range []struct {
		name   string
		tamper func(t *testing.T, path string)
		want   string
	}{
		{"cut tail", func(t *testing.T, p string) {
			sqlExec(t, p, `DELETE FROM audit_events WHERE id > ?`, last-3)
		}, "thiếu 3 sự kiện cuối: từ #" + itoa(last-2) + " đến #" + itoa(last)},
		{"plain rewrite", func(t *testing.T, p string) {
			sqlExec(t, p, `UPDATE audit_events SET after = replace(after, 'a3', 'a9') WHERE id = ?`, last-2)
			rehash(t, p, last-2, nil)
		}, "sự kiện #" + itoa(last-2) + ": mã băm là SHA-256 không khóa"},
		{"keyed rewrite", func(t *testing.T, p string) {
			sqlExec(t, p, `UPDATE audit_events SET after = replace(after, 'a3', 'a9') WHERE id = ?`, last-2)
			rehash(t, p, last-2, rawKey)
		}, "khác với đầu chuỗi đã ghi lúc"},
		{"heads file removed", func(t *testing.T, p string) {
			os.Remove(p + ".heads")
		}, "không thấy tệp đầu chuỗi"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := copyLive(t)
			tc.tamper(t, p)
			code, out, errs := chitieu(t, "audit", "verify", "--db", p)
			t.Logf("verify after %s: exit %d\n%s%s", tc.name, code, out, errs)
			if code != 1 || !strings.Contains(errs, tc.want) {
				t.Errorf("after %s: exit %d\n%s%s\nwant 1 and %q", tc.name, code, out, errs, tc.want)
			}
		})
	}

	t.Run("restore of an older backup", func(t *testing.T) {
		p := copyLive(t)
		older := filepath.Join(t.TempDir(), "older.db")
		if code, _, errs := chitieu(t, "backup", older, "--db", p); code != 0 {
			t.Fatal(errs)
		}
		for _, name := range []string{"b1", "b2"} {
			if code, _, errs := withStdin(t, "mật khẩu dài đủ\n", "user", "add", "--db", p, "--name", name, "--role", "leader"); code != 0 {
				t.Fatal(errs)
			}
		}
		if code, out, errs := chitieu(t, "restore", older, "--db", p); code != 0 {
			t.Fatalf("restore: %s%s", out, errs)
		}
		code, out, errs := chitieu(t, "audit", "verify", "--db", p)
		t.Logf("verify after the restore: exit %d\n%s%s", code, out, errs)
		if code != 0 || !strings.Contains(out, "khôi phục lúc") || !strings.Contains(out, "không phải sửa đổi") ||
			!strings.Contains(out, "nguyên vẹn") {
			t.Errorf("verify after restoring an older backup = %d\n%s%s\nwant 0, the restore named", code, out, errs)
		}
		// Cutting the tail after the restore is still caught.
		sqlExec(t, p, `DELETE FROM audit_events WHERE id = (SELECT MAX(id) FROM audit_events)`)
		if code, _, errs := chitieu(t, "audit", "verify", "--db", p); code != 1 || !strings.Contains(errs, "thiếu 1 sự kiện cuối") {
			t.Errorf("tail cut after a restore: exit %d %s", code, errs)
		}
	})

	t.Run("missing key", func(t *testing.T) {
		p := copyLive(t)
		os.Remove(p + ".key")
		code, _, errs := chitieu(t, "audit", "verify", "--db", p)
		if code != 1 || !strings.Contains(errs, "không thấy tệp khóa nhật ký kiểm toán") {
			t.Errorf("without its key: exit %d %s", code, errs)
		}
		if _, err := os.Stat(p + ".key"); err == nil {
			t.Errorf("a new key was made for a signed trail")
		}
	})

	t.Run("another key", func(t *testing.T) {
		p := copyLive(t)
		other := strings.Repeat("ab", 32) + "\n"
		if err := os.WriteFile(p+".key", []byte(other), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, errs := chitieu(t, "audit", "verify", "--db", p)
		t.Logf("verify with another key: exit %d\n%s%s", code, out, errs)
		if code != 1 || !strings.Contains(errs, "sự kiện #1:") || !strings.Contains(errs, "khác khóa đã ký nhật ký") {
			t.Errorf("verify with another key: exit %d %s", code, errs)
		}
	})

	t.Run("trail made before keys", func(t *testing.T) {
		// A database of an older chitieu: the whole chain plain SHA-256,
		// no key, no heads file.
		p := copyLive(t)
		rehash(t, p, 1, nil)
		os.Remove(p + ".key")
		os.Remove(p + ".heads")
		code, out, errs := chitieu(t, "audit", "verify", "--db", p)
		t.Logf("verify of a trail made before keys: exit %d\n%s%s", code, out, errs)
		want := "#1–#" + itoa(last) + " thuộc chuỗi SHA-256 cũ"
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("verify of a trail made before keys = %d\n%s%s\nwant 0 and %q", code, out, errs, want)
		}
		// The plain part is pinned by the signed audit.key event after it.
		sqlExec(t, p, `UPDATE audit_events SET after = replace(after, 'a3', 'a9') WHERE id = ?`, last-2)
		rehash(t, p, last-2, nil)
		if code, _, errs := chitieu(t, "audit", "verify", "--db", p); code != 1 || !strings.Contains(errs, "sự kiện #"+itoa(last+1)) {
			t.Errorf("plain part rewritten: exit %d %s, want the audit.key event #%d named", code, errs, last+1)
		}
	})
}
