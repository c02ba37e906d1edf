package dashboard

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"chitieu/indicators"
	"chitieu/reports"

	"github.com/labstack/echo/v4"
)

// The reports page holds one form per report, each a GET to its download
// route. A refused download draws the page again with the message at the
// form it came from and what was typed kept.

// progressForm, dataForm and auditForm are the forms' fields as typed.
type progressForm struct {
	Plan, Period, Group, AsOf, Language string
	Form                                reports.Form // the official form's fields
	FormYear                            string       // as typed
}

// HasForm reports whether any field of the official form is filled.
func (f progressForm) HasForm() bool { return f.Form != (reports.Form{}) || f.FormYear != "" }

type dataForm struct{ AsOf, Indicator, Format, Language string }
type auditForm struct{ From, To, Language string }

// formFault is why a form's download was refused, and the field at fault.
type formFault struct{ Field, Message string }

// option is one choice of a select.
type option struct {
	Value, Label string
	Selected     bool
}

type reportsData struct {
	Progress      progressForm
	ProgressFault *formFault
	Plans         []option
	Periods       []option
	Groups        []option // of the plan chosen

	Data       dataForm
	DataFault  *formFault
	Indicators []option
	Formats    []option

	Audit      auditForm
	AuditFault *formFault
	ShowAudit  bool // auditors and admins

	ProgressLanguages, DataLanguages, AuditLanguages []option
	Today                                            string // the latest day the date fields offer
	// Invalid marks the field at fault, as "progress.period".
	Invalid map[string]bool
}

// reportsPage shows the forms, filled from the dashboard's state (?plan=,
// ?period=, ?asof=) when the navigation carried it.
func (s *Server) reportsPage(c echo.Context) error {
	return s.showReports(c, http.StatusOK, "", nil)
}

// refuseDownload answers a download whose parameters were refused: a
// script (Accept: application/json) gets the error as JSON; a browser gets
// the reports page again, with the message beside the form of kind.
func (s *Server) refuseDownload(c echo.Context, kind string, err error) error {
	var e *indicators.Error
	if !errors.As(err, &e) || e.Code != indicators.EINVALID || wantsJSON(c) {
		return err
	}
	return s.showReports(c, http.StatusBadRequest, kind, e)
}

// showReports draws the page; after a refused download of kind, that
// form keeps the query as typed and shows fault.
func (s *Server) showReports(c echo.Context, status int, kind string, fault *indicators.Error) error {
	ctx := c.Request().Context()
	lang := langOf(c)
	plans, err := s.plans(ctx)
	if err != nil {
		return err
	}
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	d := reportsData{Today: dayParam(now), Invalid: map[string]bool{}}
	if u, ok := currentUser(c); ok {
		d.ShowAudit = slices.Contains(auditors.roles, u.Role)
	}

	// Defaults: the dashboard's state when it is valid, else its defaults;
	// the report in the interface's language.
	root, err := rootPlan(plans)
	if err != nil {
		return err
	}
	d.Progress = s.progressDefaults(c, plans, root, lang, now)
	d.Data = dataForm{AsOf: d.Progress.AsOf, Format: reports.FormatXLSX, Language: lang}
	d.Audit = auditForm{Language: lang}

	// After a refusal the form at fault shows what was typed.
	if fault != nil {
		s.keepRefusedForm(c, &d, plans, kind, fault)
	}

	d.Plans = reportPlanOptions(lang, plans, d.Progress.Plan)
	d.Periods = choices(periodValues(), d.Progress.Period, func(v string) string { return strings.Replace(v, "-", "–", 1) })
	if d.Groups, err = s.groupOptions(ctx, lang, plans, d.Progress.Plan, d.Progress.Group); err != nil {
		return err
	}
	d.Indicators = append(d.Indicators, option{Value: "", Label: s.msgs.translate(lang, "reports.all_indicators"),
		Selected: d.Data.Indicator == ""})
	for _, ind := range inds {
		d.Indicators = append(d.Indicators, option{Value: ind.Code, Label: ind.Code + " — " + pick(lang, ind.NameVI, ind.NameEN),
			Selected: strings.EqualFold(ind.Code, d.Data.Indicator)})
	}
	d.Formats = choices([]string{reports.FormatXLSX, reports.FormatCSV}, d.Data.Format, func(v string) string {
		return s.msgs.translate(lang, "reports.format_"+v)
	})
	langName := func(v string) string {
		if validLang(v) {
			return s.msgs.translate(lang, "reports.language_"+v)
		}
		return v
	}
	d.ProgressLanguages = choices(languages, d.Progress.Language, langName)
	d.DataLanguages = choices(languages, d.Data.Language, langName)
	d.AuditLanguages = choices(languages, d.Audit.Language, langName)
	return s.render(c, status, "reports", d)
}

// progressDefaults is the progress report's form before anything is typed:
// the dashboard's plan, period and date when they are valid, else the
// defaults; the report in the interface's language.
func (s *Server) progressDefaults(c echo.Context, plans []indicators.Plan, root indicators.Plan, lang string, now time.Time) progressForm {
	f := progressForm{Plan: root.ID, Period: defaultPeriod(indicators.EndOfDay(now)).String(), Language: lang}
	if ref := c.QueryParam("plan"); ref != "" {
		if p, err := s.findPlan(c.Request().Context(), plans, ref); err == nil {
			f.Plan = p.ID
		}
	}
	if r, err := indicators.ParseYearRange("period", c.QueryParam("period")); err == nil {
		f.Period = r.String()
	}
	if v := c.QueryParam("asof"); v != "" {
		if _, err := indicators.ParseDate("asof", v); err == nil {
			f.AsOf = v
		}
	}
	return f
}

// keepRefusedForm puts back the query as typed into the form of kind whose
// download was refused, with the fault beside the field.
func (s *Server) keepRefusedForm(c echo.Context, d *reportsData, plans []indicators.Plan, kind string, fault *indicators.Error) {
	lang := langOf(c)
	q := func(name string) string { return strings.TrimSpace(c.QueryParam(name)) }
	ff := &formFault{Field: fault.Field, Message: pick(lang, fault.Message, fault.English)}
	d.Invalid[kind+"."+fault.Field] = true
	switch kind {
	case indicators.ExportProgress:
		d.Progress = progressForm{Plan: q("plan"), Period: q("period"), Group: q("group"), AsOf: q("asof"),
			Language: q(reportLangParam), Form: formFields(c), FormYear: q("form_year")}
		if p, err := s.findPlan(c.Request().Context(), plans, d.Progress.Plan); err == nil {
			d.Progress.Plan = p.ID
		}
		d.ProgressFault = ff
	case indicators.ExportData:
		d.Data = dataForm{AsOf: q("asof"), Indicator: q("indicator"), Format: q("format"), Language: q(reportLangParam)}
		d.DataFault = ff
	case indicators.ExportAudit:
		d.Audit = auditForm{From: q("from"), To: q("to"), Language: q(reportLangParam)}
		d.AuditFault = ff
	}
}

// reportPlanOptions are the plans to choose from, sub-plans indented under
// their parent, labels cut to fit the select.
func reportPlanOptions(lang string, plans []indicators.Plan, selected string) []option {
	var out []option
	for _, p := range plans {
		label := p.Code + " — " + pick(lang, p.TitleVI, p.TitleEN)
		if p.Parent != "" {
			label = "\u00a0\u00a0· " + label
		}
		if len([]rune(label)) > 110 {
			label = string([]rune(label)[:108]) + "…"
		}
		out = append(out, option{Value: p.ID, Label: label, Selected: p.ID == selected})
	}
	return out
}

// groupOptions are the task groups of the chosen plan, after "all groups".
func (s *Server) groupOptions(ctx context.Context, lang string, plans []indicators.Plan, plan, group string) ([]option, error) {
	out := []option{{Value: "", Label: s.msgs.translate(lang, "reports.all_groups"), Selected: group == ""}}
	var (
		groups []indicators.TaskGroup
		err    error
	)
	for _, p := range plans {
		if p.ID == plan {
			if groups, err = s.planGroups(ctx, p); err != nil {
				return nil, err
			}
		}
	}
	var numbers []string
	names := map[string]string{}
	for _, g := range groups {
		n := strconv.Itoa(g.Number)
		numbers = append(numbers, n)
		names[n] = n + ". " + pick(lang, g.NameVI, g.NameEN)
	}
	out = append(out, choices(numbers, group, func(v string) string {
		if name, ok := names[v]; ok {
			return name
		}
		return v
	})...)
	return out, nil
}

// periodValues are the plan periods offered, as parameters.
func periodValues() []string {
	out := make([]string, len(planPeriods))
	for i, p := range planPeriods {
		out[i] = p.String()
	}
	return out
}

// choices makes the options of a select from values, label naming each;
// a value typed that is not among them is kept as one more option, so
// that a refused form shows what was sent.
func choices(values []string, selected string, label func(string) string) []option {
	var out []option
	found := false
	for _, v := range values {
		out = append(out, option{Value: v, Label: label(v), Selected: v == selected})
		found = found || v == selected
	}
	if !found && selected != "" {
		out = append(out, option{Value: selected, Label: label(selected), Selected: true})
	}
	return out
}
