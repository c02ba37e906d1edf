package dashboard_test

import (
	"html"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"chitieu/dashboard"
	"chitieu/indicators"
	"chitieu/internal/testdb"
)

// get fetches url with client and returns the response and its body,
// failing unless the status is want. A nil client is the leader's.
func get(t *testing.T, client *http.Client, url string, want int) (*http.Response, string) {
	t.Helper()
	if client == nil {
		client = clientFor(t, url)
	}
	res, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("GET %s = %d, want %d\n%s", url, res.StatusCode, want, body)
	}
	return res, string(body)
}

func TestLanguageSwitchIsRemembered(t *testing.T) {
	t.Parallel()
	ts, _ := newServer(t)
	client := as(t, ts.URL, indicators.Leader)
	_, body := get(t, client, ts.URL+"/", 200)
	if !strings.Contains(body, `<html lang="vi">`) || !strings.Contains(body, "Tổng quan") {
		t.Fatalf("default page is not in Vietnamese:\n%.400s", body)
	}
	res, body := get(t, client, ts.URL+"/?lang=en", 200)
	if !strings.Contains(body, `<html lang="en">`) || res.Header.Get("Content-Language") != "en" {
		t.Fatalf("?lang=en did not switch to English")
	}
	_, body = get(t, client, ts.URL+"/", 200)
	if !strings.Contains(body, `<html lang="en">`) {
		t.Errorf("the choice of English was not remembered")
	}
	_, body = get(t, client, ts.URL+"/?lang=fr", 200)
	if !strings.Contains(body, `<html lang="en">`) {
		t.Errorf("an unknown language replaced the remembered one")
	}
}

// Every script element of every page that a browser runs carries the
// nonce of the answer's Content-Security-Policy (the charts' JSON data
// blocks, which no browser runs, are cached with the page and carry none),
// and no element carries an inline event handler.
func TestScriptsCarryTheNonce(t *testing.T) {
	t.Parallel()
	ts, srv, _ := newServerDB(t)
	script := regexp.MustCompile(`<script\b[^>]*>`)
	handler := regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
	policyNonce := regexp.MustCompile(`'nonce-([^']+)'`)
	for _, path := range pagePaths(t, srv) {
		res, body := visit(t, ts.URL, path, 200)
		nonce := policyNonce.FindStringSubmatch(res.Header.Get("Content-Security-Policy"))
		if nonce == nil {
			t.Fatalf("%s: no nonce in the Content-Security-Policy %q", path, res.Header.Get("Content-Security-Policy"))
		}
		tags := script.FindAllString(body, -1)
		if len(tags) == 0 {
			t.Errorf("%s has no script at all", path)
		}
		for _, tag := range tags {
			if strings.HasPrefix(tag, `<script type="application/json" id="chart-`) {
				continue
			}
			// The nonce is base64, whose + the page writes as &#43;.
			if !strings.Contains(html.UnescapeString(tag), `nonce="`+nonce[1]+`"`) {
				t.Errorf("%s: %s lacks the nonce %s", path, tag, nonce[1])
			}
		}
		if m := handler.FindString(body); m != "" {
			t.Errorf("%s has an inline event handler %q", path, m)
		}
	}
}

// pagePaths lists the pages to check: every GET route that is not the API,
// the health check, an asset or a report download, with its parameters
// filled; visit reads each as a user whose role may. Downloads, and the
// pages of an import job or batch, which a fresh server does not have, are
// left out.
func pagePaths(t *testing.T, srv *dashboard.Server) []string {
	t.Helper()
	fill := strings.NewReplacer(":code", "ECO-01", ":number", "3", ":name", testUsers[indicators.Admin], ":id", "1",
		":plan", "59-nq-tw-2020-08-05", ":target", "1", ":task", "G3-T07", ":unit", "916", ":source", "S63")
	var out []string
	for _, r := range srv.Echo().Routes() {
		if r.Method != http.MethodGet || strings.HasPrefix(r.Path, "/api/") || strings.HasPrefix(r.Path, "/static/") ||
			r.Path == "/healthz" || strings.HasPrefix(r.Path, "/reports/") || r.Path == "/audit/export" ||
			r.Path == "/admin/planbook/export" || r.Path == "/imports/template" || r.Path == "/admin/targets/parse" ||
			// a job or a batch that a fresh server does not have
			strings.HasPrefix(r.Path, "/imports/jobs/") || strings.HasPrefix(r.Path, "/imports/batches/") ||
			// a plan a fresh server has not opened (TestPublicViewScan opens one)
			strings.HasPrefix(r.Path, "/public/plans/") {
			continue
		}
		out = append(out, fill.Replace(r.Path))
	}
	if len(out) == 0 {
		t.Fatal("no pages registered")
	}
	return out
}

func TestStaticAssetsAreCachedByFingerprint(t *testing.T) {
	t.Parallel()
	ts, _ := newServer(t)
	_, page := get(t, nil, ts.URL+"/", 200)
	css := regexp.MustCompile(`/static/css/app\.css\?v=([0-9a-f]+)`).FindStringSubmatch(page)
	if css == nil {
		t.Fatalf("the page links no fingerprinted stylesheet:\n%.600s", page)
	}
	res, body := get(t, nil, ts.URL+css[0], 200)
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
		t.Errorf("fingerprinted asset Cache-Control = %q, want a year, immutable", cc)
	}
	if res.Header.Get("ETag") != `"`+css[1]+`"` || !strings.Contains(res.Header.Get("Content-Type"), "text/css") || !strings.Contains(body, ".badge") {
		t.Errorf("asset headers %v", res.Header)
	}
	res, _ = get(t, nil, ts.URL+"/static/css/app.css", 200)
	if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("unfingerprinted asset Cache-Control = %q, want no-cache", cc)
	}
	req, _ := http.NewRequest("GET", ts.URL+"/static/css/app.css", nil)
	req.Header.Set("If-None-Match", `"`+css[1]+`"`)
	res2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res2.Body.Close()
	if res2.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation with the ETag = %d, want 304", res2.StatusCode)
	}
	get(t, nil, ts.URL+"/static/../go.mod", 404)
	get(t, nil, ts.URL+"/static/css/none.css", 404)
}

// With Config.TemplatesDir the pages are read from disk at each request,
// and a page that does not parse stops the start.
func TestTemplatesFromDisk(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("templates")); err != nil {
		t.Fatal(err)
	}
	db := testdb.Builtin(t)
	ts, _ := serve(t, dashboard.Config{Store: db, TemplatesDir: dir})
	page := filepath.Join(dir, "pages", "overview.html")
	b, _ := os.ReadFile(page)
	edited := strings.Replace(string(b), `{{define "content"}}`, `{{define "content"}}<p>edited on disk</p>`, 1)
	if err := os.WriteFile(page, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	_, body := get(t, nil, ts.URL+"/", 200)
	if !strings.Contains(body, "edited on disk") {
		t.Errorf("an edit on disk did not show")
	}
	os.WriteFile(page, []byte(`{{define "content"}}{{.Broken`), 0o644)
	if _, err := dashboard.New(dashboard.Config{Store: db, TemplatesDir: dir}); err == nil || !strings.Contains(err.Error(), "overview.html") {
		t.Errorf("a page that does not parse gave %v, want an error naming it", err)
	}
}
