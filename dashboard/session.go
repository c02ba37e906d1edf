package dashboard

import (
	"context"
	"net/http"
	"sync"
	"time"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// touchEvery is how stale a session's last-seen time may grow before a
// request writes it again: a write per request would be wasted, and the
// idle timeout is counted in minutes.
const touchEvery = time.Minute

// lastSeen holds the sessions' last-seen times as this server knows them.
// A request that finds its session's time stale moves it here at once and
// has the store record it in the background: a large import holds
// SQLite's write lock for seconds, and no page should wait that long for
// a bookkeeping write. The idle timeout counts from the later of the
// store's time and this one.
type lastSeen struct {
	mu      sync.Mutex
	at      map[string]time.Time
	writing sync.WaitGroup
}

// get is the later of the stored time and the one held here.
func (l *lastSeen) get(id string, stored time.Time) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t, ok := l.at[id]; ok && t.After(stored) {
		return t
	}
	return stored
}

// move sets the session's time to now unless another request has just
// done so, and reports whether it did. Times older than forgetBefore are
// dropped once the map grows, for sessions never seen again.
func (l *lastSeen) move(id string, stored, now, forgetBefore time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t, ok := l.at[id]; (ok && now.Sub(t) < touchEvery) || now.Sub(stored) < touchEvery {
		return false
	}
	if l.at == nil {
		l.at = map[string]time.Time{}
	}
	if len(l.at) >= 1024 {
		for k, t := range l.at {
			if t.Before(forgetBefore) {
				delete(l.at, k)
			}
		}
	}
	l.at[id] = now
	return true
}

func (l *lastSeen) forget(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.at, id)
}

// touch records that the session was seen now, without holding up the
// request; Close waits for the writes under way.
func (s *Server) touch(sess indicators.Session, now time.Time) {
	if !s.seen.move(sess.ID, sess.LastSeen, now, now.Add(-s.auth.sessions.Idle)) {
		return
	}
	s.seen.writing.Add(1)
	go func() {
		defer s.seen.writing.Done()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := s.Users.TouchSession(ctx, sess.ID, now); err != nil {
			s.Log.Warn("session: record last seen", "err", err)
		}
	}()
}

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
		sess.LastSeen = s.seen.get(id, sess.LastSeen)
		if u.Disabled || now.Sub(sess.LastSeen) > s.auth.sessions.Idle || now.Sub(sess.CreatedAt) > s.auth.sessions.Lifetime {
			s.seen.forget(id)
			if err := s.Users.EndSession(ctx, id, "expired"); err != nil {
				return err
			}
			s.setCookie(c, sessionCookie, "", "/", -1)
			return next(c)
		}
		s.touch(sess, now)
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
