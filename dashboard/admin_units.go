package dashboard

import (
	"net/http"
	"net/url"
	"strings"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// Territorial units and reporting agencies, with their validity dates, for
// admins.

func unitValues(u indicators.Unit) formValues {
	return formValues{"code": u.Code, "name_vi": u.NameVI, "name_en": u.NameEN, "kind": string(u.Kind), "type": u.Type,
		"parent": u.Parent, "scope": string(u.Scope), "valid_from": inputDate(u.ValidFrom), "valid_to": inputDate(u.ValidTo),
		"source": u.Source}
}

func parseUnit(v formValues) (indicators.Unit, error) {
	u := indicators.Unit{Code: v["code"], NameVI: v["name_vi"], NameEN: v["name_en"], Kind: indicators.UnitKind(v["kind"]),
		Type: v["type"], Parent: v["parent"], Scope: indicators.Scope(v["scope"]), Source: v["source"]}
	var err error
	if u.ValidFrom, err = v.date("valid_from"); err != nil {
		return u, err
	}
	if u.ValidTo, err = v.date("valid_to"); err != nil {
		return u, err
	}
	return u, u.Validate()
}

func (s *Server) unitForm(c echo.Context, action, submit string, edit bool, v formValues) (*adminForm, error) {
	lang := langOf(c)
	ctx := c.Request().Context()
	units, err := s.store.Units(ctx)
	if err != nil {
		return nil, err
	}
	scopes, err := s.scopeOptions(ctx, lang)
	if err != nil {
		return nil, err
	}
	var parents []formOption
	for _, u := range units {
		if u.Code != v["code"] || !edit {
			parents = append(parents, formOption{Value: u.Code, Label: u.Code + " — " + pick(lang, u.NameVI, u.NameEN)})
		}
	}
	none := s.msgs.translate(lang, "admin.none")
	f := newForm(action, submit, s.csrfToken(c), v)
	f.ID = "unit-form"
	f.add(formField{Name: "code", Label: "admin.unit.code", Help: "admin.unit.code_help", Required: true, ReadOnly: edit})
	f.add(formField{Name: "name_vi", Label: "admin.name_vi", Required: true, Wide: true})
	f.add(formField{Name: "name_en", Label: "admin.name_en", Wide: true})
	f.add(formField{Name: "kind", Label: "admin.unit.kind", Kind: selectField,
		Options: s.options(lang, "unitkind.", "city", "district", "commune", "agency")})
	f.add(formField{Name: "type", Label: "admin.unit.type", Help: "admin.unit.type_help"})
	f.add(formField{Name: "parent", Label: "admin.unit.parent", Kind: selectField, Options: withBlank(none, parents)})
	f.add(formField{Name: "scope", Label: "admin.scope", Help: "admin.unit.scope_help", Kind: selectField,
		Options: withBlank(none, scopes)})
	f.add(formField{Name: "valid_from", Label: "admin.unit.valid_from", Kind: dateField})
	f.add(formField{Name: "valid_to", Label: "admin.unit.valid_to", Help: "admin.unit.valid_to_help", Kind: dateField})
	f.add(formField{Name: "source", Label: "admin.source", Help: "admin.source_help"})
	return f, nil
}

// adminUnitRow is a unit in the admin list.
type adminUnitRow struct {
	Link, Code, Name, Kind, Parent, Scope, From, To string
}

type adminUnitsData struct {
	adminPage
	Units []adminUnitRow
}

// adminUnits lists the units with their validity.
func (s *Server) adminUnits(c echo.Context) error {
	lang := langOf(c)
	units, err := s.store.Units(c.Request().Context())
	if err != nil {
		return err
	}
	d := adminUnitsData{adminPage: s.newAdminPage(c, "admin.units.title")}
	for _, u := range units {
		d.Units = append(d.Units, adminUnitRow{Link: "/admin/units/" + url.PathEscape(u.Code), Code: u.Code,
			Name: pick(lang, u.NameVI, u.NameEN), Kind: s.msgs.translate(lang, "unitkind."+string(u.Kind)), Parent: u.Parent,
			Scope: s.scopeName(lang, u.Scope), From: formatDate(lang, u.ValidFrom), To: formatDate(lang, u.ValidTo)})
	}
	return s.render(c, http.StatusOK, "admin_units", d)
}

// showUnitForm draws the form of a new unit (stored empty) or of a stored
// one.
func (s *Server) showUnitForm(c echo.Context, stored string, v formValues, failure error) error {
	return s.showUnitPage(c, stored, v, failure, nil, nil)
}

// showUnitPage draws a unit's page: its form and, for a stored unit, the
// form of its official code (code: what was typed there; nil shows the
// stored one).
func (s *Server) showUnitPage(c echo.Context, stored string, v formValues, failure error, code *string, codeFailure error) error {
	lang := langOf(c)
	action, submit, title := "/admin/units", "admin.create", "admin.units.new"
	if stored != "" {
		action, submit, title = "/admin/units/"+url.PathEscape(stored), "admin.save", "admin.units.one"
	}
	f, err := s.unitForm(c, action, submit, stored != "", v)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if failure != nil {
		if status, err = f.fail(lang, failure, nil); err != nil {
			return err
		}
	}
	d := adminFormData{adminPage: s.newAdminPage(c, title), Form: f}
	if stored != "" {
		d.adminPage = s.newAdminPage(c, title, stored)
		d.Intro = s.msgs.translate(lang, "admin.units.history")
		if d.More, err = s.unitCodeForm(c, stored, code); err != nil {
			return err
		}
		d.MoreTitle = s.msgs.translate(lang, "admin.unit.official_code")
		if codeFailure != nil {
			if status, err = d.More.fail(lang, codeFailure, nil); err != nil {
				return err
			}
		}
	}
	d.crumb("/admin/units", s.msgs.translate(lang, "admin.units.title"))
	return s.render(c, status, "admin_form", d)
}

// adminUnitNew shows the form for a new unit.
func (s *Server) adminUnitNew(c echo.Context) error {
	return s.showUnitForm(c, "", formValues{"kind": "commune", "scope": string(indicators.MergedCity)}, nil)
}

// adminUnitCreate stores a new unit.
func (s *Server) adminUnitCreate(c echo.Context) error {
	v, err := readValues(c)
	if err != nil {
		return err
	}
	u, err := parseUnit(v)
	if err == nil {
		err = s.editor.CreateUnit(c.Request().Context(), u)
	}
	if err != nil {
		return s.showUnitForm(c, "", v, err)
	}
	return seeOther(c, "/admin/units/"+url.PathEscape(u.Code), "admin.units.created")
}

// adminUnit shows a unit's form.
func (s *Server) adminUnit(c echo.Context) error {
	u, err := s.store.Unit(c.Request().Context(), pathParam(c, "unit"))
	if err != nil {
		return err
	}
	return s.showUnitForm(c, u.Code, unitValues(u), nil)
}

// adminUnitUpdate changes a unit, its validity dates included; its code
// stays.
func (s *Server) adminUnitUpdate(c echo.Context) error {
	ctx := c.Request().Context()
	stored, err := s.store.Unit(ctx, pathParam(c, "unit"))
	if err != nil {
		return err
	}
	v, err := readValues(c)
	if err != nil {
		return err
	}
	v["code"] = stored.Code
	u, err := parseUnit(v)
	if err == nil {
		err = s.editor.UpdateUnit(ctx, u)
	}
	if err != nil {
		return s.showUnitForm(c, stored.Code, v, err)
	}
	return seeOther(c, "/admin/units/"+url.PathEscape(u.Code), "admin.saved")
}

// unitCodeForm is the form of a stored unit's official code, holding code
// or, when nil, the code stored.
func (s *Server) unitCodeForm(c echo.Context, unit string, code *string) (*adminForm, error) {
	if code == nil {
		u, err := s.store.Unit(c.Request().Context(), unit)
		if err != nil {
			return nil, err
		}
		code = &u.OfficialCode
	}
	f := newForm("/admin/units/"+url.PathEscape(unit)+"/official-code", "admin.save", s.csrfToken(c),
		formValues{"official_code": *code})
	f.ID = "unit-code-form"
	f.add(formField{Name: "official_code", Label: "admin.unit.official_code", Help: "admin.unit.official_code_help"})
	return f, nil
}

// adminUnitOfficialCode sets or clears a unit's official code (audited as
// unit.official_code): digits, and no other unit's.
func (s *Server) adminUnitOfficialCode(c echo.Context) error {
	ctx := c.Request().Context()
	u, err := s.store.Unit(ctx, pathParam(c, "unit"))
	if err != nil {
		return err
	}
	v, err := readValues(c)
	if err != nil {
		return err
	}
	code := strings.TrimSpace(v["official_code"])
	if err := s.editor.SetUnitOfficialCode(ctx, u.Code, code); err != nil {
		return s.showUnitPage(c, u.Code, unitValues(u), nil, &code, err)
	}
	return seeOther(c, "/admin/units/"+url.PathEscape(u.Code), "admin.unit.official_code_saved")
}
