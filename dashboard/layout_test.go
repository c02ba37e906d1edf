package dashboard_test

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"chitieu/dashboard"
	"chitieu/dashboard/logintest"
	"chitieu/indicators"
	"chitieu/internal/testdb"
)

var (
	mainNav    = regexp.MustCompile(`(?s)<nav class="main-nav"[^>]*>(.*?)</nav>`)
	navHref    = regexp.MustCompile(`href="([^"?]*)`)
	logoutForm = regexp.MustCompile(`(?s)<form method="post" action="/logout">\s*<input type="hidden" name="csrf_token" value="([^"]+)">`)
)

// navOf lists the addresses of a page's main navigation, without their
// query.
func navOf(body string) string {
	m := mainNav.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	var out []string
	for _, h := range navHref.FindAllStringSubmatch(m[1], -1) {
		out = append(out, h[1])
	}
	return strings.Join(out, " ")
}

// Every page shows who is signed in, with their role and a sign-out form
// carrying their session's CSRF token, and navigation to the pages their
// role may use, and no others.
func TestLayoutShowsTheUserAndTheirNavigation(t *testing.T) {
	t.Parallel()
	ts, _, _ := newServerDB(t)
	for _, tc := range []struct {
		role      indicators.Role
		roleLabel string
		nav       string
	}{
		{indicators.Leader, "Lãnh đạo", "/ /groups /indicators /units /submissions /reports /calendar"},
		{indicators.Planner, "Chuyên viên kế hoạch", "/ /groups /indicators /units /imports /submissions /reports /calendar"},
		{indicators.Approver, "Thủ trưởng đơn vị (phê duyệt)", "/ /groups /indicators /units /submissions /reports /calendar"},
		{indicators.Auditor, "Thanh tra, kiểm toán", "/ /groups /indicators /units /imports /submissions /reports /calendar /audit"},
		{indicators.Admin, "Quản trị", "/ /groups /indicators /units /imports /submissions /reports /calendar /audit /admin"},
	} {
		c := as(t, ts.URL, tc.role)
		_, body := get(t, c, ts.URL+"/groups/3?period=2021-2025", 200)
		if got := navOf(body); got != tc.nav {
			t.Errorf("%s's navigation = %q, want %q", tc.role, got, tc.nav)
		}
		if !strings.Contains(body, `<a href="/groups?period=2021-2025" aria-current="page">`) {
			t.Errorf("%s: the navigation does not mark the task groups as current, keeping the period", tc.role)
		}
		if !strings.Contains(body, "<strong>"+testUsers[tc.role]+"</strong> <span class=\"role\">("+tc.roleLabel+")</span>") {
			t.Errorf("%s: the header does not show the user and their role", tc.role)
		}
		m := logoutForm.FindStringSubmatch(body)
		if m == nil || m[1] != logintest.Token(t, c, ts.URL) {
			t.Errorf("%s: the sign-out form = %v, want the session's CSRF token", tc.role, m)
		}
	}

	// The sign-out form of the page works as it stands, and ends the
	// session on the server.
	c := as(t, ts.URL, indicators.Leader)
	_, body := get(t, c, ts.URL+"/", 200)
	token := logoutForm.FindStringSubmatch(body)[1]
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/logout", strings.NewReader(url.Values{"csrf_token": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", ts.URL)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?bye=1" {
		t.Fatalf("sign out with the page's form = %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if got := status(t, c, ts.URL, "/api/v1/me"); got != http.StatusUnauthorized {
		t.Errorf("the session after signing out = %d, want 401", got)
	}
	_, bye := get(t, logintest.Client(t), ts.URL+"/login?bye=1", 200)
	if !strings.Contains(bye, `<p class="notice" role="status">Bạn đã đăng xuất.</p>`) {
		t.Errorf("the login page after signing out does not say so")
	}
}

// The layout is drawn once for a page and user and filled in for each
// request: two sessions of one user on one page each get their own CSRF
// token in the sign-out form, and every answer its own nonce, matching its
// Content-Security-Policy, and its own request ID.
func TestLayoutFilledForEachRequest(t *testing.T) {
	t.Parallel()
	ts, _, db := newServerDB(t)
	logintest.AddUser(t, db, "thu", indicators.Leader, "", nil, nil)
	sessions := []*http.Client{logintest.Login(t, ts.URL, "thu", ""), logintest.Login(t, ts.URL, "thu", "")}
	policyNonce := regexp.MustCompile(`'nonce-([^']+)'`)
	scriptNonce := regexp.MustCompile(`<script src="[^"]*" nonce="([^"]+)"`)
	seen := map[string]bool{}
	for round := 0; round < 2; round++ {
		for i, c := range sessions {
			res, body := get(t, c, ts.URL+"/indicators/ECO-01?period=2021-2025", 200)
			if m := logoutForm.FindStringSubmatch(body); m == nil || m[1] != logintest.Token(t, c, ts.URL) {
				t.Errorf("session %d, round %d: the sign-out form = %v, want the session's own CSRF token", i, round, m)
			}
			want := policyNonce.FindStringSubmatch(res.Header.Get("Content-Security-Policy"))
			got := scriptNonce.FindAllStringSubmatch(body, -1)
			if want == nil || len(got) == 0 {
				t.Fatalf("no nonce in the policy or the scripts")
			}
			for _, m := range got {
				if m[1] != want[1] {
					t.Errorf("a script carries nonce %s, the policy %s", m[1], want[1])
				}
			}
			if seen[want[1]] {
				t.Errorf("nonce %s served twice", want[1])
			}
			seen[want[1]] = true
			id := res.Header.Get("X-Request-ID")
			if id == "" || !strings.Contains(body, "Mã yêu cầu "+id+"<") {
				t.Errorf("the footer does not show the answer's request ID %q", id)
			}
		}
	}
}

// The login page is drawn in the layout, stylesheet, language switch and
// all, but without the navigation, to a visitor and to a signed-in user.
func TestLoginPageInTheLayoutWithoutNavigation(t *testing.T) {
	t.Parallel()
	ts, _, _ := newServerDB(t)
	for _, who := range []struct {
		name   string
		client *http.Client
	}{{"a visitor", logintest.Client(t)}, {"a leader", as(t, ts.URL, indicators.Leader)}} {
		_, body := get(t, who.client, ts.URL+"/login?next=%2Funits&lang=en", 200)
		if strings.Contains(body, "main-nav") {
			t.Errorf("the login page shows %s the navigation", who.name)
		}
		for _, want := range []string{`<html lang="en">`, `<link rel="stylesheet" href="/static/css/app.css?v=`,
			`<title>Sign in · chitieu</title>`, `<form class="form card" method="post" action="/login">`,
			`<input type="hidden" name="next" value="/units">`, `hreflang="vi"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the login page for %s lacks %s", who.name, want)
			}
		}
	}
}

// Error pages are drawn in the layout, in the user's language, with the
// navigation of a signed-in user; a visitor's has none.
func TestErrorPagesInTheLayout(t *testing.T) {
	t.Parallel()
	ts, _, _ := newServerDB(t)
	leader := as(t, ts.URL, indicators.Leader)
	for _, tc := range []struct {
		client     *http.Client
		path       string
		status     int
		want       []string
		nav        string
		notWant    string
		contentLan string
	}{
		{leader, "/indicators/KHONG-CO", 404, []string{"<title>Lỗi 404 · chitieu</title>", "<h1>Lỗi 404</h1>",
			`<strong>lanh.dao</strong>`, "Mã yêu cầu "}, "/ /groups /indicators /units /submissions /reports /calendar", "", "vi"},
		{leader, "/audit", 403, []string{"<h1>Lỗi 403</h1>", "Vai trò của bạn (Lãnh đạo) không được dùng chức năng này."},
			"/ /groups /indicators /units /submissions /reports /calendar", "", "vi"},
		{logintest.Client(t), "/khong-co-trang-nay", 404, []string{"<h1>Lỗi 404</h1>",
			`<link rel="stylesheet" href="/static/css/app.css?v=`}, "", `class="account"`, "vi"},
		{leader, "/khong-co-trang-nay?lang=en", 404, []string{"<h1>Error 404</h1>", "The page or data asked for was not found."},
			"/ /groups /indicators /units /submissions /reports /calendar", "", "en"},
	} {
		res, body := get(t, tc.client, ts.URL+tc.path, tc.status)
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the error page lacks %q", tc.path, w)
			}
		}
		if got := navOf(body); got != tc.nav {
			t.Errorf("%s: navigation %q, want %q", tc.path, got, tc.nav)
		}
		if tc.notWant != "" && strings.Contains(body, tc.notWant) {
			t.Errorf("%s: the page holds %s", tc.path, tc.notWant)
		}
		if got := res.Header.Get("Content-Language"); got != tc.contentLan {
			t.Errorf("%s: Content-Language %q, want %q", tc.path, got, tc.contentLan)
		}
	}
}

// When the layout cannot be drawn, an error still gets the plain page.
func TestErrorPageFallsBackToPlain(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("templates")); err != nil {
		t.Fatal(err)
	}
	db := testdb.Builtin(t)
	ts, _ := serve(t, dashboard.Config{Store: db, TemplatesDir: dir})
	// The page parses, but fails when drawn.
	broken := `{{define "title"}}x{{end}}{{define "content"}}{{.Data.NoSuchField}}{{end}}`
	if err := os.WriteFile(filepath.Join(dir, "pages", "error.html"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := logintest.Client(t).Get(ts.URL + "/khong-co-trang-nay")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 404 || !strings.Contains(string(body), "<h1>Lỗi 404</h1>") || strings.Contains(string(body), "stylesheet") ||
		!strings.Contains(string(body), res.Header.Get("X-Request-ID")) {
		t.Errorf("error page with a broken template = %d:\n%s", res.StatusCode, body)
	}
}
