package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"chitieu/dashboard"
	"chitieu/dashboard/logintest"
	"chitieu/indicators"
	"chitieu/indicators/sqlite"
)

// chitieu runs the command line in-process in Vietnamese, whatever
// CHITIEU_LANG the machine has, and returns its exit code and output.
func chitieu(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return chitieuIn(t, "", args...)
}

// chitieuIn runs the command line with CHITIEU_LANG=lang.
func chitieuIn(t *testing.T, lang string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return chitieuEnv(t, map[string]string{"CHITIEU_LANG": lang}, args...)
}

// chitieuEnv runs the command line with env over the process's
// environment.
func chitieuEnv(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		return os.Getenv(k)
	}
	code = runEnv(context.Background(), args, strings.NewReader(""), &out, &errb, getenv)
	return code, out.String(), errb.String()
}

func TestExitCodes(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "x.db")
	for _, tc := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"frobnicate"}, 2, "lệnh không rõ"},
		{[]string{"status", "--db", db, "--asof", "2025-13-40"}, 2, "--asof"},
		{[]string{"status", "--db", db, "--period", "2025-2021"}, 2, "--period"},
		{[]string{"status", "--db", db, "--nonsense"}, 2, "nonsense"},
		{[]string{"status", "--db", db, "--plan", "1/NQ-XX"}, 1, "không tìm thấy kế hoạch"},
		{[]string{"status", "--db", db, "--lang", "fr"}, 2, "--lang"},
		{[]string{"backup", "--db", db}, 2, "TỆP"},
		{[]string{"restore", filepath.Join(t.TempDir(), "missing.db"), "--db", db}, 1, "sao lưu"},
		{[]string{"serve", "--db", db, "--addr", "nonsense"}, 2, "--addr"},
		{[]string{"serve", "--db", db, "--read-timeout", "0s"}, 2, "--read-timeout"},
		{[]string{"serve", "--db", db, "--read-timeout", "soon"}, 2, "--read-timeout"},
		{[]string{"serve", "--db", db, "--smtp-addr", "mail.local:25"}, 2, "--smtp-from"},
		{[]string{"serve", "--db", db, "--smtp-addr", "mail.local", "--smtp-from", "a@b.vn"}, 2, "HOST:PORT"},
		{[]string{"serve", "--db", db, "--smtp-addr", "mail.local:25", "--smtp-from", "không phải thư"}, 2, "sender"},
	} {
		code, _, stderr := chitieu(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.err) {
			t.Errorf("chitieu %v = %d, %q; want %d and a message with %q", tc.args, code, stderr, tc.code, tc.err)
		}
	}
}

func TestStatusShowsTheGRDPTargetOffTrack(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "s.db")
	code, out, stderr := chitieu(t, "status", "--db", db, "--plan", "98/NQ-CP", "--period", "2021-2025")
	if code != 0 {
		t.Fatalf("status exit %d: %s", code, stderr)
	}
	line := ""
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "ECO-01 ") && strings.Contains(l, "98/NQ-CP") {
			line = l
			break
		}
	}
	for _, want := range []string{"5,53", "15,74", "Chậm, khó đạt"} {
		if !strings.Contains(line, want) {
			t.Errorf("status line for ECO-01 = %q, want %q in it\n%s", line, want, out)
		}
	}
	code, out, _ = chitieu(t, "status", "--db", db, "--plan", "98/NQ-CP", "--period", "2021-2025", "--lang", "en")
	if code != 0 || !strings.Contains(out, "5.53") || !strings.Contains(out, "Off track") {
		t.Errorf("status --lang en:\n%s", out)
	}
}

// Backup then restore into a new file gives the same check and the same
// API answers.
func TestBackupRestoreGivesIdenticalAnswers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	live, backup, restored := filepath.Join(dir, "live.db"), filepath.Join(dir, "b.db"), filepath.Join(dir, "r.db")
	if code, _, stderr := chitieu(t, "backup", backup, "--db", live); code != 0 {
		t.Fatalf("backup: %s", stderr)
	}
	if code, _, stderr := chitieu(t, "restore", backup, "--db", restored); code != 0 {
		t.Fatalf("restore: %s", stderr)
	}
	_, checkLive, _ := chitieu(t, "check", "--db", live)
	code, checkRestored, stderr := chitieu(t, "check", "--db", restored)
	// The restored trail holds one event more than the live one: the
	// restore itself (db.restore), after the copy's own db.backup event.
	events := regexp.MustCompile(`audit_events +(\d+)`)
	le, re := events.FindStringSubmatch(checkLive), events.FindStringSubmatch(checkRestored)
	if le == nil || re == nil || itoa(mustAtoi(t, le[1])+1) != re[1] {
		t.Errorf("audit events: live %v, restored %v; want one more after the restore", le, re)
	}
	checkLive, checkRestored = events.ReplaceAllString(checkLive, ""), events.ReplaceAllString(checkRestored, "")
	if code != 0 || checkLive != checkRestored || !strings.Contains(checkLive, "ok") {
		t.Fatalf("check live:\n%s\ncheck restored (exit %d, %s):\n%s", checkLive, code, stderr, checkRestored)
	}
	paths := []string{"/api/v1/plans", "/api/v1/units", "/api/v1/indicators/ECO-01",
		"/api/v1/plans/98-nq-cp-2021-08-30/targets?period=2021-2025&asof=2026-11-01",
		"/api/v1/plans/59-nq-tw-2020-08-05/groups?asof=2026-11-01"}
	a, b := apiAnswers(t, live, paths), apiAnswers(t, restored, paths)
	for i := range paths {
		if a[i] != b[i] {
			t.Errorf("%s differs after restore:\n%s\n%s", paths[i], a[i], b[i])
		}
	}
}

func mustAtoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func apiAnswers(t *testing.T, path string, paths []string) []string {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv, err := dashboard.New(dashboard.Config{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	logintest.AddUser(t, db, "kiem.toan", indicators.Auditor, "", nil, nil)
	client := logintest.Login(t, ts.URL, "kiem.toan", "")
	var out []string
	for _, p := range paths {
		res, err := client.Get(ts.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !json.Valid(body) {
			t.Fatalf("GET %s = %d %s", p, res.StatusCode, body)
		}
		out = append(out, string(body))
	}
	return out
}
