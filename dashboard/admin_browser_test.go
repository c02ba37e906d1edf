package dashboard_test

import (
	"strings"
	"testing"
	"time"

	"chitieu/dashboard/logintest"
	"chitieu/indicators"

	"github.com/chromedp/chromedp"
)

// An admin signs in through the login form, adds a plan, adds a target to
// it by typing its text as the act writes it (the parsed bound appears and
// fills the form as they type), revises the target, and finds both in its
// history. Screenshots go to artifacts/browser.
func browserAdminPlanTargetRevision(t *testing.T) {
	ts, _, db := newServerDB(t)
	logintest.AddUser(t, db, "quantri", indicators.Admin, "", nil, nil)
	ctx, seen := browser(t, 1280, 1000)
	base := ts.URL
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		start := time.Now()
		if err := chromedp.Run(ctx, append(actions, axeDone())...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		t.Logf("%s: %v", what, time.Since(start).Round(time.Millisecond))
	}

	run("sign in",
		chromedp.Navigate(base+"/login?lang=vi"),
		chromedp.WaitVisible("#name", chromedp.ByQuery), axeDone(),
		chromedp.SendKeys("#name", "quantri", chromedp.ByQuery),
		chromedp.SendKeys("#password", logintest.Password, chromedp.ByQuery),
		chromedp.Click(`form[action="/login"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(".account", chromedp.ByQuery), // shown once signed in
	)
	if p := evalString(t, ctx, `location.pathname`); p != "/" {
		t.Fatalf("after signing in the browser is at %s", p)
	}

	run("new plan",
		chromedp.Navigate(base+"/admin/plans/new"),
		chromedp.WaitVisible("#plan-form", chromedp.ByQuery), axeDone(),
		chromedp.SendKeys("#f-code", "05/NQ-HĐND", chromedp.ByQuery),
		chromedp.SetValue("#f-issued", "2026-01-28", chromedp.ByQuery),
		chromedp.SendKeys("#f-issuing_body", "Hội đồng nhân dân thành phố Cần Thơ", chromedp.ByQuery),
		chromedp.SendKeys("#f-title_vi", "Nghị quyết về kế hoạch phát triển kinh tế - xã hội 5 năm 2026–2030", chromedp.ByQuery),
		chromedp.SetValue("#f-horizon_from", "2026", chromedp.ByQuery),
		chromedp.SetValue("#f-horizon_to", "2030", chromedp.ByQuery),
		chromedp.SetValue("#f-scope", "merged_city", chromedp.ByQuery),
		chromedp.SetValue("#f-parent", r59, chromedp.ByQuery),
	)
	shot(t, ctx, "admin-plan-new")
	run("create the plan",
		chromedp.Click("#plan-form button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible(".flash", chromedp.ByQuery),
	)
	if p := evalString(t, ctx, `location.pathname`); p != "/admin/plans/05-nq-hdnd-2026-01-28" {
		t.Fatalf("after creating the plan the browser is at %s", p)
	}
	if n := evalString(t, ctx, `document.querySelector('.flash').innerText`); n != "Đã thêm văn bản kế hoạch." {
		t.Errorf("notice = %q", n)
	}

	run("add a target by its text",
		chromedp.Click(`a[href^="/admin/targets/new?plan="]`, chromedp.ByQuery),
		chromedp.WaitVisible("#target-form #f-text", chromedp.ByQuery), axeDone(),
		chromedp.SetValue("#f-indicator", "SOC-04", chromedp.ByQuery),
		chromedp.SendKeys("#f-text", "giảm tỷ lệ hộ nghèo xuống dưới 0,5%", chromedp.ByQuery),
		chromedp.Poll(`document.querySelector('#f-parsed').textContent.includes('< 0,5')`, nil),
	)
	if got := evalString(t, ctx, `[document.querySelector('#f-op').value, document.querySelector('#f-a').value,
		document.querySelector('#f-kind').value, document.querySelector('#f-period').value].join('|')`); got != "<|0,5|level|2026-2030" {
		t.Errorf("the form was filled with %q, want <|0,5|level|2026-2030", got)
	}
	if p := evalString(t, ctx, `document.querySelector('#f-parsed').textContent`); !strings.Contains(p, "Đọc từ nội dung: < 0,5 %") {
		t.Errorf("parsed bound shown = %q", p)
	}
	shot(t, ctx, "admin-target-new")
	run("create the target",
		chromedp.Click("#target-form button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible("#revisions", chromedp.ByQuery),
	)
	if h := evalString(t, ctx, `document.querySelector('h1').innerText`); !strings.Contains(h, "SOC-04 · 05/NQ-HĐND · 2026-2030") {
		t.Errorf("target page heading = %q", h)
	}

	run("revise the target",
		chromedp.Clear("#revise-form #f-text", chromedp.ByQuery),
		chromedp.SendKeys("#revise-form #f-text", "dưới 0,3%", chromedp.ByQuery),
		chromedp.Poll(`document.querySelector('#revise-form #f-parsed').textContent.includes('< 0,3')`, nil),
		chromedp.SendKeys("#revise-form #f-act", "12/NQ-HĐND", chromedp.ByQuery),
		chromedp.SetValue("#revise-form #f-act_date", "2026-07-10", chromedp.ByQuery),
		chromedp.SetValue("#revise-form #f-effective", "2026-07-10", chromedp.ByQuery),
		chromedp.SendKeys("#revise-form #f-reason", "Nâng mục tiêu giảm nghèo sau hợp nhất", chromedp.ByQuery),
	)
	if a := evalString(t, ctx, `document.querySelector('#revise-form #f-a').value`); a != "0,3" {
		t.Errorf("the revise form's bound = %q, want 0,3", a)
	}
	// The notice of the target's creation goes first, so that the one
	// waited for is the revision's (or an error, on the form shown again).
	evalString(t, ctx, `document.querySelector('.flash').remove(); 'ok'`)
	run("store the revision",
		chromedp.Click("#revise-form button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible(".flash, .field-error, .alert", chromedp.ByQuery),
	)
	if errs := evalString(t, ctx, `[...document.querySelectorAll('.field-error, .alert')].map(e => e.innerText).join(' | ')`); errs != "" {
		t.Fatalf("the revision was refused: %s", errs)
	}
	hist := evalString(t, ctx, `document.querySelector('#revisions').innerText`)
	for _, w := range []string{"giảm tỷ lệ hộ nghèo xuống dưới 0,5%", "bản gốc", "< 0,5 %", "dưới 0,3%", "< 0,3 %", "12/NQ-HĐND",
		"Nâng mục tiêu giảm nghèo sau hợp nhất", "05/NQ-HĐND"} {
		if !strings.Contains(hist, w) {
			t.Errorf("the history lacks %q:\n%s", w, hist)
		}
	}
	if n := evalString(t, ctx, `String(document.querySelectorAll('#revisions tbody tr').length)`); n != "2" {
		t.Errorf("the history has %s rows, want the original and the revision", n)
	}
	shot(t, ctx, "admin-target-revised")
	if d := seen.list(); len(d) > 0 {
		t.Errorf("the pages opened dialogs %q", d)
	}
}
