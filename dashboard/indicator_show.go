package dashboard

import (
	"context"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"chitieu/indicators"
	"chitieu/reports"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/labstack/echo/v4"
)

// mergerYear is the year Can Tho merged with Hau Giang and Soc Trang (1
// July 2025): the city's territory, and so the scope of its values,
// changes there.
const mergerYear = 2025

// indicatorData is what an indicator page draws.
type indicatorData struct {
	State     stateView
	Code      string
	Name      string
	Unit      string
	Direction string
	Measure   string
	Lead      string
	Note      string
	PlanCode  string
	AsOf      string
	History   template.HTML
	ByUnit    template.HTML
	UnitYear  int
	UnitsLink string
	Targets   []indicatorTarget
	Values    []valueRow
	// Values not listed, in the data export only.
	ValuesOmitted int
	UnitValues    int
	// The data export of the indicator, as of the page's day.
	DownloadXLSX, DownloadCSV string
	// The metadata sheet (siêu dữ liệu), as it stands now.
	Metadata metadataView
}

// indicatorTarget is a target of the indicator with its revisions and the
// units' shares of it, in league order.
type indicatorTarget struct {
	targetRow
	Revisions []revisionRow
	Shares    []shareRow
}

// shareRow is one unit's share of a city target in the league table.
type shareRow struct {
	Rank                     int
	UnitCode, UnitName, Link string
	Bound, Reason            string
	Status                   indicators.Status
	Achievement, SoFar       *float64
	LatestYear               int
	RestsOnEstimate          bool
	Explanation              string
}

// revisionRow is one revision of a target, the one in force marked.
type revisionRow struct {
	Seq                   int
	Bound, Text, Act      string
	Effective, EnteredAt  string
	EnteredBy, Reason     string
	InForce, Kind, Source string
}

// valueRow is one stored value with its provenance and what it
// superseded.
type valueRow struct {
	ID         int64
	Period     string
	Unit       string
	Type       indicators.ValueType
	Value      float64
	High       *float64
	Decimals   int
	Scope      string
	Current    bool
	Retracted  bool
	Source     string
	Sources    []sourceLink // Source as links to the register
	Batch      int64
	File       string
	Cell       string // "Sheet!C12"
	EnteredBy  string
	EnteredAt  time.Time
	Note       string
	Replaced   *valueRef // the value this one superseded
	ReplacedBy int64     // the value that superseded this one
	FirstOfKey bool
}

type valueRef struct {
	ID    int64
	Value float64
	By    string
	At    time.Time
}

// indicatorShow is the page of one indicator: its history with the
// targets of every plan and period of the family drawn on it, the targets
// with their verdicts and revisions, every value with its provenance, and
// the values by territorial unit.
func (s *Server) indicatorShow(c echo.Context) error {
	st, err := s.readState(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	ind, err := s.indicator(ctx, pathParam(c, "code"))
	if err != nil {
		return err
	}
	lang := langOf(c)
	return s.renderPage(c, http.StatusOK, "indicator", st.key()+"|"+ind.Code, func(ctx context.Context, cs *chartSet) (any, error) {
		all, err := s.progressAll(ctx, st)
		if err != nil {
			return nil, err
		}
		var tps []indicators.TargetProgress
		for _, tp := range all.Targets {
			if tp.Indicator.Code == ind.Code {
				tps = append(tps, tp)
			}
		}
		values, err := s.cityValues(ctx, ind.Code, st.AsOf)
		if err != nil {
			return nil, err
		}
		if values, err = s.figuresOf(ctx, st, values); err != nil {
			return nil, err
		}
		tr, err := s.trackerOf(ctx, st)
		if err != nil {
			return nil, err
		}
		units, err := s.store.Units(ctx)
		if err != nil {
			return nil, err
		}
		unitByCode := map[string]indicators.Unit{}
		for _, u := range units {
			unitByCode[u.Code] = u
		}
		d := s.indicatorHeader(lang, st, ind, unitByCode)
		if d.Targets, err = s.indicatorTargets(ctx, lang, st, ind, tps, all.Plans, tr); err != nil {
			return nil, err
		}
		d.Values, d.ValuesOmitted = valueRows(values, unitByCode, lang, ind.Decimals)
		for i := range d.Values {
			if d.Values[i].Sources, err = s.sourceLinks(ctx, d.Values[i].Source); err != nil {
				return nil, err
			}
		}
		meta, err := s.metadata.IndicatorMetadata(ctx, ind.Code)
		if err != nil {
			return nil, err
		}
		d.Metadata = s.metadataView(lang, meta)
		if d.History, err = s.historyChart(cs, lang, ind, values, tps, all.Plans, st.AsOf); err != nil {
			return nil, err
		}
		unitValues, err := s.unitValues(ctx, ind.Code, st.AsOf)
		if err != nil {
			return nil, err
		}
		if unitValues, err = s.figuresOf(ctx, st, unitValues); err != nil {
			return nil, err
		}
		d.UnitValues = len(unitValues)
		if len(unitValues) > 0 {
			if d.ByUnit, d.UnitYear, err = s.byUnitChart(cs, lang, ind, unitValues, st.AsOf, unitByCode); err != nil {
				return nil, err
			}
		}
		return d, nil
	})
}

// indicatorHeader is the indicator page's view without its tables and
// charts: names, unit, direction, measure, lead agency and the links.
func (s *Server) indicatorHeader(lang string, st pageState, ind indicators.Indicator, unitByCode map[string]indicators.Unit) indicatorData {
	d := indicatorData{State: st.view(lang, "/indicators/"+ind.Code), Code: ind.Code, Name: pick(lang, ind.NameVI, ind.NameEN),
		Unit: pick(lang, ind.Unit, ind.UnitEN), Direction: s.msgs.translate(lang, "direction."+string(ind.Direction)),
		Measure: s.msgs.translate(lang, "measure."+string(ind.Measure)), Note: pick(lang, ind.NoteVI, ind.NoteEN),
		PlanCode: st.Plan.Code, AsOf: formatDate(lang, st.AsOf), UnitsLink: st.link("/units", "indicator", ind.Code),
		DownloadXLSX: st.dataDownload(lang, ind.Code, reports.FormatXLSX), DownloadCSV: st.dataDownload(lang, ind.Code, reports.FormatCSV)}
	if u, ok := unitByCode[ind.LeadAgency]; ok {
		d.Lead = pick(lang, u.NameVI, u.NameEN)
	}
	return d
}

// indicatorTargets is the indicator's targets of every plan and period,
// each with its verdict, its revisions and its shares among the units.
func (s *Server) indicatorTargets(ctx context.Context, lang string, st pageState, ind indicators.Indicator,
	tps []indicators.TargetProgress, plans map[string]indicators.Plan, tr indicators.Tracker) ([]indicatorTarget, error) {
	explained, err := s.explained(ctx, lang)
	if err != nil {
		return nil, err
	}
	var out []indicatorTarget
	for _, tp := range tps {
		it := indicatorTarget{targetRow: s.targetRowOf(lang, tp, plans, "")}
		it.Explained = explained[tp.Target.ID]
		for _, r := range tp.Target.Revisions {
			it.Revisions = append(it.Revisions, revisionRow{Seq: r.Seq, Bound: r.Bound.Format(lang, max(ind.Decimals, 2)),
				Text: r.Text, Act: r.Act, Effective: formatDate(lang, r.Effective), EnteredAt: formatDateTime(lang, r.EnteredAt),
				EnteredBy: indicators.AuthorName(r.EnteredBy, lang), Reason: r.Reason, InForce: strconv.FormatBool(r.Seq == tp.Target.Seq),
				Kind: s.msgs.translate(lang, "kind."+string(r.Kind)), Source: r.Source})
		}
		shares, err := tr.Shares(ctx, tp.Target, st.AsOf)
		if err != nil {
			return nil, err
		}
		for _, sh := range shares {
			bound := sh.Target.Bound.Format(lang, max(ind.Decimals, 2))
			if sh.Target.Kind == indicators.RelativeTarget {
				bound += " " + s.msgs.translate(lang, "admin.target.parsed_base", sh.Target.BaseYear)
			} else if sh.Target.Bound.Quantified() {
				bound += " " + pick(lang, ind.Unit, ind.UnitEN)
			}
			it.Shares = append(it.Shares, shareRow{Rank: sh.Rank, UnitCode: sh.Unit.Code,
				UnitName: pick(lang, sh.Unit.NameVI, sh.Unit.NameEN),
				Link:     st.link("/units", "indicator", ind.Code) + "#unit-" + sh.Unit.Code,
				Bound:    bound, Status: sh.Progress.Status, Achievement: sh.Achievement, SoFar: sh.Progress.SoFar,
				LatestYear: sh.Progress.LatestYear, RestsOnEstimate: sh.Progress.RestsOnEstimate,
				Explanation: pick(lang, sh.Progress.ExplanationVI, sh.Progress.ExplanationEN)})
		}
		out = append(out, it)
	}
	return out, nil
}

// progressAll judges the family's targets of every period, for pages that
// show an indicator across periods.
func (s *Server) progressAll(ctx context.Context, st pageState) (*planProgress, error) {
	v, err := s.cached(ctx, "progress-all|"+st.Plan.ID+"|"+st.asOfDay()+"|"+st.Figures, func(ctx context.Context) (any, error) {
		tr, err := s.trackerOf(ctx, st)
		if err != nil {
			return nil, err
		}
		tps, err := tr.Targets(ctx, st.Plan.ID, nil, st.AsOf)
		if err != nil {
			return nil, err
		}
		pp := &planProgress{Targets: tps, Plans: map[string]indicators.Plan{}}
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

// unitValues returns the yearly values of an indicator for the territorial
// units below the city (districts, communes) as they stood at asOf: the
// charts by unit compare years.
func (s *Server) unitValues(ctx context.Context, code string, asOf time.Time) ([]indicators.Value, error) {
	key := "units|" + code + "|" + asOf.Format(indicators.DateLayout)
	v, err := s.cached(ctx, key, func(ctx context.Context) (any, error) {
		var out []indicators.Value
		for _, kind := range []indicators.UnitKind{indicators.District, indicators.Commune} {
			vs, err := s.store.Values(ctx, indicators.ValueFilter{Indicator: code, UnitKind: kind, EnteredBy: asOf, YearsOnly: true})
			if err != nil {
				return nil, err
			}
			for _, v := range vs {
				if !v.Superseded {
					out = append(out, v)
				}
			}
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]indicators.Value), nil
}

// The indicator page lists at most maxValueRows values, whole keys newest
// period first, and at most maxKeyRows of one key's history: an indicator
// reported every month for years and revised often would otherwise make a
// page of megabytes. The data export linked above the table holds them all.
const (
	maxValueRows = 300
	maxKeyRows   = 20
)

// valueRows lists the city's values newest period first; within a key the
// current value comes first and the ones it superseded follow, each
// saying what replaced what. It returns how many values it left out.
func valueRows(vs []indicators.Value, units map[string]indicators.Unit, lang string, decimals int) (rows []valueRow, omitted int) {
	byKey := map[indicators.Key][]indicators.Value{}
	var keys []indicators.Key
	for _, v := range vs {
		if _, ok := byKey[v.Key]; !ok {
			keys = append(keys, v.Key)
		}
		byKey[v.Key] = append(byKey[v.Key], v)
	}
	typeOrder := map[indicators.ValueType]int{indicators.OfficialValue: 0, indicators.EstimateValue: 1, indicators.PlanValue: 2}
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.Period.Year != b.Period.Year {
			return a.Period.Year > b.Period.Year
		}
		if a.Period.String() != b.Period.String() {
			return a.Period.String() > b.Period.String()
		}
		if a.Unit != b.Unit {
			return a.Unit < b.Unit
		}
		return typeOrder[a.Type] < typeOrder[b.Type]
	})
	var out []valueRow
	for _, k := range keys {
		list := byKey[k]
		if len(out) >= maxValueRows {
			omitted += len(list)
			continue
		}
		sort.SliceStable(list, func(i, j int) bool { return list[i].Newer(&list[j]) })
		shown := list[:min(len(list), maxKeyRows)]
		omitted += len(list) - len(shown)
		for i, v := range shown {
			r := valueRow{ID: v.ID, Period: v.Period.Label(lang), Unit: pick(lang, units[v.Unit].NameVI, units[v.Unit].NameEN),
				Type: v.Type, Value: v.Value, High: v.High, Decimals: decimals, Scope: string(v.Scope),
				Current: !v.Superseded, Retracted: !v.RetractedAt.IsZero(), Source: v.Source, Batch: v.Batch, File: v.File,
				EnteredBy: indicators.AuthorName(v.EnteredBy, lang), EnteredAt: v.EnteredAt, Note: v.Note, FirstOfKey: i == 0}
			if r.Unit == "" {
				r.Unit = v.Unit
			}
			if v.Sheet != "" || v.Cell != "" {
				r.Cell = strings.TrimPrefix(v.Sheet+"!"+v.Cell, "!")
			}
			if i+1 < len(list) {
				o := list[i+1]
				r.Replaced = &valueRef{ID: o.ID, Value: o.Value, By: indicators.AuthorName(o.EnteredBy, lang), At: o.EnteredAt}
			}
			if i > 0 {
				r.ReplacedBy = list[i-1].ID
			}
			out = append(out, r)
		}
	}
	return out, omitted
}

// seriesStyle is how the history chart draws one kind of value.
type seriesStyle struct {
	typ     indicators.ValueType
	key     string // message key of its name
	symbol  string
	line    string // solid, dashed, dotted
	opacity float32
}

var historyStyles = []seriesStyle{
	{indicators.OfficialValue, "history.official", "circle", "solid", 1},
	{indicators.EstimateValue, "history.estimate", "emptyTriangle", "dashed", 0.8},
	{indicators.PlanValue, "history.plan", "diamond", "dotted", 0.7},
}

// scopeColors keeps each territory in one colour family: blue for the old
// city, orange for the merged one.
var scopeColors = map[indicators.Scope][3]string{
	indicators.OldCity:    {"#1d4e89", "#4f86c6", "#8fb3de"},
	indicators.MergedCity: {"#c2410c", "#ea7a3c", "#f3ad83"},
}

// historyChart draws the indicator's history: one series per territory
// and value type (official solid, estimates dashed with open triangles,
// plan values dotted with diamonds), the targets of every plan and period
// as bands (ranges) or lines (bounds), the original of a revised target
// too, the projection to each target's end year dashed, and the merger of
// 1 July 2025 as a vertical line where the scope changes.
func (s *Server) historyChart(cs *chartSet, lang string, ind indicators.Indicator, vs []indicators.Value,
	tps []indicators.TargetProgress, plans map[string]indicators.Plan, asOf time.Time) (template.HTML, error) {
	t := func(key string, args ...any) string { return s.msgs.translate(lang, key, args...) }
	lo, hi, scopes := historyYears(vs, tps)
	years := make([]string, 0, hi-lo+1)
	for y := lo; y <= hi; y++ {
		years = append(years, strconv.Itoa(y))
	}
	line := charts.NewLine()
	line.SetGlobalOptions(
		charts.WithInitializationOpts(chartInit("history")),
		charts.WithTitleOpts(opts.Title{Title: ind.Code + " " + pick(lang, ind.NameVI, ind.NameEN),
			TitleStyle: &opts.TextStyle{FontSize: 13}}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Type: "scroll"}),
		charts.WithToolboxOpts(saveAsImage(t("chart.save"))),
		charts.WithGridOpts(opts.Grid{Left: "2%", Right: "3%", Top: "60", Bottom: "50", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: pick(lang, ind.Unit, ind.UnitEN), Scale: opts.Bool(true)}),
	)
	line.SetXAxis(years)
	// Everything drawn widens the value axis, so that no band, line or
	// projection falls off the chart (ECO-03's 145–160 and ≥ 220).
	ext := axisExtent{}
	s.addValueSeries(line, t, vs, scopes, asOf, lo, hi, &ext)
	addProjections(line, t, tps, lo, hi, &ext)
	// The targets: one carrier series holds every band and line, so that
	// the legend can show or hide them together.
	bands, marks := targetMarks(lang, t, ind, tps, plans, &ext)
	carrier := blankLineData(len(years))
	if lo <= mergerYear && mergerYear <= hi {
		marks = append(marks, map[string]any{"name": t("history.merger"), "xAxis": strconv.Itoa(mergerYear),
			"lineStyle": map[string]any{"type": "solid", "color": "#57606a", "width": 2},
			"label":     map[string]any{"formatter": "{b}", "position": "insideEndTop"}})
	}
	line.AddSeries(t("history.targets"), carrier,
		charts.WithLineStyleOpts(opts.LineStyle{Color: "#2da44e"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#2da44e"}),
		func(s *charts.SingleSeries) {
			s.MarkAreas = &opts.MarkAreas{Data: bands}
			s.MarkLines = &opts.MarkLines{Data: marks, MarkLineStyle: opts.MarkLineStyle{Symbol: []string{"none", "none"}}}
		})
	addGrowthPaths(line, t, ind, tps, plans, lo, hi, &ext)
	line.SetGlobalOptions(charts.WithYAxisOpts(ext.axis(pick(lang, ind.Unit, ind.UnitEN))))
	return cs.chart("history", line, "chart-tall", t("history.aria", pick(lang, ind.NameVI, ind.NameEN)))
}

// historyYears is the span of the history chart's axis — every year with
// a value and every year a target covers, from its base year; the last
// five years when there is neither — and the territories with values.
func historyYears(vs []indicators.Value, tps []indicators.TargetProgress) (lo, hi int, scopes map[indicators.Scope]bool) {
	lo, hi = math.MaxInt, math.MinInt
	scopes = map[indicators.Scope]bool{}
	for _, v := range vs {
		if v.Period.IsYear() && !v.Superseded {
			lo, hi = min(lo, v.Period.Year), max(hi, v.Period.Year)
			scopes[v.Scope] = true
		}
	}
	for _, tp := range tps {
		lo, hi = min(lo, tp.Target.Period.BaseYear()), max(hi, tp.Target.Period.To)
	}
	if lo > hi {
		lo, hi = time.Now().Year()-5, time.Now().Year()
	}
	return lo, hi, scopes
}

// blankLineData is a series of n years with no value yet.
func blankLineData(n int) []opts.LineData {
	data := make([]opts.LineData, n)
	for j := range data {
		data[j] = opts.LineData{Value: "-"}
	}
	return data
}

// addValueSeries draws one series per territory and value type: official
// solid, estimates dashed with open triangles, plan values dotted with
// diamonds, in the territory's colour family.
func (s *Server) addValueSeries(line *charts.Line, t func(string, ...any) string, vs []indicators.Value,
	scopes map[indicators.Scope]bool, asOf time.Time, lo, hi int, ext *axisExtent) {
	for _, scope := range []indicators.Scope{indicators.OldCity, indicators.MergedCity} {
		if !scopes[scope] {
			continue
		}
		// The values that count, by the engine's one rule; an estimate is
		// drawn where no official value replaced it.
		counted := indicators.ByYear(vs, scope, asOf)
		plans := indicators.PlansByYear(vs, scope, asOf)
		for i, style := range historyStyles {
			ys := map[int]indicators.Value{}
			if style.typ == indicators.PlanValue {
				ys = plans
			} else {
				for y, v := range counted {
					if v.Type == style.typ {
						ys[y] = v
					}
				}
			}
			if len(ys) == 0 {
				continue
			}
			data := blankLineData(hi - lo + 1)
			for y, v := range ys {
				if y < lo || y > hi {
					continue
				}
				data[y-lo] = opts.LineData{Value: v.Value}
				ext.add(v.Value)
			}
			color := scopeColors[scope][i]
			line.AddSeries(t(style.key)+" — "+t("scope."+string(scope)), data,
				charts.WithLineChartOpts(opts.LineChart{Symbol: style.symbol, SymbolSize: 8, ShowSymbol: opts.Bool(true),
					ConnectNulls: opts.Bool(style.typ != indicators.EstimateValue)}),
				charts.WithLineStyleOpts(opts.LineStyle{Type: style.line, Color: color, Width: 2, Opacity: opts.Float(style.opacity)}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: color}))
		}
	}
}

// addProjections draws the projections of the targets, dashed, each from
// its latest year to its end year; equal projections once.
func addProjections(line *charts.Line, t func(string, ...any) string, tps []indicators.TargetProgress, lo, hi int, ext *axisExtent) {
	seen := map[string]bool{}
	for _, tp := range tps {
		p := tp.Progress
		if p.Projection == nil || p.LatestYear == 0 || p.LatestYear >= tp.Target.Period.To || p.Band == nil || !p.Band.InValues {
			continue
		}
		latest, ok := seriesValue(p.Series, p.LatestYear)
		if !ok {
			continue
		}
		key := fmt.Sprint(p.LatestYear, tp.Target.Period.To, *p.Projection)
		if seen[key] {
			continue
		}
		seen[key] = true
		data := blankLineData(hi - lo + 1)
		data[p.LatestYear-lo] = opts.LineData{Value: latest.Value}
		data[tp.Target.Period.To-lo] = opts.LineData{Value: *p.Projection}
		ext.add(*p.Projection)
		line.AddSeries(t("history.projection", tp.Target.Period.To), data,
			charts.WithLineChartOpts(opts.LineChart{Symbol: "emptyCircle", ConnectNulls: opts.Bool(true)}),
			charts.WithLineStyleOpts(opts.LineStyle{Type: "dashed", Color: "#6e7781", Width: 2}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: "#6e7781"}))
	}
}

// addGrowthPaths draws the paths to targets on average growth of a level:
// the base year's value growing at the bound's rate to the end year.
func addGrowthPaths(line *charts.Line, t func(string, ...any) string, ind indicators.Indicator, tps []indicators.TargetProgress,
	plans map[string]indicators.Plan, lo, hi int, ext *axisExtent) {
	for _, tp := range tps {
		tg, p := tp.Target, tp.Progress
		if tg.Kind != indicators.AvgGrowthTarget || ind.Measure == indicators.GrowthRate || p.Band == nil || p.Band.Lo == nil {
			continue
		}
		by := p.BaseYear
		if by == 0 {
			by = tg.Period.BaseYear()
		}
		base, ok := seriesValue(p.Series, by)
		if !ok || by < lo {
			continue
		}
		rate := *p.Band.Lo
		data := blankLineData(hi - lo + 1)
		for y := by; y <= tg.Period.To; y++ {
			x := math.Round(base.Value*math.Pow(1+rate/100, float64(y-by))*1e4) / 1e4
			data[y-lo] = opts.LineData{Value: x}
			ext.add(x)
		}
		line.AddSeries(t("history.path", plans[tg.Plan].Code, tg.Period.String()), data,
			charts.WithLineChartOpts(opts.LineChart{Symbol: "none", ConnectNulls: opts.Bool(true)}),
			charts.WithLineStyleOpts(opts.LineStyle{Type: "dotted", Color: "#2da44e", Width: 1.5}))
	}
}

// seriesValue is the value of year y in a target's series.
func seriesValue(series []indicators.UsedValue, y int) (indicators.UsedValue, bool) {
	for _, v := range series {
		if v.Year == y {
			return v, true
		}
	}
	return indicators.UsedValue{}, false
}

// axisExtent collects the figures a chart draws, so that its value axis
// holds all of them: values, projections, paths and every end of every
// band or line.
type axisExtent struct {
	lo, hi float64
	any    bool
}

func (x *axisExtent) add(v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return
	}
	if !x.any {
		x.lo, x.hi, x.any = v, v, true
		return
	}
	x.lo, x.hi = math.Min(x.lo, v), math.Max(x.hi, v)
}

// axis is a value axis from a little below the lowest figure to a little
// above the highest, on round steps; ECharts' own scale would stop at the
// values and leave a target beyond them off the chart.
func (x *axisExtent) axis(name string) opts.YAxis {
	y := opts.YAxis{Type: "value", Name: name, Scale: opts.Bool(true)}
	if !x.any {
		return y
	}
	lo, hi := x.lo, x.hi
	pad := (hi - lo) * 0.08
	if pad == 0 {
		pad = math.Max(math.Abs(hi)*0.1, 1)
	}
	step := niceStep((hi - lo + 2*pad) / 5)
	y.Min = math.Floor((lo-pad)/step) * step
	y.Max = math.Ceil((hi+pad)/step) * step
	if lo >= 0 && y.Min.(float64) < 0 {
		y.Min = 0.0
	}
	return y
}

// niceStep rounds a step up to 1, 2 or 5 times a power of ten.
func niceStep(x float64) float64 {
	if x <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x {
			return m * p
		}
	}
	return 10 * p
}

// targetMarks turns the targets into mark areas (bounds with two ends)
// and mark line segments (one-sided bounds) over their periods, from the
// band the engine judged with (its tolerance applied, a relative target's
// bound resolved). Targets of several plans that ask the same over the
// same period share one mark, labelled with every plan. The original
// revision of a revised target is drawn too, dashed and grey. Every end
// widens the axis. With more than one mark the labels would overlap: they
// show on hover, and the legend and the targets table name them.
func targetMarks(lang string, t func(string, ...any) string, ind indicators.Indicator, tps []indicators.TargetProgress,
	plans map[string]indicators.Plan, ext *axisExtent) (bands, lines []any) {
	type mark struct {
		from, to  int
		lo, hi    float64 // ±Inf for an open end
		label     string
		original  bool
		planCodes []string
	}
	var marks []*mark
	add := func(m mark, code string) {
		for _, x := range marks {
			if x.from == m.from && x.to == m.to && x.lo == m.lo && x.hi == m.hi && x.original == m.original {
				if !containsString(x.planCodes, code) {
					x.planCodes = append(x.planCodes, code)
				}
				return
			}
		}
		m.planCodes = []string{code}
		marks = append(marks, &m)
	}
	ends := func(b *indicators.Band) (float64, float64) {
		lo, hi := math.Inf(-1), math.Inf(1)
		if b.Lo != nil {
			lo = *b.Lo
		}
		if b.Hi != nil {
			hi = *b.Hi
		}
		return lo, hi
	}
	for _, tp := range tps {
		b := tp.Progress.Band
		if b == nil || !b.InValues {
			continue
		}
		tg := tp.Target
		code := plans[tg.Plan].Code
		lo, hi := ends(b)
		add(mark{from: tg.Period.From, to: tg.Period.To, lo: lo, hi: hi, label: tg.Bound.Format(lang, max(ind.Decimals, 2))}, code)
		if o := tp.Progress.Original; o != nil && o.InValues && len(tg.Revisions) > 0 {
			lo, hi := ends(o)
			add(mark{from: tg.Period.From, to: tg.Period.To, lo: lo, hi: hi, original: true,
				label: tg.Revisions[0].Bound.Format(lang, max(ind.Decimals, 2))}, code)
		}
	}
	showLabels := len(marks) <= 1
	for _, m := range marks {
		label := strings.Join(m.planCodes, ", ") + ": " + m.label
		color, border := "rgba(45,164,78,0.14)", "#2da44e"
		lineType := "solid"
		if m.original {
			label += " (" + t("history.original") + ")"
			color, border, lineType = "rgba(110,119,129,0.10)", "#8c959f", "dashed"
		}
		ext.add(m.lo)
		ext.add(m.hi)
		from, to := strconv.Itoa(m.from), strconv.Itoa(m.to)
		if !math.IsInf(m.lo, 0) && !math.IsInf(m.hi, 0) {
			bands = append(bands, []any{
				map[string]any{"name": label, "coord": []any{from, m.lo},
					"itemStyle": map[string]any{"color": color, "borderColor": border, "borderType": lineType, "borderWidth": 1},
					"label":     map[string]any{"show": showLabels, "position": "insideTop", "fontSize": 11, "color": "#1a7f37"},
					"emphasis":  map[string]any{"label": map[string]any{"show": true}}},
				map[string]any{"coord": []any{to, m.hi}},
			})
			continue
		}
		y := m.lo
		if math.IsInf(m.lo, 0) {
			y = m.hi
		}
		lines = append(lines, []any{
			map[string]any{"name": label, "coord": []any{from, y},
				"lineStyle": map[string]any{"type": lineType, "color": border, "width": 2},
				"label":     map[string]any{"show": showLabels, "formatter": "{b}", "position": "insideEndTop", "fontSize": 11},
				"emphasis":  map[string]any{"label": map[string]any{"show": true}}},
			map[string]any{"coord": []any{to, y}},
		})
	}
	return bands, lines
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// byUnitChart draws the values of the latest year that has unit values,
// one bar per territorial unit.
func (s *Server) byUnitChart(cs *chartSet, lang string, ind indicators.Indicator, vs []indicators.Value, asOf time.Time,
	units map[string]indicators.Unit) (template.HTML, int, error) {
	year := 0
	for _, v := range vs {
		if v.Period.IsYear() && v.Type != indicators.PlanValue && v.Period.Year > year {
			year = v.Period.Year
		}
	}
	type bar struct {
		name  string
		value float64
	}
	// The value of each unit in that year, by the engine's rule.
	best := map[string]indicators.Value{}
	for unit, byYear := range indicators.ByUnitYear(vs, asOf) {
		if v, ok := byYear[year]; ok {
			best[unit] = v
		}
	}
	bars := make([]bar, 0, len(best))
	for code, v := range best {
		name := pick(lang, units[code].NameVI, units[code].NameEN)
		if name == "" {
			name = code
		}
		bars = append(bars, bar{name, v.Value})
	}
	sort.Slice(bars, func(i, j int) bool {
		if bars[i].value != bars[j].value {
			return bars[i].value > bars[j].value
		}
		return bars[i].name < bars[j].name
	})
	names := make([]string, len(bars))
	data := make([]opts.BarData, len(bars))
	for i, b := range bars {
		names[i], data[i] = b.name, opts.BarData{Name: b.name, Value: b.value}
	}
	ch := charts.NewBar()
	ch.SetGlobalOptions(
		charts.WithInitializationOpts(chartInit("by-unit")),
		charts.WithTitleOpts(opts.Title{Title: ind.Code + " " + pick(lang, ind.NameVI, ind.NameEN),
			Subtitle: s.msgs.translate(lang, "units.year", year), TitleStyle: &opts.TextStyle{FontSize: 13}}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithToolboxOpts(saveAsImage(s.msgs.translate(lang, "chart.save"))),
		charts.WithGridOpts(opts.Grid{Left: "2%", Right: "6%", Top: "60", Bottom: "10", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: pick(lang, ind.Unit, ind.UnitEN)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Width: 160, Overflow: "truncate"}}),
	)
	ch.SetXAxis(names)
	ch.AddSeries(s.msgs.translate(lang, "units.year", year), data,
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#1d4e89"}))
	ch.XYReversal()
	size := "chart-mid"
	if len(bars) > 12 {
		size = "chart-tall"
	}
	h, err := cs.chart("by-unit", ch, size, s.msgs.translate(lang, "indicator.by_unit_aria", year))
	return h, year, err
}
