package indicators

import "time"

// Status is the verdict of the progress engine on a target at a date.
type Status string

// Statuses, from best to worst; NoData when there is too little to judge.
const (
	Achieved   Status = "achieved"
	OnTrack    Status = "on_track"
	AtRisk     Status = "at_risk"
	OffTrack   Status = "off_track"
	Regressing Status = "regressing"
	NoData     Status = "no_data"
)

// Statuses lists every status in display order.
var Statuses = []Status{Achieved, OnTrack, AtRisk, OffTrack, Regressing, NoData}

// Settings are the thresholds of the progress rules. An admin can change
// them; DefaultSettings gives the documented defaults.
type Settings struct {
	OnTrackRatio     float64 // R at or above: on_track (0.95)
	AtRiskRatio      float64 // R at or above, below OnTrackRatio: at_risk (0.60)
	AboutTolerance   float64 // "about a" means within this share of a (0.05)
	ZeroSubstitute   float64 // a zero base or target is replaced by this (0.001)
	CumulativeAtRisk float64 // projection at or above this share of the bound: at_risk (0.90)
	MilestoneOnTrack float64 // percent done ÷ time elapsed at or above: on_track (0.9)
	MilestoneAtRisk  float64 // … at or above: at_risk (0.7)
	BestRecentYears  int     // years looked back for the best annual rate (5)
	// Plausibility holds the thresholds of the checks before a commit.
	Plausibility PlausibilitySettings
}

// DefaultSettings returns the thresholds of the design brief.
func DefaultSettings() Settings {
	return Settings{
		OnTrackRatio:     0.95,
		AtRiskRatio:      0.60,
		AboutTolerance:   0.05,
		ZeroSubstitute:   0.001,
		CumulativeAtRisk: 0.90,
		MilestoneOnTrack: 0.9,
		MilestoneAtRisk:  0.7,
		BestRecentYears:  5,
		Plausibility:     DefaultPlausibility(),
	}
}

// Input is everything the engine needs to judge one target at one moment.
// The engine itself applies the as-of rule and the scope rule, so callers
// pass what they have without filtering.
type Input struct {
	Target    Target    // with the revision in force at AsOf as its TargetRevision
	Indicator Indicator // the target's indicator
	// Values are the indicator's values for the city as a whole (units of
	// kind City), of every scope and type, superseded and retracted ones
	// included.
	Values []Value
	// Task and its updates, for milestone targets.
	Task        *Task
	TaskUpdates []TaskUpdate
	PlanIssued  time.Time // start of a task that has none
	AsOf        time.Time // only what was entered by this moment counts
}

// UsedValue is a value the engine's verdict rests on.
type UsedValue struct {
	ID        int64     `json:"id"`
	Year      int       `json:"year"`
	Value     float64   `json:"value"`
	Type      ValueType `json:"type"`
	Scope     Scope     `json:"scope"`
	Unit      string    `json:"unit"` // the reporting unit's code
	Source    string    `json:"source,omitempty"`
	Batch     int64     `json:"batch,omitempty"`
	File      string    `json:"file,omitempty"`
	Sheet     string    `json:"sheet,omitempty"`
	Cell      string    `json:"cell,omitempty"`
	EnteredBy string    `json:"entered_by"`
	EnteredAt time.Time `json:"entered_at"`
}

// Progress is the engine's result for one target at one moment. Figures that
// do not apply are nil.
type Progress struct {
	Status Status
	// SoFar is the measure so far in the target's terms: the latest value for
	// level and annual targets, the average growth so far (percent per year)
	// for avg_growth, the sum so far for cumulative, the mean so far for
	// average, percent complete for milestones.
	SoFar *float64
	// Projection is where the measure lands at the end year at today's pace.
	Projection *float64
	// Required is the pace still needed: a growth rate in percent per year,
	// or indicator units per year for a share that must land in a range and
	// for a cumulative total.
	Required *float64
	// Ratio is the Statistics Canada / Open SDG ratio R for level targets, or
	// percent done ÷ time elapsed for milestones.
	Ratio           *float64
	BaseYear        int // b; 0 when not used
	LatestYear      int // t; 0 when there is no value
	RestsOnEstimate bool
	ValuesUsed      []UsedValue
	// Excluded are values of the indicator that were left out because they
	// speak for another territory (the scope rule).
	Excluded []UsedValue
	// Bound is the bound judged: the target's own, or for a relative target
	// the level its ratio to the base year's value resolves to.
	Bound Bound
	// Band is the bound as pages and charts draw it, the tolerance applied;
	// nil when the target is not quantified or a relative target's base
	// value is not known.
	Band *Band
	// Original is the band of the target as its plan first set it, when a
	// later revision in force asks something else: charts draw it greyed.
	Original *Band
	// Achievement is how far the measure so far has come towards the bound,
	// in percent: so far ÷ bound when higher is better, bound ÷ so far when
	// lower is better, percent complete for a milestone; nil where a ratio
	// means nothing (a range to land in, figures of mixed or zero sign).
	Achievement *float64
	// Series are the yearly values of the target's territory that count
	// (official beats estimate, of one type the newest), every year, oldest
	// first: what a chart of the target draws.
	Series []UsedValue
	// YearVerdicts are the administrative verdicts of the years of the
	// period (and its base year) that have a plan value.
	YearVerdicts []YearVerdict
	// PeriodYears is n, the years of the target's period; YearsPresent the
	// years of the period with a value and YearsMissing the years of the
	// period up to the latest one with a value (all of them once the end
	// year has one) that have none. Incomplete marks a final verdict that
	// rests on a period with years missing.
	PeriodYears  int
	YearsPresent []int
	YearsMissing []int
	Incomplete   bool
	// Provisional is the year in progress whose figure was drawn from a
	// year-to-date one (engine_ytd.go); the verdict resting on it is
	// provisional and its sentences say so.
	Provisional *Provisional
	// Reason is a short machine code for why the status is what it is:
	// "no_values", "one_year", "opposite_signs", "not_quantified", "late" …
	Reason        string
	ExplanationVI string
	ExplanationEN string
}

// Band is a target's bound as an interval of the indicator's values (or of
// percent a year, for average growth), with the tolerance of "about a"
// applied. An open end is nil.
type Band struct {
	Lo, Hi *float64
	// Strict marks "> a" and "< a": the end itself does not meet the bound.
	Strict bool
	// Tolerance is the share of |a| an "about a" bound allows; 0 otherwise.
	Tolerance float64
	// InValues reports whether the band is in the units of the yearly
	// values, so that a chart can draw it on their axis (not so for a sum,
	// a change per year or the growth of a level).
	InValues bool
	// From and To are the years the band covers: the target's period.
	From, To int
	// Relative targets: the base year, its value and the ratio bound.
	BaseYear  int
	BaseValue *float64
	Ratio     *Bound
}

// YearVerdict is one year's value against that year's plan value (KH).
type YearVerdict struct {
	Year     int
	Plan     float64
	PlanHigh *float64 // the top of a planned range
	Actual   *UsedValue
	// Verdict is empty while the year has no official or estimated value.
	Verdict Verdict
}

// Verdict is the administrative verdict of a year's value against that
// year's plan value, as Vietnamese reports write it.
type Verdict string

// Verdicts.
const (
	Exceeded Verdict = "vuot"      // vượt: better than the plan, or past the top of a planned range
	Met      Verdict = "dat"       // đạt: meets the plan, or within the planned range
	NotMet   Verdict = "khong_dat" // không đạt: worse than the plan
)

// Label is the verdict as reports print it.
func (v Verdict) Label(lang string) string {
	if lang == "en" {
		return map[Verdict]string{Exceeded: "exceeded", Met: "met", NotMet: "not met"}[v]
	}
	return map[Verdict]string{Exceeded: "vượt", Met: "đạt", NotMet: "không đạt"}[v]
}

// RollUp counts the statuses of a task group's or a plan's targets and tasks.
type RollUp struct {
	Counts  map[Status]int
	Total   int      // targets and tasks counted
	RestsOn int      // those with data: Total − NoData
	NoData  int      // those left out of the score
	Score   *float64 // (achieved + on_track + ½·at_risk) ÷ RestsOn; nil when RestsOn is 0
}

// Label is the status as people read it.
func (s Status) Label(lang string) string {
	if lang == "en" {
		return statusEN[s]
	}
	return statusVI[s]
}

var statusVI = map[Status]string{
	Achieved: "Đã đạt", OnTrack: "Đúng tiến độ", AtRisk: "Có nguy cơ", OffTrack: "Chậm, khó đạt",
	Regressing: "Đi lùi", NoData: "Chưa đủ số liệu",
}

var statusEN = map[Status]string{
	Achieved: "Achieved", OnTrack: "On track", AtRisk: "At risk", OffTrack: "Off track",
	Regressing: "Regressing", NoData: "No data",
}
