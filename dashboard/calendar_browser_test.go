package dashboard_test

import (
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"chitieu/dashboard/logintest"
	"chitieu/indicators"
)

// An admin makes a commune owe two indicators every month from this year
// on the plan's obligations page, by typing; the commune's planner then
// sees the reports overdue in the header's count and the inbox, and the
// leader sees the commune missing them in the reporting rate.
func browserCalendar(t *testing.T) {
	ts, _, db := newServerDB(t)
	logintest.AddUser(t, db, "quantri", indicators.Admin, "", nil, nil)
	logintest.AddUser(t, db, "xa-an-binh", indicators.Planner, "", []string{"P-AN-BINH"}, nil)
	bctx, seen := browser(t, 1280, 1000)
	base := ts.URL
	plans, err := db.Plans(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	root := plans[0].ID
	year := time.Now().In(indicators.Vietnam).Year()
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		start := time.Now()
		if err := chromedp.Run(bctx, append(actions, axeDone())...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		t.Logf("%s: %v", what, time.Since(start).Round(time.Millisecond))
	}
	signInAs(t, bctx, base, "/admin/plans/"+root+"/obligations", "quantri", logintest.Password)
	run("add the obligation",
		chromedp.SetValue(`#obligation-add select[name=unit]`, "P-AN-BINH", chromedp.ByQuery),
		chromedp.SetValue(`#obligation-add select[name=frequency]`, "month", chromedp.ByQuery),
		chromedp.SendKeys(`#obligation-add input[name=indicators]`, "eco-01, ECO-02", chromedp.ByQuery),
		chromedp.Click(`#obligation-add button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
	)
	if row := evalString(t, bctx, `document.querySelector('#obligations tbody tr').innerText`); !strings.Contains(row, "P-AN-BINH") {
		t.Fatalf("the obligation is not listed: %q", row)
	}
	run("sign out", chromedp.Click(`.account form[action="/logout"] button`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`.account form[action="/logout"]`, chromedp.ByQuery))

	// What is owed depends on today: every month of this year whose
	// deadline (the 14th) has passed is overdue.
	obs, _ := db.Obligations(t.Context(), indicators.ObligationFilter{Plan: root})
	asOf := indicators.EndOfDay(time.Now())
	es := indicators.Expect(obs, nil, year, nil, asOf)
	overdue, soon := indicators.Owed(es, asOf, indicators.InboxDays)
	signInAs(t, bctx, base, "/inbox", "xa-an-binh", logintest.Password)
	want := len(overdue) + len(soon)
	count := evalString(t, bctx, `(document.querySelector('#inbox-link .inbox-count') || {innerText: '0'}).innerText`)
	if count != strconv.Itoa(want) {
		t.Errorf("the header counts %s items, want %d", count, want)
	}
	if n := evalString(t, bctx, `String(document.querySelectorAll('tr.inbox-overdue').length)`); n != strconv.Itoa(len(overdue)) {
		t.Errorf("the inbox lists %s overdue reports, want %d", n, len(overdue))
	}
	if len(overdue) > 0 {
		first := overdue[0].Window.Period.Label("vi")
		if page := evalString(t, bctx, `document.querySelector('#inbox-overdue').innerText`); !strings.Contains(page, first) {
			t.Errorf("the overdue list does not name %s:\n%s", first, page)
		}
	}
	shot(t, bctx, "calendar-inbox")

	// The leader's reporting rate, read over HTTP to spare the browser a
	// third sign-in: the commune has every due month missing.
	leader := as(t, base, indicators.Leader)
	res, err := leader.Get(base + "/calendar")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	due := strconv.Itoa(len(overdue))
	row := `<tr data-unit="P-AN-BINH"><td>`
	at := strings.Index(string(body), row)
	if at < 0 || !strings.Contains(string(body[at:min(len(body), at+400)]),
		`<td class="num">`+due+`</td><td class="num">0</td><td class="num">0</td><td class="num">`+due+`</td>`) {
		t.Errorf("the leader's rate row does not show %s expected, none received, %s missing", due, due)
	}
	if d := seen.list(); len(d) > 0 {
		t.Errorf("the pages opened dialogs %q", d)
	}
}
