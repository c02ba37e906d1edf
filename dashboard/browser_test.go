package dashboard_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"chitieu/dashboard/logintest"
	"chitieu/indicators"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The browser tests start the real server on a temporary database and
// drive Debian's Chromium, headless, through the pages a leader uses,
// signed in through the login form as a leader. They
// read what the charts hold from the page's own ECharts instances. With
// CHITIEU_SCREENSHOTS=1 (make screenshots) they also save full-page
// screenshots, for people to look at, under artifacts/browser
// (CHITIEU_ARTIFACTS to change); they assert nothing, and encoding them
// costs a sixth of the browser tests' time, so make test takes none. Under
// CI=true the tests must run; elsewhere they skip when Chromium is missing.

// TestBrowser runs the browser tests one after another, beside the
// package's other tests. One Chromium at a time is what two cores bear, and
// a browser test spends much of its time waiting for the page, time the
// other tests fill; as top-level tests of their own they could only run
// alone, before the parallel ones. Run one with -run 'TestBrowser/Calendar'.
func TestBrowser(t *testing.T) {
	t.Parallel()
	for _, bt := range []struct {
		name string
		run  func(*testing.T)
	}{
		{"Dashboards", browserDashboards},
		{"AxeEveryPage", browserAxeEveryPage},
		{"ReportingMonth", browserReportingMonth},
		{"SubmissionCycle", browserSubmissionCycle},
		{"Import", browserImport},
		{"ImportProfile", browserImportProfile},
		{"UnitSharesLeague", browserUnitSharesLeague},
		{"Reports", browserReports},
		{"ChartTargets", browserChartTargets},
		{"AdminPlanTargetRevision", browserAdminPlanTargetRevision},
		{"EntryForm", browserEntryForm},
		{"Calendar", browserCalendar},
		{"PublicView", browserPublicView},
	} {
		t.Run(bt.name, bt.run)
	}
}

// headlessShell is Debian's chromium-headless-shell, the build of Chromium
// made for driving by a program: it draws the same pages as the full
// browser with a fifth less CPU, having no browser interface to run. The
// program itself, not /usr/bin's script, which would outlive a kill.
const headlessShell = "/usr/lib/chromium/chromium-headless-shell"

// chromium finds the browser, or skips (fails under CI) with a message.
func chromium(t *testing.T) string {
	t.Helper()
	ci := os.Getenv("CI") == "true"
	if _, err := os.Stat(headlessShell); err != nil {
		if ci {
			t.Fatalf("browser tests: %s is missing (apt-get install chromium-headless-shell); CI must run them", headlessShell)
		}
		t.Skipf("browser tests skipped: %s not found (apt-get install chromium-headless-shell)", headlessShell)
	}
	if _, err := os.Stat(filepath.Join("static", "vendor", "echarts.min.js")); err != nil {
		if ci {
			t.Fatal("browser tests: ECharts is missing from dashboard/static/vendor; run make assets")
		}
		t.Skip("browser tests skipped: ECharts missing from dashboard/static/vendor (run make assets)")
	}
	return headlessShell
}

// browser starts a fresh headless Chromium and returns its context.
func browser(t *testing.T, width, height int) (context.Context, *dialogs) {
	t.Helper()
	// A fresh profile for each browser; removed by hand once the browser
	// has gone, since it may still be writing as t.TempDir's cleanup runs.
	profile, err := os.MkdirTemp("", "chitieu-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(width, height),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		for i := 0; i < 50 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	d := &dialogs{}
	// A JavaScript dialog (alert) would mean data ran as code: record it
	// and close it so that the page goes on.
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			d.add(e.Message)
			go chromedp.Run(ctx, page.HandleJavaScriptDialog(false))
		}
	})
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	watchAxe(t, ctx)
	return ctx, d
}

type dialogs struct {
	mu   sync.Mutex
	seen []string
}

func (d *dialogs) add(m string) { d.mu.Lock(); d.seen = append(d.seen, m); d.mu.Unlock() }
func (d *dialogs) list() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.seen...)
}

// artifacts is where screenshots go.
func artifacts(t *testing.T) string {
	dir := os.Getenv("CHITIEU_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "artifacts", "browser")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// shot saves a full-page screenshot when CHITIEU_SCREENSHOTS is set.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if os.Getenv("CHITIEU_SCREENSHOTS") == "" {
		return
	}
	var buf []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&buf, 100)); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	p := filepath.Join(artifacts(t), name+".png")
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		t.Error(err)
	}
}

// open navigates to url and waits until the charts of the page are drawn.
func open(t *testing.T, ctx context.Context, url string, charts ...string) {
	t.Helper()
	actions := []chromedp.Action{chromedp.Navigate(url), chromedp.WaitReady("main", chromedp.ByQuery)}
	for _, id := range charts {
		actions = append(actions, chromedp.WaitVisible("#chart-"+id+" canvas", chromedp.ByQuery))
	}
	actions = append(actions, axeDone())
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
}

// option returns a chart's ECharts option as the page holds it.
func option(t *testing.T, ctx context.Context, id string) map[string]any {
	t.Helper()
	var raw string
	js := fmt.Sprintf(`JSON.stringify(echarts.getInstanceByDom(document.getElementById(%q)).getOption())`, "chart-"+id)
	if err := chromedp.Run(ctx, chromedp.Evaluate(js, &raw)); err != nil {
		t.Fatalf("option of chart %s: %v", id, err)
	}
	var o map[string]any
	if err := json.Unmarshal([]byte(raw), &o); err != nil {
		t.Fatal(err)
	}
	return o
}

func evalString(t *testing.T, ctx context.Context, js string) string {
	t.Helper()
	var s string
	if err := chromedp.Run(ctx, chromedp.Evaluate(js, &s)); err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return s
}

func seriesNames(o map[string]any) []string {
	var out []string
	list, _ := o["series"].([]any)
	for _, s := range list {
		m, _ := s.(map[string]any)
		name, _ := m["name"].(string)
		out = append(out, name)
	}
	return out
}

// groupsJSON reads the plan's roll-up from the JSON API, to check the
// charts against.
func groupsJSON(t *testing.T, base, query string) (total map[string]int) {
	t.Helper()
	res, err := clientFor(t, base).Get(base + "/api/v1/plans/59-nq-tw-2020-08-05/groups?" + query)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		RollUp struct {
			Counts map[string]int `json:"counts"`
		} `json:"rollup"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body.RollUp.Counts
}

// signIn opens path in the browser without a session, is sent to the
// login form, signs in there as the leader by typing, and lands on path.
func signIn(t *testing.T, ctx context.Context, base, path string) {
	t.Helper()
	if err := chromedp.Run(ctx, chromedp.Navigate(base+path),
		chromedp.WaitVisible(`form[action="/login"] #password`, chromedp.ByQuery), axeDone(),
		chromedp.SendKeys(`#name`, testUsers[indicators.Leader], chromedp.ByQuery),
		chromedp.SendKeys(`#password`, logintest.Password, chromedp.ByQuery),
		chromedp.Click(`form[action="/login"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.account form[action="/logout"]`, chromedp.ByQuery), axeDone()); err != nil {
		t.Fatalf("sign in through the login form: %v", err)
	}
	if got := evalString(t, ctx, `location.pathname + location.search`); got != path {
		t.Errorf("after signing in the browser is at %s, want %s", got, path)
	}
}

func browserDashboards(t *testing.T) {
	ts, _, db := newServerDB(t)
	addHostileData(t, db)
	ctx, seen := browser(t, 1280, 900)
	base := ts.URL
	as(t, base, indicators.Leader) // the leader, also signed in for the API

	t.Run("sign in as a leader", func(t *testing.T) {
		open(t, ctx, base+"/?period=2021-2025")
		if u := evalString(t, ctx, `location.pathname + location.search`); !strings.HasPrefix(u, "/login?next=") {
			t.Fatalf("without a session the overview is at %s, want the login page", u)
		}
		if n := evalString(t, ctx, `String(document.querySelectorAll('nav.main-nav, .account').length)`); n != "0" {
			t.Errorf("the login page shows navigation or an account to a visitor")
		}
		shot(t, ctx, "login-vi")
		signIn(t, ctx, base, "/?period=2021-2025")
		account := evalString(t, ctx, `document.querySelector('.account').innerText`)
		if !strings.Contains(account, testUsers[indicators.Leader]) || !strings.Contains(account, "Lãnh đạo") ||
			!strings.Contains(account, "Đăng xuất") {
			t.Errorf("the header shows %q, want the leader's name, role and a sign-out button", account)
		}
		nav := evalString(t, ctx, `[...document.querySelectorAll('nav.main-nav a')].map(a => a.getAttribute('href').split('?')[0]).join(' ')`)
		if nav != "/ /groups /indicators /units /submissions /reports /calendar" {
			t.Errorf("a leader's navigation = %q, want the four dashboards, the submissions, the reports and the calendar only", nav)
		}
	})

	t.Run("overview shows the real state", func(t *testing.T) {
		open(t, ctx, base+"/?period=2021-2025", "status-mix")
		o := option(t, ctx, "status-mix")
		want := groupsJSON(t, base, "period=2021-2025")
		got := map[string]int{}
		series := o["series"].([]any)[0].(map[string]any)
		for _, d := range series["data"].([]any) {
			m := d.(map[string]any)
			got[m["name"].(string)] = int(m["value"].(float64))
		}
		if got["Chậm, khó đạt"] != want["off_track"] || got["Đã đạt"] != want["achieved"] || got["Chưa đủ số liệu"] != want["no_data"] ||
			want["off_track"] == 0 {
			t.Errorf("status mix chart holds %v, the API counts %v", got, want)
		}
		tile := evalString(t, ctx, `[...document.querySelectorAll('.tile')].map(e => e.innerText).find(s => s.includes('Tốc độ tăng trưởng GRDP')) || ''`)
		for _, w := range []string{"5,53", "Chậm, khó đạt", "7,5–8", "15,74", "hợp nhất"} {
			if !strings.Contains(tile, w) {
				t.Errorf("GRDP tile lacks %q:\n%s", w, tile)
			}
		}
		attention := evalString(t, ctx, `document.querySelector('ol.attention').innerText`)
		if !strings.Contains(attention, "Tốc độ tăng trưởng GRDP") {
			t.Errorf("attention list lacks the GRDP target:\n%s", attention)
		}
		shot(t, ctx, "overview-vi-2021-2025")
	})

	t.Run("switch period", func(t *testing.T) {
		if err := chromedp.Run(ctx, chromedp.Click(`nav.tabs a[href*="period=2026-2030"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`nav.tabs a[aria-current][href*="period=2026-2030"]`, chromedp.ByQuery),
			chromedp.WaitVisible("#chart-status-mix canvas", chromedp.ByQuery), axeDone()); err != nil {
			t.Fatal(err)
		}
		if u := evalString(t, ctx, `location.search`); !strings.Contains(u, "period=2026-2030") {
			t.Errorf("after the tab the URL is %s", u)
		}
		o := option(t, ctx, "status-mix")
		want := groupsJSON(t, base, "period=2026-2030")
		total := 0
		for _, d := range o["series"].([]any)[0].(map[string]any)["data"].([]any) {
			total += int(d.(map[string]any)["value"].(float64))
		}
		sum := 0
		for _, n := range want {
			sum += n
		}
		if total != sum || total == 0 {
			t.Errorf("2026–2030 status mix sums to %d, the API to %d", total, sum)
		}
		shot(t, ctx, "overview-vi-2026-2030")
	})

	t.Run("switch language", func(t *testing.T) {
		if err := chromedp.Run(ctx, chromedp.Click(`.lang-switch a[hreflang="en"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`html[lang="en"] #chart-status-mix canvas`, chromedp.ByQuery), axeDone()); err != nil {
			t.Fatal(err)
		}
		if h := evalString(t, ctx, `document.querySelector('h1').innerText`); h != "Progress overview" {
			t.Errorf("English heading = %q", h)
		}
		if u := evalString(t, ctx, `location.search`); !strings.Contains(u, "period=2026-2030") {
			t.Errorf("switching language lost the state: %s", u)
		}
		open(t, ctx, base+"/?period=2021-2025", "status-mix")
		if l := evalString(t, ctx, `document.documentElement.lang`); l != "en" {
			t.Errorf("the language was not remembered: %s", l)
		}
		names := seriesNames(option(t, ctx, "status-mix"))
		tile := evalString(t, ctx, `[...document.querySelectorAll('.tile')].map(e => e.innerText).find(s => s.includes('GRDP growth')) || ''`)
		if !strings.Contains(tile, "5.53") || !strings.Contains(tile, "Off track") {
			t.Errorf("English GRDP tile:\n%s (series %v)", tile, names)
		}
		shot(t, ctx, "overview-en-2021-2025")
		open(t, ctx, base+"/?lang=vi&period=2021-2025", "status-mix")
	})

	t.Run("follow a task group", func(t *testing.T) {
		if err := chromedp.Run(ctx, chromedp.Click(`.group-card h3 a[href^="/groups/3?"]`, chromedp.ByQuery),
			chromedp.WaitVisible("#chart-tasks canvas", chromedp.ByQuery), axeDone()); err != nil {
			t.Fatal(err)
		}
		if h := evalString(t, ctx, `document.querySelector('h1').innerText`); !strings.HasPrefix(h, "Nhóm 3.") {
			t.Errorf("group page heading = %q", h)
		}
		o := option(t, ctx, "tasks")
		y := o["yAxis"].([]any)[0].(map[string]any)["data"].([]any)
		if len(y) == 0 || !strings.Contains(fmt.Sprint(y), "G3-T01") {
			t.Errorf("tasks chart categories = %v", y)
		}
		if n := evalString(t, ctx, `String(document.querySelectorAll('#h-targets ~ .table-wrap tbody tr:not(.explain-row)').length)`); n == "0" {
			t.Errorf("the group lists no targets")
		}
		shot(t, ctx, "group-3")
	})

	t.Run("open an indicator", func(t *testing.T) {
		open(t, ctx, base+"/indicators/ECO-01?period=2021-2025", "history")
		o := option(t, ctx, "history")
		names := strings.Join(seriesNames(o), " | ")
		for _, w := range []string{"Chính thức — TP Cần Thơ cũ", "Chính thức — TP sau hợp nhất", "Ước tính — TP Cần Thơ cũ",
			"Kế hoạch năm — TP Cần Thơ cũ", "Mục tiêu"} {
			if !strings.Contains(names, w) {
				t.Errorf("history series lack %q: %s", w, names)
			}
		}
		var band, merger bool
		for _, s := range o["series"].([]any) {
			m := s.(map[string]any)
			if ma, ok := m["markArea"].(map[string]any); ok {
				for _, d := range ma["data"].([]any) {
					pair := d.([]any)
					c0 := pair[0].(map[string]any)["coord"].([]any)
					c1 := pair[1].(map[string]any)["coord"].([]any)
					if c0[0] == "2021" && c0[1] == 7.5 && c1[0] == "2025" && c1[1] == 8.0 {
						band = true
					}
				}
			}
			if ml, ok := m["markLine"].(map[string]any); ok {
				for _, d := range ml["data"].([]any) {
					if x, ok := d.(map[string]any); ok && x["xAxis"] == "2025" {
						merger = true
					}
				}
			}
		}
		if !band || !merger {
			t.Errorf("history chart: target band 7.5–8 over 2021–2025 %v, merger line at 2025 %v", band, merger)
		}
		rows := evalString(t, ctx, `document.querySelector('table.values').innerText`)
		for _, w := range []string{"Nguồn S45", "Danh mục dựng sẵn (nguồn công khai)", "Chính thức (TH)", "Ước thực hiện (ƯTH)"} {
			if !strings.Contains(rows, w) {
				t.Errorf("values table lacks %q", w)
			}
		}
		shot(t, ctx, "indicator-ECO-01")
	})

	t.Run("units", func(t *testing.T) {
		open(t, ctx, base+"/units?indicator="+hostileIndicator, "units")
		o := option(t, ctx, "units")
		if names := seriesNames(o); len(names) < 2 {
			t.Errorf("units chart series = %v", names)
		}
		if c := evalString(t, ctx, `String(document.querySelectorAll('td.outside').length)`); c == "0" {
			t.Errorf("no cell marks a year outside a unit's validity")
		}
		shot(t, ctx, "units")
	})

	t.Run("hostile names stay text", func(t *testing.T) {
		for _, u := range []string{"/indicators/" + hostileIndicator + "?period=2021-2025", "/units?indicator=" + hostileIndicator} {
			chart := "history"
			if strings.HasPrefix(u, "/units") {
				chart = "units"
			}
			open(t, ctx, base+u, chart)
			if !holdsPart(option(t, ctx, chart), hostile) {
				t.Errorf("%s: chart %s does not hold the name as text", u, chart)
			}
			// Show a tooltip, which ECharts writes as HTML.
			js := fmt.Sprintf(`(function(){var c=echarts.getInstanceByDom(document.getElementById(%q));
				c.dispatchAction({type:'showTip', seriesIndex:0, dataIndex:%d}); return 'ok'})()`, "chart-"+chart, 2)
			evalString(t, ctx, js)
			if err := chromedp.Run(ctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
				t.Fatal(err)
			}
			if n := evalString(t, ctx, `String(document.querySelectorAll('img').length)`); n != "0" {
				t.Errorf("%s: the page grew %s img elements from the data", u, n)
			}
			if txt := evalString(t, ctx, `document.body.innerText`); !strings.Contains(txt, hostile) {
				t.Errorf("%s: the page does not show the name as text", u)
			}
		}
		if d := seen.list(); len(d) > 0 {
			t.Errorf("the pages opened dialogs %q: data ran as code", d)
		}
		shot(t, ctx, "hostile-names")
	})

	t.Run("phone", func(t *testing.T) {
		phone, _ := browser(t, 390, 844)
		if err := chromedp.Run(phone, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
			t.Fatal(err)
		}
		open(t, phone, base+"/login")
		if w := evalString(t, phone, `document.documentElement.scrollWidth + "/" + window.innerWidth`); w != "390/390" {
			t.Errorf("the login page is %s pixels wide (page/window) on a 390-pixel phone", w)
		}
		signIn(t, phone, base, "/?period=2021-2025")
		for _, u := range []string{"/?period=2021-2025", "/indicators/ECO-01", "/groups/0?period=2021-2025", "/units?indicator=ECO-01"} {
			open(t, phone, base+u)
			if err := chromedp.Run(phone, chromedp.Sleep(200*time.Millisecond)); err != nil {
				t.Fatal(err)
			}
			w := evalString(t, phone, `document.documentElement.scrollWidth + "/" + window.innerWidth`)
			if w != "390/390" {
				t.Errorf("%s is %s pixels wide (page/window) on a 390-pixel phone", u, w)
			}
		}
		open(t, phone, base+"/?period=2021-2025", "status-mix")
		shot(t, phone, "overview-phone")
	})

	t.Run("sign out", func(t *testing.T) {
		if err := chromedp.Run(ctx, chromedp.Click(`.account button[type=submit]`, chromedp.ByQuery),
			chromedp.WaitVisible(`form[action="/login"] #name`, chromedp.ByQuery), axeDone()); err != nil {
			t.Fatal(err)
		}
		if msg := evalString(t, ctx, `document.querySelector('[role=status]').innerText`); !strings.Contains(msg, "đã đăng xuất") {
			t.Errorf("after signing out the page says %q", msg)
		}
		open(t, ctx, base+"/indicators")
		if u := evalString(t, ctx, `location.pathname`); u != "/login" {
			t.Errorf("after signing out /indicators is at %s, want the login page", u)
		}
	})
}

// holdsPart reports whether some string anywhere in v contains s.
func holdsPart(v any, s string) bool {
	switch x := v.(type) {
	case string:
		return strings.Contains(x, s)
	case []any:
		for _, e := range x {
			if holdsPart(e, s) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if holdsPart(e, s) {
				return true
			}
		}
	}
	return false
}
