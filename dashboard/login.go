package dashboard

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// hashWait is how long a sign-in waits for a free hashing slot.
const hashWait = 10 * time.Second

// loginForm is what the login page shows and posts.
type loginForm struct {
	flash
	Name string
	Next string
}

// loginPage shows the sign-in form, also to a signed-in browser, whose
// user may want to sign in as someone else.
func (s *Server) loginPage(c echo.Context) error {
	form := loginForm{Next: safeNext(c.QueryParam("next"))}
	if c.QueryParam("bye") != "" {
		form.Notice = "login.logged_out"
	}
	return s.render(c, http.StatusOK, "login", form)
}

// maxNext bounds the page to return to after sign-in: chitieu's own
// addresses are far shorter.
const maxNext = 2 << 10

// safeNext keeps a redirect target on this server: a path, never another
// host ("//evil", "/\evil", "https://…").
func safeNext(next string) string {
	if next == "" || len(next) > maxNext || next[0] != '/' || strings.HasPrefix(next, "//") || strings.HasPrefix(next, `/\`) ||
		strings.ContainsAny(next, "\r\n\t") {
		return "/"
	}
	return next
}

// typedName is the login name as typed, made safe to count, store and log:
// trimmed, lower case, control characters replaced, at most 64 characters.
func typedName(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return utf8.RuneError
		}
		return r
	}, indicators.NormalizeUserName(s))
	if utf8.RuneCountInString(s) > 64 {
		s = string([]rune(s)[:64])
	}
	return s
}

// login signs a user in. Unknown names and wrong passwords get the same
// answer after the same work (a hash is checked either way); failures are
// counted per typed name, per client address and per trusted browser, and
// past the limits the answer is 429 until the window slides.
func (s *Server) login(c echo.Context) error {
	r := c.Request()
	r.Body = http.MaxBytesReader(c.Response(), r.Body, 64<<10)
	ctx := r.Context()
	form := loginForm{Name: c.FormValue("name"), Next: safeNext(c.FormValue("next"))}
	pw := c.FormValue("password")
	if utf8.RuneCountInString(form.Name) > 64 {
		form.Name = string([]rune(form.Name)[:64])
	}
	name, addr, now := typedName(form.Name), c.RealIP(), s.now()
	refuse := func(status int, key string) error {
		form.Error = s.msgs.translate(langOf(c), key)
		if status == http.StatusTooManyRequests {
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(s.auth.throttle.Window.Seconds())))
		}
		return s.render(c, status, "login", form)
	}
	if name == "" || pw == "" {
		return refuse(http.StatusBadRequest, "login.missing")
	}

	// A browser the user signed in from before is held back by its own
	// failures only, so that failures from elsewhere cannot lock them out.
	device, err := s.trustedDevice(c, name)
	if err != nil {
		return err
	}
	f, err := s.users.CountLoginFailures(ctx, name, addr, device, now.Add(-s.auth.throttle.Window))
	if err != nil {
		return err
	}
	if s.auth.throttle.Holds(f, device != "") {
		s.log.Warn("sign-in throttled", "user", name, "addr", addr, "failures_name", f.Name, "failures_addr", f.Addr,
			"failures_device", f.Device, "request_id", c.Get("request_id"))
		if err := s.users.RefuseLogin(ctx, indicators.LoginAttempt{Name: name, Addr: addr, Device: device, At: now,
			Reason: "throttled"}); err != nil {
			return err
		}
		return refuse(http.StatusTooManyRequests, "login.throttled")
	}

	u, reason, err := s.verifyLogin(ctx, name, pw)
	if errors.Is(err, errHashBusy) {
		return refuse(http.StatusServiceUnavailable, "login.busy")
	}
	if err != nil {
		return err
	}
	if reason != "" {
		s.log.Warn("sign-in refused", "user", name, "addr", addr, "reason", reason, "request_id", c.Get("request_id"))
		if err := s.users.RefuseLogin(ctx, indicators.LoginAttempt{Name: name, Addr: addr, Device: device, At: now,
			Reason: reason, Counted: true}); err != nil {
			return err
		}
		return refuse(http.StatusUnauthorized, "login.failed")
	}

	if err := s.startSession(c, u.Name, addr, device, now); err != nil {
		return err
	}
	s.log.Info("signed in", "user", u.Name, "addr", addr, "role", string(u.Role), "request_id", c.Get("request_id"))
	return c.Redirect(http.StatusSeeOther, form.Next)
}

// trustedDevice is the ID of the browser's device token when the typed
// name signed in from this browser before, else "".
func (s *Server) trustedDevice(c echo.Context, name string) (string, error) {
	ck, err := s.cookie(c, deviceCookie)
	if err != nil || !validToken(ck.Value) {
		return "", nil
	}
	owner, err := s.users.DeviceUser(c.Request().Context(), tokenID(ck.Value))
	if err != nil {
		return "", err
	}
	if owner != name {
		return "", nil
	}
	return tokenID(ck.Value), nil
}

// errHashBusy is verifyLogin's answer when the hashing did not get its turn
// in time.
var errHashBusy = errors.New("dashboard: password hashing busy")

// verifyLogin checks the password of the typed name and says why the user
// may not sign in ("" when they may): unknown_user, wrong_password or
// disabled. An unknown name is checked against a dummy hash, so that it
// takes the same work as a known one.
func (s *Server) verifyLogin(ctx context.Context, name, pw string) (indicators.User, string, error) {
	u, err := s.users.User(ctx, name)
	known := err == nil
	if err != nil && indicators.ErrorCode(err) != indicators.ENOTFOUND {
		return u, "", err
	}
	hash := s.auth.dummy
	if known {
		hash = u.PasswordHash
	}
	// Hashing waits its turn, but not forever: under a burst the answer is
	// "busy", and memory stays bounded.
	hctx, cancel := context.WithTimeout(ctx, hashWait)
	ok, err := s.passwords.Verify(hctx, hash, pw)
	cancel()
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return u, "", errHashBusy
	case err != nil:
		// A damaged hash in the database: the user cannot sign in until an
		// admin sets a new password; the answer stays the usual one.
		s.log.Error("stored password hash is unreadable", "user", name, "err", err)
		ok = false
	}
	switch {
	case !known:
		return u, "unknown_user", nil
	case !ok:
		return u, "wrong_password", nil
	case u.Disabled:
		return u, "disabled", nil
	}
	return u, "", nil
}

// startSession starts a session for the user with a new token, ends the
// browser's old one, and sets the session cookie, and the device cookie
// when the browser had none.
func (s *Server) startSession(c echo.Context, user, addr, device string, now time.Time) error {
	// A new token at every sign-in, and the browser's old session ended:
	// a token planted before sign-in is worth nothing after it.
	token, deviceToken := newToken(), ""
	replaces := ""
	if old, ok := currentSession(c); ok {
		replaces = old.ID
	} else if ck, err := s.cookie(c, sessionCookie); err == nil && validToken(ck.Value) {
		replaces = tokenID(ck.Value)
	}
	if device == "" {
		deviceToken = newToken()
		device = tokenID(deviceToken)
	}
	sess := indicators.Session{ID: tokenID(token), User: user, CSRF: newToken(), Addr: addr, CreatedAt: now, LastSeen: now}
	if err := s.users.StartSession(c.Request().Context(), sess, replaces, device, now.Add(-s.auth.sessions.Idle),
		now.Add(-s.auth.sessions.Lifetime)); err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, token, "/", 0)
	if deviceToken != "" {
		s.setCookie(c, deviceCookie, deviceToken, "/login", 180*24*3600)
	}
	return nil
}

// logout ends the session on the server, not only in the browser.
func (s *Server) logout(c echo.Context) error {
	if sess, ok := currentSession(c); ok {
		if err := s.users.EndSession(c.Request().Context(), sess.ID, "logout"); err != nil {
			return err
		}
	}
	s.setCookie(c, sessionCookie, "", "/", -1)
	return c.Redirect(http.StatusSeeOther, "/login?bye=1")
}

// meJSON is the signed-in user as the API shows it, with the CSRF token
// that scripts send back in the X-CSRF-Token header.
type meJSON struct {
	Name      string   `json:"name"`
	FullName  string   `json:"full_name"`
	Role      string   `json:"role"`
	Units     []string `json:"units"`
	Groups    []int    `json:"groups"`
	CSRFToken string   `json:"csrf_token"`
}

func (s *Server) apiMe(c echo.Context) error {
	u, _ := currentUser(c)
	sess, _ := currentSession(c)
	j := meJSON{Name: u.Name, FullName: u.FullName, Role: string(u.Role), Units: u.Units, Groups: u.Groups, CSRFToken: sess.CSRF}
	if j.Units == nil {
		j.Units = []string{}
	}
	if j.Groups == nil {
		j.Groups = []int{}
	}
	return c.JSON(http.StatusOK, j)
}
