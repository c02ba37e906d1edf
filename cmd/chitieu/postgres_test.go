package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chitieu/dashboard/logintest"
	"chitieu/indicators/postgres/pgtest"

	"github.com/jackc/pgx/v5"
)

// TestPostgresIsRefusedClearly: commands other than serve stop at a
// postgres:// database with a sentence saying so, print no password, and
// leave no SQLite file named after the URL behind.
func TestPostgresIsRefusedClearly(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	url := "postgres://chitieu:s3cret@db.example:5432/chitieu"
	for _, args := range [][]string{
		{"status", "--db", url},
		{"restore", filepath.Join(dir, "x.bak"), "--db", url},
		{"check", "--db", url},
	} {
		for lang, says := range map[string]string{"vi": "trên PostgreSQL mới chạy được `chitieu serve`",
			"en": "only `chitieu serve` runs on PostgreSQL"} {
			code, _, stderr := chitieuIn(t, lang, args...)
			if code != 1 || !strings.Contains(stderr, says) || !strings.Contains(stderr, "pg_dump") ||
				strings.Contains(stderr, "s3cret") || !strings.Contains(stderr, "chitieu:***@") {
				t.Errorf("CHITIEU_LANG=%s chitieu %v = %d, %q; want 1 and a refusal naming what runs where, without the password",
					lang, args, code, stderr)
			}
		}
	}
	if _, err := os.Stat("postgres:"); err == nil {
		t.Errorf("a file named postgres: was made")
	}
	if missing, needed := postgresGaps(); len(missing) != 0 || needed == 0 {
		t.Errorf("postgresGaps = %v of %d; want none missing", missing, needed)
	}
}

// pgConn is a connection to dsn for a test's own queries, closed when the
// test ends.
func pgConn(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// queryInt is the one integer q answers on conn.
func queryInt(t *testing.T, conn *pgx.Conn, q string, args ...any) int64 {
	t.Helper()
	var v int64
	if err := conn.QueryRow(context.Background(), q, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return v
}

// serveInProcess starts `chitieu serve` on db and returns its address and,
// when withAdmin, the first admin's password it prints; the server stops
// with t.
func serveInProcess(t *testing.T, db string, withAdmin bool) (base, adminPassword string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		var stderr strings.Builder
		code := run(ctx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, strings.NewReader(""), pw, &stderr)
		if code != 0 && ctx.Err() == nil {
			t.Errorf("serve exited %d: %s", code, stderr.String())
		}
		pw.Close()
		done <- code
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	lines := bufio.NewScanner(pr)
	deadline := time.After(60 * time.Second)
	found := make(chan struct{})
	go func() {
		defer close(found)
		for lines.Scan() {
			line := lines.Text()
			if u, ok := strings.CutPrefix(line, "chitieu đang chạy: "); ok {
				base = u
			}
			if rest, ok := strings.CutPrefix(line, "tài khoản quản trị đầu tiên: admin / "); ok {
				adminPassword = rest
			}
			if strings.HasPrefix(line, "cơ sở dữ liệu: ") && !withAdmin || adminPassword != "" {
				go io.Copy(io.Discard, pr) // the rest of the output
				return
			}
		}
	}()
	select {
	case <-found:
	case <-deadline:
		t.Fatal("serve did not start within a minute")
	}
	if base == "" {
		t.Fatal("serve printed no address")
	}
	return base, adminPassword
}

// TestTwoServersOnePostgres runs two `chitieu serve` on one PostgreSQL
// database, as behind a load balancer: a session made on one works on the
// other; a change made through one, and a commit, show on the other's
// pages at the next request (the data version that keys the page caches
// is read from the database); a job run on one is followed on the other.
func TestTwoServersOnePostgres(t *testing.T) {
	dsn := pgtest.Fresh(t)
	dir := t.TempDir()
	t.Setenv("CHITIEU_AUDIT_KEY", filepath.Join(dir, "chitieu.key"))
	a, pw := serveInProcess(t, dsn, true)
	if pw == "" {
		t.Fatal("the first server made no admin")
	}
	b, _ := serveInProcess(t, dsn, false)
	res, err := http.Get(b + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	client := logintest.Login(t, a, "admin", pw)
	// The session made on A opens B (the cookie jar, like a browser, does
	// not tell ports apart).
	res, err = client.Get(b + "/api/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"admin"`) {
		t.Fatalf("GET B /api/v1/me with A's session = %d %s; want the admin", res.StatusCode, body)
	}
	for _, base := range []string{a, b} {
		res, err := client.Get(base + "/")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(page), "59-NQ/TW") {
			t.Fatalf("GET %s/ = %d; want the overview of the built-in catalogue", base, res.StatusCode)
		}
	}
	// Opening the public view through A shows on B.
	const plan = "/public/plans/59-nq-tw-2020-08-05"
	status := func(base string) int {
		res, err := http.Get(base + plan)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if s := status(b); s != http.StatusNotFound {
		t.Fatalf("B's public page before opening = %d, want 404", s)
	}
	res = logintest.Post(t, client, a, "/admin/plans/59-nq-tw-2020-08-05/public", url.Values{"public": {"1"}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("open the public view on A = %d, want 303", res.StatusCode)
	}
	if s := status(b); s != http.StatusOK {
		t.Fatalf("B's public page after A opened it = %d, want 200", s)
	}
	// A commit through A changes B's pages within a second: B's page of
	// the indicator, drawn (and cached) before, shows the new value once
	// the data version in the database has moved.
	const page = "/indicators/ECO-01"
	pageOf := func(base string) string {
		res, err := client.Get(base + page)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s%s = %d", base, page, res.StatusCode)
		}
		return string(body)
	}
	if strings.Contains(pageOf(b), "9,37") {
		t.Fatal("B's page shows 9,37 before the commit")
	}
	file, err := os.ReadFile(longXLSX(t, []any{"ECO-01", "CT-CU", "2023", "Thực hiện", 9.37}))
	if err != nil {
		t.Fatal(err)
	}
	res = upload(t, client, a, "eco01.xlsx", file)
	res.Body.Close()
	var batch int64
	if _, err := fmt.Sscanf(res.Header.Get("Location"), "/imports/batches/%d", &batch); err != nil {
		t.Fatalf("upload on A = %d to %q; want the staged batch", res.StatusCode, res.Header.Get("Location"))
	}
	res = logintest.Post(t, client, a, fmt.Sprintf("/imports/batches/%d/commit", batch), url.Values{})
	res.Body.Close()
	committed := time.Now()
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, fmt.Sprintf("/imports/batches/%d", batch)) {
		t.Fatalf("commit on A = %d to %q; want the committed batch", res.StatusCode, loc)
	}
	for !strings.Contains(pageOf(b), "9,37") {
		if time.Since(committed) > time.Second {
			t.Fatal("B's page does not show the value committed through A a second later")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The commit job run on A is followed on B: its page there sends the
	// browser to the committed batch, as A's would.
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var job string
	if err := conn.QueryRow(context.Background(), `SELECT id FROM import_jobs WHERE kind = 'commit' AND batch = $1 AND state = 'done'`,
		batch).Scan(&job); err != nil {
		t.Fatalf("A's commit job is not in the database as done: %v", err)
	}
	res, err = client.Get(b + "/imports/jobs/" + job)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, fmt.Sprintf("/imports/batches/%d", batch)) {
		t.Fatalf("B's page of A's job = %d to %q; want the committed batch", res.StatusCode, loc)
	}
	if code, st := jobOf(t, client, b, job); code != http.StatusOK || st.Running || st.Error != "" || !strings.Contains(st.Next, "import.committed") {
		t.Fatalf("B's answer for A's job = %d %+v; want it ended, committed", code, st)
	}
	// Logging out on B ends the session on A too.
	res = logintest.Post(t, client, b, "/logout", url.Values{})
	res.Body.Close()
	res, err = client.Get(a + "/api/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode == http.StatusOK {
		t.Fatalf("A still knows a session ended on B")
	}
}

// TestMigrateStoreCopiesAndVerifies: migrate-store copies a SQLite
// database into a new PostgreSQL one, says the chain holds there, and
// refuses a second copy into the used database; serve then runs on it with
// the SQLite database's key.
func TestMigrateStoreCopiesAndVerifies(t *testing.T) {
	dsn := pgtest.Fresh(t)
	db := filepath.Join(t.TempDir(), "m.db")
	if code, _, stderr := chitieu(t, "status", "--db", db, "--plan", "98/NQ-CP", "--period", "2021-2025"); code != 0 {
		t.Fatalf("status = %d: %s", code, stderr)
	}
	code, out, stderr := chitieu(t, "migrate-store", "--from", db, "--to", dsn)
	if code != 0 || !strings.Contains(out, "chuỗi nhật ký kiểm toán nguyên vẹn") || !strings.Contains(out, "data_values") {
		t.Fatalf("migrate-store = %d\n%s\n%s", code, out, stderr)
	}
	if code, _, stderr := chitieu(t, "migrate-store", "--from", db, "--to", dsn); code != 1 || !strings.Contains(stderr, "đã có dữ liệu") {
		t.Fatalf("a second migrate-store = %d, %q; want a refusal", code, stderr)
	}
	if code, _, stderr := chitieu(t, "migrate-store", "--from", db, "--to", "chitieu2.db"); code != 2 || !strings.Contains(stderr, "--to postgres://") {
		t.Fatalf("migrate-store to a file = %d, %q; want a usage error", code, stderr)
	}
	t.Setenv("CHITIEU_AUDIT_KEY", db+".key")
	t.Setenv("CHITIEU_AUDIT_HEADS", db+".key.postgres.heads")
	base, _ := serveInProcess(t, dsn, false)
	res, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("healthz of serve on the copy = %d", res.StatusCode)
	}
}
