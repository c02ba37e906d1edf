// Command benchweb measures the dashboard pages under load, as `make
// bench-web` runs it. It builds (or reuses) a database holding the built-in
// catalogue and a million synthetic unit values, starts the real server,
// drives the overview, an indicator page and the reporting calendar (103
// communes × 62 indicators × 12 months) with wrk at 50 and 200
// connections, once idle and once while a heavy write load runs, and
// prints requests per second and latency percentiles as a table. The
// pages are read as a leader signed in through the login form. A last row
// per page, and one for the job-progress API, is measured while five
// admins each upload a different 100,000-row table at once through the
// web and commit it (see imports.go).
//
// The write load is an import run over and over for as long as wrk runs:
// by default this program's own `import` subcommand, which imports a long
// table of 100,000 rows end to end (read, validate, preview, commit with an
// audit event per value) as a planner's upload does. Two such files, whose
// values differ, are imported in turn, so that every run changes 100,000
// values. Any other command can take its place with --load; the string
// "{db}" in it is replaced by the database path.
//
//	benchweb [--db PATH] [--values 1000000] [--duration 20s] [--load CMD]
//	benchweb import --db PATH FILE
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"chitieu/dashboard"
	"chitieu/importers"
	"chitieu/indicators"
	"chitieu/indicators/catalog"
	"chitieu/indicators/sqlite"
	"chitieu/tools/benchdata"
)

func main() {
	var err error
	if len(os.Args) > 1 && os.Args[1] == "import" {
		err = importFile(os.Args[2:])
	} else {
		err = bench(os.Args[1:])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchweb:", err)
		os.Exit(1)
	}
}

// open opens the store with the built-in catalogue loaded.
func open(ctx context.Context, path string) (*sqlite.DB, error) {
	db, err := sqlite.Open(ctx, path, sqlite.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		return nil, err
	}
	cat, err := catalog.Builtin()
	if err != nil {
		return nil, err
	}
	if _, err := db.LoadCatalog(indicators.WithActor(ctx, indicators.Actor{User: "system"}), cat); err != nil {
		return nil, err
	}
	return db, nil
}

// synthetic generates values for the nine districts of the old city:
// every indicator, district, period (years, quarters and months from
// 1990) and value type, in that order, starting at the index from, with
// values that drift by key.
type synthetic struct {
	inds      []string
	districts []string
	periods   []indicators.Period
}

func newSynthetic(ctx context.Context, db *sqlite.DB) (*synthetic, error) {
	list, err := db.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	units, err := db.Units(ctx)
	if err != nil {
		return nil, err
	}
	g := &synthetic{}
	for _, i := range list {
		g.inds = append(g.inds, i.Code)
	}
	for _, u := range units {
		if u.Kind == indicators.District {
			g.districts = append(g.districts, u.Code)
		}
	}
	for y := 1990; y <= 2025; y++ {
		g.periods = append(g.periods, indicators.YearPeriod(y))
		for q := 1; q <= 4; q++ {
			g.periods = append(g.periods, indicators.Period{Year: y, Kind: indicators.Quarter, N: q})
		}
		for m := 1; m <= 12; m++ {
			g.periods = append(g.periods, indicators.Period{Year: y, Kind: indicators.Month, N: m})
		}
	}
	if len(g.districts) == 0 {
		return nil, errors.New("the catalogue has no districts")
	}
	return g, nil
}

var valueTypes = []indicators.ValueType{indicators.OfficialValue, indicators.EstimateValue, indicators.PlanValue}

// size is how many distinct keys the generator has.
func (g *synthetic) size() int {
	return len(g.inds) * len(g.districts) * len(g.periods) * len(valueTypes)
}

// value is the i-th synthetic value.
func (g *synthetic) value(i int) indicators.Value {
	t := i % len(valueTypes)
	i /= len(valueTypes)
	d := i % len(g.districts)
	i /= len(g.districts)
	p := i % len(g.periods)
	i /= len(g.periods)
	ind := g.inds[i%len(g.inds)]
	x := 50 + float64(d)*3 + float64(g.periods[p].Year-1990)*0.7 + float64(t)
	return indicators.Value{Key: indicators.Key{Indicator: ind, Unit: g.districts[d], Period: g.periods[p], Type: valueTypes[t]},
		Value: x, Source: "bench", Sheet: "Biểu 01", Cell: "C" + strconv.Itoa(10+p)}
}

// fill stores n synthetic values starting at index from, in transactions
// of batch values.
func (g *synthetic) fill(ctx context.Context, db *sqlite.DB, from, n, batch int, progress func(done int)) error {
	ctx = indicators.WithActor(ctx, indicators.Actor{User: "bench"})
	for done := 0; done < n; {
		k := min(batch, n-done)
		vs := make([]indicators.Value, k)
		for j := range vs {
			vs[j] = g.value((from + done + j) % g.size())
		}
		if err := db.AddValues(ctx, vs); err != nil {
			return err
		}
		done += k
		if progress != nil {
			progress(done)
		}
	}
	return nil
}

// importFile is the default write load: one file imported and committed
// as the planner "bench".
func importFile(args []string) error {
	fs := flag.NewFlagSet("benchweb import", flag.ContinueOnError)
	dbPath := fs.String("db", "", "database")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: benchweb import --db PATH FILE")
	}
	db, err := sqlite.Open(context.Background(), *dbPath, sqlite.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = benchdata.Import(db, fs.Arg(0), importers.Limits{})
	return err
}

// countValues counts the stored values through the API of the store.
func countUnitValues(ctx context.Context, db *sqlite.DB) (int, error) {
	vs, err := db.Values(ctx, indicators.ValueFilter{Indicator: "ECO-01", UnitKind: indicators.District})
	if err != nil {
		return 0, err
	}
	return len(vs), nil
}

func bench(args []string) error {
	fs := flag.NewFlagSet("benchweb", flag.ContinueOnError)
	dbPath := fs.String("db", filepath.Join(os.TempDir(), "chitieu-bench.db"), "database; kept between runs and filled only once")
	nValues := fs.Int("values", 1000000, "synthetic unit values to load")
	duration := fs.Duration("duration", 20*time.Second, "length of each wrk run")
	load := fs.String("load", "", `write load command, run again and again during the loaded runs ("{db}" is the database); default: this program's import subcommand on a 100,000-row file`)
	conns := fs.String("connections", "50,200", "wrk connection counts")
	only := fs.String("only", "", `run only these pages (overview, indicator, calendar, job) and loads (idle, writing, imports), comma-separated (such as "indicator,idle"); default: all`)
	fullSpeed := fs.Bool("full-speed", true, "repeat the five-import rows on a server whose imports do not give way to requests (--imports-full-speed), as their baseline")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the server during the runs to this file (go tool pprof)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		return errors.New("wrk is not installed (apt-get install wrk)")
	}
	ctx := context.Background()
	db, err := open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	g, err := newSynthetic(ctx, db)
	if err != nil {
		return err
	}
	// The first indicator's share of a full load tells whether the
	// database was filled before. (The calendar's figures are commune
	// values, which this count leaves out.)
	have, err := countUnitValues(ctx, db)
	if err != nil {
		return err
	}
	perIndicator := *nValues / len(g.inds)
	if have < perIndicator*9/10 {
		fmt.Printf("loading %d synthetic unit values into %s …\n", *nValues, *dbPath)
		start := time.Now()
		err := g.fill(ctx, db, 0, *nValues, 100000, func(done int) {
			fmt.Printf("  %7d values, %s\n", done, time.Since(start).Round(time.Second))
		})
		if err != nil {
			return err
		}
		fmt.Printf("loaded in %s (%.0f values/s)\n", time.Since(start).Round(time.Second),
			float64(*nValues)/time.Since(start).Seconds())
	} else {
		fmt.Printf("reusing %s (%d district values of ECO-01 already there)\n", *dbPath, have)
	}

	sctx, stop := context.WithCancel(ctx)
	defer stop()
	base, err := startServer(sctx, dashboard.Config{Store: db})
	if err != nil {
		return err
	}
	client, cookie, err := leaderSession(ctx, db, base)
	if err != nil {
		return err
	}
	plan, err := seedCalendar(ctx, db)
	if err != nil {
		return err
	}
	pages := []struct{ name, path string }{
		{"overview", "/?period=2021-2025"},
		{"indicator", "/indicators/ECO-01?period=2021-2025"},
		{"calendar", calendarPath(plan)},
	}
	for _, p := range pages {
		start := time.Now()
		res, err := client.Get(base + p.path)
		if err != nil {
			return err
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			return fmt.Errorf("%s answered %d", p.path, res.StatusCode)
		}
		fmt.Printf("first %s request (computes and caches): %s, %d KB\n", p.name, time.Since(start).Round(time.Millisecond), n>>10)
	}
	script := filepath.Join(os.TempDir(), "chitieu-wrk-percentiles.lua")
	if err := os.WriteFile(script, []byte(wrkScript), 0o644); err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	command, cleanup, err := loadCommand(*load, *dbPath)
	if err != nil {
		return err
	}
	defer cleanup()
	// selected reports whether name, one of kind, is to run: --only names
	// pages, loads or both, and a kind it does not name runs whole.
	selected := func(name string, kind ...string) bool {
		named := slices.DeleteFunc(strings.Split(*only, ","), func(p string) bool { return !slices.Contains(kind, p) })
		return len(named) == 0 || slices.Contains(named, name)
	}
	var rows []result
	loads := []string{"idle", "writing", "imports"}
	for _, loaded := range []bool{false, true} {
		if !selected(map[bool]string{false: "idle", true: "writing"}[loaded], loads...) {
			continue
		}
		for _, p := range pages {
			if !selected(p.name, "overview", "indicator", "calendar", "job") {
				continue
			}
			for _, c := range strings.Split(*conns, ",") {
				n, err := strconv.Atoi(strings.TrimSpace(c))
				if err != nil {
					return fmt.Errorf("--connections: %w", err)
				}
				var stopLoad func() (int, error)
				if loaded {
					stopLoad = startLoad(command)
				}
				r, err := runWrk(wrk, script, base+p.path, cookie, n, *duration)
				if err != nil {
					return err
				}
				r.page, r.conns, r.load = p.name, n, "idle"
				if loaded {
					runs, lerr := stopLoad()
					if lerr != nil {
						return fmt.Errorf("write load: %w", lerr)
					}
					r.load = fmt.Sprintf("writing (%d×)", runs)
				}
				rows = append(rows, r)
				fmt.Printf("  %-9s %3d conns %-13s %8.0f req/s  p95 %7.2f ms\n", r.page, r.conns, r.load, r.rps, r.p95)
			}
		}
	}
	// wrk counts no redirect as an error: make sure the session held, so
	// that the runs measured pages, not redirects to the login page.
	res, err := client.Get(base + pages[0].path)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		return fmt.Errorf("after the runs %s answered %d: the leader's session did not last them", pages[0].path, res.StatusCode)
	}
	// The concurrent imports come last: they sign in admins of their own,
	// and the leader's session, checked above, is idle while they run.
	if selected("imports", loads...) {
		var most int
		for _, c := range strings.Split(*conns, ",") {
			n, _ := strconv.Atoi(strings.TrimSpace(c))
			most = max(most, n)
		}
		var picked []struct{ name, path string }
		for _, p := range pages {
			if selected(p.name, "overview", "indicator", "calendar", "job") {
				picked = append(picked, p)
			}
		}
		r, err := runImportRows(ctx, db, base, wrk, script, most, *duration, picked, selected("job", "overview", "indicator", "calendar", "job"), "5 imports")
		if err != nil {
			return err
		}
		rows = append(rows, r...)
		// The same on a server whose imports do not give way to the
		// requests, the baseline of what giving way gains.
		if *fullSpeed {
			full, err := startServer(sctx, dashboard.Config{Store: db, ImportsFullSpeed: true})
			if err != nil {
				return err
			}
			r, err := runImportRows(ctx, db, full, wrk, script, most, *duration, picked, selected("job", "overview", "indicator", "calendar", "job"), "5, full speed")
			if err != nil {
				return err
			}
			rows = append(rows, r...)
		}
	}
	fmt.Println()
	fmt.Println("| page      | conns | load          |   req/s |  p50 ms |  p90 ms |  p95 ms |  p99 ms | errors | not 2xx |")
	fmt.Println("|-----------|------:|---------------|--------:|--------:|--------:|--------:|--------:|-------:|--------:|")
	for _, r := range rows {
		fmt.Printf("| %-9s | %5d | %-13s | %7.0f | %7.2f | %7.2f | %7.2f | %7.2f | %6d | %7d |\n",
			r.page, r.conns, r.load, r.rps, r.p50, r.p90, r.p95, r.p99, r.errors, r.badStatus)
	}
	fmt.Println()
	fmt.Println("goal: p95 ≤ 50 ms at 200 connections idle, ≤ 150 ms while writing and during five imports at once")
	return nil
}

// startServer serves cfg's dashboard on a free local port until ctx ends
// and returns its base URL.
func startServer(ctx context.Context, cfg dashboard.Config) (string, error) {
	cfg.Log = slog.New(slog.DiscardHandler)
	srv, err := dashboard.New(cfg)
	if err != nil {
		return "", err
	}
	addrc := make(chan net.Addr, 1)
	go func() {
		if err := srv.ListenAndServe(ctx, "127.0.0.1:0", func(a net.Addr) { addrc <- a }); err != nil {
			fmt.Fprintln(os.Stderr, "benchweb: server:", err)
		}
	}()
	return "http://" + (<-addrc).String(), nil
}

// startLoad runs the write load command again and again until the
// returned function is called, which waits for the run in progress and
// reports how many runs completed.
func startLoad(command func() []string) func() (int, error) {
	var stopping atomic.Bool
	done := make(chan struct{})
	var runs int
	var firstErr error
	go func() {
		defer close(done)
		for !stopping.Load() {
			args := command()
			cmd := exec.Command(args[0], args[1:]...)
			cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
			if err := cmd.Run(); err != nil {
				firstErr = fmt.Errorf("%s: %w", strings.Join(args, " "), err)
				return
			}
			runs++
		}
	}()
	return func() (int, error) {
		stopping.Store(true)
		<-done
		return runs, firstErr
	}
}

// loadCommand is the write load's command line for each run: the given
// command, or this program's import of two 100,000-row long tables in turn,
// written here into a temporary folder that cleanup removes.
func loadCommand(cmdline, dbPath string) (command func() []string, cleanup func(), err error) {
	if cmdline != "" {
		args := strings.Fields(strings.ReplaceAll(cmdline, "{db}", dbPath))
		return func() []string { return args }, func() {}, nil
	}
	self, err := os.Executable()
	if err != nil {
		return nil, nil, err
	}
	dir, err := os.MkdirTemp("", "chitieu-benchweb-")
	if err != nil {
		return nil, nil, err
	}
	cleanup = func() { os.RemoveAll(dir) }
	table, err := benchdata.Builtin()
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	// The values of this run's files differ from those of any earlier
	// run's, which the database may hold.
	base := float64(time.Now().UnixNano()%997) / 1000
	var files [2]string
	for i := range files {
		files[i] = filepath.Join(dir, fmt.Sprintf("import-%d.xlsx", i))
		table.Shift = base + float64(i)
		if err := table.WriteInline(files[i], 100000); err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("write %s: %w", files[i], err)
		}
	}
	var run int
	return func() []string {
		run++
		return []string{self, "import", "--db", dbPath, files[run%2]}
	}, cleanup, nil
}

// result is one wrk run.
type result struct {
	page, load         string
	conns              int
	rps                float64
	p50, p90, p95, p99 float64 // milliseconds
	errors             int
	badStatus          int // answers that were not 2xx or 3xx, among errors
}

// wrkScript makes wrk print the percentiles it does not print itself.
const wrkScript = `done = function(summary, latency, requests)
  for _, p in ipairs({50, 90, 95, 99}) do
    io.write(string.format("PCT %d %d\n", p, latency:percentile(p)))
  end
  local e = summary.errors
  io.write(string.format("ERR %d %d %d %d %d\n", e.connect, e.read, e.write, e.status, e.timeout))
end
`

func runWrk(wrk, script, url, cookie string, conns int, d time.Duration) (result, error) {
	threads := min(2, conns)
	cmd := exec.Command(wrk, "-t", strconv.Itoa(threads), "-c", strconv.Itoa(conns), "-d", d.String(),
		"--timeout", "10s", "-H", "Cookie: "+cookie, "-s", script, url)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("wrk: %w\n%s", err, out)
	}
	var r result
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "Requests/sec:":
			r.rps, _ = strconv.ParseFloat(f[1], 64)
		case len(f) == 3 && f[0] == "PCT":
			us, _ := strconv.ParseFloat(f[2], 64)
			switch f[1] {
			case "50":
				r.p50 = us / 1000
			case "90":
				r.p90 = us / 1000
			case "95":
				r.p95 = us / 1000
			case "99":
				r.p99 = us / 1000
			}
		case len(f) == 6 && f[0] == "ERR":
			// connect, read, write, status (not 2xx or 3xx), timeout
			for i, part := range f[1:] {
				n, _ := strconv.Atoi(part)
				r.errors += n
				if i == 3 {
					r.badStatus = n
				}
			}
		}
	}
	if r.rps == 0 {
		return r, fmt.Errorf("wrk printed no rate:\n%s", out)
	}
	return r, nil
}
