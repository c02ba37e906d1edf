package dashboard

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"chitieu/indicators"
	"chitieu/reports"

	"github.com/labstack/echo/v4"
)

// Downloads of the Excel reports: the progress report of a plan (also of
// one task group), the data export (xlsx or CSV, also of one indicator)
// and the history of import batches and audit events. Each handler parses
// its query into a typed struct, builds the whole report into a temporary
// file — every query done — before the first byte, records the export in
// the audit trail, and only then sets the headers and streams the file
// under the request's context: a client that goes away stops the build or
// the copy, and the temporary file is removed either way.

// reportLangParam is the query parameter naming the report's language. It
// is not "lang", which switches the interface's language and would
// remember the report's in the user's cookie.
const reportLangParam = "language"

// setupReports makes the report builder on the store, which must also keep
// the record of exports.
func (s *Server) setupReports(cfg Config) error {
	src := cfg.Store
	s.exports = cfg.Store
	if cfg.ReportsDir != "" {
		if err := os.MkdirAll(cfg.ReportsDir, 0o700); err != nil {
			return fmt.Errorf("dashboard: reports folder: %w", err)
		}
	}
	b := reports.New(src)
	b.Now = s.now
	b.TempDir = cfg.ReportsDir
	s.reportBuilder = b
	n := cfg.ReportsAtOnce
	if n <= 0 {
		n = 2
	}
	s.reportSlots = make(chan struct{}, n)
	return nil
}

// progressParams is a progress report as asked for.
type progressParams struct {
	Plan     indicators.Plan
	Period   indicators.YearRange
	AsOf     time.Time // the end of the as-of day in Vietnam; zero means now
	Group    *int      // one task group; nil means all
	Language string
	Form     reports.Form // the official form's fields
}

// dataParams is a data export as asked for.
type dataParams struct {
	AsOf      time.Time // the end of the as-of day; zero means now
	Indicator string    // one indicator's code; "" means all
	Format    string    // reports.FormatXLSX or reports.FormatCSV
	Language  string
}

// auditParams is a batch and audit history as asked for.
type auditParams struct {
	From     time.Time // the start of the first day; zero means from the start
	To       time.Time // the end of the last day; zero means now
	Language string
}

// paramError is a refused query parameter, named in the message in both
// languages.
func paramError(name, vi, en string) error {
	return indicators.FieldError(indicators.EINVALID, name, "Tham số "+name+": "+vi, "Parameter "+name+": "+en)
}

// badParam names the parameter in a domain error about its value; other
// errors pass unchanged.
func badParam(name string, err error) error {
	var e *indicators.Error
	if !errors.As(err, &e) {
		return err
	}
	en := e.English
	if en == "" {
		en = e.Message
	}
	return paramError(name, e.Message, en)
}

func missingParam(name, vi, en string) error {
	return paramError(name, "cần chọn "+vi, en+" is required")
}

// queryDay reads an optional date parameter: the start of the day, or its
// end when end is set; zero when absent.
func queryDay(c echo.Context, name string, end bool) (time.Time, error) {
	v := strings.TrimSpace(c.QueryParam(name))
	if v == "" {
		return time.Time{}, nil
	}
	d, err := indicators.ParseDate(name, v)
	if err != nil {
		return time.Time{}, badParam(name, err)
	}
	if end {
		return indicators.EndOfDay(d), nil
	}
	return d, nil
}

// reportLanguage reads the report's language; without one the report
// speaks the interface's language.
func reportLanguage(c echo.Context) (string, error) {
	v := strings.TrimSpace(c.QueryParam(reportLangParam))
	if v == "" {
		return langOf(c), nil
	}
	if !validLang(v) {
		return "", paramError(reportLangParam, fmt.Sprintf("ngôn ngữ %q không có (vi hoặc en)", v),
			fmt.Sprintf("language %q is not offered (vi or en)", v))
	}
	return v, nil
}

// parseProgress reads ?plan= (an ID or a code one plan carries),
// ?period=YYYY-YYYY, and the optional ?asof=, ?group= and ?language=.
func (s *Server) parseProgress(c echo.Context) (progressParams, error) {
	ctx := c.Request().Context()
	var p progressParams
	ref := strings.TrimSpace(c.QueryParam("plan"))
	if ref == "" {
		return p, missingParam("plan", "kế hoạch", "the plan")
	}
	plans, err := s.plans(ctx)
	if err != nil {
		return p, err
	}
	if p.Plan, err = s.findPlan(ctx, plans, ref); err != nil {
		if indicators.ErrorCode(err) == indicators.ENOTFOUND {
			return p, paramError("plan", fmt.Sprintf("không có kế hoạch %q", ref), fmt.Sprintf("there is no plan %q", ref))
		}
		return p, badParam("plan", err)
	}
	period := strings.TrimSpace(c.QueryParam("period"))
	if period == "" {
		return p, missingParam("period", "giai đoạn (YYYY-YYYY)", "the period (YYYY-YYYY)")
	}
	if p.Period, err = indicators.ParseYearRange("period", period); err != nil {
		return p, badParam("period", err)
	}
	if p.AsOf, err = queryDay(c, "asof", true); err != nil {
		return p, err
	}
	if v := strings.TrimSpace(c.QueryParam("group")); v != "" {
		n, err := strconv.Atoi(v)
		groups, gerr := s.planGroups(ctx, p.Plan)
		if gerr != nil {
			return p, gerr
		}
		if err != nil || !slices.ContainsFunc(groups, func(g indicators.TaskGroup) bool { return g.Number == n }) {
			return p, paramError("group", fmt.Sprintf("kế hoạch %s không có nhóm nhiệm vụ %q", p.Plan.Code, v),
				fmt.Sprintf("plan %s has no task group %q", p.Plan.Code, v))
		}
		p.Group = &n
	}
	p.Form = formFields(c)
	if v := strings.TrimSpace(c.QueryParam("form_year")); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || !p.Period.Contains(y) {
			return p, paramError("form_year", fmt.Sprintf("năm %q không thuộc giai đoạn %s", v, p.Period),
				fmt.Sprintf("the year %q is not in the period %s", v, p.Period))
		}
		p.Form.Year = y
	}
	if d := p.Form.Date; d != "" {
		if _, err := indicators.ParseDate("form_date", d); err != nil {
			return p, badParam("form_date", err)
		}
	}
	p.Language, err = reportLanguage(c)
	return p, err
}

// formFields reads the official form's text fields (?form_number=,
// ?form_authority=, ?form_unit=, ?form_ref=, ?form_place=, ?form_date=,
// ?form_preparer=, ?form_head=); the year is read with the period.
func formFields(c echo.Context) reports.Form {
	q := func(name string) string { return strings.TrimSpace(c.QueryParam(name)) }
	return reports.Form{Number: q("form_number"), Authority: q("form_authority"), Unit: q("form_unit"),
		ReportRef: q("form_ref"), Place: q("form_place"), Date: q("form_date"), Preparer: q("form_preparer"), Head: q("form_head")}
}

// planGroups are the task groups a plan's targets are filed under: its
// own, or those of the plan it makes concrete, as in the progress report.
func (s *Server) planGroups(ctx context.Context, plan indicators.Plan) ([]indicators.TaskGroup, error) {
	groups, err := s.store.TaskGroups(ctx, plan.ID)
	if err != nil || len(groups) > 0 || plan.Parent == "" {
		return groups, err
	}
	return s.store.TaskGroups(ctx, plan.Parent)
}

// parseData reads the optional ?asof=, ?indicator=, ?format=xlsx|csv and
// ?language=.
func (s *Server) parseData(c echo.Context) (dataParams, error) {
	var p dataParams
	var err error
	if p.AsOf, err = queryDay(c, "asof", true); err != nil {
		return p, err
	}
	if code := strings.TrimSpace(c.QueryParam("indicator")); code != "" {
		ind, err := s.store.Indicator(c.Request().Context(), code)
		if indicators.ErrorCode(err) == indicators.ENOTFOUND {
			return p, paramError("indicator", fmt.Sprintf("không có chỉ tiêu %q", code), fmt.Sprintf("there is no indicator %q", code))
		}
		if err != nil {
			return p, err
		}
		p.Indicator = ind.Code
	}
	switch f := strings.ToLower(strings.TrimSpace(c.QueryParam("format"))); f {
	case "", reports.FormatXLSX:
		p.Format = reports.FormatXLSX
	case reports.FormatCSV:
		p.Format = reports.FormatCSV
	default:
		return p, paramError("format", fmt.Sprintf("định dạng %q không có (xlsx hoặc csv)", f),
			fmt.Sprintf("format %q is not offered (xlsx or csv)", f))
	}
	p.Language, err = reportLanguage(c)
	return p, err
}

// parseAudit reads the optional ?from= and ?to= days and ?language=.
func (s *Server) parseAudit(c echo.Context) (auditParams, error) {
	var p auditParams
	var err error
	if p.From, err = queryDay(c, "from", false); err != nil {
		return p, err
	}
	if p.To, err = queryDay(c, "to", true); err != nil {
		return p, err
	}
	if !p.From.IsZero() && !p.To.IsZero() && p.From.After(p.To) {
		return p, paramError("from", "ngày bắt đầu sau ngày kết thúc (to)", "the first day is after the last (to)")
	}
	if !p.From.IsZero() && p.From.After(s.now()) {
		return p, paramError("from", "ngày bắt đầu ở tương lai", "the first day is in the future")
	}
	p.Language, err = reportLanguage(c)
	return p, err
}

// dayParam writes a moment as the day parameter it came from; "" for zero.
func dayParam(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(indicators.Vietnam).Format(indicators.DateLayout)
}

// reportProgress sends the progress report of a plan and period, or of
// one of its task groups.
func (s *Server) reportProgress(c echo.Context) error {
	p, err := s.parseProgress(c)
	if err != nil {
		return s.refuseDownload(c, indicators.ExportProgress, err)
	}
	params := map[string]string{"plan": p.Plan.ID, "period": p.Period.String(), "asof": dayParam(p.AsOf),
		"language": p.Language}
	if p.Group != nil {
		params["group"] = strconv.Itoa(*p.Group)
	}
	f := p.Form
	for k, v := range map[string]string{"form_number": f.Number, "form_authority": f.Authority, "form_unit": f.Unit,
		"form_ref": f.ReportRef, "form_place": f.Place, "form_date": f.Date, "form_preparer": f.Preparer, "form_head": f.Head} {
		if v != "" {
			params[k] = v
		}
	}
	if f.Year != 0 {
		params["form_year"] = strconv.Itoa(f.Year)
	}
	return s.sendReport(c, indicators.ExportProgress, params, func(ctx context.Context) (*reports.File, error) {
		f, err := s.reportBuilder.Progress(ctx, reports.ProgressRequest{Plan: p.Plan.ID, Period: p.Period, AsOf: p.AsOf,
			Group: p.Group, Lang: p.Language, By: reporter(c), Form: p.Form})
		if err == nil && p.Group != nil {
			f.Name = withGroup(f.Name, p.Language, *p.Group)
		}
		return f, err
	})
}

// withGroup names the task group in a progress report's file name, before
// its as-of day: tien-do_PLAN_2021-2025_nhom-3_2025-12-31.xlsx.
func withGroup(name, lang string, group int) string {
	ext := path.Ext(name)
	base := strings.TrimSuffix(name, ext)
	part := pick(lang, "nhom-", "group-") + strconv.Itoa(group)
	if i := strings.LastIndex(base, "_"); i > 0 {
		return base[:i] + "_" + part + base[i:] + ext
	}
	return base + "_" + part + ext
}

// reportData sends every value with its provenance, as xlsx or CSV.
func (s *Server) reportData(c echo.Context) error {
	p, err := s.parseData(c)
	if err != nil {
		return s.refuseDownload(c, indicators.ExportData, err)
	}
	params := map[string]string{"asof": dayParam(p.AsOf), "indicator": p.Indicator, "format": p.Format, "language": p.Language}
	return s.sendReport(c, indicators.ExportData, params, func(ctx context.Context) (*reports.File, error) {
		return s.reportBuilder.Data(ctx, reports.DataRequest{AsOf: p.AsOf, Indicator: p.Indicator, Format: p.Format,
			Lang: p.Language, By: reporter(c)})
	})
}

// auditExport sends the import batches and audit events of a period.
func (s *Server) auditExport(c echo.Context) error {
	p, err := s.parseAudit(c)
	if err != nil {
		return s.refuseDownload(c, indicators.ExportAudit, err)
	}
	params := map[string]string{"from": dayParam(p.From), "to": dayParam(p.To), "language": p.Language}
	return s.sendReport(c, indicators.ExportAudit, params, func(ctx context.Context) (*reports.File, error) {
		return s.reportBuilder.Audit(ctx, reports.AuditRequest{From: p.From, To: p.To, Lang: p.Language, By: reporter(c)})
	})
}

// reporter is who a report names as its author: the user's full name and
// login name.
func reporter(c echo.Context) string {
	u, ok := currentUser(c)
	switch {
	case !ok:
		return ""
	case u.FullName != "":
		return u.FullName + " (" + u.Name + ")"
	}
	return u.Name
}

// statusClientGone is the status logged for a request whose client left
// before the answer began (nginx's convention); the client never sees it.
const statusClientGone = 499

// sendReport builds a report with build — waiting for a free slot, since a
// long export takes memory and a core — records it in the audit trail and
// streams it. Until the first byte an error still becomes an error page;
// once the file is on its way, a failure can only be logged.
func (s *Server) sendReport(c echo.Context, kind string, params map[string]string, build func(ctx context.Context) (*reports.File, error)) error {
	ctx := c.Request().Context()
	for k, v := range params {
		if v == "" {
			delete(params, k)
		}
	}
	select {
	case s.reportSlots <- struct{}{}:
	case <-ctx.Done():
		return s.clientGone(c, kind, ctx.Err())
	}
	f, err := func() (*reports.File, error) {
		defer func() { <-s.reportSlots }()
		return build(ctx)
	}()
	if err != nil {
		if ctx.Err() != nil {
			return s.clientGone(c, kind, err)
		}
		if indicators.ErrorCode(err) == indicators.EINVALID {
			return s.refuseDownload(c, kind, err)
		}
		return err
	}
	defer f.Close()
	format := reports.FormatXLSX
	if f.ContentType == reports.ContentTypeCSV {
		format = reports.FormatCSV
	}
	if err := s.exports.RecordExport(ctx, indicators.Export{Kind: kind, Params: params, File: f.Name, Format: format,
		Hash: f.Hash, Size: f.Size}); err != nil {
		if ctx.Err() != nil {
			return s.clientGone(c, kind, err)
		}
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, f.ContentType)
	h.Set(echo.HeaderContentDisposition, attachment(f.Name))
	h.Set(echo.HeaderContentLength, strconv.FormatInt(f.Size, 10))
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Report-Hash", f.Hash)
	c.Response().WriteHeader(http.StatusOK)
	if err := f.Send(ctx, c.Response()); err != nil {
		s.log.Info("report download stopped", "kind", kind, "file", f.Name, "size", f.Size, "err", err,
			"request_id", c.Get("request_id"), "user", c.Get("user_name"))
	}
	return nil
}

// clientGone ends a download whose client left before it began.
func (s *Server) clientGone(c echo.Context, kind string, err error) error {
	s.log.Info("report download cancelled before it began", "kind", kind, "err", err,
		"request_id", c.Get("request_id"), "user", c.Get("user_name"))
	return c.NoContent(statusClientGone)
}

// attachment is the Content-Disposition of a download named name: a plain
// ASCII filename for old clients, and when the name needs more, its UTF-8
// form in the filename* parameter as RFC 5987 and RFC 6266 write it,
// which browsers prefer.
func attachment(name string) string {
	plain := asciiName(name)
	v := `attachment; filename="` + plain + `"`
	if plain != name {
		v += "; filename*=UTF-8''" + rfc5987(name)
	}
	return v
}

// asciiName is name with Vietnamese letters folded to ASCII ("Báo cáo" →
// "Bao cao") and any other character that a quoted header value cannot
// carry replaced by "_".
func asciiName(name string) string {
	var b strings.Builder
	for _, r := range name {
		r = indicators.FoldRune(r)
		switch {
		case r < 0: // a combining mark, dropped by folding
		case r < 0x20 || r >= 0x7f || r == '"' || r == '\\' || r == '/' || r == '%':
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// rfc5987 percent-encodes the UTF-8 bytes of s except RFC 5987's attr-char.
func rfc5987(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// progressDownload is the address of the progress report of task group
// number in the state of a dashboard page, in the page's language.
func (st pageState) progressDownload(lang string, number int) string {
	return st.link("/reports/progress", "group", strconv.Itoa(number), reportLangParam, lang)
}

// dataDownload is the address of the data export of one indicator as of
// the page's day (now when the page names none), in format.
func (st pageState) dataDownload(lang, code, format string) string {
	q := url.Values{}
	q.Set("indicator", code)
	if st.AsOfSet {
		q.Set("asof", st.asOfDay())
	}
	q.Set("format", format)
	q.Set(reportLangParam, lang)
	return "/reports/data?" + q.Encode()
}
