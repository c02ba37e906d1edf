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
//	benchimport [-rows 100000,1000000] [-dir DIR] [-keep]
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
		default:
			err = fmt.Errorf("unknown step %q", os.Args[1])
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchimport:", err)
			os.Exit(1)
		}
		return
	}
	rowsFlag := flag.String("rows", "100000,1000000", "sizes of the long tables, comma-separated")
	dir := flag.String("dir", "", "folder for the files and databases (default: a temporary one)")
	keep := flag.Bool("keep", false, "keep the files")
	flag.Parse()
	if err := run(*rowsFlag, *dir, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "benchimport:", err)
		os.Exit(1)
	}
}

// step is what a child process reports.
type step struct {
	Rows    int64   `json:"rows"`
	Seconds float64 `json:"seconds"`
	Values  int     `json:"values,omitempty"`
	Err     string  `json:"err,omitempty"`
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

// result is a step with the peak memory of its process.
type result struct {
	step
	PeakMB float64
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
	if p := os.Getenv("BENCH_CPUPROFILE"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			return err
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	res, err := benchdata.Import(db, path, benchLimits)
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(step{Rows: res.Rows, Seconds: time.Since(start).Seconds(), Values: res.New + res.Changed,
		OwnPeakMB: ownPeakMB()})
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

func run(sizes, dir string, keep bool) error {
	var counts []int
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("-rows: %q is not a row count", s)
		}
		counts = append(counts, n)
	}
	if dir == "" {
		d, err := os.MkdirTemp("", "chitieu-bench-")
		if err != nil {
			return err
		}
		dir = d
		if !keep {
			defer os.RemoveAll(dir)
		}
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	py := python()
	if py == "" {
		fmt.Println("openpyxl not found: apt-get install -y python3-openpyxl (its column stays empty)")
	}
	table, err := benchdata.Builtin()
	if err != nil {
		return err
	}
	fmt.Printf("%s/%s, %d CPU, Go %s; long tables of 7 columns\n\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "file\trows\tMB\topenpyxl rows/s\texcelize Rows rows/s\tchitieu reader rows/s\tchitieu import rows/s\timport ÷ excelize\timport ÷ openpyxl\timport s\timport peak MB\tagain s\tagain peak MB\tB/value\tB/event\tdb MB\t")
	var failures []string
	for _, n := range counts {
		for _, shared := range []bool{false, true} {
			kind := "inline"
			if shared {
				kind = "shared"
			}
			name := fmt.Sprintf("long-%d-%s.xlsx", n, kind)
			path := filepath.Join(dir, name)
			fmt.Fprintf(os.Stderr, "writing %s…\n", name)
			if shared {
				err = table.WriteShared(path, n)
			} else {
				err = table.WriteInline(path, n)
			}
			if err != nil {
				return err
			}
			st, _ := os.Stat(path)
			var py3 result
			if py != "" {
				fmt.Fprintf(os.Stderr, "  openpyxl…\n")
				py3 = child(py, "-c", openpyxlScript, path)
			}
			fmt.Fprintf(os.Stderr, "  excelize…\n")
			ex := child(self, "excelize", path)
			fmt.Fprintf(os.Stderr, "  chitieu reader…\n")
			rd := child(self, "reader", path)
			fmt.Fprintf(os.Stderr, "  chitieu import…\n")
			dbPath := filepath.Join(dir, name+".db")
			im := child(self, "import", path, dbPath)
			var again result
			var wt weight
			if im.Err == "" {
				fmt.Fprintf(os.Stderr, "  chitieu import again…\n")
				again = child(self, "reimport", path, dbPath)
				if wt, err = weigh(dbPath); err != nil {
					failures = append(failures, fmt.Sprintf("%s: %v", name, err))
				}
			}
			os.Remove(dbPath)
			os.Remove(dbPath + "-wal")
			os.Remove(dbPath + "-shm")
			for label, r := range map[string]result{"openpyxl": py3, "excelize": ex, "reader": rd, "import": im, "import again": again} {
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
			if !keep {
				os.Remove(path)
			}
		}
	}
	tw.Flush()
	fmt.Println("\nGoals: import ≥ 0.8× excelize's bare iteration (≥ 2.5× openpyxl); 1,000,000 rows ≤ 40 s with peak RSS ≤ 300 MB.")
	fmt.Println("Rows/s count the rows of the sheet, header included; each column ran in a process of its own.")
	fmt.Println("\"again\": the same file imported a second time into the same database, changing nothing (goal: peak ≤ 150 MB at 1,000,000 rows).")
	fmt.Println("B/value and B/event: pages of data_values and of audit_events, indexes included (dbstat), per row, after both imports.")
	for _, f := range failures {
		fmt.Println("FAILED:", f)
	}
	if len(failures) > 0 {
		return fmt.Errorf("%d steps failed", len(failures))
	}
	return nil
}
