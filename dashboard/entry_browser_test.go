package dashboard_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"chitieu/dashboard"
	"chitieu/dashboard/logintest"
)

// A planner opens the entry form, chooses the old city and 2024, types
// values the Vietnamese way beside last period's and the plan values, gets
// a plausibility warning on the preview (a budget of 1.234.567 against
// 11.420), confirms it with a note, commits, and the indicator page shows
// the value.
func browserEntryForm(t *testing.T) {
	env := newImportEnv(t, dashboard.Config{})
	ctx, seen := browser(t, 1280, 900)
	base := env.ts.URL
	signInAs(t, ctx, base, "/entry", "hoa", logintest.Password)
	if err := chromedp.Run(ctx,
		chromedp.SetValue(`#entry-unit`, "CT-CU", chromedp.ByQuery),
		chromedp.SetValue(`#entry-period`, "2024", chromedp.ByQuery),
		chromedp.Click(`#entry-choice button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#entry-form`, chromedp.ByQuery), axeDone(),
	); err != nil {
		t.Fatalf("choose the unit and period: %v", err)
	}
	// SOC-01's row: 2023's official 74 beside the input.
	if row := evalString(t, ctx, `document.querySelector('#row-SOC-01').innerText`); !strings.Contains(row, "74,00") {
		t.Errorf("the SOC-01 row = %q, want last period's 74,00", row)
	}
	if err := chromedp.Run(ctx,
		chromedp.SendKeys(`input[name="v.SOC-01"]`, "75,5", chromedp.ByQuery),
		chromedp.SendKeys(`input[name="v.ECO-06"]`, "1.234.567", chromedp.ByQuery),
		chromedp.SendKeys(`input[name="n.ECO-06"]`, "số sơ bộ", chromedp.ByQuery),
	); err != nil {
		t.Fatalf("type the values: %v", err)
	}
	shot(t, ctx, "entry-form")
	if err := chromedp.Run(ctx,
		chromedp.Click(`#entry-submit`, chromedp.ByQuery),
		chromedp.WaitVisible(`table.import-plausibility`, chromedp.ByQuery), axeDone(),
	); err != nil {
		t.Fatalf("preview: %v", err)
	}
	warn := evalString(t, ctx, `document.querySelector('table.import-plausibility').innerText`)
	if !strings.Contains(warn, "ECO-06") || !strings.Contains(warn, "11.420 → 1.234.567") {
		t.Errorf("the plausibility warning = %q", warn)
	}
	shot(t, ctx, "entry-preview")
	if err := chromedp.Run(ctx,
		chromedp.Click(`input[name=confirm_plausibility]`, chromedp.ByQuery),
		chromedp.SendKeys(`textarea[name=plausibility_note]`, "Đã đối chiếu với Sở Tài chính", chromedp.ByQuery),
		chromedp.Click(`form[action$="/commit"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`h1 .import-st-committed`, chromedp.ByQuery), axeDone(),
	); err != nil {
		t.Fatalf("commit: %v", err)
	}
	if v, ok := env.inForce(t, "ECO-06/CT-CU/2024/official"); !ok || v != 1234567 {
		t.Errorf("ECO-06 2024 = %v %v, want 1234567", v, ok)
	}
	open(t, ctx, base+"/indicators/SOC-01")
	if page := evalString(t, ctx, `document.querySelector('main').innerText`); !strings.Contains(page, "75,5") {
		t.Errorf("the indicator page does not show 75,5:\n%.2000s", page)
	}
	if d := seen.list(); len(d) > 0 {
		t.Errorf("the pages opened dialogs %q", d)
	}
	env.noCopiesLeft(t)
}
