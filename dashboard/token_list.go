package dashboard

import (
	"net/http"
	"strconv"
	"time"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// tokenLives are the expiries a user picks from, in days: a token's life
// is chosen, never open-ended.
var tokenLives = []int{7, 30, 90, 180, 365}

// tokenRow is a token as the pages list it.
type tokenRow struct {
	indicators.APIToken
	State string // "active", "expired", "revoked"
}

type tokensData struct {
	flash
	Tokens []tokenRow
	Lives  []int
	Scopes []string
	Form   tokenForm
	Secret string // the new token's secret, shown once
	Admin  bool   // every user's tokens, with their owners
	CSRF   string // for the revoke buttons of the shared table
}

// tokenForm is the new-token form as typed, kept when it is shown again.
type tokenForm struct {
	Name   string
	Days   int
	Scopes map[string]bool
}

func (s *Server) tokenRows(c echo.Context, owner string) ([]tokenRow, error) {
	ts, err := s.tokens.Tokens(c.Request().Context(), owner)
	if err != nil {
		return nil, err
	}
	now := s.now()
	rows := make([]tokenRow, len(ts))
	for i, t := range ts {
		rows[i] = tokenRow{APIToken: t, State: t.State(now)}
	}
	return rows, nil
}

// accountTokens is the signed-in user's own page of API tokens.
func (s *Server) accountTokens(c echo.Context) error {
	return s.showTokens(c, tokenForm{Days: 90, Scopes: map[string]bool{indicators.ScopeRead: true}}, "", nil)
}

func (s *Server) showTokens(c echo.Context, form tokenForm, secret string, failure error) error {
	u, _ := currentUser(c)
	rows, err := s.tokenRows(c, u.Name)
	if err != nil {
		return err
	}
	d := tokensData{Tokens: rows, Lives: tokenLives, Scopes: indicators.TokenScopes, Form: form, Secret: secret,
		CSRF: s.csrfToken(c)}
	d.Notice = s.notice(c)
	status := http.StatusOK
	if failure != nil {
		if status, err = d.fail(langOf(c), failure); err != nil {
			return err
		}
	}
	// The page may hold a secret: no cache may keep it.
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, status, "tokens", d)
}

// accountTokenCreate makes a token and shows its secret, once: the answer
// is the page itself, not a redirect, so that the secret is in no URL.
func (s *Server) accountTokenCreate(c echo.Context) error {
	u, _ := currentUser(c)
	form := tokenForm{Name: c.FormValue("name"), Scopes: map[string]bool{}}
	form.Days, _ = strconv.Atoi(c.FormValue("days"))
	params, err := c.FormParams()
	if err != nil {
		return err
	}
	var scopes []string
	for _, sc := range params["scopes"] {
		if !form.Scopes[sc] {
			form.Scopes[sc] = true
			scopes = append(scopes, sc)
		}
	}
	secret, hash, prefix := newAPIToken()
	now := s.now().UTC()
	t := indicators.APIToken{User: u.Name, Name: form.Name, Prefix: prefix, Hash: hash, Scopes: scopes,
		CreatedAt: now, ExpiresAt: now.Add(time.Duration(form.Days) * 24 * time.Hour)}
	if err := s.tokens.CreateToken(c.Request().Context(), &t); err != nil {
		return s.showTokens(c, form, "", err)
	}
	s.log.Info("api token created", "user", u.Name, "token", t.Name, "prefix", t.Prefix)
	return s.showTokens(c, tokenForm{Days: 90, Scopes: map[string]bool{indicators.ScopeRead: true}}, secret, nil)
}

// accountTokenRevoke ends one of the user's own tokens.
func (s *Server) accountTokenRevoke(c echo.Context) error {
	u, _ := currentUser(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return indicators.FieldError(indicators.ENOTFOUND, "token", "không tìm thấy mã truy cập", "token not found")
	}
	if err := s.tokens.RevokeToken(c.Request().Context(), id, u.Name); err != nil {
		return err
	}
	return seeOther(c, "/account/tokens", "tokens.revoked")
}

// adminTokens lists every user's tokens for admins.
func (s *Server) adminTokens(c echo.Context) error {
	rows, err := s.tokenRows(c, "")
	if err != nil {
		return err
	}
	d := tokensData{Tokens: rows, Admin: true, CSRF: s.csrfToken(c)}
	d.Notice = s.notice(c)
	return s.render(c, http.StatusOK, "admin_tokens", d)
}

// adminTokenRevoke ends any user's token.
func (s *Server) adminTokenRevoke(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return indicators.FieldError(indicators.ENOTFOUND, "token", "không tìm thấy mã truy cập", "token not found")
	}
	if err := s.tokens.RevokeToken(c.Request().Context(), id, ""); err != nil {
		return err
	}
	return seeOther(c, "/admin/tokens", "tokens.revoked")
}
