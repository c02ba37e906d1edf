package indicators

import (
	"testing"
)

func TestJudge(t *testing.T) {
	plan := func(v float64, high ...float64) Value {
		p := Value{Key: Key{Type: PlanValue}, Value: v}
		if len(high) > 0 {
			p.High = &high[0]
		}
		return p
	}
	cases := []struct {
		name string
		v    float64
		plan Value
		d    Direction
		want Verdict
	}{
		{"up, better than the plan", 8, plan(7), Up, Exceeded},
		{"up, equal to the plan", 7, plan(7), Up, Met},
		{"up, worse than the plan", 6.9, plan(7), Up, NotMet},
		{"up, above the top of the range", 8.2, plan(7.5, 8), Up, Exceeded},
		{"up, within the range", 7.8, plan(7.5, 8), Up, Met},
		{"up, at the bottom of the range", 7.5, plan(7.5, 8), Up, Met},
		{"up, below the range", 7.12, plan(7.5, 8), Up, NotMet},
		{"down, better than the plan", 0.4, plan(0.5), Down, Exceeded},
		{"down, equal to the plan", 0.5, plan(0.5), Down, Met},
		{"down, worse than the plan", 0.6, plan(0.5), Down, NotMet},
		{"down, below the bottom of the range", 2.5, plan(3, 4), Down, Exceeded},
		{"down, within the range", 3.5, plan(3, 4), Down, Met},
		{"down, above the range", 4.5, plan(3, 4), Down, NotMet},
		{"within, inside the range", 5.7, plan(5.6, 5.9), Within, Met},
		{"within, above the range", 6, plan(5.6, 5.9), Within, NotMet},
		{"within, below the range", 5.5, plan(5.6, 5.9), Within, NotMet},
		{"within, on a single planned value", 5, plan(5), Within, Met},
	}
	for _, c := range cases {
		if got := Judge(c.v, c.plan, c.d); got != c.want {
			t.Errorf("%s: Judge(%v) = %q, want %q", c.name, c.v, got, c.want)
		}
	}
}
