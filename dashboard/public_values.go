package dashboard

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"chitieu/indicators"
	"chitieu/reports"

	"github.com/labstack/echo/v4"
)

// publicRule is the one rule of which values the public view shows: every
// public page, status and download asks it, so that it can change in one
// place (once submissions are approved, it will also ask that a value be
// approved). A value shows when it is in force (neither superseded nor
// rolled back) and official; an estimate only where the admin allows
// estimates for the plan.
type publicRule struct {
	estimates bool
}

// shows reports whether the public view may show v.
func (r publicRule) shows(v indicators.Value) bool {
	if v.Superseded || !v.RetractedAt.IsZero() {
		return false
	}
	return r.showsType(v.Type)
}

// showsType reports whether values of type t may be shown.
func (r publicRule) showsType(t indicators.ValueType) bool {
	return t == indicators.OfficialValue || r.estimates && t == indicators.EstimateValue
}

// showsStatus reports whether a status rests only on values the view
// shows, so that its verdict may be shown.
func (r publicRule) showsStatus(p indicators.Progress) bool {
	if p.RestsOnEstimate && !r.estimates {
		return false
	}
	for _, v := range p.ValuesUsed {
		if !r.showsType(v.Type) {
			return false
		}
	}
	return true
}

// publicRuleOf is the rule of a plan's public view, as the admin set its
// options.
func (s *Server) publicRuleOf(ctx context.Context, plan string) (publicRule, error) {
	o, err := s.public.PublicOptions(ctx, plan)
	return publicRule{estimates: o.Estimates}, err
}

// publicRow is one value of a public indicator, for its page and its
// downloads.
type publicRow struct {
	UnitCode, UnitName, Period, Type string
	Value                            float64
}

// publicRows are the values of an indicator the rule shows, in period
// order.
func (s *Server) publicRows(ctx context.Context, lang string, code string, rule publicRule) ([]publicRow, error) {
	values, err := s.store.Values(ctx, indicators.ValueFilter{Indicator: code})
	if err != nil {
		return nil, err
	}
	if values, err = s.publicFigures(ctx, values); err != nil {
		return nil, err
	}
	units, err := s.store.Units(ctx)
	if err != nil {
		return nil, err
	}
	unitName := map[string]string{}
	for _, u := range units {
		unitName[u.Code] = pick(lang, u.NameVI, u.NameEN)
	}
	sort.SliceStable(values, func(i, j int) bool { return values[i].Period.String() < values[j].Period.String() })
	var out []publicRow
	for _, v := range values {
		if rule.shows(v) {
			out = append(out, publicRow{UnitCode: v.Unit, UnitName: unitName[v.Unit], Period: v.Period.Label(lang),
				Type: s.msgs.translate(lang, "public.type."+string(v.Type)), Value: v.Value})
		}
	}
	return out, nil
}

// publicIndicatorDownload sends an indicator's public values as CSV or
// .xlsx, by the path's ending: the same rows as its page.
func (s *Server) publicIndicatorDownload(c echo.Context) error {
	p, ind, err := s.publicIndicatorOf(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	lang := langOf(c)
	rule, err := s.publicRuleOf(ctx, p.ID)
	if err != nil {
		return err
	}
	rows, err := s.publicRows(ctx, lang, ind.Code, rule)
	if err != nil {
		return err
	}
	header := []string{s.msgs.translate(lang, "public.indicator"), s.msgs.translate(lang, "public.unit_code"),
		s.msgs.translate(lang, "public.unit"), s.msgs.translate(lang, "public.period"), s.msgs.translate(lang, "public.type"),
		s.msgs.translate(lang, "public.value"), s.msgs.translate(lang, "indicator.unit")}
	measure := pick(lang, ind.Unit, ind.UnitEN)
	name := "chi-tieu-" + indicators.Slug(ind.Code)
	h := c.Response().Header()
	if strings.HasSuffix(c.Path(), ".xlsx") {
		table := make([][]any, len(rows))
		for i, r := range rows {
			table[i] = []any{ind.Code, r.UnitCode, r.UnitName, r.Period, r.Type, r.Value, measure}
		}
		var buf bytes.Buffer
		if err := reports.WriteTable(&buf, ind.Code, header, table); err != nil {
			return err
		}
		h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s.xlsx"`, name))
		return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
	}
	var buf bytes.Buffer
	buf.WriteString("\uFEFF") // Excel reads the file as UTF-8
	w := csv.NewWriter(&buf)
	w.Write(header)
	for _, r := range rows {
		w.Write([]string{csvText(ind.Code), csvText(r.UnitCode), csvText(r.UnitName), csvText(r.Period), csvText(r.Type),
			indicators.CellNumber(r.Value), csvText(measure)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("dashboard: public csv: %w", err)
	}
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s.csv"`, name))
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// csvText keeps a text a spreadsheet would take for a formula as text.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// publicIndicatorOf finds the indicator of the path among those the
// public page of an open plan lists (the plan's targets, and those of the
// plans under it that the page shows), or answers 404.
func (s *Server) publicIndicatorOf(c echo.Context) (indicators.Plan, indicators.Indicator, error) {
	p, err := s.publicPlan(c)
	if err != nil {
		return p, indicators.Indicator{}, err
	}
	ctx := c.Request().Context()
	d, err := s.publicPlanData(ctx, langOf(c), p, allGroups)
	if err != nil {
		return p, indicators.Indicator{}, err
	}
	code := pathParam(c, "code")
	for _, t := range d.Targets {
		if t.IndicatorURL == publicIndicatorURL(p.ID, code) {
			ind, err := s.store.Indicator(ctx, code)
			return p, ind, err
		}
	}
	return p, indicators.Indicator{}, indicators.FieldError(indicators.ENOTFOUND, "indicator",
		"chỉ tiêu không thuộc kế hoạch này", "the indicator is not in this plan")
}

// publicIndicatorURL is the public page of an indicator of a plan.
func publicIndicatorURL(plan, code string) string {
	return "/public/plans/" + url.PathEscape(plan) + "/indicators/" + url.PathEscape(code)
}
