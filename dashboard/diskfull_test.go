package dashboard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chitieu/dashboard"
	"chitieu/dashboard/logintest"
	"chitieu/indicators"
	"chitieu/indicators/catalog"
	"chitieu/indicators/sqlite"
	"chitieu/internal/fixture"
)

type healthAnswer struct {
	Status string `json:"status"`
	Disk   []struct {
		What      string `json:"what"`
		FreeBytes int64  `json:"free_bytes"`
		Low       bool   `json:"low"`
	} `json:"disk"`
	Message string `json:"message"`
}

func health(t *testing.T, base string) healthAnswer {
	t.Helper()
	res, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var h healthAnswer
	if err := json.NewDecoder(res.Body).Decode(&h); err != nil || res.StatusCode != 200 {
		t.Fatalf("/healthz = %d, %v", res.StatusCode, err)
	}
	return h
}

// An upload into a temporary folder with no room for it says "đĩa đầy"
// (507), not that the form could not be read: refused before the copy when
// the request says its length, and when the copy runs out of room when it
// does not; nothing is left behind. /healthz reports the folder as low on
// space.
func TestUploadIntoAFullTemporaryFolder(t *testing.T) {
	uploads := fixture.SmallFS(t, "1m")
	ts, _, _ := newServerDB(t, func(cfg *dashboard.Config) { cfg.UploadDir = uploads })
	base := ts.URL
	c := as(t, base, indicators.Admin)
	data := bytes.Repeat([]byte("PK\x03\x04 not really a workbook "), 100_000) // 3 MB

	// With a Content-Length.
	res := postUpload(t, c, base, "lon.xlsx", data, nil, logintest.Token(t, c, base), "same-origin")
	body := textOf(read(t, res))
	if res.StatusCode != http.StatusInsufficientStorage || !strings.Contains(body, "đĩa đầy") ||
		strings.Contains(body, "không đọc được") {
		t.Errorf("upload of 3 MB into a 1 MB folder, length given = %d:\n%.1500s", res.StatusCode, body)
	}
	// Without one: the copy fills the folder.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf_token", logintest.Token(t, c, base))
	fw, _ := mw.CreateFormFile("file", "lon.xlsx")
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/imports", io.MultiReader(&buf)) // no length
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body = textOf(read(t, res))
	if res.StatusCode != http.StatusInsufficientStorage || !strings.Contains(body, "đĩa đầy") ||
		strings.Contains(body, "không đọc được") {
		t.Errorf("upload of 3 MB into a 1 MB folder, chunked = %d:\n%.1500s", res.StatusCode, body)
	}
	if left, _ := os.ReadDir(uploads); len(left) > 0 {
		t.Errorf("left in the upload folder: %v", left)
	}

	h := health(t, base)
	var sawUploads bool
	for _, d := range h.Disk {
		if d.Low != (d.FreeBytes < 256<<20) {
			t.Errorf("/healthz %s: %d bytes free, low %v", d.What, d.FreeBytes, d.Low)
		}
		sawUploads = sawUploads || (d.What == "uploads" && d.Low)
	}
	if !sawUploads || h.Status != "low_disk" || !strings.Contains(h.Message, "đĩa sắp đầy") {
		t.Errorf("/healthz with a 1 MB upload folder = %+v, want low_disk naming the uploads", h)
	}
}

// A background commit into a database whose disk has no room for it ends
// with the job saying "đĩa đầy" — in its JSON and on its page (507) — and
// nothing of the batch stored.
func TestCommitOnAFullDisk(t *testing.T) {
	dir := fixture.SmallFS(t, "40m")
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "full.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.LoadCatalog(ctx, cat); err != nil {
		t.Fatal(err)
	}
	ts, _ := serve(t, dashboard.Config{Store: db, BackgroundRows: 10, UploadDir: t.TempDir()})
	base := ts.URL
	c := as(t, base, indicators.Admin)
	file, _ := filledTemplate(t, db)
	id := batchOf(t, waitFor(t, c, base, redirected(t, uploadFile(t, c, base, "lon.xlsx", file, nil), "/imports/jobs/")).Next)

	// Leave 6 MB free: the preview is stored, the commit is refused.
	free, err := db.FreeSpace()
	if err != nil {
		t.Fatal(err)
	}
	ballast, err := os.Create(filepath.Join(dir, "ballast"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(ballast, zeros{}, free-6<<20); err != nil {
		t.Fatal(err)
	}
	ballast.Close()
	before := countValues(t, db)
	h := health(t, base)
	low := false
	for _, d := range h.Disk {
		low = low || (d.What == "database" && d.Low && d.FreeBytes <= 6<<20)
	}
	if !low || h.Status != "low_disk" {
		t.Errorf("/healthz with 6 MB left beside the database = %+v, want the database low", h)
	}

	loc := redirected(t, logintest.Post(t, c, base, fmt.Sprintf("/imports/batches/%d/commit", id), url.Values{}), "/imports/jobs/")
	p := waitFor(t, c, base, loc)
	if !strings.Contains(p.Error, "đĩa đầy") || !strings.Contains(p.Error, "không có gì được lưu") {
		t.Errorf("job of a commit on a full disk = %+v, want its error to say đĩa đầy", p)
	}
	code, page := getPage(t, c, base, strings.SplitN(loc, "?", 2)[0])
	if code != http.StatusInsufficientStorage || !strings.Contains(textOf(page), "đĩa đầy") {
		t.Errorf("job page = %d:\n%.1500s", code, textOf(page))
	}
	if b, _ := db.Batch(ctx, id); b.State == indicators.Committed {
		t.Errorf("batch #%d committed on a full disk", id)
	}
	if after := countValues(t, db); after != before {
		t.Errorf("values: %d before, %d after the refused commit", before, after)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func countValues(t *testing.T, db *sqlite.DB) int {
	t.Helper()
	n, err := db.CountValues(context.Background(), indicators.ValueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

type jobAnswer struct {
	Running bool   `json:"running"`
	Percent int    `json:"percent"`
	Next    string `json:"next"`
	Error   string `json:"error"`
}

// waitFor polls the JSON of the job loc points at until it ends.
func waitFor(t *testing.T, c *http.Client, base, loc string) jobAnswer {
	t.Helper()
	job := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/imports/jobs/")
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/imports/jobs/"+job, nil)
		req.Header.Set("Accept", "application/json")
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var p jobAnswer
		err = json.NewDecoder(res.Body).Decode(&p)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("job %s: %d %v", job, res.StatusCode, err)
		}
		if !p.Running {
			return p
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("job %s did not end", job)
	return jobAnswer{}
}
