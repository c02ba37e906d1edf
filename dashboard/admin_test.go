package dashboard_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"chitieu/dashboard/logintest"
	"chitieu/indicators"
	"chitieu/indicators/sqlite"
)

// The admin pages are driven over HTTP as a browser would: signed in
// through the login form, every POST carrying the session's CSRF token.

// adminEnv is a server on a fresh database with the built-in catalogue and
// an admin signed in.
type adminEnv struct {
	ts    *httptest.Server
	db    *sqlite.DB
	admin *http.Client
}

const r59 = "59-nq-tw-2020-08-05" // the plan ID of Resolution 59

func newAdminEnv(t *testing.T) adminEnv {
	t.Helper()
	ts, _, db := newServerDB(t)
	logintest.AddUser(t, db, "quantri", indicators.Admin, "", nil, nil)
	return adminEnv{ts: ts, db: db, admin: logintest.Login(t, ts.URL, "quantri", "")}
}

// post sends a form and returns the status, the redirect and the body.
func (e adminEnv) post(t *testing.T, c *http.Client, path string, form url.Values) (int, string, string) {
	t.Helper()
	res := logintest.Post(t, c, e.ts.URL, path, form)
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(body)
}

// page fetches a page and returns its status and body.
func (e adminEnv) page(t *testing.T, c *http.Client, path string) (int, string) {
	t.Helper()
	res, err := c.Get(e.ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// lastEvent is the ID of the newest audit event.
func (e adminEnv) lastEvent(t *testing.T) int64 {
	t.Helper()
	h, err := e.db.AuditHead(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return h.LastID
}

// eventsAfter returns the audit events after id with the given action.
func (e adminEnv) eventsAfter(t *testing.T, id int64, action string) []indicators.AuditEvent {
	t.Helper()
	all, err := e.db.AuditEvents(context.Background(), indicators.AuditFilter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	var out []indicators.AuditEvent
	for _, ev := range all {
		if ev.ID > id && ev.Action == action {
			out = append(out, ev)
		}
	}
	return out
}

// jsonField reads one field of an audit event's JSON body.
func jsonField(t *testing.T, body, name string) any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("audit body %q: %v", body, err)
	}
	return m[name]
}

// fieldError returns the message shown next to a form field, or "".
func fieldError(body, name string) string {
	m := regexp.MustCompile(`id="f-` + regexp.QuoteMeta(name) + `-error">([^<]*)<`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// fieldValue returns the value an input or text area of the page holds.
func fieldValue(body, name string) string {
	q := regexp.QuoteMeta(name)
	m := regexp.MustCompile(`id="f-` + q + `" name="` + q + `" value="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		m = regexp.MustCompile(`<textarea id="f-` + q + `" name="` + q + `"[^>]*>([^<]*)</textarea>`).FindStringSubmatch(body)
	}
	if m == nil {
		return "⟨no field " + name + "⟩"
	}
	return html.UnescapeString(m[1])
}

// selected returns the chosen option of a select field.
func selected(body, name string) string {
	i := strings.Index(body, `<select id="f-`+name+`"`)
	if i < 0 {
		return "⟨no select " + name + "⟩"
	}
	rest := body[i:]
	rest = rest[:strings.Index(rest, "</select>")]
	m := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(rest)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// A new plan is stored and audited with the admin as actor; the redirect
// carries the notice the plan's page shows.
func TestAdminCreatePlan(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	before := e.lastEvent(t)
	form := url.Values{"code": {"05/NQ-HĐND"}, "issued": {"2026-01-28"}, "issuing_body": {"HĐND thành phố"},
		"title_vi": {"Nghị quyết về kế hoạch phát triển kinh tế - xã hội 5 năm 2026–2030"},
		"title_en": {"Resolution on the 2026–2030 socio-economic plan"}, "horizon_from": {"2026"}, "horizon_to": {"2030"},
		"scope": {"merged_city"}, "parent": {r59}}
	status, loc, body := e.post(t, e.admin, "/admin/plans", form)
	const id = "05-nq-hdnd-2026-01-28"
	if status != http.StatusSeeOther || loc != "/admin/plans/"+id+"?done=admin.plans.created" {
		t.Fatalf("create plan = %d %q:\n%.500s", status, loc, body)
	}
	p, err := e.db.Plan(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Code != "05/NQ-HĐND" || p.HorizonTo != 2030 || p.Parent != r59 || p.Scope != indicators.MergedCity ||
		p.Issued.Format(indicators.DateLayout) != "2026-01-28" {
		t.Errorf("stored plan = %+v", p)
	}
	evs := e.eventsAfter(t, before, "plan.create")
	if len(evs) != 1 || evs[0].User != "quantri" || jsonField(t, evs[0].After, "TitleEN") != form.Get("title_en") {
		t.Errorf("audit events = %+v", evs)
	}
	_, page := e.page(t, e.admin, loc)
	if !strings.Contains(page, "Đã thêm văn bản kế hoạch.") || fieldValue(page, "code") != "05/NQ-HĐND" {
		t.Errorf("the plan's page lacks the notice or the plan:\n%.2000s", page)
	}
}

// A form with a mistake comes back with what was typed and the message
// next to the field it concerns, in the user's language; nothing is
// stored.
func TestAdminFormErrorsKeepTheInput(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	good := url.Values{"code": {"05/NQ-HĐND"}, "issued": {"2026-01-28"}, "title_vi": {"Nghị quyết thử"},
		"horizon_from": {"2026"}, "horizon_to": {"2030"}, "scope": {"merged_city"}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for key, vs := range good {
			f[key] = vs
		}
		f.Set(k, v)
		return f
	}
	cases := []struct {
		name, path string
		form       url.Values
		field      string
		status     int
		want       string
	}{
		{"missing title", "/admin/plans?lang=vi", with("title_vi", ""), "title_vi", 400, "thiếu tên văn bản (tiếng Việt)"},
		{"missing title, English", "/admin/plans?lang=en", with("title_vi", ""), "title_vi", 400, "the Vietnamese title is missing"},
		{"bad date", "/admin/plans?lang=vi", with("issued", "28/13/2026"), "issued", 400, "ngày"},
		{"horizon backwards", "/admin/plans?lang=vi", with("horizon_to", "2020"), "horizon_from", 400, "năm bắt đầu sau năm kết thúc"},
		{"year not a number", "/admin/plans?lang=en", with("horizon_to", "hai nghìn"), "horizon_to", 400, "is not a whole number"},
		{"plan exists", "/admin/plans?lang=vi", url.Values{"code": {"59-NQ/TW"}, "issued": {"2020-08-05"}, "title_vi": {"Nghị quyết trùng"}},
			"code", 409, "đã có"},
		{"indicator code", "/admin/indicators?lang=vi", url.Values{"code": {"eco1"}, "name_vi": {"Chỉ tiêu thử"}, "unit": {"%"},
			"direction": {"up"}, "measure": {"level"}, "rollup": {"none"}, "frequency": {"year"}}, "code", 400, "không đúng dạng"},
		{"unit validity", "/admin/units?lang=vi", url.Values{"code": {"31001"}, "name_vi": {"Phường Ninh Kiều"}, "kind": {"commune"},
			"scope": {"merged_city"}, "valid_from": {"2025-07-01"}, "valid_to": {"2025-01-01"}}, "valid_to", 400, "ngày hết hiệu lực trước ngày có hiệu lực"},
		{"task deadline", "/admin/tasks?lang=vi", url.Values{"code": {"G3-T99"}, "plan": {r59}, "group": {"3"}, "name_vi": {"Cầu Ô Môn"},
			"start": {"2025-01-01"}, "deadline": {"2024-12-31"}}, "deadline", 400, "thời hạn trước ngày bắt đầu"},
		{"task percent", "/admin/tasks?lang=en", url.Values{"code": {"G3-T99"}, "plan": {r59}, "group": {"3"}, "name_vi": {"Cầu Ô Môn"},
			"percent": {"7,5"}}, "percent", 400, "is not a number"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := e.lastEvent(t)
			status, _, body := e.post(t, e.admin, tc.path, tc.form)
			if status != tc.status {
				t.Fatalf("status = %d, want %d:\n%.1500s", status, tc.status, body)
			}
			if got := fieldError(body, tc.field); got == "" || !strings.Contains(got, tc.want) {
				t.Errorf("message next to %s = %q, want one with %q", tc.field, got, tc.want)
			}
			for k := range tc.form {
				if k == "csrf_token" || strings.Contains(body, `<select id="f-`+k+`"`) {
					continue
				}
				if got := fieldValue(body, k); got != tc.form.Get(k) {
					t.Errorf("field %s came back as %q, want %q as typed", k, got, tc.form.Get(k))
				}
			}
			if after := e.lastEvent(t); after != before {
				t.Errorf("a refused form wrote %d audit events", after-before)
			}
		})
	}
}

// An edit is audited with the item before and after; items that need one
// keep their key.
func TestAdminEditsAreAuditedWithBeforeAndAfter(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	ctx := context.Background()
	cases := []struct {
		name, path, action string
		form               url.Values
		field, before      string // an audited field and its value before
		after              string
		check              func(t *testing.T)
	}{
		{name: "plan", path: "/admin/plans/" + r59, action: "plan.update",
			form: url.Values{"code": {"59-NQ/TW"}, "issued": {"2020-08-05"}, "title_vi": {"Nghị quyết 59-NQ/TW (sửa tên)"},
				"horizon_from": {"2020"}, "horizon_to": {"2045"}, "scope": {"old_city"}, "order": {"1"}},
			field: "TitleVI", after: "Nghị quyết 59-NQ/TW (sửa tên)",
			check: func(t *testing.T) {
				p, _ := e.db.Plan(ctx, r59)
				if p.TitleVI != "Nghị quyết 59-NQ/TW (sửa tên)" || p.ID != r59 {
					t.Errorf("stored plan = %+v", p)
				}
			}},
		{name: "task group", path: "/admin/plans/" + r59 + "/groups/3", action: "task_group.update",
			form:  url.Values{"number": {"9"}, "name_vi": {"Phát triển kết cấu hạ tầng"}, "name_en": {"Infrastructure"}},
			field: "NameEN", after: "Infrastructure",
			check: func(t *testing.T) {
				gs, _ := e.db.TaskGroups(ctx, r59)
				if gs[3].Number != 3 || gs[3].NameEN != "Infrastructure" {
					t.Errorf("group 3 = %+v; its number must stay", gs[3])
				}
			}},
		{name: "indicator", path: "/admin/indicators/ECO-16", action: "indicator.update",
			form: url.Values{"code": {"XXX-99"}, "name_vi": {"Thu ngân sách nhà nước trên địa bàn"}, "unit": {"nghìn tỷ đồng"},
				"decimals": {"1"}, "direction": {"up"}, "measure": {"level"}, "rollup": {"sum"}, "frequency": {"year"}, "group": {"2"},
				"lead_agency": {"STC"}},
			field: "Unit", after: "nghìn tỷ đồng",
			check: func(t *testing.T) {
				ind, err := e.db.Indicator(ctx, "ECO-16")
				if err != nil || ind.Unit != "nghìn tỷ đồng" {
					t.Errorf("ECO-16 = %+v, %v", ind, err)
				}
			}},
		{name: "unit", path: "/admin/units/916", action: "unit.update",
			form: url.Values{"code": {"916"}, "name_vi": {"Quận Ninh Kiều"}, "kind": {"district"}, "type": {"quận"}, "parent": {"CT-CU"},
				"scope": {"old_city"}, "valid_from": {"2004-01-02"}, "valid_to": {"2025-06-30"}},
			field: "ValidFrom", after: "2004-01-02",
			check: func(t *testing.T) {
				u, _ := e.db.Unit(ctx, "916")
				if u.ValidFrom.Format(indicators.DateLayout) != "2004-01-02" {
					t.Errorf("916 valid from %v", u.ValidFrom)
				}
			}},
		{name: "task", path: "/admin/tasks/G3-T07", action: "task.update",
			form: url.Values{"code": {"G3-T07"}, "plan": {r59}, "group": {"3"}, "name_vi": {"Cầu Cần Thơ 2"}, "lead_agency": {"SXD"},
				"deadline": {"2030-12-31"}},
			field: "Deadline", after: "2030-12-31",
			check: func(t *testing.T) {
				task, _ := e.db.Task(ctx, "G3-T07")
				if task.Deadline.Format(indicators.DateLayout) != "2030-12-31" || task.NameVI != "Cầu Cần Thơ 2" {
					t.Errorf("G3-T07 = %+v", task)
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := e.lastEvent(t)
			status, loc, body := e.post(t, e.admin, tc.path, tc.form)
			if status != http.StatusSeeOther || !strings.HasSuffix(loc, "?done=admin.saved") {
				t.Fatalf("edit = %d %q:\n%.1500s", status, loc, body)
			}
			evs := e.eventsAfter(t, before, tc.action)
			if len(evs) != 1 || evs[0].Before == "" || evs[0].User != "quantri" {
				t.Fatalf("audit events %s = %+v", tc.action, evs)
			}
			after := jsonField(t, evs[0].After, tc.field)
			if s, ok := after.(string); !ok || !strings.HasPrefix(s, tc.after) {
				t.Errorf("audited after %s = %v, want %s", tc.field, after, tc.after)
			}
			if jsonField(t, evs[0].Before, tc.field) == after {
				t.Errorf("audited before %s equals after: %v", tc.field, after)
			}
			tc.check(t)
			// The same edit again changes nothing and audits nothing.
			again := e.lastEvent(t)
			e.post(t, e.admin, tc.path, tc.form)
			if n := len(e.eventsAfter(t, again, tc.action)); n != 0 {
				t.Errorf("an edit that changes nothing wrote %d events", n)
			}
		})
	}
}

// Task groups, indicators, units and tasks are added from their forms.
func TestAdminCreateItems(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	ctx := context.Background()
	cases := []struct {
		path, action, redirect string
		form                   url.Values
	}{
		{"/admin/plans/" + r59 + "/groups", "task_group.create", "/admin/plans/" + r59 + "?done=admin.groups.created",
			url.Values{"number": {"11"}, "name_vi": {"Chuyển đổi số"}, "scope_vi": {"Chính quyền số, kinh tế số"}}},
		{"/admin/indicators", "indicator.create", "/admin/indicators/DIG-01?done=admin.indicators.created",
			url.Values{"code": {"DIG-01"}, "name_vi": {"Tỷ trọng kinh tế số trong GRDP"}, "unit": {"%"}, "decimals": {"1"},
				"direction": {"up"}, "measure": {"share"}, "rollup": {"none"}, "frequency": {"year"}, "group": {"0"}}},
		{"/admin/units", "unit.create", "/admin/units/31117?done=admin.units.created",
			url.Values{"code": {"31117"}, "name_vi": {"Phường Ninh Kiều"}, "kind": {"commune"}, "type": {"phường"},
				"parent": {"CT"}, "scope": {"merged_city"}, "valid_from": {"2025-07-01"}}},
		{"/admin/tasks", "task.create", "/admin/tasks/G3-T11?done=admin.tasks.created",
			url.Values{"code": {"G3-T11"}, "plan": {r59}, "group": {"3"}, "name_vi": {"Đường vành đai phía Tây"},
				"lead_agency": {"SXD"}, "start": {"2024-01-01"}, "deadline": {"2027-12-31"}, "percent": {"12,5"}}},
	}
	for _, tc := range cases {
		before := e.lastEvent(t)
		status, loc, body := e.post(t, e.admin, tc.path, tc.form)
		if status != http.StatusSeeOther || loc != tc.redirect {
			t.Errorf("POST %s = %d %q, want a redirect to %s:\n%.1500s", tc.path, status, loc, tc.redirect, body)
			continue
		}
		if evs := e.eventsAfter(t, before, tc.action); len(evs) != 1 || evs[0].After == "" {
			t.Errorf("POST %s audited %+v", tc.path, evs)
		}
	}
	task, err := e.db.Task(ctx, "G3-T11")
	if err != nil || task.Percent == nil || *task.Percent != 12.5 {
		t.Errorf("G3-T11 = %+v, %v; want 12,5 %% read in Vietnamese notation", task, err)
	}
	u, err := e.db.Unit(ctx, "31117")
	if err != nil || u.ValidFrom.Format(indicators.DateLayout) != "2025-07-01" || !u.ValidTo.IsZero() {
		t.Errorf("unit 31117 = %+v, %v", u, err)
	}
}

// Every admin and task page draws in both languages for an admin: no
// missing message, every script with the nonce of the answer's
// Content-Security-Policy, nothing from another origin.
func TestAdminPagesDraw(t *testing.T) {
	t.Parallel()
	ts, srv, db := newServerDB(t)
	logintest.AddUser(t, db, "quantri", indicators.Admin, "", nil, nil)
	admin := logintest.Login(t, ts.URL, "quantri", "")
	fill := strings.NewReplacer(":plan", r59, ":number", "3", ":code", "ECO-01", ":target", "1", ":task", "G3-T07", ":unit", "916")
	script := regexp.MustCompile(`<script\b[^>]*>`)
	nonceAttr := regexp.MustCompile(`nonce="([^"]*)"`)
	nonceCSP := regexp.MustCompile(`'nonce-([^']+)'`)
	outside := regexp.MustCompile(`(?i)\b(src|href|action)\s*=\s*["']?\s*(https?:)?//`)
	n := 0
	for _, r := range srv.Echo().Routes() {
		if r.Method != http.MethodGet || !strings.HasPrefix(r.Path, "/admin") && !strings.HasPrefix(r.Path, "/tasks") ||
			strings.HasPrefix(r.Path, "/admin/users") || r.Path == "/admin/planbook/export" || r.Path == "/admin/targets/parse" {
			continue
		}
		for _, lang := range []string{"vi", "en"} {
			path := fill.Replace(r.Path) + "?lang=" + lang
			res, err := admin.Get(ts.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			body := string(b)
			n++
			if res.StatusCode != 200 || strings.Contains(body, "⟦") || !strings.Contains(body, `<html lang="`+lang+`">`) {
				t.Errorf("%s = %d:\n%.1000s", path, res.StatusCode, body)
			}
			csp := nonceCSP.FindStringSubmatch(res.Header.Get("Content-Security-Policy"))
			for _, tag := range script.FindAllString(body, -1) {
				m := nonceAttr.FindStringSubmatch(tag)
				if csp == nil || m == nil || html.UnescapeString(m[1]) != csp[1] {
					t.Errorf("%s: %s lacks the nonce of the policy", path, tag)
				}
			}
			if m := outside.FindString(body); m != "" {
				t.Errorf("%s refers outside: %q", path, m)
			}
		}
	}
	if n < 30 {
		t.Errorf("only %d admin pages drawn", n)
	}
}
