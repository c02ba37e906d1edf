package dashboard

import (
	"context"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"chitieu/indicators"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/labstack/echo/v4"
)

// headlineIndicators are the indicators a leader looks at first, in the
// order of the tiles; those without a target in the period are left out.
var headlineIndicators = []string{"ECO-01", "ECO-02", "ECO-03", "ECO-06", "ECO-08", "SOC-01", "SOC-04", "ECO-16"}

// overviewData is what the overview page draws.
type overviewData struct {
	State      stateView
	PlanCode   string
	PlanTitle  string
	Period     indicators.YearRange
	AsOf       time.Time
	AsOfSet    bool
	LastUpdate time.Time
	Tiles      []targetRow
	Total      rollView
	Mix        template.HTML
	Groups     []groupCard
	Attention  []targetRow
	Targets    int
	Tasks      int
	// MyShares are the shares of targets set for the units a planner
	// writes for, shown first on their overview.
	MyShares []myShare
	// NothingKnown is the sentence shown instead of empty sections as of a
	// day before any of the plan's targets was known.
	NothingKnown string
}

// myShare is a unit's share of a target, on the overview of a planner of
// that unit.
type myShare struct {
	Unit, Indicator, Name, Bound, Link string
	Rank, Of                           int
	Status                             indicators.Status
}

// myShares lists the shares of the plan's targets set for units, in the
// targets' order, each with its place among the target's units.
func (s *Server) myShares(ctx context.Context, lang string, st pageState, pp *planProgress, units []string) ([]myShare, error) {
	var out []myShare
	tr, err := s.trackerOf(ctx, st)
	if err != nil {
		return nil, err
	}
	for _, tp := range pp.Targets {
		shares, err := tr.Shares(ctx, tp.Target, st.AsOf)
		if err != nil {
			return nil, err
		}
		for _, sh := range shares {
			if !slices.Contains(units, sh.Unit.Code) {
				continue
			}
			out = append(out, myShare{Unit: pick(lang, sh.Unit.NameVI, sh.Unit.NameEN), Indicator: tp.Indicator.Code,
				Name: pick(lang, tp.Indicator.NameVI, tp.Indicator.NameEN), Rank: sh.Rank, Of: len(shares),
				Bound: sh.Target.Bound.Format(lang, max(tp.Indicator.Decimals, 2)), Status: sh.Progress.Status,
				Link: st.link("/indicators/" + tp.Indicator.Code)})
		}
	}
	return out, nil
}

// groupCard is a task group with its roll-up.
type groupCard struct {
	Number  int
	Name    string
	Scope   string
	Roll    rollView
	Targets int
	Tasks   int
	Link    string
}

// overview is the leaders' front page: for a plan, a period and a day,
// the headline targets, the status mix, the task groups and what needs
// attention.
func (s *Server) overview(c echo.Context) error {
	st, err := s.readState(c)
	if err != nil {
		return err
	}
	lang := langOf(c)
	// A planner limited to units sees their units' targets first; the page
	// is kept apart for each set of units.
	var mine []string
	if u, ok := currentUser(c); ok && u.Role == indicators.Planner {
		mine = u.Units
	}
	return s.renderPage(c, http.StatusOK, "overview", st.key()+"|"+strings.Join(mine, ","), func(ctx context.Context, cs *chartSet) (any, error) {
		pp, err := s.progress(ctx, st)
		if err != nil {
			return nil, err
		}
		d := overviewData{State: st.view(lang, "/"), PlanCode: st.Plan.Code, PlanTitle: pick(lang, st.Plan.TitleVI, st.Plan.TitleEN),
			Period: st.Period, AsOf: st.AsOf, AsOfSet: st.AsOfSet, Total: rollViewOf(pp.Total),
			LastUpdate: lastEntered(pp.Targets), Targets: len(pp.Targets)}
		var rows []targetRow
		for _, tp := range pp.Targets {
			rows = append(rows, s.targetRowOf(lang, tp, pp.Plans, st.link("/indicators/"+tp.Indicator.Code)))
		}
		// A tile shows the first target of its indicator in the family's order
		// (the plan itself, then the plans that make it concrete).
		for _, code := range headlineIndicators {
			for _, r := range rows {
				if r.Indicator == code {
					d.Tiles = append(d.Tiles, r)
					break
				}
			}
		}
		d.Attention = attention(rows)
		d.Tasks = pp.Tasks
		if st.AsOfSet && len(pp.Targets) == 0 {
			vi, en := indicators.NothingKnownYet(st.Plan, st.AsOf)
			d.NothingKnown = pick(lang, vi, en)
		}
		for _, g := range pp.Groups {
			d.Groups = append(d.Groups, groupCard{Number: g.Group.Number, Name: pick(lang, g.Group.NameVI, g.Group.NameEN),
				Scope: pick(lang, g.Group.ScopeVI, g.Group.ScopeEN), Roll: rollViewOf(g.RollUp),
				Targets: len(g.Targets), Tasks: len(g.Tasks), Link: st.link("/groups/" + strconv.Itoa(g.Group.Number))})
		}
		if d.Mix, err = s.statusMixChart(cs, lang, pp.Total); err != nil {
			return nil, err
		}
		if len(mine) > 0 {
			if d.MyShares, err = s.myShares(ctx, lang, st, pp, mine); err != nil {
				return nil, err
			}
		}
		return d, nil
	})
}

// statusMixChart is a doughnut of how many targets and tasks are in each
// status.
func (s *Server) statusMixChart(cs *chartSet, lang string, r indicators.RollUp) (template.HTML, error) {
	pie := charts.NewPie()
	pie.SetGlobalOptions(
		charts.WithInitializationOpts(chartInit("status-mix")),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Type: "scroll"}),
		charts.WithToolboxOpts(saveAsImage(s.msgs.translate(lang, "chart.save"))),
	)
	var data []opts.PieData
	for _, st := range indicators.Statuses {
		if n := r.Counts[st]; n > 0 {
			data = append(data, opts.PieData{Name: s.msgs.translate(lang, "status."+string(st)), Value: n,
				ItemStyle: &opts.ItemStyle{Color: statusColors[st]}})
		}
	}
	pie.AddSeries(s.msgs.translate(lang, "overview.mix"), data,
		charts.WithPieChartOpts(opts.PieChart{Radius: []string{"42%", "68%"}, Center: []string{"50%", "45%"}}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{c}"}))
	return cs.chart("status-mix", pie, "chart-mid", s.msgs.translate(lang, "overview.mix"))
}

// saveAsImage is the toolbox every chart carries: save the chart as a
// picture (made in the browser, nothing leaves it).
func saveAsImage(title string) opts.Toolbox {
	return opts.Toolbox{Show: opts.Bool(true), Right: "0", Feature: &opts.ToolBoxFeature{
		SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{Show: opts.Bool(true), Title: title, Type: "png"}}}
}
