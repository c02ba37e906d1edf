package dashboard

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// The dashboards' state lives in the URL, so that every view can be
// linked, bookmarked and printed as it is: ?plan= (a plan ID or a code
// carried by one plan), ?period=2021-2025 and ?asof=YYYY-MM-DD. Without
// them a page shows the root plan (Resolution 59), the period of the last
// full year, as of today. The language may come from the cookie.

// planPeriods are the plan periods the dashboards offer as tabs: the two
// five-year plans, and the decade for the targets set to 2030.
var planPeriods = []indicators.YearRange{{From: 2021, To: 2025}, {From: 2026, To: 2030}, {From: 2021, To: 2030}}

// pageState is the state a dashboard page is drawn for.
type pageState struct {
	Plan    indicators.Plan
	Plans   []indicators.Plan // all plans, for the picker
	Period  indicators.YearRange
	AsOf    time.Time // the end of the as-of day in Vietnam
	AsOfSet bool      // the URL names the day; otherwise it is today
	// Figures is which values the pages count: "approved" (approved by
	// the head of their unit, or published in the built-in catalogue) or
	// "all" entered. ?figures= chooses; without it, approved ones once the
	// office runs the approval cycle (a submission exists), else all.
	Figures    string
	figuresSet bool
	planSet    bool
	periodOK   bool
}

// readState reads and checks the state of the request.
func (s *Server) readState(c echo.Context) (pageState, error) {
	ctx := c.Request().Context()
	var st pageState
	var err error
	if st.Plans, err = s.plans(ctx); err != nil {
		return st, err
	}
	if ref := c.QueryParam("plan"); ref != "" {
		if st.Plan, err = s.findPlan(ctx, st.Plans, ref); err != nil {
			return st, err
		}
		st.planSet = true
	} else if st.Plan, err = rootPlan(st.Plans); err != nil {
		return st, err
	}
	if err := s.readFigures(c, &st); err != nil {
		return st, err
	}
	st.AsOf = indicators.EndOfDay(s.now())
	if v := c.QueryParam("asof"); v != "" {
		d, err := indicators.ParseDate("asof", v)
		if err != nil {
			return st, err
		}
		st.AsOf, st.AsOfSet = indicators.EndOfDay(d), true
	}
	if v := c.QueryParam("period"); v != "" {
		if st.Period, err = indicators.ParseYearRange("period", v); err != nil {
			return st, err
		}
		// A period is one the dashboards offer or one inside the plan's
		// horizon; any other (?period=1999-2000) is refused rather than
		// shown as a tab of its own.
		pl := st.Plan
		inside := pl.HorizonFrom != 0 && pl.HorizonTo != 0 && st.Period.From >= pl.HorizonFrom-1 && st.Period.To <= pl.HorizonTo
		if !containsRange(planPeriods, st.Period) && !inside {
			return st, indicators.FieldError(indicators.EINVALID, "period",
				fmt.Sprintf("giai đoạn %s nằm ngoài kế hoạch %s", v, pl.Code),
				fmt.Sprintf("the period %s is outside the plan %s", v, pl.Code))
		}
		st.periodOK = true
	} else {
		st.Period = defaultPeriod(st.AsOf)
	}
	return st, nil
}

// plans returns every plan, from the cache while the store is unchanged.
func (s *Server) plans(ctx context.Context) ([]indicators.Plan, error) {
	v, err := s.cached(ctx, "plans", func(ctx context.Context) (any, error) { return s.store.Plans(ctx) })
	if err != nil {
		return nil, err
	}
	return v.([]indicators.Plan), nil
}

// findPlan resolves ?plan=: a plan ID from the list, else whatever the
// store's FindPlan makes of it (a code carried by one plan).
func (s *Server) findPlan(ctx context.Context, plans []indicators.Plan, ref string) (indicators.Plan, error) {
	for _, p := range plans {
		if p.ID == ref {
			return p, nil
		}
	}
	return s.store.FindPlan(ctx, ref)
}

// rootPlan is the first plan that makes no other concrete: Resolution 59
// in the built-in catalogue.
func rootPlan(plans []indicators.Plan) (indicators.Plan, error) {
	for _, p := range plans {
		if p.Parent == "" {
			return p, nil
		}
	}
	if len(plans) > 0 {
		return plans[0], nil
	}
	return indicators.Plan{}, indicators.FieldError(indicators.ENOTFOUND, "plan", "chưa có kế hoạch nào", "there is no plan yet")
}

// defaultPeriod is the five-year period of the last full year before the
// as-of day: in 2026 leaders still read how 2021–2025 closed.
func defaultPeriod(asOf time.Time) indicators.YearRange {
	y := asOf.In(indicators.Vietnam).Year() - 1
	for _, p := range planPeriods[:2] {
		if p.Contains(y) {
			return p
		}
	}
	from := 2021 + 5*((y-2021)/5)
	return indicators.YearRange{From: from, To: from + 4}
}

// query returns the state as URL parameters, with changes applied; the
// as-of day is kept only when the URL named one.
func (st pageState) query(changes ...string) url.Values {
	q := url.Values{}
	q.Set("plan", st.Plan.ID)
	q.Set("period", st.Period.String())
	if st.AsOfSet {
		q.Set("asof", st.AsOf.In(indicators.Vietnam).Format(indicators.DateLayout))
	}
	if st.figuresSet {
		q.Set("figures", st.Figures)
	}
	for i := 0; i+1 < len(changes); i += 2 {
		if changes[i+1] == "" {
			q.Del(changes[i])
		} else {
			q.Set(changes[i], changes[i+1])
		}
	}
	return q
}

// link is path with the state (and changes) as its query.
func (st pageState) link(path string, changes ...string) string {
	return path + "?" + st.query(changes...).Encode()
}

// asOfDay is the as-of day as a form value.
func (st pageState) asOfDay() string {
	return st.AsOf.In(indicators.Vietnam).Format(indicators.DateLayout)
}

// key identifies what the state selects, for the cache.
func (st pageState) key() string {
	return st.Plan.ID + "|" + st.Period.String() + "|" + st.asOfDay() + "|" + st.Figures
}

// planOption is a plan in the picker.
type planOption struct {
	ID, Label string
	Selected  bool
}

// tab is a period tab.
type tab struct {
	URL, Label string
	Current    bool
}

// stateView is what the state form and the tabs draw.
type stateView struct {
	Plans     []planOption
	Tabs      []tab
	Period    string
	AsOfValue string
	AsOfSet   bool
	Figures   string // "approved" or "all"
	// Incomplete says what of the plan's list is not public in full; every
	// page of the plan shows it under its picker.
	Incomplete string
}

// view returns the picker and tabs for st, the tabs linking to path.
func (st pageState) view(lang, path string) stateView {
	v := stateView{Period: st.Period.String(), AsOfValue: st.asOfDay(), AsOfSet: st.AsOfSet, Figures: st.Figures,
		Incomplete: pick(lang, st.Plan.Incomplete, st.Plan.IncompleteEN)}
	for _, p := range st.Plans {
		label := p.Code + " — " + pick(lang, p.TitleVI, p.TitleEN)
		if p.Parent != "" {
			label = "\u00a0\u00a0· " + label
		}
		if len([]rune(label)) > 110 {
			label = string([]rune(label)[:108]) + "…"
		}
		v.Plans = append(v.Plans, planOption{ID: p.ID, Label: label, Selected: p.ID == st.Plan.ID})
	}
	periods := planPeriods
	if !containsRange(periods, st.Period) {
		periods = append(periods[:len(periods):len(periods)], st.Period)
	}
	for _, p := range periods {
		v.Tabs = append(v.Tabs, tab{URL: st.link(path, "period", p.String()),
			Label: fmt.Sprintf("%d–%d", p.From, p.To), Current: p == st.Period})
	}
	return v
}

func containsRange(list []indicators.YearRange, r indicators.YearRange) bool {
	for _, x := range list {
		if x == r {
			return true
		}
	}
	return false
}

// planProgress is the verdict on a plan family's targets and tasks for a
// period at a day, by task group.
type planProgress struct {
	Groups  []indicators.GroupProgress
	Total   indicators.RollUp
	Targets []indicators.TargetProgress // every target of the roll-up, each once
	Tasks   int                         // the tasks of the roll-up
	// Plans maps plan IDs to plans, for codes and titles.
	Plans map[string]indicators.Plan
}

// progress returns the verdicts for st, from the cache when the store has
// not changed since they were computed.
func (s *Server) progress(ctx context.Context, st pageState) (*planProgress, error) {
	v, err := s.cached(ctx, "progress|"+st.key(), func(ctx context.Context) (any, error) {
		period := st.Period
		// The one roll-up of the plan (indicators.tracker.Progress), which
		// the API and the progress report use too.
		tr, err := s.trackerOf(ctx, st)
		if err != nil {
			return nil, err
		}
		prog, err := tr.Progress(ctx, st.Plan.ID, &period, st.AsOf)
		if err != nil {
			return nil, err
		}
		pp := &planProgress{Groups: prog.Groups, Total: prog.RollUp, Targets: prog.Targets, Tasks: len(prog.Tasks),
			Plans: map[string]indicators.Plan{}}
		for _, p := range st.Plans {
			pp.Plans[p.ID] = p
		}
		return pp, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*planProgress), nil
}
