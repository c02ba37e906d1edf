package main

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
	"regexp"
	"strings"
	"sync"
	"time"

	"chitieu/indicators"
	"chitieu/tools/benchdata"
)

// The concurrent-import load: five admins each upload a different
// 100,000-row long table through the web at the same moment, wait for the
// preview, commit the batch it staged and wait for the commit, as a planner
// does in the browser. The five tables hold different keys, so that no
// commit changes what another previewed.

const (
	concurrentImports = 5
	concurrentRows    = 100000
)

// uploader is one admin's signed-in client.
type uploader struct {
	name   string
	client *http.Client
	cookie string
	token  string // the session's CSRF token
}

// importLoad is the load's files and uploaders.
type importLoad struct {
	base  string
	dir   string
	table benchdata.Table
	users []*uploader
	run   int
}

// newImportLoad signs the five admins in and prepares the table.
func newImportLoad(ctx context.Context, db store, base string) (*importLoad, func(), error) {
	dir, err := os.MkdirTemp("", "chitieu-benchweb-imports-")
	if err != nil {
		return nil, nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	table, err := benchdata.Builtin()
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	l := &importLoad{base: base, dir: dir, table: table}
	for i := range concurrentImports {
		name := fmt.Sprintf("bench.admin%d", i+1)
		client, cookie, err := signIn(ctx, db, base, name, indicators.Admin)
		if err != nil {
			cleanup()
			return nil, nil, err
		}
		u := &uploader{name: name, client: client, cookie: cookie}
		if u.token, err = u.csrf(base); err != nil {
			cleanup()
			return nil, nil, err
		}
		l.users = append(l.users, u)
	}
	return l, cleanup, nil
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrf reads the session's CSRF token from the imports page.
func (u *uploader) csrf(base string) (string, error) {
	res, err := u.client.Get(base + "/imports")
	if err != nil {
		return "", err
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfField.FindSubmatch(page)
	if m == nil {
		return "", fmt.Errorf("the imports page of %s (%d) has no CSRF token", u.name, res.StatusCode)
	}
	return string(m[1]), nil
}

// writeFiles writes this run's five tables: different keys per table,
// values that differ from those of every earlier run.
func (l *importLoad) writeFiles() ([]string, error) {
	l.run++
	base := float64(time.Now().UnixNano()%997) / 1000
	var files []string
	for i := range concurrentImports {
		path := filepath.Join(l.dir, fmt.Sprintf("run%d-import%d.xlsx", l.run, i+1))
		t := l.table
		t.Shift, t.From = base+float64(l.run), i*concurrentRows
		if err := t.WriteInline(path, concurrentRows); err != nil {
			return nil, fmt.Errorf("write %s: %w", path, err)
		}
		files = append(files, path)
	}
	return files, nil
}

// importRun is the five imports of one measured run.
type importRun struct {
	jobs    chan string // the preview job of each upload, as it is accepted
	wg      sync.WaitGroup
	mu      sync.Mutex
	errs    []error
	seconds []float64
}

// start uploads the five files at once; each upload then waits for its
// preview, commits and waits for the commit.
func (l *importLoad) start(files []string) *importRun {
	r := &importRun{jobs: make(chan string, len(files))}
	for i, f := range files {
		r.wg.Add(1)
		go func(u *uploader, file string) {
			defer r.wg.Done()
			start := time.Now()
			err := u.importFile(l.base, file, r.jobs)
			r.mu.Lock()
			defer r.mu.Unlock()
			if err != nil {
				r.errs = append(r.errs, fmt.Errorf("%s: %w", filepath.Base(file), err))
				return
			}
			r.seconds = append(r.seconds, time.Since(start).Seconds())
		}(l.users[i], f)
	}
	return r
}

// ended is closed once the five imports have ended, well or not.
func (r *importRun) ended() <-chan struct{} {
	c := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(c)
	}()
	return c
}

// wait waits for the five imports and says how they went.
func (r *importRun) wait() (done int, slowest float64, err error) {
	r.wg.Wait()
	for _, s := range r.seconds {
		slowest = max(slowest, s)
	}
	if len(r.errs) > 0 {
		err = r.errs[0]
	}
	return len(r.seconds), slowest, err
}

// importFile uploads a file, follows its preview job, commits the batch
// it staged and follows the commit job; the first job's path goes to jobs.
func (u *uploader) importFile(base, path string, jobs chan<- string) error {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", u.token)
	mw.WriteField("profile", "auto")
	fw, err := mw.CreateFormFile("file", filepath.Base(path))
	if err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/imports", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	job, err := u.send(req, base)
	if err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	if !strings.HasPrefix(job, "/imports/jobs/") {
		return fmt.Errorf("upload went to %s, not to a job", job)
	}
	jobs <- job
	next, err := u.follow(base, job)
	if err != nil {
		return fmt.Errorf("preview: %w", err)
	}
	batch, _, _ := strings.Cut(next, "?")
	if !strings.HasPrefix(batch, "/imports/batches/") {
		return fmt.Errorf("preview ended at %s, not at a batch", next)
	}
	// The synthetic values jump between units and years, so the preview
	// warns about their plausibility; the commit confirms them with a note
	// as a planner would, which also exercises that path under load.
	form := url.Values{"csrf_token": {u.token}, "confirm_plausibility": {"1"},
		"plausibility_note": {"số liệu tổng hợp để đo tải"}}
	req, _ = http.NewRequest(http.MethodPost, base+batch+"/commit", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	to, err := u.send(req, base)
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if strings.HasPrefix(to, "/imports/jobs/") {
		if to, err = u.follow(base, to); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
	}
	if !strings.Contains(to, "committed") {
		return fmt.Errorf("commit ended at %s", to)
	}
	return nil
}

// send posts a form and returns where it redirects, without the query.
func (u *uploader) send(req *http.Request, base string) (string, error) {
	req.Header.Set("Origin", base)
	res, err := u.client.Do(req)
	if err != nil {
		return "", err
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("answered %d: %.300s", res.StatusCode, page)
	}
	loc := strings.TrimPrefix(res.Header.Get("Location"), base)
	return loc, nil
}

// follow polls a job's progress API until the job has ended and returns
// where its page would send the browser.
func (u *uploader) follow(base, job string) (string, error) {
	path, _, _ := strings.Cut(job, "?")
	for {
		res, err := u.client.Get(base + "/api/v1" + path)
		if err != nil {
			return "", err
		}
		var p struct {
			Running bool   `json:"running"`
			Next    string `json:"next"`
		}
		err = json.NewDecoder(res.Body).Decode(&p)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || err != nil {
			return "", fmt.Errorf("%s answered %d (%v)", path, res.StatusCode, err)
		}
		if !p.Running {
			return p.Next, nil
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// runImportRows measures each page at conns connections while five imports
// run, one wrk run per page, each during five fresh imports.
func runImportRows(ctx context.Context, db store, storeName, base, wrk, script string, conns int, d time.Duration,
	pages []struct{ name, path string }, withJob bool, label string) ([]result, error) {
	l, cleanup, err := newImportLoad(ctx, db, base)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	var rows []result
	if withJob {
		pages = append(pages, struct{ name, path string }{"job", ""})
	}
	for _, p := range pages {
		files, err := l.writeFiles()
		if err != nil {
			return nil, err
		}
		run := l.start(files)
		// The progress API of the first upload's job, once it is accepted;
		// if every upload fails first, there is none to wait for.
		var job string
		select {
		case job = <-run.jobs:
		case <-run.ended():
			select {
			case job = <-run.jobs: // accepted, and all ended already
			default:
				_, _, ierr := run.wait()
				return nil, fmt.Errorf("import load: no upload was accepted: %w", ierr)
			}
		}
		path := p.path
		if p.name == "job" {
			path = "/api/v1" + job
		}
		r, err := runWrk(wrk, script, base+path, l.users[0].cookie, conns, d)
		if err != nil {
			return nil, err
		}
		done, slowest, ierr := run.wait()
		if ierr != nil {
			return nil, fmt.Errorf("import load: %w", ierr)
		}
		r.store, r.page, r.conns, r.load = storeName, p.name, conns, label
		rows = append(rows, r)
		fmt.Printf("  %-11s %-9s %3d conns %-13s %8.0f req/s  p95 %7.2f ms  %d errors  (%d imports of %d rows, the slowest %.0f s)\n",
			r.store, r.page, r.conns, r.load, r.rps, r.p95, r.errors, done, concurrentRows, slowest)
	}
	return rows, nil
}
