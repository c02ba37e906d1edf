package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"chitieu/dashboard"
	"chitieu/indicators/postgres"
	"chitieu/indicators/sqlite"
)

// target is one store under measure: the database, how its servers start
// and how the write load reaches it.
type target struct {
	name  string // the table's store column
	where string // the database as printed
	db    store  // the handle the benchmark fills, seeds and signs users in through
	// dbArg is what "{db}" stands for in --load; importFlags name the
	// database to this program's import subcommand.
	dbArg       string
	importFlags []string
	// serve starts the store's server (or servers) until ctx ends and
	// returns the URL clients use, each server's own base URL, and a
	// sentence on how the connections were shared out (nil for one server).
	serve func(ctx context.Context, fullSpeed bool) (front string, servers []string, shared func() string, err error)
}

// sqliteTarget is one server on the SQLite file at path.
func sqliteTarget(db *sqlite.DB, path string) target {
	return target{name: storeSQLite, where: path, db: db, dbArg: path, importFlags: []string{"--db", path},
		serve: func(ctx context.Context, fullSpeed bool) (string, []string, func() string, error) {
			base, err := startServer(ctx, dashboard.Config{Store: db, ImportsFullSpeed: fullSpeed})
			return base, []string{base}, nil, err
		}}
}

// postgresTarget is two servers on the pair's database behind a balancer.
// The benchmark fills and seeds through the first server's store; the
// write load is one more writer with a heads file of its own.
func postgresTarget(p *pgPair) target {
	return target{name: storePostgres, where: postgres.Redact(p.url), db: p.dbs[0], dbArg: p.url,
		importFlags: []string{"--db", p.url, "--audit-key", p.key, "--heads", headsPath(p.key, "load")},
		serve: func(ctx context.Context, fullSpeed bool) (string, []string, func() string, error) {
			b, servers, err := p.serve(ctx, fullSpeed)
			if err != nil {
				return "", nil, nil, err
			}
			return "http://" + b.Addr(), servers, func() string {
				h := b.Handed()
				return fmt.Sprintf("the balancer handed %d connections to server A and %d to server B (%d could not reach theirs)",
					h[0], h[1], b.failed.Load())
			}, nil
		}}
}

// options are the runs asked for, the same for every store.
type options struct {
	nValues   int
	duration  time.Duration
	load      string
	conns     []int
	fullSpeed bool
	selected  func(name string, kind ...string) bool
	wrk       string
	script    string
}

var (
	pageKinds = []string{"overview", "indicator", "calendar", "job"}
	loadKinds = []string{"idle", "writing", "imports"}
)

// fillOnce loads the synthetic values into t's database unless an earlier
// run did, as the district values of the indicator they begin with tell.
// (The calendar's figures are commune values, which this count leaves
// out.)
func fillOnce(ctx context.Context, t target, n int) (*synthetic, error) {
	g, err := newSynthetic(ctx, t.db)
	if err != nil {
		return nil, err
	}
	have, err := countUnitValues(ctx, t.db, g.inds[0])
	if err != nil {
		return nil, err
	}
	// The values go an indicator at a time, the first one's whole share
	// first: a filled database holds that share, or all n if fewer.
	if have >= min(n, g.size()/len(g.inds)) {
		fmt.Printf("%s: reusing %s (%d district values of %s already there)\n", t.name, t.where, have, g.inds[0])
		return g, nil
	}
	fmt.Printf("%s: loading %d synthetic unit values into %s …\n", t.name, n, t.where)
	start := time.Now()
	err = g.fill(ctx, t.db, 0, n, 100000, func(done int) {
		fmt.Printf("  %7d values, %s\n", done, time.Since(start).Round(time.Second))
	})
	if err != nil {
		return nil, err
	}
	fmt.Printf("loaded in %s (%.0f values/s)\n", time.Since(start).Round(time.Second), float64(n)/time.Since(start).Seconds())
	return g, nil
}

// measure runs the selected rows against one store: the pages idle and
// during the write load at each connection count, then during five
// imports at once on servers that give way and on servers that do not.
func measure(ctx context.Context, t target, o options) ([]result, error) {
	if _, err := fillOnce(ctx, t, o.nValues); err != nil {
		return nil, err
	}
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	base, servers, shared, err := t.serve(sctx, false)
	if err != nil {
		return nil, err
	}
	client, cookie, err := leaderSession(ctx, t.db, base)
	if err != nil {
		return nil, err
	}
	plan, err := seedCalendar(ctx, t.db)
	if err != nil {
		return nil, err
	}
	pages := []struct{ name, path string }{
		{"overview", "/?period=2021-2025"},
		{"indicator", "/indicators/ECO-01?period=2021-2025"},
		{"calendar", calendarPath(plan)},
	}
	// Every server computes and caches its own pages: the first request
	// of each page on each server is timed apart from the runs.
	for i, srv := range servers {
		on := ""
		if len(servers) > 1 {
			on = fmt.Sprintf(" on server %c", 'A'+i)
		}
		for _, p := range pages {
			start := time.Now()
			n, err := get(client, srv+p.path)
			if err != nil {
				return nil, err
			}
			fmt.Printf("%s: first %s request%s (computes and caches): %s, %d KB\n", t.name, p.name, on,
				time.Since(start).Round(time.Millisecond), n>>10)
		}
	}
	command, cleanup, err := loadCommand(o.load, t)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	var rows []result
	for _, loaded := range []bool{false, true} {
		kind := map[bool]string{false: "idle", true: "writing"}[loaded]
		if !o.selected(kind, loadKinds...) {
			continue
		}
		for _, p := range pages {
			if !o.selected(p.name, pageKinds...) {
				continue
			}
			for _, n := range o.conns {
				var stopLoad func() (int, error)
				if loaded {
					stopLoad = startLoad(command)
				}
				r, err := runWrk(o.wrk, o.script, base+p.path, cookie, n, o.duration)
				if err != nil {
					return nil, err
				}
				r.store, r.page, r.conns, r.load, r.kind = t.name, p.name, n, "idle", kind
				if loaded {
					runs, lerr := stopLoad()
					if lerr != nil {
						return nil, fmt.Errorf("write load: %w", lerr)
					}
					r.load = fmt.Sprintf("writing (%d×)", runs)
				}
				rows = append(rows, r)
				fmt.Printf("  %-11s %-9s %3d conns %-13s %8.0f req/s  p95 %7.2f ms\n", r.store, r.page, r.conns, r.load, r.rps, r.p95)
			}
		}
	}
	// wrk counts no redirect as an error: make sure the session held on
	// every server, so that the runs measured pages, not redirects to the
	// login page.
	for i, srv := range servers {
		if _, err := get(client, srv+pages[0].path); err != nil {
			return nil, fmt.Errorf("after the runs, on server %c: %w (the leader's session did not last them)", 'A'+i, err)
		}
	}
	// The concurrent imports come last: they sign in admins of their own,
	// and the leader's session, checked above, is idle while they run.
	if o.selected("imports", loadKinds...) {
		most := 0
		for _, n := range o.conns {
			most = max(most, n)
		}
		var picked []struct{ name, path string }
		for _, p := range pages {
			if o.selected(p.name, pageKinds...) {
				picked = append(picked, p)
			}
		}
		withJob := o.selected("job", pageKinds...)
		r, err := runImportRows(ctx, t.db, t.name, base, o.wrk, o.script, most, o.duration, picked, withJob, "5 imports")
		if err != nil {
			return nil, err
		}
		rows = append(rows, withKind(r, "imports")...)
		// The same on servers whose imports do not give way to the
		// requests, the baseline of what giving way gains.
		if o.fullSpeed {
			full, _, fullShared, err := t.serve(sctx, true)
			if err != nil {
				return nil, err
			}
			r, err := runImportRows(ctx, t.db, t.name, full, o.wrk, o.script, most, o.duration, picked, withJob, "5, full speed")
			if err != nil {
				return nil, err
			}
			rows = append(rows, withKind(r, "full speed")...)
			if fullShared != nil {
				fmt.Printf("%s, full speed: %s\n", t.name, fullShared())
			}
		}
	}
	if shared != nil {
		fmt.Printf("%s: %s\n", t.name, shared())
	}
	return rows, nil
}

// withKind sets the load kind of rows, which the goals go by.
func withKind(rows []result, kind string) []result {
	for i := range rows {
		rows[i].kind = kind
	}
	return rows
}

// get reads url through c and fails unless it answered 200; it returns
// the size of the page.
func get(c *http.Client, url string) (int64, error) {
	res, err := c.Get(url)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	n, _ := io.Copy(io.Discard, res.Body)
	if res.StatusCode != http.StatusOK {
		return n, fmt.Errorf("%s answered %d", url, res.StatusCode)
	}
	return n, nil
}
