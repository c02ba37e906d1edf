package dashboard_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"chitieu/dashboard/logintest"
	"chitieu/indicators"
	"chitieu/reports"
)

// upload sends a plan workbook to the preview as the upload form does.
func (e adminEnv) upload(t *testing.T, data []byte, name string) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf_token", logintest.Token(t, e.admin, e.ts.URL))
	if data != nil {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, e.ts.URL+"/admin/planbook/preview?lang=vi", &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", e.ts.URL)
	res, err := e.admin.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// commitForm reads the hidden fields of a preview's commit form.
func commitForm(t *testing.T, body string) url.Values {
	t.Helper()
	i := strings.Index(body, `id="commit-form"`)
	if i < 0 {
		t.Fatalf("the preview offers no commit:\n%.3000s", body)
	}
	form := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="(file|name|digest)" value="([^"]*)">`).FindAllStringSubmatch(body[i:], -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	return form
}

// workbook writes the catalogue as stored, changed by edit, as a plan
// workbook.
func (e adminEnv) workbook(t *testing.T, edit func(c *indicators.Catalog)) []byte {
	t.Helper()
	cat, err := indicators.ReadCatalog(context.Background(), e.db)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(cat)
	}
	var buf bytes.Buffer
	if err := reports.WritePlanbook(&buf, cat, time.Now()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// addAndRevise adds a Resolution 59 target and revises the 98/NQ-CP
// target of ECO-02.
func addAndRevise(c *indicators.Catalog) {
	day := func(s string) time.Time { d, _ := indicators.ParseDate("d", s); return d }
	for i := range c.Targets {
		if c.Targets[i].Plan == "98-nq-cp-2021-08-30" && c.Targets[i].Indicator == "ECO-02" {
			c.Targets[i].Revisions = append(c.Targets[i].Revisions, indicators.TargetRevision{Seq: 1, Kind: indicators.LevelTarget,
				Bound: indicators.Bound{Op: indicators.OpRange, A: 7000, B: 7500}, Text: "7.000 - 7.500 USD", Act: "12/NQ-CP",
				ActDate: day("2024-03-01"), Effective: day("2024-03-01"), Reason: "điều chỉnh"})
		}
	}
	c.Targets = append(c.Targets, indicators.Target{Plan: r59, Indicator: "SOC-04", Period: indicators.YearRange{From: 2021, To: 2030},
		Scope: indicators.OldCity, Group: 6, TargetRevision: indicators.TargetRevision{Text: "dưới 1%", Kind: indicators.LevelTarget,
			Bound: indicators.Bound{Op: indicators.OpAtMost, A: 1}, Act: "59-NQ/TW", ActDate: day("2020-08-05"), Effective: day("2020-08-05")}})
}

// The workbook downloads; uploaded back with a new target and a revision
// it is previewed cell by cell, kept under its hash, and committed all at
// once, the revised target keeping its original.
func TestAdminPlanbookPreviewAndCommit(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	ctx := context.Background()
	res, err := e.admin.Get(e.ts.URL + "/admin/planbook/export")
	if err != nil {
		t.Fatal(err)
	}
	exported, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") || !bytes.HasPrefix(exported, []byte("PK")) {
		t.Fatalf("export = %d %v", res.StatusCode, res.Header)
	}
	// The download uploaded as it is changes nothing and offers no commit.
	status, body := e.upload(t, exported, "so-ke-hoach.xlsx")
	if status != 200 || !strings.Contains(body, "Sổ không có gì khác danh mục hiện có.") || strings.Contains(body, `id="commit-form"`) {
		t.Fatalf("the export uploaded back = %d:\n%.3000s", status, body)
	}

	data := e.workbook(t, addAndRevise)
	sum := sha256.Sum256(data)
	before := e.lastEvent(t)
	status, body = e.upload(t, data, "bo-sung.xlsx")
	if status != 200 {
		t.Fatalf("preview = %d:\n%.3000s", status, body)
	}
	counts := regexp.MustCompile(`\s+`).ReplaceAllString(body[strings.Index(body, `id="preview-counts"`):], " ")
	if !strings.Contains(counts, "Mới <b>2</b>") || !strings.Contains(counts, "Bị từ chối <b>0</b>") {
		t.Errorf("counts = %.300s", counts)
	}
	for _, w := range []string{"98-nq-cp-2021-08-30/ECO-02/2021-2025/old_city#1", r59 + "/SOC-04/2021-2030/old_city#0", "Mục tiêu, dòng", "điều chỉnh"} {
		if !strings.Contains(body, w) {
			t.Errorf("the preview lacks %q", w)
		}
	}
	if evs := e.eventsAfter(t, before, "planbook.preview"); len(evs) != 1 || evs[0].FileHash != hex.EncodeToString(sum[:]) {
		t.Errorf("preview audit = %+v", evs)
	}
	if n := len(e.eventsAfter(t, before, "target.create")); n != 0 {
		t.Fatal("the preview stored a target")
	}

	form := commitForm(t, body)
	if form.Get("file") != hex.EncodeToString(sum[:]) || form.Get("name") != "bo-sung.xlsx" || form.Get("digest") == "" {
		t.Errorf("commit form = %v", form)
	}
	status, loc, body := e.post(t, e.admin, "/admin/planbook/commit", form)
	if status != http.StatusSeeOther || loc != "/admin/planbook?done=admin.planbook.committed" {
		t.Fatalf("commit = %d %q:\n%.3000s", status, loc, body)
	}
	ts, _ := e.db.Targets(ctx, indicators.TargetFilter{Plan: "98-nq-cp-2021-08-30", Indicator: "ECO-02"})
	if len(ts) != 1 || len(ts[0].Revisions) != 2 || ts[0].Revisions[0].Act != "98/NQ-CP" || ts[0].Revisions[1].Act != "12/NQ-CP" {
		t.Errorf("the revised target = %+v", ts)
	}
	added, _ := e.db.Targets(ctx, indicators.TargetFilter{Plan: r59, Indicator: "SOC-04"})
	if len(added) != 1 || added[0].Bound != (indicators.Bound{Op: indicators.OpAtMost, A: 1}) {
		t.Errorf("the added target = %+v", added)
	}
	imports := e.eventsAfter(t, before, "planbook.import")
	if len(imports) != 1 || imports[0].FileHash != form.Get("file") || len(e.eventsAfter(t, before, "target.revise")) != 1 {
		t.Errorf("commit audit = %+v", imports)
	}
	_, page := e.page(t, e.admin, loc)
	if !strings.Contains(page, "Đã ghi sổ kế hoạch vào cơ sở dữ liệu.") {
		t.Errorf("no notice after the commit")
	}
	// Committing the same preview again finds nothing left to do.
	status, loc, _ = e.post(t, e.admin, "/admin/planbook/commit", form)
	if status != http.StatusSeeOther || loc != "/admin/planbook?done=admin.planbook.nothing" {
		t.Errorf("second commit = %d %q", status, loc)
	}
}

// The commit compares the file with the catalogue again: when someone
// changed the catalogue after the preview, it shows the new comparison
// and stores nothing until that is confirmed.
func TestAdminPlanbookCommitComparesAgain(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "khac"})
	data := e.workbook(t, addAndRevise)
	_, body := e.upload(t, data, "bo-sung.xlsx")
	form := commitForm(t, body)

	p, _ := e.db.Plan(ctx, r59)
	p.TitleEN = "Changed by someone else meanwhile"
	if err := e.db.UpdatePlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	before := e.lastEvent(t)
	status, _, body := e.post(t, e.admin, "/admin/planbook/commit?lang=vi", form)
	if status != http.StatusConflict || !strings.Contains(body, "Danh mục đã thay đổi kể từ lúc xem trước") {
		t.Fatalf("commit after a change = %d:\n%.3000s", status, body)
	}
	if e.lastEvent(t) != before {
		t.Fatal("a commit that no longer matched its preview stored something")
	}
	// The new comparison shows the workbook would put the title back; its
	// own commit form applies it.
	if !strings.Contains(body, "Changed by someone else meanwhile") {
		t.Errorf("the new comparison does not show the plan's changed title")
	}
	again := commitForm(t, body)
	if again.Get("digest") == form.Get("digest") {
		t.Error("the new comparison has the old digest")
	}
	status, loc, _ := e.post(t, e.admin, "/admin/planbook/commit", again)
	if status != http.StatusSeeOther || loc != "/admin/planbook?done=admin.planbook.committed" {
		t.Fatalf("confirmed commit = %d %q", status, loc)
	}
	if p, _ := e.db.Plan(ctx, r59); p.TitleEN == "Changed by someone else meanwhile" {
		t.Error("the workbook's title was not applied")
	}
}

// A workbook with a refused cell is shown with the sheet, the cell and the
// reason, offers no commit and keeps nothing; a missing or oversized file
// is refused on the upload form.
func TestAdminPlanbookRefused(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	data := e.workbook(t, func(c *indicators.Catalog) {
		c.Targets = append(c.Targets, indicators.Target{Plan: r59, Indicator: "ZZZ-99", Period: indicators.YearRange{From: 2021, To: 2025},
			Scope: indicators.OldCity, TargetRevision: indicators.TargetRevision{Text: "trên 10%"}})
	})
	before := e.lastEvent(t)
	status, body := e.upload(t, data, "sai.xlsx")
	if status != http.StatusUnprocessableEntity || strings.Contains(body, `id="commit-form"`) {
		t.Fatalf("refused workbook = %d, commit offered %v", status, strings.Contains(body, `id="commit-form"`))
	}
	errs := body[strings.Index(body, `id="preview-errors"`):]
	if !regexp.MustCompile(`<td>Mục tiêu</td><td>B\d+</td><td>ZZZ-99</td><td>[^<]*ZZZ-99`).MatchString(errs) {
		t.Errorf("the refused cell is not listed with its sheet, cell and reason:\n%.1500s", errs)
	}
	if e.lastEvent(t) != before {
		t.Error("a refused workbook stored something")
	}

	status, body = e.upload(t, nil, "")
	if status != http.StatusBadRequest || !strings.Contains(fieldError(body, "file"), "chọn tệp sổ kế hoạch") {
		t.Errorf("no file = %d, %q", status, fieldError(body, "file"))
	}
	status, body = e.upload(t, []byte("<html>không phải Excel</html>"), "bang.xlsx")
	if status != http.StatusBadRequest || fieldError(body, "file") == "" {
		t.Errorf("an HTML page named .xlsx = %d, %q", status, fieldError(body, "file"))
	}
	status, _ = e.upload(t, bytes.Repeat([]byte("x"), 22<<20), "lon.xlsx")
	if status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 22 MB upload = %d, want 413", status)
	}
}
