package dashboard_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"chitieu/dashboard"
	"chitieu/dashboard/logintest"
	"chitieu/importers"
	"chitieu/indicators"
	"chitieu/indicators/sqlite"
	"chitieu/internal/fixture"
	"chitieu/internal/testdb"
)

// importEnv is a server for the import pages: a fresh database with the
// built-in catalogue, its own folder for uploads (so that a test sees a
// copy left behind), and a planner for every unit ("hoa"), a planner of
// district 916 only ("lan"), an admin and an auditor.
type importEnv struct {
	ts      *httptest.Server
	srv     *dashboard.Server
	db      *sqlite.DB
	uploads string
}

func newImportEnv(t *testing.T, cfg dashboard.Config) *importEnv {
	t.Helper()
	return newImportEnvWith(t, cfg, true)
}

// newImportEnvWith is newImportEnv, with or without the catalogue's values.
func newImportEnvWith(t *testing.T, cfg dashboard.Config, values bool) *importEnv {
	t.Helper()
	var db *sqlite.DB
	if values {
		db = testdb.Builtin(t)
	} else {
		db = testdb.BuiltinNoValues(t)
	}
	env := &importEnv{db: db, uploads: t.TempDir()}
	var err error
	cfg.Store, cfg.UploadDir = db, env.uploads
	if cfg.StaleAfter == 0 {
		cfg.StaleAfter = -1 // tests read their own writes at once
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if env.srv, err = dashboard.New(cfg); err != nil {
		t.Fatal(err)
	}
	env.ts = httptest.NewServer(env.srv)
	t.Cleanup(func() {
		env.ts.Close()
		env.srv.Close()
	})
	logintest.AddUser(t, db, "hoa", indicators.Planner, "", nil, nil)
	logintest.AddUser(t, db, "lan", indicators.Planner, "", []string{"916"}, nil)
	logintest.AddUser(t, db, "quan.tri", indicators.Admin, "", nil, nil)
	logintest.AddUser(t, db, "kiem.toan", indicators.Auditor, "", nil, nil)
	return env
}

// noCopiesLeft fails when an upload left a file in the upload folder.
func (env *importEnv) noCopiesLeft(t *testing.T) {
	t.Helper()
	var left []string
	filepath.WalkDir(env.uploads, func(p string, d os.DirEntry, err error) error {
		if err == nil && p != env.uploads {
			left = append(left, strings.TrimPrefix(p, env.uploads))
		}
		return nil
	})
	if len(left) > 0 {
		t.Errorf("uploads left behind: %v", left)
	}
}

// batches lists the batches stored.
func (env *importEnv) batches(t *testing.T) []indicators.Batch {
	t.Helper()
	bs, err := env.db.Batches(context.Background(), indicators.BatchFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return bs
}

// inForce returns the value in force for a key, if any.
func (env *importEnv) inForce(t *testing.T, key string) (float64, bool) {
	t.Helper()
	vs, err := env.db.Values(context.Background(), indicators.ValueFilter{Indicator: strings.Split(key, "/")[0]})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if v.Key.String() == key && !v.Superseded && v.RetractedAt.IsZero() {
			return v.Value, true
		}
	}
	return 0, false
}

// uploadFile posts a workbook to /imports as the upload form does, with
// the session's CSRF token first; fields are added after the file.
func uploadFile(t *testing.T, c *http.Client, base, name string, data []byte, fields map[string]string) *http.Response {
	t.Helper()
	return postUpload(t, c, base, name, data, fields, logintest.Token(t, c, base), "same-origin")
}

func postUpload(t *testing.T, c *http.Client, base, name string, data []byte, fields map[string]string, token, site string) *http.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if token != "" {
		mw.WriteField("csrf_token", token)
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, base+"/imports", &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if site == "same-origin" {
		req.Header.Set("Origin", base)
	}
	req.Header.Set("Sec-Fetch-Site", site)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// read reads and closes a response's body.
func read(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// getPage GETs path and returns status and body.
func getPage(t *testing.T, c *http.Client, base, path string) (int, string) {
	t.Helper()
	res, err := c.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, read(t, res)
}

// redirected checks a 303 to a path starting with prefix and returns it.
func redirected(t *testing.T, res *http.Response, prefix string) string {
	t.Helper()
	body := read(t, res)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("answer %d to %q, want 303 to %s…:\n%.2000s", res.StatusCode, loc, prefix, textOf(body))
	}
	return loc
}

var batchLink = regexp.MustCompile(`^/imports/batches/(\d+)`)

// batchOf reads the batch number of a batch page's address.
func batchOf(t *testing.T, loc string) int64 {
	t.Helper()
	m := batchLink.FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("%q is not a batch page", loc)
	}
	var id int64
	fmt.Sscan(m[1], &id)
	return id
}

var tags = regexp.MustCompile(`(?s)<script.*?</script>|<[^>]+>`)
var spaces = regexp.MustCompile(`\s+`)

// textOf is a page's text, tags dropped and spaces folded, for messages.
func textOf(body string) string {
	return spaces.ReplaceAllString(tags.ReplaceAllString(body, " "), " ")
}

// filledTemplate writes the template of Resolution 98 for 2021–2025 and
// unit CT-CU and fills it as a planner would: ECO-01 2021 changes the
// catalogue's −2,79 to −3, ECO-01 2024 becomes an estimate of 7,3, ECO-04
// 2022 is written as text in the Vietnamese way. It returns the file and
// the cell of each value.
func filledTemplate(t *testing.T, st indicators.Store) ([]byte, map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	if _, err := importers.WriteTemplate(context.Background(), st, importers.TemplateRequest{Plan: "98/NQ-CP",
		Period: indicators.YearRange{From: 2021, To: 2025}, Unit: "CT-CU"}, &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Số liệu")
	if err != nil {
		t.Fatal(err)
	}
	col, row := map[string]int{}, map[string]int{}
	for i, h := range rows[4] {
		col[h] = i + 1
	}
	for i, r := range rows {
		if len(r) > 0 && indicators.ValidCode(r[0]) {
			row[r[0]] = i + 1
		}
	}
	if row["ECO-01"] == 0 || row["ECO-04"] == 0 || col["2021"] == 0 || col["2024"] == 0 {
		t.Fatalf("template rows %v, columns %v", row, col)
	}
	cell := func(c, r int) string { n, _ := excelize.CoordinatesToCellName(c, r); return n }
	set := func(c, r int, v any) {
		if err := f.SetCellValue("Số liệu", cell(c, r), v); err != nil {
			t.Fatal(err)
		}
	}
	set(col["2024"], 6, "Ước thực hiện")
	set(col["2021"], row["ECO-01"], -3)
	set(col["2024"], row["ECO-01"], 7.3)
	set(col["2022"], row["ECO-04"], "14,2")
	var out bytes.Buffer
	if _, err := f.WriteTo(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes(), map[string]string{
		"ECO-01/CT-CU/2021/official": cell(col["2021"], row["ECO-01"]),
		"ECO-01/CT-CU/2024/estimate": cell(col["2024"], row["ECO-01"]),
		"ECO-04/CT-CU/2022/official": cell(col["2022"], row["ECO-04"]),
	}
}

// A planner uploads a filled template: the preview lists the changes old
// → new with their cells and stores nothing; commit stores exactly them;
// the same file again changes nothing; rollback brings back exactly the
// values the batch replaced; the original file comes back byte for byte.
func TestImportUploadPreviewCommitRollback(t *testing.T) {
	t.Parallel()
	env := newImportEnv(t, dashboard.Config{})
	base := env.ts.URL
	c := logintest.Login(t, base, "hoa", "")
	file, cells := filledTemplate(t, env.db)
	before, ok := env.inForce(t, "ECO-01/CT-CU/2021/official")
	if !ok || before != -2.79 {
		t.Fatalf("the catalogue's ECO-01 2021 = %v %v, want -2.79", before, ok)
	}
	if _, ok := env.inForce(t, "ECO-01/CT-CU/2024/estimate"); ok {
		t.Fatal("the catalogue already holds the ECO-01 2024 estimate")
	}

	if code, body := getPage(t, c, base, "/imports"); code != 200 || !strings.Contains(body, `enctype="multipart/form-data"`) ||
		!strings.Contains(body, "Tải biểu mẫu") {
		t.Fatalf("GET /imports = %d without the upload and template forms:\n%.1500s", code, textOf(body))
	}

	loc := redirected(t, uploadFile(t, c, base, "bieu-nhap.xlsx", file, nil), "/imports/batches/")
	id := batchOf(t, loc)
	code, body := getPage(t, c, base, loc)
	text := textOf(body)
	if code != 200 {
		t.Fatalf("batch page = %d:\n%.2000s", code, text)
	}
	for _, want := range []string{"Bản xem trước đã sẵn sàng", "Chờ ghi", "Ghi vào cơ sở dữ liệu",
		"Số liệu!" + cells["ECO-01/CT-CU/2021/official"], "Số liệu!" + cells["ECO-01/CT-CU/2024/estimate"],
		"Số liệu!" + cells["ECO-04/CT-CU/2022/official"], "-2,79", "Ước thực hiện (ƯTH)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the preview lacks %q:\n%.3000s", want, text)
		}
	}
	if b, err := env.db.Batch(context.Background(), id); err != nil || b.State != indicators.Previewed || b.CreatedBy != "hoa" ||
		b.New+b.Changed != 3 || b.Rejected != 0 {
		t.Fatalf("batch #%d after the preview = %+v, %v; want previewed by hoa with 3 values", id, b, err)
	}
	if v, _ := env.inForce(t, "ECO-01/CT-CU/2021/official"); v != -2.79 {
		t.Errorf("the preview stored ECO-01 2021 = %v", v)
	}
	if _, ok := env.inForce(t, "ECO-01/CT-CU/2024/estimate"); ok {
		t.Errorf("the preview stored the ECO-01 2024 estimate")
	}

	loc = redirected(t, logintest.Post(t, c, base, fmt.Sprintf("/imports/batches/%d/commit", id), url.Values{}),
		fmt.Sprintf("/imports/batches/%d?done=import.committed", id))
	if _, body := getPage(t, c, base, loc); !strings.Contains(body, "Đã ghi lô vào cơ sở dữ liệu.") || !strings.Contains(body, "Hoàn tác lô") {
		t.Errorf("the batch page after the commit:\n%.2000s", textOf(body))
	}
	want := map[string]float64{"ECO-01/CT-CU/2021/official": -3, "ECO-01/CT-CU/2024/estimate": 7.3, "ECO-04/CT-CU/2022/official": 14.2}
	vs, err := env.db.Values(context.Background(), indicators.ValueFilter{Batch: id})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != len(want) {
		t.Errorf("batch #%d stored %d values, want %d", id, len(vs), len(want))
	}
	for _, v := range vs {
		if w, ok := want[v.Key.String()]; !ok || v.Value != w || v.Sheet != "Số liệu" || v.Cell != cells[v.Key.String()] || v.EnteredBy != "hoa" {
			t.Errorf("stored %s = %v at %s!%s by %s; want %v at Số liệu!%s by hoa", v.Key, v.Value, v.Sheet, v.Cell, v.EnteredBy, w, cells[v.Key.String()])
		}
	}
	for k, w := range want {
		if v, _ := env.inForce(t, k); v != w {
			t.Errorf("%s in force = %v, want %v", k, v, w)
		}
	}
	evs, err := env.db.AuditEvents(context.Background(), indicators.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, e := range evs {
		if e.Batch == id {
			actions[e.Action]++
			if e.User != "hoa" {
				t.Errorf("audit event %s of batch #%d by %q, want hoa", e.Action, id, e.User)
			}
		}
	}
	if actions["batch.preview"] != 1 || actions["batch.commit"] != 1 {
		t.Errorf("audit events of batch #%d: %v, want its preview and its commit", id, actions)
	}

	// The same file again changes nothing and makes no batch.
	n := len(env.batches(t))
	loc = redirected(t, uploadFile(t, c, base, "bieu-nhap.xlsx", file, nil), "/imports/jobs/")
	if _, body := getPage(t, c, base, loc); !strings.Contains(textOf(body), "Không có gì thay đổi") ||
		!strings.Contains(body, fmt.Sprintf(`href="/imports/batches/%d"`, id)) {
		t.Errorf("the same file again:\n%.2000s", textOf(body))
	}
	if got := len(env.batches(t)); got != n {
		t.Errorf("the same file again made %d batches", got-n)
	}

	// The original file, byte for byte.
	res, err := c.Get(fmt.Sprintf("%s/imports/batches/%d/file", base, id))
	if err != nil {
		t.Fatal(err)
	}
	if got := read(t, res); got != string(file) || !strings.Contains(res.Header.Get("Content-Disposition"), "bieu-nhap.xlsx") {
		t.Errorf("file of batch #%d: %d bytes (%s), want the %d uploaded", id, len(got), res.Header.Get("Content-Disposition"), len(file))
	}

	// An auditor reads the history and the batch, and may not undo it.
	aud := logintest.Login(t, base, "kiem.toan", "")
	if code, body := getPage(t, aud, base, "/imports"); code != 200 || !strings.Contains(body, fmt.Sprintf(`href="/imports/batches/%d"`, id)) ||
		strings.Contains(body, `enctype="multipart/form-data"`) {
		t.Errorf("the auditor's import page = %d:\n%.1500s", code, textOf(body))
	}
	if code, body := getPage(t, aud, base, fmt.Sprintf("/imports/batches/%d", id)); code != 200 || strings.Contains(body, "/rollback") ||
		!strings.Contains(textOf(body), "Số liệu đã ghi (3)") {
		t.Errorf("the auditor's batch page = %d:\n%.1500s", code, textOf(body))
	}
	res = logintest.Post(t, aud, base, fmt.Sprintf("/imports/batches/%d/rollback", id), url.Values{})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("an auditor's rollback = %d, want 403", res.StatusCode)
	}
	read(t, res)

	loc = redirected(t, logintest.Post(t, c, base, fmt.Sprintf("/imports/batches/%d/rollback", id), url.Values{}),
		fmt.Sprintf("/imports/batches/%d?done=import.rolled_back", id))
	if _, body := getPage(t, c, base, loc); !strings.Contains(body, "Đã hoàn tác") || !strings.Contains(textOf(body), "Số liệu của lô (3)") ||
		strings.Count(body, "đã rút (hoàn tác)") != 3 {
		t.Errorf("the batch page after the rollback:\n%.2000s", textOf(body))
	}
	if v, _ := env.inForce(t, "ECO-01/CT-CU/2021/official"); v != -2.79 {
		t.Errorf("after the rollback ECO-01 2021 = %v, want the -2.79 it replaced", v)
	}
	for _, k := range []string{"ECO-01/CT-CU/2024/estimate", "ECO-04/CT-CU/2022/official"} {
		if v, ok := env.inForce(t, k); ok {
			t.Errorf("after the rollback %s = %v, want no value", k, v)
		}
	}
	if b, _ := env.db.Batch(context.Background(), id); b.State != indicators.RolledBack || b.RolledBackBy != "hoa" {
		t.Errorf("batch after the rollback = %+v", b)
	}
	env.noCopiesLeft(t)
}

// bombOf is an .xlsx-shaped zip whose worksheet inflates a thousand times
// over: refused from the zip directory, before anything is inflated.
func bombOf(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		{"xl/workbook.xml", `<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`},
	} {
		w, _ := zw.Create(e.name)
		w.Write([]byte(e.body))
	}
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	// 8 MB of zeros packs into some 8 KB: a ratio five times the 200
	// allowed, refused from the zip's directory before anything inflates.
	zeros := make([]byte, 1<<20)
	for range 8 {
		w.Write(zeros)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var flashError = regexp.MustCompile(`<p class="alert" role="alert">.*?</p>`)

// Files that are not workbooks, or that would cost the server dear, are
// refused with their reason in Vietnamese (English for a user who chose
// it), a 4xx status, nothing stored and no copy left.
func TestImportRefusesBadFiles(t *testing.T) {
	t.Parallel()
	env := newImportEnv(t, dashboard.Config{UploadLimit: 2 << 20})
	base := env.ts.URL
	c := logintest.Login(t, base, "hoa", "")
	bomb := bombOf(t)
	xls := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, bytes.Repeat([]byte{0}, 2048)...)
	cases := []struct {
		name   string
		file   string
		data   []byte
		lang   string
		status int
		want   string
	}{
		{"legacy xls", "bieu.xls", xls, "vi", 400, "Excel 97–2003 (.xls)"},
		{"legacy xls in English", "bieu.xls", xls, "en", 400, "legacy Excel 97–2003 (.xls)"},
		{"zip bomb", "bom.xlsx", bomb, "vi", 413, "bom zip"},
		{"html renamed", "xuat.xlsx", []byte("<html><table><tr><td>1</td></tr></table></html>"), "vi", 400, "trang HTML"},
		{"empty", "rong.xlsx", nil, "vi", 400, "tệp rỗng"},
		{"hostile name", hostile + ".xlsx", []byte("a;b\n1;2\n"), "vi", 400, "tệp văn bản (CSV)"},
		{"truncated", "cut.xlsx", bomb[:3000], "vi", 400, "tệp cut.xlsx"},
		{"over the limit", "lon.xlsx", bytes.Repeat([]byte("PK\x03\x04"), 600<<10), "vi", 413, "lớn hơn giới hạn 2 MB"},
		{"over the limit in English", "lon.xlsx", bytes.Repeat([]byte("PK\x03\x04"), 600<<10), "en", 413, "larger than the upload limit of 2 MB"},
		{"just over the limit", "lon.xlsx", bytes.Repeat([]byte("PK\x03\x04"), 512<<10+256), "vi", 413, "tệp lon.xlsx lớn hơn giới hạn 2 MB"},
		{"no file", "", nil, "vi", 400, "hãy chọn một tệp Excel .xlsx"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := c.Get(base + "/imports?lang=" + tc.lang); err != nil {
				t.Fatal(err)
			}
			defer c.Get(base + "/imports?lang=vi")
			start := time.Now()
			res := uploadFile(t, c, base, tc.file, tc.data, nil)
			raw := read(t, res)
			body := textOf(raw)
			t.Logf("%d %s", res.StatusCode, textOf(flashError.FindString(raw)))
			if strings.Contains(raw, hostile) {
				t.Errorf("the page writes the file's name unescaped")
			}
			if res.StatusCode != tc.status || !strings.Contains(body, tc.want) {
				t.Errorf("answer %d, want %d with %q:\n%.1500s", res.StatusCode, tc.status, tc.want, body)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("refusing took %v", d)
			}
			if n := len(env.batches(t)); n != 0 {
				t.Errorf("%d batches stored", n)
			}
			env.noCopiesLeft(t)
		})
	}
}

// A POST from another site is refused before the file is read, however
// well it is formed; so is one without the session's token.
func TestImportRefusesCrossSitePosts(t *testing.T) {
	t.Parallel()
	env := newImportEnv(t, dashboard.Config{})
	base := env.ts.URL
	c := logintest.Login(t, base, "hoa", "")
	file, _ := filledTemplate(t, env.db)
	token := logintest.Token(t, c, base)
	for _, tc := range []struct{ name, token, site string }{
		{"cross-site with the token", token, "cross-site"},
		{"same-site subdomain with the token", token, "same-site"},
		{"same origin without a token", "", "same-origin"},
		{"same origin with a wrong token", strings.Repeat("x", 43), "same-origin"},
	} {
		res := postUpload(t, c, base, "bieu.xlsx", file, nil, tc.token, tc.site)
		body := read(t, res)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "CSRF") {
			t.Errorf("%s: answer %d, want 403 naming CSRF:\n%.500s", tc.name, res.StatusCode, textOf(body))
		}
	}
	if n := len(env.batches(t)); n != 0 {
		t.Errorf("%d batches stored", n)
	}
	env.noCopiesLeft(t)
}

// A planner limited to district 916 sees every value of a template for the
// old city rejected as out of scope, and nothing staged; they may neither
// commit nor undo another planner's batch.
func TestImportPlannerOutOfScope(t *testing.T) {
	t.Parallel()
	env := newImportEnv(t, dashboard.Config{})
	base := env.ts.URL
	lan := logintest.Login(t, base, "lan", "")
	file, cells := filledTemplate(t, env.db)
	loc := redirected(t, uploadFile(t, lan, base, "bieu.xlsx", file, nil), "/imports/jobs/")
	code, body := getPage(t, lan, base, loc)
	text := textOf(body)
	if code != 200 || !strings.Contains(text, "Ô bị từ chối (3)") || !strings.Contains(text, "ngoài phạm vi được giao") ||
		!strings.Contains(text, cells["ECO-01/CT-CU/2021/official"]) || strings.Contains(body, "/commit") {
		t.Errorf("out-of-scope preview = %d:\n%.3000s", code, text)
	}
	// The same page in English says why in English.
	code, body = getPage(t, lan, base, loc+"?lang=en")
	if text := textOf(body); code != 200 || !strings.Contains(text, "outside the assigned scope") || strings.Contains(text, "ngoài phạm vi được giao") {
		t.Errorf("out-of-scope preview in English = %d:\n%.3000s", code, text)
	}
	getPage(t, lan, base, "/imports?lang=vi")
	if n := len(env.batches(t)); n != 0 {
		t.Errorf("an out-of-scope upload staged %d batches", n)
	}
	if _, body := getPage(t, lan, base, "/imports"); !strings.Contains(textOf(body), "3 ô bị từ chối — xem các ô") {
		t.Errorf("lan's imports do not list the refused upload:\n%.2000s", textOf(body))
	}
	if v, _ := env.inForce(t, "ECO-01/CT-CU/2021/official"); v != -2.79 {
		t.Errorf("ECO-01 2021 = %v after an out-of-scope upload", v)
	}

	hoa := logintest.Login(t, base, "hoa", "")
	id := batchOf(t, redirected(t, uploadFile(t, hoa, base, "bieu.xlsx", file, nil), "/imports/batches/"))
	// hoa's batch is outside lan's scope: to lan it does not exist.
	res := logintest.Post(t, lan, base, fmt.Sprintf("/imports/batches/%d/commit", id), url.Values{})
	if body := textOf(read(t, res)); res.StatusCode != http.StatusNotFound || strings.Contains(body, "bieu.xlsx") {
		t.Errorf("lan commits hoa's batch: %d\n%.1000s", res.StatusCode, body)
	}
	redirected(t, logintest.Post(t, hoa, base, fmt.Sprintf("/imports/batches/%d/commit", id), url.Values{}), "/imports/batches/")
	res = logintest.Post(t, lan, base, fmt.Sprintf("/imports/batches/%d/rollback", id), url.Values{})
	if body := textOf(read(t, res)); res.StatusCode != http.StatusNotFound || strings.Contains(body, "bieu.xlsx") {
		t.Errorf("lan rolls back hoa's batch: %d\n%.1000s", res.StatusCode, body)
	}
	if b, _ := env.db.Batch(context.Background(), id); b.State != indicators.Committed {
		t.Errorf("batch #%d is %s after lan's rollback, want committed", id, b.State)
	}
	env.noCopiesLeft(t)
}

// A file over the background size is previewed and committed by jobs the
// server runs: the request answers at once, the job's JSON reports its
// progress and where to go next, another user cannot see it, and the
// batch appears in the history once done.
func TestImportBackgroundJobs(t *testing.T) {
	t.Parallel()
	env := newImportEnv(t, dashboard.Config{BackgroundRows: 10})
	base := env.ts.URL
	c := logintest.Login(t, base, "hoa", "")
	file, _ := filledTemplate(t, env.db)
	loc := redirected(t, uploadFile(t, c, base, "lon.xlsx", file, nil), "/imports/jobs/")
	job := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/imports/jobs/")
	if code, body := getPage(t, c, base, loc); code != 200 && code != 303 {
		t.Fatalf("job page = %d:\n%.1000s", code, textOf(body))
	}
	other := logintest.Login(t, base, "lan", "")
	if code, _ := getPage(t, other, base, "/api/v1/imports/jobs/"+job); code != http.StatusNotFound {
		t.Errorf("another planner reads the job: %d, want 404", code)
	}
	next := waitJob(t, c, base, job)
	id := batchOf(t, next)
	if !strings.Contains(next, "done=import.previewed") {
		t.Errorf("after the preview the job sends to %q", next)
	}
	if _, body := getPage(t, c, base, "/imports"); !strings.Contains(body, fmt.Sprintf(`href="/imports/batches/%d"`, id)) {
		t.Errorf("the history lacks batch #%d", id)
	}

	loc = redirected(t, logintest.Post(t, c, base, fmt.Sprintf("/imports/batches/%d/commit", id), url.Values{}), "/imports/jobs/")
	job = strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/imports/jobs/")
	next = waitJob(t, c, base, job)
	if next != fmt.Sprintf("/imports/batches/%d?done=import.committed", id) {
		t.Errorf("after the commit the job sends to %q", next)
	}
	if b, _ := env.db.Batch(context.Background(), id); b.State != indicators.Committed {
		t.Errorf("batch #%d is %s after the background commit", id, b.State)
	}
	if v, _ := env.inForce(t, "ECO-01/CT-CU/2024/estimate"); v != 7.3 {
		t.Errorf("ECO-01 2024 estimate = %v after the background commit", v)
	}
	env.noCopiesLeft(t)
}

// waitJob polls a job's JSON until it names where to go next.
func waitJob(t *testing.T, c *http.Client, base, job string) string {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/imports/jobs/"+job, nil)
		req.Header.Set("Accept", "application/json")
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var p struct {
			Running bool   `json:"running"`
			Percent int    `json:"percent"`
			Next    string `json:"next"`
		}
		err = json.NewDecoder(res.Body).Decode(&p)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("job %s: %d %v", job, res.StatusCode, err)
		}
		if p.Next != "" {
			if p.Running || p.Percent != 100 {
				t.Errorf("ended job reports %+v", p)
			}
			return p.Next
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("job %s did not end", job)
	return ""
}

// The template downloads for a plan, a period and a unit; a request it
// cannot serve shows the import page with the reason.
func TestImportTemplateDownload(t *testing.T) {
	t.Parallel()
	env := newImportEnv(t, dashboard.Config{})
	base := env.ts.URL
	c := logintest.Login(t, base, "hoa", "")
	res, err := c.Get(base + "/imports/template?plan=98%2FNQ-CP&period=2021-2025&unit=CT-CU")
	if err != nil {
		t.Fatal(err)
	}
	body := read(t, res)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "bieu-nhap-98-nq-cp-2021-2025-ct-cu.xlsx") {
		t.Fatalf("template = %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if a3, _ := f.GetCellValue("Số liệu", "A3"); !strings.Contains(a3, "CT-CU") {
		t.Errorf("template A3 = %q, want the unit", a3)
	}
	code, body := getPage(t, c, base, "/imports/template?plan=98%2FNQ-CP&period=2021-2025&unit=KHONG-CO")
	if code != http.StatusNotFound || !strings.Contains(textOf(body), "KHONG-CO") {
		t.Errorf("template of an unknown unit = %d:\n%.800s", code, textOf(body))
	}
	// With the year-to-date columns of a report to the People's Council.
	res, err = c.Get(base + "/imports/template?plan=98%2FNQ-CP&period=2021-2025&unit=CT-CU&ytd=2025-YTD09")
	if err != nil {
		t.Fatal(err)
	}
	body = read(t, res)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "bieu-nhap-98-nq-cp-2021-2025-ct-cu-2025-ytd09.xlsx") {
		t.Fatalf("year-to-date template = %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	g, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if rows, _ := g.GetRows("Số liệu"); len(rows) < 5 || !strings.Contains(strings.Join(rows[4], "|"), "9 tháng đầu năm 2024|9 tháng đầu năm 2025|Ghi chú") {
		t.Errorf("year-to-date template headers = %v", rows[4])
	}
	if code, body := getPage(t, c, base, "/imports/template?plan=98%2FNQ-CP&period=2021-2025&unit=CT-CU&ytd=2025-H2"); code != http.StatusBadRequest ||
		!strings.Contains(textOf(body), "lũy kế") {
		t.Errorf("template with the second half-year as year-to-date = %d:\n%.800s", code, textOf(body))
	}
}

// A department's own sheet that no profile fits is held while the planner
// makes a profile on the page: its header is shown, every indicator name
// is listed with the indicator it is read as — the suggested ones and the
// catalogue's word-for-word ones alike, so that a planner can correct
// either — and the saved profile reads exactly the values the sheet holds,
// and is picked on its own for the next upload of the same shape.
func TestImportProfileMadeOnThePage(t *testing.T) {
	t.Parallel()
	path := fixture.Path(t, "dept/bieu-01-so-tai-chinh.xlsx")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	expected := readExpected(t, strings.TrimSuffix(path, ".xlsx")+".expected.json")
	env := newImportEnvWith(t, dashboard.Config{}, false)
	base := env.ts.URL
	c := logintest.Login(t, base, "hoa", "")
	loc := redirected(t, uploadFile(t, c, base, "bieu-01.xlsx", data, nil), "/imports/jobs/")
	if !strings.Contains(loc, "/profile?done=import.need_profile") {
		t.Fatalf("an unknown shape sends to %q, want the profile page", loc)
	}
	code, body := getPage(t, c, base, loc)
	text := textOf(body)
	if code != 200 || !strings.Contains(text, "Tiêu đề tìm thấy") || !strings.Contains(text, "Chỉ tiêu") || !strings.Contains(text, "ĐVT") ||
		!strings.Contains(text, "hãy chọn đơn vị mà bảng báo cáo") {
		t.Fatalf("profile page = %d:\n%.3000s", code, text)
	}
	// Choose the unit, as the page's first form does.
	profile := strings.SplitN(loc, "?", 2)[0]
	code, body = getPage(t, c, base, profile+"?unit=CT-CU&locale=vi&name=bieu-01")
	if code != 200 || !strings.Contains(body, `name="match_code"`) {
		t.Fatalf("profile page with the unit = %d:\n%.3000s", code, textOf(body))
	}
	form := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)">`).FindAllStringSubmatch(
		body[strings.Index(body, `method="post"`):], -1) {
		if m[1] != "csrf_token" {
			form.Add(m[1], htmlUnescape(m[2]))
		}
	}
	// The planner's reading of the sheet: three names the catalogue lacks;
	// the others, clean water (ENV-04) among them, as the catalogue holds
	// them word for word.
	meant := map[string]string{"Số bác sĩ/vạn dân": "SOC-02", "Số giường bệnh/vạn dân": "SOC-03",
		"Tỷ lệ hộ nghèo (chuẩn mới)": "SOC-04"}
	exact := form["match_exact"]
	for i, name := range form["match_name"] {
		code, ok := meant[name]
		switch {
		case ok:
		case exact[i] != "":
			code = exact[i]
		default:
			t.Errorf("the page offers no reading of %q", name)
		}
		form.Add("match_code", code)
	}
	if len(form["match_name"]) < len(meant)+5 {
		t.Errorf("the page lists %d names to check, want every indicator name of the sheet: %v", len(form["match_name"]), form["match_name"])
	}
	form.Set("name", "Biểu 01 Sở Tài chính")
	loc = redirected(t, logintest.Post(t, c, base, profile, form), "/imports/batches/")
	id := batchOf(t, loc)
	if b, err := env.db.Batch(context.Background(), id); err != nil || b.Profile != "Biểu 01 Sở Tài chính" || b.Rejected != 0 {
		t.Fatalf("batch with the new profile = %+v %v", b, err)
	}
	sp, err := env.db.Profile(context.Background(), "Biểu 01 Sở Tài chính")
	if err != nil || !strings.Contains(sp.JSON, `"Tỷ lệ hộ nghèo (chuẩn mới)": "SOC-04"`) || strings.Contains(sp.JSON, "ENV-01") || !strings.Contains(sp.JSON, `"unit": "CT-CU"`) {
		t.Errorf("saved profile = %+v %v", sp, err)
	}
	redirected(t, logintest.Post(t, c, base, fmt.Sprintf("/imports/batches/%d/commit", id), url.Values{}), "/imports/batches/")
	vs, err := env.db.Values(context.Background(), indicators.ValueFilter{Batch: id})
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, v := range vs {
		got = append(got, fmt.Sprintf("%s %s %g %s %s!%s", v.Indicator, v.Period, v.Value, v.Type, v.Sheet, v.Cell))
	}
	for _, e := range expected {
		want = append(want, fmt.Sprintf("%s %v %g %s %s!%s", e["code"], e["year"], e["value"], e["type"], e["sheet"], e["cell"]))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("values read with the profile made on the page:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Next time the profile is picked on its own.
	loc = redirected(t, uploadFile(t, c, base, "bieu-01-thang-sau.xlsx", data, nil), "/imports/jobs/")
	if _, body := getPage(t, c, base, loc); !strings.Contains(textOf(body), "Biểu 01 Sở Tài chính (bảng ngang)") ||
		!strings.Contains(textOf(body), "Không có gì thay đổi") {
		t.Errorf("the second upload:\n%.2000s", textOf(body))
	}
	env.noCopiesLeft(t)
}

// readExpected reads the values a real file must give.
func readExpected(t *testing.T, path string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Values []map[string]any `json:"values"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || len(doc.Values) == 0 {
		t.Fatalf("%s: %v, %d values", path, err, len(doc.Values))
	}
	return doc.Values
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&quot;", `"`).Replace(s)
}

// An upload held for a mapping profile is removed when the server closes.
func TestImportHeldUploadRemovedOnClose(t *testing.T) {
	t.Parallel()
	env := newImportEnv(t, dashboard.Config{})
	base := env.ts.URL
	c := logintest.Login(t, base, "hoa", "")
	file, _ := filledTemplate(t, env.db)
	loc := redirected(t, uploadFile(t, c, base, "bieu.xlsx", file, map[string]string{"profile": "new"}), "/imports/jobs/")
	if !strings.HasSuffix(loc, "/profile") {
		t.Fatalf("a new profile sends to %q", loc)
	}
	entries, _ := os.ReadDir(env.uploads)
	if len(entries) != 1 {
		t.Fatalf("%d uploads held, want 1", len(entries))
	}
	env.srv.Close()
	env.noCopiesLeft(t)
}
