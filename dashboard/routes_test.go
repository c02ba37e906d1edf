package dashboard

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/sqlite"
	"chitieu/internal/testdb"

	"github.com/labstack/echo/v4"
)

// testServer builds the real server on a fresh database with the built-in
// catalogue and one user per role, named after the role.
func testServer(t *testing.T, cfg Config) (*Server, *sqlite.DB) {
	t.Helper()
	ctx := context.Background()
	db := testdb.Builtin(t)
	for _, r := range indicators.Roles {
		if err := db.CreateUser(ctx, &indicators.User{Name: string(r), Role: r, PasswordHash: "$argon2id$unused"}); err != nil {
			t.Fatal(err)
		}
	}
	cfg.Store = db
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, db
}

// sessionFor starts a session for a user straight in the store, as a
// successful sign-in would, and returns its cookie and CSRF token.
func sessionFor(t *testing.T, s *Server, name string) (*http.Cookie, string) {
	t.Helper()
	token, now := newToken(), s.Now()
	sess := indicators.Session{ID: tokenID(token), User: name, CSRF: newToken(), CreatedAt: now, LastSeen: now}
	if err := s.Users.StartSession(context.Background(), sess, "", "", now.Add(-time.Hour), now.Add(-24*time.Hour)); err != nil {
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
		if outside.MatchString(rec.Body.String()) {
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
	if p := s.Passwords.Params(); p.Memory < 19*1024 || p.Time < 2 || p.Threads != 1 {
		t.Errorf("password params = %+v", p)
	}
}
