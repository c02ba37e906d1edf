package dashboard

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// Pages are html/template files, embedded in the binary and parsed once at
// start-up: one template set per page (layout + partials + the page) and
// per language, so that the block names of two pages cannot collide and
// the translation functions are bound without cloning per request. A page
// that fails to parse stops the start. With Config.TemplatesDir the files
// are read from that folder instead, and re-read at every request, for
// working on them without restarting.

//go:embed templates
var templateFiles embed.FS

// pageSets holds the parsed template sets: page name → language → set.
type pageSets map[string]map[string]*template.Template

// embeddedPages are the embedded templates, parsed once for every server of
// the process: cloning the layout for each page and language allocates
// megabytes, and the sets are safe for concurrent use.
var embeddedPages = sync.OnceValues(func() (pageSets, error) {
	msgs, err := loadMessages()
	if err != nil {
		return nil, err
	}
	assets, err := embeddedAssets()
	if err != nil {
		return nil, err
	}
	fsys, err := fs.Sub(templateFiles, "templates")
	if err != nil {
		return nil, fmt.Errorf("dashboard: templates: %w", err)
	}
	return parsePages(fsys, msgs, assets)
})

// parsePages parses every page of fsys (a folder with layout.html,
// partials/*.html and pages/*.html) for every language.
func parsePages(fsys fs.FS, msgs messages, assets *assetSet) (pageSets, error) {
	layout, err := fs.ReadFile(fsys, "layout.html")
	if err != nil {
		return nil, fmt.Errorf("dashboard: read layout: %w", err)
	}
	partials, err := fs.Glob(fsys, "partials/*.html")
	if err != nil {
		return nil, err
	}
	pages, err := fs.Glob(fsys, "pages/*.html")
	if err != nil {
		return nil, err
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("dashboard: no pages in the templates")
	}
	// The layout and the partials are parsed once per language; each page
	// is parsed into a clone of them (a copy of their trees, which the
	// escaper rewrites for the page's contexts).
	bases := map[string]*template.Template{}
	for _, lang := range languages {
		t := template.New("layout.html").Funcs(templateFuncs(msgs, assets, lang))
		if _, err := t.Parse(string(layout)); err != nil {
			return nil, fmt.Errorf("dashboard: template layout.html: %w", err)
		}
		if err := parseFiles(fsys, t, partials); err != nil {
			return nil, err
		}
		bases[lang] = t
	}
	sets := pageSets{}
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".html")
		sets[name] = map[string]*template.Template{}
		for _, lang := range languages {
			t, err := bases[lang].Clone()
			if err != nil {
				return nil, fmt.Errorf("dashboard: template %s: %w", p, err)
			}
			if err := parseFiles(fsys, t, []string{p}); err != nil {
				return nil, err
			}
			sets[name][lang] = t
		}
	}
	return sets, nil
}

// parseFiles adds the files of fsys to t, each under its path.
func parseFiles(fsys fs.FS, t *template.Template, files []string) error {
	for _, f := range files {
		body, err := fs.ReadFile(fsys, f)
		if err != nil {
			return fmt.Errorf("dashboard: read template %s: %w", f, err)
		}
		if _, err := t.New(f).Parse(string(body)); err != nil {
			return fmt.Errorf("dashboard: template %s: %w", f, err)
		}
	}
	return nil
}

// navItem is one entry of the main navigation. An entry shows only when
// its route is registered and the signed-in user's role may use it, so
// that a page added by another part of chitieu (imports, reports) appears
// by registering it, to the people it is for.
type navItem struct {
	Path string
	Key  string // message key of its label
	// Keep says the entry carries the dashboard's state (plan, period,
	// as-of) along.
	Keep bool
}

var navItems = []navItem{
	{"/", "nav.overview", true},
	{"/groups", "nav.groups", true},
	{"/indicators", "nav.indicators", true},
	{"/units", "nav.units", true},
	{"/imports", "nav.imports", false},
	{"/submissions", "nav.submissions", false},
	{"/reports", "nav.reports", true},
	{"/calendar", "nav.calendar", true},
	{"/audit", "nav.audit", false},
	{"/admin", "nav.admin", false},
}

// pagesWithoutNav are drawn in the layout without the navigation: the
// login page, whose visitor may use none of it yet.
var pagesWithoutNav = []string{"login"}

// navLink is a navigation entry as the layout draws it.
type navLink struct {
	URL     string
	Key     string
	Current bool
}

// view is what the templates get: the page's own data in Data, and what
// every page needs around it. A page's "title" and "content" are drawn
// first (and cached, see renderPage); the layout then puts them in place.
type view struct {
	Page      string
	Lang      string
	Nonce     string // of the Content-Security-Policy; every inline script carries it
	RequestID string
	// User is the signed-in user (nil for a visitor) and CSRF the token
	// their forms carry. The layout shows them on every page; a page's
	// content may use them only when drawn by render, which caches nothing.
	User      *indicators.User
	CSRF      string
	Inbox     int // the user's inbox items, shown in the header
	Nav       []navLink
	LangLinks map[string]string // language → this page's address in it
	Scripts   []string          // script addresses the page's charts need
	Title     string
	Content   template.HTML
	Data      any
}

// stateParams are the query parameters that make up the dashboard's state
// and travel along the navigation.
var stateParams = []string{"plan", "period", "asof", "figures"}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// pageBody is a page drawn for one language: its title, its content and
// its charts; nothing of the request, so that it can be cached.
type pageBody struct {
	Title   string
	Content []byte // HTML, the charts' data blocks included
	Charts  []chartData
}

// render draws page with data inside the layout, in the request's
// language, and writes it with status. Its content may use the request's
// .User and .CSRF (forms); for a visitor, .CSRF is the token of the
// browser's CSRF cookie (the login form). Pages with charts, or pages
// whose data is costly, use renderPage.
func (s *Server) render(c echo.Context, status int, page string, data any) error {
	lang := langOf(c)
	sets, err := s.templateSets()
	if err != nil {
		return err
	}
	v := s.requestView(c, page, lang)
	v.CSRF = s.csrfToken(c)
	v.Data = data
	body, err := drawBody(sets, v, nil)
	if err != nil {
		return err
	}
	return s.writePage(c, status, sets, page, lang, body)
}

// renderPage draws page with the data build returns, keeping the drawn
// body in the cache under key (which must hold everything the data
// depends on but the language and the store's data version) until the
// store changes. The layout around it, which holds the request's nonce,
// navigation and language links, is drawn for every request.
func (s *Server) renderPage(c echo.Context, status int, page, key string, build func(ctx context.Context, charts *chartSet) (any, error)) error {
	lang := langOf(c)
	sets, err := s.templateSets()
	if err != nil {
		return err
	}
	// build may outlive the request (others wait for it, and a late one
	// is served the page before): it gets its own context and must not
	// touch c.
	draw := func(ctx context.Context) (any, error) {
		cs := &chartSet{}
		data, err := build(ctx, cs)
		if err != nil {
			return nil, err
		}
		return drawBody(sets, view{Page: page, Lang: lang, Data: data}, cs.list)
	}
	var v any
	if s.templatesDir != "" {
		v, err = draw(c.Request().Context())
	} else {
		v, err = s.cached(c.Request().Context(), "page|"+page+"|"+lang+"|"+key, draw)
	}
	if err != nil {
		return err
	}
	return s.writePage(c, status, sets, page, lang, v.(*pageBody))
}

// templateSets returns the parsed pages: read afresh from disk in
// development, else those parsed at start-up.
func (s *Server) templateSets() (pageSets, error) {
	if s.templatesDir == "" {
		return s.pages, nil
	}
	return parsePages(os.DirFS(s.templatesDir), s.msgs, s.assets)
}

// drawBody executes the "title" and "content" templates of the page v
// names.
func drawBody(sets pageSets, v view, charts []chartData) (*pageBody, error) {
	page := v.Page
	t, ok := sets[page][v.Lang]
	if !ok {
		return nil, fmt.Errorf("dashboard: no template for page %q", page)
	}
	var title, content bytes.Buffer
	if err := t.ExecuteTemplate(&title, "title", v); err != nil {
		return nil, fmt.Errorf("dashboard: render %s title: %w", page, err)
	}
	if err := t.ExecuteTemplate(&content, "content", v); err != nil {
		return nil, fmt.Errorf("dashboard: render %s: %w", page, err)
	}
	// Each chart's option follows as a JSON data block, which no browser
	// runs: it needs no nonce and can be cached with the content. The ID
	// is checked against chartIDPattern and the option is JSON made safe
	// inside a script element.
	for _, ch := range charts {
		content.WriteString(`<script type="application/json" id="chart-`)
		content.WriteString(ch.ID)
		content.WriteString(`-option">`)
		content.WriteString(string(ch.Option))
		content.WriteString("</script>\n")
	}
	return &pageBody{Title: html.UnescapeString(strings.TrimSpace(title.String())),
		Content: content.Bytes(), Charts: charts}, nil
}

// requestView starts the view of page for the request: its nonce and ID,
// and who is signed in with their session's CSRF token.
func (s *Server) requestView(c echo.Context, page, lang string) view {
	v := view{Page: page, Lang: lang, Nonce: nonceOf(c)}
	v.RequestID, _ = c.Get("request_id").(string)
	if u, ok := currentUser(c); ok {
		v.User = &u
		if sess, ok := currentSession(c); ok {
			v.CSRF = sess.CSRF
		}
	}
	return v
}

// langLinks are the addresses of the page in each language. Only the link
// to the other language keeps the query, and of it only the values as
// short as chitieu's own (a code, a period, a date, a filter): the link to
// the language shown leads back to the page as it is, and a longer value,
// which the page may show once itself, is not copied again.
func langLinks(u *url.URL, current string) map[string]string {
	links := map[string]string{}
	for _, l := range languages {
		q := url.Values{}
		if l != current {
			for k, vs := range u.Query() {
				for _, v := range vs {
					if len(k) <= maxStateValue && len(v) <= maxStateValue {
						q.Add(k, v)
					}
				}
			}
		}
		q.Set("lang", l)
		links[l] = (&url.URL{Path: u.Path, RawQuery: q.Encode()}).RequestURI()
	}
	return links
}

// writePage draws the layout around body for the request and writes it.
// The layout is drawn once for each page, language, address, user and
// title, with stand-ins for the request's nonce, CSRF token and ID that
// are filled in for every request (see layouts.go); the content, cached
// and often large, is written in its place rather than copied through the
// template.
func (s *Server) writePage(c echo.Context, status int, sets pageSets, page, lang string, body *pageBody) error {
	v := s.requestView(c, page, lang)
	v.Inbox = s.inboxCount(c, v.User)
	fill := [slotCount]string{slotNonce: v.Nonce, slotCSRF: v.CSRF, slotRequestID: v.RequestID}
	key := s.layoutKey(c, page, lang, v, body)
	lay := s.layouts.get(key)
	if lay == nil {
		v.Title = body.Title
		if !slices.Contains(pagesWithoutNav, page) {
			v.Nav = s.nav(c)
		}
		v.LangLinks = langLinks(c.Request().URL, lang)
		if len(body.Charts) > 0 {
			for _, ch := range body.Charts {
				for _, a := range ch.Assets {
					if u := s.assets.url(a); !slices.Contains(v.Scripts, u) {
						v.Scripts = append(v.Scripts, u)
					}
				}
			}
			v.Scripts = append(v.Scripts, s.assets.url("js/charts.js"))
		}
		var err error
		if lay, err = s.layouts.draw(sets[page][lang], v, fill, key != ""); err != nil {
			return fmt.Errorf("dashboard: render %s: %w", page, err)
		}
		if s.templatesDir == "" && key != "" {
			s.layouts.put(key, lay)
		}
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	lay.head.writeTo(buf, &fill)
	split := buf.Len()
	lay.tail.writeTo(buf, &fill)
	out := buf.Bytes()
	r := c.Response()
	h := r.Header()
	h.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(out)+len(body.Content)))
	h.Set("Content-Language", lang)
	h.Set("Vary", "Cookie")
	r.WriteHeader(status)
	for _, part := range [][]byte{out[:split], body.Content, out[split:]} {
		if _, err := r.Write(part); err != nil {
			return nil // the client has gone; there is no one to tell
		}
	}
	return nil
}

// nav builds the navigation for the request: the registered entries the
// user's role may use (none for a visitor), the current one marked, the
// dashboard's state carried along.
func (s *Server) nav(c echo.Context) []navLink {
	user, signedIn := currentUser(c)
	keep := url.Values{}
	for _, p := range stateParams {
		// Every link carries the state: only values as short as real
		// ones (a plan code, a period, a date) are copied.
		if v := c.QueryParam(p); v != "" && len(v) <= maxStateValue {
			keep.Set(p, v)
		}
	}
	cur := c.Request().URL.Path
	var out []navLink
	for _, it := range navItems {
		a, ok := s.access[http.MethodGet+" "+it.Path]
		if !ok || !a.public && (!signedIn || !slices.Contains(a.roles, user.Role)) {
			continue
		}
		u := it.Path
		if it.Keep && len(keep) > 0 {
			u += "?" + keep.Encode()
		}
		current := cur == it.Path || (it.Path != "/" && strings.HasPrefix(cur, it.Path+"/"))
		out = append(out, navLink{URL: u, Key: it.Key, Current: current})
	}
	return out
}

// nonceOf returns the Content-Security-Policy nonce of the request, set by
// the security middleware as "csp_nonce"; empty when there is none.
func nonceOf(c echo.Context) string {
	n, _ := c.Get("csp_nonce").(string)
	return n
}

// loadPages reads the interface strings and the static assets and parses
// every page template; any failure stops the start.
func (s *Server) loadPages(dir string) error {
	var err error
	if s.msgs, err = loadMessages(); err != nil {
		return err
	}
	if s.assets, err = embeddedAssets(); err != nil {
		return err
	}
	s.templatesDir = dir
	if dir == "" {
		s.pages, err = embeddedPages()
		return err
	}
	// Read now too, so that a broken template stops the start.
	_, err = s.templateSets()
	return err
}
