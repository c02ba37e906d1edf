package dashboard

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"chitieu/dashboard/logintest"
	"chitieu/indicators"
)

// Over HTTPS — directly, or through a trusted proxy that says so — the
// session and CSRF cookies carry the __Host- prefix: Secure, Path=/, no
// Domain; the device cookie carries __Secure-. A session cookie without
// the prefix opens nothing over HTTPS. Over plain HTTP the names stay
// plain.
func TestHostPrefixedCookiesOverHTTPS(t *testing.T) {
	s, db := testServer(t, Config{TrustedProxies: []string{"10.0.0.1"}})
	logintest.AddUser(t, db, "lan", indicators.Leader, "", nil, nil)
	tokenField := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

	for _, tc := range []struct {
		name   string
		https  func(*http.Request)
		prefix string
	}{
		{"TLS", func(r *http.Request) { r.TLS = &tls.ConnectionState{} }, "__Host-"},
		{"trusted proxy", func(r *http.Request) {
			r.RemoteAddr = "10.0.0.1:4000"
			r.Header.Set("X-Forwarded-Proto", "https")
		}, "__Host-"},
		{"plain HTTP", func(*http.Request) {}, ""},
	} {
		do := func(method, path string, body string, cookies ...*http.Cookie) *httptest.ResponseRecorder {
			req := httptest.NewRequest(method, path, strings.NewReader(body))
			tc.https(req)
			if method == http.MethodPost {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Origin", "https://example.com")
			}
			for _, ck := range cookies {
				req.AddCookie(ck)
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			return rec
		}
		page := do(http.MethodGet, "/login", "")
		m := tokenField.FindStringSubmatch(page.Body.String())
		csrf := cookieNamed(page.Result().Cookies(), tc.prefix+csrfCookie)
		if m == nil || csrf == nil {
			t.Fatalf("%s: the login page set cookies %v, want %s", tc.name, page.Result().Cookies(), tc.prefix+csrfCookie)
		}
		form := url.Values{"name": {"lan"}, "password": {logintest.Password}, "csrf_token": {m[1]}}
		res := do(http.MethodPost, "/login", form.Encode(), csrf)
		if res.Code != http.StatusSeeOther {
			t.Fatalf("%s: sign-in = %d:\n%.500s", tc.name, res.Code, res.Body)
		}
		cookies := res.Result().Cookies()
		sess := cookieNamed(cookies, tc.prefix+sessionCookie)
		device := cookieNamed(cookies, strings.Replace(tc.prefix, "Host", "Secure", 1)+deviceCookie)
		if sess == nil || device == nil {
			t.Fatalf("%s: sign-in set %v", tc.name, cookies)
		}
		for _, ck := range []*http.Cookie{csrf, sess} {
			if ck.Path != "/" || ck.Domain != "" || ck.Secure != (tc.prefix != "") || !ck.HttpOnly {
				t.Errorf("%s: cookie %s has path %q, domain %q, secure %v, http-only %v", tc.name, ck.Name, ck.Path, ck.Domain,
					ck.Secure, ck.HttpOnly)
			}
		}
		if got := do(http.MethodGet, "/api/v1/me", "", sess).Code; got != http.StatusOK {
			t.Errorf("%s: the session cookie opens /api/v1/me with %d", tc.name, got)
		}
		if tc.prefix != "" {
			plain := &http.Cookie{Name: sessionCookie, Value: sess.Value}
			if got := do(http.MethodGet, "/api/v1/me", "", plain).Code; got != http.StatusUnauthorized {
				t.Errorf("%s: the session token without the prefix = %d, want 401", tc.name, got)
			}
		}
	}
}

func cookieNamed(cs []*http.Cookie, name string) *http.Cookie {
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	return nil
}
