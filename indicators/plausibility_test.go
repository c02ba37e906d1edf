package indicators

import (
	"strings"
	"testing"
)

func TestCheckPlausibility(t *testing.T) {
	t.Parallel()
	inds := []Indicator{
		{Code: "SOC-01", Unit: "%", Measure: Rate, Decimals: 1},
		{Code: "SOC-02", Unit: "bác sĩ/vạn dân", Measure: Rate, Decimals: 1},
		{Code: "ECO-06", Unit: "tỷ đồng", Measure: Level},
		{Code: "ECO-06g", Unit: "%", Measure: GrowthRate, Decimals: 1},
		{Code: "ECO-01", Unit: "%", Measure: GrowthRate, Decimals: 2},
		{Code: "ECO-10", Unit: "%", Measure: Share, Decimals: 1},
		{Code: "ECO-11", Unit: "%", Measure: Share, Decimals: 1},
		{Code: "ECO-12", Unit: "%", Measure: Share, Decimals: 1},
		{Code: "ECO-13", Unit: "%", Measure: Share, Decimals: 1},
	}
	off := func(code, unit string, year int, x float64) Value {
		return Value{Key: Key{Indicator: code, Unit: unit, Period: YearPeriod(year), Type: OfficialValue}, Value: x}
	}
	cand := func(code, unit string, year int, x float64, cell string) Candidate {
		return Candidate{Key: Key{Indicator: code, Unit: unit, Period: YearPeriod(year), Type: OfficialValue}, Value: x, Sheet: "Biểu 01", Cell: cell}
	}
	urban := []Value{off("SOC-01", "CT", 2021, 70), off("SOC-01", "CT", 2022, 72), off("SOC-01", "CT", 2023, 74)}
	budget := []Value{off("ECO-06", "CT", 2021, 10800), off("ECO-06", "CT", 2022, 11100), off("ECO-06", "CT", 2023, 11420)}
	tests := []struct {
		name   string
		cands  []Candidate
		known  []Value
		checks []string // the checks expected, in order
		cell   string   // the cell of the first warning
		reason string   // a piece of its English reason
	}{
		// 74 → 174: outside 0–100, and a change of 100 against a largest
		// past change of 2 (70 → 72 → 74): 100 > 3 × 2 and 100 > 0,1 × 74.
		{"urbanisation typed as 174 %", []Candidate{cand("SOC-01", "CT", 2024, 174, "F12")}, urban,
			[]string{CheckRange, CheckJump}, "F12", "outside 0–100"},
		// 74 → 76: a change of 2 ≤ 3 × 2: no warning.
		{"urbanisation moving as usual", []Candidate{cand("SOC-01", "CT", 2024, 76, "F12")}, urban, nil, "", ""},
		// 74 → 81: 7 > 3 × 2 = 6 and 7 > 7,4 (0,1 × 74)? No: 7 < 7,4, so no jump.
		{"a move under the floor", []Candidate{cand("SOC-01", "CT", 2024, 81, "F12")}, urban, nil, "", ""},
		// Doctors per 10,000 are a rate but not a percentage: 120 is not out of range.
		{"a rate that is not a percentage", []Candidate{cand("SOC-02", "CT", 2024, 120, "F13")}, nil, nil, "", ""},
		{"a negative percentage", []Candidate{cand("SOC-01", "CT", 2024, -3, "F12")}, nil, []string{CheckRange}, "F12", "-3"},
		// 11.420 → 1.234.567: change 1.223.147 > 3 × 320 (11.100 → 11.420,
		// the largest past change) and ratio 108 > 3.
		{"budget typed as 1.234.567", []Candidate{cand("ECO-06", "CT", 2024, 1234567, "G7")}, budget,
			[]string{CheckJump}, "G7", "more than 3 times the unit's largest past change (320)"},
		// One past value only: no history of changes, the ratio decides:
		// 1.234.567 ÷ 11.420 = 108,11 > 3.
		{"budget jump with one past value", []Candidate{cand("ECO-06", "CT", 2024, 1234567, "G7")},
			[]Value{off("ECO-06", "CT", 2023, 11420)}, []string{CheckJump}, "G7", "108.11 times"},
		// Another unit's history says nothing about CT.
		{"another unit's history", []Candidate{cand("ECO-06", "NK", 2024, 1234567, "G7")}, budget, nil, "", ""},
		// 25 + 30 + 35 + 9 = 99: misses 100 by 1 > 0,5.
		{"sector shares summing to 99", []Candidate{
			cand("ECO-10", "CT", 2024, 25, "C5"), cand("ECO-11", "CT", 2024, 30, "C6"),
			cand("ECO-12", "CT", 2024, 35, "C7"), cand("ECO-13", "CT", 2024, 9, "C8")}, nil,
			[]string{CheckWhole, CheckWhole, CheckWhole, CheckWhole}, "C5", "add up to 99 %"},
		// 25 + 30 + 35 + 9,6 = 99,6: within 0,5.
		{"sector shares within rounding", []Candidate{
			cand("ECO-10", "CT", 2024, 25, "C5"), cand("ECO-11", "CT", 2024, 30, "C6"),
			cand("ECO-12", "CT", 2024, 35, "C7"), cand("ECO-13", "CT", 2024, 9.6, "C8")}, nil, nil, "", ""},
		// Only ECO-10 is new; the three others in force make 30 + 35 + 9 = 74,
		// so 20 + 74 = 94.
		{"one share against the others in force", []Candidate{cand("ECO-10", "CT", 2024, 20, "C5")},
			[]Value{off("ECO-11", "CT", 2024, 30), off("ECO-12", "CT", 2024, 35), off("ECO-13", "CT", 2024, 9)},
			[]string{CheckWhole}, "C5", "add up to 94 %"},
		// A part missing: the sum is not judged.
		{"a part missing", []Candidate{cand("ECO-10", "CT", 2024, 20, "C5")}, nil, nil, "", ""},
		// Budget 11.420 → 12.000 is (12.000 ÷ 11.420 − 1) × 100 = 5,08 %;
		// a growth of 8 % is 2,92 points off > 1.
		{"growth disagreeing with its levels", []Candidate{cand("ECO-06", "CT", 2024, 12000, "G7"), cand("ECO-06g", "CT", 2024, 8, "G8")},
			budget, []string{CheckGrowth, CheckGrowth}, "G7", "which is 5.08 %"},
		// 5,5 % is 0,42 points off: fine.
		{"growth agreeing with its levels", []Candidate{cand("ECO-06", "CT", 2024, 12000, "G7"), cand("ECO-06g", "CT", 2024, 5.5, "G8")},
			budget, nil, "", ""},
		// GRDP growth typed as 75 after −2,79: a change of 77,79 > 3 × 3,81
		// = 11,43 (the largest past change, 1,02 → −2,79) and > 20 points.
		{"growth rate typed ten times too large", []Candidate{cand("ECO-01", "CT", 2022, 75, "H9")},
			[]Value{off("ECO-01", "CT", 2020, 1.02), off("ECO-01", "CT", 2021, -2.79)}, []string{CheckJump}, "H9", "a change of 77.79"},
		// The real recovery −2,79 → 12,64: 15,43 > 3 × 3,81 but under 20 points.
		{"a growth recovery", []Candidate{cand("ECO-01", "CT", 2022, 12.64, "H9")},
			[]Value{off("ECO-01", "CT", 2020, 1.02), off("ECO-01", "CT", 2021, -2.79)}, nil, "", ""},
		// Only the growth is new; the 2023 level (11.420) and 2022 level
		// (11.100) in force imply 2,88 %; 10 % is 7,12 points off.
		{"growth against the levels in force", []Candidate{cand("ECO-06g", "CT", 2023, 10, "G8")},
			budget, []string{CheckGrowth}, "G8", "which is 2.88 %"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, n := CheckPlausibility(tc.cands, tc.known, inds, DefaultPlausibility(), 0)
			if n != len(got) {
				t.Errorf("counted %d warnings, listed %d", n, len(got))
			}
			var checks []string
			for _, w := range got {
				checks = append(checks, w.Check)
				if w.ReasonVI == "" || w.ReasonEN == "" || w.Sheet != "Biểu 01" {
					t.Errorf("warning %+v lacks a reason in both languages or its sheet", w)
				}
			}
			if strings.Join(checks, ",") != strings.Join(tc.checks, ",") {
				t.Fatalf("checks = %v, want %v (%+v)", checks, tc.checks, got)
			}
			if len(got) == 0 {
				return
			}
			if got[0].Cell != tc.cell || !strings.Contains(got[0].ReasonEN, tc.reason) {
				t.Errorf("first warning = %s %q, want %s with %q", got[0].Cell, got[0].ReasonEN, tc.cell, tc.reason)
			}
		})
	}
}

func TestPlausibilityThresholdsAreSettings(t *testing.T) {
	t.Parallel()
	inds := []Indicator{{Code: "ECO-06", Unit: "tỷ đồng", Measure: Level}}
	known := []Value{{Key: Key{"ECO-06", "CT", YearPeriod(2023), OfficialValue}, Value: 100}}
	c := []Candidate{{Key: Key{"ECO-06", "CT", YearPeriod(2024), OfficialValue}, Value: 250, Cell: "B2"}}
	// 250 ÷ 100 = 2,5: under the default ratio 3, over a ratio of 2.
	if got, _ := CheckPlausibility(c, known, inds, DefaultPlausibility(), 0); len(got) != 0 {
		t.Fatalf("default thresholds: %+v, want none", got)
	}
	s := DefaultPlausibility()
	s.JumpRatio = 2
	if got, _ := CheckPlausibility(c, known, inds, s, 0); len(got) != 1 || got[0].Check != CheckJump {
		t.Fatalf("ratio 2: %+v, want one jump", got)
	}
	if !strings.Contains(strings.Join(s.Related([]string{"ECO-12"}), ","), "ECO-10,ECO-11,ECO-12,ECO-13") {
		t.Errorf("Related(ECO-12) = %v, want the four sector shares", s.Related([]string{"ECO-12"}))
	}
}

// Only the first warnings are listed; all are counted.
func TestPlausibilityListsTheFirst(t *testing.T) {
	t.Parallel()
	inds := []Indicator{{Code: "SOC-01", Unit: "%", Measure: Rate}}
	var cands []Candidate
	for y := 2001; y <= 2010; y++ { // ten values over 100 %: ten range warnings
		cands = append(cands, Candidate{Key: Key{"SOC-01", "CT", YearPeriod(y), OfficialValue}, Value: 150, Cell: "B2"})
	}
	got, n := CheckPlausibility(cands, nil, inds, DefaultPlausibility(), 3)
	if len(got) != 3 || n != 10 {
		t.Errorf("listed %d of %d, want 3 of 10", len(got), n)
	}
}
