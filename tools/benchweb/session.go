package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"

	"chitieu/indicators"
	"chitieu/password"
)

// The dashboards need a session, as in production: the benchmark reads
// them as a leader who signed in through the login form, and wrk sends
// that session's cookie.

// benchUser is the leader the benchmark signs in as.
const benchUser = "bench.leader"

// leaderSession signs the benchmark's leader in at base: see signIn.
func leaderSession(ctx context.Context, db store, base string) (*http.Client, string, error) {
	return signIn(ctx, db, base, benchUser, indicators.Leader)
}

// signIn gives the user name of role a fresh random password (adding them
// to the database the first time), signs in at base through the login form
// and returns a client carrying the session, which does not follow
// redirects, and the Cookie header for wrk.
func signIn(ctx context.Context, db store, base, name string, role indicators.Role) (*http.Client, string, error) {
	var b [24]byte
	rand.Read(b[:])
	pw := base64.RawURLEncoding.EncodeToString(b[:])
	hash, err := password.Default.Hash(pw)
	if err != nil {
		return nil, "", err
	}
	u := indicators.User{Name: name, FullName: "benchweb", Role: role, PasswordHash: hash}
	err = db.CreateUser(ctx, &u)
	if indicators.ErrorCode(err) == indicators.ECONFLICT {
		err = db.SetPassword(ctx, name, hash, "")
	}
	if err != nil {
		return nil, "", fmt.Errorf("bench user %s: %w", name, err)
	}

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(base + "/login")
	if err != nil {
		return nil, "", err
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	token := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindSubmatch(page)
	if token == nil {
		return nil, "", fmt.Errorf("the login page (%d) has no CSRF token", res.StatusCode)
	}
	res, err = c.PostForm(base+"/login", url.Values{"name": {name}, "password": {pw}, "csrf_token": {string(token[1])}})
	if err != nil {
		return nil, "", err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return nil, "", fmt.Errorf("signing in as %s answered %d", name, res.StatusCode)
	}
	u2, _ := url.Parse(base + "/")
	for _, ck := range jar.Cookies(u2) {
		if ck.Name == "chitieu_session" {
			return c, ck.Name + "=" + ck.Value, nil
		}
	}
	return nil, "", fmt.Errorf("signing in as %s set no session cookie", name)
}
