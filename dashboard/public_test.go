package dashboard

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/catalog"

	"github.com/xuri/excelize/v2"
)

var hrefs = regexp.MustCompile(`(?:href|src|action)="([^"]*)"`)

// The public view of a plan an admin opened: every page reached from
// /public without a login shows official values (an official figure
// entered for the test is there, an estimate is not), names no user, links
// only to public pages and assets, and asks not to be indexed. A closed
// plan has no public page, and an address over the rate gets 429.
func TestPublicViewScan(t *testing.T) {
	t.Parallel()
	e := newTokenEnv(t)
	ctx := context.Background()
	ids, err := catalog.PlanIDs()
	if err != nil {
		t.Fatal(err)
	}
	plan := ids["R98"]
	targets, err := e.s.store.Targets(ctx, indicators.TargetFilter{Plan: plan})
	if err != nil || len(targets) == 0 {
		t.Fatalf("targets of %s: %d, %v", plan, len(targets), err)
	}
	ind := targets[0].Indicator
	// A planner with a name to look for enters an official and an
	// estimate value.
	who := "nguoi.nhap.so"
	if err := e.s.users.CreateUser(ctx, &indicators.User{Name: who, FullName: "Trần Thị Nhập", Role: indicators.Planner,
		PasswordHash: "$argon2id$unused"}); err != nil {
		t.Fatal(err)
	}
	actx := indicators.WithActor(ctx, indicators.Actor{User: who, Role: indicators.Admin})
	if err := e.s.store.AddValues(actx, []indicators.Value{
		{Key: indicators.Key{Indicator: ind, Unit: "CT", Period: indicators.YearPeriod(2031), Type: indicators.OfficialValue}, Value: 4242.5, Source: "test"},
		{Key: indicators.Key{Indicator: ind, Unit: "CT", Period: indicators.YearPeriod(2032), Type: indicators.EstimateValue}, Value: 987654.321, Source: "test"},
	}); err != nil {
		t.Fatal(err)
	}

	anon := func(path string, addr string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, path, nil)
		req.RemoteAddr = addr + ":1234"
		rec := newRecorder()
		e.s.ServeHTTP(rec, req)
		return rec.Result()
	}
	planURL := "/public/plans/" + url.PathEscape(plan)
	if r := anon(planURL, "10.0.0.1"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("a plan not opened = %d, want 404", r.StatusCode)
	}
	admin, csrf := sessionFor(t, e.s, "admin")
	rec := e.do(t, "POST", "/admin/plans/"+url.PathEscape(plan)+"/public", url.Values{"public": {"1"}, "csrf_token": {csrf}}, nil, admin)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("open the public view = %d:\n%.300s", rec.Code, rec.Body)
	}
	// Resolution 59 too, for its ten task groups.
	if rec := e.do(t, "POST", "/admin/plans/"+url.PathEscape(ids["R59"])+"/public", url.Values{"public": {"1"}, "csrf_token": {csrf}}, nil, admin); rec.Code != http.StatusSeeOther {
		t.Fatalf("open the public view of R59 = %d", rec.Code)
	}

	users, _ := e.s.users.Users(ctx)
	seen := map[string]bool{}
	queue := []string{"/public", "/public?lang=en"}
	official := false
	downloads := map[string]bool{} // ".csv", ".xlsx" that hold the official value
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		resp := anon(p, fmt.Sprintf("10.1.%d.%d", len(seen)/200, len(seen)%200)) // the scan is not the rate's test
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s without a login = %d", p, resp.StatusCode)
			continue
		}
		body := readAll(resp)
		download := strings.HasSuffix(p, ".csv") || strings.HasSuffix(p, ".xlsx")
		if strings.HasSuffix(p, ".xlsx") {
			body = xlsxText(t, body)
		}
		if !download && !strings.Contains(body, `<meta name="robots" content="noindex, nofollow">`) || !strings.Contains(resp.Header.Get("X-Robots-Tag"), "noindex") {
			t.Errorf("%s is not marked noindex", p)
		}
		for _, u := range users {
			if strings.Contains(body, u.Name) || (u.FullName != "" && strings.Contains(body, u.FullName)) {
				t.Errorf("%s names the user %q", p, u.Name)
			}
		}
		if strings.Contains(body, "987.654") || strings.Contains(body, "987,654") || strings.Contains(body, "987654") {
			t.Errorf("%s shows the estimate", p)
		}
		if strings.Contains(body, "4.242,5") || strings.Contains(body, "4,242.5") {
			official = true
		}
		if download && strings.Contains(body, "4242.5") {
			downloads[p[strings.LastIndex(p, "."):]] = true
		}
		for _, m := range hrefs.FindAllStringSubmatch(body, -1) {
			link := html.UnescapeString(m[1])
			switch {
			case strings.HasPrefix(link, "/static/"):
			case strings.HasPrefix(link, "/public"):
				if len(seen) < 400 {
					queue = append(queue, link)
				}
			default:
				t.Errorf("%s links to %q, outside the public view", p, link)
			}
		}
	}
	if len(seen) < 2+len(targets) {
		t.Errorf("the scan reached %d pages, fewer than the plan's %d targets", len(seen), len(targets))
	}
	if !official {
		t.Error("no public page shows the official value 4.242,5")
	}
	if !seen[planURL] || !seen[planURL+"/indicators/"+url.PathEscape(ind)] {
		t.Errorf("the scan did not reach the plan and indicator %s: %v", ind, seen)
	}
	groupPages := 0
	for p := range seen {
		if strings.Contains(p, "/groups/") {
			groupPages++
		}
	}
	if !seen[planURL+"/sources"] || groupPages == 0 {
		t.Errorf("the scan reached the sources page: %v, %d task group pages", seen[planURL+"/sources"], groupPages)
	}
	if !downloads[".csv"] || !downloads[".xlsx"] {
		t.Errorf("the downloads of %s holding the official value 4242.5: %v", ind, downloads)
	}

	// Rate: publicRate a minute per address, then 429 until the next minute.
	e.clock.add(time.Minute)
	for i := 0; i < publicRate; i++ {
		if r := anon("/public", "10.0.0.3"); r.StatusCode != http.StatusOK {
			t.Fatalf("request %d = %d", i+1, r.StatusCode)
		}
	}
	if r := anon("/public", "10.0.0.3"); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("request %d of a minute = %d, want 429", publicRate+1, r.StatusCode)
	}
	if r := anon("/public", "10.0.0.4"); r.StatusCode != http.StatusOK {
		t.Errorf("another address = %d, want 200", r.StatusCode)
	}
	e.clock.add(time.Minute)
	if r := anon("/public", "10.0.0.3"); r.StatusCode != http.StatusOK {
		t.Errorf("the next minute = %d, want 200", r.StatusCode)
	}

	// Closed again: gone.
	e.do(t, "POST", "/admin/plans/"+url.PathEscape(plan)+"/public", url.Values{"public": {"0"}, "csrf_token": {csrf}}, nil, admin)
	if r := anon(planURL, "10.0.0.5"); r.StatusCode != http.StatusNotFound {
		t.Errorf("a closed plan = %d, want 404", r.StatusCode)
	}
	evs, _ := e.s.audit.AuditEvents(ctx, indicators.AuditFilter{Action: "plan.public"})
	if len(evs) != 3 {
		t.Errorf("%d plan.public events, want 3 (open two, close one)", len(evs))
	}
}

// xlsxText is the text of every cell of a workbook, a cell a line.
func xlsxText(t *testing.T, data string) string {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(data))
	if err != nil {
		t.Fatalf("a public download is not a workbook: %v", err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sh := range f.GetSheetList() {
		rows, _ := f.GetRows(sh, excelize.Options{RawCellValue: true})
		for _, r := range rows {
			b.WriteString(strings.Join(r, "\n") + "\n")
		}
	}
	return b.String()
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func readAll(r *http.Response) string {
	b, _ := io.ReadAll(r.Body)
	return string(b)
}

// An admin lets a plan's public view show estimates and be indexed: the
// estimate appears on the indicator's page and in its downloads, the
// pages say "index"; a closed plan takes no options; each switch is
// audited.
func TestPublicViewOptions(t *testing.T) {
	t.Parallel()
	e := newTokenEnv(t)
	ctx := context.Background()
	ids, err := catalog.PlanIDs()
	if err != nil {
		t.Fatal(err)
	}
	plan := ids["R98"]
	targets, err := e.s.store.Targets(ctx, indicators.TargetFilter{Plan: plan})
	if err != nil || len(targets) == 0 {
		t.Fatalf("targets of %s: %d, %v", plan, len(targets), err)
	}
	ind := targets[0].Indicator
	actx := indicators.WithActor(ctx, indicators.Actor{User: "admin", Role: indicators.Admin})
	if err := e.s.store.AddValues(actx, []indicators.Value{{Key: indicators.Key{Indicator: ind, Unit: "CT",
		Period: indicators.YearPeriod(2032), Type: indicators.EstimateValue}, Value: 987654, Source: "test"}}); err != nil {
		t.Fatal(err)
	}
	admin, csrf := sessionFor(t, e.s, "admin")
	base := "/admin/plans/" + url.PathEscape(plan) + "/public"
	if rec := e.do(t, "POST", base+"/options", url.Values{"estimates": {"1"}, "csrf_token": {csrf}}, nil, admin); rec.Code != http.StatusConflict {
		t.Errorf("options of a closed plan = %d, want 409", rec.Code)
	}
	e.do(t, "POST", base, url.Values{"public": {"1"}, "csrf_token": {csrf}}, nil, admin)
	page := "/public/plans/" + url.PathEscape(plan) + "/indicators/" + url.PathEscape(ind)
	get := func(path string) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodGet, path, nil)
		req.RemoteAddr = "10.9.9.9:1"
		rec := newRecorder()
		e.s.ServeHTTP(rec, req)
		return rec.Result(), rec.Body.String()
	}
	resp, body := get(page)
	if strings.Contains(body, "987.654") || !strings.Contains(body, `content="noindex, nofollow"`) || resp.Header.Get("X-Robots-Tag") != "noindex, nofollow" {
		t.Errorf("by default the page shows the estimate or is indexed (%q):\n%.2000s", resp.Header.Get("X-Robots-Tag"), body)
	}
	if rec := e.do(t, "POST", base+"/options", url.Values{"estimates": {"1"}, "indexing": {"1"}, "csrf_token": {csrf}}, nil, admin); rec.Code != http.StatusSeeOther {
		t.Fatalf("set the options = %d:\n%.300s", rec.Code, rec.Body)
	}
	resp, body = get(page)
	if !strings.Contains(body, "987.654") || !strings.Contains(body, `content="index, follow"`) || resp.Header.Get("X-Robots-Tag") != "index, follow" {
		t.Errorf("with estimates and indexing allowed (%q):\n%.2000s", resp.Header.Get("X-Robots-Tag"), body)
	}
	if _, csv := get(page + "/values.csv"); !strings.Contains(csv, "987654") {
		t.Errorf("the CSV lacks the estimate allowed:\n%s", csv)
	}
	if _, home := get("/admin/plans/" + url.PathEscape(plan)); strings.Contains(home, "987654") {
		t.Error("a signed-in page answered without a session")
	}
	evs, _ := e.s.audit.AuditEvents(ctx, indicators.AuditFilter{Action: "plan.public_options"})
	if len(evs) != 1 || !strings.Contains(evs[0].After, `"estimates":true`) {
		t.Errorf("plan.public_options events = %+v", evs)
	}
}
