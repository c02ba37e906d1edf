package dashboard_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"chitieu/dashboard"
	"chitieu/dashboard/logintest"
	"chitieu/indicators"
	"chitieu/indicators/catalog"
	"chitieu/indicators/sqlite"
	"chitieu/internal/testdb"

	"github.com/xuri/excelize/v2"
)

// reportClock is the clock of the store and the server, moved by the test
// to enter values at known moments.
type reportClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *reportClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *reportClock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// syncBuffer collects the server's log lines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}
func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.buf.String() }

// vnTime is a moment in Vietnam.
func vnTime(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, indicators.Vietnam)
	if err != nil {
		panic(err)
	}
	return t
}

// The moments of the report tests: the catalogue is loaded, a planner
// enters GRDP per head for 2023, then corrects it; the reports are asked
// for as of a day between the two, and now.
var (
	loadedAt    = vnTime("2025-01-02 09:00")
	enteredAt   = vnTime("2025-03-01 10:00")
	correctedAt = vnTime("2025-09-01 10:00")
	asOfDay     = "2025-06-30"
	reportNow   = vnTime("2026-01-10 08:00")
)

const (
	firstValue     = 4900.0 // ECO-02, 2023, entered first
	correctedValue = 5100.0 // and its correction
)

// reportEnv is the real server on a fresh database with the built-in
// catalogue, the two entries above, one user per role, and the folder the
// reports are built in.
type reportEnv struct {
	ts    *httptest.Server
	srv   *dashboard.Server
	db    *sqlite.DB
	clock *reportClock
	dir   string
	logs  *syncBuffer
	users map[indicators.Role]*http.Client
}

func newReportEnv(t *testing.T, extra func(ctx context.Context, db *sqlite.DB), serve ...func(*httptest.Server)) *reportEnv {
	t.Helper()
	env := &reportEnv{clock: &reportClock{t: correctedAt}, dir: filepath.Join(t.TempDir(), "reports"), logs: &syncBuffer{},
		users: map[indicators.Role]*http.Client{}}
	db, err := sqlite.Open(context.Background(), testdb.Clone(t, "reports", buildReportDB), sqlite.WithClock(env.clock.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	env.db = db
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "chuyenvien", Role: indicators.Planner})
	if extra != nil {
		extra(ctx, db)
	}
	env.clock.set(reportNow)
	env.srv, err = dashboard.New(dashboard.Config{Store: db, Now: env.clock.now, ReportsDir: env.dir, StaleAfter: -1,
		Log: slog.New(slog.NewTextHandler(env.logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	env.ts = httptest.NewUnstartedServer(env.srv)
	for _, f := range serve {
		f(env.ts)
	}
	env.ts.Start()
	t.Cleanup(env.ts.Close)
	for _, r := range indicators.Roles {
		var units []string
		if r == indicators.Approver {
			units = []string{"CT"} // an approver heads at least one unit
		}
		logintest.AddUser(t, db, string(r), r, "", units, nil)
		env.users[r] = logintest.Login(t, env.ts.URL, string(r), "")
	}
	return env
}

// buildReportDB makes the report tests' database, once per test binary:
// the built-in catalogue loaded at loadedAt, then GRDP per head for 2023
// entered and corrected, by a planner.
func buildReportDB(path string) error {
	clock := &reportClock{t: loadedAt}
	db, err := sqlite.Open(context.Background(), path, sqlite.WithClock(clock.now))
	if err != nil {
		return err
	}
	cat, err := catalog.Builtin()
	if err != nil {
		db.Close()
		return err
	}
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "chuyenvien", Role: indicators.Planner})
	if _, err := db.LoadCatalog(ctx, cat); err != nil {
		db.Close()
		return err
	}
	k := indicators.Key{Indicator: "ECO-02", Unit: "CT-CU", Period: indicators.YearPeriod(2023), Type: indicators.OfficialValue}
	for _, e := range []struct {
		at time.Time
		v  float64
	}{{enteredAt, firstValue}, {correctedAt, correctedValue}} {
		clock.set(e.at)
		if err := db.AddValues(ctx, []indicators.Value{{Key: k, Value: e.v, Source: "Cục Thống kê", Sheet: "Biểu 02", Cell: "D7"}}); err != nil {
			db.Close()
			return err
		}
	}
	return db.Close()
}

// download GETs path as role and returns the answer with its body read.
func (env *reportEnv) download(t *testing.T, role indicators.Role, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, env.ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := env.users[role].Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

// workbook checks that a download is a finished workbook, sent with its
// headers, and opens it.
func (env *reportEnv) workbook(t *testing.T, role indicators.Role, path string) (*excelize.File, *http.Response) {
	t.Helper()
	res, body := env.download(t, role, path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s as %s = %d:\n%.500s", path, role, res.StatusCode, body)
	}
	checkDownloadHeaders(t, path, res, body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("GET %s: not a workbook: %v", path, err)
	}
	t.Cleanup(func() { f.Close() })
	return f, res
}

// checkDownloadHeaders checks that the answer offers a file of the type
// and extension, with its length and content hash.
func checkDownloadHeaders(t *testing.T, path string, res *http.Response, body []byte, contentType, ext string) {
	t.Helper()
	if got := res.Header.Get("Content-Type"); got != contentType {
		t.Errorf("GET %s: Content-Type %q, want %q", path, got, contentType)
	}
	disp, params, err := mime.ParseMediaType(res.Header.Get("Content-Disposition"))
	if err != nil || disp != "attachment" || !strings.HasSuffix(params["filename"], ext) {
		t.Errorf("GET %s: Content-Disposition %q (%v), want an attachment named *%s", path, res.Header.Get("Content-Disposition"), err, ext)
	}
	if n, err := strconv.Atoi(res.Header.Get("Content-Length")); err != nil || n != len(body) {
		t.Errorf("GET %s: Content-Length %q, body %d bytes", path, res.Header.Get("Content-Length"), len(body))
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(res.Header.Get("X-Report-Hash")) {
		t.Errorf("GET %s: X-Report-Hash %q", path, res.Header.Get("X-Report-Hash"))
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("GET %s: Cache-Control %q, want no-store", path, cc)
	}
}

// rowsOf reads a sheet's cells as stored (numbers unformatted).
func rowsOf(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("sheet %q: %v (sheets %v)", sheet, err, f.GetSheetList())
	}
	return rows
}

func cellAt(row []string, col int) string {
	if col-1 < len(row) {
		return row[col-1]
	}
	return ""
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// lastExport is the newest report.export event, decoded.
func (env *reportEnv) lastExport(t *testing.T) (indicators.AuditEvent, indicators.Export) {
	t.Helper()
	evs, err := env.db.AuditEvents(context.Background(), indicators.AuditFilter{Action: "report.export", Newest: true, Limit: 1})
	if err != nil || len(evs) != 1 {
		t.Fatalf("no report.export event: %v", err)
	}
	var e indicators.Export
	if err := json.Unmarshal([]byte(evs[0].After), &e); err != nil {
		t.Fatal(err)
	}
	return evs[0], e
}

// countExports counts the report.export events.
func (env *reportEnv) countExports(t *testing.T) int {
	t.Helper()
	evs, err := env.db.AuditEvents(context.Background(), indicators.AuditFilter{Action: "report.export"})
	if err != nil {
		t.Fatal(err)
	}
	return len(evs)
}

// tempLeft lists what is left in the reports folder.
func (env *reportEnv) tempLeft(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(env.dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// Columns of the progress report's table for 2021–2025.
const (
	pName    = 2
	pYear0   = 6 // 2021, on the annex of yearly figures
	pLatest  = 9
	pStatus  = 11
	pYears   = 5
	pFirstYr = 2021
)

// checkProgress compares every target row of the progress table with the
// tracker and the store as of asOf: the targets of group 0 of Resolution
// 59 and its family, one row each, the city's yearly values, the latest
// value and the status.
func checkProgress(t *testing.T, env *reportEnv, f *excelize.File, asOf time.Time) {
	t.Helper()
	ctx := context.Background()
	plan, err := env.db.FindPlan(ctx, "59-NQ/TW")
	if err != nil {
		t.Fatal(err)
	}
	plans, err := env.db.Plans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	for _, p := range plans {
		codes[p.ID] = p.Code
	}
	period := indicators.YearRange{From: 2021, To: 2025}
	tps, err := indicators.Tracker{Store: env.db}.Targets(ctx, plan.ID, &period, asOf)
	if err != nil {
		t.Fatal(err)
	}
	rows := rowsOf(t, f, "Tiến độ")
	targetRows := 0
	for _, r := range rows {
		if regexp.MustCompile(`^\d+$`).MatchString(cellAt(r, 1)) {
			targetRows++
		}
	}
	checked := 0
	for _, tp := range tps {
		label := "(" + tp.Target.Indicator + ", " + codes[tp.Target.Plan] + ")"
		var row []string
		for _, r := range rows {
			if strings.HasSuffix(cellAt(r, pName), label) {
				row = r
			}
		}
		if tp.Target.Group != 0 {
			if row != nil {
				t.Errorf("the report of group 0 lists %s of group %d", label, tp.Target.Group)
			}
			continue
		}
		checked++
		if row == nil {
			t.Errorf("no row for %s", label)
			continue
		}
		if got, want := cellAt(row, pStatus), tp.Progress.Status.Label("vi"); got != want {
			t.Errorf("%s status: cell %q, tracker %q", label, got, want)
		}
		if tp.Progress.SoFar != nil {
			got, err := strconv.ParseFloat(cellAt(row, pLatest), 64)
			if err != nil || got-*tp.Progress.SoFar > 1e-6 || *tp.Progress.SoFar-got > 1e-6 {
				t.Errorf("%s latest: cell %q, tracker %v", label, cellAt(row, pLatest), *tp.Progress.SoFar)
			}
		}
		if tp.Target.Indicator == "ECO-02" {
			want := map[int]string{}
			vs, err := env.db.Values(ctx, indicators.ValueFilter{Indicator: "ECO-02", Units: []string{"CT-CU"}, EnteredBy: asOf})
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				if !v.Superseded && v.Type == indicators.OfficialValue {
					want[v.Period.Year] = num(v.Value)
				}
			}
			var annex []string
			for _, r := range rowsOf(t, f, "Số liệu các năm") {
				if strings.HasSuffix(cellAt(r, pName), label) {
					annex = r
				}
			}
			for y := pFirstYr; y < pFirstYr+pYears; y++ {
				if got := cellAt(annex, pYear0+y-pFirstYr); got != want[y] {
					t.Errorf("%s %d: cell %q, store %q", label, y, got, want[y])
				}
			}
		}
	}
	if checked == 0 || targetRows != checked {
		t.Errorf("the table has %d target rows, the tracker %d targets in group 0", targetRows, checked)
	}
}

// The progress report of a task group, as of now and as of a past day:
// the numbers are the store's and the tracker's as they stood; the value
// corrected after the day shows as first entered; the same day gives the
// same content hash; every download is recorded with its parameters.
func TestProgressReportDownload(t *testing.T) {
	t.Parallel()
	env := newReportEnv(t, nil)
	base := "/reports/progress?plan=" + url.QueryEscape("59-NQ/TW") + "&period=2021-2025&group=0"

	f, res := env.workbook(t, indicators.Auditor, base+"&language=vi")
	checkProgress(t, env, f, reportNow)
	eco02 := func(f *excelize.File) string {
		for _, r := range rowsOf(t, f, "Số liệu các năm") {
			if strings.Contains(cellAt(r, pName), "(ECO-02,") {
				return cellAt(r, pYear0+2023-pFirstYr)
			}
		}
		return ""
	}
	if got := eco02(f); got != num(correctedValue) {
		t.Errorf("as of now ECO-02 2023 = %q, want the correction %v", got, correctedValue)
	}
	_, params, _ := mime.ParseMediaType(res.Header.Get("Content-Disposition"))
	if name := params["filename"]; !strings.Contains(name, "_nhom-0_") || !strings.HasPrefix(name, "tien-do_") {
		t.Errorf("file name %q does not name the task group", name)
	}
	ev, e := env.lastExport(t)
	if ev.User != "auditor" || ev.Object != "report:progress" || e.Kind != indicators.ExportProgress ||
		e.Params["group"] != "0" || e.Params["period"] != "2021-2025" || e.Params["language"] != "vi" ||
		e.Params["plan"] == "" || e.Params["asof"] != "" || e.Hash != res.Header.Get("X-Report-Hash") ||
		e.File != params["filename"] || e.Format != "xlsx" {
		t.Errorf("export recorded as %+v by %s, want the parameters and the hash %s", e, ev.User, res.Header.Get("X-Report-Hash"))
	}

	past := base + "&asof=" + asOfDay
	d, _ := indicators.ParseDate("asof", asOfDay)
	f1, res1 := env.workbook(t, indicators.Leader, past)
	checkProgress(t, env, f1, indicators.EndOfDay(d))
	if got := eco02(f1); got != num(firstValue) {
		t.Errorf("as of %s ECO-02 2023 = %q, want the value then %v", asOfDay, got, firstValue)
	}
	env.clock.set(reportNow.Add(48 * time.Hour)) // made again two days later, in new sessions
	for _, r := range indicators.Roles {
		env.users[r] = logintest.Login(t, env.ts.URL, string(r), "")
	}
	_, res2 := env.workbook(t, indicators.Admin, past)
	if h1, h2 := res1.Header.Get("X-Report-Hash"), res2.Header.Get("X-Report-Hash"); h1 != h2 || h1 == res.Header.Get("X-Report-Hash") {
		t.Errorf("as of %s the hashes are %s and %s (now %s): want equal, and unlike now's", asOfDay, h1, h2, res.Header.Get("X-Report-Hash"))
	}
	if _, e := env.lastExport(t); e.Params["asof"] != asOfDay {
		t.Errorf("as-of export recorded with %v", e.Params)
	}
	if props, err := f1.GetDocProps(); err != nil || props.Identifier != res1.Header.Get("X-Report-Hash") {
		t.Errorf("the file's properties hold hash %q, the header %q (%v)", props.Identifier, res1.Header.Get("X-Report-Hash"), err)
	}

	en, _ := env.workbook(t, indicators.Planner, base+"&language=en")
	if _, err := en.GetRows("Progress"); err != nil {
		t.Errorf("language=en: no Progress sheet (sheets %v)", en.GetSheetList())
	}
	if left := env.tempLeft(t); len(left) > 0 {
		t.Errorf("reports folder keeps %v after the downloads", left)
	}
}

// Columns of the data export.
const (
	dID, dIndicator, dUnitCode, dValue, dState = 1, 2, 4, 7, 9
)

// checkValues compares the data export's rows with the store's values of
// ECO-02 as of asOf, one row per value in the order stored.
func checkValues(t *testing.T, env *reportEnv, rows [][]string, asOf time.Time) {
	t.Helper()
	want, err := env.db.Values(context.Background(), indicators.ValueFilter{Indicator: "ECO-02", EnteredBy: asOf})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]indicators.Value{}
	for _, v := range want {
		byID[strconv.FormatInt(v.ID, 10)] = v
	}
	if len(rows) != len(want)+1 || len(want) == 0 {
		t.Fatalf("export has %d rows, want a heading and %d values", len(rows), len(want))
	}
	for _, r := range rows[1:] {
		v, ok := byID[cellAt(r, dID)]
		if !ok {
			t.Errorf("row %q is no value of the store", r)
			continue
		}
		state := "Hiện hành"
		if v.Superseded {
			state = "Đã bị thay thế"
		}
		if cellAt(r, dIndicator) != "ECO-02" || cellAt(r, dUnitCode) != v.Unit || cellAt(r, dValue) != num(v.Value) ||
			cellAt(r, dState) != state {
			t.Errorf("row %q, store %v %s %v superseded %v", r, v.ID, v.Unit, v.Value, v.Superseded)
		}
	}
}

// The data export of an indicator as xlsx and CSV, now and as of a past
// day: every value with its state, the correction after the day left out.
// The reports page's fields of the official form reach the progress
// report's table, user text as text, and are recorded with the export.
func TestProgressReportOfficialForm(t *testing.T) {
	t.Parallel()
	env := newReportEnv(t, nil)
	q := url.Values{"plan": {"59-NQ/TW"}, "period": {"2021-2025"}, "form_authority": {"UBND THÀNH PHỐ CẦN THƠ"},
		"form_unit": {"=SỞ TÀI CHÍNH"}, "form_number": {"01/TH"}, "form_ref": {"125/BC-STC"}, "form_place": {"Cần Thơ"},
		"form_date": {"2025-12-20"}, "form_preparer": {"Nguyễn Văn A"}, "form_head": {"Trần Thị B"}, "form_year": {"2024"}}
	f, _ := env.workbook(t, indicators.Planner, "/reports/progress?"+q.Encode())
	for cell, want := range map[string]string{"A1": "UBND THÀNH PHỐ CẦN THƠ", "A2": "=SỞ TÀI CHÍNH", "A3": "Biểu số: 01/TH",
		"A5": "(Kèm theo báo cáo số 125/BC-STC)", "F8": "Kế hoạch năm 2024"} {
		if got, _ := f.GetCellValue("Tiến độ", cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
	if formula, _ := f.GetCellFormula("Tiến độ", "A2"); formula != "" {
		t.Errorf("A2 became the formula %q", formula)
	}
	rows := rowsOf(t, f, "Tiến độ")
	last := rows[len(rows)-1]
	if cellAt(last, 1) != "Nguyễn Văn A" || !slices.Contains(last, "Trần Thị B") {
		t.Errorf("signatories = %q", last)
	}
	found := false
	for _, r := range rows {
		found = found || slices.Contains(r, "Cần Thơ, ngày 20 tháng 12 năm 2025")
	}
	if !found {
		t.Error("no place and date line")
	}
	ev, _ := env.lastExport(t)
	if !strings.Contains(ev.After, "125/BC-STC") {
		t.Errorf("the export's record lacks the form: %s", ev.After)
	}
}

func TestDataExportDownload(t *testing.T) {
	t.Parallel()
	env := newReportEnv(t, nil)
	f, res := env.workbook(t, indicators.Leader, "/reports/data?indicator=ECO-02&format=xlsx&language=vi")
	rows := rowsOf(t, f, "Số liệu")
	checkValues(t, env, rows, reportNow)
	states := map[string]string{}
	for _, r := range rows[1:] {
		states[cellAt(r, dValue)] = cellAt(r, dState)
	}
	if states[num(firstValue)] != "Đã bị thay thế" || states[num(correctedValue)] != "Hiện hành" {
		t.Errorf("states now: %v", states)
	}
	if _, e := env.lastExport(t); e.Params["indicator"] != "ECO-02" || e.Format != "xlsx" || e.Hash != res.Header.Get("X-Report-Hash") {
		t.Errorf("export recorded as %+v", e)
	}

	d, _ := indicators.ParseDate("asof", asOfDay)
	f, _ = env.workbook(t, indicators.Planner, "/reports/data?indicator=ECO-02&asof="+asOfDay)
	rows = rowsOf(t, f, "Số liệu")
	checkValues(t, env, rows, indicators.EndOfDay(d))
	for _, r := range rows[1:] {
		if cellAt(r, dValue) == num(correctedValue) {
			t.Errorf("as of %s the export holds the later correction: %q", asOfDay, r)
		}
		if cellAt(r, dValue) == num(firstValue) && cellAt(r, dState) != "Hiện hành" {
			t.Errorf("as of %s the first entry is %q, want current", asOfDay, cellAt(r, dState))
		}
	}

	path := "/reports/data?indicator=ECO-02&format=csv"
	res, body := env.download(t, indicators.Auditor, path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", path, res.StatusCode)
	}
	checkDownloadHeaders(t, path, res, body, "text/csv; charset=utf-8", ".csv")
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	checkValues(t, env, records, reportNow)
	if _, e := env.lastExport(t); e.Format != "csv" || !strings.HasSuffix(e.File, ".csv") {
		t.Errorf("CSV export recorded as %+v", e)
	}
}

// The batch and audit history of a period lists the period's events, as
// the store holds them; leaders and planners may not take it.
func TestAuditExportDownload(t *testing.T) {
	t.Parallel()
	env := newReportEnv(t, nil)
	path := "/audit/export?from=2025-03-01&to=" + asOfDay
	f, _ := env.workbook(t, indicators.Auditor, path)
	from, _ := indicators.ParseDate("from", "2025-03-01")
	to, _ := indicators.ParseDate("to", asOfDay)
	want, err := env.db.AuditEvents(context.Background(), indicators.AuditFilter{From: from, To: indicators.EndOfDay(to)})
	if err != nil {
		t.Fatal(err)
	}
	rows := rowsOf(t, f, "Nhật ký")
	if len(want) == 0 || len(rows) != len(want)+1 {
		t.Fatalf("history has %d rows, want a heading and the store's %d events", len(rows), len(want))
	}
	for i, ev := range want {
		if got := cellAt(rows[i+1], 1); got != strconv.FormatInt(ev.ID, 10) {
			t.Errorf("row %d: event %q, store %d", i+2, got, ev.ID)
		}
		if label := indicators.ActionLabel(ev.Action, "vi"); !strings.Contains(strings.Join(rows[i+1], "|"), label) {
			t.Errorf("row %d lacks the action %s (%s): %q", i+2, label, ev.Action, rows[i+1])
		}
	}
	ev, e := env.lastExport(t)
	if ev.User != "auditor" || e.Kind != indicators.ExportAudit || e.Params["from"] != "2025-03-01" || e.Params["to"] != asOfDay {
		t.Errorf("export recorded as %+v by %s", e, ev.User)
	}
	for _, role := range []indicators.Role{indicators.Leader, indicators.Planner} {
		if res, _ := env.download(t, role, path); res.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s as %s = %d, want 403", path, role, res.StatusCode)
		}
	}
	f, _ = env.workbook(t, indicators.Admin, "/audit/export")
	if rows := rowsOf(t, f, "Nhật ký"); len(rows) < len(want)+2 {
		t.Errorf("the whole history has %d rows, fewer than the period's", len(rows))
	}
}

// Refused parameters: 400, a message naming the parameter in the user's
// language — on the reports page, with the field marked and what was typed
// kept, or as JSON for scripts — and nothing built, recorded or left.
func TestReportBadParameters(t *testing.T) {
	t.Parallel()
	env := newReportEnv(t, nil)
	plan := "plan=" + url.QueryEscape("59-NQ/TW")
	cases := []struct {
		path, param, typed string
	}{
		{"/reports/progress?period=2021-2025", "plan", ""},
		{"/reports/progress?plan=zz-none&period=2021-2025", "plan", ""},
		{"/reports/progress?" + plan, "period", ""},
		{"/reports/progress?" + plan + "&period=2025-2021", "period", "2025-2021"},
		{"/reports/progress?" + plan + "&period=2021-2025&asof=2025-13-01", "asof", "2025-13-01"},
		{"/reports/progress?" + plan + "&period=2021-2025&group=42", "group", ""},
		{"/reports/progress?" + plan + "&period=2021-2025&group=x", "group", ""},
		{"/reports/progress?" + plan + "&period=2021-2025&language=fr", "language", "fr"},
		{"/reports/progress?" + plan + "&period=2021-2025&form_year=1999", "form_year", "1999"},
		{"/reports/progress?" + plan + "&period=2021-2025&form_date=2025-13-01", "form_date", "2025-13-01"},
		{"/reports/data?indicator=NONE-99", "indicator", ""},
		{"/reports/data?format=pdf", "format", "pdf"},
		{"/reports/data?asof=30%2F06%2F2025", "asof", "30/06/2025"},
		{"/audit/export?from=2025-05-01&to=2025-04-01", "from", "2025-05-01"},
		{"/audit/export?to=tomorrow", "to", "tomorrow"},
		{"/audit/export?from=2099-01-01", "from", "2099-01-01"},
	}
	before := env.countExports(t)
	for _, tc := range cases {
		for _, lang := range []string{"vi", "en"} {
			res, body := env.download(t, indicators.Admin, tc.path+"&lang="+lang)
			page := string(body)
			word := map[string]string{"vi": "Tham số " + tc.param + ":", "en": "Parameter " + tc.param + ":"}[lang]
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, word) {
				t.Errorf("GET %s (%s) = %d, want 400 naming %q:\n%.300s", tc.path, lang, res.StatusCode, word, page)
				continue
			}
			if !strings.Contains(page, `name="`+tc.param+`" aria-invalid="true"`) &&
				!strings.Contains(page, `name="`+tc.param+`"`) {
				t.Errorf("GET %s: the page has no field %s", tc.path, tc.param)
			}
			if !regexp.MustCompile(`name="` + tc.param + `"[^>]*aria-invalid="true"`).MatchString(page) {
				t.Errorf("GET %s: field %s is not marked invalid", tc.path, tc.param)
			}
			if tc.typed != "" && !strings.Contains(page, `value="`+tc.typed+`"`) {
				t.Errorf("GET %s: the page does not keep %q", tc.path, tc.typed)
			}
		}
		res, body := env.download(t, indicators.Admin, tc.path, "Accept", "application/json")
		var e struct {
			Error struct {
				Code, Field string
				MessageEN   string `json:"message_en"`
			} `json:"error"`
		}
		if err := json.Unmarshal(body, &e); err != nil || res.StatusCode != http.StatusBadRequest || e.Error.Field != tc.param ||
			e.Error.Code != indicators.EINVALID || !strings.Contains(e.Error.MessageEN, "Parameter "+tc.param) {
			t.Errorf("GET %s as JSON = %d %s", tc.path, res.StatusCode, body)
		}
	}
	if n := env.countExports(t); n != before {
		t.Errorf("refused downloads recorded %d exports", n-before)
	}
	if left := env.tempLeft(t); len(left) > 0 {
		t.Errorf("refused downloads left %v", left)
	}
}

// The reports page offers the progress report and the data export to
// every role, the audit history to auditors and admins only, and fills
// the forms from the dashboard's state.
func TestReportsPage(t *testing.T) {
	t.Parallel()
	env := newReportEnv(t, nil)
	for _, tc := range []struct {
		role  indicators.Role
		audit bool
	}{{indicators.Leader, false}, {indicators.Planner, false}, {indicators.Auditor, true}, {indicators.Admin, true}} {
		res, body := env.download(t, tc.role, "/reports?plan="+url.QueryEscape("98/NQ-CP")+"&period=2026-2030&asof=2025-06-30")
		page := string(body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET /reports as %s = %d", tc.role, res.StatusCode)
		}
		for _, w := range []string{`action="/reports/progress"`, `action="/reports/data"`, `value="2026-2030" selected`,
			`name="asof" value="2025-06-30"`, "Báo cáo tiến độ"} {
			if !strings.Contains(page, w) {
				t.Errorf("/reports as %s lacks %q", tc.role, w)
			}
		}
		if !regexp.MustCompile(`<option value="98-nq-cp-[0-9-]+" selected>`).MatchString(page) {
			t.Errorf("/reports as %s does not select the plan of the state", tc.role)
		}
		if got := strings.Contains(page, `action="/audit/export"`); got != tc.audit {
			t.Errorf("/reports as %s offers the audit history: %v, want %v", tc.role, got, tc.audit)
		}
	}
	_, body := env.download(t, indicators.Leader, "/reports?lang=en")
	if !strings.Contains(string(body), "Progress report") || !strings.Contains(string(body), `<option value="en" selected>`) {
		t.Errorf("the English page does not offer English reports")
	}
}

var hrefRe = regexp.MustCompile(`href="(/reports/[^"]+)"`)

// The task group page links the group's progress report, and the
// indicator page the indicator's values, in the page's state and language.
func TestDownloadLinksOnPages(t *testing.T) {
	t.Parallel()
	env := newReportEnv(t, nil)
	for _, tc := range []struct {
		page, want string
		sheet      string
	}{
		{"/groups/0?period=2021-2025&asof=" + asOfDay, "/reports/progress?", "Tiến độ"},
		{"/indicators/ECO-02?period=2021-2025&asof=" + asOfDay, "/reports/data?", "Số liệu"},
	} {
		res, body := env.download(t, indicators.Planner, tc.page)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", tc.page, res.StatusCode)
		}
		var link string
		for _, m := range hrefRe.FindAllStringSubmatch(string(body), -1) {
			if l := strings.ReplaceAll(m[1], "&amp;", "&"); strings.HasPrefix(l, tc.want) && !strings.Contains(l, "format=csv") {
				link = l
			}
		}
		if link == "" {
			t.Errorf("%s links no %s", tc.page, tc.want)
			continue
		}
		u, _ := url.Parse(link)
		if q := u.Query(); q.Get("asof") != asOfDay || q.Get("language") != "vi" {
			t.Errorf("%s links %s, which loses the state", tc.page, link)
		}
		f, _ := env.workbook(t, indicators.Planner, link)
		if _, err := f.GetRows(tc.sheet); err != nil {
			t.Errorf("%s: the link gives no %s sheet: %v", tc.page, tc.sheet, err)
		}
		if strings.HasPrefix(link, "/reports/progress?") {
			if u.Query().Get("group") != "0" {
				t.Errorf("group page links %s, not the group's report", link)
			}
			d, _ := indicators.ParseDate("asof", asOfDay)
			checkProgress(t, env, f, indicators.EndOfDay(d))
		}
	}
}

// A client that hangs up while the file is sent stops the copy, and the
// temporary file is gone. The sockets of the test hold only a few
// kilobytes, so that the file cannot slip into them whole.
func TestDownloadStopsWhenTheClientLeaves(t *testing.T) {
	t.Parallel()
	env := newReportEnv(t, addManyValues(700), smallSocketBuffers)
	before := env.countExports(t)
	client := &http.Client{Jar: env.users[indicators.Auditor].Jar, Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if err == nil {
				conn.(*net.TCPConn).SetReadBuffer(4096)
			}
			return conn, err
		}}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, env.ts.URL+"/reports/data?format=csv", nil)
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	size, _ := strconv.Atoi(res.Header.Get("Content-Length"))
	if res.StatusCode != http.StatusOK || size < 1<<20 {
		t.Fatalf("GET = %d with %d bytes; the test needs a file of some megabytes", res.StatusCode, size)
	}
	if _, err := io.ReadFull(res.Body, make([]byte, 4096)); err != nil {
		t.Fatal(err)
	}
	cancel()
	res.Body.Close()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(env.logs.String(), "report download stopped") || len(env.tempLeft(t)) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("after the client left: folder holds %v; log:\n%s", env.tempLeft(t), env.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n := env.countExports(t); n != before+1 {
		t.Errorf("%d exports recorded, want the one begun", n-before)
	}
}

// smallSocketBuffers makes the server's sockets hold little unsent data.
func smallSocketBuffers(ts *httptest.Server) {
	ts.Listener = smallBufferListener{ts.Listener}
}

type smallBufferListener struct{ net.Listener }

func (l smallBufferListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(4096)
	}
	return c, err
}

// cancelWriter is a response writer whose client "leaves" after the first
// write: it cancels the request's context and counts what was written.
type cancelWriter struct {
	*httptest.ResponseRecorder
	cancel  context.CancelFunc
	written int
}

func (w *cancelWriter) Write(p []byte) (int, error) {
	w.written += len(p)
	w.cancel()
	return w.ResponseRecorder.Write(p)
}

// signedRequest is a GET of path carrying role's session, with ctx.
func (env *reportEnv) signedRequest(t *testing.T, ctx context.Context, role indicators.Role, path string) *http.Request {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil).WithContext(ctx)
	u, _ := url.Parse(env.ts.URL + "/")
	for _, ck := range env.users[role].Jar.Cookies(u) {
		req.AddCookie(ck)
	}
	return req
}

// A cancelled request stops the export wherever it is: while the report
// is built (nothing sent, nothing recorded) or while it is sent (the copy
// stops after the part in flight); either way no temporary file is left.
func TestCancelledDownloadLeavesNothing(t *testing.T) {
	t.Parallel()
	env := newReportEnv(t, addManyValues(400))
	before := env.countExports(t)

	ctx, cancel := context.WithCancel(context.Background())
	env.srv.ReportBuilder().OnProgress = func(done, total int) { cancel() }
	rec := httptest.NewRecorder()
	env.srv.ServeHTTP(rec, env.signedRequest(t, ctx, indicators.Auditor, "/reports/data?format=xlsx"))
	env.srv.ReportBuilder().OnProgress = nil
	if rec.Code != 499 || rec.Body.Len() != 0 || rec.Header().Get("Content-Disposition") != "" {
		t.Errorf("cancelled while built: %d with %d bytes, %v", rec.Code, rec.Body.Len(), rec.Header())
	}
	if n := env.countExports(t); n != before {
		t.Errorf("a download cancelled while built was recorded")
	}
	if left := env.tempLeft(t); len(left) > 0 {
		t.Errorf("cancelled while built: folder holds %v", left)
	}

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	w := &cancelWriter{ResponseRecorder: httptest.NewRecorder(), cancel: cancel}
	env.srv.ServeHTTP(w, env.signedRequest(t, ctx, indicators.Auditor, "/reports/data?format=csv"))
	size, _ := strconv.Atoi(w.Header().Get("Content-Length"))
	if w.Code != http.StatusOK || w.written == 0 || size <= 2*w.written {
		t.Errorf("cancelled while sent: %d, %d of %d bytes written; want the copy stopped early", w.Code, w.written, size)
	}
	if left := env.tempLeft(t); len(left) > 0 {
		t.Errorf("cancelled while sent: folder holds %v", left)
	}
	if n := env.countExports(t); n != before+1 {
		t.Errorf("%d exports recorded, want the one begun", n-before)
	}
	if !strings.Contains(env.logs.String(), "report download stopped") {
		t.Errorf("the stopped download is not logged:\n%s", env.logs.String())
	}
}

// addManyValues adds n values of one indicator across the years, each
// with a long note, in one write, to make an export of some megabytes.
func addManyValues(n int) func(ctx context.Context, db *sqlite.DB) {
	note := strings.Repeat("Số liệu thử nghiệm, ghi chú dài để tệp xuất đủ lớn. ", 40)
	return func(ctx context.Context, db *sqlite.DB) {
		vs := make([]indicators.Value, 0, n)
		for i := 0; i < n; i++ {
			vs = append(vs, indicators.Value{Key: indicators.Key{Indicator: "ECO-02", Unit: "CT-CU",
				Period: indicators.YearPeriod(2000 + i%20), Type: indicators.OfficialValue}, Value: float64(i),
				Source: "Cục Thống kê thành phố Cần Thơ", Sheet: "Biểu số liệu tổng hợp", Cell: "D" + strconv.Itoa(i+2),
				Note: note + strconv.Itoa(i)})
		}
		if err := db.AddValues(ctx, vs); err != nil {
			panic(err)
		}
	}
}
