package dashboard

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// Access groups beyond the ones every page uses.
var (
	admins   = access{roles: []indicators.Role{indicators.Admin}}
	auditors = access{roles: []indicators.Role{indicators.Admin, indicators.Auditor}}
)

// authorize admits the request when a allows it. Without a session the API
// answers 401 and a page sends the browser to the login page; with the
// wrong role, 403. A state-changing request must also pass the CSRF check,
// on public routes too (the login form), unless an API token admitted it.
func (s *Server) authorize(a access) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !a.public {
				u, ok := currentUser(c)
				if !ok {
					return s.needLogin(c)
				}
				if !slices.Contains(a.roles, u.Role) {
					return indicators.FieldError(indicators.EFORBIDDEN, "role",
						"Vai trò của bạn ("+s.msgs.roleName("vi", u.Role)+") không được dùng chức năng này.",
						"Your role ("+s.msgs.roleName("en", u.Role)+") may not use this.")
				}
			}
			if unsafeMethod(c.Request().Method) && !byToken(c) {
				if err := s.checkCSRF(c, a.public); err != nil {
					return err
				}
			}
			return next(c)
		}
	}
}

// needLogin answers a request that needs a session and has none.
func (s *Server) needLogin(c echo.Context) error {
	if wantsJSON(c) {
		return indicators.FieldError(indicators.EUNAUTHORIZED, "", "Cần đăng nhập (phiên làm việc không có hoặc đã hết hạn).",
			"Sign in first (there is no session, or it has expired).")
	}
	to := "/login"
	if r := c.Request(); r.Method == http.MethodGet {
		to += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	return c.Redirect(http.StatusSeeOther, to)
}

func unsafeMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// checkCSRF refuses a state-changing request that another site could have
// made: one the browser marks cross-site, one from another origin (by its
// Origin or, without one, its Referer), or one without the session's token — in the form field csrf_token, or the
// header X-CSRF-Token for scripts. On a public route (the login form) the
// token of the browser's CSRF cookie also passes, so that a login page
// opened before signing in elsewhere still works; signed-in routes accept
// the session's token only, which no cookie planted by another host can
// supply.
func (s *Server) checkCSRF(c echo.Context, public bool) error {
	r := c.Request()
	reason := ""
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		reason = "sec-fetch-site " + site
	} else if origin := r.Header.Get("Origin"); origin != "" && !sameHost(origin, r.Host) {
		reason = "origin"
	} else if ref := r.Header.Get("Referer"); origin == "" && ref != "" && !sameHost(ref, r.Host) {
		// Browsers that send no Origin on a form post still send the
		// page it came from (the Referrer-Policy is same-origin, which
		// sends it to this host and to no other).
		reason = "referer"
	} else {
		var want []string
		if sess, ok := currentSession(c); ok {
			want = append(want, sess.CSRF)
		}
		if ck, err := s.cookie(c, csrfCookie); err == nil && public && validToken(ck.Value) {
			want = append(want, ck.Value)
		}
		got := r.Header.Get("X-CSRF-Token")
		if got == "" {
			got = c.FormValue("csrf_token")
		}
		reason = "token"
		for _, w := range want {
			if w != "" && subtle.ConstantTimeCompare([]byte(got), []byte(w)) == 1 {
				reason = ""
			}
		}
	}
	if reason == "" {
		return nil
	}
	s.log.Warn("request refused by the CSRF check", "reason", reason, "method", r.Method, "path", r.URL.Path,
		"origin", r.Header.Get("Origin"), "addr", c.RealIP(), "request_id", c.Get("request_id"))
	return indicators.FieldError(indicators.EFORBIDDEN, "csrf_token",
		"Yêu cầu bị từ chối vì không chứng minh được nó đến từ trang của chitieu (CSRF). Hãy tải lại trang rồi thử lại.",
		"The request was refused: it did not prove it came from a chitieu page (CSRF). Reload the page and try again.")
}

// sameHost reports whether an Origin or Referer header names the host of
// the request.
// The scheme is not compared: behind a proxy that ends TLS the server may
// not know it, and a page of the same host is trusted either way.
func sameHost(origin, host string) bool {
	if origin == "null" {
		return false
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, host)
}

// bodyLimit bounds a request's body at n bytes; a larger one is refused
// before anything reads it, the access check's CSRF form field included.
func bodyLimit(n int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.ContentLength > n {
				return indicators.FieldError(indicators.ETOOLARGE, "file",
					fmt.Sprintf("yêu cầu lớn hơn giới hạn %d MB", n>>20),
					fmt.Sprintf("the request is larger than the limit of %d MB", n>>20))
			}
			r.Body = http.MaxBytesReader(c.Response(), r.Body, n)
			return next(c)
		}
	}
}
