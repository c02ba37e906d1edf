package dashboard_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"chitieu/indicators"
	"chitieu/indicators/catalog"
)

// A citizen without an account opens the public view of Resolution 98 in
// a browser: the list of open plans, the plan with its targets, and an
// indicator with its metadata, official values and downloads — never the
// login page, no navigation into the signed-in pages, and noindex.
func browserPublicView(t *testing.T) {
	ts, _, db := newServerDB(t)
	ids, err := catalog.PlanIDs()
	if err != nil {
		t.Fatal(err)
	}
	plan := ids["R98"]
	actx := indicators.WithActor(context.Background(), indicators.Actor{User: "quan.tri", Role: indicators.Admin})
	if err := db.SetPlanPublic(actx, plan, true); err != nil {
		t.Fatal(err)
	}
	if err := db.SetIndicatorMetadata(actx, indicators.IndicatorMetadata{Indicator: "ECO-01",
		Definition: "Tốc độ tăng tổng sản phẩm trên địa bàn so với năm trước", Source: "Cục Thống kê"}); err != nil {
		t.Fatal(err)
	}
	ctx, _ := browser(t, 1280, 900)
	base := ts.URL

	open(t, ctx, base+"/public")
	if u := evalString(t, ctx, `location.pathname`); u != "/public" {
		t.Fatalf("the public view sent a visitor to %s", u)
	}
	if h := evalString(t, ctx, `document.querySelector('h1').innerText`); h != "Công khai tiến độ thực hiện chỉ tiêu" {
		t.Errorf("public home heading = %q", h)
	}
	if n := evalString(t, ctx, `String(document.querySelectorAll('nav.main-nav, .account, a[href^="/login"], a[href^="/admin"]').length)`); n != "0" {
		t.Errorf("the public home shows %s links into the signed-in pages", n)
	}
	if r := evalString(t, ctx, `document.querySelector('meta[name=robots]').content`); r != "noindex, nofollow" {
		t.Errorf("robots = %q", r)
	}
	planLink := evalString(t, ctx, `[...document.querySelectorAll('main a')].map(a => a.getAttribute('href')).join(' ')`)
	if !strings.Contains(planLink, "/public/plans/"+url.PathEscape(plan)) {
		t.Fatalf("the public home lists %q, not plan %s", planLink, plan)
	}
	shot(t, ctx, "public-home")

	open(t, ctx, base+"/public/plans/"+url.PathEscape(plan))
	rows := evalString(t, ctx, `String(document.querySelectorAll('main table tbody tr').length)`)
	if rows == "0" {
		t.Error("the plan's public page lists no target")
	}
	if text := evalString(t, ctx, `document.querySelector('main').innerText`); !strings.Contains(text, "ECO-01") {
		t.Errorf("the plan's public page lacks ECO-01:\n%.1500s", text)
	}
	shot(t, ctx, "public-plan")

	open(t, ctx, base+"/public/plans/"+url.PathEscape(plan)+"/indicators/ECO-01")
	text := evalString(t, ctx, `document.querySelector('main').innerText`)
	for _, want := range []string{"ECO-01", "Siêu dữ liệu", "Tốc độ tăng tổng sản phẩm trên địa bàn", "Cục Thống kê", "Số liệu chính thức", "7,12", "Quý I/2025"} {
		if !strings.Contains(text, want) {
			t.Errorf("the indicator's public page lacks %q:\n%.2000s", want, text)
		}
	}
	links := evalString(t, ctx, `[...document.querySelectorAll('a[download]')].map(a => a.getAttribute('href')).join(' ')`)
	if !strings.Contains(links, "/values.csv") || !strings.Contains(links, "/values.xlsx") {
		t.Errorf("download links = %q", links)
	}
	if n := evalString(t, ctx, `String(document.querySelectorAll('a[href^="/login"], a[href^="/admin"], a[href^="/indicators"], .account').length)`); n != "0" {
		t.Errorf("the indicator's public page shows %s links into the signed-in pages", n)
	}
	shot(t, ctx, "public-indicator")
}
