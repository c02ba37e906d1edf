// Package logintest helps tests sign in to a running chitieu server: it
// adds users to the store and returns HTTP clients that carry a session,
// the way a browser does, through the real login form.
package logintest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"chitieu/indicators"
	"chitieu/password"
)

// Password is the password AddUser gives when none is named.
const Password = "mật khẩu thử nghiệm"

// hashParams hash the passwords of the users AddUser stores: argon2id with
// the least memory and time it takes. A login verifies with the
// parameters written in the hash, so signing in as these users is cheap
// too; at password.Default (19 MiB, two passes) each hash takes a second
// or more under -race, and the tests add and sign in hundreds of users.
// What the server itself hashes (new users, changed passwords) keeps its
// own parameters, and the tests of those check them.
var hashParams = password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// AddUser stores a user with pw (Password when empty), acting as the
// system, and returns it.
func AddUser(t testing.TB, users indicators.UserStore, name string, role indicators.Role, pw string, units []string, groups []int) indicators.User {
	t.Helper()
	if pw == "" {
		pw = Password
	}
	hash, err := hashParams.Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	u := indicators.User{Name: name, Role: role, Units: units, Groups: groups, PasswordHash: hash}
	if err := users.CreateUser(context.Background(), &u); err != nil {
		t.Fatalf("add user %s: %v", name, err)
	}
	return u
}

// Client returns a client with a cookie jar that does not follow
// redirects, so that tests see them.
func Client(t testing.TB) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// FormToken returns the CSRF token of the login form, as a browser that
// opens it gets it (with its cookie, into the client's jar).
func FormToken(t testing.TB, c *http.Client, base string) string {
	t.Helper()
	res, err := c.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfField.FindSubmatch(body)
	if m == nil {
		t.Fatalf("GET /login = %d without a csrf_token field:\n%s", res.StatusCode, body)
	}
	return string(m[1])
}

// Submit posts the login form with the client and returns the answer.
func Submit(t testing.TB, c *http.Client, base, name, pw string) *http.Response {
	t.Helper()
	token := FormToken(t, c, base)
	res, err := c.PostForm(base+"/login", url.Values{"name": {name}, "password": {pw}, "csrf_token": {token}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Login signs in through the login form and returns a client that carries
// the session. pw "" means Password.
func Login(t testing.TB, base, name, pw string) *http.Client {
	t.Helper()
	if pw == "" {
		pw = Password
	}
	c := Client(t)
	res := Submit(t, c, base, name, pw)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s = %d, want 303:\n%s", name, res.StatusCode, body)
	}
	return c
}

// Token returns the CSRF token of a signed-in client's session, which
// scripts send in the X-CSRF-Token header.
func Token(t testing.TB, c *http.Client, base string) string {
	t.Helper()
	res, err := c.Get(base + "/api/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var me struct {
		CSRFToken string `json:"csrf_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&me); err != nil || res.StatusCode != 200 || me.CSRFToken == "" {
		t.Fatalf("GET /api/v1/me = %d, %v", res.StatusCode, err)
	}
	return me.CSRFToken
}

// Post sends a form as a browser of the same origin would, with the
// session's CSRF token.
func Post(t testing.TB, c *http.Client, base, path string, form url.Values) *http.Response {
	t.Helper()
	form.Set("csrf_token", Token(t, c, base))
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
