package dashboard

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

//go:embed templates/auth_*.html
var authTemplateFiles embed.FS

// authTemplates holds one template set per page (layout, partials and the
// page), so that the pages' blocks cannot collide.
type authTemplates map[string]*template.Template

var authPageNames = []string{"login", "users", "user", "audit", "audit_event", "audit_verify"}

// parseAuthTemplates parses every page once at start; a page that does not
// parse stops the start.
func parseAuthTemplates() (authTemplates, error) {
	out := authTemplates{}
	for _, name := range authPageNames {
		t, err := template.New(name).ParseFS(authTemplateFiles, "templates/auth_layout.html",
			"templates/auth_partials.html", "templates/auth_"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("dashboard: parse page %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// authPage is what every login, user and audit page gets.
type authPage struct {
	Lang   string
	Title  string // text key
	User   *indicators.User
	CSRF   string
	Nonce  string // for <script nonce="…">, should a page need one
	Error  string // a message already in the page's language
	Notice string // text key
	Data   any
}

// T returns the text of key in the page's language.
func (p *authPage) T(key string) string { return tr(p.Lang, key) }

// Role names a role in the page's language.
func (p *authPage) Role(r indicators.Role) string { return roleName(p.Lang, r) }

// UTC writes a moment in UTC, as the audit trail records it.
func (p *authPage) UTC(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05") + " UTC"
}

// ISO writes a moment for a <time datetime> attribute.
func (p *authPage) ISO(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// Local writes a moment in Vietnam's time.
func (p *authPage) Local(t time.Time) string {
	return t.In(indicators.Vietnam).Format("02/01/2006 15:04:05")
}

// Time writes a moment for a list: the day and minute in Vietnam's time.
func (p *authPage) Time(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(indicators.Vietnam).Format("02/01/2006 15:04")
}

// Pretty indents a JSON document for reading; other text stays as it is.
func (p *authPage) Pretty(s string) string {
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(s), "", "  "); err != nil {
		return s
	}
	return b.String()
}

// newPage starts the data of a page.
func (s *Server) newPage(c echo.Context, title string, data any) *authPage {
	p := &authPage{Lang: langOf(c), Title: title, CSRF: s.csrfToken(c), Data: data}
	p.Nonce, _ = c.Get("csp_nonce").(string)
	if u, ok := currentUser(c); ok {
		p.User = &u
	}
	return p
}

// pageError puts the message of err in the page's language on the page and
// returns the status it calls for; internal errors are returned instead,
// for the error handler to log.
func pageError(p *authPage, err error) (int, error) {
	var de *indicators.Error
	if !errors.As(err, &de) {
		return 0, err
	}
	p.Error = de.Message
	if p.Lang == "en" && de.English != "" {
		p.Error = de.English
	}
	return statusOf(de.Code), nil
}

// renderAuth writes a login, user or audit page with its status.
func (s *Server) renderAuth(c echo.Context, status int, name string, p *authPage) error {
	t, ok := s.auth.pages[name]
	if !ok {
		return fmt.Errorf("dashboard: no page %s", name)
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout", p); err != nil {
		return fmt.Errorf("dashboard: render page %s: %w", name, err)
	}
	return c.HTMLBlob(status, b.Bytes())
}

// seeOther redirects after a POST, with a notice key the next page shows.
func seeOther(c echo.Context, to, notice string) error {
	if notice != "" {
		to += "?done=" + notice
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// notice reads the notice key a redirect carried, if it is a known one.
func notice(c echo.Context) string {
	if k := c.QueryParam("done"); k != "" {
		if _, ok := authText[k]; ok {
			return k
		}
	}
	return ""
}
