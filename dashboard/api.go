package dashboard

import (
	"net/http"
	"net/url"
	"time"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// The JSON shapes of the API. Field names are part of the contract that
// scripts and integrations rely on.

type planJSON struct {
	ID          string `json:"id"`
	Code        string `json:"code"`
	Issued      any    `json:"issued"` // "YYYY-MM-DD", or null when the sources give no date
	IssuedNote  string `json:"issued_note,omitempty"`
	IssuingBody string `json:"issuing_body,omitempty"`
	TitleVI     string `json:"title_vi"`
	TitleEN     string `json:"title_en"`
	HorizonFrom int    `json:"horizon_from,omitempty"`
	HorizonTo   int    `json:"horizon_to,omitempty"`
	Scope       string `json:"scope,omitempty"`
	Parent      string `json:"parent,omitempty"`
	Source      string `json:"source,omitempty"`
	// IncompleteVI/EN say which parts of the plan's list are not public in
	// full, so that a script does not take the targets listed for all.
	IncompleteVI string `json:"incomplete_vi,omitempty"`
	IncompleteEN string `json:"incomplete_en,omitempty"`
	// NoticeVI/EN replace an empty answer as of a day before any of the
	// plan's targets was known.
	NoticeVI string `json:"notice_vi,omitempty"`
	NoticeEN string `json:"notice_en,omitempty"`
}

func toPlanJSON(p indicators.Plan) planJSON {
	j := planJSON{ID: p.ID, Code: p.Code, IssuedNote: p.IssuedNote, IssuingBody: p.IssuingBody,
		TitleVI: p.TitleVI, TitleEN: p.TitleEN, HorizonFrom: p.HorizonFrom, HorizonTo: p.HorizonTo,
		Scope: string(p.Scope), Parent: p.Parent, Source: p.Source,
		IncompleteVI: p.Incomplete, IncompleteEN: p.IncompleteEN}
	if !p.Issued.IsZero() {
		j.Issued = p.Issued.Format(indicators.DateLayout)
	}
	return j
}

type boundJSON struct {
	Op string   `json:"op"`
	A  *float64 `json:"a"`
	B  *float64 `json:"b"`
}

func toBoundJSON(b indicators.Bound) boundJSON {
	j := boundJSON{Op: string(b.Op)}
	if b.Op == indicators.OpNone {
		j.Op = "none"
		return j
	}
	j.A = ptr(b.A)
	if b.Op == indicators.OpRange {
		j.B = ptr(b.B)
	}
	return j
}

type progressJSON struct {
	Status          string                 `json:"status"`
	StatusLabelVI   string                 `json:"status_label_vi"`
	StatusLabelEN   string                 `json:"status_label_en"`
	SoFar           *float64               `json:"so_far"`
	Projection      *float64               `json:"projection"`
	Required        *float64               `json:"required"`
	Ratio           *float64               `json:"ratio"`
	BaseYear        int                    `json:"base_year,omitempty"`
	LatestYear      int                    `json:"latest_year,omitempty"`
	RestsOnEstimate bool                   `json:"rests_on_estimate"`
	ValuesUsed      []indicators.UsedValue `json:"values_used"`
	Excluded        []indicators.UsedValue `json:"excluded_by_scope,omitempty"`
	Reason          string                 `json:"reason,omitempty"`
	ExplanationVI   string                 `json:"explanation_vi"`
	ExplanationEN   string                 `json:"explanation_en"`
	// What pages and reports show besides, as the engine returns it.
	Achievement  *float64          `json:"achievement"`
	Band         *bandJSON         `json:"band,omitempty"`
	PeriodYears  int               `json:"period_years,omitempty"`
	YearsPresent []int             `json:"years_present,omitempty"`
	YearsMissing []int             `json:"years_missing,omitempty"`
	Incomplete   bool              `json:"incomplete,omitempty"`
	YearVerdicts []yearVerdictJSON `json:"year_verdicts,omitempty"`
}

// bandJSON is the bound as judged: the interval with the tolerance applied.
type bandJSON struct {
	Lo        *float64   `json:"lo"`
	Hi        *float64   `json:"hi"`
	Strict    bool       `json:"strict,omitempty"`
	Tolerance float64    `json:"tolerance,omitempty"`
	BaseYear  int        `json:"base_year,omitempty"`
	BaseValue *float64   `json:"base_value,omitempty"`
	Ratio     *boundJSON `json:"ratio,omitempty"`
}

// yearVerdictJSON is one year against its plan value: vượt, đạt, không đạt.
type yearVerdictJSON struct {
	Year      int      `json:"year"`
	Plan      float64  `json:"plan"`
	PlanHigh  *float64 `json:"plan_high,omitempty"`
	Actual    *float64 `json:"actual"`
	Type      string   `json:"type,omitempty"`
	Verdict   string   `json:"verdict,omitempty"`
	VerdictVI string   `json:"verdict_vi,omitempty"`
	VerdictEN string   `json:"verdict_en,omitempty"`
}

func toProgressJSON(p indicators.Progress) progressJSON {
	used := p.ValuesUsed
	if used == nil {
		used = []indicators.UsedValue{}
	}
	j := progressJSON{Status: string(p.Status), StatusLabelVI: p.Status.Label("vi"), StatusLabelEN: p.Status.Label("en"),
		SoFar: p.SoFar, Projection: p.Projection, Required: p.Required, Ratio: p.Ratio,
		BaseYear: p.BaseYear, LatestYear: p.LatestYear, RestsOnEstimate: p.RestsOnEstimate,
		ValuesUsed: used, Excluded: p.Excluded, Reason: p.Reason,
		ExplanationVI: p.ExplanationVI, ExplanationEN: p.ExplanationEN,
		Achievement: p.Achievement, PeriodYears: p.PeriodYears, YearsPresent: p.YearsPresent,
		YearsMissing: p.YearsMissing, Incomplete: p.Incomplete}
	if b := p.Band; b != nil {
		j.Band = &bandJSON{Lo: b.Lo, Hi: b.Hi, Strict: b.Strict, Tolerance: b.Tolerance, BaseYear: b.BaseYear, BaseValue: b.BaseValue}
		if b.Ratio != nil {
			r := toBoundJSON(*b.Ratio)
			j.Band.Ratio = &r
		}
	}
	for _, yv := range p.YearVerdicts {
		v := yearVerdictJSON{Year: yv.Year, Plan: yv.Plan, PlanHigh: yv.PlanHigh, Verdict: string(yv.Verdict)}
		if yv.Actual != nil {
			v.Actual, v.Type = ptr(yv.Actual.Value), string(yv.Actual.Type)
			v.VerdictVI, v.VerdictEN = yv.Verdict.Label("vi"), yv.Verdict.Label("en")
		}
		j.YearVerdicts = append(j.YearVerdicts, v)
	}
	return j
}

type revisionJSON struct {
	Seq       int       `json:"seq"`
	Kind      string    `json:"kind"`
	Bound     boundJSON `json:"bound"`
	BaseYear  int       `json:"base_year,omitempty"`
	Tolerance float64   `json:"tolerance,omitempty"`
	Direction string    `json:"direction,omitempty"`
	Text      string    `json:"text"`
	Source    string    `json:"source,omitempty"`
	Act       string    `json:"act,omitempty"`
	ActDate   string    `json:"act_date,omitempty"`
	Effective string    `json:"effective,omitempty"`
	Reason    string    `json:"reason,omitempty"`
	EnteredBy string    `json:"entered_by"`
	EnteredAt time.Time `json:"entered_at"`
}

func toRevisionJSON(r indicators.TargetRevision) revisionJSON {
	return revisionJSON{Seq: r.Seq, Kind: string(r.Kind), Bound: toBoundJSON(r.Bound), BaseYear: r.BaseYear,
		Tolerance: r.Tolerance, Direction: string(r.Direction),
		Text: r.Text, Source: r.Source, Act: r.Act, ActDate: dateOrEmpty(r.ActDate), Effective: dateOrEmpty(r.Effective),
		Reason: r.Reason, EnteredBy: r.EnteredBy, EnteredAt: r.EnteredAt.UTC()}
}

type targetJSON struct {
	ID              int64          `json:"id"`
	Plan            string         `json:"plan"`
	PlanCode        string         `json:"plan_code"`
	Indicator       string         `json:"indicator"`
	IndicatorNameVI string         `json:"indicator_name_vi"`
	IndicatorNameEN string         `json:"indicator_name_en"`
	Unit            string         `json:"unit"`
	Period          string         `json:"period"`
	Kind            string         `json:"kind"`
	Bound           boundJSON      `json:"bound"`
	BaseYear        int            `json:"base_year,omitempty"` // a relative target's: the bound is a ratio to that year's value
	Tolerance       float64        `json:"tolerance,omitempty"` // an about-bound's own, as a share of |a|; absent means the setting
	Text            string         `json:"text"`
	Direction       string         `json:"direction"`
	Scope           string         `json:"scope"`
	ForUnit         string         `json:"for_unit,omitempty"` // the unit whose share this is; absent for the city's target
	Source          string         `json:"source"`
	TaskGroup       int            `json:"task_group"`
	Revision        int            `json:"revision"`
	Act             string         `json:"act,omitempty"`
	Progress        *progressJSON  `json:"progress,omitempty"`
	Revisions       []revisionJSON `json:"revisions,omitempty"`
	// Shares are the units' shares of a city target, in league order,
	// each judged on its unit's own values.
	Shares []shareJSON `json:"shares,omitempty"`
}

// shareJSON is one unit's share of a city target with its league place.
type shareJSON struct {
	Rank        int          `json:"rank"`
	Unit        string       `json:"unit"`
	UnitNameVI  string       `json:"unit_name_vi"`
	ID          int64        `json:"target_id"`
	Kind        string       `json:"kind"`
	Bound       boundJSON    `json:"bound"`
	BaseYear    int          `json:"base_year,omitempty"`
	Text        string       `json:"text"`
	Achievement *float64     `json:"achievement_percent"`
	Progress    progressJSON `json:"progress"`
}

func toSharesJSON(shares []indicators.UnitShare) []shareJSON {
	out := make([]shareJSON, len(shares))
	for i, sh := range shares {
		out[i] = shareJSON{Rank: sh.Rank, Unit: sh.Unit.Code, UnitNameVI: sh.Unit.NameVI, ID: sh.Target.ID,
			Kind: string(sh.Target.Kind), Bound: toBoundJSON(sh.Target.Bound), BaseYear: sh.Target.BaseYear, Text: sh.Target.Text,
			Achievement: sh.Achievement, Progress: toProgressJSON(sh.Progress)}
	}
	return out
}

func toTargetJSON(t indicators.Target, ind indicators.Indicator, planCode string) targetJSON {
	dir := t.Direction
	if dir == "" {
		dir = ind.Direction
	}
	return targetJSON{ID: t.ID, Plan: t.Plan, PlanCode: planCode, Indicator: t.Indicator,
		IndicatorNameVI: ind.NameVI, IndicatorNameEN: ind.NameEN, Unit: ind.Unit, Period: t.Period.String(),
		Kind: string(t.Kind), Bound: toBoundJSON(t.Bound), BaseYear: t.BaseYear, Tolerance: t.Tolerance, Text: t.Text,
		Direction: string(dir), Scope: string(t.Scope), ForUnit: t.Unit, Source: t.Source, TaskGroup: t.Group, Revision: t.Seq, Act: t.Act}
}

type valueJSON struct {
	ID         int64      `json:"id"`
	Unit       string     `json:"unit"`
	Period     string     `json:"period"`
	Type       string     `json:"type"`
	Value      float64    `json:"value"`
	High       *float64   `json:"high,omitempty"`
	Scope      string     `json:"scope"`
	Superseded bool       `json:"superseded"`
	Retracted  *time.Time `json:"retracted_at,omitempty"`
	Note       string     `json:"note,omitempty"`
	Source     string     `json:"source"`
	Batch      *int64     `json:"batch"`
	File       string     `json:"file,omitempty"`
	Sheet      string     `json:"sheet"`
	Cell       string     `json:"cell"`
	EnteredBy  string     `json:"entered_by"`
	EnteredAt  time.Time  `json:"entered_at"`
}

func toValueJSON(v indicators.Value) valueJSON {
	j := valueJSON{ID: v.ID, Unit: v.Unit, Period: v.Period.String(), Type: string(v.Type), Value: v.Value,
		High: v.High, Scope: string(v.Scope), Superseded: v.Superseded, Note: v.Note, Source: v.Source,
		File: v.File, Sheet: v.Sheet, Cell: v.Cell, EnteredBy: v.EnteredBy, EnteredAt: v.EnteredAt.UTC()}
	if v.Batch != 0 {
		j.Batch = &v.Batch
	}
	if !v.RetractedAt.IsZero() {
		t := v.RetractedAt.UTC()
		j.Retracted = &t
	}
	return j
}

type unitJSON struct {
	Code      string `json:"code"`
	NameVI    string `json:"name_vi"`
	NameEN    string `json:"name_en"`
	Kind      string `json:"kind"`
	Type      string `json:"type,omitempty"`
	Parent    string `json:"parent,omitempty"`
	Scope     string `json:"scope,omitempty"`
	ValidFrom string `json:"valid_from,omitempty"`
	ValidTo   string `json:"valid_to,omitempty"`
	Source    string `json:"source,omitempty"`
}

func ptr[T any](v T) *T { return &v }

// pathParam returns a path parameter unescaped: a plan code such as
// 59-NQ/TW arrives as 59-NQ%2FTW.
func pathParam(c echo.Context, name string) string {
	v := c.Param(name)
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}

func dateOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(indicators.Vietnam).Format(indicators.DateLayout)
}

// asOfParam reads ?asof=YYYY-MM-DD as the end of that day in Vietnam; now
// when absent.
func (s *Server) asOfParam(c echo.Context) (time.Time, error) {
	v := c.QueryParam("asof")
	if v == "" {
		return s.now(), nil
	}
	d, err := indicators.ParseDate("asof", v)
	if err != nil {
		return time.Time{}, err
	}
	return indicators.EndOfDay(d), nil
}

// periodParam reads ?period=YYYY-YYYY; nil when absent.
func periodParam(c echo.Context) (*indicators.YearRange, error) {
	v := c.QueryParam("period")
	if v == "" {
		return nil, nil
	}
	r, err := indicators.ParseYearRange("period", v)
	if err != nil {
		return nil, err
	}
	return &r, nil
}

func (s *Server) apiPlans(c echo.Context) error {
	plans, err := s.store.Plans(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]planJSON, len(plans))
	for i, p := range plans {
		out[i] = toPlanJSON(p)
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) apiPlan(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := s.store.FindPlan(ctx, pathParam(c, "id"))
	if err != nil {
		return err
	}
	j := toPlanJSON(p)
	if c.QueryParam("asof") != "" {
		asOf, err := s.asOfParam(c)
		if err != nil {
			return err
		}
		tps, err := s.tracker.Targets(ctx, p.ID, nil, asOf)
		if err != nil {
			return err
		}
		if len(tps) == 0 {
			j.NoticeVI, j.NoticeEN = indicators.NothingKnownYet(p, asOf)
		}
	}
	return c.JSON(http.StatusOK, j)
}

// planCodes maps plan IDs to codes, for target listings.
func (s *Server) planCodes(c echo.Context) (map[string]string, error) {
	plans, err := s.store.Plans(c.Request().Context())
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, p := range plans {
		m[p.ID] = p.Code
	}
	return m, nil
}

func (s *Server) apiPlanTargets(c echo.Context) error {
	ctx := c.Request().Context()
	asOf, err := s.asOfParam(c)
	if err != nil {
		return err
	}
	period, err := periodParam(c)
	if err != nil {
		return err
	}
	plan, err := s.store.FindPlan(ctx, pathParam(c, "id"))
	if err != nil {
		return err
	}
	tps, err := s.tracker.Targets(ctx, plan.ID, period, asOf)
	if err != nil {
		return err
	}
	codes, err := s.planCodes(c)
	if err != nil {
		return err
	}
	out := make([]targetJSON, len(tps))
	for i, tp := range tps {
		out[i] = toTargetJSON(tp.Target, tp.Indicator, codes[tp.Target.Plan])
		p := toProgressJSON(tp.Progress)
		out[i].Progress = &p
		shares, err := s.tracker.Shares(ctx, tp.Target, asOf)
		if err != nil {
			return err
		}
		out[i].Shares = toSharesJSON(shares)
	}
	return c.JSON(http.StatusOK, out)
}

type rollUpJSON struct {
	Counts  map[string]int `json:"counts"`
	Total   int            `json:"total"`
	RestsOn int            `json:"rests_on"`
	NoData  int            `json:"no_data"`
	Score   *float64       `json:"score"`
}

func toRollUpJSON(r indicators.RollUp) rollUpJSON {
	j := rollUpJSON{Counts: map[string]int{}, Total: r.Total, RestsOn: r.RestsOn, NoData: r.NoData, Score: r.Score}
	for _, st := range indicators.Statuses {
		j.Counts[string(st)] = r.Counts[st]
	}
	return j
}

type taskJSON struct {
	Code       string       `json:"code"`
	NameVI     string       `json:"name_vi"`
	NameEN     string       `json:"name_en"`
	LeadAgency string       `json:"lead_agency,omitempty"`
	Start      string       `json:"start,omitempty"`
	Deadline   string       `json:"deadline,omitempty"`
	Percent    *float64     `json:"percent"`
	Done       string       `json:"done,omitempty"`
	StatusNote string       `json:"status_note,omitempty"`
	Source     string       `json:"source,omitempty"`
	Progress   progressJSON `json:"progress"`
}

type groupJSON struct {
	Number  int        `json:"number"`
	NameVI  string     `json:"name_vi"`
	NameEN  string     `json:"name_en"`
	ScopeVI string     `json:"scope_vi,omitempty"`
	ScopeEN string     `json:"scope_en,omitempty"`
	RollUp  rollUpJSON `json:"rollup"`
	Targets []string   `json:"targets"`
	Tasks   []taskJSON `json:"tasks"`
}

func (s *Server) apiPlanGroups(c echo.Context) error {
	ctx := c.Request().Context()
	asOf, err := s.asOfParam(c)
	if err != nil {
		return err
	}
	period, err := periodParam(c)
	if err != nil {
		return err
	}
	plan, err := s.store.FindPlan(ctx, pathParam(c, "id"))
	if err != nil {
		return err
	}
	groups, total, err := s.tracker.Groups(ctx, plan.ID, period, asOf)
	if err != nil {
		return err
	}
	out := struct {
		Plan   string      `json:"plan"`
		RollUp rollUpJSON  `json:"rollup"`
		Groups []groupJSON `json:"groups"`
	}{Plan: plan.ID, RollUp: toRollUpJSON(total), Groups: []groupJSON{}}
	for _, g := range groups {
		gj := groupJSON{Number: g.Group.Number, NameVI: g.Group.NameVI, NameEN: g.Group.NameEN,
			ScopeVI: g.Group.ScopeVI, ScopeEN: g.Group.ScopeEN, RollUp: toRollUpJSON(g.RollUp),
			Targets: []string{}, Tasks: []taskJSON{}}
		for _, tp := range g.Targets {
			gj.Targets = append(gj.Targets, tp.Target.Plan+"/"+tp.Target.Indicator+"/"+tp.Target.Period.String())
		}
		for _, tp := range g.Tasks {
			t := tp.Task
			gj.Tasks = append(gj.Tasks, taskJSON{Code: t.Code, NameVI: t.NameVI, NameEN: t.NameEN,
				LeadAgency: t.LeadAgency, Start: dateOrEmpty(t.Start), Deadline: dateOrEmpty(t.Deadline),
				Percent: t.Percent, Done: dateOrEmpty(t.Done), StatusNote: t.StatusNote, Source: t.Source,
				Progress: toProgressJSON(tp.Progress)})
		}
		out.Groups = append(out.Groups, gj)
	}
	return c.JSON(http.StatusOK, out)
}

type indicatorJSON struct {
	Code       string        `json:"code"`
	NameVI     string        `json:"name_vi"`
	NameEN     string        `json:"name_en"`
	Unit       string        `json:"unit"`
	UnitEN     string        `json:"unit_en,omitempty"`
	Decimals   int           `json:"decimals"`
	Direction  string        `json:"direction"`
	Measure    string        `json:"measure"`
	Rollup     string        `json:"rollup"`
	WeightBy   string        `json:"weight_by,omitempty"`
	LeadAgency string        `json:"lead_agency,omitempty"`
	Frequency  string        `json:"frequency"`
	TaskGroup  int           `json:"task_group"`
	NoteVI     string        `json:"note_vi,omitempty"`
	NoteEN     string        `json:"note_en,omitempty"`
	Metadata   *metadataJSON `json:"metadata,omitempty"`
	Targets    []targetJSON  `json:"targets,omitempty"`
	Values     []valueJSON   `json:"values,omitempty"`
}

func toIndicatorJSON(i indicators.Indicator) indicatorJSON {
	return indicatorJSON{Code: i.Code, NameVI: i.NameVI, NameEN: i.NameEN, Unit: i.Unit, UnitEN: i.UnitEN,
		Decimals: i.Decimals, Direction: string(i.Direction), Measure: string(i.Measure), Rollup: string(i.Rollup),
		WeightBy: i.WeightBy, LeadAgency: i.LeadAgency, Frequency: string(i.Frequency), TaskGroup: i.Group,
		NoteVI: i.NoteVI, NoteEN: i.NoteEN}
}

func (s *Server) apiIndicators(c echo.Context) error {
	list, err := s.store.Indicators(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]indicatorJSON, len(list))
	for i, ind := range list {
		out[i] = toIndicatorJSON(ind)
	}
	return c.JSON(http.StatusOK, out)
}

// apiIndicator returns an indicator with its targets (each with its full
// revision history) and every value, current and superseded, with its
// provenance. With ?asof= the values are those entered by then.
func (s *Server) apiIndicator(c echo.Context) error {
	ctx := c.Request().Context()
	ind, err := s.indicator(ctx, pathParam(c, "code"))
	if err != nil {
		return err
	}
	f := indicators.ValueFilter{Indicator: ind.Code}
	if c.QueryParam("asof") != "" {
		if f.EnteredBy, err = s.asOfParam(c); err != nil {
			return err
		}
	}
	targets, err := s.store.Targets(ctx, indicators.TargetFilter{Indicator: ind.Code})
	if err != nil {
		return err
	}
	values, err := s.store.Values(ctx, f)
	if err != nil {
		return err
	}
	codes, err := s.planCodes(c)
	if err != nil {
		return err
	}
	meta, err := s.metadata.IndicatorMetadata(ctx, ind.Code)
	if err != nil {
		return err
	}
	out := toIndicatorJSON(ind)
	out.Metadata = toMetadataJSON(meta)
	out.Targets, out.Values = []targetJSON{}, []valueJSON{}
	for _, t := range targets {
		tj := toTargetJSON(t, ind, codes[t.Plan])
		for _, r := range t.Revisions {
			tj.Revisions = append(tj.Revisions, toRevisionJSON(r))
		}
		out.Targets = append(out.Targets, tj)
	}
	for _, v := range values {
		out.Values = append(out.Values, toValueJSON(v))
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) apiUnits(c echo.Context) error {
	units, err := s.store.Units(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]unitJSON, len(units))
	for i, u := range units {
		out[i] = unitJSON{Code: u.Code, NameVI: u.NameVI, NameEN: u.NameEN, Kind: string(u.Kind), Type: u.Type,
			Parent: u.Parent, Scope: string(u.Scope), ValidFrom: dateOrEmpty(u.ValidFrom), ValidTo: dateOrEmpty(u.ValidTo),
			Source: u.Source}
	}
	return c.JSON(http.StatusOK, out)
}
