package dashboard_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Every page a browser test opens is checked with axe-core, the
// accessibility engine (npm, pinned in package.json; make assets installs
// it into node_modules and the binary never serves it). The engine and a
// small runner are added to every new document through the DevTools
// protocol, so a page reached by a link, a form or a redirect is checked as
// well as one the test navigates to. The runner checks the page once it has
// loaded and charts have had a moment to draw, and reports through a
// binding. When the browser closes, the results go to
// artifacts/browser/axe/<test>.json and the test fails on any violation of
// impact "serious" or "critical" (moderate and minor ones are kept in the
// file and logged), and on any page the test left before the check ended.

// axeFiles counts the result files written per test name.
var axeFiles sync.Map

// axeFailing is the impacts that fail a test.
var axeFailing = map[string]bool{"serious": true, "critical": true}

// axeRunner runs on every new document of the top frame: it announces the
// page, then checks it after the load event with axe's default rule set
// (WCAG 2.0–2.2 A and AA and best practices; experimental rules are off).
//
// A document the same as one the browser has checked before — the same
// DOM once drawn, at the same width, but for what differs on every
// request (the CSRF token, script nonces, the request ID in the footer,
// ECharts' instance IDs) — would get the same answer, so it is not checked again:
// the runner reports it as the same as that one. Tests come back to the
// overview and the login page many times, and a check costs up to a second
// of CPU. (Charts draw on canvases, which axe does not look into.)
const axeRunner = `(function () {
  if (window.top !== window || !/^https?:$/.test(location.protocol)) return;
  var url = location.href;
  var send = function (m) { m.url = url; window.chitieuAxe(JSON.stringify(m)); };
  var done = function () { window.__chitieuAxeDone = true; };
  window.__chitieuAxeDone = false;
  send({event: 'loaded'});
  window.addEventListener('load', function () {
    setTimeout(function () {
      var dom = innerWidth + ' ' + document.documentElement.outerHTML
        .replace(/ nonce="[^"]*"/g, '').replace(/name="csrf_token" value="[^"]*"/g, '')
        .replace(/_echarts_instance_="[^"]*"/g, '').replace(/\b[0-9a-f]{16}\b/g, '');
      crypto.subtle.digest('SHA-256', new TextEncoder().encode(dom)).then(function (d) {
        var key = 'chitieuAxe ' + Array.from(new Uint8Array(d), function (b) { return b.toString(16).padStart(2, '0'); }).join('');
        var same = localStorage.getItem(key);
        if (same) {
          send({event: 'checked', same: same});
          return done();
        }
        return axe.run(document, {resultTypes: ['violations']}).then(function (r) {
          localStorage.setItem(key, url);
          send({event: 'checked', violations: r.violations.map(function (v) {
            return {id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
              nodes: v.nodes.map(function (n) { return {target: n.target, html: n.html, summary: n.failureSummary}; })};
          }), passes: r.passes.length});
          done();
        });
      }).catch(function (e) {
        send({event: 'error', error: String(e)});
        done();
      });
    }, 100);
  });
})();`

// axeViolation is one rule broken on one page, as axe reports it.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	HelpURL string   `json:"helpUrl"`
	Tags    []string `json:"tags"`
	Nodes   []struct {
		Target  []any  `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

// axePage is what the runner sent about one document.
type axePage struct {
	URL        string         `json:"url"`
	Checked    bool           `json:"checked"`
	Error      string         `json:"error,omitempty"`
	Passes     int            `json:"passes"`
	Violations []axeViolation `json:"violations"`
	// Same is the address of the document checked before that this one
	// is the same as; it was not checked again.
	Same string `json:"same,omitempty"`
}

// axeLog collects the pages of one browser.
type axeLog struct {
	mu    sync.Mutex
	pages []*axePage
}

func (l *axeLog) listen(ev any) {
	e, ok := ev.(*runtime.EventBindingCalled)
	if !ok || e.Name != "chitieuAxe" {
		return
	}
	var m struct {
		Event      string         `json:"event"`
		URL        string         `json:"url"`
		Error      string         `json:"error"`
		Passes     int            `json:"passes"`
		Violations []axeViolation `json:"violations"`
		Same       string         `json:"same"`
	}
	if err := json.Unmarshal([]byte(e.Payload), &m); err != nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if m.Event == "loaded" {
		l.pages = append(l.pages, &axePage{URL: m.URL})
		return
	}
	// The result belongs to the newest document of that address not yet checked.
	for i := len(l.pages) - 1; i >= 0; i-- {
		p := l.pages[i]
		if p.URL == m.URL && !p.Checked {
			p.Checked, p.Error, p.Passes, p.Violations, p.Same = true, m.Error, m.Passes, m.Violations, m.Same
			return
		}
	}
}

// axeSource reads the engine installed by make assets, or skips (fails
// under CI) when it is missing.
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("browser tests: axe-core is missing from node_modules (run make assets): %v", err)
		}
		t.Skipf("browser tests skipped: axe-core missing from node_modules (run make assets): %v", err)
	}
	return string(b)
}

// watchAxe adds the engine and the runner to every document ctx opens and
// checks the results when the test ends.
func watchAxe(t *testing.T, ctx context.Context) {
	t.Helper()
	src := axeSource(t)
	l := &axeLog{}
	chromedp.ListenTarget(ctx, l.listen)
	if err := chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		if err := runtime.AddBinding("chitieuAxe").Do(ctx); err != nil {
			return err
		}
		_, err := page.AddScriptToEvaluateOnNewDocument(src + "\n" + axeRunner).Do(ctx)
		return err
	})); err != nil {
		t.Fatalf("add axe-core to the browser: %v", err)
	}
	t.Cleanup(func() {
		// Let a check still running on the last page finish.
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) && l.pending() > 0 {
			time.Sleep(100 * time.Millisecond)
		}
		l.report(t)
	})
}

func (l *axeLog) pending() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, p := range l.pages {
		if !p.Checked {
			n++
		}
	}
	return n
}

// report writes the results and fails the test on serious and critical
// violations and on pages left unchecked.
func (l *axeLog) report(t *testing.T) {
	l.mu.Lock()
	defer l.mu.Unlock()
	dir := filepath.Join(artifacts(t), "axe")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Error(err)
		return
	}
	name := strings.NewReplacer("/", "__", " ", "_").Replace(t.Name())
	// A test with several browsers (a phone beside a desktop) writes a
	// file for each.
	n, _ := axeFiles.LoadOrStore(name, new(atomic.Int32))
	if i := n.(*atomic.Int32).Add(1); i > 1 {
		name = fmt.Sprintf("%s-%d", name, i)
	}
	out, err := json.MarshalIndent(struct {
		Test    string     `json:"test"`
		Failing []string   `json:"failing_impacts"`
		Pages   []*axePage `json:"pages"`
	}{t.Name(), []string{"serious", "critical"}, l.pages}, "", "  ")
	if err != nil {
		t.Error(err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name+".json"), out, 0o644); err != nil {
		t.Error(err)
	}
	seen := map[string]bool{}
	checked, same := 0, 0
	for _, p := range l.pages {
		switch {
		case p.Error != "":
			t.Errorf("axe could not check %s: %s", p.URL, p.Error)
		case !p.Checked && !t.Failed():
			t.Errorf("axe: the test left %s before its check ended; wait for it (axeDone) before leaving a page", p.URL)
		}
		switch {
		case p.Same != "":
			same++
		case p.Checked:
			checked++
		}
		for _, v := range p.Violations {
			key := p.URL + " " + v.ID
			if seen[key] {
				continue
			}
			seen[key] = true
			var targets []string
			for i, n := range v.Nodes {
				if i == 3 {
					targets = append(targets, fmt.Sprintf("… %d more", len(v.Nodes)-3))
					break
				}
				targets = append(targets, fmt.Sprint(n.Target))
			}
			msg := fmt.Sprintf("axe %s (%s) on %s: %s at %s", v.ID, v.Impact, p.URL, v.Help, strings.Join(targets, ", "))
			if axeFailing[v.Impact] {
				t.Error(msg)
			} else {
				t.Log(msg)
			}
		}
	}
	urls := map[string]bool{}
	for _, p := range l.pages {
		urls[p.URL] = true
	}
	t.Logf("axe checked %d of %d documents (%d the same as one checked before; %d addresses); results in %s",
		checked, len(l.pages), same, len(urls), filepath.Join(dir, name+".json"))
}

// axeDone waits until axe has checked the page now shown.
func axeDone() chromedp.Action {
	return chromedp.Poll(`window.__chitieuAxeDone === true`, nil, chromedp.WithPollingTimeout(60*time.Second))
}
