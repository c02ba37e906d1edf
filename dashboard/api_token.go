package dashboard

import (
	"context"
	"strings"
	"sync"
	"time"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// apiTokenPrefix starts every API token, so that a secret found in a log
// or a script is recognised as chitieu's.
const apiTokenPrefix = "ctk_"

// newAPIToken makes a token's secret: the prefix and 32 random bytes. Its
// SHA-256 is what the store keeps: the secret is high-entropy, so a plain
// hash is enough, and it is looked up at every request.
func newAPIToken() (secret, hash, shown string) {
	secret = apiTokenPrefix + newToken()
	return secret, tokenID(secret), secret[:len(apiTokenPrefix)+6]
}

// isAPI reports whether a path is on the JSON API, the only place an API
// token is accepted.
func isAPI(path string) bool { return strings.HasPrefix(path, "/api/v1/") }

// bearer admits a program holding an API token to the JSON API: with
// "Authorization: Bearer <token>" on a path under /api/v1/, the token's
// owner becomes the request's user, with the owner's role and scope. A
// token is never looked at on any other path, so that it opens no page. A
// token that is unknown, expired or revoked answers 401; a read-only token
// on a state-changing request 403. Every use is counted (see tokenUses).
func (s *Server) bearer(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		scheme, secret, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") || !isAPI(r.URL.Path) {
			return next(c)
		}
		secret = strings.TrimSpace(secret)
		refused := func(vi, en string) error {
			s.log.Warn("api token refused", "path", r.URL.Path, "addr", c.RealIP(), "request_id", c.Get("request_id"))
			return indicators.FieldError(indicators.EUNAUTHORIZED, "token", vi, en)
		}
		if !strings.HasPrefix(secret, apiTokenPrefix) || !validToken(strings.TrimPrefix(secret, apiTokenPrefix)) {
			return refused("Mã truy cập API không hợp lệ.", "The API token is not valid.")
		}
		ctx := r.Context()
		t, u, err := s.tokens.TokenByHash(ctx, tokenID(secret))
		if indicators.ErrorCode(err) == indicators.ENOTFOUND {
			return refused("Mã truy cập API không hợp lệ.", "The API token is not valid.")
		}
		if err != nil {
			return err
		}
		now := s.now()
		switch {
		case !t.RevokedAt.IsZero():
			return refused("Mã truy cập API đã bị thu hồi.", "The API token was revoked.")
		case !t.Active(now):
			return refused("Mã truy cập API đã hết hạn.", "The API token has expired.")
		case u.Disabled:
			return refused("Tài khoản của mã truy cập đã bị khóa.", "The token's account is disabled.")
		}
		scope := indicators.ScopeRead
		if unsafeMethod(r.Method) {
			scope = indicators.ScopeImport
		}
		if !t.Has(scope) {
			return indicators.FieldError(indicators.EFORBIDDEN, "token",
				"Mã truy cập API này không có quyền \""+scope+"\".", "This API token lacks the \""+scope+"\" scope.")
		}
		s.tokenUses.record(s, t, now, c.RealIP())
		c.SetRequest(r.WithContext(indicators.WithActor(ctx, u.Actor(c.RealIP()))))
		c.Set("user", u)
		c.Set("user_name", u.Name)
		c.Set("api_token", t)
		return next(c)
	}
}

// byToken reports whether the request was admitted by an API token: it
// carries no cookie a browser would send by itself, so the CSRF check does
// not apply.
func byToken(c echo.Context) bool {
	_, ok := c.Get("api_token").(indicators.APIToken)
	return ok
}

// tokenUseEvery is how often a busy token writes its uses to the audit
// trail: the first use at once, then one event a minute with the count of
// requests since the last, so that a script polling the API does not grow
// the trail by an event per request.
const tokenUseEvery = time.Minute

// tokenUses holds the counts of token uses not yet in the audit trail.
type tokenUses struct {
	mu      sync.Mutex
	pending map[int64]*tokenUse
	writing sync.WaitGroup
}

type tokenUse struct {
	n           int64
	first, last time.Time
	addr        string
	written     time.Time // when the last event was written
	timer       *time.Timer
}

// record counts one use of t. The first use of a token, and the first
// after a quiet minute, is written at once; the others wait for the
// minute to end.
func (u *tokenUses) record(s *Server, t indicators.APIToken, now time.Time, addr string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.pending == nil {
		u.pending = map[int64]*tokenUse{}
	}
	p := u.pending[t.ID]
	if p == nil {
		p = &tokenUse{}
		u.pending[t.ID] = p
	}
	if p.n == 0 {
		p.first = now
	}
	p.n++
	p.last, p.addr = now, addr
	if now.Sub(p.written) >= tokenUseEvery {
		u.writeLocked(s, t.ID, p, now)
		return
	}
	if p.timer == nil {
		id := t.ID
		p.timer = time.AfterFunc(tokenUseEvery-now.Sub(p.written), func() { u.flush(s, id) })
	}
}

// writeLocked writes p's count in the background; u.mu is held.
func (u *tokenUses) writeLocked(s *Server, id int64, p *tokenUse, now time.Time) {
	n, first, last, addr := p.n, p.first, p.last, p.addr
	p.n, p.written = 0, now
	if p.timer != nil {
		p.timer.Stop()
		p.timer = nil
	}
	u.writing.Add(1)
	go func() {
		defer u.writing.Done()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := s.tokens.RecordTokenUses(ctx, id, n, first, last, addr); err != nil {
			s.log.Warn("api token: record uses", "token", id, "uses", n, "err", err)
		}
	}()
}

// flush writes the pending uses of one token, or of every token when id
// is 0, and waits for the writes.
func (u *tokenUses) flush(s *Server, id int64) {
	u.mu.Lock()
	for k, p := range u.pending {
		if (id == 0 || k == id) && p.n > 0 {
			u.writeLocked(s, k, p, p.last)
		}
	}
	u.mu.Unlock()
	u.writing.Wait()
}
