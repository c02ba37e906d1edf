package dashboard_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chitieu/dashboard"
	"chitieu/dashboard/logintest"
	"chitieu/indicators"
	"chitieu/indicators/catalog"
	"chitieu/indicators/sqlite"
	"chitieu/tools/benchdata"
)

// gatedStore holds every commit after each chunk it writes until the test
// opens the gate, so that the test can look at the site while commits are
// under way. The chunk itself is written and its transaction ended before
// the hold: nothing is locked while a commit waits.
type gatedStore struct {
	*sqlite.DB
	written chan int64    // the batch of each chunk, as it is written
	gate    chan struct{} // closed to let the commits go on
}

func (g *gatedStore) WriteCommit(ctx context.Context, b indicators.StagedBatch, changes []indicators.Change) error {
	err := g.DB.WriteCommit(ctx, b, changes)
	select {
	case g.written <- b.ID:
	default:
	}
	<-g.gate
	return err
}

// jobState polls a job's progress API once.
func jobState(t *testing.T, c *http.Client, base, job string) (running bool, queued int, next string) {
	t.Helper()
	res, err := c.Get(base + "/api/v1" + job)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var p struct {
		Running bool   `json:"running"`
		Queued  int    `json:"queued"`
		Next    string `json:"next"`
	}
	if err := json.NewDecoder(res.Body).Decode(&p); err != nil || res.StatusCode != 200 {
		t.Fatalf("%s answered %d: %v", job, res.StatusCode, err)
	}
	return p.Running, p.Queued, p.Next
}

// followJob polls a job until it ends and returns where it sends the browser.
func followJob(t *testing.T, c *http.Client, base, job string) string {
	t.Helper()
	job, _, _ = strings.Cut(job, "?")
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if running, _, next := jobState(t, c, base, job); !running {
			return next
		}
	}
	t.Fatalf("job %s did not end", job)
	return ""
}

// Three imports commit at once: they take turns, the ones waiting show
// their place in the queue, and while one is half written the pages
// answer, a sign-in (a session write) and a value from a form go through,
// and no reader sees any part of any batch; once the commits go on, each
// batch is there whole.
func TestThreeImportsCommitWhileThePagesAnswer(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "concurrent.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.LoadCatalog(ctx, cat); err != nil {
		t.Fatal(err)
	}
	store := &gatedStore{DB: db, written: make(chan int64, 64), gate: make(chan struct{})}
	opened := false
	openGate := func() {
		if !opened {
			opened = true
			close(store.gate)
		}
	}
	t.Cleanup(openGate)
	srv, err := dashboard.New(dashboard.Config{Store: store, UploadDir: t.TempDir(), StaleAfter: -1, BackgroundRows: 10,
		ImportWorkers: 2, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		openGate()
		ts.Close()
		srv.Close()
	})
	base := ts.URL

	// Three files of different keys, 3,000 rows each: two chunks a commit.
	const rows = 3000
	table, err := benchdata.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	users := []string{"quan.tri1", "quan.tri2", "quan.tri3"}
	clients := map[string]*http.Client{}
	batches := map[string]int64{}
	commits := map[string]string{}
	for i, name := range users {
		logintest.AddUser(t, db, name, indicators.Admin, "", nil, nil)
		c := logintest.Login(t, base, name, "")
		clients[name] = c
		table.From, table.Shift = i*rows, float64(i)
		path := filepath.Join(t.TempDir(), name+".xlsx")
		if err := table.WriteInline(path, rows); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		job := redirected(t, uploadFile(t, c, base, name+".xlsx", data, nil), "/imports/jobs/")
		next := followJob(t, c, base, job)
		batches[name] = batchOf(t, next)
	}
	// The three commits, posted at once.
	for _, name := range users {
		commits[name] = redirected(t, logintest.Post(t, clients[name], base,
			"/imports/batches/"+itoa(batches[name])+"/commit",
			// The made-up values are far from plausible: confirmed with a note.
			url.Values{"confirm_plausibility": {"1"}, "plausibility_note": {"số liệu thử"}}), "/imports/jobs/")
	}
	// One commit has written a chunk and is held; the others wait their turn.
	first := <-store.written
	var waiting string // the page of a commit that showed its place in the queue
	var waitingClient *http.Client
	for deadline := time.Now().Add(10 * time.Second); waiting == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		for _, name := range users {
			if batches[name] != first {
				if _, q, _ := jobState(t, clients[name], base, commits[name]); q > 0 {
					waiting, _, _ = strings.Cut(commits[name], "?")
					waitingClient = clients[name]
				}
			}
		}
	}
	if waiting == "" {
		t.Error("no waiting commit shows its place in the queue")
	} else if code, body := getPage(t, waitingClient, base, waiting); code != 200 || !strings.Contains(textOf(body), "vị trí trong hàng đợi") {
		t.Errorf("the page of a waiting commit = %d, without its place in the queue:\n%.1500s", code, textOf(body))
	}

	// The site while a batch is half written.
	c := clients[users[0]]
	if code, body := getPage(t, c, base, "/indicators/ECO-01"); code != 200 {
		t.Errorf("the indicator page during the commits = %d:\n%.1000s", code, textOf(body))
	}
	if code, _ := getPage(t, c, base, "/"); code != 200 {
		t.Errorf("the overview during the commits = %d", code)
	}
	logintest.AddUser(t, db, "hoa", indicators.Planner, "", nil, nil)
	if code, _ := getPage(t, logintest.Login(t, base, "hoa", ""), base, "/imports"); code != 200 {
		t.Errorf("a planner signed in during the commits sees the imports page answer %d", code)
	}
	// A short write that would wait for a whole batch under one long
	// transaction: given five seconds, it needs far less than one chunk.
	form, cancel := context.WithTimeout(indicators.WithActor(ctx, indicators.Actor{User: "quan.tri1", Role: indicators.Admin}), 5*time.Second)
	defer cancel()
	if err := db.AddValues(form, []indicators.Value{{Key: indicators.Key{Indicator: "ECO-01", Unit: "CT-CU",
		Period: indicators.YearPeriod(2024), Type: indicators.OfficialValue}, Value: 7.2, Source: "form"}}); err != nil {
		t.Errorf("a value from a form during the commits: %v", err)
	}
	for _, name := range users {
		if n, err := db.CountValues(ctx, indicators.ValueFilter{Batch: batches[name]}); err != nil || n != 0 {
			t.Errorf("batch %d shows %d values to readers before its commit ended (%v)", batches[name], n, err)
		}
	}

	// The commits go on and end; each batch is there whole.
	openGate()
	for _, name := range users {
		next := followJob(t, clients[name], base, commits[name])
		if !strings.Contains(next, "committed") {
			t.Errorf("the commit of %s ended at %s", name, next)
		}
		b, err := db.Batch(ctx, batches[name])
		if err != nil || b.State != indicators.Committed || b.New+b.Changed != rows {
			t.Errorf("batch of %s = %+v, %v", name, b, err)
		}
		if n, _ := db.CountValues(ctx, indicators.ValueFilter{Batch: batches[name]}); n != rows {
			t.Errorf("batch %d holds %d values, want %d", batches[name], n, rows)
		}
	}
	if broken, err := db.VerifyAudit(ctx); err != nil || broken != nil {
		t.Errorf("audit chain = %v, %v", broken, err)
	}
}
