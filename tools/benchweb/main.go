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
// With --postgres, the same rows run again on PostgreSQL, as a deployment
// of several servers runs: two dashboard servers, each with its own
// connection pool, on one database the benchmark makes in that cluster and
// fills once with the same values, behind a round-robin TCP balancer in
// this process (see balancer.go). The table's store column tells the two
// apart, and the README's page goals are printed beside each row.
//
// The write load is an import run over and over for as long as wrk runs:
// by default this program's own `import` subcommand, which imports a long
// table of 100,000 rows end to end (read, validate, preview, commit with an
// audit event per value) as a planner's upload does, into the store being
// measured. Two such files, whose values differ, are imported in turn, so
// that every run changes 100,000 values. Any other command can take its
// place with --load; the string "{db}" in it is replaced by the database
// (the file, or the PostgreSQL database's URL).
//
//	benchweb [--db PATH] [--postgres URL] [--only …] [--values 1000000] [--duration 20s] [--load CMD]
//	benchweb import --db PATH|URL [--audit-key KEY --heads FILE] FILE
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
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
	"chitieu/indicators/postgres"
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

// synthetic generates values for the nine districts of the old city:
// every indicator, district, period (years, quarters and months from
// 1990) and value type, in that order, starting at the index from, with
// values that drift by key.
type synthetic struct {
	inds      []string
	districts []string
	periods   []indicators.Period
}

func newSynthetic(ctx context.Context, db store) (*synthetic, error) {
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
	// Sorted here, byte by byte as SQLite sorts them, not in the order a
	// store returns them (a PostgreSQL collation may order "ECO-06g" and
	// "ECO-06" otherwise), so that both stores hold the same values.
	slices.Sort(g.inds)
	slices.Sort(g.districts)
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
func (g *synthetic) fill(ctx context.Context, db store, from, n, batch int, progress func(done int)) error {
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
// as the planner "bench", into a SQLite file or a PostgreSQL database (with
// the audit key its servers share and a heads file of its own).
func importFile(args []string) error {
	fs := flag.NewFlagSet("benchweb import", flag.ContinueOnError)
	dbPath := fs.String("db", "", "database: a SQLite file or a postgres:// URL")
	key := fs.String("audit-key", "", "the audit key of a PostgreSQL database")
	heads := fs.String("heads", "", "the heads file this import records on PostgreSQL")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: benchweb import --db PATH|URL [--audit-key KEY --heads FILE] FILE")
	}
	ctx := context.Background()
	var db interface {
		importers.Store
		Close() error
	}
	var err error
	if postgres.IsURL(*dbPath) {
		if *key == "" || *heads == "" {
			return errors.New("benchweb import: a PostgreSQL database needs --audit-key and --heads")
		}
		// The servers loaded the catalogue; opening here is what
		// `chitieu import --db postgres://…` does before it reads a file.
		db, err = postgres.Open(ctx, *dbPath, postgres.WithLogger(quiet), postgres.WithAuditKey(*key), postgres.WithHeadsFile(*heads))
	} else {
		db, err = sqlite.Open(ctx, *dbPath, sqlite.WithLogger(quiet))
	}
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = benchdata.Import(db, fs.Arg(0), importers.Limits{})
	return err
}

// countUnitValues counts an indicator's district values through the API
// of the store.
func countUnitValues(ctx context.Context, db store, indicator string) (int, error) {
	vs, err := db.Values(ctx, indicators.ValueFilter{Indicator: indicator, UnitKind: indicators.District})
	if err != nil {
		return 0, err
	}
	return len(vs), nil
}

// The stores the table compares, as its store column names them.
const (
	storeSQLite   = "sqlite"
	storePostgres = "postgres ×2"
)

func bench(args []string) error {
	fs := flag.NewFlagSet("benchweb", flag.ContinueOnError)
	dbPath := fs.String("db", filepath.Join(os.TempDir(), "chitieu-bench.db"), "database; kept between runs and filled only once")
	pgURL := fs.String("postgres", "", `a PostgreSQL cluster (postgres://…): the same rows again on two servers on one database there, `+
		`behind a round-robin TCP balancer`)
	pgName := fs.String("postgres-db", "chitieu_bench", "the database the benchmark makes in the --postgres cluster; kept between runs and filled only once")
	pgKey := fs.String("postgres-key", filepath.Join(os.TempDir(), "chitieu-bench-postgres.key"),
		"the audit key of the PostgreSQL database, shared by its servers; made with the database and needed as long as it is kept")
	nValues := fs.Int("values", 1000000, "synthetic unit values to load")
	duration := fs.Duration("duration", 20*time.Second, "length of each wrk run")
	load := fs.String("load", "", `write load command, run again and again during the loaded runs ("{db}" is the database: the file, or the PostgreSQL URL); `+
		`default: this program's import subcommand on a 100,000-row file`)
	conns := fs.String("connections", "50,200", "wrk connection counts")
	only := fs.String("only", "", `run only these stores (sqlite, postgres), pages (overview, indicator, calendar, job) and loads (idle, writing, imports), `+
		`comma-separated (such as "postgres,indicator,idle"); default: all, PostgreSQL when --postgres is given`)
	fullSpeed := fs.Bool("full-speed", true, "repeat the five-import rows on servers whose imports do not give way to requests (--imports-full-speed), as their baseline")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the servers during the runs to this file (go tool pprof)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		return errors.New("wrk is not installed (apt-get install wrk)")
	}
	o := options{nValues: *nValues, duration: *duration, load: *load, fullSpeed: *fullSpeed, wrk: wrk}
	for _, c := range strings.Split(*conns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil || n < 1 {
			return fmt.Errorf("--connections %q: want counts such as 50,200", *conns)
		}
		o.conns = append(o.conns, n)
	}
	// selected reports whether name, one of kind, is to run: --only names
	// stores, pages, loads or any of them, and a kind it does not name
	// runs whole.
	o.selected = func(name string, kind ...string) bool {
		named := slices.DeleteFunc(strings.Split(*only, ","), func(p string) bool { return !slices.Contains(kind, p) })
		return len(named) == 0 || slices.Contains(named, name)
	}
	stores := []string{"sqlite", "postgres"}
	if *pgURL == "" && slices.Contains(strings.Split(*only, ","), "postgres") {
		return errors.New("--only postgres needs the cluster: --postgres postgres://…")
	}
	o.script = filepath.Join(os.TempDir(), "chitieu-wrk-percentiles.lua")
	if err := os.WriteFile(o.script, []byte(wrkScript), 0o644); err != nil {
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
	ctx := context.Background()
	var rows []result
	if o.selected("sqlite", stores...) {
		db, err := openSQLite(ctx, *dbPath)
		if err != nil {
			return err
		}
		defer db.Close()
		t := sqliteTarget(db, *dbPath)
		r, err := measure(ctx, t, o)
		if err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
		rows = append(rows, r...)
	}
	if *pgURL != "" && o.selected("postgres", stores...) {
		url, made, err := makeDatabase(ctx, *pgURL, *pgName)
		if err != nil {
			return err
		}
		if made {
			fmt.Printf("made the database %s\n", postgres.Redact(url))
		}
		pair, err := openPair(ctx, url, *pgKey)
		if err != nil {
			return err
		}
		defer pair.Close()
		t := postgresTarget(pair)
		r, err := measure(ctx, t, o)
		if err != nil {
			printTable(os.Stdout, rows) // SQLite's rows are not lost
			return fmt.Errorf("%s: %w", t.name, err)
		}
		rows = append(rows, r...)
	}
	printTable(os.Stdout, rows)
	return nil
}

// startServer serves cfg's dashboard on a free local port until ctx ends
// and returns its base URL.
func startServer(ctx context.Context, cfg dashboard.Config) (string, error) {
	cfg.Log = quiet
	srv, err := dashboard.New(cfg)
	if err != nil {
		return "", err
	}
	addrc := make(chan net.Addr, 1)
	errc := make(chan error, 1)
	go func() {
		err := srv.ListenAndServe(ctx, "127.0.0.1:0", func(a net.Addr) { addrc <- a })
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchweb: server:", err)
		}
		errc <- err
	}()
	select {
	case a := <-addrc:
		return "http://" + a.String(), nil
	case err := <-errc:
		return "", fmt.Errorf("benchweb: start a server: %w", err)
	}
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
// command, or this program's import of two 100,000-row long tables in turn
// into t's database, written here into a temporary folder that cleanup
// removes.
func loadCommand(cmdline string, t target) (command func() []string, cleanup func(), err error) {
	if cmdline != "" {
		args := strings.Fields(strings.ReplaceAll(cmdline, "{db}", t.dbArg))
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
		return slices.Concat([]string{self, "import"}, t.importFlags, []string{files[run%2]})
	}, cleanup, nil
}

// result is one wrk run.
type result struct {
	store              string // storeSQLite or storePostgres
	page, load         string
	kind               string // idle, writing, imports or full speed, as the goals tell them apart
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
