package dashboard

import (
	"net/http"
	"time"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// touchEvery is how stale a session's last-seen time may grow before a
// request writes it again: a write per request would be wasted, and the
// idle timeout is counted in minutes.
const touchEvery = time.Minute

// session finds the signed-in user of the request, if any, and puts the
// actor — user, client address, role and scope — into the request's
// context for the store's audit trail. It also sets, for handlers and
// templates, "user" (indicators.User), "user_name", "session"
// (indicators.Session) and "csrf_token". Expired sessions end here.
func (s *Server) session(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ck, err := c.Cookie(sessionCookie)
		if err != nil || !validToken(ck.Value) {
			return next(c)
		}
		r := c.Request()
		ctx := r.Context()
		id := tokenID(ck.Value)
		sess, u, err := s.Users.Session(ctx, id)
		if indicators.ErrorCode(err) == indicators.ENOTFOUND {
			s.setCookie(c, sessionCookie, "", "/", -1)
			return next(c)
		}
		if err != nil {
			return err
		}
		now := s.Now()
		if u.Disabled || now.Sub(sess.LastSeen) > s.auth.sessions.Idle || now.Sub(sess.CreatedAt) > s.auth.sessions.Lifetime {
			if err := s.Users.EndSession(ctx, id, "expired"); err != nil {
				return err
			}
			s.setCookie(c, sessionCookie, "", "/", -1)
			return next(c)
		}
		if now.Sub(sess.LastSeen) >= touchEvery {
			if err := s.Users.TouchSession(ctx, id, now); err != nil {
				return err
			}
		}
		c.SetRequest(r.WithContext(indicators.WithActor(ctx, u.Actor(c.RealIP()))))
		c.Set("user", u)
		c.Set("user_name", u.Name)
		c.Set("session", sess)
		c.Set("csrf_token", sess.CSRF)
		return next(c)
	}
}

// currentUser returns the signed-in user, if any.
func currentUser(c echo.Context) (indicators.User, bool) {
	u, ok := c.Get("user").(indicators.User)
	return u, ok
}

// currentSession returns the session of the request, if any.
func currentSession(c echo.Context) (indicators.Session, bool) {
	s, ok := c.Get("session").(indicators.Session)
	return s, ok
}

// csrfToken is the token the next state-changing request must carry: the
// session's, or for a browser not signed in, the one in its CSRF cookie,
// which it gets here when it has none (the login form).
func (s *Server) csrfToken(c echo.Context) string {
	if sess, ok := currentSession(c); ok {
		return sess.CSRF
	}
	if ck, err := c.Cookie(csrfCookie); err == nil && validToken(ck.Value) {
		return ck.Value
	}
	t := newToken()
	s.setCookie(c, csrfCookie, t, "/", 0)
	// Seen by a later read in the same request.
	c.Request().AddCookie(&http.Cookie{Name: csrfCookie, Value: t})
	return t
}
