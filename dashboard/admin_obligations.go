package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// A plan's reporting obligations and cut-off rules, for admins: which
// unit reports which indicators at which frequency, and the plan's changes
// to the Decree 09/2019 windows and deadlines. Every write is audited by
// the store. The built-in catalogue's obligations are proposed from its
// own lead agencies (indicators.SuggestObligations), never invented.

// obligationRow is an obligation as the page lists it, with its forms.
type obligationRow struct {
	ID                         int64
	Unit, UnitName, Frequency  string
	Figures, Indicators, Owned string
	FromYear                   string
	Action, Delete             string
}

// cutoffRow is a frequency's rule, with the window it draws for an example
// period.
type cutoffRow struct {
	Frequency, Label       string
	CutoffDay, DeadlineDay int
	Changed                bool
	Example                string
}

type adminObligationsData struct {
	adminPage
	Plan        indicators.Plan
	Rows        []obligationRow
	Cutoffs     []cutoffRow
	Units       []formOption
	Frequencies []formOption
	Unowned     []string
	Add         formValues // the add form as typed
	Base        string
	Calendar    string
}

// parseCodes reads indicator codes typed with commas, semicolons or
// spaces between them.
func parseCodes(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\t' }) {
		out = append(out, strings.ToUpper(strings.TrimSpace(f)))
	}
	return out
}

func obligationFrom(plan string, v formValues) (indicators.Obligation, error) {
	o := indicators.Obligation{Plan: plan, Unit: strings.ToUpper(strings.TrimSpace(v["unit"])),
		Frequency: indicators.Frequency(v["frequency"]), Figures: strings.ToUpper(strings.TrimSpace(v["figures"])),
		Indicators: parseCodes(v["indicators"])}
	var err error
	o.FromYear, err = v.integer("from_year")
	return o, err
}

// newObligationValues is the add form as first shown: yearly, owed from
// this year.
func (s *Server) newObligationValues() formValues {
	return formValues{"frequency": string(indicators.Yearly), "from_year": strconv.Itoa(s.now().In(indicators.Vietnam).Year())}
}

func (s *Server) adminObligations(c echo.Context) error {
	p, err := s.store.Plan(c.Request().Context(), pathParam(c, "plan"))
	if err != nil {
		return err
	}
	return s.showObligations(c, p, s.newObligationValues(), nil)
}

func (s *Server) showObligations(c echo.Context, p indicators.Plan, add formValues, failure error) error {
	ctx := c.Request().Context()
	lang := langOf(c)
	base := "/admin/plans/" + url.PathEscape(p.ID) + "/obligations"
	d := adminObligationsData{adminPage: s.newAdminPage(c, "admin.obligations.title", p.Code), Plan: p, Add: add, Base: base,
		Calendar: "/calendar?plan=" + url.QueryEscape(p.ID)}
	d.crumb("/admin/plans", s.msgs.translate(lang, "admin.plans.title"))
	d.crumb("/admin/plans/"+url.PathEscape(p.ID), p.Code)
	if k := c.QueryParam("done"); strings.HasPrefix(k, "admin.obligations.") && s.msgs.has(k) {
		d.Notice = s.msgs.translate(lang, k)
	}
	status := http.StatusOK
	if failure != nil {
		de, msg, ok := domainError(lang, failure)
		if !ok || de.Code == indicators.ENOTFOUND && de.Field != "unit" {
			return failure
		}
		d.Error, status = msg, http.StatusUnprocessableEntity
		if de.Code == indicators.ECONFLICT {
			status = http.StatusConflict
		}
	}
	units, err := s.store.Units(ctx)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, u := range units {
		names[u.Code] = pick(lang, u.NameVI, u.NameEN)
		d.Units = append(d.Units, formOption{Value: u.Code, Label: u.Code + " — " + names[u.Code]})
	}
	for _, f := range indicators.Frequencies {
		d.Frequencies = append(d.Frequencies, formOption{Value: string(f), Label: s.msgs.translate(lang, "admin.frequency."+string(f))})
	}
	obs, err := s.store.Obligations(ctx, indicators.ObligationFilter{Plan: p.ID})
	if err != nil {
		return err
	}
	owned := map[string]bool{}
	for _, o := range obs {
		for _, code := range o.Indicators {
			owned[code] = true
		}
		d.Rows = append(d.Rows, obligationRow{ID: o.ID, Unit: o.Unit, UnitName: names[o.Unit], Frequency: string(o.Frequency),
			Figures: o.Figures, Indicators: strings.Join(o.Indicators, ", "), FromYear: inputInt(o.FromYear, true),
			Action: base + "/" + strconv.FormatInt(o.ID, 10), Delete: base + "/" + strconv.FormatInt(o.ID, 10) + "/delete"})
	}
	targets, err := s.planFamilyTargets(ctx, p.ID)
	if err != nil {
		return err
	}
	for _, t := range targets {
		if !owned[t.Indicator] && !slices.Contains(d.Unowned, t.Indicator) {
			d.Unowned = append(d.Unowned, t.Indicator)
		}
	}
	slices.Sort(d.Unowned)
	schedules, err := s.store.Schedules(ctx)
	if err != nil {
		return err
	}
	year := s.now().In(indicators.Vietnam).Year()
	for _, f := range indicators.Frequencies {
		r := schedules[p.ID].Rule(f)
		w := r.Window(indicators.PeriodsOf(f, year)[0])
		d.Cutoffs = append(d.Cutoffs, cutoffRow{Frequency: string(f), Label: s.msgs.translate(lang, "admin.frequency."+string(f)),
			CutoffDay: r.CutoffDay, DeadlineDay: r.DeadlineDays, Changed: r != indicators.DefaultCutoff(f),
			Example: s.msgs.translate(lang, "admin.obligations.example", w.Period.Label(lang), formatDate(lang, w.From),
				formatDate(lang, w.To), formatDate(lang, w.Deadline))})
	}
	return s.render(c, status, "admin_obligations", d)
}

// adminObligationAdd stores a new obligation of the plan.
func (s *Server) adminObligationAdd(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := s.store.Plan(ctx, pathParam(c, "plan"))
	if err != nil {
		return err
	}
	v, err := readValues(c)
	if err != nil {
		return err
	}
	o, err := obligationFrom(p.ID, v)
	if err == nil {
		err = s.store.AddObligation(ctx, &o)
	}
	if err != nil {
		return s.showObligations(c, p, v, err)
	}
	return seeOther(c, "/admin/plans/"+url.PathEscape(p.ID)+"/obligations", "admin.obligations.added")
}

// obligationOf reads the :id of an obligation of the plan.
func (s *Server) obligationOf(c echo.Context, plan string) (indicators.Obligation, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err == nil {
		obs, err := s.store.Obligations(c.Request().Context(), indicators.ObligationFilter{Plan: plan})
		if err != nil {
			return indicators.Obligation{}, err
		}
		for _, o := range obs {
			if o.ID == id {
				return o, nil
			}
		}
	}
	return indicators.Obligation{}, indicators.FieldError(indicators.ENOTFOUND, "obligation",
		fmt.Sprintf("không có nghĩa vụ báo cáo %q trong kế hoạch", c.Param("id")),
		fmt.Sprintf("the plan has no obligation %q", c.Param("id")))
}

// adminObligationUpdate changes an obligation's frequency, figures unit
// or indicators.
func (s *Server) adminObligationUpdate(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := s.store.Plan(ctx, pathParam(c, "plan"))
	if err != nil {
		return err
	}
	stored, err := s.obligationOf(c, p.ID)
	if err != nil {
		return err
	}
	v, err := readValues(c)
	if err != nil {
		return err
	}
	o, err := obligationFrom(p.ID, v)
	o.ID, o.Unit = stored.ID, stored.Unit
	if err == nil {
		err = s.store.UpdateObligation(ctx, o)
	}
	if err != nil {
		return s.showObligations(c, p, s.newObligationValues(), err)
	}
	return seeOther(c, "/admin/plans/"+url.PathEscape(p.ID)+"/obligations", "admin.obligations.saved")
}

// adminObligationRemove deletes an obligation; the figures stay.
func (s *Server) adminObligationRemove(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := s.store.Plan(ctx, pathParam(c, "plan"))
	if err != nil {
		return err
	}
	o, err := s.obligationOf(c, p.ID)
	if err != nil {
		return err
	}
	if err := s.store.RemoveObligation(ctx, o.ID); err != nil {
		return err
	}
	return seeOther(c, "/admin/plans/"+url.PathEscape(p.ID)+"/obligations", "admin.obligations.removed")
}

// adminObligationsSuggest adds the obligations the plan's catalogue
// implies: each targeted indicator's lead agency reports it at its
// frequency, with the city's figures. Those already set stay as they are.
func (s *Server) adminObligationsSuggest(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := s.store.Plan(ctx, pathParam(c, "plan"))
	if err != nil {
		return err
	}
	targets, err := s.planFamilyTargets(ctx, p.ID)
	if err != nil {
		return err
	}
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		return err
	}
	units, err := s.store.Units(ctx)
	if err != nil {
		return err
	}
	have, err := s.store.Obligations(ctx, indicators.ObligationFilter{Plan: p.ID})
	if err != nil {
		return err
	}
	add, _ := indicators.SuggestObligations(p, targets, inds, units, have)
	for i := range add {
		// Owed from this year on: the past was reported before chitieu.
		add[i].FromYear = s.now().In(indicators.Vietnam).Year()
		if err := s.store.AddObligation(ctx, &add[i]); err != nil {
			return s.showObligations(c, p, s.newObligationValues(), err)
		}
	}
	return seeOther(c, "/admin/plans/"+url.PathEscape(p.ID)+"/obligations", "admin.obligations.suggested")
}

// planFamilyTargets are the targets of a plan and of the plans that make
// it concrete, however deep: Resolution 59 sets few targets itself, its
// action programmes and congress resolutions set the rest, and the units
// report towards all of them.
func (s *Server) planFamilyTargets(ctx context.Context, plan string) ([]indicators.Target, error) {
	plans, err := s.store.Plans(ctx)
	if err != nil {
		return nil, err
	}
	family := map[string]bool{plan: true}
	for grew := true; grew; {
		grew = false
		for _, p := range plans {
			if !family[p.ID] && family[p.Parent] {
				family[p.ID], grew = true, true
			}
		}
	}
	all, err := s.store.Targets(ctx, indicators.TargetFilter{})
	if err != nil {
		return nil, err
	}
	var out []indicators.Target
	for _, t := range all {
		if family[t.Plan] {
			out = append(out, t)
		}
	}
	return out, nil
}

// adminCutoffs stores the plan's cut-off rules, one per frequency; a rule
// set back to the Decree's is no longer a change.
func (s *Server) adminCutoffs(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := s.store.Plan(ctx, pathParam(c, "plan"))
	if err != nil {
		return err
	}
	v, err := readValues(c)
	if err != nil {
		return err
	}
	for _, f := range indicators.Frequencies {
		r := indicators.CutoffRule{Frequency: f}
		if r.CutoffDay, err = v.integer("cutoff_day." + string(f)); err == nil {
			r.DeadlineDays, err = v.integer("deadline_days." + string(f))
		}
		if err == nil {
			err = s.store.SetCutoff(ctx, p.ID, r)
		}
		if err != nil {
			return s.showObligations(c, p, s.newObligationValues(), err)
		}
	}
	return seeOther(c, "/admin/plans/"+url.PathEscape(p.ID)+"/obligations", "admin.obligations.cutoffs_saved")
}
