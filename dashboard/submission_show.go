package dashboard

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// The reporting cycle's page, /submissions?plan=&unit=&term=: for one plan
// and reporting period (term, "2024" or "2025-Q3", so that it never meets
// the dashboards' ?period=), the state of each unit's figures, and for the
// unit chosen its lagging targets with the unit's explanations and the
// forms its people may use: the planner explains and submits and sees a
// returned note, the head of the unit approves or returns with a note, an
// admin unlocks a locked period with a reason.

// submissionRow is one unit's figures for the period.
type submissionRow struct {
	Unit, UnitName, State, StateLabel, Note, SubmittedBy, SubmittedAt, DecidedBy, DecidedAt string
	UnlockedBy, UnlockReason, Link, CutOff                                                  string
	Values                                                                                  int
	Locked                                                                                  bool
}

// laggingRow is a lagging target of the unit with the unit's explanation.
type laggingRow struct {
	Target                                   int64
	Group                                    int // the target's task group, for its page
	Status                                   indicators.Status
	Indicator, Name, Period, Label           string
	Sentence, Cause, Remedy, ExplainedBy, At string
}

type submissionsData struct {
	adminPage
	Plans                                 []indicators.Plan
	Plan, PlanCode, Term, TermLabel, Unit string
	Units                                 []indicators.Unit
	Rows                                  []submissionRow
	Current                               *submissionRow
	Lagging                               []laggingRow
	MaySubmit, MayDecide, MayUnlock, Mine bool
	Note, Reason                          string // typed again after a refusal
}

// submissionKey reads the plan, unit and term of a request (query or form).
func (s *Server) submissionKey(c echo.Context) (indicators.SubmissionKey, indicators.Plan, error) {
	ctx := c.Request().Context()
	plans, err := s.plans(ctx)
	if err != nil {
		return indicators.SubmissionKey{}, indicators.Plan{}, err
	}
	plan, err := rootPlan(plans)
	if ref := c.FormValue("plan"); ref != "" {
		plan, err = s.findPlan(ctx, plans, ref)
	}
	if err != nil {
		return indicators.SubmissionKey{}, plan, err
	}
	k := indicators.SubmissionKey{Plan: plan.ID, Unit: c.FormValue("unit"),
		Period: indicators.YearPeriod(s.now().In(indicators.Vietnam).Year() - 1)}
	if t := c.FormValue("term"); t != "" {
		if k.Period, err = indicators.ParsePeriod(t); err != nil {
			return k, plan, indicators.FieldError(indicators.EINVALID, "term", "kỳ báo cáo "+strconv.Quote(t)+" không hợp lệ",
				"reporting period "+strconv.Quote(t)+" is not valid")
		}
	}
	if u, _ := currentUser(c); k.Unit == "" && len(u.Units) > 0 {
		k.Unit = u.Units[0]
	}
	return k, plan, nil
}

// submissionLink is the page of k, with a notice key when one is given.
func submissionLink(k indicators.SubmissionKey, done string) string {
	q := url.Values{"plan": {k.Plan}, "unit": {k.Unit}, "term": {k.Period.String()}}
	if done != "" {
		q.Set("done", done)
	}
	return "/submissions?" + q.Encode()
}

// submissionsPage shows the cycle of a plan and period.
func (s *Server) submissionsPage(c echo.Context) error {
	return s.showSubmissions(c, nil)
}

// showSubmissions draws the page, with the refusal of a form just sent.
func (s *Server) showSubmissions(c echo.Context, failure error) error {
	ctx, lang := c.Request().Context(), langOf(c)
	k, plan, err := s.submissionKey(c)
	if err != nil {
		return err
	}
	d := submissionsData{adminPage: s.newAdminPage(c, "cycle.title"), Plan: plan.ID, PlanCode: plan.Code,
		Term: k.Period.String(), TermLabel: k.Period.Label(lang), Unit: k.Unit, Note: c.FormValue("note"), Reason: c.FormValue("reason")}
	d.Crumbs = nil
	if k := c.QueryParam("done"); k != "" && s.msgs.has(k) {
		d.Notice = s.msgs.translate(lang, k)
	}
	if d.Plans, err = s.plans(ctx); err != nil {
		return err
	}
	if d.Units, err = s.store.Units(ctx); err != nil {
		return err
	}
	u, _ := currentUser(c)
	a := indicators.ActorFrom(ctx)
	if d.Rows, err = s.submissionRows(ctx, lang, k, u, d.Units); err != nil {
		return err
	}
	for i := range d.Rows {
		if d.Rows[i].Unit == k.Unit {
			d.Current = &d.Rows[i]
		}
	}
	if d.Current != nil {
		d.Mine = a.MaySubmit(k.Unit)
		d.MaySubmit = d.Mine && d.Current.State != string(indicators.Submitted) && d.Current.State != string(indicators.Approved)
		d.MayDecide = a.MayApprove(k.Unit) && d.Current.State == string(indicators.Submitted)
		d.MayUnlock = a.Role == indicators.Admin && d.Current.Locked
		if d.Lagging, err = s.laggingRows(ctx, lang, k); err != nil {
			return err
		}
	}
	status := http.StatusOK
	if failure != nil {
		if status, err = d.fail(lang, failure); err != nil {
			return err
		}
	}
	return s.render(c, status, "submissions", d)
}

// fail shows a domain error above the forms.
func (d *submissionsData) fail(lang string, err error) (int, error) {
	f := flash{}
	status, err := f.fail(lang, err)
	d.Error = f.Error
	return status, err
}

// submissionRows lists the units of the period the user may see: every
// unit for admins, leaders and auditors; their own units, submitted or
// not yet, for planners and approvers limited to some.
func (s *Server) submissionRows(ctx context.Context, lang string, k indicators.SubmissionKey, u indicators.User,
	units []indicators.Unit) ([]submissionRow, error) {
	scoped := (u.Role == indicators.Planner || u.Role == indicators.Approver) && len(u.Units) > 0
	f := indicators.SubmissionFilter{Plan: k.Plan, Period: &k.Period}
	if scoped {
		f.Units = u.Units
	}
	subs, err := s.submissions.Submissions(ctx, f)
	if err != nil {
		return nil, err
	}
	byUnit := map[string]indicators.Submission{}
	for _, sub := range subs {
		byUnit[sub.Unit] = sub
	}
	now := s.now()
	var rows []submissionRow
	for _, un := range units {
		sub, ok := byUnit[un.Code]
		if !ok && !(scoped && slices.Contains(u.Units, un.Code)) && un.Code != k.Unit {
			continue
		}
		if !ok {
			sub = indicators.Submission{SubmissionKey: indicators.SubmissionKey{Plan: k.Plan, Unit: un.Code, Period: k.Period}, State: indicators.Draft}
		}
		rows = append(rows, submissionRow{Unit: un.Code, UnitName: pick(lang, un.NameVI, un.NameEN), State: string(sub.State),
			StateLabel: sub.State.Label(lang), Note: sub.Note, SubmittedBy: sub.SubmittedBy, SubmittedAt: formatDateTime(lang, sub.SubmittedAt),
			DecidedBy: sub.DecidedBy, DecidedAt: formatDateTime(lang, sub.DecidedAt), UnlockedBy: sub.UnlockedBy,
			UnlockReason: sub.UnlockReason, Values: sub.Values, Locked: sub.Locked(now),
			CutOff: formatDate(lang, indicators.CutOff(k.Period)), Link: submissionLink(sub.SubmissionKey, "")})
	}
	return rows, nil
}

// laggingRows are the unit's lagging targets, with its explanations.
func (s *Server) laggingRows(ctx context.Context, lang string, k indicators.SubmissionKey) ([]laggingRow, error) {
	unit, err := s.store.Unit(ctx, k.Unit)
	if err != nil {
		return nil, err
	}
	tps, err := s.tracker.UnitTargets(ctx, k.Plan, unit, s.now())
	if err != nil {
		return nil, err
	}
	es, err := s.explanations.Explanations(ctx, indicators.ExplanationFilter{Units: []string{k.Unit}, Period: &k.Period})
	if err != nil {
		return nil, err
	}
	byTarget := map[int64]indicators.Explanation{}
	for _, e := range es {
		byTarget[e.Target] = e
	}
	var out []laggingRow
	for _, tp := range tps {
		if !tp.Progress.Status.Lagging() {
			continue
		}
		e := byTarget[tp.Target.ID]
		out = append(out, laggingRow{Target: tp.Target.ID, Group: tp.Target.Group, Indicator: tp.Indicator.Code,
			Name: pick(lang, tp.Indicator.NameVI, tp.Indicator.NameEN), Period: tp.Target.Period.String(),
			Status: tp.Progress.Status, Label: tp.Progress.Status.Label(lang),
			Sentence: pick(lang, tp.Progress.ExplanationVI, tp.Progress.ExplanationEN), Cause: e.Cause, Remedy: e.Remedy,
			ExplainedBy: e.EnteredBy, At: formatDateTime(lang, e.EnteredAt)})
	}
	return out, nil
}
