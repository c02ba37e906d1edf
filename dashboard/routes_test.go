package dashboard

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"chitieu/importers"
	"chitieu/indicators"
	"chitieu/indicators/sqlite"
	"chitieu/internal/testdb"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"
)

// testServer builds the real server on a fresh database with the built-in
// catalogue and one user per role, named after the role.
func testServer(t *testing.T, cfg Config) (*Server, *sqlite.DB) {
	t.Helper()
	ctx := context.Background()
	db := testdb.Builtin(t)
	for _, r := range indicators.Roles {
		if err := db.CreateUser(ctx, &indicators.User{Name: string(r), Role: r, Units: headOf(r),
			PasswordHash: "$argon2id$unused"}); err != nil {
			t.Fatal(err)
		}
	}
	cfg.Store = db
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.StaleAfter == 0 {
		cfg.StaleAfter = -1 // tests read their own writes at once
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, db
}

// headOf is the scope of the test user of role r: an approver heads the
// city (CT), since an approver without a unit is refused.
func headOf(r indicators.Role) []string {
	if r == indicators.Approver {
		return []string{"CT"}
	}
	return nil
}

// sessionFor starts a session for a user straight in the store, as a
// successful sign-in would, and returns its cookie and CSRF token.
func sessionFor(t *testing.T, s *Server, name string) (*http.Cookie, string) {
	t.Helper()
	token, now := newToken(), s.now()
	sess := indicators.Session{ID: tokenID(token), User: name, CSRF: newToken(), CreatedAt: now, LastSeen: now}
	if err := s.users.StartSession(context.Background(), sess, "", "", now.Add(-time.Hour), now.Add(-24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	return &http.Cookie{Name: sessionCookie, Value: token}, sess.CSRF
}

// outside finds a page loading or linking anything from another origin.
var outside = regexp.MustCompile(`(?i)(src|href|action)\s*=\s*["']?(https?:)?//`)

// concrete fills a route's parameters with a value that names nothing.
func concrete(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") || p == "*" {
			parts[i] = "zz-khong-co"
		}
	}
	return strings.Join(parts, "/")
}

// Every route the server registered declares who may use it, and answers
// every role and a browser without a session as declared: 401 (API) or a
// redirect to the login page without a session, 403 for a role the route
// does not admit. Routes added later are walked the same way. A GET
// changes nothing: the audit trail does not grow while every GET route is
// walked by every role, but for the record of each report downloaded.
func TestRouteAccessTable(t *testing.T) {
	t.Parallel()
	s, db := testServer(t, Config{})
	routes := s.Echo().Routes()
	if len(routes) < 10 {
		t.Fatalf("only %d routes registered", len(routes))
	}
	type caller struct {
		role   indicators.Role // "" for no session
		cookie *http.Cookie
		csrf   string
	}
	callers := []caller{{}}
	for _, r := range indicators.Roles {
		ck, tok := sessionFor(t, s, string(r))
		callers = append(callers, caller{role: r, cookie: ck, csrf: tok})
	}
	anonCSRF := newToken()
	before, _ := db.AuditHead(context.Background())

	check := func(rt string, a access, c caller, method, path string) {
		t.Helper()
		req := httptest.NewRequest(method, path, strings.NewReader(""))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if c.cookie != nil {
			req.AddCookie(c.cookie)
			req.Header.Set("X-CSRF-Token", c.csrf)
		} else {
			req.AddCookie(&http.Cookie{Name: csrfCookie, Value: anonCSRF})
			req.Header.Set("X-CSRF-Token", anonCSRF)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		status, loc := rec.Code, rec.Header().Get("Location")
		// Pages only: a spreadsheet or a PDF has no links to check, and
		// the pattern is slow on megabytes of zip.
		if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") && outside.MatchString(rec.Body.String()) {
			t.Errorf("%s as %q links outside: %s", rt, c.role, outside.FindString(rec.Body.String()))
		}
		toLogin := status == http.StatusSeeOther && strings.HasPrefix(loc, "/login?next=") ||
			status == http.StatusSeeOther && loc == "/login"
		who := string(c.role)
		if who == "" {
			who = "no session"
		}
		switch {
		case a.public:
			if status == http.StatusUnauthorized && method == http.MethodGet || status == http.StatusForbidden || toLogin {
				t.Errorf("%s as %s = %d %s; the route is public", rt, who, status, loc)
			}
		case c.role == "" && strings.HasPrefix(path, "/api/"):
			if status != http.StatusUnauthorized {
				t.Errorf("%s without a session = %d, want 401", rt, status)
			}
		case c.role == "":
			if !toLogin {
				t.Errorf("%s without a session = %d %q, want a redirect to /login", rt, status, loc)
			}
		case slices.Contains(a.roles, c.role):
			if status == http.StatusUnauthorized || status == http.StatusForbidden || toLogin {
				body, _ := io.ReadAll(rec.Body)
				t.Errorf("%s as %s = %d %s, want admitted:\n%.300s", rt, who, status, loc, body)
			}
		default:
			if status != http.StatusForbidden {
				t.Errorf("%s as %s = %d, want 403", rt, who, status)
			}
		}
	}

	for _, r := range routes {
		rt := r.Method + " " + r.Path
		a, ok := s.access[rt]
		if !ok {
			t.Errorf("route %s declares no access: register it with s.handle", rt)
			continue
		}
		if r.Method != http.MethodGet {
			continue
		}
		for _, c := range callers {
			check(rt, a, c, r.Method, concrete(r.Path))
		}
	}
	after, _ := db.AuditHead(context.Background())
	if after.Events != before.Events {
		evs, _ := db.AuditEvents(context.Background(), indicators.AuditFilter{Before: 0, Newest: true, Limit: int(after.Events - before.Events)})
		evs = slices.DeleteFunc(evs, func(ev indicators.AuditEvent) bool { return ev.Action == "report.export" })
		if len(evs) > 0 {
			t.Errorf("GET requests wrote %d audit events: %+v", len(evs), evs)
		}
	}

	// State-changing routes, each with a fresh session, since one of them
	// is the logout.
	for _, r := range routes {
		rt := r.Method + " " + r.Path
		a, ok := s.access[rt]
		if !ok || r.Method == http.MethodGet {
			continue
		}
		check(rt, a, caller{}, r.Method, concrete(r.Path))
		for _, role := range indicators.Roles {
			ck, tok := sessionFor(t, s, string(role))
			check(rt, a, caller{role: role, cookie: ck, csrf: tok}, r.Method, concrete(r.Path))
		}
	}
}

// The session puts the whole actor — user, client address, role, scope —
// into the request's context, where the store's audit trail and every
// handler find it.
func TestSessionPutsTheActorInTheContext(t *testing.T) {
	t.Parallel()
	s, db := testServer(t, Config{})
	ctx := context.Background()
	if err := db.CreateUser(ctx, &indicators.User{Name: "hoa", Role: indicators.Planner, Units: []string{"CT"},
		Groups: []int{2, 3}, PasswordHash: "$argon2id$unused"}); err != nil {
		t.Fatal(err)
	}
	ck, _ := sessionFor(t, s, "hoa")
	var got indicators.Actor
	h := s.session(func(c echo.Context) error {
		got = indicators.ActorFrom(c.Request().Context())
		return nil
	})
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.RemoteAddr = "10.1.2.3:5555"
	req.AddCookie(ck)
	if err := h(s.Echo().NewContext(req, httptest.NewRecorder())); err != nil {
		t.Fatal(err)
	}
	if got.User != "hoa" || got.Addr != "10.1.2.3" || got.Role != indicators.Planner ||
		!slices.Equal(got.Units, []string{"CT"}) || !slices.Equal(got.Groups, []int{2, 3}) {
		t.Errorf("actor = %+v", got)
	}
	if got.MayWrite("916", 2) || !got.MayWrite("CT", 3) || got.MayWrite("CT", 1) {
		t.Errorf("actor %+v: MayWrite does not follow the scope", got)
	}
}

// The defaults are the ones the issue asks for.
func TestAuthDefaults(t *testing.T) {
	t.Parallel()
	s, _ := testServer(t, Config{})
	a := s.auth
	if a.sessions.Idle != 30*time.Minute || a.sessions.Lifetime != 8*time.Hour {
		t.Errorf("sessions = %+v, want 30 min idle and 8 h in all", a.sessions)
	}
	if a.throttle.Window != time.Hour || a.throttle.PerAccount != 100 {
		t.Errorf("throttle = %+v, want at most 100 failures an hour per account", a.throttle)
	}
	if p := s.passwords.Params(); p.Memory < 19*1024 || p.Time < 2 || p.Threads != 1 {
		t.Errorf("password params = %+v", p)
	}
}

// scopedBatch makes a batch as planner by would, of the Resolution 98
// template of unit CT-CU with ECO-01 2021 set to v: committed, or only
// previewed (staged).
func scopedBatch(t *testing.T, s *Server, by indicators.User, v float64, commit bool) int64 {
	t.Helper()
	ctx := indicators.WithActor(context.Background(), by.Actor("127.0.0.1"))
	up := scopedUpload(t, s, by, v)
	defer up.Close()
	do := s.imports.Importer().Stage
	if commit {
		do = s.imports.Importer().Import
	}
	res, err := do(ctx, up, importers.Options{})
	if err != nil || res.Batch == 0 {
		t.Fatalf("batch of %s: %v %+v", by.Name, err, res)
	}
	return res.Batch
}

// scopedUpload is the Resolution 98 template of unit CT-CU with ECO-01
// 2021 set to v, received as an upload.
func scopedUpload(t *testing.T, s *Server, by indicators.User, v float64) *importers.Upload {
	t.Helper()
	ctx := indicators.WithActor(context.Background(), by.Actor("127.0.0.1"))
	var buf bytes.Buffer
	if _, err := importers.WriteTemplate(ctx, s.store, importers.TemplateRequest{Plan: "98/NQ-CP",
		Period: indicators.YearRange{From: 2021, To: 2025}, Unit: "CT-CU"}, &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Số liệu")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == "ECO-01" {
			col := slices.Index(rows[4], "2021") + 1
			cell, _ := excelize.CoordinatesToCellName(col, i+1)
			if err := f.SetCellValue("Số liệu", cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	var out bytes.Buffer
	if _, err := f.WriteTo(&out); err != nil {
		t.Fatal(err)
	}
	f.Close()
	up, err := importers.Receive(&out, "bieu.xlsx", t.TempDir(), importers.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return up
}

// The batch routes follow the scope of the planner asking: a planner of
// another unit, or of other task groups, is told that the batch does not
// exist (404) on every batch route, and the import page does not list it;
// its author, a planner of its unit or of every unit, an auditor and an
// admin see it; a leader is refused the routes (403). Batch routes added
// later are walked the same way.
func TestRouteAccessBatchScope(t *testing.T) {
	t.Parallel()
	s, db := testServer(t, Config{})
	defer s.Close()
	ctx := context.Background()
	add := func(name string, units []string, groups []int) indicators.User {
		u := indicators.User{Name: name, Role: indicators.Planner, Units: units, Groups: groups, PasswordHash: "$argon2id$unused"}
		if err := db.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		return u
	}
	author := add("p1", []string{"CT-CU"}, nil)
	add("p1.dong.nghiep", []string{"CT-CU"}, nil)
	add("p2", []string{"916"}, nil)
	add("p1.nhom.khac", []string{"CT-CU"}, []int{9})
	committed := scopedBatch(t, s, author, -3, true)
	previewed := scopedBatch(t, s, author, -4, false)

	type want struct {
		name   string
		status int // of every batch route; 0: admitted (2xx)
		listed bool
	}
	callers := []want{
		{"p1", 0, true},
		{"p1.dong.nghiep", 0, true},
		{"planner", 0, true}, // not limited to any unit or group
		{"auditor", 0, true},
		{"admin", 0, true},
		{"p2", http.StatusNotFound, false},
		{"p1.nhom.khac", http.StatusNotFound, false}, // ECO-01 is of task group 1
		{"leader", http.StatusForbidden, false},
	}
	for _, id := range []int64{committed, previewed} {
		for _, r := range s.Echo().Routes() {
			if r.Method != http.MethodGet || !strings.HasPrefix(r.Path, "/imports/batches/:id") {
				continue
			}
			path := strings.Replace(r.Path, ":id", fmt.Sprint(id), 1)
			for _, w := range callers {
				ck, _ := sessionFor(t, s, w.name)
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.AddCookie(ck)
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, req)
				switch {
				case w.status == 0 && rec.Code/100 != 2:
					t.Errorf("GET %s as %s = %d, want it admitted:\n%.300s", path, w.name, rec.Code, rec.Body)
				case w.status != 0 && rec.Code != w.status:
					t.Errorf("GET %s as %s = %d, want %d", path, w.name, rec.Code, w.status)
				case w.status == http.StatusNotFound && strings.Contains(rec.Body.String(), "bieu.xlsx"):
					t.Errorf("GET %s as %s names the file in its 404", path, w.name)
				}
			}
		}
	}
	for _, w := range callers {
		if w.status == http.StatusForbidden {
			continue
		}
		ck, _ := sessionFor(t, s, w.name)
		req := httptest.NewRequest(http.MethodGet, "/imports", nil)
		req.AddCookie(ck)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		for _, id := range []int64{committed, previewed} {
			link := fmt.Sprintf(`href="/imports/batches/%d"`, id)
			if got := strings.Contains(rec.Body.String(), link); rec.Code != http.StatusOK || got != w.listed {
				t.Errorf("GET /imports as %s = %d, lists batch #%d: %v, want %v", w.name, rec.Code, id, got, w.listed)
			}
		}
	}
}
