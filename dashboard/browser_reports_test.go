package dashboard_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"chitieu/indicators"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// downloads collects what the browser hears about downloads: the answer's
// headers and the finished file.
type downloads struct {
	mu       sync.Mutex
	headers  map[string]network.Headers // URL → response headers
	done     chan string                // GUIDs of finished downloads
	suggests map[string]string          // GUID → the file name the browser offers
}

func (d *downloads) listen(ev any) {
	d.mu.Lock()
	defer d.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventResponseReceived:
		if strings.Contains(e.Response.URL, "/reports/") || strings.Contains(e.Response.URL, "/audit/export") {
			d.headers[e.Response.URL] = e.Response.Headers
		}
	case *cdpbrowser.EventDownloadWillBegin:
		d.suggests[e.GUID] = e.SuggestedFilename
	case *cdpbrowser.EventDownloadProgress:
		if e.State == cdpbrowser.DownloadProgressStateCompleted {
			d.done <- e.GUID
		}
	}
}

func header(h network.Headers, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			s, _ := v.(string)
			return s
		}
	}
	return ""
}

// An auditor opens the reports page, picks a task group and a past day,
// and downloads the progress report: the browser receives an attachment
// with the workbook's type and name, and the file holds the numbers as
// they stood that day.
func browserReports(t *testing.T) {
	env := newReportEnv(t, nil)
	ctx, seen := browser(t, 1280, 900)
	dir := t.TempDir()
	dl := &downloads{headers: map[string]network.Headers{}, done: make(chan string, 4), suggests: map[string]string{}}
	chromedp.ListenTarget(ctx, dl.listen)

	// The browser carries the auditor's session, as after signing in.
	base, _ := url.Parse(env.ts.URL + "/")
	var session *network.CookieParam
	for _, ck := range env.users[indicators.Auditor].Jar.Cookies(base) {
		if ck.Name == "chitieu_session" {
			session = &network.CookieParam{Name: ck.Name, Value: ck.Value, URL: env.ts.URL + "/", HTTPOnly: true}
		}
	}
	if session == nil {
		t.Fatal("the auditor has no session cookie")
	}
	if err := chromedp.Run(ctx, network.Enable(), network.SetCookies([]*network.CookieParam{session}),
		cdpbrowser.SetDownloadBehavior(cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName).WithDownloadPath(dir).WithEventsEnabled(true)); err != nil {
		t.Fatal(err)
	}

	open(t, ctx, env.ts.URL+"/reports")
	if h := evalString(t, ctx, `document.querySelector('h1').innerText`); h != "Báo cáo Excel" {
		t.Fatalf("reports page heading = %q", h)
	}
	if n := evalString(t, ctx, `String(document.querySelectorAll('form#form-progress, form#form-data, form#form-audit').length)`); n != "3" {
		t.Errorf("the auditor sees %s report forms, want 3", n)
	}
	shot(t, ctx, "reports")
	if err := chromedp.Run(ctx,
		chromedp.SetValue(`#form-progress select[name=group]`, "0", chromedp.ByQuery),
		chromedp.SetValue(`#form-progress input[name=asof]`, asOfDay, chromedp.ByQuery),
		chromedp.Click(`#form-progress button[type=submit]`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	var guid string
	select {
	case guid = <-dl.done:
	case <-time.After(60 * time.Second):
		t.Fatal("the download did not finish within a minute")
	}
	dl.mu.Lock()
	var h network.Headers
	var from string
	for u, hh := range dl.headers {
		if strings.Contains(u, "/reports/progress?") {
			h, from = hh, u
		}
	}
	name := dl.suggests[guid]
	dl.mu.Unlock()
	if h == nil {
		t.Fatal("the browser saw no answer from /reports/progress")
	}
	q, _ := url.Parse(from)
	if v := q.Query(); v.Get("group") != "0" || v.Get("asof") != asOfDay || v.Get("language") != "vi" || v.Get("period") == "" {
		t.Errorf("the form sent %s", from)
	}
	if ct := header(h, "Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := header(h, "Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, name) ||
		!strings.Contains(name, "_nhom-0_") || !strings.HasSuffix(name, "_"+asOfDay+".xlsx") {
		t.Errorf("Content-Disposition %q, the browser names the file %q", cd, name)
	}
	f, err := excelize.OpenFile(filepath.Join(dir, guid))
	if err != nil {
		entries, _ := os.ReadDir(dir)
		t.Fatalf("open the downloaded file: %v (folder: %v)", err, entries)
	}
	defer f.Close()
	d, _ := indicators.ParseDate("asof", asOfDay)
	checkProgress(t, env, f, indicators.EndOfDay(d))
	if props, err := f.GetDocProps(); err != nil || props.Identifier != header(h, "X-Report-Hash") {
		t.Errorf("file hash %q, header %q (%v)", props.Identifier, header(h, "X-Report-Hash"), err)
	}
	if _, e := env.lastExport(t); e.Params["asof"] != asOfDay || e.Params["group"] != "0" {
		t.Errorf("export recorded as %+v", e)
	}
	if u := evalString(t, ctx, `location.pathname`); u != "/reports" {
		t.Errorf("after the download the browser shows %s, want the reports page still", u)
	}
	if d := seen.list(); len(d) > 0 {
		t.Errorf("dialogs opened: %q", d)
	}

	// On a phone the forms wrap within the screen.
	phone, _ := browser(t, 390, 844)
	if err := chromedp.Run(phone, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		network.SetCookies([]*network.CookieParam{session})); err != nil {
		t.Fatal(err)
	}
	open(t, phone, env.ts.URL+"/reports")
	if w := evalString(t, phone, `document.documentElement.scrollWidth + "/" + window.innerWidth`); w != "390/390" {
		t.Errorf("/reports is %s pixels wide (page/window) on a 390-pixel phone", w)
	}
	shot(t, phone, "reports-phone")
}
