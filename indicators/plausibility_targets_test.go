package indicators

import (
	"strings"
	"testing"
)

// The bounds of a plan workbook's targets go through the plausibility
// checks as plan values of the end year, against the unit's history.
func TestCheckTargetPlausibility(t *testing.T) {
	t.Parallel()
	inds := []Indicator{
		{Code: "SOC-01", Unit: "%", Measure: Rate, Decimals: 2}, {Code: "SOC-04", Unit: "%", Measure: Rate, Decimals: 2},
		{Code: "ECO-06", Unit: "tỷ đồng", Measure: Level},
		{Code: "ECO-06g", Unit: "%", Measure: GrowthRate, Decimals: 1},
		{Code: "ECO-10", Unit: "%", Measure: Share}, {Code: "ECO-11", Unit: "%", Measure: Share},
		{Code: "ECO-12", Unit: "%", Measure: Share}, {Code: "ECO-13", Unit: "%", Measure: Share},
	}
	units := []Unit{{Code: "916", Kind: District, Scope: OldCity}, {Code: "CT-CU", Kind: City, Scope: OldCity}}
	official := func(code string, year int, x float64) Value {
		return Value{Key: Key{Indicator: code, Unit: "CT-CU", Period: YearPeriod(year), Type: OfficialValue}, Value: x}
	}
	known := []Value{official("SOC-01", 2022, 73.05), official("SOC-01", 2023, 74),
		official("ECO-06", 2018, 11191), official("ECO-06", 2022, 11420), official("ECO-06", 2024, 11000),
		{Key: Key{Indicator: "SOC-04", Unit: "CT-CU", Period: YearPeriod(2023), Type: PlanValue}, Value: 0.32}}
	target := func(row int, code string, kind Kind, b Bound) CatalogChange {
		return CatalogChange{Action: Create, Object: ObjTarget, Sheet: TargetsSheet.Name, Row: row, Target: &Target{Indicator: code,
			Period: YearRange{From: 2021, To: 2025}, Scope: OldCity, TargetRevision: TargetRevision{Kind: kind, Bound: b}}}
	}
	about := func(a float64) Bound { return Bound{Op: OpAbout, A: a} }
	for _, tc := range []struct {
		name    string
		changes []CatalogChange
		want    []string // check@cell: reason fragment
	}{
		{"a rate above 100 (74 → 174)", []CatalogChange{target(2, "SOC-01", LevelTarget, Bound{Op: OpAtLeast, A: 174})},
			[]string{"range@M2: nằm ngoài khoảng 0–100 %"}},
		{"the top of a range above 100", []CatalogChange{target(3, "SOC-01", LevelTarget, Bound{Op: OpRange, A: 95, B: 105})},
			[]string{"range@N3: 105"}},
		{"a plausible rate", []CatalogChange{target(3, "SOC-01", LevelTarget, Bound{Op: OpRange, A: 75, B: 80})}, nil},
		// 1.234.567 ÷ 11.000 (2024) = 112 times, over the threshold of 3.
		{"11.420 → 1.234.567", []CatalogChange{target(4, "ECO-06", LevelTarget, Bound{Op: OpAtLeast, A: 1234567})},
			[]string{"jump@M4: 11.000 → 1.234.567"}},
		// 15.000 ÷ 11.000 = 1,36 times: a target may outrun the past pace.
		{"a budget target above the past pace", []CatalogChange{target(4, "ECO-06", LevelTarget, Bound{Op: OpAtLeast, A: 15000})}, nil},
		// 10 + 30 + 50 + 6 = 96.
		{"shares short of 100", []CatalogChange{target(5, "ECO-10", LevelTarget, about(10)), target(6, "ECO-11", LevelTarget, about(30)),
			target(7, "ECO-12", LevelTarget, about(50)), target(8, "ECO-13", LevelTarget, about(6))},
			[]string{"whole@M5: cộng lại được 96 %", "whole@M6", "whole@M7", "whole@M8"}},
		// [9, 11] + 30 + 53 + 7: the middle 10 + 30 + 53 + 7 = 100.
		{"shares that make 100", []CatalogChange{target(5, "ECO-10", LevelTarget, Bound{Op: OpRange, A: 9, B: 11}),
			target(6, "ECO-11", LevelTarget, about(30)), target(7, "ECO-12", LevelTarget, about(53)), target(8, "ECO-13", LevelTarget, about(7))}, nil},
		// 13.000 ÷ 11.000 (2024) − 1 = 18,18 %, against 10 % growth in 2025.
		{"growth against levels", []CatalogChange{target(9, "ECO-06g", AnnualTarget, Bound{Op: OpAtLeast, A: 10}),
			target(10, "ECO-06", LevelTarget, Bound{Op: OpAtLeast, A: 13000})},
			[]string{"growth@M9: tức 18,18 %", "growth@M10"}},
		// 12.100 ÷ 11.000 − 1 = 10 %.
		{"growth that matches", []CatalogChange{target(9, "ECO-06g", AnnualTarget, Bound{Op: OpAtLeast, A: 10}),
			target(10, "ECO-06", LevelTarget, Bound{Op: OpAtLeast, A: 12100})}, nil},
		// 0,03 ÷ 0,32 (2023 plan) is a tenth, but a rate is judged by its range.
		{"a small rate aimed lower", []CatalogChange{target(12, "SOC-04", LevelTarget, Bound{Op: OpAtMost, A: 0.03})}, nil},
		{"a relative target is no value", []CatalogChange{target(11, "SOC-01", RelativeTarget, Bound{Op: OpAtLeast, A: 150})}, nil},
	} {
		ws, n := CheckTargetPlausibility(tc.changes, known, inds, units, DefaultPlausibility(), 0)
		if n != len(ws) || len(ws) != len(tc.want) {
			t.Errorf("%s: %d warnings (count %d), want %d: %+v", tc.name, len(ws), n, len(tc.want), ws)
			continue
		}
		for i, w := range ws {
			check, rest, _ := strings.Cut(tc.want[i], "@")
			cell, frag, _ := strings.Cut(rest, ": ")
			if w.Check != check || w.Cell != cell || w.Sheet != TargetsSheet.Name || w.Unit != "CT-CU" || w.Type != string(PlanValue) ||
				!strings.Contains(w.ReasonVI, frag) {
				t.Errorf("%s: warning %d = %+v, want %s", tc.name, i, w, tc.want[i])
			}
		}
	}
}
