package dashboard_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"chitieu/dashboard/logintest"
	"chitieu/indicators"

	"github.com/chromedp/chromedp"
)

// In a browser: the planner of the old city opens the submissions page of
// 2021, writes the cause and the remedy of each lagging target, submits;
// the head of the unit, in a browser of their own, approves; the state
// reads approved, and the period is locked (2021's cut-off has passed).
func browserSubmissionCycle(t *testing.T) {
	ts, _, db := newServerDB(t)
	planner := logintest.AddUser(t, db, "cv.ctcu", indicators.Planner, "", []string{"CT-CU"}, nil)
	logintest.AddUser(t, db, "tt.ctcu", indicators.Approver, "", []string{"CT-CU"}, nil)
	ctx := indicators.WithActor(context.Background(), planner.Actor("127.0.0.1"))
	if err := db.AddValues(ctx, []indicators.Value{{Key: indicators.Key{Indicator: "ECO-01", Unit: "CT-CU",
		Period: indicators.YearPeriod(2021), Type: indicators.OfficialValue}, Value: -2.5, Source: "S45"}}); err != nil {
		t.Fatal(err)
	}
	r98, err := db.FindPlan(ctx, "98/NQ-CP")
	if err != nil {
		t.Fatal(err)
	}
	page := "/submissions?" + url.Values{"plan": {r98.ID}, "unit": {"CT-CU"}, "term": {"2021"}}.Encode()

	b, _ := browser(t, 1280, 1000)
	signInAs(t, b, ts.URL, "/submissions", "cv.ctcu", logintest.Password)
	if err := chromedp.Run(b, chromedp.Navigate(ts.URL+page), chromedp.WaitVisible(`#cycle-current`, chromedp.ByQuery), axeDone()); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		missing := evalString(t, b, `String(document.querySelectorAll('#cycle-lagging td .alert').length)`)
		if missing == "0" {
			break
		}
		if i > 40 {
			t.Fatalf("still %s targets unexplained after %d explanations", missing, i)
		}
		if err := chromedp.Run(b,
			chromedp.Evaluate(`(() => { const f = document.querySelector('#cycle-lagging td .alert').closest('td').querySelector('form');
				f.querySelector('[name=cause]').value = 'Ảnh hưởng dịch COVID-19';
				f.querySelector('[name=remedy]').value = 'Đẩy nhanh giải ngân vốn đầu tư công'; f.id = 'explain-now'; })()`, nil),
			chromedp.Click(`#explain-now button`, chromedp.ByQuery),
			// The page comes back, the form marked no more.
			chromedp.WaitNotPresent(`#explain-now`, chromedp.ByQuery),
			chromedp.WaitVisible(`#cycle-current`, chromedp.ByQuery), axeDone()); err != nil {
			t.Fatalf("explain: %v", err)
		}
	}
	shot(t, b, "submission-explained")
	if err := chromedp.Run(b, chromedp.Click(`#cycle-submit button`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`#cycle-submit`, chromedp.ByQuery), chromedp.WaitVisible(`#cycle-state`, chromedp.ByQuery), axeDone()); err != nil {
		t.Fatalf("submit: %v", err)
	}
	if got := evalString(t, b, `document.querySelector('#cycle-state').dataset.state + '|' + document.querySelector('.flash').innerText`); got != "submitted|Đã gửi số liệu để phê duyệt." {
		t.Errorf("after submitting: %q", got)
	}

	h, _ := browser(t, 1280, 1000)
	signInAs(t, h, ts.URL, "/submissions", "tt.ctcu", logintest.Password)
	if err := chromedp.Run(h, chromedp.Navigate(ts.URL+page), chromedp.WaitVisible(`#cycle-decide`, chromedp.ByQuery), axeDone(),
		chromedp.Click(`#cycle-decide button[value=approve]`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`#cycle-decide`, chromedp.ByQuery), chromedp.WaitVisible(`#cycle-state`, chromedp.ByQuery), axeDone()); err != nil {
		t.Fatalf("approve: %v", err)
	}
	shot(t, h, "submission-approved")
	state := evalString(t, h, `document.querySelector('#cycle-state').dataset.state + '|' + document.querySelector('#cycle-current').innerText`)
	if !strings.HasPrefix(state, "approved|") || !strings.Contains(state, "đã khóa") {
		t.Errorf("after approving: %q; want approved and locked", state)
	}
}
