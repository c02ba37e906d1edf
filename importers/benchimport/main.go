// Command benchimport measures chitieu's import of long tables end to end —
// parse, validate, preview, commit with audit, into a fresh database — and
// sets it beside excelize's bare Rows iteration and openpyxl's read-only
// iteration of the same files, each run in a process of its own so that
// its peak memory is its own. `make bench-import` runs it; it prints a
// table, and asserts nothing.
//
//	benchimport [-rows 100000,1000000] [-dir DIR] [-keep]
package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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
	return json.NewEncoder(os.Stdout).Encode(step{Rows: n, Seconds: time.Since(start).Seconds()})
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
	u, err := importers.ReceiveFile(path, "", benchLimits)
	if err != nil {
		return err
	}
	defer u.Close()
	im := &importers.Importer{Store: db, Limits: benchLimits}
	res, err := im.Import(ctx, u, importers.Options{})
	if err != nil {
		return err
	}
	if res.Batch == 0 || res.Rejected > 0 {
		return fmt.Errorf("import stored no batch (%d rejected: %v)", res.Rejected, res.Errors)
	}
	return json.NewEncoder(os.Stdout).Encode(step{Rows: res.Rows, Seconds: time.Since(start).Seconds(), Values: res.New + res.Changed})
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
	units, err := benchUnits()
	if err != nil {
		return err
	}
	inds, err := catalog.Builtin()
	if err != nil {
		return err
	}
	fmt.Printf("%s/%s, %d CPU, Go %s; long tables of 7 columns\n\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "file\trows\tMB\topenpyxl rows/s\texcelize Rows rows/s\tchitieu reader rows/s\tchitieu import rows/s\timport ÷ excelize\timport ÷ openpyxl\timport s\timport peak MB\t")
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
				err = writeShared(path, n, inds.Indicators, units)
			} else {
				err = writeInline(path, n, inds.Indicators, units)
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
			os.Remove(dbPath)
			os.Remove(dbPath + "-wal")
			os.Remove(dbPath + "-shm")
			for label, r := range map[string]result{"openpyxl": py3, "excelize": ex, "reader": rd, "import": im} {
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
			fmt.Fprintf(tw, "%s\t%s\t%.1f\t%s\t%s\t%s\t%s\t%s\t%s\t%.1f\t%.0f\t\n", name, indicators.FormatNumber(float64(n), 0, "en"),
				float64(st.Size())/(1<<20), rate(py3), rate(ex), rate(rd), rate(im), ratio(im, ex), ratio(im, py3), im.Seconds, im.PeakMB)
			if !keep {
				os.Remove(path)
			}
		}
	}
	tw.Flush()
	fmt.Println("\nGoals: import ≥ 0.8× excelize's bare iteration (≥ 2.5× openpyxl); 1,000,000 rows ≤ 40 s with peak RSS ≤ 300 MB.")
	fmt.Println("Rows/s count the rows of the sheet, header included; each column ran in a process of its own.")
	for _, f := range failures {
		fmt.Println("FAILED:", f)
	}
	if len(failures) > 0 {
		return fmt.Errorf("%d steps failed", len(failures))
	}
	return nil
}

// benchUnits are the catalogue's units that existed from 2005 to mid-2025,
// the months the long tables cover.
func benchUnits() ([]string, error) {
	c, err := catalog.Builtin()
	if err != nil {
		return nil, err
	}
	from := time.Date(2005, 1, 1, 0, 0, 0, 0, indicators.Vietnam)
	to := time.Date(2025, 6, 30, 0, 0, 0, 0, indicators.Vietnam)
	var out []string
	for _, u := range c.Units {
		if u.ValidOn(from) && u.ValidOn(to) {
			out = append(out, u.Code)
		}
	}
	return out, nil
}

var benchHeader = []string{"Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị", "Kỳ", "Loại số liệu", "Giá trị", "Ghi chú"}

var benchTypes = []string{"Thực hiện", "Ước thực hiện", "Kế hoạch"}

// benchRow is row i of a long table: every row a different key (indicator
// × type × unit × month), months from January 2005.
func benchRow(i int, inds []indicators.Indicator, units []string) (code, name, unit, period, typ string, value float64, note string) {
	in := inds[i%len(inds)]
	i /= len(inds)
	typ = benchTypes[i%3]
	i /= 3
	unit = units[i%len(units)]
	m := i / len(units)
	period = fmt.Sprintf("%04d-%02d", 2005+m/12, m%12+1)
	value = float64((i*7919+m*104729)%1000000) / 100
	if i%97 == 0 {
		note = "Số liệu sơ bộ"
	}
	return in.Code, in.NameVI, unit, period, typ, value, note
}

// writeInline writes a long table as excelize's StreamWriter does, with
// inline strings.
func writeInline(path string, n int, inds []indicators.Indicator, units []string) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	head := make([]any, len(benchHeader))
	for i, h := range benchHeader {
		head[i] = h
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	row := make([]any, 7)
	for i := 0; i < n; i++ {
		code, name, unit, period, typ, value, note := benchRow(i, inds, units)
		row[0], row[1], row[2], row[3], row[4], row[5] = code, name, unit, period, typ, value
		row[6] = nil
		if note != "" {
			row[6] = note
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

// writeShared writes a long table as Excel does: every text in the shared
// string table, cells with their references and styles, rows with spans.
func writeShared(path string, n int, inds []indicators.Indicator, units []string) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	defer out.Close()
	zw := zip.NewWriter(out)
	put := func(name, body string) error {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, body)
		return err
	}
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	for _, p := range [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" + `<workbook ` + ns + ` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800" windowHeight="12300"/></bookViews><sheets><sheet name="Số liệu" sheetId="1" r:id="rId1"/></sheets><calcPr calcId="191029"/></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{"xl/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" + `<styleSheet ` + ns + `><numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`},
	} {
		if err := put(p[0], p[1]); err != nil {
			return err
		}
	}
	index := map[string]int{}
	var table []string
	sst := func(s string) int {
		i, ok := index[s]
		if !ok {
			i = len(table)
			index[s] = i
			table = append(table, s)
		}
		return i
	}
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	var b []byte
	b = append(b, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\r\n"+`<worksheet `+ns+`><dimension ref="A1:G`...)
	b = strconv.AppendInt(b, int64(n+1), 10)
	b = append(b, `"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData>`...)
	text := func(col byte, r int, s string) {
		b = append(b, `<c r="`...)
		b = append(b, col)
		b = strconv.AppendInt(b, int64(r), 10)
		b = append(b, `" t="s"><v>`...)
		b = strconv.AppendInt(b, int64(sst(s)), 10)
		b = append(b, `</v></c>`...)
	}
	rowStart := func(r int) {
		b = append(b, `<row r="`...)
		b = strconv.AppendInt(b, int64(r), 10)
		b = append(b, `" spans="1:7">`...)
	}
	rowStart(1)
	for j, h := range benchHeader {
		text(byte('A'+j), 1, h)
	}
	b = append(b, `</row>`...)
	for i := 0; i < n; i++ {
		r := i + 2
		code, name, unit, period, typ, value, note := benchRow(i, inds, units)
		rowStart(r)
		text('A', r, code)
		text('B', r, name)
		text('C', r, unit)
		text('D', r, period)
		text('E', r, typ)
		b = append(b, `<c r="F`...)
		b = strconv.AppendInt(b, int64(r), 10)
		b = append(b, `" s="1"><v>`...)
		b = strconv.AppendFloat(b, value, 'f', -1, 64)
		b = append(b, `</v></c>`...)
		if note != "" {
			text('G', r, note)
		}
		b = append(b, `</row>`...)
		if len(b) > 1<<20 {
			if _, err := w.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	b = append(b, `</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`...)
	if _, err := w.Write(b); err != nil {
		return err
	}
	var s strings.Builder
	fmt.Fprintf(&s, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\r\n"+`<sst %s count="%d" uniqueCount="%d">`, ns, 7*n, len(table))
	for _, t := range table {
		s.WriteString("<si><t>")
		xmlEscape(&s, t)
		s.WriteString("</t></si>")
	}
	s.WriteString("</sst>")
	if err := put("xl/sharedStrings.xml", s.String()); err != nil {
		return err
	}
	return zw.Close()
}

func xmlEscape(s *strings.Builder, t string) {
	for _, r := range t {
		switch r {
		case '&':
			s.WriteString("&amp;")
		case '<':
			s.WriteString("&lt;")
		case '>':
			s.WriteString("&gt;")
		default:
			s.WriteRune(r)
		}
	}
}
