package dashboard

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"chitieu/indicators"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/labstack/echo/v4"
)

// groupsData is what the task group list draws.
type groupsData struct {
	State     stateView
	PlanCode  string
	PlanTitle string
	AsOf      string
	Groups    []groupCard
	Chart     template.HTML
}

// groups lists the task groups of the plan with their roll-ups and a
// chart of their status mix side by side.
func (s *Server) groups(c echo.Context) error {
	st, err := s.readState(c)
	if err != nil {
		return err
	}
	lang := langOf(c)
	return s.renderPage(c, http.StatusOK, "groups", st.key(), func(ctx context.Context, cs *chartSet) (any, error) {
		pp, err := s.progress(ctx, st)
		if err != nil {
			return nil, err
		}
		d := groupsData{State: st.view(lang, "/groups"), PlanCode: st.Plan.Code,
			PlanTitle: pick(lang, st.Plan.TitleVI, st.Plan.TitleEN), AsOf: formatDate(lang, st.AsOf)}
		bar := charts.NewBar()
		bar.SetGlobalOptions(
			charts.WithInitializationOpts(chartInit("group-mix")),
			charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
			charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Type: "scroll"}),
			charts.WithToolboxOpts(saveAsImage(s.msgs.translate(lang, "chart.save"))),
			charts.WithGridOpts(opts.Grid{Left: "3%", Right: "4%", Top: "30", Bottom: "40", ContainLabel: opts.Bool(true)}),
			charts.WithXAxisOpts(opts.XAxis{Type: "value", MinInterval: 1}),
			charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true)}),
		)
		var names []string
		for _, g := range pp.Groups {
			card := groupCard{Number: g.Group.Number, Name: pick(lang, g.Group.NameVI, g.Group.NameEN),
				Scope: pick(lang, g.Group.ScopeVI, g.Group.ScopeEN), Roll: rollViewOf(g.RollUp),
				Targets: len(g.Targets), Tasks: len(g.Tasks), Link: st.link("/groups/" + strconv.Itoa(g.Group.Number))}
			d.Groups = append(d.Groups, card)
			names = append(names, strconv.Itoa(g.Group.Number)+". "+card.Name)
		}
		bar.SetXAxis(names)
		for _, status := range indicators.Statuses {
			data := make([]opts.BarData, len(pp.Groups))
			for i, g := range pp.Groups {
				data[i] = opts.BarData{Value: g.RollUp.Counts[status]}
			}
			bar.AddSeries(s.msgs.translate(lang, "status."+string(status)), data,
				charts.WithBarChartOpts(opts.BarChart{Stack: "status"}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: statusColors[status]}))
		}
		bar.XYReversal()
		if d.Chart, err = cs.chart("group-mix", bar, "chart-tall", s.msgs.translate(lang, "groups.chart")); err != nil {
			return nil, err
		}
		return d, nil
	})
}

// groupData is what a task group page draws.
type groupData struct {
	State      stateView
	Number     int
	Name       string
	Scope      string
	PlanCode   string
	AsOf       string
	Roll       rollView
	Targets    []targetRow
	Tasks      []taskRow
	TasksChart template.HTML
	Back       string
	Download   string // the group's progress report
}

// taskRow is a task with its verdict.
type taskRow struct {
	Code, Name, Lead, Note string
	Deadline, Done         string
	Percent                *float64
	Status                 indicators.Status
	Explanation            string
	Report                 string // the task's progress page, for those who may report on it
}

// group shows one task group: its targets with their latest values, the
// target, the status, the pace still required and a sparkline; its tasks
// and key projects with lead agency, deadline and percent complete.
func (s *Server) group(c echo.Context) error {
	st, err := s.readState(c)
	if err != nil {
		return err
	}
	number, err := strconv.Atoi(c.Param("number"))
	if err != nil {
		return indicators.FieldError(indicators.ENOTFOUND, "group", "không tìm thấy nhóm nhiệm vụ "+strconv.Quote(c.Param("number")),
			"task group "+strconv.Quote(c.Param("number"))+" not found")
	}
	// Planners and admins get a link to each task's progress page, so the
	// page is kept apart for them.
	u, _ := currentUser(c)
	report := slices.Contains(reporters.roles, u.Role)
	key := st.key() + "|" + strconv.Itoa(number) + "|" + strconv.FormatBool(report)
	lang := langOf(c)
	return s.renderPage(c, http.StatusOK, "group", key, func(ctx context.Context, cs *chartSet) (any, error) {
		pp, err := s.progress(ctx, st)
		if err != nil {
			return nil, err
		}
		var g *indicators.GroupProgress
		for i := range pp.Groups {
			if pp.Groups[i].Group.Number == number {
				g = &pp.Groups[i]
			}
		}
		if g == nil {
			return nil, indicators.FieldError(indicators.ENOTFOUND, "group", "không tìm thấy nhóm nhiệm vụ "+strconv.Itoa(number),
				"task group "+strconv.Itoa(number)+" not found")
		}
		d := groupData{State: st.view(lang, "/groups/"+strconv.Itoa(number)), Number: number,
			Name: pick(lang, g.Group.NameVI, g.Group.NameEN), Scope: pick(lang, g.Group.ScopeVI, g.Group.ScopeEN),
			PlanCode: st.Plan.Code, AsOf: formatDate(lang, st.AsOf), Roll: rollViewOf(g.RollUp), Back: st.link("/groups"),
			Download: st.progressDownload(lang, number)}
		explained, err := s.explained(ctx, lang)
		if err != nil {
			return nil, err
		}
		for _, tp := range g.Targets {
			r := s.targetRowOf(lang, tp, pp.Plans, st.link("/indicators/"+tp.Indicator.Code))
			r.Explained = explained[tp.Target.ID]
			r.Spark = sparkline(tp.Progress.Series, tp.Target.Period.BaseYear()-1, tp.Target.Period.To,
				s.msgs.translate(lang, "group.spark", r.Name))
			d.Targets = append(d.Targets, r)
		}
		units, err := s.unitNames(ctx, lang)
		if err != nil {
			return nil, err
		}
		for _, tp := range g.Tasks {
			t := tp.Task
			lead := units[t.LeadAgency]
			if lead == "" {
				lead = t.LeadAgency
			}
			d.Tasks = append(d.Tasks, taskRow{Code: t.Code, Name: pick(lang, t.NameVI, t.NameEN), Lead: lead,
				Note: t.StatusNote, Deadline: formatDate(lang, t.Deadline), Done: formatDate(lang, t.Done), Percent: t.Percent,
				Status: tp.Progress.Status, Explanation: pick(lang, tp.Progress.ExplanationVI, tp.Progress.ExplanationEN)})
			row := &d.Tasks[len(d.Tasks)-1]
			// The percent as last reported by the as-of day, which the
			// verdict rests on, rather than the catalogue's.
			if tp.Progress.SoFar != nil {
				row.Percent = tp.Progress.SoFar
			}
			if report {
				row.Report = "/tasks/" + url.PathEscape(t.Code)
			}
		}
		if len(d.Tasks) > 0 {
			if d.TasksChart, err = s.tasksChart(cs, lang, d.Tasks); err != nil {
				return nil, err
			}
		}
		return d, nil
	})
}

// tasksChart draws the percent complete of each task as a bar in its
// status colour.
func (s *Server) tasksChart(cs *chartSet, lang string, tasks []taskRow) (template.HTML, error) {
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithInitializationOpts(chartInit("tasks")),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithToolboxOpts(saveAsImage(s.msgs.translate(lang, "chart.save"))),
		charts.WithGridOpts(opts.Grid{Left: "3%", Right: "6%", Top: "30", Bottom: "20", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: 0, Max: 100, Name: "%"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Width: 220, Overflow: "truncate"}}),
	)
	names := make([]string, len(tasks))
	data := make([]opts.BarData, len(tasks))
	for i, t := range tasks {
		names[i] = t.Code + " " + t.Name
		v := any("-")
		if t.Percent != nil {
			v = *t.Percent
		} else if t.Done != "" {
			v = 100.0
		}
		data[i] = opts.BarData{Name: names[i], Value: v, ItemStyle: &opts.ItemStyle{Color: statusColors[t.Status]}}
	}
	bar.SetXAxis(names)
	bar.AddSeries(s.msgs.translate(lang, "group.percent"), data,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Formatter: "{c} %"}))
	bar.XYReversal()
	return cs.chart("tasks", bar, "chart-tall", s.msgs.translate(lang, "group.tasks_chart"))
}

// unitNames maps unit codes to names in lang, for lead agencies.
func (s *Server) unitNames(ctx context.Context, lang string) (map[string]string, error) {
	units, err := s.store.Units(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(units))
	for _, u := range units {
		m[u.Code] = pick(lang, u.NameVI, u.NameEN)
	}
	return m, nil
}
