package indicators

import (
	"testing"
)

func TestEvaluateAverage(t *testing.T) {
	r := Bound{Op: OpRange, A: 12, B: 14} // budget revenue 12–14 % of GRDP on average
	avg := func(values ...Value) Input { return input(AverageTarget, r, values, measure(Share), percentUnit) }
	cases := []evalCase{
		{"achieved", avg(yv(2021, 12), yv(2022, 13), yv(2023, 12), yv(2024, 14), yv(2025, 13)),
			// mean 64/5 = 12.8 ≥ 12
			want{status: Achieved, soFar: fp(12.8), latest: 2025, used: []int{2021, 2022, 2023, 2024, 2025}, vi: "Bình quân 2021–2025 đạt 12,8 %"}},
		{"off track at the end", avg(yv(2021, 11), yv(2022, 12), yv(2023, 11), yv(2024, 12), yv(2025, 11)),
			// mean 57/5 = 11.4 < 12
			want{status: OffTrack, soFar: fp(11.4), latest: 2025, used: []int{2021, 2022, 2023, 2024, 2025}}},
		{"judged at the end year even with a gap", avg(yv(2021, 13), yv(2022, 12), yv(2025, 14)),
			// t = T = 2025, so the mean of the three known years is final: 39/3 = 13 ≥ 12
			want{status: Achieved, soFar: fp(13), latest: 2025, used: []int{2021, 2022, 2025}}},
		{"on track", avg(yv(2021, 13), yv(2022, 12)),
			// mean 12.5 ≥ 12; required (12·5 − 25)/3 = 11.6667
			want{status: OnTrack, soFar: fp(12.5), req: fp(11.6667), latest: 2022, used: []int{2021, 2022}, vi: "bình quân đạt 11,67 %"}},
		{"at risk", avg(yv(2019, 14), yv(2020, 13), yv(2021, 11), yv(2022, 11)),
			// mean 11 < 12; required (60 − 22)/3 = 12.6667 ≤ best of 2018–2022 = 14 (2019)
			want{status: AtRisk, soFar: fp(11), req: fp(12.6667), latest: 2022, used: []int{2019, 2021, 2022}, vi: "(14 % năm 2019)"}},
		{"off track", avg(yv(2021, 10), yv(2022, 10)),
			// mean 10; required (60 − 20)/3 = 13.3333 > best 10 (2021)
			want{status: OffTrack, soFar: fp(10), req: fp(13.3333), latest: 2022, used: []int{2021, 2022}, vi: "cao hơn mức tốt nhất"}},
		{"lower is better at risk", input(AverageTarget, Bound{Op: OpAtMost, A: 3}, []Value{yv(2020, 2.5), yv(2021, 4), yv(2022, 3)}, dir(Down), percentUnit),
			// mean 3.5 > 3; required (3·5 − 7)/3 = 2.6667 ≥ lowest of 2018–2022 = 2.5 (2020)
			want{status: AtRisk, soFar: fp(3.5), req: fp(2.6667), latest: 2022, used: []int{2020, 2021, 2022}, vi: "bình quân không quá 2,67 %", en: "no lower than the best"}},
		{"no year yet", avg(yv(2020, 13)),
			want{status: NoData, reason: "no_values"}},
	}
	runEvalCases(t, cases)
}
