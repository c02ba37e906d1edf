package dashboard_test

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"chitieu/dashboard"
	"chitieu/dashboard/logintest"
	"chitieu/indicators"
	"chitieu/indicators/sqlite"
	"chitieu/internal/testdb"
	"chitieu/password"
)

// clock is a settable clock for the server's sessions and throttling.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// authServer builds the real server on a fresh database with the built-in
// catalogue, cfg's settings and a clock the test moves.
func authServer(t testing.TB, cfg dashboard.Config) (*httptest.Server, *sqlite.DB, *clock) {
	t.Helper()
	ts, _, db, clk := authServerAndServer(t, cfg)
	return ts, db, clk
}

// authServerAndServer is authServer that also returns the server.
func authServerAndServer(t testing.TB, cfg dashboard.Config) (*httptest.Server, *dashboard.Server, *sqlite.DB, *clock) {
	t.Helper()
	db := testdb.Builtin(t)
	clk := &clock{t: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)}
	cfg.Store, cfg.Now = db, clk.now
	if cfg.StaleAfter == 0 {
		cfg.StaleAfter = -1 // tests read their own writes at once
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	srv, err := dashboard.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts, srv, db, clk
}

func cookieOf(t *testing.T, c *http.Client, base, name string) string {
	t.Helper()
	u, _ := url.Parse(base + "/")
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// status GETs path with the client and returns the status.
func status(t *testing.T, c *http.Client, base, path string) int {
	t.Helper()
	res, err := c.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// withCookie is a client without a jar that sends one session cookie.
func withCookie(t *testing.T, base, token string) *http.Client {
	t.Helper()
	c := logintest.Client(t)
	u, _ := url.Parse(base + "/")
	c.Jar.SetCookies(u, []*http.Cookie{{Name: "chitieu_session", Value: token}})
	return c
}

// A session token planted before sign-in is replaced at sign-in; signing
// in again replaces the token again and the old one stops working; logout
// ends the session on the server, so a copy of the cookie is worthless.
func TestSessionFixationAndLogout(t *testing.T) {
	t.Parallel()
	ts, db, _ := authServer(t, dashboard.Config{})
	logintest.AddUser(t, db, "lan", indicators.Leader, "", nil, nil)
	c := logintest.Client(t)
	planted := "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" // a well-formed token an attacker chose
	u, _ := url.Parse(ts.URL + "/")
	c.Jar.SetCookies(u, []*http.Cookie{{Name: "chitieu_session", Value: planted}})
	res := logintest.Submit(t, c, ts.URL, "lan", logintest.Password)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("sign in = %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	first := cookieOf(t, c, ts.URL, "chitieu_session")
	if first == "" || first == planted {
		t.Fatalf("session token after sign-in = %q, want a new one (planted %q)", first, planted)
	}
	if got := status(t, c, ts.URL, "/api/v1/me"); got != 200 {
		t.Fatalf("GET /api/v1/me after sign-in = %d", got)
	}
	if got := status(t, withCookie(t, ts.URL, planted), ts.URL, "/api/v1/me"); got != 401 {
		t.Errorf("planted token after sign-in = %d, want 401", got)
	}

	res = logintest.Submit(t, c, ts.URL, "lan", logintest.Password)
	res.Body.Close()
	second := cookieOf(t, c, ts.URL, "chitieu_session")
	if res.StatusCode != http.StatusSeeOther || second == first || second == "" {
		t.Fatalf("second sign-in = %d, token %q (first %q): want a new token", res.StatusCode, second, first)
	}
	if got := status(t, withCookie(t, ts.URL, first), ts.URL, "/api/v1/me"); got != 401 {
		t.Errorf("first token after the second sign-in = %d, want 401", got)
	}

	res = logintest.Post(t, c, ts.URL, "/logout", url.Values{})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("logout = %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if got := status(t, withCookie(t, ts.URL, second), ts.URL, "/api/v1/me"); got != 401 {
		t.Errorf("token replayed after logout = %d, want 401: the session must end on the server", got)
	}
	if got := status(t, c, ts.URL, "/"); got != http.StatusSeeOther {
		t.Errorf("GET / after logout = %d, want a redirect to the login page", got)
	}
	evs, _ := db.AuditEvents(context.Background(), indicators.AuditFilter{User: "lan"})
	var actions []string
	for _, ev := range evs {
		actions = append(actions, ev.Action)
		if ev.Addr != "127.0.0.1" {
			t.Errorf("event %s has address %q, want the client's", ev.Action, ev.Addr)
		}
	}
	if strings.Join(actions, " ") != "login login logout" {
		t.Errorf("audit actions of lan = %v, want login login logout", actions)
	}
}

// A session ends after 30 minutes without a request, and 8 hours after
// sign-in however busy it is.
func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	ts, db, clk := authServer(t, dashboard.Config{})
	logintest.AddUser(t, db, "lan", indicators.Leader, "", nil, nil)

	c := logintest.Login(t, ts.URL, "lan", "")
	for _, step := range []struct {
		wait time.Duration
		want int
	}{
		{29 * time.Minute, 200},
		{29 * time.Minute, 200}, // 58 minutes in, but never idle for 30
		{31 * time.Minute, 401},
	} {
		clk.add(step.wait)
		if got := status(t, c, ts.URL, "/api/v1/me"); got != step.want {
			t.Fatalf("after %v idle: %d, want %d", step.wait, got, step.want)
		}
	}

	c = logintest.Login(t, ts.URL, "lan", "")
	for i := 0; i < 24; i++ { // 8 hours, a request every 20 minutes
		clk.add(20 * time.Minute)
		if got := status(t, c, ts.URL, "/api/v1/me"); got != 200 {
			t.Fatalf("active session after %v: %d", time.Duration(i+1)*20*time.Minute, got)
		}
	}
	clk.add(time.Minute)
	if got := status(t, c, ts.URL, "/api/v1/me"); got != 401 {
		t.Errorf("session 8 h 1 min after sign-in = %d, want 401", got)
	}
	if got := status(t, c, ts.URL, "/audit"); got != http.StatusSeeOther {
		t.Errorf("page after expiry = %d, want a redirect to the login page", got)
	}
}

// With a one-minute idle timeout (serve --session-idle 1m) a person who
// makes a request every 40 seconds stays signed in: the timeout counts
// from the latest request, which the server remembers even when it does
// not write it to the store. The store is written often enough that a
// second server on the same database keeps the session too. A minute and
// a second without a request ends it.
func TestSessionIdleCountsFromTheLatestRequest(t *testing.T) {
	cfg := dashboard.Config{Sessions: dashboard.SessionSettings{Idle: time.Minute}}
	ts, srv, db, clk := authServerAndServer(t, cfg)
	logintest.AddUser(t, db, "lan", indicators.Leader, "", nil, nil)
	c := logintest.Login(t, ts.URL, "lan", "")
	token := cookieOf(t, c, ts.URL, "chitieu_session")
	for i := 1; i <= 10; i++ { // a request every 40 seconds
		clk.add(40 * time.Second)
		if got := status(t, c, ts.URL, "/api/v1/me"); got != 200 {
			t.Fatalf("active session, %v after sign-in: %d, want 200", time.Duration(i)*40*time.Second, got)
		}
	}

	// A second server on the same database knows only the store's time:
	// 50 seconds after the last request the session is still in use.
	cfg.Store, cfg.Now, cfg.StaleAfter = db, clk.now, -1
	other, err := dashboard.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(other.Close)
	ots := httptest.NewServer(other)
	t.Cleanup(ots.Close)
	srv.Close() // waits for the last-seen writes under way
	clk.add(50 * time.Second)
	if got := status(t, withCookie(t, ots.URL, token), ots.URL, "/api/v1/me"); got != 200 {
		t.Errorf("the second server, 50 s after the last request: %d, want 200", got)
	}
	clk.add(61 * time.Second)
	if got := status(t, c, ts.URL, "/api/v1/me"); got != 401 {
		t.Errorf("61 s without a request: %d, want 401", got)
	}
}

// A request records its session's last-seen time in the store, at most
// once a minute and without waiting for the write; the idle timeout
// counts from it at once.
func TestSessionLastSeenRecorded(t *testing.T) {
	t.Parallel()
	ts, srv, db, clk := authServerAndServer(t, dashboard.Config{})
	logintest.AddUser(t, db, "lan", indicators.Leader, "", nil, nil)
	c := logintest.Login(t, ts.URL, "lan", "")
	for _, wait := range []time.Duration{20 * time.Minute, 20 * time.Minute, 30 * time.Second} {
		clk.add(wait)
		if got := status(t, c, ts.URL, "/api/v1/me"); got != 200 {
			t.Fatalf("GET /api/v1/me %v after the last request = %d, want 200", wait, got)
		}
	}
	srv.Close() // waits for the writes under way
	raw, err := sql.Open("sqlite", db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var stored string
	if err := raw.QueryRow(`SELECT last_seen FROM sessions`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	// The last request came 30 seconds after the one before: too soon
	// to be written again.
	if want := clk.now().Add(-30 * time.Second).UTC().Format("2006-01-02T15:04:05"); !strings.HasPrefix(stored, want) {
		t.Errorf("stored last seen = %s, want %s", stored, want)
	}
}

// A state-changing request another site could make is refused: without
// the token, with a wrong one, from another origin, or marked cross-site
// by the browser. Nothing changes. The same request from the page passes.
func TestCSRFRefusesCrossSitePosts(t *testing.T) {
	t.Parallel()
	ts, db, _ := authServer(t, dashboard.Config{})
	logintest.AddUser(t, db, "root", indicators.Admin, "", nil, nil)
	c := logintest.Login(t, ts.URL, "root", "")
	token := logintest.Token(t, c, ts.URL)
	other := "x" + token[1:]
	if other == token {
		other = "y" + token[1:]
	}
	form := func(name, tok string) url.Values {
		return url.Values{"name": {name}, "role": {"leader"}, "password": {"một mật khẩu dài"}, "csrf_token": {tok}}
	}
	for _, tc := range []struct {
		name    string
		form    url.Values
		headers map[string]string
		want    int
	}{
		{"no token", form("a1", ""), nil, 403},
		{"wrong token", form("a2", other), nil, 403},
		{"other origin", form("a3", token), map[string]string{"Origin": "http://evil.example"}, 403},
		{"null origin", form("a4", token), map[string]string{"Origin": "null"}, 403},
		{"cross-site", form("a5", token), map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"same-site", form("a6", token), map[string]string{"Sec-Fetch-Site": "same-site"}, 403},
		{"header token, other origin", form("a7", ""), map[string]string{"X-CSRF-Token": token, "Origin": "https://evil.example"}, 403},
		{"no origin, referer of another site", form("a8", token), map[string]string{"Referer": "https://evil.example/trang"}, 403},
		{"no origin, referer of another port", form("a9", token), map[string]string{"Referer": "http://127.0.0.1:1/admin/users"}, 403},
		{"no origin, referer not a URL", form("a10", token), map[string]string{"Referer": "::"}, 403},
		{"no origin, referer of the page", form("ok3", token), map[string]string{"Referer": ts.URL + "/admin/users"}, 303},
		{"from the page", form("ok1", token), map[string]string{"Origin": ts.URL, "Sec-Fetch-Site": "same-origin"}, 303},
		{"script with header", form("ok2", ""), map[string]string{"X-CSRF-Token": token}, 303},
	} {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/admin/users", strings.NewReader(tc.form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range tc.headers {
			req.Header.Set(k, v)
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		_, err = db.User(context.Background(), tc.form.Get("name"))
		if res.StatusCode != tc.want || (err == nil) != (tc.want == 303) {
			t.Errorf("%s: POST = %d (user stored: %v), want %d", tc.name, res.StatusCode, err == nil, tc.want)
		}
	}
	// A CSRF cookie planted by another host (cookie tossing) does not
	// stand in for the session's token on a signed-in route.
	planted := "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
	u, _ := url.Parse(ts.URL + "/")
	c.Jar.SetCookies(u, []*http.Cookie{{Name: "chitieu_csrf", Value: planted}})
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/admin/users", strings.NewReader(form("a8", planted).Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 403 {
		t.Errorf("signed-in POST with the CSRF cookie's token = %d, want 403", res.StatusCode)
	}

	// A login page opened before signing in in another tab still signs in.
	tabs := logintest.Client(t)
	tab2 := logintest.FormToken(t, tabs, ts.URL)
	res = logintest.Submit(t, tabs, ts.URL, "root", logintest.Password)
	res.Body.Close()
	res, err = tabs.PostForm(ts.URL+"/login", url.Values{"name": {"root"}, "password": {logintest.Password}, "csrf_token": {tab2}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("second tab's login = %d, want 303", res.StatusCode)
	}

	// The login form is protected too.
	anon := logintest.Client(t)
	res, err = anon.PostForm(ts.URL+"/login", url.Values{"name": {"root"}, "password": {logintest.Password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 403 {
		t.Errorf("login without the form's token = %d, want 403", res.StatusCode)
	}
}

var nonceAttr = regexp.MustCompile(`'nonce-([A-Za-z0-9+/=]+)'`)

func TestSecurityHeadersAndCookies(t *testing.T) {
	t.Parallel()
	ts, db, _ := authServer(t, dashboard.Config{TrustedProxies: []string{"127.0.0.1"}})
	logintest.AddUser(t, db, "lan", indicators.Leader, "", nil, nil)
	get := func() *http.Response {
		res, err := http.Get(ts.URL + "/login")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	a, b := get(), get()
	csp := a.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self' 'nonce-", "frame-ancestors 'none'",
		"object-src 'none'", "base-uri 'none'", "form-action 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "http:") || strings.Contains(csp, "https:") || strings.Contains(csp, "*") {
		t.Errorf("CSP %q allows an outside origin", csp)
	}
	na, nb := nonceAttr.FindStringSubmatch(csp), nonceAttr.FindStringSubmatch(b.Header.Get("Content-Security-Policy"))
	if na == nil || nb == nil || na[1] == nb[1] || len(na[1]) < 22 {
		t.Errorf("nonces %v and %v: want a fresh one per request", na, nb)
	}
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
		"Referrer-Policy": "same-origin", "Cache-Control": "no-store"} {
		if got := a.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if a.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent over plain HTTP")
	}

	// The session cookie: HttpOnly, SameSite=Lax; Secure, and named with
	// the __Host- prefix, only when the browser came over TLS, here
	// through the trusted proxy (whose login form it opened too).
	for _, tc := range []struct {
		proto  string
		secure bool
		name   string
	}{{"", false, "chitieu_session"}, {"https", true, "__Host-chitieu_session"}} {
		c := logintest.Client(t)
		form, _ := http.NewRequest(http.MethodGet, ts.URL+"/login", nil)
		if tc.proto != "" {
			form.Header.Set("X-Forwarded-Proto", tc.proto)
		}
		page, err := c.Do(form)
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(read(t, page))
		if m == nil {
			t.Fatal("no CSRF token on the login page")
		}
		token := m[1]
		csrfCookies := page.Cookies() // a Secure cookie the jar keeps for HTTPS only
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/login", strings.NewReader(url.Values{"name": {"lan"},
			"password": {logintest.Password}, "csrf_token": {token}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if tc.proto != "" {
			req.Header.Set("X-Forwarded-Proto", tc.proto)
			for _, ck := range csrfCookies {
				req.AddCookie(ck)
			}
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		var session *http.Cookie
		for _, ck := range res.Cookies() {
			if ck.Name == tc.name {
				session = ck
			}
		}
		if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Secure != tc.secure ||
			len(session.Value) != 43 {
			t.Errorf("proto %q: session cookie = %+v, want HttpOnly, SameSite=Lax, Secure %v, 256-bit token", tc.proto, session, tc.secure)
		}
		if tc.secure && res.Header.Get("Strict-Transport-Security") == "" {
			t.Error("no HSTS over TLS")
		}
	}
}

// Without trusting a proxy, X-Forwarded-For and -Proto from a client are
// ignored: they could forge the address in the audit trail and dodge the
// throttle.
func TestForwardedHeadersIgnoredWithoutTrustedProxy(t *testing.T) {
	t.Parallel()
	ts, db, _ := authServer(t, dashboard.Config{})
	logintest.AddUser(t, db, "lan", indicators.Leader, "", nil, nil)
	c := logintest.Client(t)
	token := logintest.FormToken(t, c, ts.URL)
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/login", strings.NewReader(url.Values{"name": {"lan"},
		"password": {"sai mật khẩu"}, "csrf_token": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", "10.9.9.9")
	req.Header.Set("X-Real-IP", "10.9.9.9")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	evs, _ := db.AuditEvents(context.Background(), indicators.AuditFilter{Action: "login.fail"})
	if len(evs) != 1 || evs[0].Addr != "127.0.0.1" {
		t.Errorf("refused sign-in events = %+v, want one from 127.0.0.1", evs)
	}
}

// Failures are limited per typed name, per client address and per trusted
// browser within a sliding window. Unknown names are throttled like known
// ones. A browser the user signed in from before is not locked out by
// failures elsewhere, and the window passes.
func TestLoginThrottling(t *testing.T) {
	t.Parallel()
	ts, db, clk := authServer(t, dashboard.Config{TrustedProxies: []string{"127.0.0.1"},
		Throttle: dashboard.Throttle{PerAccount: 3, PerAddr: 4, PerDevice: 2}})
	logintest.AddUser(t, db, "lan", indicators.Leader, "", nil, nil)
	type browser struct {
		c    *http.Client
		addr string
	}
	from := func(addr string) browser { return browser{logintest.Client(t), addr} }
	try := func(b browser, name, pw string) (int, string) {
		t.Helper()
		token := logintest.FormToken(t, b.c, ts.URL)
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/login", strings.NewReader(url.Values{"name": {name},
			"password": {pw}, "csrf_token": {token}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", b.addr)
		res, err := b.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res.StatusCode, string(body)
	}
	right, wrong := logintest.Password, "không phải mật khẩu"
	expect := func(b browser, name, pw string, want int) string {
		t.Helper()
		got, body := try(b, name, pw)
		if got != want {
			t.Fatalf("%s signing in as %q from %s = %d, want %d", map[bool]string{true: "right password", false: "wrong password"}[pw == right], name, b.addr, got, want)
		}
		return body
	}

	home := from("10.0.0.1")
	expect(home, "lan", right, 303) // lan's own browser, trusted from now on
	attacker := from("10.0.0.2")
	for range 3 {
		expect(attacker, "lan", wrong, 401)
	}
	lanThrottled := expect(attacker, "lan", right, 429)
	expect(from("10.0.0.3"), "lan", right, 429) // the account, from anywhere new
	expect(home, "lan", right, 303)             // but not from lan's own browser

	ghost := from("10.0.0.4")
	for range 3 {
		expect(ghost, "ghost", wrong, 401)
	}
	ghostThrottled := expect(ghost, "ghost", wrong, 429)
	if normalize(lanThrottled, "lan") != normalize(ghostThrottled, "ghost") {
		t.Errorf("throttled answers differ for a known and an unknown name:\n%s\n%s", lanThrottled, ghostThrottled)
	}

	spray := from("10.0.0.5")
	for _, n := range []string{"n1", "n2", "n3", "n4"} {
		expect(spray, n, wrong, 401)
	}
	expect(spray, "n5", wrong, 429) // the address, whatever the name

	for range 2 {
		expect(home, "lan", wrong, 401)
	}
	expect(home, "lan", right, 429) // the trusted browser has its own limit

	clk.add(61 * time.Minute)
	expect(from("10.0.0.3"), "lan", right, 303)
	expect(home, "lan", right, 303)

	evs, _ := db.AuditEvents(context.Background(), indicators.AuditFilter{Action: "login.throttled"})
	if len(evs) != 5 {
		t.Errorf("%d throttled attempts in the audit trail, want 5", len(evs))
	}
	fails, _ := db.AuditEvents(context.Background(), indicators.AuditFilter{Action: "login.fail"})
	if len(fails) != 12 {
		t.Errorf("%d failed attempts in the audit trail, want 12", len(fails))
	}
}

var (
	tokenValue = regexp.MustCompile(`name="csrf_token" value="[^"]*"`)
	requestID  = regexp.MustCompile(`\b[0-9a-f]{16}\b`)
)

// addRealUser adds a user whose password (logintest.Password) is hashed
// at the server's own parameters, as a real account's is, for the tests
// where the cost of checking it is the point; logintest's users have
// cheap hashes.
func addRealUser(t testing.TB, db indicators.UserStore, name string, role indicators.Role) {
	t.Helper()
	hash, err := password.Default.Hash(logintest.Password)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUser(context.Background(), &indicators.User{Name: name, Role: role, PasswordHash: hash}); err != nil {
		t.Fatalf("add user %s: %v", name, err)
	}
}

// normalize removes what differs between two answers for reasons other
// than the name: the CSRF token, the nonce, the request ID the page's
// footer shows and the name typed.
func normalize(body, name string) string {
	body = tokenValue.ReplaceAllString(body, "")
	body = regexp.MustCompile(`nonce="[^"]*"`).ReplaceAllString(body, "")
	body = requestID.ReplaceAllString(body, "")
	return strings.ReplaceAll(body, `value="`+name+`"`, `value=""`)
}

// An unknown name and a wrong password get the same answer — status,
// headers and page — and the same work: one password hash each.
func TestUnknownUserAndWrongPasswordAnswerAlike(t *testing.T) {
	t.Parallel()
	hasher := password.NewHasher(password.Default, 2)
	ts, db, _ := authServer(t, dashboard.Config{Passwords: hasher})
	addRealUser(t, db, "lan", indicators.Leader)
	answer := func(name string) (*http.Response, string, int64) {
		c := logintest.Client(t)
		runs := hasher.Runs()
		res := logintest.Submit(t, c, ts.URL, name, "không phải mật khẩu")
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res, normalize(string(body), name), hasher.Runs() - runs
	}
	wrong, wrongBody, wrongRuns := answer("lan")
	unknown, unknownBody, unknownRuns := answer("lam")
	if wrong.StatusCode != 401 || unknown.StatusCode != wrong.StatusCode {
		t.Errorf("statuses: wrong password %d, unknown user %d; want 401 both", wrong.StatusCode, unknown.StatusCode)
	}
	if wrongBody != unknownBody {
		t.Errorf("pages differ:\nwrong password:\n%s\nunknown user:\n%s", wrongBody, unknownBody)
	}
	if !strings.Contains(wrongBody, "Tên đăng nhập hoặc mật khẩu không đúng") {
		t.Errorf("page lacks the message:\n%s", wrongBody)
	}
	for h := range wrong.Header {
		if _, ok := unknown.Header[h]; !ok && h != "Date" {
			t.Errorf("header %s only in the wrong-password answer", h)
		}
	}
	if len(wrong.Header) != len(unknown.Header) || len(wrong.Cookies()) != len(unknown.Cookies()) {
		t.Errorf("headers differ:\n%v\n%v", wrong.Header, unknown.Header)
	}
	if wrongRuns != 1 || unknownRuns != 1 {
		t.Errorf("password hashes run: wrong password %d, unknown user %d; want 1 each", wrongRuns, unknownRuns)
	}
	evs, _ := db.AuditEvents(context.Background(), indicators.AuditFilter{Action: "login.fail"})
	if len(evs) != 2 || !strings.Contains(evs[0].After, "wrong_password") || !strings.Contains(evs[1].After, "unknown_user") {
		t.Errorf("audit keeps the reason for the auditors: %+v", evs)
	}
}

// A name with line breaks cannot forge a log line: every line the server
// logs is one record, and the name stays one quoted value. The same holds
// for a path with an encoded line break.
func TestLogLinesCannotBeForged(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	var mu sync.Mutex
	ts, _, _ := authServer(t, dashboard.Config{Log: slog.New(slog.NewTextHandler(lockedWriter{&buf, &mu}, nil))})
	forged := "ghost\nlevel=ERROR msg=\"audit chain broken\" user=root\r\ntime=2026-01-01T00:00:00Z level=INFO msg=x"
	res := logintest.Submit(t, logintest.Client(t), ts.URL, forged, "không phải mật khẩu")
	res.Body.Close()
	res, err := http.Get(ts.URL + "/x%0Atime=2026-01-01T00:00:00Z%20level=ERROR%20msg=forged")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	mu.Lock()
	out := buf.String()
	mu.Unlock()
	refused, paths := 0, 0
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if !strings.HasPrefix(l, "time=") || strings.HasPrefix(l, "time=2026-01-01") {
			t.Errorf("forged log line: %q", l)
		}
		if strings.Contains(l, `msg="sign-in refused"`) {
			refused++
			if !regexp.MustCompile(`user="ghost[^"]*level=error msg=\\"audit chain broken\\" user=root[^"]*" addr=`).MatchString(l) {
				t.Errorf("the typed name is not one quoted value: %q", l)
			}
		}
		if strings.Contains(l, `path="/x\ntime=2026-01-01`) {
			paths++
		}
	}
	if refused != 1 || paths != 1 {
		t.Errorf("%d sign-in refused lines and %d request lines with the quoted path, want 1 each:\n%s", refused, paths, out)
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// Admins add users with a role and scope, change them, reset a password
// and disable an account; every change is in the audit trail with who,
// from where, before and after. Ended sessions stop working at once.
func TestAdminManagesUsers(t *testing.T) {
	t.Parallel()
	ts, db, _ := authServer(t, dashboard.Config{})
	logintest.AddUser(t, db, "root", indicators.Admin, "", nil, nil)
	admin := logintest.Login(t, ts.URL, "root", "")
	post := func(path string, form url.Values, want int) string {
		t.Helper()
		res := logintest.Post(t, admin, ts.URL, path, form)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != want {
			t.Fatalf("POST %s = %d, want %d:\n%s", path, res.StatusCode, want, body)
		}
		return string(body)
	}
	post("/admin/users", url.Values{"name": {"hoa.nguyen"}, "full_name": {"Nguyễn Thị Hoa"}, "role": {"planner"},
		"units": {"ct, 916"}, "groups": {"2, 3"}, "password": {"mật khẩu của Hoa"}}, 303)
	u, err := db.User(context.Background(), "hoa.nguyen")
	if err != nil || u.Role != indicators.Planner || strings.Join(u.Units, ",") != "CT,916" || len(u.Groups) != 2 {
		t.Fatalf("added user = %+v, %v", u, err)
	}
	body := post("/admin/users", url.Values{"name": {"x"}, "full_name": {"Giữ lại"}, "role": {"leader"}, "password": {"ngắn"}}, 400)
	if !strings.Contains(body, "tên đăng nhập") || !strings.Contains(body, `value="Giữ lại"`) {
		t.Errorf("a refused form does not say why or loses the input:\n%s", body)
	}
	post("/admin/users", url.Values{"name": {"lan"}, "role": {"planner"}, "units": {"XX-99"}, "password": {"mật khẩu dài đủ"}}, 400)
	post("/admin/users", url.Values{"name": {"hoa.nguyen"}, "role": {"leader"}, "password": {"mật khẩu dài đủ"}}, 409)

	hoa := logintest.Login(t, ts.URL, "hoa.nguyen", "mật khẩu của Hoa")
	res, _ := hoa.Get(ts.URL + "/admin/users")
	res.Body.Close()
	if res.StatusCode != 403 {
		t.Errorf("planner on the users page = %d, want 403", res.StatusCode)
	}

	post("/admin/users/hoa.nguyen", url.Values{"full_name": {"Nguyễn Thị Hoa"}, "role": {"planner"}, "units": {"CT"}}, 303)
	post("/admin/users/hoa.nguyen/password", url.Values{"password": {"mật khẩu mới của Hoa"}}, 303)
	if got := status(t, hoa, ts.URL, "/api/v1/me"); got != 401 {
		t.Errorf("planner's session after a password reset = %d, want 401", got)
	}
	hoa = logintest.Login(t, ts.URL, "hoa.nguyen", "mật khẩu mới của Hoa")
	post("/admin/users/hoa.nguyen/disable", url.Values{}, 303)
	if got := status(t, hoa, ts.URL, "/api/v1/me"); got != 401 {
		t.Errorf("disabled user's session = %d, want 401", got)
	}
	res = logintest.Submit(t, logintest.Client(t), ts.URL, "hoa.nguyen", "mật khẩu mới của Hoa")
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Errorf("disabled user signing in = %d, want 401", res.StatusCode)
	}
	post("/admin/users/hoa.nguyen/enable", url.Values{}, 303)
	post("/admin/users/root/disable", url.Values{}, 400) // not oneself
	post("/admin/users/nobody/disable", url.Values{}, 404)

	page := logintest.Client(t)
	page.Jar = admin.Jar
	res, _ = page.Get(ts.URL + "/admin/users")
	listing, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{"hoa.nguyen", "Nguyễn Thị Hoa", "Chuyên viên kế hoạch", "đơn vị CT"} {
		if !strings.Contains(string(listing), want) {
			t.Errorf("users page lacks %q", want)
		}
	}

	evs, _ := db.AuditEvents(context.Background(), indicators.AuditFilter{Object: "user:hoa.nguyen", Action: "user"})
	var actions []string
	for _, ev := range evs {
		actions = append(actions, ev.Action)
		if ev.User != "root" || ev.Addr != "127.0.0.1" || strings.Contains(ev.Before+ev.After, "argon2") {
			t.Errorf("event %+v: want root from 127.0.0.1, and no password hash", ev)
		}
	}
	if strings.Join(actions, " ") != "user.add user.update user.passwd user.disable user.enable" {
		t.Errorf("user events = %v", actions)
	}
	if !strings.Contains(evs[1].Before, `"units":["CT","916"]`) || !strings.Contains(evs[1].After, `"units":["CT"]`) {
		t.Errorf("user.update before %s, after %s", evs[1].Before, evs[1].After)
	}
}

// Auditors read the trail, filter it, open an event's before and after
// and verify the chain; tampering by SQL is named on the page.
func TestAuditPages(t *testing.T) {
	t.Parallel()
	ts, db, _ := authServer(t, dashboard.Config{})
	logintest.AddUser(t, db, "kt", indicators.Auditor, "", nil, nil)
	logintest.AddUser(t, db, "lan", indicators.Leader, "", nil, nil)
	auditor := logintest.Login(t, ts.URL, "kt", "")
	leader := logintest.Login(t, ts.URL, "lan", "")
	get := func(c *http.Client, path string, want int) string {
		t.Helper()
		res, err := c.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != want {
			t.Fatalf("GET %s = %d, want %d:\n%.500s", path, res.StatusCode, want, body)
		}
		return string(body)
	}
	get(leader, "/audit", 403)
	page := get(auditor, "/audit?user=lan&kind=login&from=2000-01-01&to=2100-12-31", 200)
	if !strings.Contains(page, "<td>Đăng nhập</td>") || strings.Contains(page, "<td>kt</td>") || strings.Contains(page, "Thêm người dùng") {
		t.Errorf("filtered audit page:\n%s", page)
	}
	get(auditor, "/audit?from=31-12-2025", 400)
	evs, _ := db.AuditEvents(context.Background(), indicators.AuditFilter{Action: "user.add", Object: "user:lan"})
	if len(evs) != 1 {
		t.Fatalf("user.add events of lan: %+v", evs)
	}
	event := get(auditor, "/audit/"+itoa(evs[0].ID), 200)
	for _, want := range []string{"Thêm người dùng", `&#34;name&#34;: &#34;lan&#34;`, evs[0].Hash} {
		if !strings.Contains(event, want) {
			t.Errorf("event page lacks %q:\n%s", want, event)
		}
	}
	if v := get(auditor, "/audit/verify", 200); !strings.Contains(v, "nguyên vẹn") {
		t.Errorf("verify page on a good trail:\n%s", v)
	}

	raw, err := sql.Open("sqlite", db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	// The last two events cut off: the heads recorded beside the database
	// name them.
	head, _ := db.AuditHead(context.Background())
	if _, err := raw.Exec(`DELETE FROM audit_events WHERE id > ?`, head.LastID-2); err != nil {
		t.Fatal(err)
	}
	want := "thiếu 2 sự kiện cuối: từ #" + itoa(head.LastID-1) + " đến #" + itoa(head.LastID)
	if v := get(auditor, "/audit/verify", 200); !strings.Contains(v, want) || !strings.Contains(v, "đầu chuỗi ghi ngoài") {
		t.Errorf("verify page after the tail was cut lacks %q:\n%s", want, v)
	}
	if _, err := raw.Exec(`UPDATE audit_events SET user = 'someone' WHERE id = ?`, evs[0].ID); err != nil {
		t.Fatal(err)
	}
	v := get(auditor, "/audit/verify", 200)
	if !strings.Contains(v, "#"+itoa(evs[0].ID)+"</a>") || !strings.Contains(v, "bị sửa") {
		t.Errorf("verify page after tampering does not name event #%d:\n%s", evs[0].ID, v)
	}
	// The English page says why in English, not in Vietnamese.
	if v := get(auditor, "/audit/verify?lang=en", 200); !strings.Contains(v, "First broken event") ||
		!strings.Contains(v, "was changed") || strings.Contains(v, "bị sửa") {
		t.Errorf("English verify page:\n%s", v)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// BenchmarkLogin measures a refused sign-in for an unknown name and for a
// wrong password: the two should cost about the same, since both check
// one argon2id hash.
func BenchmarkLogin(b *testing.B) {
	for _, name := range []string{"unknown_user", "wrong_password"} {
		b.Run(name, func(b *testing.B) {
			ts, db, _ := authServer(b, dashboard.Config{Throttle: dashboard.Throttle{PerAccount: 1 << 30, PerAddr: 1 << 30}})
			addRealUser(b, db, "lan", indicators.Leader)
			c := logintest.Client(b)
			token := logintest.FormToken(b, c, ts.URL)
			login := "lan"
			if name == "unknown_user" {
				login = "lam"
			}
			form := url.Values{"name": {login}, "password": {"không phải mật khẩu"}, "csrf_token": {token}}
			b.ResetTimer()
			for b.Loop() {
				res, err := c.PostForm(ts.URL+"/login", form)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 401 {
					b.Fatalf("status %d", res.StatusCode)
				}
			}
		})
	}
}
