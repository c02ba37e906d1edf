package dashboard

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"chitieu/importers"
	"chitieu/indicators"
)

// cycleUser adds a user of role with units to the test server's store.
func cycleUser(t *testing.T, s *Server, name string, role indicators.Role, units ...string) indicators.User {
	t.Helper()
	u := indicators.User{Name: name, Role: role, Units: units, PasswordHash: "$argon2id$unused"}
	if err := s.users.CreateUser(context.Background(), &u); err != nil {
		t.Fatal(err)
	}
	return u
}

// send makes a request as user name (a form POST when form is not nil)
// and returns the answer.
func send(t *testing.T, s *Server, name, method, path string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	ck, csrf := sessionFor(t, s, name)
	var body *strings.Reader
	if form != nil {
		form.Set("csrf_token", csrf)
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req := httptest.NewRequest(method, path, body)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(ck)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

var laggingTarget = regexp.MustCompile(`<tr data-target="(\d+)" data-group="(\d+)" data-period="([^"]+)"><td><b>([^<]+)</b>`)

// The whole cycle through the pages, with who may do each step: the
// planner of CT-CU sees the unit's lagging targets, is refused the
// submission until each is explained, then submits; a head of another
// unit and the planner may not decide; the head of CT-CU returns the
// figures with a note, which the planner sees, and approves them once
// submitted again; the period of 2021 is past its cut-off, so it is
// locked: the batch cannot be rolled back, and only an admin unlocks it,
// with a reason. Every step is in the audit trail.
func TestSubmissionPagesRunTheCycle(t *testing.T) {
	t.Parallel()
	now := time.Date(2022, 3, 1, 3, 0, 0, 0, time.UTC)
	s, db := testServer(t, Config{Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(os.Stderr, nil))})
	defer s.Close()
	ctx := context.Background()
	planner := cycleUser(t, s, "p.ctcu", indicators.Planner, "CT-CU")
	cycleUser(t, s, "tt.ctcu", indicators.Approver, "CT-CU")
	cycleUser(t, s, "tt.ct", indicators.Approver, "CT")
	batch := scopedBatch(t, s, planner, 5, true)
	r98, err := db.FindPlan(ctx, "98/NQ-CP")
	if err != nil {
		t.Fatal(err)
	}
	key := url.Values{"plan": {r98.ID}, "unit": {"CT-CU"}, "term": {"2021"}}
	form := func(extra ...string) url.Values {
		f := url.Values{}
		for k, v := range key {
			f[k] = v
		}
		for i := 0; i+1 < len(extra); i += 2 {
			f.Set(extra[i], extra[i+1])
		}
		return f
	}
	page := "/submissions?" + key.Encode()

	rec := send(t, s, "p.ctcu", "GET", page, nil)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `id="cycle-submit"`) {
		t.Fatalf("GET %s as the planner = %d, want the submit form:\n%.500s", page, rec.Code, rec.Body)
	}
	targets := laggingTarget.FindAllStringSubmatch(rec.Body.String(), -1)
	if len(targets) == 0 {
		t.Fatal("no lagging target of the old city listed; the built-in figures leave several behind")
	}
	if !strings.Contains(rec.Body.String(), "Đánh giá tự động") || !strings.Contains(rec.Body.String(), "Giải trình của đơn vị") {
		t.Error("the page does not show the engine's sentence beside the unit's explanation")
	}
	rec = send(t, s, "p.ctcu", "POST", "/submissions/submit", form())
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "cần giải trình") {
		t.Fatalf("submit without explanations = %d, want 400 naming the targets:\n%.500s", rec.Code, rec.Body)
	}
	for _, m := range targets {
		rec = send(t, s, "p.ctcu", "POST", "/submissions/explain", form("target", m[1],
			"cause", "Ảnh hưởng dịch COVID-19", "remedy", "Đẩy nhanh giải ngân vốn đầu tư công"))
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("explain target %s = %d:\n%.500s", m[1], rec.Code, rec.Body)
		}
	}
	if rec = send(t, s, "p.ctcu", "POST", "/submissions/submit", form()); rec.Code != http.StatusSeeOther {
		t.Fatalf("submit = %d:\n%.500s", rec.Code, rec.Body)
	}
	// The indicator page shows the unit's explanation beside the engine's
	// sentence.
	// The indicator and the task group pages show the unit's explanation
	// beside the engine's sentence.
	first := targets[0]
	for _, path := range []string{"/indicators/" + first[4] + "?" + url.Values{"plan": {r98.ID}}.Encode(),
		"/groups/" + first[2] + "?" + url.Values{"plan": {r98.ID}, "period": {first[3]}}.Encode()} {
		body := send(t, s, "leader", "GET", path, nil).Body.String()
		if !strings.Contains(body, `<p class="explain-unit" data-target="`+first[1]+`"><b>Giải trình của đơn vị</b> (CT-CU, 2021)`) ||
			!strings.Contains(body, "Ảnh hưởng dịch COVID-19") {
			t.Errorf("GET %s does not show the unit's explanation", path)
		}
	}
	for _, who := range []struct {
		name string
		code int
	}{{"p.ctcu", http.StatusForbidden}, {"tt.ct", http.StatusForbidden}, {"admin", http.StatusForbidden}, {"leader", http.StatusForbidden}} {
		if rec = send(t, s, who.name, "POST", "/submissions/decide", form("decision", "approve")); rec.Code != who.code {
			t.Errorf("approve as %s = %d, want %d", who.name, rec.Code, who.code)
		}
	}
	if rec = send(t, s, "tt.ctcu", "POST", "/submissions/decide", form("decision", "return")); rec.Code != http.StatusBadRequest {
		t.Errorf("return without a note = %d, want 400", rec.Code)
	}
	note := "Số liệu 2021 chưa khớp niên giám thống kê"
	if rec = send(t, s, "tt.ctcu", "POST", "/submissions/decide", form("decision", "return", "note", note)); rec.Code != http.StatusSeeOther {
		t.Fatalf("return = %d:\n%.500s", rec.Code, rec.Body)
	}
	if body := send(t, s, "p.ctcu", "GET", page, nil).Body.String(); !strings.Contains(body, `<dd id="cycle-note" class="alert">`+note) {
		t.Errorf("the planner does not see the returned note:\n%.2000s", body)
	}
	if rec = send(t, s, "p.ctcu", "POST", "/submissions/submit", form()); rec.Code != http.StatusSeeOther {
		t.Fatalf("submit again = %d", rec.Code)
	}
	if rec = send(t, s, "tt.ctcu", "POST", "/submissions/decide", form("decision", "approve")); rec.Code != http.StatusSeeOther {
		t.Fatalf("approve = %d:\n%.500s", rec.Code, rec.Body)
	}
	body := send(t, s, "admin", "GET", page, nil).Body.String()
	if !strings.Contains(body, `data-state="approved"`) || !strings.Contains(body, `id="cycle-unlock"`) {
		t.Errorf("the admin does not see the approved, locked period with the unlock form")
	}
	// The preview of a new upload into the locked period refuses the cell
	// with the reason.
	up := scopedUpload(t, s, planner, 6)
	res, err := s.imports.Importer().Stage(indicators.WithActor(ctx, planner.Actor("")), up, importers.Options{})
	up.Close()
	if res == nil || len(res.Errors) == 0 || res.Errors[0].Cell == "" || !strings.HasPrefix(res.Errors[0].Reason, "số liệu ECO-01 của đơn vị CT-CU, 2021 đã được tt.ctcu phê duyệt và khóa sau hạn chốt 14/12/2021") {
		t.Errorf("preview into the locked period = %v, %+v; want its cell refused with the reason", err, res)
	}
	rb := send(t, s, "p.ctcu", "POST", fmt.Sprintf("/imports/batches/%d/rollback", batch), url.Values{})
	if rb.Code != http.StatusConflict || !strings.Contains(rb.Body.String(), "phê duyệt") {
		t.Errorf("rollback of the approved batch = %d, want 409 with the reason:\n%.500s", rb.Code, rb.Body)
	}
	if rec = send(t, s, "p.ctcu", "POST", "/submissions/unlock", form("reason", "x")); rec.Code != http.StatusForbidden {
		t.Errorf("unlock as the planner = %d, want 403", rec.Code)
	}
	if rec = send(t, s, "admin", "POST", "/submissions/unlock", form()); rec.Code != http.StatusBadRequest {
		t.Errorf("unlock without a reason = %d, want 400", rec.Code)
	}
	if rec = send(t, s, "admin", "POST", "/submissions/unlock", form("reason", "Cục Thống kê sửa số liệu")); rec.Code != http.StatusSeeOther {
		t.Errorf("unlock = %d:\n%.500s", rec.Code, rec.Body)
	}
	evs, _ := db.AuditEvents(ctx, indicators.AuditFilter{Action: "submission"})
	var acts []string
	for _, ev := range evs {
		acts = append(acts, ev.User+":"+ev.Action)
	}
	want := "p.ctcu:submission.submit tt.ctcu:submission.return p.ctcu:submission.submit tt.ctcu:submission.approve admin:submission.unlock"
	if strings.Join(acts, " ") != want {
		t.Errorf("audit = %v, want %s", acts, want)
	}
}
