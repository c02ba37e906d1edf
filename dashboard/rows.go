package dashboard

import (
	"html/template"
	"math"
	"sort"
	"strconv"
	"strings"
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
	Bound           string // as the language writes it: "7,5–8"; a relative target's resolved level
	BoundUnit       string // the unit the bound is in: the indicator's, "%/năm", "điểm %/năm"
	Quantified      bool   // the bound is a number (else Bound says it is not)
	Text            string // as the act writes it
	Act             string // the act of the revision in force, when revised
	Revised         bool
	Status          indicators.Status
	SoFar           *float64
	SoFarUnit       string
	Required        *float64
	RequiredUnit    string
	Projection      *float64
	LatestYear      int
	RestsOnEstimate bool
	Explanation     string
	// Explained is the unit's own account of the target (giải trình),
	// shown beside the engine's sentence; nil when none was written.
	Explained *explainedView
	Link      string
	Shortfall float64 // how far from the target, for sorting the attention list
	Spark     template.HTML
	// FigureWhen says which year (or years) and type the figure so far is
	// of: "năm 2020", "2021–2024, ước tính".
	FigureWhen string
	// Verdicts are the administrative verdicts of the years with a plan
	// value and a value, as the engine gives them.
	Verdicts []verdictView
}

// verdictView is one year against its plan value: "2023: vượt (TH 9 / KH 8)".
type verdictView struct {
	Year    int
	Verdict indicators.Verdict
	Label   string
	Actual  string // with "ƯTH" / "est." for an estimate
	Plan    string
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
	r.BoundUnit = unit
	switch t.Kind {
	case indicators.AvgGrowthTarget:
		r.BoundUnit = r.SoFarUnit
	case indicators.AvgChangeTarget:
		// A change of a rate is in points a year.
		r.SoFarUnit = s.msgs.translate(lang, "unit.points") + perYear
		if unit != "%" {
			r.SoFarUnit = unit + perYear
		}
		r.BoundUnit, r.RequiredUnit = r.SoFarUnit, r.SoFarUnit
	case indicators.RelativeTarget:
		// The level the ratio resolves to once the base year is known,
		// with the ratio beside it; the ratio alone before.
		ratio := s.msgs.translate(lang, "target.relative", t.Bound.Format(lang, 2), relativeBase(t))
		if p.Band != nil && p.Band.BaseValue != nil {
			r.Bound = p.Bound.Format(lang, max(ind.Decimals, 2)) + " " + unit + " (" + ratio + ")"
		} else {
			r.Bound = ratio
		}
		r.BoundUnit, r.Quantified = "", false
	}
	r.Shortfall = shortfall(tp)
	r.FigureWhen = figureWhen(lang, tp)
	for _, yv := range p.YearVerdicts {
		if yv.Actual == nil {
			continue
		}
		dec := max(ind.Decimals, 2)
		plan := indicators.FormatTrim(yv.Plan, dec, lang)
		if yv.PlanHigh != nil {
			plan += "–" + indicators.FormatTrim(*yv.PlanHigh, dec, lang)
		}
		actual := indicators.FormatTrim(yv.Actual.Value, dec, lang)
		if yv.Actual.Type == indicators.EstimateValue {
			actual += " " + s.msgs.translate(lang, "verdict.estimate")
		}
		r.Verdicts = append(r.Verdicts, verdictView{Year: yv.Year, Verdict: yv.Verdict, Label: yv.Verdict.Label(lang),
			Actual: actual, Plan: plan})
	}
	return r
}

// figureWhen names the year and type of a target's figure so far, so that
// a headline never shows a number without them: the latest year for a
// level, the years it spans for an average, a growth or a total.
func figureWhen(lang string, tp indicators.TargetProgress) string {
	p := tp.Progress
	if p.LatestYear == 0 || tp.Target.Kind == indicators.MilestoneTarget {
		return ""
	}
	when := pick(lang, "năm ", "") + strconv.Itoa(p.LatestYear)
	switch tp.Target.Kind {
	case indicators.AvgGrowthTarget, indicators.AvgChangeTarget, indicators.AverageTarget, indicators.CumulativeTarget:
		from := tp.Target.Period.From
		if p.BaseYear != 0 && tp.Target.Kind != indicators.AverageTarget && tp.Target.Kind != indicators.CumulativeTarget {
			from = p.BaseYear
		}
		if from < p.LatestYear {
			when = strconv.Itoa(from) + "–" + strconv.Itoa(p.LatestYear)
		}
	}
	if p.RestsOnEstimate {
		when += pick(lang, ", ước tính", ", estimate")
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
	// The end of the band that matters, as the engine judged it.
	dir := tp.Target.Direction
	if dir == "" {
		dir = tp.Indicator.Direction
	}
	if p.Band == nil {
		return 0
	}
	end := p.Band.Lo
	rate := tp.Target.Kind == indicators.AvgGrowthTarget || tp.Target.Kind == indicators.AvgChangeTarget
	if !rate && (dir == indicators.Down || end == nil) {
		end = p.Band.Hi
	}
	if end == nil || *end == 0 {
		return 0
	}
	a := *end
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

// attention lists the off-track and regressing targets, furthest first,
// each once: the same target set by several plans of the family (GRDP
// growth in the resolution's programme and in the city's plan) is one
// line naming every plan.
func attention(rows []targetRow) []targetRow {
	var out []targetRow
	seen := map[string]int{}
	for _, r := range rows {
		if r.Status != indicators.OffTrack && r.Status != indicators.Regressing {
			continue
		}
		key := r.Indicator + "|" + r.Period + "|" + string(r.Kind) + "|" + r.Bound + "|" + string(r.Status)
		if i, ok := seen[key]; ok {
			if !containsString(strings.Split(out[i].PlanCode, ", "), r.PlanCode) {
				out[i].PlanCode += ", " + r.PlanCode
			}
			continue
		}
		seen[key] = len(out)
		out = append(out, r)
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

// relativeBase is the base year of a relative target: its own, else the
// year before its period.
func relativeBase(t indicators.Target) int {
	if t.BaseYear != 0 {
		return t.BaseYear
	}
	return t.Period.BaseYear()
}
