// Command benchreport measures the report exports, as `make bench-report`
// runs it. It fills a database with a million values written through the
// store (once: the database is kept for later runs), then runs `chitieu
// report data` (xlsx and CSV), `chitieu report audit` (the whole history:
// an audit event per value) and `chitieu report progress` for every plan
// and period of the catalogue, each in a process of its own, and prints the
// seconds and the peak resident memory of each in a table.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"syscall"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/catalog"
	"chitieu/indicators/sqlite"
)

func main() {
	n := flag.Int("n", 1_000_000, "values in the benchmark database")
	dbPath := flag.String("db", "bin/bench-report.db", "benchmark database (made when missing or short of values)")
	bin := flag.String("bin", "bin/chitieu", "the chitieu binary to measure")
	outDir := flag.String("out", "bin/bench-report", "folder for the reports written")
	fillOnly := flag.Bool("fill-only", false, "fill the database and stop")
	flag.Parse()
	var err error
	if *fillOnly {
		_, err = fill(context.Background(), *n, *dbPath)
	} else {
		err = run(context.Background(), *n, *dbPath, *bin, *outDir)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, n int, dbPath, bin, outDir string) error {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	// The database is filled by a process of its own: on Linux a child's
	// peak memory counts its parent's at the moment it was started, and
	// filling takes this process to a few hundred MB.
	self, err := os.Executable()
	if err != nil {
		return err
	}
	filler := exec.Command(self, "-fill-only", "-n", fmt.Sprint(n), "-db", dbPath)
	filler.Stdout, filler.Stderr = os.Stdout, os.Stderr
	if err := filler.Run(); err != nil {
		return fmt.Errorf("fill %s: %w", dbPath, err)
	}
	runs, err := fill(ctx, n, dbPath) // lists the runs; the database is full
	if err != nil {
		return err
	}
	const row = "%-52s %9s %9s %14s %10s\n"
	fmt.Printf(row, "report", "seconds", "CPU s", "peak RSS (MB)", "file (MB)")
	var total measurement
	for _, r := range runs {
		out := filepath.Join(outDir, r.out)
		os.Remove(out)
		m, err := measure(bin, append(r.args, "--db", dbPath, "--out", out))
		if err != nil {
			return fmt.Errorf("%s: %w", r.name, err)
		}
		if st, err := os.Stat(out); err == nil {
			m.size = float64(st.Size()) / (1 << 20)
		}
		fmt.Printf(row, r.name, fmt.Sprintf("%.2f", m.secs), fmt.Sprintf("%.2f", m.cpu), fmt.Sprintf("%.1f", m.rss), fmt.Sprintf("%.1f", m.size))
		if r.progress {
			total.secs += m.secs
			total.cpu += m.cpu
			total.rss = max(total.rss, m.rss)
			total.size += m.size
		}
	}
	fmt.Printf(row, "progress, whole catalogue (sum; RSS the largest)", fmt.Sprintf("%.2f", total.secs),
		fmt.Sprintf("%.2f", total.cpu), fmt.Sprintf("%.1f", total.rss), fmt.Sprintf("%.1f", total.size))
	return nil
}

// benchRun is one report to measure.
type benchRun struct {
	name     string
	args     []string
	out      string
	progress bool
}

// measurement is what one run cost.
type measurement struct {
	secs, cpu, rss, size float64
}

// fill makes sure the database holds at least n values, adding what is
// missing through the store, and lists the reports to run on it.
func fill(ctx context.Context, n int, dbPath string) ([]benchRun, error) {
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o755); err != nil {
		return nil, err
	}
	clock := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { clock = clock.Add(time.Millisecond); return clock }
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := sqlite.Open(ctx, dbPath, sqlite.WithClock(now), sqlite.WithLogger(quiet))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	ctx = indicators.WithActor(ctx, indicators.Actor{User: "bench"})
	cat, err := catalog.Builtin()
	if err != nil {
		return nil, err
	}
	if _, err := db.LoadCatalog(ctx, cat); err != nil {
		return nil, err
	}
	have, err := db.CountValues(ctx, indicators.ValueFilter{})
	if err != nil {
		return nil, err
	}
	if have < n {
		if err := generate(ctx, db, cat, have, n); err != nil {
			return nil, err
		}
	}
	total, err := db.CountValues(ctx, indicators.ValueFilter{})
	if err != nil {
		return nil, err
	}
	head, err := db.AuditHead(ctx)
	if err != nil {
		return nil, err
	}
	runs := []benchRun{
		{fmt.Sprintf("data export, %d values (xlsx)", total), []string{"report", "data"}, "data.xlsx", false},
		{fmt.Sprintf("data export, %d values (csv)", total), []string{"report", "data"}, "data.csv", false},
		// Every value was written with its audit event: the whole history
		// holds as many events as the database has values, and more.
		{fmt.Sprintf("audit history, %d events (xlsx)", head.Events), []string{"report", "audit"}, "audit.xlsx", false},
	}
	plans, err := db.Plans(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range plans {
		ts, err := db.Targets(ctx, indicators.TargetFilter{Plan: p.ID})
		if err != nil {
			return nil, err
		}
		periods := map[string]bool{}
		for _, t := range ts {
			periods[t.Period.String()] = true
		}
		if p.Parent == "" { // a root plan's report covers its children's targets
			for _, q := range plans {
				if q.Parent == p.ID {
					cts, err := db.Targets(ctx, indicators.TargetFilter{Plan: q.ID})
					if err != nil {
						return nil, err
					}
					for _, t := range cts {
						periods[t.Period.String()] = true
					}
				}
			}
		}
		var list []string
		for per := range periods {
			list = append(list, per)
		}
		sort.Strings(list)
		for _, per := range list {
			runs = append(runs, benchRun{fmt.Sprintf("progress %s %s", p.Code, per),
				[]string{"report", "progress", "--plan", p.ID, "--period", per}, fmt.Sprintf("progress-%s-%s.xlsx", p.ID, per), true})
		}
	}
	return runs, nil
}

// generate adds values from the have-th up to the n-th: every indicator of
// the catalogue for the city and its districts, official and estimate,
// month after month, with one value in ten entered again later so that the
// export holds superseded values too.
func generate(ctx context.Context, db *sqlite.DB, cat *indicators.Catalog, have, n int) error {
	var units []string
	for _, u := range cat.Units {
		if u.Kind == indicators.City || u.Kind == indicators.District {
			units = append(units, u.Code)
		}
	}
	inds := cat.Indicators
	keyOf := func(j int) indicators.Key {
		ind := inds[j%len(inds)].Code
		j /= len(inds)
		unit := units[j%len(units)]
		j /= len(units)
		typ := []indicators.ValueType{indicators.OfficialValue, indicators.EstimateValue}[j%2]
		j /= 2
		return indicators.Key{Indicator: ind, Unit: unit, Type: typ,
			Period: indicators.Period{Year: 1970 + j/12, Kind: indicators.Month, N: 1 + j%12}}
	}
	start := time.Now()
	const chunk = 5000
	batch := make([]indicators.Value, 0, chunk)
	for i := have; i < n; i++ {
		j := i - i/10 // the index of the key among distinct keys
		if i%10 == 9 {
			j -= 5 // enter an earlier key again
		}
		v := indicators.Value{Key: keyOf(j), Value: float64(i%9973) - 100 + float64(i%7)/8, Source: "BENCH"}
		if i%50 == 0 {
			v.Note = "số liệu thử tải"
		}
		batch = append(batch, v)
		if len(batch) == chunk || i == n-1 {
			if err := db.AddValues(ctx, batch); err != nil {
				return err
			}
			batch = batch[:0]
			if (i+1)/100_000 != (i+1-chunk)/100_000 || i == n-1 {
				fmt.Fprintf(os.Stderr, "benchreport: %d of %d values in the database (%.0f s)\n", i+1, n, time.Since(start).Seconds())
			}
		}
	}
	return nil
}

// measure runs the binary and returns its wall time, its CPU time (user
// and system) and its peak resident memory in megabytes.
func measure(bin string, args []string) (measurement, error) {
	cmd := exec.Command(bin, args...)
	cmd.Stdout = io.Discard
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return measurement{}, err
	}
	m := measurement{secs: time.Since(start).Seconds()}
	m.cpu = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.rss = float64(ru.Maxrss) / 1024 // kilobytes on Linux
	}
	return m, nil
}
