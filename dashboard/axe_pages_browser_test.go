package dashboard_test

import (
	"context"
	"net/url"
	"testing"

	"chitieu/indicators"
	"chitieu/indicators/catalog"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// TestBrowser/AxeEveryPage opens every page of the site in the browser —
// each signed-in page as a user whose role may read it (the list and the
// roles of TestScriptsCarryTheNonce), the login page without a session,
// and the public view of an opened plan in both languages — so that axe
// (watchAxe) checks each one; a serious or critical violation fails the
// test and the results go to artifacts/browser/axe.
func browserAxeEveryPage(t *testing.T) {
	ts, srv, db := newServerDB(t)
	base := ts.URL
	ids, err := catalog.PlanIDs()
	if err != nil {
		t.Fatal(err)
	}
	plan := ids["R98"]
	actx := indicators.WithActor(context.Background(), indicators.Actor{User: "quantri", Role: indicators.Admin})
	if err := db.SetPlanPublic(actx, plan, true); err != nil {
		t.Fatalf("open the public view of %s: %v", plan, err)
	}
	targets, err := db.Targets(actx, indicators.TargetFilter{Plan: plan})
	if err != nil || len(targets) == 0 {
		t.Fatalf("targets of %s: %d, %v", plan, len(targets), err)
	}
	ctx, seen := browser(t, 1280, 900)
	if err := chromedp.Run(ctx, network.Enable()); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(base + "/")
	// signAs gives the browser the session of a user of role, or none.
	current := indicators.Role("none")
	signAs := func(role indicators.Role) {
		t.Helper()
		if role == current {
			return
		}
		current = role
		actions := []chromedp.Action{network.ClearBrowserCookies()}
		if role != "" {
			for _, ck := range as(t, base, role).Jar.Cookies(u) {
				actions = append(actions, network.SetCookie(ck.Name, ck.Value).WithURL(base+"/").WithHTTPOnly(true))
			}
		}
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("sign the browser in as %q: %v", role, err)
		}
	}
	pages := 0
	for _, p := range pagePaths(t, srv) {
		signAs(roleFor(p))
		open(t, ctx, base+p)
		pages++
	}
	signAs("")
	for _, p := range []string{"/public", "/public?lang=en", "/public/plans/" + url.PathEscape(plan),
		"/public/plans/" + url.PathEscape(plan) + "/indicators/" + url.PathEscape(targets[0].Indicator), "/public?lang=vi"} {
		open(t, ctx, base+p)
		pages++
	}
	if pages < 30 {
		t.Errorf("only %d pages opened; the route list shrank", pages)
	}
	if d := seen.list(); len(d) > 0 {
		t.Errorf("the pages opened dialogs %q", d)
	}
}
