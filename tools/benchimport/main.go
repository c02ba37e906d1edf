// Command benchimport measures chitieu's import of long tables end to end —
// parse, validate, preview, commit with audit, into a fresh database — and
// sets it beside excelize's bare Rows iteration and openpyxl's read-only
// iteration of the same files, each run in a process of its own so that
// its peak memory is its own. The same file is then imported a second
// time into the same database, where it changes nothing, and the database
// is weighed with SQLite's dbstat: bytes per stored value and per audit
// event, indexes included. `make bench-import` runs it; it prints a table,
// and asserts nothing.
//
// Given a PostgreSQL database (-postgres, BENCH_POSTGRES or
// CHITIEU_TEST_POSTGRES), each file is also imported, and imported again,
// into a fresh schema there, in the same run and each in a process of its
// own, and a second table sets the two stores side by side: seconds, peak
// memory, CPU of the importing process and of the server's processes, and
// PostgreSQL's time over SQLite's. -runs repeats the imports and prints
// the ranges, with the load average over each file, since the machine a
// benchmark runs on is seldom quiet.
//
//	benchimport [-rows 100000,1000000] [-shapes inline,shared] [-runs N]
//	            [-postgres URL] [-readers=false] [-dir DIR] [-keep]
package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/xuri/excelize/v2"

	"chitieu/importers"
	"chitieu/indicators"
	"chitieu/indicators/catalog"
	"chitieu/indicators/sqlite"
	"chitieu/tools/benchdata"
	"chitieu/tools/internal/machine"
)

func main() {
	if len(os.Args) > 2 && !strings.HasPrefix(os.Args[1], "-") {
		var err error
		switch os.Args[1] {
		case "excelize":
			err = measure(func() (int64, error) { return excelizeRows(os.Args[2]) })
		case "reader":
			err = measure(func() (int64, error) { return readerRows(os.Args[2]) })
		case "import":
			err = importOnce(os.Args[2], os.Args[3])
		case "reimport":
			err = reimport(os.Args[2], os.Args[3])
		case "pgimport":
			err = pgImportOnce(os.Args[2], os.Args[3], os.Args[4])
		case "pgreimport":
			err = pgReimport(os.Args[2], os.Args[3], os.Args[4])
		default:
			err = fmt.Errorf("unknown step %q", os.Args[1])
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchimport:", err)
			os.Exit(1)
		}
		return
	}
	var o options
	flag.StringVar(&o.sizes, "rows", "100000,1000000", "sizes of the long tables, comma-separated")
	flag.StringVar(&o.shapes, "shapes", "inline,shared", "how the files hold their strings: inline, shared or both")
	flag.IntVar(&o.runs, "runs", 1, "how many times each file is imported into each store")
	flag.StringVar(&o.postgres, "postgres", "", "a PostgreSQL database to import into as well (default: $BENCH_POSTGRES, else $CHITIEU_TEST_POSTGRES)")
	flag.BoolVar(&o.readers, "readers", true, "measure the bare readers (openpyxl, excelize, chitieu's) too")
	flag.StringVar(&o.dir, "dir", "", "folder for the files and databases (default: a temporary one)")
	flag.BoolVar(&o.keep, "keep", false, "keep the files")
	flag.Parse()
	o.postgres = postgresURL(o.postgres)
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "benchimport:", err)
		os.Exit(1)
	}
}

// step is what a child process reports.
type step struct {
	Rows    int64   `json:"rows"`
	Seconds float64 `json:"seconds"`
	Values  int     `json:"values,omitempty"`
	// ServerCPU is the CPU seconds of the PostgreSQL server's processes
	// that served the step, when they could be read.
	ServerCPU float64 `json:"server_cpu,omitempty"`
	Err       string  `json:"err,omitempty"`
	// OwnPeakMB is the step's peak RSS as its process saw it (VmHWM).
	// The rusage of a child counts the parent's peak as well, since the
	// child starts in the parent's memory until it execs: after writing
	// a million-row file the parent's 125 MB hid every smaller peak.
	OwnPeakMB float64 `json:"own_peak_mb,omitempty"`
}

// ownPeakMB reads this process's peak RSS from /proc/self/status; 0
// where there is none.
func ownPeakMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			if err == nil {
				return kb / 1024
			}
		}
	}
	return 0
}

// result is a step with the peak memory and CPU time of its process.
type result struct {
	step
	PeakMB float64
	CPU    float64 // user and system seconds of the process
	Note   string
}

func (r result) rate() float64 {
	if r.Seconds == 0 {
		return 0
	}
	return float64(r.Rows) / r.Seconds
}

func measure(f func() (int64, error)) error {
	start := time.Now()
	n, err := f()
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(step{Rows: n, Seconds: time.Since(start).Seconds(), OwnPeakMB: ownPeakMB()})
}

// excelizeRows is the practical limit: open the file with excelize and
// iterate every row of the first sheet with Rows and Columns.
func excelizeRows(path string) (int64, error) {
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: 2 << 30, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return 0, err
	}
	defer f.Close()
	rows, err := f.Rows(f.GetSheetList()[0])
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int64
	for rows.Next() {
		if _, err := rows.Columns(); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Error()
}

// readerRows iterates the first sheet with chitieu's own reader, bare.
func readerRows(path string) (int64, error) {
	u, err := importers.ReceiveFile(path, "", benchLimits)
	if err != nil {
		return 0, err
	}
	defer u.Close()
	wb, err := importers.OpenWorkbook(u, benchLimits)
	if err != nil {
		return 0, err
	}
	defer wb.Close()
	sr, err := wb.OpenSheet(wb.Sheets[0].Name)
	if err != nil {
		return 0, err
	}
	defer sr.Close()
	var n int64
	for sr.Next() {
		n++
	}
	return n, sr.Err()
}

// benchLimits lets the million-row files through: their size is the point.
var benchLimits = importers.Limits{MaxBytes: 512 << 20}

// importOnce imports a file end to end into a fresh database.
func importOnce(path, dbPath string) error {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "bench"})
	db, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	cat, err := catalog.Builtin()
	if err != nil {
		return err
	}
	if _, err := db.LoadCatalog(ctx, cat); err != nil {
		return err
	}
	stop, err := startProfile()
	if err != nil {
		return err
	}
	defer stop()
	start := time.Now()
	res, err := benchdata.Import(db, path, benchLimits)
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(step{Rows: res.Rows, Seconds: time.Since(start).Seconds(), Values: res.New + res.Changed,
		OwnPeakMB: ownPeakMB()})
}

// startProfile writes a CPU profile of the import to BENCH_CPUPROFILE,
// when set.
func startProfile() (stop func(), err error) {
	p := os.Getenv("BENCH_CPUPROFILE")
	if p == "" {
		return func() {}, nil
	}
	f, err := os.Create(p)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// reimport imports a file again into the database that already holds it:
// every reading is compared with the value in force and nothing is stored.
func reimport(path, dbPath string) error {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "bench"})
	db, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := importers.ReceiveFile(path, "", benchLimits)
	if err != nil {
		return err
	}
	defer u.Close()
	if p := os.Getenv("BENCH_MEMPROFILE"); p != "" {
		defer heapAtPeak(p)()
	}
	start := time.Now()
	res, err := (&importers.Importer{Store: db, Limits: benchLimits}).Import(ctx, u, importers.Options{ConfirmNote: "số liệu thử cho đo tốc độ (benchmark data)"})
	if err != nil {
		return err
	}
	if res.New+res.Changed != 0 || res.Rejected != 0 {
		return fmt.Errorf("%s imported again: %d new, %d changed, %d rejected; want nothing", path, res.New, res.Changed, res.Rejected)
	}
	return json.NewEncoder(os.Stdout).Encode(step{Rows: res.Rows, Seconds: time.Since(start).Seconds(), OwnPeakMB: ownPeakMB()})
}

// heapAtPeak writes a heap profile to path each time the heap in use
// reaches a new high, until stopped: the profile then shows what was live
// at the last collection before the peak (go tool pprof
// -sample_index=inuse_space).
func heapAtPeak(path string) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var high uint64
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if n := sample[0].Value.Uint64(); n > high+high/20 {
				high = n
				if f, err := os.Create(path); err == nil {
					pprof.Lookup("heap").WriteTo(f, 0)
					f.Close()
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

// weight is what a database spends on its values and its audit trail.
type weight struct {
	Values, Events         int64
	ValueBytes, EventBytes int64 // tables and their indexes, from dbstat
	FileBytes              int64
}

// weigh reads, with SQLite's dbstat, the bytes of the pages that hold the
// values (data_values and its indexes) and the audit events (audit_events
// and its indexes).
func weigh(dbPath string) (weight, error) {
	var w weight
	db, err := sql.Open("sqlite", "file:"+dbPath+"?mode=ro")
	if err != nil {
		return w, err
	}
	defer db.Close()
	for _, q := range []struct {
		sql  string
		dest *int64
	}{
		{`SELECT COUNT(*) FROM data_values`, &w.Values},
		{`SELECT COUNT(*) FROM audit_events`, &w.Events},
		{`SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = 'data_values')`, &w.ValueBytes},
		{`SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = 'audit_events')`, &w.EventBytes},
		{`SELECT page_count * page_size FROM pragma_page_count, pragma_page_size`, &w.FileBytes},
	} {
		if err := db.QueryRow(q.sql).Scan(q.dest); err != nil {
			return w, fmt.Errorf("weigh %s: %w", dbPath, err)
		}
	}
	return w, nil
}

func per(bytes, n int64) string {
	if n == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f", float64(bytes)/float64(n))
}

// child runs a step in a process of its own and reads its peak memory.
func child(name string, args ...string) result {
	cmd := exec.Command(name, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var r result
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.PeakMB = float64(ru.Maxrss) / 1024 // kilobytes on Linux
		}
		r.CPU = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	}
	if err != nil {
		r.Err = strings.TrimSpace(errb.String() + " " + err.Error())
		return r
	}
	if jerr := json.Unmarshal(lastLine(out.Bytes()), &r.step); jerr != nil {
		r.Err = fmt.Sprintf("cannot read %q: %v", out.String(), jerr)
	}
	if r.OwnPeakMB > 0 {
		r.PeakMB = r.OwnPeakMB
	}
	// Each step's figures as it ends, so that a long run cut short
	// still tells what it measured.
	fmt.Fprintf(os.Stderr, "    %.1f s, peak %.0f MB, CPU %.1f s, server CPU %.1f s; load average %s\n",
		r.Seconds, r.PeakMB, r.CPU, r.ServerCPU, machine.LoadAverage())
	return r
}

func lastLine(b []byte) []byte {
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	return lines[len(lines)-1]
}

const openpyxlScript = `
import sys, time, json
import openpyxl
start = time.perf_counter()
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
ws = wb.worksheets[0]
ws.reset_dimensions()  # read every row, whatever the sheet's dimension says
n = 0
for row in ws.iter_rows(values_only=True):
    n += 1
print(json.dumps({"rows": n, "seconds": time.perf_counter() - start}))
`

// python finds a Python with openpyxl: Debian's python3-openpyxl lives in
// /usr/bin/python3, which may not be the first python3 on the path.
func python() string {
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import openpyxl").Run() == nil {
			return p
		}
	}
	return ""
}

// options are the command's flags.
type options struct {
	sizes, shapes, dir, postgres string
	runs                         int
	readers, keep                bool
}

func run(o options) error {
	var counts []int
	for _, s := range strings.Split(o.sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("-rows: %q is not a row count", s)
		}
		counts = append(counts, n)
	}
	var shapes []string
	for _, s := range strings.Split(o.shapes, ",") {
		s = strings.TrimSpace(s)
		if s != "inline" && s != "shared" {
			return fmt.Errorf("-shapes: %q is neither inline nor shared", s)
		}
		shapes = append(shapes, s)
	}
	if o.runs < 1 {
		return fmt.Errorf("-runs: %d is not a number of runs", o.runs)
	}
	dir := o.dir
	if dir == "" {
		d, err := os.MkdirTemp("", "chitieu-bench-")
		if err != nil {
			return err
		}
		dir = d
		if !o.keep {
			defer os.RemoveAll(dir)
		}
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	py := ""
	if o.readers {
		if py = python(); py == "" {
			fmt.Println("openpyxl not found: apt-get install -y python3-openpyxl (its column stays empty)")
		}
	}
	table, err := benchdata.Builtin()
	if err != nil {
		return err
	}
	fmt.Printf("%s/%s, %d CPU, Go %s; long tables of 7 columns; load average %s\n\n", runtime.GOOS, runtime.GOARCH,
		runtime.NumCPU(), runtime.Version(), machine.LoadAverage())
	if o.postgres == "" {
		fmt.Println("PostgreSQL: none given (-postgres, BENCH_POSTGRES or CHITIEU_TEST_POSTGRES); its column stays out")
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "file\trows\tMB\topenpyxl rows/s\texcelize Rows rows/s\tchitieu reader rows/s\tchitieu import rows/s\timport ÷ excelize\timport ÷ openpyxl\timport s\timport peak MB\tagain s\tagain peak MB\tB/value\tB/event\tdb MB\t")
	var failures []string
	var compared []comparison
	for _, n := range counts {
		for _, kind := range shapes {
			name := fmt.Sprintf("long-%d-%s.xlsx", n, kind)
			path := filepath.Join(dir, name)
			fmt.Fprintf(os.Stderr, "writing %s…\n", name)
			if kind == "shared" {
				err = table.WriteShared(path, n)
			} else {
				err = table.WriteInline(path, n)
			}
			if err != nil {
				return err
			}
			st, _ := os.Stat(path)
			var py3, ex, rd result
			if o.readers {
				if py != "" {
					fmt.Fprintf(os.Stderr, "  openpyxl…\n")
					py3 = child(py, "-c", openpyxlScript, path)
				}
				fmt.Fprintf(os.Stderr, "  excelize…\n")
				ex = child(self, "excelize", path)
				fmt.Fprintf(os.Stderr, "  chitieu reader…\n")
				rd = child(self, "reader", path)
			}
			cmp := comparison{file: name, rows: n, loadFrom: machine.LoadAverage()}
			var im, again result
			var wt weight
			for r := 0; r < o.runs; r++ {
				// Each run imports into both stores, one after the other,
				// the order turned each time so that neither always
				// meets the machine's state the other left.
				order := []bool{false, true}
				if r%2 == 1 {
					order = []bool{true, false}
				}
				for _, pg := range order {
					if pg && o.postgres == "" {
						continue
					}
					var first, second result
					if pg {
						first, second, err = importPostgres(self, path, o.postgres, dir)
						if err != nil {
							return err
						}
						cmp.pg = append(cmp.pg, first)
						cmp.pgAgain = append(cmp.pgAgain, second)
					} else {
						var w weight
						first, second, w = importSQLite(self, path, dir, &failures)
						cmp.lite = append(cmp.lite, first)
						cmp.liteAgain = append(cmp.liteAgain, second)
						if r == 0 {
							im, again, wt = first, second, w
						}
					}
					label := "SQLite"
					if pg {
						label = "PostgreSQL"
					}
					for step, res := range map[string]result{"import": first, "import again": second} {
						if res.Err != "" {
							failures = append(failures, fmt.Sprintf("%s %s %s (run %d): %s", name, label, step, r+1, res.Err))
						}
					}
				}
			}
			cmp.loadTo = machine.LoadAverage()
			compared = append(compared, cmp)
			for label, r := range map[string]result{"openpyxl": py3, "excelize": ex, "reader": rd} {
				if r.Err != "" {
					failures = append(failures, fmt.Sprintf("%s %s: %s", name, label, r.Err))
				}
			}
			ratio := func(a, b result) string {
				if a.rate() == 0 || b.rate() == 0 {
					return "—"
				}
				return fmt.Sprintf("%.2f×", a.rate()/b.rate())
			}
			rate := func(r result) string {
				if r.rate() == 0 {
					return "—"
				}
				return indicators.FormatNumber(r.rate(), 0, "en")
			}
			fmt.Fprintf(tw, "%s\t%s\t%.1f\t%s\t%s\t%s\t%s\t%s\t%s\t%.1f\t%.0f\t%.1f\t%.0f\t%s\t%s\t%.0f\t\n", name, indicators.FormatNumber(float64(n), 0, "en"),
				float64(st.Size())/(1<<20), rate(py3), rate(ex), rate(rd), rate(im), ratio(im, ex), ratio(im, py3), im.Seconds, im.PeakMB,
				again.Seconds, again.PeakMB, per(wt.ValueBytes, wt.Values), per(wt.EventBytes, wt.Events), float64(wt.FileBytes)/(1<<20))
			if !o.keep {
				os.Remove(path)
			}
		}
	}
	tw.Flush()
	fmt.Println("\nGoals: import ≥ 0.8× excelize's bare iteration (≥ 2.5× openpyxl); 1,000,000 rows ≤ 40 s with peak RSS ≤ 300 MB.")
	fmt.Println("Rows/s count the rows of the sheet, header included; each column ran in a process of its own.")
	fmt.Println("\"again\": the same file imported a second time into the same database, changing nothing (goal: peak ≤ 150 MB at 1,000,000 rows).")
	fmt.Println("B/value and B/event: pages of data_values and of audit_events, indexes included (dbstat), per row, after both imports.")
	if o.postgres != "" || o.runs > 1 {
		printComparison(compared, o.postgres != "")
	}
	for _, f := range failures {
		fmt.Println("FAILED:", f)
	}
	if len(failures) > 0 {
		return fmt.Errorf("%d steps failed", len(failures))
	}
	return nil
}

// importSQLite imports the file into a fresh SQLite database, then again,
// weighs the database and removes it.
func importSQLite(self, path, dir string, failures *[]string) (first, again result, wt weight) {
	fmt.Fprintf(os.Stderr, "  chitieu import, SQLite…\n")
	dbPath := filepath.Join(dir, filepath.Base(path)+".db")
	first = child(self, "import", path, dbPath)
	if first.Err == "" {
		fmt.Fprintf(os.Stderr, "  chitieu import again, SQLite…\n")
		again = child(self, "reimport", path, dbPath)
		var err error
		if wt, err = weigh(dbPath); err != nil {
			*failures = append(*failures, fmt.Sprintf("%s: %v", filepath.Base(path), err))
		}
	}
	os.Remove(dbPath)
	os.Remove(dbPath + "-wal")
	os.Remove(dbPath + "-shm")
	return first, again, wt
}

// importPostgres imports the file into a fresh schema of the PostgreSQL
// database, then again, and drops the schema.
func importPostgres(self, path, base, dir string) (first, again result, err error) {
	dsn, drop, err := freshSchema(base)
	if err != nil {
		return first, again, err
	}
	defer drop()
	key := filepath.Join(dir, "postgres.key")
	os.Remove(key)
	os.Remove(filepath.Join(dir, "postgres.heads"))
	fmt.Fprintf(os.Stderr, "  chitieu import, PostgreSQL…\n")
	first = child(self, "pgimport", path, dsn, key)
	if first.Err == "" {
		fmt.Fprintf(os.Stderr, "  chitieu import again, PostgreSQL…\n")
		again = child(self, "pgreimport", path, dsn, key)
	}
	return first, again, nil
}
