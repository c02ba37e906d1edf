package dashboard

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"chitieu/indicators"
)

// clock is a settable time for a test server.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var secretPattern = regexp.MustCompile(`ctk_[A-Za-z0-9_-]{43}`)

// tokenEnv is a test server with a signed-in planner and admin.
type tokenEnv struct {
	s     *Server
	clock *clock
}

func (e tokenEnv) do(t *testing.T, method, path string, body url.Values, hdr map[string]string, ck *http.Cookie) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if ck != nil {
		req.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	e.s.ServeHTTP(rec, req)
	return rec
}

// createToken makes a token through the user's own page and returns its
// secret as the page showed it.
func (e tokenEnv) createToken(t *testing.T, user, name string, days int, scopes ...string) string {
	t.Helper()
	ck, csrf := sessionFor(t, e.s, user)
	form := url.Values{"name": {name}, "days": {itoa(days)}, "scopes": scopes, "csrf_token": {csrf}}
	rec := e.do(t, "POST", "/account/tokens", form, nil, ck)
	if rec.Code != http.StatusOK {
		t.Fatalf("create token = %d:\n%.500s", rec.Code, rec.Body)
	}
	secret := secretPattern.FindString(rec.Body.String())
	if secret == "" {
		t.Fatalf("the page shows no new token:\n%.2000s", rec.Body)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("the page with a secret has Cache-Control %q, want no-store", cc)
	}
	// Shown once: the page opened again does not hold it.
	if again := e.do(t, "GET", "/account/tokens", nil, nil, ck); strings.Contains(again.Body.String(), secret) {
		t.Error("the token's page shows the secret a second time")
	}
	return secret
}

func itoa(n int) string { return strconv.Itoa(n) }

func bearer(secret string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + secret}
}

func newTokenEnv(t *testing.T) tokenEnv {
	t.Helper()
	// An hour ahead, so that what the test stores counts at the server's now.
	ck := &clock{t: time.Now().UTC().Add(time.Hour)}
	s, _ := testServer(t, Config{Now: ck.now})
	t.Cleanup(s.Close)
	return tokenEnv{s: s, clock: ck}
}

// tokenUseEvents are the token.use events of a token, and the uses they
// count in all.
func tokenUseEvents(t *testing.T, s *Server, ref string) (int, int64) {
	t.Helper()
	evs, err := s.audit.AuditEvents(context.Background(), indicators.AuditFilter{Action: "token.use", Object: ref})
	if err != nil {
		t.Fatal(err)
	}
	var uses int64
	for _, ev := range evs {
		var after struct{ Uses int64 }
		if err := json.Unmarshal([]byte(ev.After), &after); err != nil {
			t.Fatal(err)
		}
		if ev.User != "planner" {
			t.Errorf("token.use event names %q, want the owner planner", ev.User)
		}
		uses += after.Uses
	}
	return len(evs), uses
}

// A token made on the user's own page reads the JSON API as its owner,
// never opens a page, is refused for writes without the import scope, and
// every use is counted in the audit trail under its name: the first at
// once, the rest of the minute in one event.
func TestAPITokenUseScopeAndAudit(t *testing.T) {
	t.Parallel()
	e := newTokenEnv(t)
	secret := e.createToken(t, "planner", "thống kê", 30, indicators.ScopeRead)
	ref := "token:planner/thống kê"

	rec := e.do(t, "GET", "/api/v1/me", nil, bearer(secret), nil)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"planner"`) {
		t.Fatalf("GET /api/v1/me with the token = %d %s, want 200 naming the owner", rec.Code, rec.Body)
	}
	e.s.tokenUses.writing.Wait()
	if n, uses := tokenUseEvents(t, e.s, ref); n != 1 || uses != 1 {
		t.Errorf("after the first use: %d events counting %d uses, want 1 and 1 (the first use is written at once)", n, uses)
	}
	for _, p := range []string{"/api/v1/indicators", "/api/v1/plans", "/api/v1/units"} {
		if rec := e.do(t, "GET", p, nil, bearer(secret), nil); rec.Code != http.StatusOK {
			t.Errorf("GET %s with the token = %d, want 200", p, rec.Code)
		}
	}
	e.s.tokenUses.writing.Wait()
	if n, _ := tokenUseEvents(t, e.s, ref); n != 1 {
		t.Errorf("uses within the minute wrote %d events, want them held for one event", n)
	}

	// Pages: never opened by a token, even a valid one.
	for _, p := range []string{"/", "/indicators", "/account/tokens", "/reports/data"} {
		rec := e.do(t, "GET", p, nil, bearer(secret), nil)
		if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
			t.Errorf("GET %s with a token = %d %q, want the login page", p, rec.Code, rec.Header().Get("Location"))
		}
	}

	// A read token on a state-changing request: 403, and no use counted.
	rec = e.do(t, "POST", "/api/v1/indicators", nil, bearer(secret), nil)
	if rec.Code != http.StatusForbidden {
		t.Errorf("POST with a read token = %d, want 403", rec.Code)
	}
	imp := e.createToken(t, "planner", "nhập", 30, indicators.ScopeImport)
	if rec := e.do(t, "POST", "/api/v1/indicators", nil, bearer(imp), nil); rec.Code == http.StatusForbidden || rec.Code == http.StatusUnauthorized {
		t.Errorf("POST with an import token = %d; the scope and the CSRF check should admit it (the route has no POST)", rec.Code)
	}
	if rec := e.do(t, "GET", "/api/v1/indicators", nil, bearer(imp), nil); rec.Code != http.StatusForbidden {
		t.Errorf("GET with an import-only token = %d, want 403", rec.Code)
	}

	// The minute over: the held uses are written with the next one.
	e.clock.add(61 * time.Second)
	if rec := e.do(t, "GET", "/api/v1/units", nil, bearer(secret), nil); rec.Code != http.StatusOK {
		t.Fatalf("GET after a minute = %d", rec.Code)
	}
	e.s.tokenUses.writing.Wait()
	// 1 + 3 + 1 admitted requests with the read token.
	if n, uses := tokenUseEvents(t, e.s, ref); n != 2 || uses != 5 {
		t.Errorf("%d events counting %d uses, want 2 events counting the 5 requests", n, uses)
	}
	e.do(t, "GET", "/api/v1/units", nil, bearer(secret), nil)
	e.s.tokenUses.flush(e.s, 0)
	if _, uses := tokenUseEvents(t, e.s, ref); uses != 6 {
		t.Errorf("after a flush the events count %d uses, want 6", uses)
	}
	ts, err := e.s.tokens.Tokens(context.Background(), "planner")
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range ts {
		if tk.Name != "thống kê" {
			continue
		}
		if tk.Uses != 6 {
			t.Errorf("the token's count is %d, want 6", tk.Uses)
		}
		if tk.Hash == secret || strings.Contains(secret, tk.Hash) || !strings.HasPrefix(secret, tk.Prefix) {
			t.Errorf("token %q stored as hash %q prefix %q", tk.Name, tk.Hash, tk.Prefix)
		}
	}
	evs, _ := e.s.audit.AuditEvents(context.Background(), indicators.AuditFilter{})
	for _, ev := range evs {
		if strings.Contains(ev.After+ev.Before, strings.TrimPrefix(secret, apiTokenPrefix)) {
			t.Errorf("audit event %s holds the secret", ev.Action)
		}
	}
}

// A token stops working when it expires and when it is revoked, by its
// owner or by an admin; nobody else revokes it; an unknown token is 401.
func TestAPITokenExpiryAndRevocation(t *testing.T) {
	t.Parallel()
	e := newTokenEnv(t)
	short := e.createToken(t, "planner", "ngắn", 7, indicators.ScopeRead)
	mine := e.createToken(t, "planner", "của tôi", 90, indicators.ScopeRead)
	other := e.createToken(t, "leader", "lãnh đạo", 90, indicators.ScopeRead)

	for _, sec := range []string{short, mine, other} {
		if rec := e.do(t, "GET", "/api/v1/plans", nil, bearer(sec), nil); rec.Code != http.StatusOK {
			t.Fatalf("a fresh token = %d", rec.Code)
		}
	}
	bogus := apiTokenPrefix + newToken()
	if rec := e.do(t, "GET", "/api/v1/plans", nil, bearer(bogus), nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("an unknown token = %d, want 401", rec.Code)
	}

	ts, _ := e.s.tokens.Tokens(context.Background(), "")
	ids := map[string]int64{}
	for _, tk := range ts {
		ids[tk.Name] = tk.ID
	}
	// The leader cannot revoke the planner's token: not found.
	ck, csrf := sessionFor(t, e.s, "leader")
	rec := e.do(t, "POST", "/account/tokens/"+itoa(int(ids["của tôi"]))+"/revoke", url.Values{"csrf_token": {csrf}}, nil, ck)
	if rec.Code != http.StatusNotFound {
		t.Errorf("another user's revoke = %d, want 404", rec.Code)
	}
	// The owner revokes their own.
	ck, csrf = sessionFor(t, e.s, "planner")
	rec = e.do(t, "POST", "/account/tokens/"+itoa(int(ids["của tôi"]))+"/revoke", url.Values{"csrf_token": {csrf}}, nil, ck)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("revoke = %d", rec.Code)
	}
	if rec := e.do(t, "GET", "/api/v1/plans", nil, bearer(mine), nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("a revoked token = %d, want 401", rec.Code)
	}
	// An admin sees every token and revokes the leader's.
	ck, csrf = sessionFor(t, e.s, "admin")
	page := e.do(t, "GET", "/admin/tokens", nil, nil, ck)
	for _, want := range []string{"ngắn", "của tôi", "lãnh đạo", "leader", "planner"} {
		if !strings.Contains(page.Body.String(), want) {
			t.Errorf("the admin's list lacks %q", want)
		}
	}
	rec = e.do(t, "POST", "/admin/tokens/"+itoa(int(ids["lãnh đạo"]))+"/revoke", url.Values{"csrf_token": {csrf}}, nil, ck)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("admin revoke = %d", rec.Code)
	}
	if rec := e.do(t, "GET", "/api/v1/plans", nil, bearer(other), nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("a token revoked by an admin = %d, want 401", rec.Code)
	}
	evs, _ := e.s.audit.AuditEvents(context.Background(), indicators.AuditFilter{Action: "token.revoke"})
	if len(evs) != 2 || evs[0].User != "planner" || evs[1].User != "admin" {
		t.Errorf("revoke events = %+v, want the planner's then the admin's", evs)
	}

	// Seven days and a second later the short token has expired; the
	// other one still works.
	if rec := e.do(t, "GET", "/api/v1/plans", nil, bearer(short), nil); rec.Code != http.StatusOK {
		t.Fatalf("before expiry = %d", rec.Code)
	}
	e.clock.add(7*24*time.Hour + time.Second)
	if rec := e.do(t, "GET", "/api/v1/plans", nil, bearer(short), nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("an expired token = %d, want 401", rec.Code)
	}
}

// The new-token form refuses a token without a scope, one of an unknown
// scope, and a life beyond a year, keeping what was typed.
func TestAPITokenFormRefusals(t *testing.T) {
	t.Parallel()
	e := newTokenEnv(t)
	ck, csrf := sessionFor(t, e.s, "auditor")
	for _, f := range []url.Values{
		{"name": {"x"}, "days": {"30"}},
		{"name": {"x"}, "days": {"30"}, "scopes": {"admin"}},
		{"name": {"x"}, "days": {"400"}, "scopes": {"read"}},
		{"name": {" "}, "days": {"30"}, "scopes": {"read"}},
	} {
		f.Set("csrf_token", csrf)
		rec := e.do(t, "POST", "/account/tokens", f, nil, ck)
		if rec.Code != http.StatusBadRequest && rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("form %v = %d, want refused", f, rec.Code)
		}
		if secretPattern.MatchString(rec.Body.String()) {
			t.Errorf("form %v made a token", f)
		}
	}
	if ts, _ := e.s.tokens.Tokens(context.Background(), ""); len(ts) != 0 {
		t.Errorf("%d tokens stored", len(ts))
	}
}
