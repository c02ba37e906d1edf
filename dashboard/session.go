package dashboard

import (
	"context"
	"net/http"
	"sync"
	"time"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// touchEvery is how stale a session's last-seen time in the store may grow
// before a request writes it again: a write per request would be wasted.
// With a short idle timeout the store is written at least four times per
// timeout, so that another server reading it does not end a session in
// use.
const touchEvery = time.Minute

// lastSeen holds the sessions' last-seen times as this server knows them:
// the time of every request, kept in memory, and when each was last
// written to the store. A request whose session's stored time is stale has
// the store record it in the background: a large import holds SQLite's
// write lock for seconds, and no page should wait that long for a
// bookkeeping write. The idle timeout counts from the later of the store's
// time and the one held here, so that it is measured from the latest
// request whatever the store holds.
type lastSeen struct {
	mu      sync.Mutex
	at      map[string]seenAt
	writing sync.WaitGroup
}

// seenAt is a session's latest request and the latest time written for it.
type seenAt struct {
	seen, written time.Time
}

// get is the later of the stored time and the one held here.
func (l *lastSeen) get(id string, stored time.Time) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t, ok := l.at[id]; ok && t.seen.After(stored) {
		return t.seen
	}
	return stored
}

// see records a request on the session at now, and reports whether the
// store should be told: when neither it (stored) nor a write under way is
// within every of now. Times older than forgetBefore are dropped once the
// map grows, for sessions never seen again.
func (l *lastSeen) see(id string, stored, now, forgetBefore time.Time, every time.Duration) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.at == nil {
		l.at = map[string]seenAt{}
	}
	if len(l.at) >= 1024 {
		for k, t := range l.at {
			if t.seen.Before(forgetBefore) {
				delete(l.at, k)
			}
		}
	}
	t := l.at[id]
	if now.After(t.seen) {
		t.seen = now
	}
	write := now.Sub(stored) >= every && now.Sub(t.written) >= every
	if write {
		t.written = now
	}
	l.at[id] = t
	return write
}

func (l *lastSeen) forget(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.at, id)
}

// touchInterval is how often a session in use is written to the store.
func (s *Server) touchInterval() time.Duration {
	return min(touchEvery, s.auth.sessions.Idle/4)
}

// touch records that the session was seen now, without holding up the
// request; Close waits for the writes under way.
func (s *Server) touch(sess indicators.Session, stored, now time.Time) {
	if !s.seen.see(sess.ID, stored, now, now.Add(-s.auth.sessions.Idle), s.touchInterval()) {
		return
	}
	s.seen.writing.Add(1)
	go func() {
		defer s.seen.writing.Done()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := s.users.TouchSession(ctx, sess.ID, now); err != nil {
			s.log.Warn("dashboard: record a session's last-seen time", "err", err)
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
		ck, err := s.cookie(c, sessionCookie)
		if err != nil || !validToken(ck.Value) {
			return next(c)
		}
		r := c.Request()
		ctx := r.Context()
		id := tokenID(ck.Value)
		sess, u, err := s.users.Session(ctx, id)
		if indicators.ErrorCode(err) == indicators.ENOTFOUND {
			s.setCookie(c, sessionCookie, "", "/", -1)
			return next(c)
		}
		if err != nil {
			return err
		}
		now, stored := s.now(), sess.LastSeen
		sess.LastSeen = s.seen.get(id, stored)
		if u.Disabled || now.Sub(sess.LastSeen) > s.auth.sessions.Idle || now.Sub(sess.CreatedAt) > s.auth.sessions.Lifetime {
			s.seen.forget(id)
			if err := s.users.EndSession(ctx, id, "expired"); err != nil {
				return err
			}
			s.setCookie(c, sessionCookie, "", "/", -1)
			return next(c)
		}
		s.touch(sess, stored, now)
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
	if ck, err := s.cookie(c, csrfCookie); err == nil && validToken(ck.Value) {
		return ck.Value
	}
	t := newToken()
	s.setCookie(c, csrfCookie, t, "/", 0)
	// Seen by a later read in the same request.
	c.Request().AddCookie(&http.Cookie{Name: s.cookieName(c, csrfCookie), Value: t})
	return t
}
