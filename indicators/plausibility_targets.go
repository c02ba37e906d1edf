package indicators

import (
	"math"
	"strconv"
)

// The plan workbook's figures are the bounds of the targets it creates or
// revises. Before they are committed they go through the same plausibility
// checks as reported values (CheckPlausibility, unchanged): a bound is read
// as the plan value (KH) of the target's unit — its own, or the city of
// its territorial scope — for the end year of its period. Only the bounds
// of targets on the value itself are checked (level, annual, average, and
// the average growth of an indicator that is itself a growth rate); a
// relative, cumulative or average-change target's bound is not a value of
// the indicator.

// CheckTargetPlausibility checks the bounds of the targets that changes
// create or revise against known (the values in force of the targets'
// units, their indicators and those grouped or linked with them), with
// the thresholds of s. It returns the first limit warnings (all when limit ≤ 0) and their count.
func CheckTargetPlausibility(changes []CatalogChange, known []Value, inds []Indicator, units []Unit, s PlausibilitySettings,
	limit int) ([]PlausibilityWarning, int) {
	byCode := make(map[string]*Indicator, len(inds))
	for i := range inds {
		byCode[inds[i].Code] = &inds[i]
	}
	points, ends := TargetCandidates(changes, byCode, units)
	var out []PlausibilityWarning
	// Wholes and growth: one bound per target, read together.
	ws, _ := CheckPlausibility(points, known, inds, s, 0)
	for _, w := range ws {
		if w.Check == CheckWhole || w.Check == CheckGrowth {
			out = append(out, w)
		}
	}
	// Ranges and jumps: every end of every bound, each on its own. A
	// target departs from the past pace by design, and its end year is
	// often years past the last value: the jump is judged by the ratio to
	// the last value only, never by the past yearly changes.
	one := s
	one.Wholes, one.GrowthOf, one.JumpFactor = nil, nil, math.Inf(1)
	for _, c := range ends {
		one.JumpRatio = s.JumpRatio
		if ind := byCode[c.Indicator]; ind.Measure == Rate || ind.Measure == Share {
			// A percentage's bound is checked by its range: the ratio of
			// two small rates (a poverty rate of 0,32 % aimed at 0,03 %)
			// says nothing.
			one.JumpRatio = 0
		}
		ws, _ := CheckPlausibility([]Candidate{c}, known, inds, one, 0)
		for _, w := range ws {
			if w.Check == CheckRange || w.Check == CheckJump {
				out = append(out, w)
			}
		}
	}
	n := len(out)
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, n
}

// TargetCandidates reads the bounds of the targets changes create or
// revise as plan values: points holds one value per target (a range's
// middle) for the checks that read targets together, ends every end of
// every bound. Each names the bound's cell of the Targets sheet.
func TargetCandidates(changes []CatalogChange, inds map[string]*Indicator, units []Unit) (points, ends []Candidate) {
	city := map[Scope]string{}
	for _, u := range units {
		if _, ok := city[u.Scope]; !ok && u.Kind == City {
			city[u.Scope] = u.Code
		}
	}
	for _, ch := range changes {
		t := ch.Target
		if t == nil || (ch.Action != Create && ch.Action != Revise) || t.Bound.Op == OpNone {
			continue
		}
		ind := inds[t.Indicator]
		switch {
		case ind == nil:
			continue
		case t.Kind == LevelTarget, t.Kind == AnnualTarget, t.Kind == AverageTarget:
		case t.Kind == AvgGrowthTarget && ind.Measure == GrowthRate:
		default:
			continue
		}
		unit := t.Unit
		if unit == "" {
			unit = city[t.Scope]
		}
		if unit == "" {
			continue
		}
		key := Key{Indicator: t.Indicator, Unit: unit, Period: YearPeriod(t.Period.To), Type: PlanValue}
		a := Candidate{Key: key, Value: t.Bound.A, Sheet: TargetsSheet.Name, Cell: targetCell("a", ch.Row)}
		ends = append(ends, a)
		point := a
		if t.Bound.Op == OpRange {
			b := Candidate{Key: key, Value: t.Bound.B, Sheet: TargetsSheet.Name, Cell: targetCell("b", ch.Row)}
			ends = append(ends, b)
			point.Value = (t.Bound.A + t.Bound.B) / 2
		}
		points = append(points, point)
	}
	return points, ends
}

// targetCell is the address of the column key of a row of the Targets
// sheet.
func targetCell(key string, row int) string {
	for i, c := range TargetsSheet.Columns {
		if c.Key == key {
			return columnLetters(i+1) + strconv.Itoa(row)
		}
	}
	return "A" + strconv.Itoa(row)
}

// columnLetters is a spreadsheet column's letters: 1 → A, 27 → AA.
func columnLetters(n int) string {
	s := ""
	for n > 0 {
		n--
		s = string(rune('A'+n%26)) + s
		n /= 26
	}
	return s
}
