package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"chitieu/indicators"
	"chitieu/indicators/postgres/pgtest"
	"chitieu/tools/benchdata"

	"chitieu/indicators/postgres"
	"github.com/jackc/pgx/v5"
)

// TestBalancerAlternates: each new connection goes to the next server in
// turn, a kept-alive connection stays on the server it landed on, and a
// closed balancer takes no more connections.
func TestBalancerAlternates(t *testing.T) {
	t.Parallel()
	var addrs []string
	for _, name := range []string{"A", "B"} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, name) }))
		t.Cleanup(srv.Close)
		addrs = append(addrs, strings.TrimPrefix(srv.URL, "http://"))
	}
	b, err := newBalancer(addrs)
	if err != nil {
		t.Fatal(err)
	}
	front := "http://" + b.Addr()
	answer := func(c *http.Client) string {
		t.Helper()
		res, err := c.Get(front)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return string(body)
	}
	// One connection per request: A, B, A, B, A, B.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	var got []string
	for range 6 {
		got = append(got, answer(fresh))
	}
	if s := strings.Join(got, ""); s != "ABABAB" {
		t.Errorf("servers of six connections = %s, want ABABAB", s)
	}
	// One kept-alive connection: the seventh, so server A, every time.
	kept := &http.Client{Transport: &http.Transport{}}
	defer kept.CloseIdleConnections()
	got = got[:0]
	for range 4 {
		got = append(got, answer(kept))
	}
	if s := strings.Join(got, ""); s != "AAAA" {
		t.Errorf("servers of four requests on one kept-alive connection = %s, want AAAA", s)
	}
	if h := b.Handed(); h[0] != 4 || h[1] != 3 || b.failed.Load() != 0 {
		t.Errorf("handed = %v (%d failed), want [4 3] and none failed", h, b.failed.Load())
	}
	// Close ends the kept-alive connection in progress and the listener.
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if c, err := net.Dial("tcp", b.Addr()); err == nil {
		c.Close()
		t.Error("the closed balancer still accepts connections")
	}
}

// TestGoalsBesideRows: rows at 200 connections are judged against the
// README's goals (50 ms idle, 150 ms loaded, no errors), the full-speed
// baseline and other connection counts are not, and a PostgreSQL row is
// set against the SQLite row of the same page, connections and load.
func TestGoalsBesideRows(t *testing.T) {
	t.Parallel()
	sq := result{store: storeSQLite, page: "overview", conns: 200, kind: "idle", rps: 8000, p95: 40}
	pg := result{store: storePostgres, page: "overview", conns: 200, kind: "idle", rps: 4000, p95: 60}
	for _, c := range []struct {
		r    result
		want string
	}{
		{sq, "≤ 50 met"},
		{pg, "≤ 50 MISSED"},
		{result{conns: 200, kind: "writing", p95: 149}, "≤ 150 met"},
		{result{conns: 200, kind: "imports", p95: 20, errors: 1}, "≤ 150 MISSED"},
		{result{conns: 200, kind: "full speed", p95: 900}, ""},
		{result{conns: 50, kind: "idle", p95: 900}, ""},
	} {
		if got := goalCell(c.r); got != c.want {
			t.Errorf("goalCell(%+v) = %q, want %q", c.r, got, c.want)
		}
	}
	rows := []result{sq, pg, {store: storeSQLite, page: "overview", conns: 200, kind: "writing", rps: 1, p95: 1}}
	// 4000 / 8000 = 0.50× the requests, 60 / 40 = 1.50× the p95.
	if got := versusSQLite(pg, rows); got != "0.50× 1.50×" {
		t.Errorf("versusSQLite = %q, want 0.50× 1.50×", got)
	}
	if got := versusSQLite(result{store: storePostgres, page: "calendar", conns: 200, kind: "idle"}, rows); got != "" {
		t.Errorf("versusSQLite without a SQLite row = %q, want empty", got)
	}
}

// TestPostgresSetup runs the benchmark's PostgreSQL side small, without
// wrk: it makes its database in the cluster (and finds it the second
// time), fills it and knows it is filled, serves two servers behind the
// balancer where the leader's one session opens the pages on both, and
// imports through the write load's subcommand, which both servers see.
func TestPostgresSetup(t *testing.T) {
	cluster := pgtest.URL(t)
	ctx := context.Background()
	b := make([]byte, 4)
	rand.Read(b)
	name := "chitieu_bench_test_" + hex.EncodeToString(b)
	url, made, err := makeDatabase(ctx, cluster, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), cluster)
		if err != nil {
			t.Errorf("drop %s: %v", name, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), "DROP DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	if !made || !strings.Contains(url, "/"+name) {
		t.Fatalf("makeDatabase = %s, made %v; want a new database named %s", postgres.Redact(url), made, name)
	}
	if again, made, err := makeDatabase(ctx, cluster, name); err != nil || made || again != url {
		t.Fatalf("makeDatabase again = %s, made %v, %v; want the same database found", postgres.Redact(again), made, err)
	}
	key := filepath.Join(t.TempDir(), "bench.key")
	pair, err := openPair(ctx, url, key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pair.Close() })
	tg := postgresTarget(pair)

	// A tiny fill: the generator's first 300 values all belong to its
	// first indicator (3 types × 9 districts × 612 periods of it come
	// first), which the reuse check counts; a second run adds nothing.
	g, err := fillOnce(ctx, tg, 300)
	if err != nil {
		t.Fatal(err)
	}
	first := g.inds[0]
	if !slices.IsSorted(g.inds) || g.size()/len(g.inds) < 300 {
		t.Fatalf("the generator's indicators %v are not sorted, or fewer than 300 values are the first one's", g.inds[:3])
	}
	n, err := countUnitValues(ctx, tg.db, first)
	if err != nil || n != 300 {
		t.Fatalf("after the fill: %d district values of %s (%v), want 300", n, first, err)
	}
	if _, err := fillOnce(ctx, tg, 300); err != nil {
		t.Fatal(err)
	}
	if n, _ := countUnitValues(ctx, tg.db, first); n != 300 {
		t.Fatalf("a second run filled again: %d district values of %s, want 300", n, first)
	}

	sctx, stop := context.WithCancel(ctx)
	t.Cleanup(stop)
	front, servers, shared, err := tg.serve(sctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(servers) != 2 || shared == nil {
		t.Fatalf("serve gave %d servers, want two behind the balancer", len(servers))
	}
	client, cookie, err := leaderSession(ctx, tg.db, front)
	if err != nil {
		t.Fatal(err)
	}
	const page = "/indicators/ECO-01?period=2021-2025"
	for i, srv := range servers {
		if _, err := get(client, srv+page); err != nil {
			t.Fatalf("server %c with the session made through the balancer: %v", 'A'+i, err)
		}
	}
	// As wrk sends it: the cookie header on new connections, which the
	// balancer shares out.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for i := range 4 {
		req, _ := http.NewRequest(http.MethodGet, front+page, nil)
		req.Header.Set("Cookie", cookie)
		res, err := fresh.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("request %d through the balancer = %d, want 200", i+1, res.StatusCode)
		}
	}

	// The write load: the import subcommand, as each loaded run starts it,
	// commits into the database that both servers read.
	before, err := pair.dbs[1].DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	table, err := benchdata.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "load.xlsx")
	if err := table.WriteInline(file, 200); err != nil {
		t.Fatal(err)
	}
	if err := importFile(append(append([]string{}, tg.importFlags...), file)); err != nil {
		t.Fatalf("benchweb import %v: %v", tg.importFlags, err)
	}
	after, err := pair.dbs[1].DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after == before {
		t.Fatalf("the data version server B reads did not move with the import: %+v", after)
	}
	batches, err := pair.dbs[1].Batches(ctx, indicators.BatchFilter{})
	if err != nil || len(batches) != 1 || batches[0].State != indicators.Committed {
		t.Fatalf("batches after the import = %+v (%v), want one committed", batches, err)
	}
	for i, srv := range servers {
		if _, err := get(client, srv+page); err != nil {
			t.Fatalf("server %c after the import: %v", 'A'+i, err)
		}
	}
	// The four cookie requests alone, on connections of their own, went
	// two to each server.
	var a, bb, failed int
	if _, err := fmt.Sscanf(shared(), "the balancer handed %d connections to server A and %d to server B (%d", &a, &bb, &failed); err != nil ||
		a < 2 || bb < 2 || failed != 0 {
		t.Errorf("%s; want at least two connections to each server and none failed (%v)", shared(), err)
	}
}
