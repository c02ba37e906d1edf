package dashboard

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sync"
	"time"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// The public view (/public/…): where an admin opens a plan, its targets
// and indicators can be read without a login. It shows official values
// only — no estimates, no plan figures, nothing rolled back — and a status
// only where the engine rested it on official values alone; it names no
// user, links to no signed-in page, and asks search engines not to index
// it. Each client address may make publicRate requests a minute.

// publicRate is how many public pages an address may load a minute.
const publicRate = 60

// rateLimiter counts requests per address in fixed one-minute windows.
type rateLimiter struct {
	mu     sync.Mutex
	window time.Time
	counts map[string]int
}

// allow counts a request from addr at now and reports whether it is
// within the limit.
func (r *rateLimiter) allow(addr string, now time.Time, limit int) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	w := now.Truncate(time.Minute)
	if !w.Equal(r.window) || r.counts == nil {
		r.window, r.counts = w, map[string]int{}
	}
	r.counts[addr]++
	return r.counts[addr] <= limit
}

// publicLimit refuses an address over the rate with 429, and marks every
// public answer noindex.
func (s *Server) publicLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Robots-Tag", "noindex, nofollow")
		if !s.publicRates.allow(c.RealIP(), s.now(), publicRate) {
			h.Set("Retry-After", "60")
			return c.String(http.StatusTooManyRequests, "Quá nhiều yêu cầu, hãy thử lại sau một phút. / Too many requests; try again in a minute.\n")
		}
		return next(c)
	}
}

// adminPlanPublicOptions sets what a plan's public view allows: estimates,
// indexing by search engines.
func (s *Server) adminPlanPublicOptions(c echo.Context) error {
	id := pathParam(c, "plan")
	o := indicators.PublicOptions{Estimates: c.FormValue("estimates") == "1", Indexing: c.FormValue("indexing") == "1"}
	if err := s.public.SetPublicOptions(c.Request().Context(), id, o); err != nil {
		return err
	}
	return seeOther(c, "/admin/plans/"+url.PathEscape(id), "public.switched")
}

// adminPlanPublic opens or closes a plan's public view.
func (s *Server) adminPlanPublic(c echo.Context) error {
	id := pathParam(c, "plan")
	open := c.FormValue("public") == "1"
	if err := s.public.SetPlanPublic(c.Request().Context(), id, open); err != nil {
		return err
	}
	return seeOther(c, "/admin/plans/"+url.PathEscape(id), "public.switched")
}

// publicPlan finds a plan open to the public, or answers 404 as if it
// did not exist.
func (s *Server) publicPlan(c echo.Context) (indicators.Plan, error) {
	ctx := c.Request().Context()
	open, err := s.public.PublicPlans(ctx)
	if err != nil {
		return indicators.Plan{}, err
	}
	id := pathParam(c, "plan")
	if !open[id] {
		return indicators.Plan{}, indicators.FieldError(indicators.ENOTFOUND, "plan",
			fmt.Sprintf("không có trang công khai của kế hoạch %q", id), fmt.Sprintf("no public page for plan %q", id))
	}
	return s.store.Plan(ctx, id)
}

type publicLink struct{ URL, Text string }

type publicTarget struct {
	Indicator, IndicatorURL, Period, Text, Status, Latest string
}

type publicValue struct {
	Period, Unit, Type, Value string
}

type publicData struct {
	Lang, Title string
	Nonce       string // of the answer's Content-Security-Policy, for the script
	Plans       []publicLink
	Plan        *indicators.Plan
	PlanURL     string
	Targets     []publicTarget
	Groups      []publicLink
	Group       string // the task group a page shows, by its number and name
	Sources     []sourceView
	SourcesURL  string
	Indicator   *indicators.Indicator
	Unit        string
	Metadata    metadataView
	Values      []publicValue
	DownloadURL string // without its ending: .csv, .xlsx
	Index       bool   // the admin lets search engines index the plan's pages
	AsOf        string
}

// publicHome lists the plans open to the public.
func (s *Server) publicHome(c echo.Context) error {
	ctx := c.Request().Context()
	lang := langOf(c)
	open, err := s.public.PublicPlans(ctx)
	if err != nil {
		return err
	}
	plans, err := s.store.Plans(ctx)
	if err != nil {
		return err
	}
	d := publicData{Lang: lang, Title: s.msgs.translate(lang, "public.title")}
	for _, p := range plans {
		if open[p.ID] {
			d.Plans = append(d.Plans, publicLink{URL: "/public/plans/" + url.PathEscape(p.ID), Text: p.Code + " — " + pick(lang, p.TitleVI, p.TitleEN)})
		}
	}
	return s.renderPublic(c, d)
}

// publicPlanPage is a plan's task groups and targets with their latest
// public value.
func (s *Server) publicPlanPage(c echo.Context) error {
	p, err := s.publicPlan(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	lang := langOf(c)
	d, err := s.publicPlanData(ctx, lang, p, allGroups)
	if err != nil {
		return err
	}
	return s.renderPublic(c, d)
}

// publicIndicator is an indicator of an open plan: its metadata, the
// values the public rule shows, and their downloads.
func (s *Server) publicIndicator(c echo.Context) error {
	p, ind, err := s.publicIndicatorOf(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	lang := langOf(c)
	meta, err := s.metadata.IndicatorMetadata(ctx, ind.Code)
	if err != nil {
		return err
	}
	rule, err := s.publicRuleOf(ctx, p.ID)
	if err != nil {
		return err
	}
	rows, err := s.publicRows(ctx, lang, ind.Code, rule)
	if err != nil {
		return err
	}
	d := publicData{Lang: lang, Title: ind.Code + " " + pick(lang, ind.NameVI, ind.NameEN), Plan: &p,
		PlanURL: "/public/plans/" + url.PathEscape(p.ID), Indicator: &ind, Unit: pick(lang, ind.Unit, ind.UnitEN),
		Metadata: s.metadataView(lang, meta), DownloadURL: publicIndicatorURL(p.ID, ind.Code) + "/values"}
	d.Metadata.UpdatedBy = "" // no user names in public
	for _, r := range rows {
		d.Values = append(d.Values, publicValue{Period: r.Period, Unit: r.UnitName, Type: r.Type,
			Value: formatNum(lang, r.Value, ind.Decimals)})
	}
	return s.renderPublic(c, d)
}

// publicPage is the one template of the public view: its own layout, with
// no navigation, no account and no link into the signed-in pages.
const publicPage = `<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{{if .Index}}<meta name="robots" content="index, follow">{{else}}<meta name="robots" content="noindex, nofollow">{{end}}
<title>{{.Title}} · {{t "public.title"}}</title>
<link rel="stylesheet" href="{{asset "css/app.css"}}">
</head>
<body class="page-public">
<header class="top"><a class="brand" href="/public">{{t "public.title"}}</a></header>
<main id="main">
{{- if .Indicator}}
<p class="meta"><a href="{{.PlanURL}}">← {{.Plan.Code}}</a></p>
<h1>{{.Title}}</h1>
<p>{{t "indicator.unit"}}: {{.Unit}}</p>
<section aria-labelledby="h-metadata"><h2 id="h-metadata">{{t "metadata.title"}}</h2>
{{with .Metadata.Rows}}<dl class="facts">{{range .}}<dt>{{.Label}}</dt><dd>{{.Text}}</dd>{{end}}</dl>{{else}}<p>{{t "metadata.none"}}</p>{{end}}
</section>
<section aria-labelledby="h-values"><h2 id="h-values">{{t "public.values"}}</h2>
{{if .Values}}<div class="table-wrap"><table><thead><tr><th scope="col">{{t "public.period"}}</th><th scope="col">{{t "public.unit"}}</th><th scope="col">{{t "public.type"}}</th><th scope="col">{{t "public.value"}}</th></tr></thead><tbody>
{{range .Values}}<tr><td>{{.Period}}</td><td>{{.Unit}}</td><td>{{.Type}}</td><td class="num">{{.Value}}</td></tr>{{end}}
</tbody></table></div>{{else}}<p>{{t "public.no_values"}}</p>{{end}}
<p>{{t "public.download"}}: <a href="{{.DownloadURL}}.csv" download>CSV</a> · <a href="{{.DownloadURL}}.xlsx" download>Excel (.xlsx)</a></p>
</section>
{{- else if .Sources}}
<p class="meta"><a href="{{.PlanURL}}">← {{.Plan.Code}}</a></p>
<h1>{{t "public.sources"}}</h1>
<ul class="sources">{{range .Sources}}<li id="{{.Code}}"><strong>{{.Code}}</strong> — {{.Title}}{{with .Publisher}} ({{.}}){{end}}{{with .Published}}, {{.}}{{end}}{{range .Addresses}}<br><code>{{.}}</code>{{end}}</li>{{end}}</ul>
{{- else if .Group}}
<p class="meta"><a href="{{.PlanURL}}">← {{.Plan.Code}}</a></p>
<h1>{{.Group}}</h1>
<p class="meta">{{t "public.asof" .AsOf}}</p>
<div class="table-wrap"><table><thead><tr><th scope="col">{{t "public.indicator"}}</th><th scope="col">{{t "public.period"}}</th><th scope="col">{{t "public.target"}}</th><th scope="col">{{t "public.latest"}}</th><th scope="col">{{t "public.status"}}</th></tr></thead><tbody>
{{range .Targets}}<tr><th scope="row"><a href="{{.IndicatorURL}}">{{.Indicator}}</a></th><td>{{.Period}}</td><td>{{.Text}}</td><td class="num">{{.Latest}}</td><td>{{.Status}}</td></tr>{{else}}<tr><td colspan="5">{{t "public.no_targets"}}</td></tr>{{end}}
</tbody></table></div>
{{- else if .Plan}}
<p class="meta"><a href="/public">← {{t "public.title"}}</a></p>
<h1>{{.Plan.Code}}</h1>
<p class="lead">{{if eq .Lang "en"}}{{.Plan.TitleEN}}{{else}}{{.Plan.TitleVI}}{{end}}</p>
<p class="meta">{{t "public.asof" .AsOf}}</p>
{{with .Groups}}<h2>{{t "public.groups"}}</h2><ol class="groups">{{range .}}<li><a href="{{.URL}}">{{.Text}}</a></li>{{end}}</ol>{{end}}
<p><a href="{{.SourcesURL}}">{{t "public.sources"}}</a></p>
<h2>{{t "public.targets"}}</h2>
<div class="table-wrap"><table><thead><tr><th scope="col">{{t "public.indicator"}}</th><th scope="col">{{t "public.period"}}</th><th scope="col">{{t "public.target"}}</th><th scope="col">{{t "public.latest"}}</th><th scope="col">{{t "public.status"}}</th></tr></thead><tbody>
{{range .Targets}}<tr><th scope="row"><a href="{{.IndicatorURL}}">{{.Indicator}}</a></th><td>{{.Period}}</td><td>{{.Text}}</td><td class="num">{{.Latest}}</td><td>{{.Status}}</td></tr>{{end}}
</tbody></table></div>
{{- else}}
<h1>{{t "public.title"}}</h1>
{{with .Plans}}<ul>{{range .}}<li><a href="{{.URL}}">{{.Text}}</a></li>{{end}}</ul>{{else}}<p>{{t "public.none"}}</p>{{end}}
{{- end}}
</main>
<footer class="foot"><p>{{t "public.footer"}}</p></footer>
<script src="{{asset "js/app.js"}}" nonce="{{.Nonce}}" defer></script>
</body>
</html>
`

// renderPublic draws the public page of d.
func (s *Server) renderPublic(c echo.Context, d publicData) error {
	if d.Plan != nil {
		o, err := s.public.PublicOptions(c.Request().Context(), d.Plan.ID)
		if err != nil {
			return err
		}
		if d.Index = o.Indexing; d.Index {
			c.Response().Header().Set("X-Robots-Tag", "index, follow")
		}
	}
	t, err := template.New("public").Funcs(templateFuncs(s.msgs, s.assets, d.Lang)).Parse(publicPage)
	if err != nil {
		return fmt.Errorf("dashboard: public template: %w", err)
	}
	d.Nonce, _ = c.Get("csp_nonce").(string)
	var buf bytes.Buffer
	if err := t.Execute(&buf, d); err != nil {
		return fmt.Errorf("dashboard: public page: %w", err)
	}
	return c.HTMLBlob(http.StatusOK, buf.Bytes())
}
