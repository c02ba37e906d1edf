package indicators

import (
	"math"
	"strings"
	"testing"
	"time"
)

// Moments shared by the cases: values are entered in January 2025 unless a
// case says otherwise, and targets are judged on 1 March 2026.
var (
	entered   = time.Date(2025, 1, 15, 9, 0, 0, 0, Vietnam)
	judgedAt  = time.Date(2026, 3, 1, 0, 0, 0, 0, Vietnam)
	afterAsOf = time.Date(2026, 6, 1, 0, 0, 0, 0, Vietnam)
)

func fp(x float64) *float64 { return &x }

// yv is an official old-city value of ECO-01 for year y.
func yv(y int, x float64, opts ...func(*Value)) Value {
	v := Value{
		Key:   Key{Indicator: "ECO-01", Unit: "CT-CU", Period: YearPeriod(y), Type: OfficialValue},
		Value: x, Scope: OldCity, Source: "S45", EnteredAt: entered,
	}
	for _, o := range opts {
		o(&v)
	}
	return v
}

func estimate(v *Value) { v.Type = EstimateValue }
func planned(v *Value)  { v.Type = PlanValue }
func merged(v *Value)   { v.Scope, v.Unit = MergedCity, "CT" }

func withID(id int64) func(*Value)         { return func(v *Value) { v.ID = id } }
func enteredOn(t time.Time) func(*Value)   { return func(v *Value) { v.EnteredAt = t } }
func retractedOn(t time.Time) func(*Value) { return func(v *Value) { v.RetractedAt = t } }
func inPeriod(p Period) func(*Value)       { return func(v *Value) { v.Period = p } }
func withCell(sheet, cell string) func(*Value) {
	return func(v *Value) { v.Sheet, v.Cell = sheet, cell }
}

// input builds a 2021–2025 old-city target of ECO-01 on a higher-is-better
// level indicator in tỷ đồng; mods adjust it.
func input(kind Kind, b Bound, values []Value, mods ...func(*Input)) Input {
	in := Input{
		Target: Target{
			ID: 1, Plan: "59-nq-tw-2020-08-05", Indicator: "ECO-01",
			Period: YearRange{From: 2021, To: 2025}, Scope: OldCity,
			TargetRevision: TargetRevision{Kind: kind, Bound: b, Text: "mục tiêu thử"},
		},
		Indicator: Indicator{Code: "ECO-01", NameVI: "Chỉ tiêu thử", Unit: "tỷ đồng", UnitEN: "billion VND",
			Direction: Up, Measure: Level, Rollup: RollupSum, Frequency: Yearly},
		Values: values,
		AsOf:   judgedAt,
	}
	for _, m := range mods {
		m(&in)
	}
	return in
}

func dir(d Direction) func(*Input)       { return func(in *Input) { in.Indicator.Direction = d } }
func targetDir(d Direction) func(*Input) { return func(in *Input) { in.Target.Direction = d } }
func measure(m Measure) func(*Input)     { return func(in *Input) { in.Indicator.Measure = m } }
func percentUnit(in *Input)              { in.Indicator.Unit, in.Indicator.UnitEN = "%", "%" }
func asOf(t time.Time) func(*Input)      { return func(in *Input) { in.AsOf = t } }

// want is what a case expects of Evaluate; nil figures must be nil.
type want struct {
	status                  Status
	reason                  string
	soFar, proj, req, ratio *float64
	base, latest            int
	used                    []int   // years of ValuesUsed, in order
	ids                     []int64 // IDs of ValuesUsed, when the case is about which value counts
	excluded                []int   // years of Excluded
	estimate                bool    // RestsOnEstimate
	vi, en                  string  // must appear in the explanations
	notVI                   string  // must not appear in the Vietnamese explanation
}

type evalCase struct {
	name string
	in   Input
	want want
}

func runEvalCases(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkProgress(t, Evaluate(c.in, DefaultSettings()), c.want)
		})
	}
}

func checkProgress(t *testing.T, got Progress, w want) {
	t.Helper()
	if got.Status != w.status {
		t.Errorf("Status = %q, want %q (%s)", got.Status, w.status, got.ExplanationEN)
	}
	if got.Reason != w.reason {
		t.Errorf("Reason = %q, want %q", got.Reason, w.reason)
	}
	checkFigure(t, "SoFar", got.SoFar, w.soFar)
	checkFigure(t, "Projection", got.Projection, w.proj)
	checkFigure(t, "Required", got.Required, w.req)
	checkFigure(t, "Ratio", got.Ratio, w.ratio)
	if got.BaseYear != w.base || got.LatestYear != w.latest {
		t.Errorf("BaseYear, LatestYear = %d, %d, want %d, %d", got.BaseYear, got.LatestYear, w.base, w.latest)
	}
	var years []int
	var ids []int64
	for _, u := range got.ValuesUsed {
		years, ids = append(years, u.Year), append(ids, u.ID)
	}
	if !equalInts(years, w.used) {
		t.Errorf("ValuesUsed years = %v, want %v", years, w.used)
	}
	if w.ids != nil && !equalIDs(ids, w.ids) {
		t.Errorf("ValuesUsed IDs = %v, want %v", ids, w.ids)
	}
	var excluded []int
	for _, x := range got.Excluded {
		excluded = append(excluded, x.Year)
	}
	if !equalInts(excluded, w.excluded) {
		t.Errorf("Excluded years = %v, want %v", excluded, w.excluded)
	}
	if got.RestsOnEstimate != w.estimate {
		t.Errorf("RestsOnEstimate = %v, want %v", got.RestsOnEstimate, w.estimate)
	}
	checkSentence(t, "ExplanationVI", got.ExplanationVI, w.vi)
	checkSentence(t, "ExplanationEN", got.ExplanationEN, w.en)
	if w.notVI != "" && strings.Contains(got.ExplanationVI, w.notVI) {
		t.Errorf("ExplanationVI = %q, want no %q", got.ExplanationVI, w.notVI)
	}
}

func checkFigure(t *testing.T, name string, got, want *float64) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil || want == nil:
		t.Errorf("%s = %s, want %s", name, showFigure(got), showFigure(want))
	case math.Abs(*got-*want) > 1e-9:
		// Figures are rounded to 4 decimals, so the hand-computed value must
		// match exactly at that precision.
		t.Errorf("%s = %v, want %v", name, *got, *want)
	}
}

func showFigure(x *float64) string {
	if x == nil {
		return "nil"
	}
	return FormatNumber(*x, 4, "en")
}

// checkSentence wants one sentence that names has, with no formatting slip.
func checkSentence(t *testing.T, name, got, has string) {
	t.Helper()
	switch {
	case !strings.HasSuffix(got, ".") || strings.Contains(got, ". ") || strings.Count(got, ".\n") > 0:
		t.Errorf("%s = %q, want one sentence ending in a full stop", name, got)
	case strings.Contains(got, "%!") || strings.Contains(got, "NaN") || strings.Contains(got, "Inf") || strings.Contains(got, "–."):
		t.Errorf("%s = %q has a formatting slip", name, got)
	case !strings.Contains(got, has):
		t.Errorf("%s = %q, want it to contain %q", name, got, has)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
