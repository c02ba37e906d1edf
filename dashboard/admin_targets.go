package dashboard

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// Targets for admins: a new target entered by its text as the act writes
// it, the bound the parser reads from that text offered for confirmation;
// the target's page with its history of revisions; and revisions, which
// never overwrite what a target asked before.

// The bound of a target form is read from its text when the admin leaves
// the comparison (op) or the kind on "from the text": the server then
// fills them in with what the parser read and shows the form again for
// confirmation, storing nothing. With scripts, the page fills them in as
// the admin types (admin.js asks GET /admin/targets/parse), and the admin
// confirms by saving. A text the parser cannot read stays as written; the
// admin then chooses the comparison and types the bound, or marks the
// target as not quantified.

// opNone is how the target form names a bound that is not quantified.
const opNone = indicators.OpNoneText

// boundSuggestion is what the parser read from a target's text, ready for
// the form's fields, with a sentence saying so in the user's language.
type boundSuggestion struct {
	OK       bool   `json:"ok"`
	Kind     string `json:"kind"`
	Op       string `json:"op"`
	A        string `json:"a"`
	B        string `json:"b"`
	BaseYear string `json:"base_year"`
	Message  string `json:"message"`
}

// suggestBound reads text with the parser and fits the bound to the
// indicator's unit and to direction (the indicator's when empty).
func (s *Server) suggestBound(lang, text string, ind *indicators.Indicator, dir indicators.Direction) boundSuggestion {
	if strings.TrimSpace(text) == "" {
		return boundSuggestion{}
	}
	parsed, err := indicators.ParseTargetText(text)
	sg := boundSuggestion{Kind: string(parsed.Kind)}
	if err != nil || !parsed.Bound.Quantified() {
		// The parser's own reason ("«lần» mà không nói so với năm nào")
		// says what to enter by hand.
		sg.Message = s.msgs.translate(lang, "admin.target.unparsed")
		var e *indicators.Error
		if errors.As(err, &e) {
			sg.Message = pick(lang, e.Message, e.English) + ". " + s.msgs.translate(lang, "admin.target.unparsed_hint")
		}
		return sg
	}
	if parsed.BaseYear != 0 {
		sg.BaseYear = strconv.Itoa(parsed.BaseYear)
	}
	unit, decimals := "", 2
	if ind != nil {
		unit, decimals = ind.Unit, max(ind.Decimals, 2)
		if dir == "" {
			dir = ind.Direction
		}
	}
	b, converted := parsed.Fit(dir, unit)
	sg.OK, sg.Op, sg.A = true, string(b.Op), inputNumber(lang, b.A)
	if b.Op == indicators.OpRange {
		sg.B = inputNumber(lang, b.B)
	}
	shown := b.Format(lang, decimals)
	switch {
	case parsed.Kind == indicators.RelativeTarget:
		shown += " " + s.msgs.translate(lang, "admin.target.parsed_base", parsed.BaseYear)
	case ind != nil && converted:
		shown += " " + pick(lang, ind.Unit, ind.UnitEN)
	case parsed.Unit != "":
		shown += " " + parsed.Unit
	}
	sg.Message = s.msgs.translate(lang, "admin.target.parsed", shown, s.msgs.translate(lang, "kind."+sg.Kind))
	if parsed.Implicit {
		sg.Message += " " + s.msgs.translate(lang, "admin.target.parsed_implicit")
	}
	if ind != nil && !converted {
		sg.Message += " " + s.msgs.translate(lang, "admin.target.parsed_unit", parsed.Unit, ind.Unit)
	}
	sg.Message += " " + s.msgs.translate(lang, "admin.target.parsed_words", strings.Join(parsed.Words, "; "))
	return sg
}

// adminTargetParse answers the target form's script with what the parser
// reads from ?text=, fitted to ?indicator= and ?direction=.
func (s *Server) adminTargetParse(c echo.Context) error {
	var ind *indicators.Indicator
	if code := c.QueryParam("indicator"); code != "" {
		if x, err := s.store.Indicator(c.Request().Context(), code); err == nil {
			ind = &x
		}
	}
	text := c.QueryParam("text")
	if r := []rune(text); len(r) > 2000 {
		text = string(r[:2000])
	}
	return c.JSON(http.StatusOK, s.suggestBound(langOf(c), text, ind, indicators.Direction(c.QueryParam("direction"))))
}

// readRevision reads what a target asks from its form: text, kind, bound,
// direction, source and act. suggested is true when the kind or the bound
// was left to the text and has just been read from it into v: the form is
// then to be shown again for confirmation.
func (s *Server) readRevision(lang string, v formValues, ind *indicators.Indicator) (rev indicators.TargetRevision, suggested bool, err error) {
	rev = indicators.TargetRevision{Text: v["text"], Direction: indicators.Direction(v["direction"]), Source: v["source"],
		Act: v["act"], Reason: v["reason"]}
	if v["op"] == "" || v["kind"] == "" {
		sg := s.suggestBound(lang, rev.Text, ind, rev.Direction)
		if v["kind"] == "" {
			v["kind"] = sg.Kind
			if v["kind"] == "" {
				v["kind"] = string(indicators.LevelTarget)
			}
		}
		if v["op"] == "" {
			if !sg.OK {
				key := "admin.target.unparsed"
				if rev.Text == "" {
					key = "admin.target.no_text"
				}
				return rev, false, indicators.FieldError(indicators.EINVALID, "op",
					s.msgs.translate("vi", key), s.msgs.translate("en", key))
			}
			v["op"], v["a"], v["b"] = sg.Op, sg.A, sg.B
			if v["base_year"] == "" {
				v["base_year"] = sg.BaseYear
			}
		}
		suggested = true
	}
	rev.Kind = indicators.Kind(v["kind"])
	if rev.BaseYear, err = v.integer("base_year"); err != nil {
		return rev, suggested, err
	}
	if tol, ok, err := v.number(lang, "tolerance"); err != nil {
		return rev, suggested, err
	} else if ok {
		// Typed as a percentage ("10" for ±10 %), stored as a share.
		rev.Tolerance = tol / 100
	}
	if v["op"] != opNone {
		rev.Bound.Op = indicators.Op(v["op"])
		a, ok, err := v.number(lang, "a")
		if err != nil {
			return rev, suggested, err
		}
		if !ok {
			return rev, suggested, indicators.FieldError(indicators.EINVALID, "a", "thiếu cận A", "bound A is missing")
		}
		rev.Bound.A = a
		if rev.Bound.Op == indicators.OpRange {
			b, ok, err := v.number(lang, "b")
			if err != nil {
				return rev, suggested, err
			}
			if !ok {
				return rev, suggested, indicators.FieldError(indicators.EINVALID, "b", "khoảng cần cận B", "a range needs bound B")
			}
			rev.Bound.B = b
		}
	}
	if rev.ActDate, err = v.date("act_date"); err != nil {
		return rev, suggested, err
	}
	if rev.Effective, err = v.date("effective"); err != nil {
		return rev, suggested, err
	}
	return rev, suggested, nil
}

// boundFields adds the fields of what a target asks: its text with what
// the parser reads from it, the kind, the bound and the direction.
func (s *Server) boundFields(lang string, f *adminForm, ind *indicators.Indicator) {
	fromText := s.msgs.translate(lang, "admin.target.from_text")
	f.add(formField{Name: "text", Label: "admin.target.text", Help: "admin.target.text_help", Wide: true})
	parsed := f.add(formField{Name: "parsed", Label: "admin.target.parsed_label", Kind: parsedField, Wide: true})
	parsed.Value = s.suggestBound(lang, f.values["text"], ind, indicators.Direction(f.values["direction"])).Message
	f.add(formField{Name: "kind", Label: "admin.target.kind", Kind: selectField,
		Options: withBlank(fromText, s.options(lang, "kind.", "level", "relative", "avg_growth", "avg_change", "average", "annual",
			"cumulative", "milestone"))})
	f.add(formField{Name: "op", Label: "admin.target.op", Help: "admin.target.op_help", Kind: selectField,
		Options: withBlank(fromText, s.options(lang, "admin.op.", ">=", ">", "<=", "<", "about", "range", opNone))})
	f.add(formField{Name: "a", Label: "admin.target.a", Kind: numberField})
	f.add(formField{Name: "b", Label: "admin.target.b", Help: "admin.target.b_help", Kind: numberField})
	f.add(formField{Name: "base_year", Label: "admin.target.base_year", Help: "admin.target.base_year_help", Kind: integerField})
	f.add(formField{Name: "tolerance", Label: "admin.target.tolerance", Help: "admin.target.tolerance_help", Kind: numberField})
	f.add(formField{Name: "direction", Label: "admin.target.direction", Kind: selectField,
		Options: withBlank(s.msgs.translate(lang, "admin.target.direction_indicator"), s.options(lang, "direction.", "up", "down", "within"))})
	f.add(formField{Name: "source", Label: "admin.source", Help: "admin.source_help"})
}

// revisionBound writes what a revision asks: a relative target's bound as
// a ratio to its base year ("≤ 0,7 × năm 2020"), an about-bound with its
// own tolerance ("khoảng 215 triệu đồng (±10 %)").
func (s *Server) revisionBound(lang string, r indicators.TargetRevision, ind indicators.Indicator) string {
	if r.Kind == indicators.RelativeTarget && r.Bound.Quantified() {
		return r.Bound.Format(lang, 4) + " " + s.msgs.translate(lang, "admin.target.parsed_base", r.BaseYear)
	}
	out := boundText(lang, r.Bound, ind)
	if r.Bound.Op == indicators.OpAbout && r.Tolerance > 0 {
		out += " (±" + indicators.FormatTrim(r.Tolerance*100, 2, lang) + " %)"
	}
	return out
}

// revisionAliases place the domain's errors on a target form.
var revisionAliases = map[string]string{"bound": "a"}

// Creating a target.

type adminTargetNewData struct {
	adminPage
	Form *adminForm
}

func (s *Server) showTargetNew(c echo.Context, v formValues, failure error, notice string) error {
	ctx := c.Request().Context()
	lang := langOf(c)
	plans, err := s.store.Plans(ctx)
	if err != nil {
		return err
	}
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		return err
	}
	scopes, err := s.scopeOptions(ctx, lang)
	if err != nil {
		return err
	}
	tasks, err := s.store.Tasks(ctx, v["plan"])
	if err != nil {
		return err
	}
	units, err := s.store.Units(ctx)
	if err != nil {
		return err
	}
	var ind *indicators.Indicator
	for i := range inds {
		if inds[i].Code == v["indicator"] {
			ind = &inds[i]
		}
	}
	f := newForm("/admin/targets", "admin.create", s.csrfToken(c), v)
	f.ID = "target-form"
	f.Notice = notice
	f.add(formField{Name: "plan", Label: "admin.plan", Kind: selectField, Options: planOptions(lang, plans), Required: true})
	f.add(formField{Name: "indicator", Label: "admin.target.indicator", Kind: selectField, Required: true,
		Options: withBlank("", indicatorOptions(lang, inds))})
	f.add(formField{Name: "period", Label: "admin.target.period", Help: "admin.target.period_help", Required: true})
	f.add(formField{Name: "scope", Label: "admin.scope", Kind: selectField, Options: scopes})
	f.add(formField{Name: "unit", Label: "admin.target.unit", Help: "admin.target.unit_help", Kind: selectField,
		Options: withBlank(s.msgs.translate(lang, "admin.target.unit_whole"), shareUnitOptions(lang, units))})
	f.add(formField{Name: "group", Label: "admin.task_group", Kind: integerField})
	f.add(formField{Name: "task", Label: "admin.target.task", Help: "admin.target.task_help", Kind: selectField,
		Options: withBlank(s.msgs.translate(lang, "admin.none"), taskOptions(lang, tasks))})
	s.boundFields(lang, f, ind)
	f.add(formField{Name: "act", Label: "admin.target.act", Help: "admin.target.act_original_help"})
	f.add(formField{Name: "act_date", Label: "admin.target.act_date", Kind: dateField})
	f.add(formField{Name: "effective", Label: "admin.target.effective", Kind: dateField})
	status := http.StatusOK
	if failure != nil {
		if status, err = f.fail(lang, failure, revisionAliases); err != nil {
			return err
		}
	}
	d := adminTargetNewData{adminPage: s.newAdminPage(c, "admin.targets.new"), Form: f}
	d.crumb("/admin/plans", s.msgs.translate(lang, "admin.plans.title"))
	if p, err := s.store.Plan(ctx, v["plan"]); err == nil {
		d.crumb("/admin/plans/"+url.PathEscape(p.ID), p.Code)
	}
	return s.render(c, status, "admin_target_new", d)
}

// shareUnitOptions offers the units that may carry a share of a target:
// departments and the territorial units below the city.
func shareUnitOptions(lang string, units []indicators.Unit) []formOption {
	var out []formOption
	for _, u := range units {
		if u.Kind != indicators.City {
			out = append(out, formOption{Value: u.Code, Label: u.Code + " — " + pick(lang, u.NameVI, u.NameEN)})
		}
	}
	return out
}

func taskOptions(lang string, tasks []indicators.Task) []formOption {
	out := make([]formOption, len(tasks))
	for i, t := range tasks {
		out[i] = formOption{Value: t.Code, Label: t.Code + " — " + pick(lang, t.NameVI, t.NameEN)}
	}
	return out
}

// adminTargetNew shows the form for a new target of ?plan= and ?indicator=.
func (s *Server) adminTargetNew(c echo.Context) error {
	ctx := c.Request().Context()
	v := formValues{"plan": c.QueryParam("plan"), "indicator": c.QueryParam("indicator"), "group": "0"}
	plans, err := s.store.Plans(ctx)
	if err != nil {
		return err
	}
	var plan *indicators.Plan
	for i := range plans {
		if plans[i].ID == v["plan"] || plan == nil {
			plan = &plans[i]
		}
	}
	if plan != nil {
		v["plan"], v["scope"] = plan.ID, string(plan.Scope)
		if plan.HorizonFrom > 0 && plan.HorizonTo > 0 {
			v["period"] = strconv.Itoa(plan.HorizonFrom) + "-" + strconv.Itoa(plan.HorizonTo)
		}
	}
	if ind, err := s.store.Indicator(ctx, v["indicator"]); err == nil {
		v["group"] = strconv.Itoa(ind.Group)
	}
	return s.showTargetNew(c, v, nil, "")
}

// adminTargetCreate stores a new target, its bound as confirmed.
func (s *Server) adminTargetCreate(c echo.Context) error {
	ctx := c.Request().Context()
	lang := langOf(c)
	v, err := readValues(c)
	if err != nil {
		return err
	}
	t := indicators.Target{Plan: v["plan"], Indicator: v["indicator"], Scope: indicators.Scope(v["scope"]), Unit: v["unit"], Task: v["task"]}
	var ind *indicators.Indicator
	if x, err := s.store.Indicator(ctx, t.Indicator); err == nil {
		ind = &x
	}
	if ind == nil {
		return s.showTargetNew(c, v, indicators.FieldError(indicators.EINVALID, "indicator",
			"chọn chỉ tiêu của mục tiêu", "choose the target's indicator"), "")
	}
	if t.Period, err = indicators.ParseYearRange("period", v["period"]); err != nil {
		return s.showTargetNew(c, v, err, "")
	}
	if t.Group, err = v.integer("group"); err != nil {
		return s.showTargetNew(c, v, err, "")
	}
	rev, suggested, err := s.readRevision(lang, v, ind)
	if err != nil {
		return s.showTargetNew(c, v, err, "")
	}
	if suggested {
		return s.showTargetNew(c, v, nil, s.msgs.translate(lang, "admin.target.confirm"))
	}
	// The original of a target is set by its plan: its act and date
	// unless the form names others, in force from that date.
	if p, err := s.store.Plan(ctx, t.Plan); err == nil {
		if rev.Act == "" {
			rev.Act = p.Code
		}
		if rev.ActDate.IsZero() {
			rev.ActDate = p.Issued
		}
	}
	if rev.Effective.IsZero() {
		rev.Effective = rev.ActDate
	}
	t.TargetRevision = rev
	if err := t.Validate(); err != nil {
		return s.showTargetNew(c, v, err, "")
	}
	if err := s.editor.CreateTarget(ctx, &t); err != nil {
		return s.showTargetNew(c, v, err, "")
	}
	return seeOther(c, "/admin/targets/"+strconv.FormatInt(t.ID, 10), "admin.targets.created")
}

// A target's page: its revisions and the forms to file and revise it.

// revisionItem is one revision in the history.
type revisionItem struct {
	Seq                                                                                   int
	Text, Reading, Kind, Bound, Direction, Source, Act, ActDate, Effective, Reason, Entry string
	Original, InForce                                                                     bool
	Sources                                                                               []sourceLink
}

type adminTargetData struct {
	adminPage
	Indicator, IndicatorName, Period, Scope, Unit, PlanCode string
	IndicatorLink, ChartLink, PlanLink                      string
	Current                                                 revisionItem
	History                                                 []revisionItem
	Filing, Revise                                          *adminForm
}

// findTarget returns the target of the path, with its revisions.
func (s *Server) findTarget(c echo.Context) (indicators.Target, error) {
	id, err := strconv.ParseInt(c.Param("target"), 10, 64)
	if err != nil {
		return indicators.Target{}, indicators.FieldError(indicators.ENOTFOUND, "target",
			"không tìm thấy mục tiêu "+strconv.Quote(c.Param("target")), "target "+strconv.Quote(c.Param("target"))+" not found")
	}
	return s.editor.Target(c.Request().Context(), id)
}

// revisionValues are the revise form's first values: the target's text,
// direction and source as they stand, the kind and bound left to be read
// from the text, so that a changed text is never saved beside an old bound.
func revisionValues(t indicators.Target) formValues {
	return formValues{"text": t.Text, "direction": string(t.Direction), "source": t.Source}
}

func filingValues(t indicators.Target) formValues {
	return formValues{"group": strconv.Itoa(t.Group), "task": t.Task}
}

// adminTarget shows a target with its history and the forms to file it
// under another task group or task and to revise it.
func (s *Server) adminTarget(c echo.Context) error {
	t, err := s.findTarget(c)
	if err != nil {
		return err
	}
	return s.showTarget(c, t, filingValues(t), revisionValues(t), nil, nil, "")
}

func (s *Server) showTarget(c echo.Context, t indicators.Target, filing, revise formValues, filingErr, reviseErr error, notice string) error {
	ctx := c.Request().Context()
	lang := langOf(c)
	ind, err := s.store.Indicator(ctx, t.Indicator)
	if err != nil {
		return err
	}
	p, err := s.store.Plan(ctx, t.Plan)
	if err != nil {
		return err
	}
	tasks, err := s.store.Tasks(ctx, t.Plan)
	if err != nil {
		return err
	}
	base := "/admin/targets/" + strconv.FormatInt(t.ID, 10)
	d := adminTargetData{adminPage: s.newAdminPage(c, "admin.targets.one", t.Indicator, p.Code, t.Period.String()),
		Indicator: t.Indicator, IndicatorName: pick(lang, ind.NameVI, ind.NameEN), Period: t.Period.String(),
		Scope: s.scopeName(lang, t.Scope), PlanCode: p.Code, PlanLink: "/admin/plans/" + url.PathEscape(p.ID),
		IndicatorLink: "/admin/indicators/" + url.PathEscape(ind.Code),
		ChartLink:     "/indicators/" + url.PathEscape(ind.Code) + "?" + url.Values{"plan": {p.ID}, "period": {t.Period.String()}}.Encode()}
	d.crumb("/admin/plans", s.msgs.translate(lang, "admin.plans.title"))
	d.crumb(d.PlanLink, p.Code)
	if t.Unit != "" {
		d.Unit = t.Unit
		if u, err := s.store.Unit(ctx, t.Unit); err == nil {
			d.Unit = t.Unit + " — " + pick(lang, u.NameVI, u.NameEN)
		}
	}
	inForce, ok := indicators.InForce(t.Revisions, s.now())
	for _, r := range t.Revisions {
		item := revisionItem{Seq: r.Seq, Text: r.Text, Reading: indicators.TargetReading(r.Text),
			Kind: s.msgs.translate(lang, "kind."+string(r.Kind)), Bound: s.revisionBound(lang, r, ind), Source: r.Source, Act: r.Act, ActDate: formatDate(lang, r.ActDate),
			Effective: formatDate(lang, r.Effective), Reason: r.Reason, Original: r.Seq == 0, InForce: ok && r.Seq == inForce.Seq,
			Entry: strings.TrimSpace(indicators.AuthorName(r.EnteredBy, lang) + " · " + formatDateTime(lang, r.EnteredAt))}
		if item.Sources, err = s.sourceLinks(ctx, r.Source); err != nil {
			return err
		}
		if r.Direction != "" {
			item.Direction = s.msgs.translate(lang, "direction."+string(r.Direction))
		}
		d.History = append(d.History, item)
		if r.Seq == t.Seq {
			d.Current = item
		}
	}

	d.Filing = newForm(base, "admin.save", s.csrfToken(c), filing)
	d.Filing.ID = "filing-form"
	d.Filing.add(formField{Name: "group", Label: "admin.task_group", Kind: integerField})
	d.Filing.add(formField{Name: "task", Label: "admin.target.task", Help: "admin.target.task_help", Kind: selectField,
		Options: withBlank(s.msgs.translate(lang, "admin.none"), taskOptions(lang, tasks))})
	if filingErr != nil {
		status, err := d.Filing.fail(lang, filingErr, nil)
		if err != nil {
			return err
		}
		return s.drawTarget(c, status, d, t, ind, revise, nil, notice)
	}
	return s.drawTarget(c, http.StatusOK, d, t, ind, revise, reviseErr, notice)
}

// drawTarget adds the revise form to a target's page and draws it.
func (s *Server) drawTarget(c echo.Context, status int, d adminTargetData, t indicators.Target, ind indicators.Indicator,
	revise formValues, reviseErr error, notice string) error {
	lang := langOf(c)
	f := newForm("/admin/targets/"+strconv.FormatInt(t.ID, 10)+"/revise", "admin.target.revise_submit", s.csrfToken(c), revise)
	f.ID = "revise-form"
	f.Notice = notice
	s.boundFields(lang, f, &ind)
	f.add(formField{Name: "act", Label: "admin.target.act", Help: "admin.target.act_help", Required: true})
	f.add(formField{Name: "act_date", Label: "admin.target.act_date", Kind: dateField, Required: true})
	f.add(formField{Name: "effective", Label: "admin.target.effective", Help: "admin.target.effective_help", Kind: dateField, Required: true})
	f.add(formField{Name: "reason", Label: "admin.target.reason", Kind: areaField, Required: true, Wide: true})
	if reviseErr != nil {
		var err error
		if status, err = f.fail(lang, reviseErr, revisionAliases); err != nil {
			return err
		}
	}
	d.Revise = f
	return s.render(c, status, "admin_target", d)
}

// adminTargetUpdate files a target under another task group or task.
func (s *Server) adminTargetUpdate(c echo.Context) error {
	t, err := s.findTarget(c)
	if err != nil {
		return err
	}
	v, err := readValues(c)
	if err != nil {
		return err
	}
	changed := indicators.Target{ID: t.ID, Plan: t.Plan, Indicator: t.Indicator, Period: t.Period, Scope: t.Scope, Unit: t.Unit, Task: v["task"]}
	if changed.Group, err = v.integer("group"); err == nil {
		err = s.editor.UpdateTarget(c.Request().Context(), changed)
	}
	if err != nil {
		return s.showTarget(c, t, v, revisionValues(t), err, nil, "")
	}
	return seeOther(c, "/admin/targets/"+strconv.FormatInt(t.ID, 10), "admin.saved")
}

// adminTargetRevise appends a revision to a target: what it asked before
// stays in its history.
func (s *Server) adminTargetRevise(c echo.Context) error {
	ctx := c.Request().Context()
	lang := langOf(c)
	t, err := s.findTarget(c)
	if err != nil {
		return err
	}
	v, err := readValues(c)
	if err != nil {
		return err
	}
	ind, err := s.store.Indicator(ctx, t.Indicator)
	if err != nil {
		return err
	}
	rev, suggested, err := s.readRevision(lang, v, &ind)
	if err != nil {
		return s.showTarget(c, t, filingValues(t), v, nil, err, "")
	}
	if suggested {
		return s.showTarget(c, t, filingValues(t), v, nil, nil, s.msgs.translate(lang, "admin.target.confirm"))
	}
	rev.Seq = t.Seq + 1
	if err := rev.Validate(); err != nil {
		return s.showTarget(c, t, filingValues(t), v, nil, err, "")
	}
	if err := s.store.ReviseTarget(ctx, t.ID, rev); err != nil {
		return s.showTarget(c, t, filingValues(t), v, nil, err, "")
	}
	return seeOther(c, "/admin/targets/"+strconv.FormatInt(t.ID, 10), "admin.targets.revised")
}
