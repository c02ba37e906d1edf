package indicators

import (
	"testing"
)

func TestEvaluateLevel(t *testing.T) {
	ge := Bound{Op: OpAtLeast, A: 161.051} // 100·1.1⁵: a 10 %/yr path from a base of 100
	cases := []evalCase{
		{"achieved at T", input(LevelTarget, ge, []Value{yv(2020, 100), yv(2025, 170)}),
			// t = T = 2025 and 170 ≥ 161.051
			want{status: Achieved, soFar: fp(170), base: 2020, latest: 2025, used: []int{2025}, vi: "đạt mục tiêu từ 161,05 tỷ đồng trở lên; dựa trên 1/5 năm, thiếu 2021–2024", en: "meeting the target"}},
		{"off track at T", input(LevelTarget, ge, []Value{yv(2020, 100), yv(2025, 150)}),
			// t = T and 150 < 161.051
			want{status: OffTrack, soFar: fp(150), base: 2020, latest: 2025, used: []int{2025}, vi: "không đạt mục tiêu", en: "missing the target"}},
		{"met ahead of T", input(LevelTarget, ge, []Value{yv(2020, 100), yv(2022, 165)}),
			// t = 2022 < T and 165 ≥ 161.051: on track, nothing more to compute
			want{status: OnTrack, reason: "ahead", soFar: fp(165), base: 2020, latest: 2022, used: []int{2022}, vi: "trước thời hạn 2025", en: "ahead of 2025"}},
		{"ratio on track", input(LevelTarget, ge, []Value{yv(2020, 100), yv(2022, 121)}),
			// CAGR_o = (121/100)^(1/2) − 1 = 10 %; CAGR_r = (161.051/100)^(1/5) − 1 = 10 %; R = 1
			// projection 121·1.1³ = 161.051; required (161.051/121)^(1/3) − 1 = 10 %
			want{status: OnTrack, soFar: fp(121), proj: fp(161.051), req: fp(10), ratio: fp(1), base: 2020, latest: 2022,
				used: []int{2020, 2022}, vi: "tức là khoảng 100 % tốc độ cần có: đúng tiến độ", en: "about 100 % of the pace needed: on track"}},
		{"ratio at risk", input(LevelTarget, ge, []Value{yv(2020, 100), yv(2022, 116.64)}),
			// CAGR_o = √1.1664 − 1 = 8 %; R = 8/10 = 0.8 ∈ [0.6, 0.95)
			// projection 116.64·1.08³ = 146.9328; required (161.051/116.64)^(1/3) − 1 = 11.3539 %
			want{status: AtRisk, soFar: fp(116.64), proj: fp(146.9328), req: fp(11.3539), ratio: fp(0.8), base: 2020, latest: 2022,
				used: []int{2020, 2022}, vi: "bình quân tăng 8 %/năm, trong khi cần tăng 10 %/năm", en: "averaging a rise of 8 %/yr"}},
		{"ratio off track", input(LevelTarget, ge, []Value{yv(2020, 100), yv(2022, 110.25)}),
			// CAGR_o = √1.1025 − 1 = 5 %; R = 0.5 ∈ [0, 0.6)
			// projection 110.25·1.05³ = 127.6282; required (161.051/110.25)^(1/3) − 1 = 13.4649 %
			want{status: OffTrack, soFar: fp(110.25), proj: fp(127.6282), req: fp(13.4649), ratio: fp(0.5), base: 2020, latest: 2022,
				used: []int{2020, 2022}, vi: "chậm tiến độ", en: "off track"}},
		{"ratio regressing", input(LevelTarget, ge, []Value{yv(2020, 100), yv(2022, 90.25)}),
			// CAGR_o = √0.9025 − 1 = −5 %; R = −0.5 < 0
			// projection 90.25·0.95³ = 77.3781; required (161.051/90.25)^(1/3) − 1 = 21.2938 %
			want{status: Regressing, soFar: fp(90.25), proj: fp(77.3781), req: fp(21.2938), ratio: fp(-0.5), base: 2020, latest: 2022,
				used: []int{2020, 2022}, vi: "giảm 5 %/năm", en: "fall of 5 %/yr"}},
		{"one year only (t = b)", input(LevelTarget, ge, []Value{yv(2022, 120)}),
			// no 2020 value, so b = first year with a value = 2022 = t
			want{status: NoData, reason: "one_year", soFar: fp(120), base: 2022, latest: 2022, used: []int{2022}, vi: "chưa đủ hai năm", en: "not enough years"}},
		{"base falls back to the first year with a value", input(LevelTarget, Bound{Op: OpAtLeast, A: 146.41}, []Value{yv(2021, 100), yv(2023, 121)}),
			// b = 2021; CAGR_o = √1.21 − 1 = 10 %; CAGR_r = (146.41/100)^(1/4) − 1 = 10 %; R = 1
			// projection 121·1.1² = 146.41; required √(146.41/121) − 1 = 10 %
			want{status: OnTrack, soFar: fp(121), proj: fp(146.41), req: fp(10), ratio: fp(1), base: 2021, latest: 2023, used: []int{2021, 2023}}},
		{"zero base replaced by 0.001", input(LevelTarget, Bound{Op: OpAtLeast, A: 10}, []Value{yv(2020, 0), yv(2022, 1)}),
			// CAGR_o = (1/0.001)^(1/2) − 1 = 30.6228; CAGR_r = (10/0.001)^(1/5) − 1 = 5.3096; R = 5.7675
			// projection 1·(√1000)³ = 31622.7766; required 10^(1/3) − 1 = 115.4435 %
			want{status: OnTrack, soFar: fp(1), proj: fp(31622.7766), req: fp(115.4435), ratio: fp(5.7675), base: 2020, latest: 2022, used: []int{2020, 2022}}},
		{"zero target replaced by 0.001, lower is better", input(LevelTarget, Bound{Op: OpAtMost, A: 0}, []Value{yv(2020, 10), yv(2022, 5)}, dir(Down)),
			// d = −1; CAGR_o = √0.5 − 1 = −0.292893; CAGR_r = (0.001/10)^(1/5) − 1 = −0.841511
			// R = −1·(−0.292893)/0.841511 = 0.3481; projection 5·√0.5³ = 1.7678; required (0.001/5)^(1/3) − 1 = −94.152 %
			want{status: OffTrack, soFar: fp(5), proj: fp(1.7678), req: fp(-94.152), ratio: fp(0.3481), base: 2020, latest: 2022, used: []int{2020, 2022}}},
		{"negative base: s = −1", input(LevelTarget, Bound{Op: OpAtLeast, A: -59.049}, []Value{yv(2020, -100), yv(2022, -81)}),
			// a loss shrinking by 10 %/yr: CAGR_o = √0.81 − 1 = −10 %; CAGR_r = 0.59049^(1/5) − 1 = −10 %
			// R = s·d·CAGR_o/|CAGR_r| = (−1)(1)(−0.1)/0.1 = 1; projection −81·0.9³ = −59.049; required 0.729^(1/3) − 1 = −10 %
			want{status: OnTrack, soFar: fp(-81), proj: fp(-59.049), req: fp(-10), ratio: fp(1), base: 2020, latest: 2022, used: []int{2020, 2022}}},
		{"base and latest of opposite signs", input(LevelTarget, Bound{Op: OpAtLeast, A: 10}, []Value{yv(2020, -5), yv(2022, 3)}),
			// −5 and 3: (3/−5)^(1/2) has no real root
			want{status: NoData, reason: "opposite_signs", soFar: fp(3), base: 2020, latest: 2022, used: []int{2020, 2022}, vi: "trái dấu", en: "opposite signs"}},
		{"base and target of opposite signs", input(LevelTarget, Bound{Op: OpAtLeast, A: 10}, []Value{yv(2020, -5), yv(2022, -3)}),
			// −5 and the target 10: (10/−5)^(1/5) has no real root
			want{status: NoData, reason: "opposite_signs", soFar: fp(-3), base: 2020, latest: 2022, used: []int{2020, 2022}, vi: "mục tiêu", en: "the target"}},
		{"range: above its top still meets when higher is better", input(LevelTarget, Bound{Op: OpRange, A: 6200, B: 6800}, []Value{yv(2025, 7000)}),
			// d = +1, so only the lower end 6200 matters: 7000 ≥ 6200
			want{status: Achieved, soFar: fp(7000), base: 2025, latest: 2025, used: []int{2025}, vi: "6.200–6.800", en: "6,200–6,800"}},
		{"range: the ratio uses the lower end", input(LevelTarget, Bound{Op: OpRange, A: 161.051, B: 200}, []Value{yv(2020, 100), yv(2022, 116.64)}),
			// a = 161.051, so as in "ratio at risk": R = 0.8
			want{status: AtRisk, soFar: fp(116.64), proj: fp(146.9328), req: fp(11.3539), ratio: fp(0.8), base: 2020, latest: 2022, used: []int{2020, 2022}}},
		{"lower is better: poverty rate ≤ 0.5 on track", input(LevelTarget, Bound{Op: OpAtMost, A: 0.5}, []Value{yv(2020, 2), yv(2022, 1)}, dir(Down), percentUnit),
			// d = −1; CAGR_o = √0.5 − 1 = −29.2893 %; CAGR_r = 0.25^(1/5) − 1 = −24.2142 %
			// R = −1·(−0.292893)/0.242142 = 1.2096; projection 1·√0.5³ = 0.3536; required 0.5^(1/3) − 1 = −20.6299 %
			want{status: OnTrack, soFar: fp(1), proj: fp(0.3536), req: fp(-20.6299), ratio: fp(1.2096), base: 2020, latest: 2022,
				used: []int{2020, 2022}, vi: "từ nay cần giảm 20,63 %/năm", en: "needs a fall of 20.63 %/yr"}},
		{"lower is better: achieved at T", input(LevelTarget, Bound{Op: OpAtMost, A: 0.5}, []Value{yv(2020, 2), yv(2025, 0.4)}, dir(Down), percentUnit),
			// 0.4 ≤ 0.5
			want{status: Achieved, soFar: fp(0.4), base: 2020, latest: 2025, used: []int{2025}, vi: "không quá 0,5 %", en: "at most 0.5 %"}},
		{"lower is better: missed at T", input(LevelTarget, Bound{Op: OpAtMost, A: 0.5}, []Value{yv(2020, 2), yv(2025, 0.6)}, dir(Down), percentUnit),
			// 0.6 > 0.5
			want{status: OffTrack, soFar: fp(0.6), base: 2020, latest: 2025, used: []int{2025}}},
		{"about a: inside the tolerance", input(LevelTarget, Bound{Op: OpAbout, A: 100}, []Value{yv(2025, 96)}),
			// about 100 = [95, 105]; higher is better so a = 95 and 96 ≥ 95
			want{status: Achieved, soFar: fp(96), base: 2025, latest: 2025, used: []int{2025}, vi: "khoảng 100", en: "about 100"}},
		{"about a: below the tolerance", input(LevelTarget, Bound{Op: OpAbout, A: 100}, []Value{yv(2025, 94)}),
			// 94 < 95
			want{status: OffTrack, soFar: fp(94), base: 2025, latest: 2025, used: []int{2025}}},
		{"about a: the ratio aims at 0.95·a", input(LevelTarget, Bound{Op: OpAbout, A: 100}, []Value{yv(2020, 80), yv(2022, 88)}),
			// a = 95; CAGR_o = √1.1 − 1 = 4.8809 %; CAGR_r = (95/80)^(1/5) − 1 = 3.4968 %; R = 1.3958
			// projection 88·1.048809³ = 101.5247; required (95/88)^(1/3) − 1 = 2.5842 %
			want{status: OnTrack, soFar: fp(88), proj: fp(101.5247), req: fp(2.5842), ratio: fp(1.3958), base: 2020, latest: 2022, used: []int{2020, 2022}}},
		{"target direction overrides the indicator's", input(LevelTarget, Bound{Op: OpAtMost, A: 0.5}, []Value{yv(2025, 0.4)}, targetDir(Down)),
			// the indicator says up, the target says down: 0.4 ≤ 0.5
			want{status: Achieved, soFar: fp(0.4), base: 2025, latest: 2025, used: []int{2025}}},
		{"bound against the direction", input(LevelTarget, Bound{Op: OpAtMost, A: 0.5}, []Value{yv(2025, 0.4)}),
			// up with "≤ 0.5": the lower end that would matter is −∞
			want{status: NoData, reason: "direction_conflict", vi: "ngược chiều với chỉ tiêu (càng cao càng tốt)", en: "runs against the indicator (higher is better)"}},
		{"not quantified", input(LevelTarget, Bound{}, []Value{yv(2025, 7000)}),
			want{status: NoData, reason: "not_quantified", vi: "giữ nguyên văn “mục tiêu thử”", en: "kept as written"}},
		{"no values", input(LevelTarget, ge, []Value{yv(2019, 90), yv(2026, 200)}),
			// 2019 is before b = 2020 and 2026 after T = 2025
			want{status: NoData, reason: "no_values", vi: "01/03/2026", en: "1 Mar 2026"}},
	}
	runEvalCases(t, cases)
}

func TestEvaluateLevelWithin(t *testing.T) {
	share := Bound{Op: OpRange, A: 5.6, B: 5.9} // agriculture share of GRDP, 5.6–5.9 % in 2025
	within := func(values ...Value) Input {
		return input(LevelTarget, share, values, dir(Within), measure(Share), percentUnit)
	}
	cases := []evalCase{
		{"inside at T", within(yv(2020, 6.5), yv(2025, 5.7)),
			want{status: Achieved, soFar: fp(5.7), base: 2020, latest: 2025, used: []int{2025}, vi: "nằm trong khoảng mục tiêu 5,6–5,9 %", en: "inside the target range"}},
		{"outside at T", within(yv(2020, 6.5), yv(2025, 5.5)),
			// below the range counts as a miss too
			want{status: OffTrack, soFar: fp(5.5), base: 2020, latest: 2025, used: []int{2025}, vi: "nằm ngoài khoảng", en: "outside the target range"}},
		{"inside now", within(yv(2020, 6.5), yv(2023, 5.8)),
			want{status: OnTrack, reason: "ahead", soFar: fp(5.8), base: 2020, latest: 2023, used: []int{2023}, vi: "đã nằm trong khoảng", en: "already inside"}},
		{"the line reaches the range", within(yv(2020, 6.6), yv(2021, 6.45), yv(2022, 6.3), yv(2023, 6.15)),
			// slope −0.15/yr; line at 2025 = 6.15 − 2·0.15 = 5.85 ≤ 5.9
			// required = (5.9 − 6.15)/(2025 − 2023) = −0.125 per year
			want{status: OnTrack, soFar: fp(6.15), proj: fp(5.85), req: fp(-0.125), base: 2020, latest: 2023,
				used: []int{2020, 2021, 2022, 2023}, vi: "giảm 0,15 điểm %/năm", en: "fall of 0.15 pp/yr"}},
		{"the line moves towards the range but does not reach it", within(yv(2020, 7), yv(2021, 6.9), yv(2022, 6.8), yv(2023, 6.7)),
			// slope −0.1/yr; line at 2025 = 6.5 > 5.9; required = (5.9 − 6.7)/2 = −0.4 per year
			want{status: AtRisk, soFar: fp(6.7), proj: fp(6.5), req: fp(-0.4), base: 2020, latest: 2023,
				used: []int{2020, 2021, 2022, 2023}, vi: "cần giảm 0,4 điểm %/năm để chạm 5,9 %", en: "a fall of 0.4 pp/yr is needed"}},
		{"the line moves away", within(yv(2020, 6), yv(2023, 6.3)),
			// above the range and slope +0.1/yr; line at 2025 = 6.5; required = (5.9 − 6.3)/2 = −0.2
			want{status: Regressing, soFar: fp(6.3), proj: fp(6.5), req: fp(-0.2), base: 2020, latest: 2023,
				used: []int{2020, 2023}, vi: "đi xa khỏi khoảng này", en: "moves away"}},
		{"flat outside the range", within(yv(2020, 6.3), yv(2023, 6.3)),
			// slope 0; line at 2025 = 6.3; required = (5.9 − 6.3)/2 = −0.2
			want{status: Regressing, reason: "flat", soFar: fp(6.3), proj: fp(6.3), req: fp(-0.2), base: 2020, latest: 2023,
				used: []int{2020, 2023}, vi: "đi ngang", en: "is flat"}},
		{"below the range, rising into it", within(yv(2020, 5), yv(2023, 5.45)),
			// slope +0.15/yr; line at 2025 = 5.75 ≥ 5.6; required = (5.6 − 5.45)/2 = 0.075
			want{status: OnTrack, soFar: fp(5.45), proj: fp(5.75), req: fp(0.075), base: 2020, latest: 2023, used: []int{2020, 2023}}},
		{"one year outside the range", within(yv(2023, 6.3)),
			want{status: NoData, reason: "one_year", soFar: fp(6.3), base: 2023, latest: 2023, used: []int{2023}}},
	}
	runEvalCases(t, cases)
}
