package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chitieu/dashboard/logintest"
	"chitieu/indicators/postgres/pgtest"
)

// TestMain lets a test run this binary as `chitieu` in a process of its
// own, which it can kill as a power cut would.
func TestMain(m *testing.M) {
	if os.Getenv("CHITIEU_TEST_AS_CHITIEU") == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// manyValues writes a long table of n monthly values of the old city
// (twenty indicators, three value types, months from January 2004, when
// the old city began, on; at most 15,120), large enough that its commit
// takes seconds on PostgreSQL.
func manyValues(t *testing.T, n int) []byte {
	t.Helper()
	types := []string{"Kế hoạch", "Ước thực hiện", "Thực hiện"}
	var rows [][]any
	for i := 0; len(rows) < n; i++ {
		month := i / 60
		code := fmt.Sprintf("ECO-%02d", i%20+1)
		rows = append(rows, []any{code, "CT-CU", fmt.Sprintf("%d-%02d", 2004+month/12, month%12+1), types[i/20%3], float64(50 + i%3)})
	}
	data, err := os.ReadFile(longXLSX(t, rows...))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// serveProcess starts `chitieu serve` on db in a process of its own and
// returns its address and the process, which the test may kill.
func serveProcess(t *testing.T, db string, env ...string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve", "--db", db, "--addr", "127.0.0.1:0")
	cmd.Env = append(append(os.Environ(), "CHITIEU_TEST_AS_CHITIEU=1"), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(out)
		for lines.Scan() {
			if u, ok := strings.CutPrefix(lines.Text(), "chitieu đang chạy: "); ok {
				addr <- u
			}
		}
		close(addr)
	}()
	select {
	case u, ok := <-addr:
		if !ok {
			t.Fatalf("serve in a process ended before it listened:\n%s", stderr.String())
		}
		return u, cmd
	case <-time.After(60 * time.Second):
		t.Fatalf("serve in a process did not start within a minute:\n%s", stderr.String())
	}
	return "", nil
}

// upload posts a workbook to /imports as the import page does.
func upload(t *testing.T, c *http.Client, base, name string, data []byte) *http.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", logintest.Token(t, c, base))
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.WriteField("profile", "auto")
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, base+"/imports", &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// jobAnswer is what /api/v1/imports/jobs/ID answers.
type jobAnswer struct {
	Running bool   `json:"running"`
	Rows    int64  `json:"rows"`
	Next    string `json:"next"`
	Error   string `json:"error"`
}

func jobOf(t *testing.T, c *http.Client, base, id string) (int, jobAnswer) {
	t.Helper()
	res, err := c.Get(base + "/api/v1/imports/jobs/" + id)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var a jobAnswer
	if res.StatusCode == http.StatusOK {
		if err := json.NewDecoder(res.Body).Decode(&a); err != nil {
			t.Fatal(err)
		}
	}
	return res.StatusCode, a
}

// TestServerKilledMidCommit runs two servers on one PostgreSQL database,
// one of them a process of its own, and kills that one (SIGKILL) while it
// commits a batch of 15,000 values: the job it started is followed on the
// other server while it runs; once its beats stop, the other server takes
// the job over, withdraws the half written and commits the batch whole
// from the staged batch the database holds, so nothing is lost, no value
// is written twice, and no reader ever saw half the batch.
func TestServerKilledMidCommit(t *testing.T) {
	dsn := pgtest.Fresh(t)
	dir := t.TempDir()
	t.Setenv("CHITIEU_AUDIT_KEY", filepath.Join(dir, "chitieu.key"))
	t.Setenv("CHITIEU_IMPORT_JOB_SILENT", "1s")
	b, pw := serveInProcess(t, dsn, true)
	a, proc := serveProcess(t, dsn, "CHITIEU_AUDIT_HEADS="+filepath.Join(dir, "a.heads"))
	client := logintest.Login(t, a, "admin", pw)
	const n = 15000
	res := upload(t, client, a, "bieu-thang.xlsx", manyValues(t, n))
	res.Body.Close()
	loc := res.Header.Get("Location")
	var batch int64
	if _, err := fmt.Sscanf(loc, "/imports/batches/%d", &batch); err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload on A = %d to %q; want the staged batch", res.StatusCode, loc)
	}
	ctx := context.Background()
	conn := pgConn(t, dsn)
	count := func(q string, args ...any) int64 { return queryInt(t, conn, q, args...) }
	go func() { // the commit's request ends with the server; its answer does not matter
		form := url.Values{"csrf_token": {logintest.Token(t, client, a)}, "confirm_plausibility": {"1"},
			"plausibility_note": {"số liệu thử, đã xem"}}
		req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/imports/batches/%d/commit", a, batch), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", a)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		if res, err := client.Do(req); err == nil {
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusSeeOther {
				t.Logf("commit on A = %d: %.3000s", res.StatusCode, body)
			}
		}
	}()
	// Wait for the first chunk of values to be written, pending.
	var job string
	deadline := time.Now().Add(60 * time.Second)
	for count(`SELECT count(*) FROM data_values WHERE batch = $1`, batch) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("A wrote no chunk of the commit within a minute")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := conn.QueryRow(ctx, `SELECT id FROM import_jobs WHERE kind = 'commit' AND batch = $1`, batch).Scan(&job); err != nil {
		t.Fatalf("the commit job of A is not in the database: %v", err)
	}
	// The job started on A is followed on B while it runs.
	if code, st := jobOf(t, client, b, job); code != http.StatusOK || !st.Running {
		t.Fatalf("B's answer for A's running job = %d %+v; want it running", code, st)
	}
	if err := proc.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	proc.Wait()
	if pending := count(`SELECT count(*) FROM import_pending WHERE batch = $1`, batch); pending != 1 {
		t.Fatalf("after the kill, pending commits of batch %d = %d; want A's cut-off commit (the test killed it too late)", batch, pending)
	}
	if committed := count(`SELECT count(*) FROM batches WHERE id = $1 AND state = 'committed'`, batch); committed != 0 {
		t.Fatal("the batch was committed before the kill; the test killed it too late")
	}
	// B takes the job over once A's beats stop (1s here) and commits it whole.
	var st jobAnswer
	for deadline = time.Now().Add(90 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		var code int
		code, st = jobOf(t, client, b, job)
		if code != http.StatusOK {
			t.Fatalf("B's answer for the job = %d", code)
		}
		if !st.Running {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the job of the killed server was not taken over within 90 seconds")
		}
	}
	if st.Error != "" || !strings.HasPrefix(st.Next, fmt.Sprintf("/imports/batches/%d", batch)) {
		t.Fatalf("the job taken over ended %+v; want the committed batch", st)
	}
	if got := count(`SELECT count(*) FROM data_values WHERE batch = $1`, batch); got != n {
		t.Errorf("values of batch %d = %d; want %d, each once", batch, got, n)
	}
	if got := count(`SELECT count(DISTINCT (indicator, unit, period, type)) FROM data_values WHERE batch = $1`, batch); got != n {
		t.Errorf("distinct keys of batch %d = %d; want %d", batch, got, n)
	}
	if got := count(`SELECT count(*) FROM batches WHERE id = $1 AND state = 'committed' AND new_values = $2`, batch, n); got != 1 {
		t.Errorf("batch %d is not committed with %d new values", batch, n)
	}
	if got := count(`SELECT count(*) FROM import_pending`); got != 0 {
		t.Errorf("%d commits still pending", got)
	}
	if got := count(`SELECT count(*) FROM audit_events WHERE action = 'batch.abort' AND batch = $1`, batch); got != 1 {
		t.Errorf("withdrawals of the cut-off commit in the audit trail = %d; want 1", got)
	}
}
