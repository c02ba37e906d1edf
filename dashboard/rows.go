package dashboard

import (
	"html/template"
	"math"
	"sort"
	"time"

	"chitieu/indicators"
)

// The rows and cards the dashboard pages share: a target with its verdict,
// a roll-up as a status mix.

// statusColors are the status colours of the stylesheet, for charts.
var statusColors = map[indicators.Status]string{
	indicators.Achieved: "#1a7f37", indicators.OnTrack: "#2da44e", indicators.AtRisk: "#bf8700",
	indicators.OffTrack: "#cf222e", indicators.Regressing: "#82071e", indicators.NoData: "#8c959f",
}

// targetRow is a target with its verdict, as pages list it.
type targetRow struct {
	ID              int64
	Indicator       string
	Name            string
	Unit            string // of the indicator
	Decimals        int
	PlanCode        string
	PlanID          string
	Period          string
	Kind            indicators.Kind
	Bound           string // as the language writes it: "7,5–8"
	Quantified      bool   // the bound is a number (else Bound says it is not)
	Text            string // as the act writes it
	Act             string // the act of the revision in force, when revised
	Revised         bool
	Status          indicators.Status
	SoFar           *float64
	SoFarUnit       string
	SoFarWhen       string // what the figure is: "năm 2020", "bình quân 2021–2024", with "ước tính" for an estimate
	Required        *float64
	RequiredUnit    string
	Projection      *float64
	LatestYear      int
	RestsOnEstimate bool
	Explanation     string
	Link            string
	Shortfall       float64 // how far from the target, for sorting the attention list
	Spark           template.HTML
}

// targetRowOf turns a verdict into a row in lang; link is the indicator
// page's address.
func (s *Server) targetRowOf(lang string, tp indicators.TargetProgress, plans map[string]indicators.Plan, link string) targetRow {
	t, ind, p := tp.Target, tp.Indicator, tp.Progress
	unit := pick(lang, ind.Unit, ind.UnitEN)
	r := targetRow{ID: t.ID, Indicator: ind.Code, Name: pick(lang, ind.NameVI, ind.NameEN), Unit: unit,
		Decimals: ind.Decimals, PlanCode: plans[t.Plan].Code, PlanID: t.Plan, Period: t.Period.Label(),
		Kind: t.Kind, Bound: t.Bound.Format(lang, max(ind.Decimals, 2)), Quantified: t.Bound.Quantified(),
		Text: t.Text, Revised: t.Seq > 0,
		Status: p.Status, SoFar: p.SoFar, Required: p.Required, Projection: p.Projection, LatestYear: p.LatestYear,
		RestsOnEstimate: p.RestsOnEstimate, Explanation: pick(lang, p.ExplanationVI, p.ExplanationEN), Link: link}
	if r.Revised {
		r.Act = t.Act
	}
	perYear := s.msgs.translate(lang, "unit.per_year")
	r.SoFarUnit, r.RequiredUnit = unit, "%"+perYear
	switch t.Kind {
	case indicators.AvgGrowthTarget:
		r.SoFarUnit = "%" + perYear
	case indicators.MilestoneTarget:
		r.SoFarUnit, r.RequiredUnit = "%", ""
	case indicators.CumulativeTarget:
		r.RequiredUnit = unit + perYear
	}
	if t.Kind == indicators.LevelTarget && ind.Direction == indicators.Within {
		r.RequiredUnit = unit + perYear
	}
	r.SoFarWhen = s.figureWhen(lang, tp)
	r.Shortfall = shortfall(tp)
	return r
}

// figureWhen says which year, or years, and which type of value a target's
// figure so far is, from what the engine says it used: a leader reads
// "4.136 USD/người · năm 2020", never a bare number.
func (s *Server) figureWhen(lang string, tp indicators.TargetProgress) string {
	p := tp.Progress
	if p.SoFar == nil || p.LatestYear == 0 {
		return ""
	}
	var when string
	switch tp.Target.Kind {
	case indicators.MilestoneTarget:
		return ""
	case indicators.AvgGrowthTarget, indicators.AverageTarget, indicators.CumulativeTarget:
		from := p.BaseYear + 1
		if tp.Target.Kind != indicators.AvgGrowthTarget || p.BaseYear == 0 {
			from = tp.Target.Period.From
		}
		key := "figure.average"
		if tp.Target.Kind == indicators.CumulativeTarget {
			key = "figure.sum"
		}
		when = s.msgs.translate(lang, key, indicators.YearRange{From: min(from, p.LatestYear), To: p.LatestYear}.Label())
	default:
		when = s.msgs.translate(lang, "figure.year", p.LatestYear)
	}
	for _, v := range p.ValuesUsed {
		if v.Year == p.LatestYear && v.Type == indicators.EstimateValue {
			return when + ", " + s.msgs.translate(lang, "figure.estimate")
		}
	}
	return when
}

// shortfall measures how far a target is from being met, for ordering
// the attention list: 1 − R where the engine gives a ratio, else the gap
// between where it lands (or stands) and the bound, as a share of the
// bound.
func shortfall(tp indicators.TargetProgress) float64 {
	p := tp.Progress
	if p.Ratio != nil {
		return 1 - *p.Ratio
	}
	dir := tp.Target.Direction
	if dir == "" {
		dir = tp.Indicator.Direction
	}
	a := tp.Target.Bound.Binding(dir, 0.05)
	if math.IsInf(a, 0) || a == 0 {
		return 0
	}
	x := p.Projection
	if tp.Target.Kind == indicators.AvgGrowthTarget && p.Required != nil {
		// What is still required above the bound is how far behind it is.
		return math.Abs(*p.Required-a) / math.Abs(a)
	}
	if x == nil {
		x = p.SoFar
	}
	if x == nil {
		return 0
	}
	return math.Abs(a-*x) / math.Abs(a)
}

// attention lists the off-track and regressing targets, furthest first.
func attention(rows []targetRow) []targetRow {
	var out []targetRow
	for _, r := range rows {
		if r.Status == indicators.OffTrack || r.Status == indicators.Regressing {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Shortfall != out[j].Shortfall {
			return out[i].Shortfall > out[j].Shortfall
		}
		return out[i].Status == indicators.Regressing && out[j].Status != indicators.Regressing
	})
	return out
}

// statusCount is one status of a roll-up.
type statusCount struct {
	Status indicators.Status
	N      int
	X, W   float64 // position and width in a 100-wide bar
}

// rollView is a roll-up as pages draw it: the counts in display order and
// a stacked bar.
type rollView struct {
	Counts  []statusCount
	Total   int
	RestsOn int
	NoData  int
	Score   *float64 // in percent
}

func rollViewOf(r indicators.RollUp) rollView {
	v := rollView{Total: r.Total, RestsOn: r.RestsOn, NoData: r.NoData}
	if r.Score != nil {
		v.Score = ptr(100 * *r.Score)
	}
	x := 0.0
	for _, st := range indicators.Statuses {
		n := r.Counts[st]
		if n == 0 {
			continue
		}
		w := 100 * float64(n) / float64(max(r.Total, 1))
		v.Counts = append(v.Counts, statusCount{Status: st, N: n, X: x, W: w})
		x += w
	}
	return v
}

// lastEntered is the latest entry time among the values the verdicts rest
// on: when the data they use was last updated.
func lastEntered(tps []indicators.TargetProgress) time.Time {
	var last time.Time
	for _, tp := range tps {
		for _, v := range tp.Progress.ValuesUsed {
			if v.EnteredAt.After(last) {
				last = v.EnteredAt
			}
		}
	}
	return last
}
