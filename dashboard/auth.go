package dashboard

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"strings"
	"time"

	"chitieu/indicators"
	"chitieu/password"

	"github.com/labstack/echo/v4"
)

// SessionSettings say how long a session lives.
type SessionSettings struct {
	Idle     time.Duration // ends after this long without a request; 30 minutes when zero
	Lifetime time.Duration // ends this long after sign-in whatever happens; 8 hours when zero
}

// Throttle limits failed sign-ins within a sliding window. The window
// slides, so no failure count locks anyone out for longer than it; and a
// browser the user signed in from before is held back only by its own
// failures, so that nobody can lock a named user out.
type Throttle struct {
	Window     time.Duration // 1 hour when zero
	PerAccount int           // failures per typed name; 100 when zero
	PerAddr    int           // failures per client address; 200 when zero
	PerDevice  int           // failures per trusted browser; 20 when zero
}

// Holds reports whether a sign-in with the failures f counted within the
// window is held back. A browser the user signed in from before (trusted)
// is held back by its own failures only, so that failures from elsewhere
// cannot lock its user out; any other by the failures of the typed name
// or of the client address.
func (t Throttle) Holds(f indicators.LoginFailures, trusted bool) bool {
	if trusted {
		return f.Device >= t.PerDevice
	}
	return f.Name >= t.PerAccount || f.Addr >= t.PerAddr
}

// Cookie names, over plain HTTP. Over HTTPS the session and CSRF cookies
// carry the __Host- prefix, which the browser accepts only from this very
// host, Secure, for the path / and without a Domain, so that no other host
// of the intranet can plant or overwrite them; the device cookie, kept for
// /login alone, carries __Secure-.
const (
	sessionCookie = "chitieu_session" // the session token
	csrfCookie    = "chitieu_csrf"    // the CSRF token of a browser not signed in (the login form)
	deviceCookie  = "chitieu_device"  // a browser the user signed in from before
)

// authState is what the accounts part of the server sets up once.
type authState struct {
	sessions SessionSettings
	throttle Throttle
	proxies  []*net.IPNet
	dummy    string // a hash checked for unknown users, so that they take as long as known ones
}

// setupAuth fills in the accounts part of the server from cfg.
func (s *Server) setupAuth(cfg Config) error {
	s.users, s.audit, s.passwords = cfg.Store, cfg.Store, cfg.Passwords
	if s.passwords == nil {
		s.passwords = password.NewHasher(password.Default, min(runtime.NumCPU(), 4))
	}
	a := &authState{sessions: cfg.Sessions, throttle: cfg.Throttle}
	if a.sessions.Idle <= 0 {
		a.sessions.Idle = 30 * time.Minute
	}
	if a.sessions.Lifetime <= 0 {
		a.sessions.Lifetime = 8 * time.Hour
	}
	t := &a.throttle
	if t.Window <= 0 {
		t.Window = time.Hour
	}
	if t.PerAccount <= 0 {
		t.PerAccount = 100
	}
	if t.PerAddr <= 0 {
		t.PerAddr = 200
	}
	if t.PerDevice <= 0 {
		t.PerDevice = 20
	}
	var err error
	if a.proxies, err = parseProxies(cfg.TrustedProxies); err != nil {
		return err
	}
	if len(a.proxies) == 0 {
		s.echo.IPExtractor = echo.ExtractIPDirect()
	} else {
		// Only the proxies named: Echo would otherwise believe any private
		// address, which on an intranet is every client.
		opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
		for _, n := range a.proxies {
			opts = append(opts, echo.TrustIPRange(n))
		}
		s.echo.IPExtractor = echo.ExtractIPFromXFFHeader(opts...)
	}
	if a.dummy, err = s.passwords.Params().Decoy(); err != nil {
		return fmt.Errorf("dashboard: dummy password hash: %w", err)
	}
	s.auth = a
	return nil
}

// parseProxies reads addresses and CIDR ranges of trusted reverse proxies.
func parseProxies(list []string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, p := range list {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !strings.Contains(p, "/") {
			ip := net.ParseIP(p)
			if ip == nil {
				return nil, indicators.FieldError(indicators.EINVALID, "trusted_proxies",
					fmt.Sprintf("địa chỉ proxy %q không hợp lệ", p), fmt.Sprintf("proxy address %q is not valid", p))
			}
			bits := 128
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(p)
		if err != nil {
			return nil, indicators.FieldError(indicators.EINVALID, "trusted_proxies",
				fmt.Sprintf("dải địa chỉ proxy %q không hợp lệ", p), fmt.Sprintf("proxy range %q is not valid", p))
		}
		out = append(out, n)
	}
	return out, nil
}

// fromProxy reports whether the request came straight from a trusted proxy.
func (s *Server) fromProxy(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	for _, n := range s.auth.proxies {
		if ip != nil && n.Contains(ip) {
			return true
		}
	}
	return false
}

// overTLS reports whether the browser reached us over TLS: directly, or
// through a trusted proxy that says so.
func (s *Server) overTLS(r *http.Request) bool {
	return r.TLS != nil || (s.fromProxy(r) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https"))
}

// newToken returns 256 random bits, URL-safe.
func newToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("dashboard: no randomness: " + err.Error()) // crypto/rand does not fail on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// tokenID is what the store keeps of a token: its SHA-256, so that a copy
// of the database opens no session.
func tokenID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// validToken reports whether s looks like a token newToken made.
func validToken(s string) bool {
	if len(s) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}

// cookieName is the name of cookie name for the request: prefixed over
// HTTPS.
func (s *Server) cookieName(c echo.Context, name string) string {
	switch {
	case !s.overTLS(c.Request()):
		return name
	case name == deviceCookie:
		return "__Secure-" + name
	}
	return "__Host-" + name
}

// cookie reads cookie name of the request, under its name for the scheme.
func (s *Server) cookie(c echo.Context, name string) (*http.Cookie, error) {
	return c.Cookie(s.cookieName(c, name))
}

// setCookie sets an HttpOnly, SameSite=Lax cookie, Secure and prefixed
// over TLS, never with a Domain; maxAge 0 makes it last as long as the
// browser session, < 0 deletes it.
func (s *Server) setCookie(c echo.Context, name, value, path string, maxAge int) {
	if path == "" || name != deviceCookie {
		path = "/" // a __Host- cookie must be for the whole host
	}
	c.SetCookie(&http.Cookie{Name: s.cookieName(c, name), Value: value, Path: path, MaxAge: maxAge, HttpOnly: true,
		Secure: s.overTLS(c.Request()), SameSite: http.SameSiteLaxMode})
}
