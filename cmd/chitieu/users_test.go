package main

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"chitieu/dashboard/logintest"
	"chitieu/indicators"
	"chitieu/indicators/sqlite"
	"chitieu/password"
)

// withStdin runs the command line with stdin.
func withStdin(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestUserCommands(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "u.db")
	for _, tc := range []struct {
		stdin string
		args  []string
		code  int
		out   string
	}{
		{"mật khẩu của Hoa\n", []string{"user", "add", "--db", db, "--name", "hoa.nguyen", "--role", "planner", "--units", "ct,916", "--groups", "2,3", "--full-name", "Nguyễn Thị Hoa"}, 0, "đã tạo người dùng hoa.nguyen"},
		{"mật khẩu thủ trưởng\n", []string{"user", "add", "--db", db, "--name", "tam.truong", "--role", "approver", "--units", "ct"}, 0, "đã tạo người dùng tam.truong"},
		{"mật khẩu thủ trưởng\n", []string{"user", "add", "--db", db, "--name", "vu", "--role", "approver"}, 1, "ít nhất một đơn vị"},
		{"mật khẩu thủ trưởng\n", []string{"user", "add", "--db", db, "--name", "vu", "--role", "approver", "--units", "CT", "--groups", "1"}, 1, "không theo nhóm"},
		{"mật khẩu lãnh đạo\r\n", []string{"user", "add", "--db", db, "--name", "lan", "--role", "leader"}, 0, "đã tạo"},
		{"mật khẩu khác\n", []string{"user", "add", "--db", db, "--name", "lan", "--role", "leader"}, 1, "đã có người dùng"},
		{"ngắn\n", []string{"user", "add", "--db", db, "--name", "minh", "--role", "leader"}, 1, "8 đến 1.024"},
		{"", []string{"user", "add", "--db", db, "--name", "minh", "--role", "leader"}, 2, "đầu vào chuẩn"},
		{"mật khẩu dài đủ\n", []string{"user", "add", "--db", db, "--name", "minh", "--role", "boss"}, 2, "--role"},
		{"mật khẩu dài đủ\n", []string{"user", "add", "--db", db, "--name", "minh", "--role", "leader", "--units", "CT"}, 1, "chỉ chuyên viên"},
		{"mật khẩu dài đủ\n", []string{"user", "add", "--db", db, "--name", "minh", "--role", "planner", "--groups", "x"}, 2, "--groups"},
		{"mật khẩu dài đủ\n", []string{"user", "add", "--db", db, "--name", "Minh Tran", "--role", "leader"}, 1, "tên đăng nhập"},
		{"", []string{"user", "add", "--db", db, "--role", "leader"}, 2, "--name"},
		{"", []string{"user", "frobnicate", "--db", db}, 2, "lệnh con"},
		{"mật khẩu mới của Hoa\n", []string{"user", "passwd", "--db", db, "--name", "hoa.nguyen"}, 0, "mật khẩu mới"},
		{"mật khẩu mới\n", []string{"user", "passwd", "--db", db, "--name", "khong.co"}, 1, "không tìm thấy người dùng"},
		{"", []string{"user", "disable", "--db", db, "--name", "lan"}, 0, "đã khóa"},
		{"", []string{"user", "list", "--db", db}, 0, "hoa.nguyen"},
	} {
		code, out, errs := withStdin(t, tc.stdin, tc.args...)
		if code != tc.code || !strings.Contains(out+errs, tc.out) {
			t.Errorf("chitieu %v = %d\n%s%s\nwant %d and %q", tc.args, code, out, errs, tc.code, tc.out)
		}
	}
	_, out, _ := chitieu(t, "user", "list", "--db", db)
	for _, want := range []string{"hoa.nguyen", "planner", "đơn vị CT, 916; nhóm 2, 3", "tam.truong  approver  đơn vị CT", "lan", "đã khóa", "Nguyễn Thị Hoa"} {
		if !strings.Contains(out, want) {
			t.Errorf("user list lacks %q:\n%s", want, out)
		}
	}
	sdb, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	u, err := sdb.User(context.Background(), "hoa.nguyen")
	if err != nil {
		t.Fatal(err)
	}
	// The hash is argon2id with the parameters written into it.
	p, _, _, err := password.Decode(u.PasswordHash)
	if err != nil || p != password.Default {
		t.Errorf("stored hash %q: params %+v, %v", u.PasswordHash, p, err)
	}
	if ok, _ := password.Verify(u.PasswordHash, "mật khẩu mới của Hoa"); !ok {
		t.Error("passwd did not set the password read from standard input")
	}
	evs, _ := sdb.AuditEvents(context.Background(), indicators.AuditFilter{Action: "user"})
	var actions []string
	for _, ev := range evs {
		if ev.User != "cli" {
			t.Errorf("event %s by %q, want cli", ev.Action, ev.User)
		}
		actions = append(actions, ev.Action)
	}
	if strings.Join(actions, " ") != "user.add user.add user.add user.passwd user.disable" {
		t.Errorf("audit = %v", actions)
	}
}

// audit verify exits 0 on a whole chain and 1 naming the first broken
// event after an event is edited, removed, or two are swapped.
func TestAuditVerify(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	for _, name := range []string{"a1", "a2", "a3"} {
		if code, _, errs := withStdin(t, "mật khẩu dài đủ\n", "user", "add", "--db", good, "--name", name, "--role", "leader"); code != 0 {
			t.Fatal(errs)
		}
	}
	code, out, errs := chitieu(t, "audit", "verify", "--db", good)
	if code != 0 || !strings.Contains(out, "nguyên vẹn") {
		t.Fatalf("audit verify on a good trail = %d\n%s%s", code, out, errs)
	}
	if code, _, _ := chitieu(t, "audit", "--db", good); code != 2 {
		t.Errorf("audit without verify = %d, want 2", code)
	}
	// The last three events are the user additions.
	var last int64
	fmtID := regexp.MustCompile(`#(\d+)`)
	if m := fmtID.FindStringSubmatch(out); m != nil {
		for _, c := range m[1] {
			last = last*10 + int64(c-'0')
		}
	}
	if last < 3 {
		t.Fatalf("last event #%d from %q", last, out)
	}
	mid := last - 1
	for _, tc := range []struct {
		name, sql string
		first     int64
	}{
		{"edit", `UPDATE audit_events SET after = replace(after, 'a2', 'a9') WHERE id = ?`, mid},
		{"remove", `DELETE FROM audit_events WHERE id = ?`, last},
		{"swap", `UPDATE audit_events SET id = CASE id WHEN ?1 THEN -1 ELSE id END WHERE id = ?1;
			UPDATE audit_events SET id = ?1 WHERE id = ?1 - 1;
			UPDATE audit_events SET id = ?1 - 1 WHERE id = -1`, mid - 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.db")
			if code, _, errs := chitieu(t, "backup", path, "--db", good); code != 0 {
				t.Fatal(errs)
			}
			raw, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := raw.Exec(tc.sql, mid); err != nil {
				t.Fatal(err)
			}
			raw.Close()
			code, out, errs := chitieu(t, "audit", "verify", "--db", path)
			want := "sự kiện #" + itoa(tc.first) + ":"
			if code != 1 || !strings.Contains(errs, want) {
				t.Errorf("after %s: exit %d\n%s%s\nwant 1 naming %q", tc.name, code, out, errs, want)
			}
		})
	}
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// syncBuffer is a buffer the server goroutine writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// The first start creates an admin with a random password shown once; the
// password signs in; later starts show none.
func TestServeCreatesTheFirstAdmin(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "serve.db")
	start := func() (string, func() int) {
		ctx, cancel := context.WithCancel(context.Background())
		out := &syncBuffer{}
		done := make(chan int, 1)
		go func() {
			done <- run(ctx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, strings.NewReader(""), out, &syncBuffer{})
		}()
		deadline := time.Now().Add(30 * time.Second)
		for !strings.Contains(out.String(), "cơ sở dữ liệu:") {
			if time.Now().After(deadline) {
				cancel()
				t.Fatalf("serve did not start:\n%s", out.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond) // the lines after the URL
		return out.String(), func() int { cancel(); return <-done }
	}
	out, stop := start()
	m := regexp.MustCompile(`http://(\S+)`).FindStringSubmatch(out)
	cred := regexp.MustCompile(`tài khoản quản trị đầu tiên: (\S+) / (\S+)`).FindStringSubmatch(out)
	if m == nil || cred == nil || cred[1] != "admin" || len(cred[2]) < 20 {
		stop()
		t.Fatalf("first start printed:\n%s", out)
	}
	c := logintest.Login(t, "http://"+m[1], cred[1], cred[2])
	res, err := c.Get("http://" + m[1] + "/admin/users")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("admin's users page = %d", res.StatusCode)
	}
	if code := stop(); code != 0 {
		t.Errorf("serve exit %d", code)
	}
	out, stop = start()
	if code := stop(); code != 0 || strings.Contains(out, "quản trị đầu tiên") {
		t.Errorf("second start (exit %d) printed a new admin:\n%s", code, out)
	}
	if code, _, _ := chitieu(t, "serve", "--db", db, "--session-idle", "soon"); code != 2 {
		t.Errorf("serve --session-idle soon = %d, want 2", code)
	}
}
