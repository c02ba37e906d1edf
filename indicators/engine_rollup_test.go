package indicators

import (
	"testing"
)

func TestRoll(t *testing.T) {
	cases := []struct {
		name     string
		statuses []Status
		counts   map[Status]int
		total    int
		noData   int
		score    *float64
	}{
		{"every status once, two without data",
			[]Status{Achieved, OnTrack, AtRisk, OffTrack, Regressing, NoData, NoData},
			map[Status]int{Achieved: 1, OnTrack: 1, AtRisk: 1, OffTrack: 1, Regressing: 1, NoData: 2},
			// (1 + 1 + ½·1) ÷ (7 − 2) = 0.5
			7, 2, fp(0.5)},
		{"no data is left out of the score",
			[]Status{Achieved, AtRisk, NoData},
			map[Status]int{Achieved: 1, AtRisk: 1, NoData: 1},
			// (1 + ½) ÷ 2 = 0.75, not 1.5 ÷ 3
			3, 1, fp(0.75)},
		{"nothing rests on data",
			[]Status{NoData, NoData},
			map[Status]int{NoData: 2},
			2, 2, nil},
		{"empty", nil, map[Status]int{}, 0, 0, nil},
	}
	for _, c := range cases {
		got := Roll(c.statuses)
		for _, st := range Statuses {
			if got.Counts[st] != c.counts[st] {
				t.Errorf("%s: Counts[%s] = %d, want %d", c.name, st, got.Counts[st], c.counts[st])
			}
		}
		if got.Total != c.total || got.NoData != c.noData || got.RestsOn != c.total-c.noData {
			t.Errorf("%s: Total, NoData, RestsOn = %d, %d, %d, want %d, %d, %d",
				c.name, got.Total, got.NoData, got.RestsOn, c.total, c.noData, c.total-c.noData)
		}
		checkFigure(t, c.name+": Score", got.Score, c.score)
	}
}
