package dashboard

import (
	"net/http"
	"net/url"
	"strconv"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// Plans and their task groups, for admins.

// adminFormData is a page that shows one form: adding an item, or
// changing one that has nothing else to show.
type adminFormData struct {
	adminPage
	Intro string // in the user's language; may be empty
	Form  *adminForm
	// More is a second form of the page under its own heading MoreTitle
	// (a unit's official code), or nil.
	More      *adminForm
	MoreTitle string
}

// planValues writes a stored plan as its form shows it.
func planValues(p indicators.Plan) formValues {
	return formValues{"code": p.Code, "issued": inputDate(p.Issued), "issued_note": p.IssuedNote,
		"issuing_body": p.IssuingBody, "title_vi": p.TitleVI, "title_en": p.TitleEN,
		"horizon_from": inputInt(p.HorizonFrom, true), "horizon_to": inputInt(p.HorizonTo, true),
		"scope": string(p.Scope), "parent": p.Parent, "source": p.Source, "order": inputInt(p.Order, true)}
}

// parsePlan reads a plan from its form; the domain validates the rest.
func parsePlan(v formValues) (indicators.Plan, error) {
	p := indicators.Plan{Code: v["code"], IssuedNote: v["issued_note"], IssuingBody: v["issuing_body"],
		TitleVI: v["title_vi"], TitleEN: v["title_en"], Scope: indicators.Scope(v["scope"]), Parent: v["parent"],
		Source: v["source"]}
	var err error
	if p.Issued, err = v.date("issued"); err != nil {
		return p, err
	}
	if p.HorizonFrom, err = v.integer("horizon_from"); err != nil {
		return p, err
	}
	if p.HorizonTo, err = v.integer("horizon_to"); err != nil {
		return p, err
	}
	if p.Order, err = v.integer("order"); err != nil {
		return p, err
	}
	return p, p.Validate()
}

// planAliases place the domain's errors on the plan form.
var planAliases = map[string]string{"horizon": "horizon_from", "id": "code"}

// planForm builds the plan form; self is the ID of the plan being
// changed, left out of the parents offered.
func (s *Server) planForm(c echo.Context, action, submit, self string, v formValues) (*adminForm, error) {
	lang := langOf(c)
	ctx := c.Request().Context()
	plans, err := s.store.Plans(ctx)
	if err != nil {
		return nil, err
	}
	scopes, err := s.scopeOptions(ctx, lang)
	if err != nil {
		return nil, err
	}
	var parents []indicators.Plan
	for _, p := range plans {
		if p.ID != self {
			parents = append(parents, p)
		}
	}
	f := newForm(action, submit, s.csrfToken(c), v)
	f.ID = "plan-form"
	f.add(formField{Name: "code", Label: "admin.plan.code", Help: "admin.plan.code_help", Required: true})
	f.add(formField{Name: "issued", Label: "admin.plan.issued", Kind: dateField})
	f.add(formField{Name: "issued_note", Label: "admin.plan.issued_note", Help: "admin.plan.issued_note_help"})
	f.add(formField{Name: "issuing_body", Label: "admin.plan.issuing_body"})
	f.add(formField{Name: "title_vi", Label: "admin.plan.title_vi", Kind: areaField, Required: true, Wide: true})
	f.add(formField{Name: "title_en", Label: "admin.plan.title_en", Kind: areaField, Wide: true})
	f.add(formField{Name: "horizon_from", Label: "admin.plan.horizon_from", Kind: integerField})
	f.add(formField{Name: "horizon_to", Label: "admin.plan.horizon_to", Kind: integerField})
	f.add(formField{Name: "scope", Label: "admin.scope", Kind: selectField,
		Options: withBlank(s.msgs.translate(lang, "admin.none"), scopes)})
	f.add(formField{Name: "parent", Label: "admin.plan.parent", Help: "admin.plan.parent_help", Kind: selectField,
		Options: withBlank(s.msgs.translate(lang, "admin.none"), planOptions(lang, parents))})
	f.add(formField{Name: "source", Label: "admin.source", Help: "admin.source_help"})
	f.add(formField{Name: "order", Label: "admin.plan.order", Help: "admin.plan.order_help", Kind: integerField})
	return f, nil
}

// planRow is a plan in the list.
type planRow struct {
	Link, Code, Title, Issued, Horizon, Scope, Parent string
}

type adminPlansData struct {
	adminPage
	Plans []planRow
}

// adminPlans lists the plans.
func (s *Server) adminPlans(c echo.Context) error {
	lang := langOf(c)
	plans, err := s.store.Plans(c.Request().Context())
	if err != nil {
		return err
	}
	codes := map[string]string{}
	for _, p := range plans {
		codes[p.ID] = p.Code
	}
	d := adminPlansData{adminPage: s.newAdminPage(c, "admin.plans.title")}
	for _, p := range plans {
		r := planRow{Link: "/admin/plans/" + url.PathEscape(p.ID), Code: p.Code, Title: pick(lang, p.TitleVI, p.TitleEN),
			Issued: formatDate(lang, p.Issued), Scope: s.scopeName(lang, p.Scope), Parent: codes[p.Parent]}
		if p.Issued.IsZero() {
			r.Issued = p.IssuedNote
		}
		if p.HorizonFrom != 0 || p.HorizonTo != 0 {
			r.Horizon = inputInt(p.HorizonFrom, true) + "–" + inputInt(p.HorizonTo, true)
		}
		d.Plans = append(d.Plans, r)
	}
	return s.render(c, http.StatusOK, "admin_plans", d)
}

// adminPlanNew shows the form for a new plan.
func (s *Server) adminPlanNew(c echo.Context) error {
	return s.showPlanNew(c, formValues{"scope": string(indicators.OldCity)}, nil)
}

func (s *Server) showPlanNew(c echo.Context, v formValues, failure error) error {
	f, err := s.planForm(c, "/admin/plans", "admin.create", "", v)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if failure != nil {
		if status, err = f.fail(langOf(c), failure, planAliases); err != nil {
			return err
		}
	}
	d := adminFormData{adminPage: s.newAdminPage(c, "admin.plans.new"), Form: f}
	d.crumb("/admin/plans", s.msgs.translate(langOf(c), "admin.plans.title"))
	return s.render(c, status, "admin_form", d)
}

// adminPlanCreate stores a new plan.
func (s *Server) adminPlanCreate(c echo.Context) error {
	v, err := readValues(c)
	if err != nil {
		return err
	}
	p, err := parsePlan(v)
	if err != nil {
		return s.showPlanNew(c, v, err)
	}
	if err := s.editor.CreatePlan(c.Request().Context(), &p); err != nil {
		return s.showPlanNew(c, v, err)
	}
	return seeOther(c, "/admin/plans/"+url.PathEscape(p.ID), "admin.plans.created")
}

// groupRow, targetItem and taskItem are what a plan's page lists.
type groupRow struct {
	Number                  int
	Name, Scope, Link, View string
}

type targetItem struct {
	Link, Plan, Indicator, Name, Period, Scope, Text, Bound, Kind string
	Revisions                                                     int
}

type taskItem struct {
	Code, Name, Lead, Deadline, Link, Progress string
	Group                                      int
	Percent                                    *float64
}

type adminPlanData struct {
	adminPage
	Plan                                  indicators.Plan
	Form                                  *adminForm
	Groups                                []groupRow
	Targets                               []targetItem
	Tasks                                 []taskItem
	NewGroup, NewTarget, NewTask, Summary string
	Public                                bool // open to the public view
	PublicOptions                         indicators.PublicOptions
}

// adminPlan shows a plan's form with its task groups, targets and tasks.
func (s *Server) adminPlan(c echo.Context) error {
	p, err := s.store.Plan(c.Request().Context(), pathParam(c, "plan"))
	if err != nil {
		return err
	}
	return s.showPlan(c, p, planValues(p), nil)
}

func (s *Server) showPlan(c echo.Context, p indicators.Plan, v formValues, failure error) error {
	ctx := c.Request().Context()
	lang := langOf(c)
	base := "/admin/plans/" + url.PathEscape(p.ID)
	f, err := s.planForm(c, base, "admin.save", p.ID, v)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if failure != nil {
		if status, err = f.fail(lang, failure, planAliases); err != nil {
			return err
		}
	}
	d := adminPlanData{adminPage: s.newAdminPage(c, "admin.plans.one", p.Code), Plan: p, Form: f,
		NewGroup: base + "/groups/new", NewTarget: "/admin/targets/new?plan=" + url.QueryEscape(p.ID),
		NewTask: "/admin/tasks/new?plan=" + url.QueryEscape(p.ID), Summary: pick(lang, p.TitleVI, p.TitleEN)}
	d.crumb("/admin/plans", s.msgs.translate(lang, "admin.plans.title"))
	groups, err := s.store.TaskGroups(ctx, p.ID)
	if err != nil {
		return err
	}
	for _, g := range groups {
		d.Groups = append(d.Groups, groupRow{Number: g.Number, Name: pick(lang, g.NameVI, g.NameEN),
			Scope: pick(lang, g.ScopeVI, g.ScopeEN), Link: base + "/groups/" + strconv.Itoa(g.Number),
			View: "/groups/" + strconv.Itoa(g.Number) + "?plan=" + url.QueryEscape(p.ID)})
	}
	inds, err := s.indicatorsByCode(c)
	if err != nil {
		return err
	}
	targets, err := s.store.Targets(ctx, indicators.TargetFilter{Plan: p.ID})
	if err != nil {
		return err
	}
	for _, t := range targets {
		d.Targets = append(d.Targets, s.targetItemOf(lang, t, inds[t.Indicator], p.Code))
	}
	tasks, err := s.store.Tasks(ctx, p.ID)
	if err != nil {
		return err
	}
	units, err := s.unitNames(c.Request().Context(), lang)
	if err != nil {
		return err
	}
	for _, t := range tasks {
		d.Tasks = append(d.Tasks, taskItemOf(lang, t, units))
	}
	open, err := s.public.PublicPlans(ctx)
	if err != nil {
		return err
	}
	d.Public = open[p.ID]
	if d.PublicOptions, err = s.public.PublicOptions(ctx, p.ID); err != nil {
		return err
	}
	return s.render(c, status, "admin_plan", d)
}

// adminPlanUpdate changes a plan.
func (s *Server) adminPlanUpdate(c echo.Context) error {
	ctx := c.Request().Context()
	stored, err := s.store.Plan(ctx, pathParam(c, "plan"))
	if err != nil {
		return err
	}
	v, err := readValues(c)
	if err != nil {
		return err
	}
	p, err := parsePlan(v)
	if err != nil {
		return s.showPlan(c, stored, v, err)
	}
	p.ID = stored.ID
	if err := s.editor.UpdatePlan(ctx, p); err != nil {
		return s.showPlan(c, stored, v, err)
	}
	return seeOther(c, "/admin/plans/"+url.PathEscape(p.ID), "admin.saved")
}

// indicatorsByCode maps codes to indicators.
func (s *Server) indicatorsByCode(c echo.Context) (map[string]indicators.Indicator, error) {
	inds, err := s.store.Indicators(c.Request().Context())
	if err != nil {
		return nil, err
	}
	m := make(map[string]indicators.Indicator, len(inds))
	for _, ind := range inds {
		m[ind.Code] = ind
	}
	return m, nil
}

// targetItemOf is a target as lists show it: its latest revision.
func (s *Server) targetItemOf(lang string, t indicators.Target, ind indicators.Indicator, planCode string) targetItem {
	scope := s.scopeName(lang, t.Scope)
	if t.Unit != "" {
		// A unit's share of the target, not the city's own.
		scope += " · " + s.msgs.translate(lang, "admin.target.unit") + " " + t.Unit
	}
	return targetItem{Link: "/admin/targets/" + strconv.FormatInt(t.ID, 10), Plan: planCode, Indicator: t.Indicator,
		Name: pick(lang, ind.NameVI, ind.NameEN), Period: t.Period.String(), Scope: scope,
		Text: t.Text, Bound: s.revisionBound(lang, t.TargetRevision, ind), Kind: s.msgs.translate(lang, "kind."+string(t.Kind)),
		Revisions: len(t.Revisions)}
}

// boundText writes a bound with the indicator's unit: "≥ 80 %".
func boundText(lang string, b indicators.Bound, ind indicators.Indicator) string {
	out := b.Format(lang, max(ind.Decimals, 2))
	if b.Quantified() && ind.Unit != "" {
		out += " " + pick(lang, ind.Unit, ind.UnitEN)
	}
	return out
}

// taskItemOf is a task as lists show it.
func taskItemOf(lang string, t indicators.Task, units map[string]string) taskItem {
	lead := units[t.LeadAgency]
	if lead == "" {
		lead = t.LeadAgency
	}
	return taskItem{Code: t.Code, Name: pick(lang, t.NameVI, t.NameEN), Lead: lead, Deadline: formatDate(lang, t.Deadline),
		Group: t.Group, Percent: t.Percent, Link: "/admin/tasks/" + url.PathEscape(t.Code),
		Progress: "/tasks/" + url.PathEscape(t.Code)}
}

// Task groups.

func groupValues(g indicators.TaskGroup) formValues {
	return formValues{"number": strconv.Itoa(g.Number), "name_vi": g.NameVI, "name_en": g.NameEN,
		"scope_vi": g.ScopeVI, "scope_en": g.ScopeEN}
}

func parseGroup(plan string, v formValues) (indicators.TaskGroup, error) {
	g := indicators.TaskGroup{Plan: plan, NameVI: v["name_vi"], NameEN: v["name_en"], ScopeVI: v["scope_vi"], ScopeEN: v["scope_en"]}
	if v["number"] == "" {
		return g, indicators.FieldError(indicators.EINVALID, "number", "thiếu số thứ tự nhóm", "the group number is missing")
	}
	var err error
	if g.Number, err = v.integer("number"); err != nil {
		return g, err
	}
	return g, g.Validate()
}

func (s *Server) groupForm(c echo.Context, action, submit string, edit bool, v formValues) *adminForm {
	f := newForm(action, submit, s.csrfToken(c), v)
	f.ID = "group-form"
	f.add(formField{Name: "number", Label: "admin.group.number", Help: "admin.group.number_help", Kind: integerField,
		Required: true, ReadOnly: edit})
	f.add(formField{Name: "name_vi", Label: "admin.name_vi", Required: true, Wide: true})
	f.add(formField{Name: "name_en", Label: "admin.name_en", Wide: true})
	f.add(formField{Name: "scope_vi", Label: "admin.group.scope_vi", Kind: areaField, Wide: true})
	f.add(formField{Name: "scope_en", Label: "admin.group.scope_en", Kind: areaField, Wide: true})
	return f
}

// showGroupForm draws the form of a new (number < 0) or stored task group.
func (s *Server) showGroupForm(c echo.Context, p indicators.Plan, number int, v formValues, failure error) error {
	lang := langOf(c)
	base := "/admin/plans/" + url.PathEscape(p.ID)
	var f *adminForm
	var d adminFormData
	if number < 0 {
		f = s.groupForm(c, base+"/groups", "admin.create", false, v)
		d.adminPage = s.newAdminPage(c, "admin.groups.new", p.Code)
	} else {
		f = s.groupForm(c, base+"/groups/"+strconv.Itoa(number), "admin.save", true, v)
		d.adminPage = s.newAdminPage(c, "admin.groups.one", number, p.Code)
	}
	d.Form = f
	d.crumb("/admin/plans", s.msgs.translate(lang, "admin.plans.title"))
	d.crumb(base, p.Code)
	status := http.StatusOK
	if failure != nil {
		var err error
		if status, err = f.fail(lang, failure, nil); err != nil {
			return err
		}
	}
	return s.render(c, status, "admin_form", d)
}

// adminGroupNew shows the form for a new task group of a plan.
func (s *Server) adminGroupNew(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := s.store.Plan(ctx, pathParam(c, "plan"))
	if err != nil {
		return err
	}
	groups, err := s.store.TaskGroups(ctx, p.ID)
	if err != nil {
		return err
	}
	next := 0
	for _, g := range groups {
		next = max(next, g.Number+1)
	}
	return s.showGroupForm(c, p, -1, formValues{"number": strconv.Itoa(next)}, nil)
}

// adminGroupCreate stores a new task group.
func (s *Server) adminGroupCreate(c echo.Context) error {
	p, err := s.store.Plan(c.Request().Context(), pathParam(c, "plan"))
	if err != nil {
		return err
	}
	v, err := readValues(c)
	if err != nil {
		return err
	}
	g, err := parseGroup(p.ID, v)
	if err == nil {
		err = s.editor.CreateTaskGroup(c.Request().Context(), g)
	}
	if err != nil {
		return s.showGroupForm(c, p, -1, v, err)
	}
	return seeOther(c, "/admin/plans/"+url.PathEscape(p.ID), "admin.groups.created")
}

// findGroup returns task group number of the plan named in the path.
func (s *Server) findGroup(c echo.Context) (indicators.Plan, indicators.TaskGroup, error) {
	ctx := c.Request().Context()
	p, err := s.store.Plan(ctx, pathParam(c, "plan"))
	if err != nil {
		return p, indicators.TaskGroup{}, err
	}
	n, err := strconv.Atoi(c.Param("number"))
	if err == nil {
		groups, err := s.store.TaskGroups(ctx, p.ID)
		if err != nil {
			return p, indicators.TaskGroup{}, err
		}
		for _, g := range groups {
			if g.Number == n {
				return p, g, nil
			}
		}
	}
	return p, indicators.TaskGroup{}, indicators.FieldError(indicators.ENOTFOUND, "number",
		"không tìm thấy nhóm nhiệm vụ "+strconv.Quote(c.Param("number"))+" của kế hoạch "+p.Code,
		"task group "+strconv.Quote(c.Param("number"))+" of plan "+p.Code+" not found")
}

// adminGroup shows a task group's form.
func (s *Server) adminGroup(c echo.Context) error {
	p, g, err := s.findGroup(c)
	if err != nil {
		return err
	}
	return s.showGroupForm(c, p, g.Number, groupValues(g), nil)
}

// adminGroupUpdate changes a task group's names and scope; its number
// stays.
func (s *Server) adminGroupUpdate(c echo.Context) error {
	p, stored, err := s.findGroup(c)
	if err != nil {
		return err
	}
	v, err := readValues(c)
	if err != nil {
		return err
	}
	v["number"] = strconv.Itoa(stored.Number)
	g, err := parseGroup(p.ID, v)
	if err == nil {
		err = s.editor.UpdateTaskGroup(c.Request().Context(), g)
	}
	if err != nil {
		return s.showGroupForm(c, p, stored.Number, v, err)
	}
	return seeOther(c, "/admin/plans/"+url.PathEscape(p.ID), "admin.saved")
}
