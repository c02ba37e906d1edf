package dashboard_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"chitieu/dashboard"
	"chitieu/dashboard/logintest"
	"chitieu/indicators"
	"chitieu/indicators/sqlite"
	"chitieu/internal/testdb"
)

// A reporting month, January 2025, through the pages: the old city owes
// GRDP growth and the urbanisation rate every month under Resolution 59.
// On 8 January the planner's inbox shows January's report due on the 14th; the planner
// types the figures on the entry form, is warned that an urbanisation rate
// of 174 % is outside 0–100 %, confirms it with a note and commits; on the
// submissions page writes the cause and the remedy of each lagging target
// and submits. The head of the unit approves in a browser of their own.
// On 20 January, January's deadline past, the leader sees the approved
// January figure on the indicator page with the unit's explanation beside
// the off-track target, and the calendar counts the city's one due report
// as received on time.
func browserReportingMonth(t *testing.T) {
	clk := &clock{t: time.Date(2025, 1, 8, 9, 0, 0, 0, indicators.Vietnam)}
	db := testdb.Builtin(t, sqlite.WithClock(clk.now))
	ts, _ := serve(t, dashboard.Config{Store: db, Now: clk.now})
	base := ts.URL
	planner := logintest.AddUser(t, db, "cv.ctcu", indicators.Planner, "", []string{"CT-CU"}, nil)
	logintest.AddUser(t, db, "tt.ctcu", indicators.Approver, "", []string{"CT-CU"}, nil)
	logintest.AddUser(t, db, "lanh.dao", indicators.Leader, "", nil, nil)
	ctx := indicators.WithActor(context.Background(), planner.Actor("127.0.0.1"))
	root, err := db.FindPlan(ctx, "59-NQ/TW")
	if err != nil {
		t.Fatal(err)
	}
	// The obligation, as an admin sets it on the plan's obligations page
	// (TestBrowser/Calendar types it there).
	admin := indicators.WithActor(context.Background(), indicators.Actor{User: "system"})
	if err := db.AddObligation(admin, &indicators.Obligation{Plan: root.ID, Unit: "CT-CU", Indicators: []string{"ECO-01", "SOC-01"},
		Frequency: indicators.Monthly, FromYear: 2025}); err != nil {
		t.Fatal(err)
	}
	// GRDP growth of −2,5 % in 2021, as in TestBrowser/SubmissionCycle, so
	// that the city has an off-track target to explain.
	if err := db.AddValues(ctx, []indicators.Value{{Key: indicators.Key{Indicator: "ECO-01", Unit: "CT-CU",
		Period: indicators.YearPeriod(2021), Type: indicators.OfficialValue}, Value: -2.5, Source: "S45"}}); err != nil {
		t.Fatal(err)
	}
	jan := indicators.Period{Year: 2025, Kind: indicators.Month, N: 1}
	run := func(b context.Context, what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(b, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	// 1. The planner's inbox: January's report is due soon, one item.
	p, seenP := browser(t, 1280, 1000)
	signInAs(t, p, base, "/inbox", "cv.ctcu", logintest.Password)
	if n := evalString(t, p, `(document.querySelector('#inbox-link .inbox-count') || {innerText: '0'}).innerText`); n != "1" {
		t.Errorf("the header counts %s items, want 1 (January due)", n)
	}
	due := evalString(t, p, `(document.querySelector('#inbox-due_soon') || {innerText: ''}).innerText`)
	if !strings.Contains(due, "CT-CU") || !strings.Contains(due, jan.Label("vi")) {
		t.Errorf("the inbox's due-soon list does not name CT-CU and %s:\n%s", jan.Label("vi"), due)
	}
	if n := evalString(t, p, `String(document.querySelectorAll('tr.inbox-overdue').length)`); n != "0" {
		t.Errorf("the inbox lists %s overdue reports, want none", n)
	}
	shot(t, p, "month-inbox")

	// 2. The entry form for January: a rate of 174 % is warned of and
	// confirmed with a note.
	open(t, p, base+"/entry")
	run(p, "choose the unit and period",
		chromedp.SetValue(`#entry-unit`, "CT-CU", chromedp.ByQuery),
		chromedp.SetValue(`#entry-period`, jan.String(), chromedp.ByQuery),
		chromedp.Click(`#entry-choice button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#entry-form`, chromedp.ByQuery), axeDone())
	for _, code := range []string{"ECO-01", "SOC-01"} {
		if n := evalString(t, p, `String(document.querySelectorAll('#row-`+code+`').length)`); n != "1" {
			t.Errorf("the form has %s rows for %s, which the obligation asks for", n, code)
		}
	}
	run(p, "type the values",
		chromedp.SendKeys(`input[name="v.ECO-01"]`, "6,2", chromedp.ByQuery),
		chromedp.SendKeys(`input[name="v.SOC-01"]`, "174", chromedp.ByQuery))
	shot(t, p, "month-entry")
	run(p, "preview", chromedp.Click(`#entry-submit`, chromedp.ByQuery),
		chromedp.WaitVisible(`table.import-plausibility`, chromedp.ByQuery), axeDone())
	if warn := evalString(t, p, `document.querySelector('table.import-plausibility').innerText`); !strings.Contains(warn, "SOC-01") || !strings.Contains(warn, "174") {
		t.Errorf("the plausibility warning does not name SOC-01 at 174: %q", warn)
	}
	shot(t, p, "month-preview")
	run(p, "confirm and commit",
		chromedp.Click(`input[name=confirm_plausibility]`, chromedp.ByQuery),
		chromedp.SendKeys(`textarea[name=plausibility_note]`, "Số ước tính, đã đối chiếu với Cục Thống kê", chromedp.ByQuery),
		chromedp.Click(`form[action$="/commit"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`h1 .import-st-committed`, chromedp.ByQuery), axeDone())

	// 3. The submissions page of January: explain each lagging target,
	// then submit.
	page := "/submissions?" + url.Values{"plan": {root.ID}, "unit": {"CT-CU"}, "term": {jan.String()}}.Encode()
	open(t, p, base+page)
	offTrack := evalString(t, p, `(() => { const r = document.querySelector('#cycle-lagging tr:has(.st-off_track)');
		return r ? r.querySelector('b').innerText : ''; })()`)
	if offTrack == "" {
		t.Fatalf("no off-track target among the city's lagging targets:\n%s", evalString(t, p, `(document.querySelector('#cycle-lagging') || {innerText: 'none'}).innerText`))
	}
	t.Logf("the off-track target to explain measures %s", offTrack)
	const cause, remedy = "Ảnh hưởng dịch COVID-19", "Đẩy nhanh giải ngân vốn đầu tư công"
	for i := 0; ; i++ {
		if evalString(t, p, `String(document.querySelectorAll('#cycle-lagging td .alert').length)`) == "0" {
			break
		}
		if i > 40 {
			t.Fatalf("targets still unexplained after %d explanations", i)
		}
		run(p, "explain",
			chromedp.Evaluate(`(() => { const f = document.querySelector('#cycle-lagging td .alert').closest('td').querySelector('form');
				f.querySelector('[name=cause]').value = '`+cause+`';
				f.querySelector('[name=remedy]').value = '`+remedy+`'; f.id = 'explain-now'; })()`, nil),
			chromedp.Click(`#explain-now button`, chromedp.ByQuery),
			chromedp.WaitNotPresent(`#explain-now`, chromedp.ByQuery),
			chromedp.WaitVisible(`#cycle-current`, chromedp.ByQuery), axeDone())
	}
	shot(t, p, "month-explained")
	run(p, "submit", chromedp.Click(`#cycle-submit button`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`#cycle-submit`, chromedp.ByQuery), chromedp.WaitVisible(`#cycle-state`, chromedp.ByQuery), axeDone())
	if got := evalString(t, p, `document.querySelector('#cycle-state').dataset.state`); got != "submitted" {
		t.Errorf("after submitting the state is %q", got)
	}
	if v := evalString(t, p, `document.querySelector('#cycle-units tr[data-unit="CT-CU"] td.num').innerText`); v != "2" {
		t.Errorf("the submissions page counts %s values of January submitted, want the 2 entered", v)
	}
	// Until the head of the unit approves, a leader's pages (approved
	// figures) leave January's figures out.
	leader := logintest.Login(t, base, "lanh.dao", "")
	if _, body := getPage(t, leader, base, "/indicators/SOC-01"); strings.Contains(body, "CT-CU-2025-01.xlsx") {
		t.Error("the leader's SOC-01 page shows January's figure before it is approved")
	}

	// 4. The head of the unit approves; January's cut-off (14 January) has
	// not passed, so the period is not locked yet.
	h, seenH := browser(t, 1280, 1000)
	signInAs(t, h, base, "/inbox", "tt.ctcu", logintest.Password)
	if aw := evalString(t, h, `(document.querySelector('#inbox-awaiting_approval') || {innerText: ''}).innerText`); !strings.Contains(aw, "CT-CU") {
		t.Errorf("the approver's inbox does not show CT-CU awaiting approval:\n%s", aw)
	}
	open(t, h, base+page)
	run(h, "approve", chromedp.WaitVisible(`#cycle-decide`, chromedp.ByQuery),
		chromedp.Click(`#cycle-decide button[value=approve]`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`#cycle-decide`, chromedp.ByQuery), chromedp.WaitVisible(`#cycle-state`, chromedp.ByQuery), axeDone())
	shot(t, h, "month-approved")
	if st := evalString(t, h, `document.querySelector('#cycle-state').dataset.state + '|' + document.querySelector('#cycle-current').innerText`); !strings.HasPrefix(st, "approved|") || strings.Contains(st, "đã khóa") {
		t.Errorf("after approving: %q; want approved, not yet locked", st)
	}

	// 5. 20 January: the leader reads the approved figures.
	clk.add(12 * 24 * time.Hour)
	l, seenL := browser(t, 1280, 1000)
	signInAs(t, l, base, "/calendar", "lanh.dao", logintest.Password)
	open(t, l, base+"/indicators/SOC-01")
	figures := evalString(t, l, `document.querySelector('main').innerText`)
	if !strings.Contains(figures, "CT-CU-2025-01.xlsx") || !strings.Contains(figures, "174") || evalString(t, l, `(document.querySelector('select[name=figures]') || {value: ''}).value`) != "approved" {
		t.Errorf("the leader's SOC-01 page, approved figures, does not show January's 174:\n%.3000s", figures)
	}
	open(t, l, base+"/indicators/"+offTrack)
	shot(t, l, "month-leader-indicator")
	if ex := evalString(t, l, `Array.from(document.querySelectorAll('.explain-unit')).map(e => e.innerText).join('\n')`); !strings.Contains(ex, cause) || !strings.Contains(ex, remedy) || !strings.Contains(ex, "CT-CU") {
		t.Errorf("the %s page does not show the city's explanation: %q", offTrack, ex)
	}

	// 6. The calendar of 2025: January's report came on time.
	open(t, l, base+"/calendar?"+url.Values{"plan": {root.ID}, "year": {"2025"}}.Encode())
	shot(t, l, "month-calendar")
	if row := evalString(t, l, `Array.from(document.querySelectorAll('#rate-table tr[data-unit="CT-CU"] td.num')).slice(0, 4).map(td => td.innerText).join('|')`); row != "1|1|0|0" {
		t.Errorf("the city's reporting rate reads %q, want 1 expected, 1 on time, 0 late, 0 missing", row)
	}
	for _, s := range []*dialogs{seenP, seenH, seenL} {
		if d := s.list(); len(d) > 0 {
			t.Errorf("the pages opened dialogs %q", d)
		}
	}
}
