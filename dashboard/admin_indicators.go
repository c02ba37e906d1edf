package dashboard

import (
	"net/http"
	"net/url"
	"strconv"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// Indicators, every field of them, for admins.

func indicatorValues(ind indicators.Indicator) formValues {
	return formValues{"code": ind.Code, "name_vi": ind.NameVI, "name_en": ind.NameEN, "unit": ind.Unit,
		"unit_en": ind.UnitEN, "decimals": strconv.Itoa(ind.Decimals), "direction": string(ind.Direction),
		"measure": string(ind.Measure), "rollup": string(ind.Rollup), "weight_by": ind.WeightBy,
		"lead_agency": ind.LeadAgency, "frequency": string(ind.Frequency), "group": strconv.Itoa(ind.Group),
		"note_vi": ind.NoteVI, "note_en": ind.NoteEN}
}

func parseIndicator(v formValues) (indicators.Indicator, error) {
	ind := indicators.Indicator{Code: v["code"], NameVI: v["name_vi"], NameEN: v["name_en"], Unit: v["unit"],
		UnitEN: v["unit_en"], Direction: indicators.Direction(v["direction"]), Measure: indicators.Measure(v["measure"]),
		Rollup: indicators.Rollup(v["rollup"]), WeightBy: v["weight_by"], LeadAgency: v["lead_agency"],
		Frequency: indicators.Frequency(v["frequency"]), NoteVI: v["note_vi"], NoteEN: v["note_en"]}
	var err error
	if ind.Decimals, err = v.integer("decimals"); err != nil {
		return ind, err
	}
	if ind.Group, err = v.integer("group"); err != nil {
		return ind, err
	}
	return ind, ind.Validate()
}

func (s *Server) indicatorForm(c echo.Context, action, submit string, edit bool, v formValues) (*adminForm, error) {
	lang := langOf(c)
	ctx := c.Request().Context()
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	units, err := s.store.Units(ctx)
	if err != nil {
		return nil, err
	}
	none := s.msgs.translate(lang, "admin.none")
	f := newForm(action, submit, s.csrfToken(c), v)
	f.ID = "indicator-form"
	f.add(formField{Name: "code", Label: "admin.indicator.code", Help: "admin.indicator.code_help", Required: true, ReadOnly: edit})
	f.add(formField{Name: "name_vi", Label: "admin.name_vi", Required: true, Wide: true})
	f.add(formField{Name: "name_en", Label: "admin.name_en", Wide: true})
	f.add(formField{Name: "unit", Label: "admin.indicator.unit", Help: "admin.indicator.unit_help", Required: true})
	f.add(formField{Name: "unit_en", Label: "admin.indicator.unit_en"})
	f.add(formField{Name: "decimals", Label: "admin.indicator.decimals", Kind: integerField})
	f.add(formField{Name: "direction", Label: "admin.direction", Kind: selectField,
		Options: s.options(lang, "direction.", "up", "down", "within")})
	f.add(formField{Name: "measure", Label: "admin.indicator.measure", Kind: selectField,
		Options: s.options(lang, "measure.", "level", "rate", "share", "growth_rate", "count")})
	f.add(formField{Name: "rollup", Label: "admin.indicator.rollup", Kind: selectField,
		Options: s.options(lang, "admin.rollup.", "sum", "weighted_mean", "none")})
	f.add(formField{Name: "weight_by", Label: "admin.indicator.weight_by", Help: "admin.indicator.weight_by_help",
		Kind: selectField, Options: withBlank(none, indicatorOptions(lang, inds))})
	f.add(formField{Name: "lead_agency", Label: "admin.lead_agency", Kind: selectField,
		Options: withBlank(none, agencyOptions(lang, units))})
	f.add(formField{Name: "frequency", Label: "admin.indicator.frequency", Kind: selectField,
		Options: s.options(lang, "admin.frequency.", "year", "half", "quarter", "month")})
	f.add(formField{Name: "group", Label: "admin.task_group", Help: "admin.indicator.group_help", Kind: integerField})
	f.add(formField{Name: "note_vi", Label: "admin.indicator.note_vi", Kind: areaField, Wide: true})
	f.add(formField{Name: "note_en", Label: "admin.indicator.note_en", Kind: areaField, Wide: true})
	return f, nil
}

// indicatorRow is an indicator in the list.
type indicatorRow struct {
	Link, Code, Name, Unit, Direction string
	Group, Targets                    int
}

type adminIndicatorsData struct {
	adminPage
	Indicators []indicatorRow
}

// adminIndicators lists the indicators.
func (s *Server) adminIndicators(c echo.Context) error {
	ctx := c.Request().Context()
	lang := langOf(c)
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		return err
	}
	targets, err := s.store.Targets(ctx, indicators.TargetFilter{})
	if err != nil {
		return err
	}
	count := map[string]int{}
	for _, t := range targets {
		count[t.Indicator]++
	}
	d := adminIndicatorsData{adminPage: s.newAdminPage(c, "admin.indicators.title")}
	for _, ind := range inds {
		d.Indicators = append(d.Indicators, indicatorRow{Link: "/admin/indicators/" + url.PathEscape(ind.Code),
			Code: ind.Code, Name: pick(lang, ind.NameVI, ind.NameEN), Unit: pick(lang, ind.Unit, ind.UnitEN),
			Direction: s.msgs.translate(lang, "direction."+string(ind.Direction)), Group: ind.Group, Targets: count[ind.Code]})
	}
	return s.render(c, http.StatusOK, "admin_indicators", d)
}

// adminIndicatorNew shows the form for a new indicator.
func (s *Server) adminIndicatorNew(c echo.Context) error {
	return s.showIndicatorNew(c, formValues{"decimals": "2", "direction": "up", "measure": "level", "rollup": "none",
		"frequency": "year", "group": "0"}, nil)
}

func (s *Server) showIndicatorNew(c echo.Context, v formValues, failure error) error {
	lang := langOf(c)
	f, err := s.indicatorForm(c, "/admin/indicators", "admin.create", false, v)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if failure != nil {
		if status, err = f.fail(lang, failure, nil); err != nil {
			return err
		}
	}
	d := adminFormData{adminPage: s.newAdminPage(c, "admin.indicators.new"), Form: f}
	d.crumb("/admin/indicators", s.msgs.translate(lang, "admin.indicators.title"))
	return s.render(c, status, "admin_form", d)
}

// adminIndicatorCreate stores a new indicator.
func (s *Server) adminIndicatorCreate(c echo.Context) error {
	v, err := readValues(c)
	if err != nil {
		return err
	}
	ind, err := parseIndicator(v)
	if err == nil {
		err = s.editor.CreateIndicator(c.Request().Context(), ind)
	}
	if err != nil {
		return s.showIndicatorNew(c, v, err)
	}
	return seeOther(c, "/admin/indicators/"+url.PathEscape(ind.Code), "admin.indicators.created")
}

type adminIndicatorData struct {
	adminPage
	Code            string
	Form            *adminForm
	Metadata        *adminForm // the metadata sheet (siêu dữ liệu)
	Targets         []targetItem
	NewTarget, View string
}

// adminIndicator shows an indicator's form and its targets in every plan.
func (s *Server) adminIndicator(c echo.Context) error {
	ind, err := s.store.Indicator(c.Request().Context(), pathParam(c, "code"))
	if err != nil {
		return err
	}
	return s.showIndicator(c, ind, indicatorValues(ind), nil)
}

func (s *Server) showIndicator(c echo.Context, ind indicators.Indicator, v formValues, failure error) error {
	return s.showIndicatorWith(c, ind, v, failure, nil, nil)
}

// showIndicatorWith draws the page with the indicator's form and its
// metadata form (mv: as typed, or nil for the stored sheet), each with
// the error of its last attempt.
func (s *Server) showIndicatorWith(c echo.Context, ind indicators.Indicator, v formValues, failure error,
	mv formValues, metaFailure error) error {
	ctx := c.Request().Context()
	lang := langOf(c)
	f, err := s.indicatorForm(c, "/admin/indicators/"+url.PathEscape(ind.Code), "admin.save", true, v)
	if err != nil {
		return err
	}
	if mv == nil {
		m, err := s.metadata.IndicatorMetadata(ctx, ind.Code)
		if err != nil {
			return err
		}
		mv = metadataValues(m)
	}
	mf := s.metadataForm(c, ind.Code, mv)
	status := http.StatusOK
	if failure != nil {
		if status, err = f.fail(lang, failure, nil); err != nil {
			return err
		}
	}
	if metaFailure != nil {
		if status, err = mf.fail(lang, metaFailure, nil); err != nil {
			return err
		}
	}
	d := adminIndicatorData{adminPage: s.newAdminPage(c, "admin.indicators.one", ind.Code), Code: ind.Code, Form: f, Metadata: mf,
		NewTarget: "/admin/targets/new?indicator=" + url.QueryEscape(ind.Code), View: "/indicators/" + url.PathEscape(ind.Code)}
	d.crumb("/admin/indicators", s.msgs.translate(lang, "admin.indicators.title"))
	plans, err := s.store.Plans(ctx)
	if err != nil {
		return err
	}
	codes := map[string]string{}
	for _, p := range plans {
		codes[p.ID] = p.Code
	}
	targets, err := s.store.Targets(ctx, indicators.TargetFilter{Indicator: ind.Code})
	if err != nil {
		return err
	}
	for _, t := range targets {
		d.Targets = append(d.Targets, s.targetItemOf(lang, t, ind, codes[t.Plan]))
	}
	return s.render(c, status, "admin_indicator", d)
}

// adminIndicatorUpdate changes an indicator; its code stays.
func (s *Server) adminIndicatorUpdate(c echo.Context) error {
	ctx := c.Request().Context()
	stored, err := s.store.Indicator(ctx, pathParam(c, "code"))
	if err != nil {
		return err
	}
	v, err := readValues(c)
	if err != nil {
		return err
	}
	v["code"] = stored.Code
	ind, err := parseIndicator(v)
	if err == nil {
		err = s.editor.UpdateIndicator(ctx, ind)
	}
	if err != nil {
		return s.showIndicator(c, stored, v, err)
	}
	return seeOther(c, "/admin/indicators/"+url.PathEscape(ind.Code), "admin.saved")
}
