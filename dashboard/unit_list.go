package dashboard

import (
	"context"
	"html/template"
	"net/http"
	"sort"
	"strconv"

	"chitieu/indicators"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/labstack/echo/v4"
)

// unitsData is what the units page draws: one indicator across the
// territorial units, each with its validity period.
type unitsData struct {
	State      stateView
	AsOf       string
	Indicator  string
	Name       string
	Unit       string
	Decimals   int
	Options    []planOption // indicators to pick from
	Years      []int
	Rows       []unitRow
	Chart      template.HTML
	Link       string
	Plan       string
	Period     string
	AsOfValue  string
	AsOfSet    bool
	Indicators int
}

// unitRow is a territorial unit with its values by year.
type unitRow struct {
	Code, Name, Kind, Scope string
	ValidFrom, ValidTo      string
	Cells                   []unitCell
}

// unitCell is one year of a unit: its value, or why there is none.
type unitCell struct {
	Value    *float64
	Estimate bool
	Outside  bool // the unit did not exist that year
}

// maxUnitLines bounds the lines of the chart; the table lists them all.
const maxUnitLines = 12

// units shows one indicator (?indicator=) across the city and its
// territorial units over the years, with each unit's validity.
func (s *Server) units(c echo.Context) error {
	st, err := s.readState(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	lang := langOf(c)
	list, err := s.store.Indicators(ctx)
	if err != nil {
		return err
	}
	code := c.QueryParam("indicator")
	if code == "" && len(list) > 0 {
		code = list[0].Code
	}
	ind, err := s.indicator(ctx, code)
	if err != nil {
		return err
	}
	return s.renderPage(c, http.StatusOK, "units", st.key()+"|"+ind.Code, func(ctx context.Context, cs *chartSet) (any, error) {
		d := unitsHeader(lang, st, ind, list)
		city, err := s.cityValues(ctx, ind.Code, st.AsOf)
		if err != nil {
			return nil, err
		}
		below, err := s.unitValues(ctx, ind.Code, st.AsOf)
		if err != nil {
			return nil, err
		}
		if city, err = s.figuresOf(ctx, st, city); err != nil {
			return nil, err
		}
		if below, err = s.figuresOf(ctx, st, below); err != nil {
			return nil, err
		}
		units, err := s.store.Units(ctx)
		if err != nil {
			return nil, err
		}
		// value[unit][year], chosen by the engine's rule.
		value := indicators.ByUnitYear(append(append([]indicators.Value{}, city...), below...), st.AsOf)
		d.Years = valueYears(value)
		line := s.unitsLine(lang, d.Unit, d.Years)
		var lines int
		d.Rows, lines = s.unitRows(lang, units, d.Years, value, line)
		if lines > 0 {
			if d.Chart, err = cs.chart("units", line, "chart-tall", s.msgs.translate(lang, "units.chart", d.Name)); err != nil {
				return nil, err
			}
		}
		return d, nil
	})
}

// unitsHeader is the units page's view before its table and chart: the
// indicator shown and the others to choose from, the tabs kept on it.
func unitsHeader(lang string, st pageState, ind indicators.Indicator, list []indicators.Indicator) unitsData {
	d := unitsData{State: st.view(lang, "/units"), AsOf: formatDate(lang, st.AsOf), Indicator: ind.Code,
		Name: pick(lang, ind.NameVI, ind.NameEN), Unit: pick(lang, ind.Unit, ind.UnitEN), Decimals: ind.Decimals,
		Link: st.link("/indicators/" + ind.Code), Plan: st.Plan.ID, Period: st.Period.String(),
		AsOfValue: st.asOfDay(), AsOfSet: st.AsOfSet, Indicators: len(list)}
	for i := range d.State.Tabs {
		d.State.Tabs[i].URL += "&indicator=" + ind.Code
	}
	for _, x := range list {
		d.Options = append(d.Options, planOption{ID: x.Code, Label: x.Code + " — " + pick(lang, x.NameVI, x.NameEN),
			Selected: x.Code == ind.Code})
	}
	return d
}

// valueYears are the years in which any unit has a value, in order.
func valueYears(value map[string]map[int]indicators.Value) []int {
	var out []int
	years := map[int]bool{}
	for _, m := range value {
		for y := range m {
			years[y] = true
		}
	}
	for y := range years {
		out = append(out, y)
	}
	sort.Ints(out)
	return out
}

// unitsLine is the units chart without its series, one category per year.
func (s *Server) unitsLine(lang, unit string, years []int) *charts.Line {
	line := charts.NewLine()
	line.SetGlobalOptions(
		charts.WithInitializationOpts(chartInit("units")),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Type: "scroll"}),
		charts.WithToolboxOpts(saveAsImage(s.msgs.translate(lang, "chart.save"))),
		charts.WithGridOpts(opts.Grid{Left: "2%", Right: "3%", Top: "40", Bottom: "50", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: unit, Scale: opts.Bool(true)}),
	)
	labels := make([]string, len(years))
	for i, y := range years {
		labels[i] = strconv.Itoa(y)
	}
	line.SetXAxis(labels)
	return line
}

// unitRows is a row per unit (agencies aside) with its value of each year,
// marked outside its validity; the first maxUnitLines units with a value
// are drawn on line too. It returns the rows and the lines drawn.
func (s *Server) unitRows(lang string, units []indicators.Unit, years []int, value map[string]map[int]indicators.Value, line *charts.Line) ([]unitRow, int) {
	var out []unitRow
	lines := 0
	for _, u := range units {
		if u.Kind == indicators.Agency {
			continue
		}
		row := unitRow{Code: u.Code, Name: pick(lang, u.NameVI, u.NameEN), Kind: s.msgs.translate(lang, "unitkind."+string(u.Kind)),
			Scope: s.msgs.translate(lang, "scope."+string(u.Scope)), ValidFrom: formatDate(lang, u.ValidFrom), ValidTo: formatDate(lang, u.ValidTo)}
		data := make([]opts.LineData, len(years))
		hasValue := false
		for i, y := range years {
			cell := unitCell{Outside: !existedIn(u, y)}
			data[i] = opts.LineData{Value: "-"}
			if v, ok := value[u.Code][y]; ok {
				cell.Value, cell.Estimate = ptr(v.Value), v.Type == indicators.EstimateValue
				data[i] = opts.LineData{Value: v.Value}
				hasValue = true
			}
			row.Cells = append(row.Cells, cell)
		}
		out = append(out, row)
		if hasValue && lines < maxUnitLines {
			line.AddSeries(row.Name, data, charts.WithLineChartOpts(opts.LineChart{Symbol: "circle", ConnectNulls: opts.Bool(false)}))
			lines++
		}
	}
	return out, lines
}

// existedIn reports whether the unit existed at some time in year y.
func existedIn(u indicators.Unit, y int) bool {
	if !u.ValidFrom.IsZero() && u.ValidFrom.In(indicators.Vietnam).Year() > y {
		return false
	}
	return u.ValidTo.IsZero() || u.ValidTo.In(indicators.Vietnam).Year() >= y
}
