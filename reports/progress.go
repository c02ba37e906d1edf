package reports

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"chitieu/indicators"
)

// ProgressRequest asks for the progress report of a plan.
type ProgressRequest struct {
	Plan   string               // plan ID, or a code only one plan carries
	Period indicators.YearRange // the targets of exactly this period
	AsOf   time.Time            // the moment the report stands at; zero means now
	Group  *int                 // only this task group; nil means all
	Lang   string               // "vi" (the default) or "en"
	By     string               // who asks, for the cover; "" means the actor of ctx
	Form   Form                 // the official annex form's fields
}

// Progress builds the progress report of a plan and the plans that make it
// concrete, for one period, as it stood at req.AsOf.
func (b *Builder) Progress(ctx context.Context, req ProgressRequest) (*File, error) {
	rep, err := b.progressReport(ctx, req)
	if err != nil {
		return nil, err
	}
	return b.writeXLSX(ctx, rep)
}

// progress is everything the progress report shows, read before the first
// cell is written.
type progress struct {
	lang     lang
	plan     indicators.Plan
	codes    map[string]string // plan ID → code
	period   indicators.YearRange
	asOf     time.Time
	group    *int
	form     Form
	settings indicators.Settings
	sections []section
	// The roll-up of the plan and of each task group (targets and tasks,
	// each once), from indicators.Tracker.Progress.
	rollUp     indicators.RollUp
	groupRolls map[int]indicators.RollUp
	// approvals tells the figures the heads of units approved by the
	// as-of moment; explained holds each target's latest explanation
	// written by then.
	approvals indicators.Approvals
	explained map[int64]indicators.Explanation
}

// section is a task group with the rows of its targets.
type section struct {
	group indicators.TaskGroup
	other bool // targets filed under no known group
	rows  []targetRow
}

// targetRow is one target of the table.
type targetRow struct {
	tp          indicators.TargetProgress
	planCode    string
	dir         indicators.Direction
	baseYear    int
	actual      map[int]indicators.UsedValue   // the engine's series: official or estimate, of the target's territory
	planned     map[int]indicators.YearVerdict // the engine's verdicts of the years with a plan value (KH)
	verdict     indicators.Verdict
	verdictYear int
	achievement *float64
}

func (b *Builder) progressReport(ctx context.Context, req ProgressRequest) (*report, error) {
	l, err := parseLang(req.Lang)
	if err != nil {
		return nil, err
	}
	if err := req.Period.Validate(); err != nil {
		return nil, err
	}
	if err := req.Form.validate(req.Period); err != nil {
		return nil, err
	}
	src := b.Source
	plan, err := src.FindPlan(ctx, req.Plan)
	if err != nil {
		return nil, err
	}
	asOf := b.asOf(req.AsOf)
	p := &progress{lang: l, plan: plan, period: req.Period, asOf: asOf, group: req.Group, form: req.Form}
	if p.settings, err = settingsAt(ctx, src, asOf); err != nil {
		return nil, err
	}
	plans, err := src.Plans(ctx)
	if err != nil {
		return nil, err
	}
	p.codes = map[string]string{}
	order := map[string]int{}
	for i, pl := range plans {
		p.codes[pl.ID], order[pl.ID] = pl.Code, i
	}
	tracker := indicators.Tracker{Store: settingsAsOf{Store: src, settings: p.settings}}
	// The plan's one roll-up, as the overview and the API show it.
	pp, err := tracker.Progress(ctx, plan.ID, &req.Period, asOf)
	if err != nil {
		return nil, err
	}
	if err := p.readCycle(ctx, src); err != nil {
		return nil, err
	}
	tps := pp.Targets
	p.rollUp = pp.RollUp
	p.groupRolls = map[int]indicators.RollUp{}
	for _, g := range pp.Groups {
		p.groupRolls[g.Group.Number] = g.RollUp
	}
	groups, err := src.TaskGroups(ctx, plan.ID)
	if err != nil {
		return nil, err
	}
	if len(groups) == 0 && plan.Parent != "" {
		if groups, err = src.TaskGroups(ctx, plan.Parent); err != nil {
			return nil, err
		}
	}
	var rows []targetRow
	for _, tp := range tps {
		if req.Group != nil && tp.Target.Group != *req.Group {
			continue
		}
		rows = append(rows, p.row(tp))
	}
	// Targets of one indicator from different acts sit side by side.
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i].tp.Target, rows[j].tp.Target
		if a.Indicator != b.Indicator {
			return a.Indicator < b.Indicator
		}
		return order[a.Plan] < order[b.Plan]
	})
	p.sections = sections(groups, rows, req.Group)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return p.report(b.now(), by(ctx, req.By)), nil
}

// by is who a report is made for: the name asked, or the actor of ctx.
func by(ctx context.Context, name string) string {
	if strings.TrimSpace(name) != "" {
		return name
	}
	return indicators.ActorFrom(ctx).User
}

// sections files the rows under their task groups, in the groups' order;
// rows of a group the plan does not list come last, under "other".
func sections(groups []indicators.TaskGroup, rows []targetRow, only *int) []section {
	var out []section
	index := map[int]int{}
	for _, g := range groups {
		if only != nil && g.Number != *only {
			continue
		}
		index[g.Number] = len(out)
		out = append(out, section{group: g})
	}
	other := -1
	for _, r := range rows {
		i, ok := index[r.tp.Target.Group]
		if !ok {
			if other < 0 {
				other = len(out)
				out = append(out, section{other: true})
			}
			i = other
		}
		out[i].rows = append(out[i].rows, r)
	}
	return out
}

// row gathers what the table shows of one target, all of it as the engine
// returns it: the yearly values that count for its territory, the verdict
// of the latest year with a plan value, and the achievement. The report
// chooses no value and applies no threshold of its own.
func (p *progress) row(tp indicators.TargetProgress) targetRow {
	t, pr := tp.Target, tp.Progress
	r := targetRow{tp: tp, planCode: p.codes[t.Plan], dir: t.Direction,
		actual: map[int]indicators.UsedValue{}, planned: map[int]indicators.YearVerdict{}, achievement: pr.Achievement}
	if r.dir == "" {
		r.dir = tp.Indicator.Direction
	}
	if r.dir == "" {
		r.dir = indicators.Up
	}
	for _, v := range pr.Series {
		r.actual[v.Year] = v
	}
	r.baseYear = pr.BaseYear
	if r.baseYear == 0 {
		r.baseYear = p.period.BaseYear()
	}
	for _, yv := range pr.YearVerdicts {
		r.planned[yv.Year] = yv
		if yv.Verdict != "" && p.period.Contains(yv.Year) {
			r.verdict, r.verdictYear = yv.Verdict, yv.Year
		}
	}
	return r
}

// fig rounds a derived figure to six decimals, so that the last bits of
// floating-point arithmetic, which may differ between machines, never
// reach the content hash.
func fig(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	r := math.Round(x*1e6) / 1e6
	return &r
}

func round6(x *float64) *float64 {
	if x == nil {
		return nil
	}
	return fig(*x)
}

// settingsAt returns the thresholds in force at moment asOf: the ones the
// first later change replaced, or the current ones when none came later.
func settingsAt(ctx context.Context, src Source, asOf time.Time) (indicators.Settings, error) {
	evs, err := src.AuditEvents(ctx, indicators.AuditFilter{From: asOf.Add(time.Nanosecond), Action: "settings.update", Limit: 1})
	if err != nil {
		return indicators.Settings{}, err
	}
	if len(evs) == 0 || evs[0].Before == "" {
		return src.Settings(ctx)
	}
	s := indicators.DefaultSettings()
	if err := json.Unmarshal([]byte(evs[0].Before), &s); err != nil {
		return s, fmt.Errorf("reports: settings before audit event %d: %w", evs[0].ID, err)
	}
	return s, nil
}

// settingsAsOf is the store with the thresholds of the report's moment, so
// that the tracker judges with the rules then in force.
type settingsAsOf struct {
	indicators.Store
	settings indicators.Settings
}

func (s settingsAsOf) Settings(context.Context) (indicators.Settings, error) { return s.settings, nil }

// sources lists where a row's figures come from: the act and source codes
// of the target, then the sources and import batches of the values shown.
func (p *progress) sources(r targetRow) string {
	l := p.lang
	rev := r.tp.Target.TargetRevision
	var target []string
	for _, s := range []string{rev.Act, rev.Source} {
		if s != "" && !slices.Contains(target, s) {
			target = append(target, s)
		}
	}
	var codes, batches []string
	years := make([]int, 0, len(r.actual))
	for y := range r.actual {
		if y == r.baseYear || p.period.Contains(y) {
			years = append(years, y)
		}
	}
	sort.Ints(years)
	for _, y := range years {
		v := r.actual[y]
		if v.Batch != 0 {
			b := fmt.Sprintf(l.pick("lô %d", "batch %d"), v.Batch)
			if v.File != "" {
				b += " (" + v.File + ")"
			}
			if !slices.Contains(batches, b) {
				batches = append(batches, b)
			}
		} else if v.Source != "" && !slices.Contains(codes, v.Source) {
			codes = append(codes, v.Source)
		}
	}
	var parts []string
	if len(target) > 0 {
		parts = append(parts, l.pick("Mục tiêu: ", "Target: ")+strings.Join(target, ", "))
	}
	if vals := append(codes, batches...); len(vals) > 0 {
		parts = append(parts, l.pick("Số liệu: ", "Values: ")+strings.Join(vals, ", "))
	}
	return strings.Join(parts, ". ")
}
