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

func TestEvaluateAvgGrowth(t *testing.T) {
	r := Bound{Op: OpRange, A: 7.5, B: 8} // "bình quân 7,5–8 %/năm"
	rates := func(b Bound, values ...Value) Input {
		return input(AvgGrowthTarget, b, values, measure(GrowthRate), percentUnit)
	}
	levels := func(values ...Value) Input {
		return input(AvgGrowthTarget, Bound{Op: OpAtLeast, A: 7.5}, values)
	}
	cases := []evalCase{
		{"achieved", rates(r, yv(2021, 8), yv(2022, 8), yv(2023, 8), yv(2024, 8), yv(2025, 8)),
			// k = n = 5, average 8 % ≥ 7.5 %
			want{status: Achieved, soFar: fp(8), latest: 2025, used: []int{2021, 2022, 2023, 2024, 2025}, vi: "đạt mục tiêu 7,5–8 %/năm", en: "meeting the target"}},
		{"off track at the end", rates(r, yv(2021, 7), yv(2022, 7), yv(2023, 7), yv(2024, 7), yv(2025, 7)),
			// k = n, average 7 % < 7.5 %
			want{status: OffTrack, soFar: fp(7), latest: 2025, used: []int{2021, 2022, 2023, 2024, 2025}, vi: "dưới mức 7,5 %", en: "below the 7.5 %"}},
		{"on track", rates(r, yv(2021, 8), yv(2022, 8)),
			// average 8 % ≥ 7.5 %; required ((1.075⁵)/(1.08²))^(1/3) − 1 = 7.168 %
			want{status: OnTrack, soFar: fp(8), req: fp(7.168), latest: 2022, used: []int{2021, 2022}, vi: "3 năm còn lại cần tăng bình quân 7,17 %/năm", en: "the 3 years left need average growth of 7.17 %/yr"}},
		{"regressing", rates(r, yv(2021, -2), yv(2022, -1)),
			// G = 0.98·0.99 = 0.9702; average √0.9702 − 1 = −1.5013 % < 0
			// required (1.075⁵/0.9702)^(1/3) − 1 = 13.9533 %
			want{status: Regressing, soFar: fp(-1.5013), req: fp(13.9533), latest: 2022, used: []int{2021, 2022}, vi: "tức là giảm", en: "a decline"}},
		{"at risk: the best recent year lies before the period", rates(Bound{Op: OpAtLeast, A: 7.5}, yv(2020, 13), yv(2021, 5), yv(2022, 6), yv(2023, 7), yv(2024, 7)),
			// G = 1.05·1.06·1.07·1.07 = 1.274274; average G^(1/4) − 1 = 6.2468 % < 7.5 %
			// required 1.075⁵/G − 1 = 12.6626 % ≤ best of 2020–2024 = 13 % (2020)
			want{status: AtRisk, soFar: fp(6.2468), req: fp(12.6626), latest: 2024, used: []int{2020, 2021, 2022, 2023, 2024},
				vi: "không cao hơn mức tốt nhất 5 năm gần đây (13 % năm 2020)", en: "no higher than the best of the last 5 years (13 % in 2020)"}},
		{"off track: required above the best recent year", rates(Bound{Op: OpAtLeast, A: 7.5}, yv(2020, 12), yv(2021, 5), yv(2022, 6), yv(2023, 7), yv(2024, 7)),
			// as above, but 12.6626 % > best 12 % (2020)
			want{status: OffTrack, soFar: fp(6.2468), req: fp(12.6626), latest: 2024, used: []int{2020, 2021, 2022, 2023, 2024}, vi: "cao hơn mức tốt nhất", en: "above the best"}},
		{"about a only sets lo", rates(Bound{Op: OpAbout, A: 8}, yv(2021, 7.58), yv(2022, 7.58), yv(2023, 7.58), yv(2024, 7.58), yv(2025, 7.58)),
			// about 8 → lo = 0.95·8 = 7.6; average 7.58 % < 7.6 %
			want{status: OffTrack, soFar: fp(7.58), latest: 2025, used: []int{2021, 2022, 2023, 2024, 2025}, vi: "dưới mức 7,6 %", en: "below the 7.6 %"}},
		{"no growth rate in the period", rates(r, yv(2020, 1.02)),
			// k = 0
			want{status: NoData, reason: "no_values", vi: "giai đoạn 2021–2025", en: "for 2021–2025"}},
		{"from levels: on track", levels(yv(2020, 100), yv(2022, 116.64)),
			// G = 1.1664, k = 2; average 8 %; required (1.075⁵/1.1664)^(1/3) − 1 = 7.168 %
			want{status: OnTrack, soFar: fp(8), req: fp(7.168), base: 2020, latest: 2022, used: []int{2020, 2022}, vi: "Tăng trưởng bình quân 2021–2022 đạt 8 %/năm"}},
		{"from levels: at risk on year-on-year growth", levels(yv(2019, 80), yv(2020, 100), yv(2022, 110.25)),
			// G = 1.1025, k = 2; average 5 %; required (1.075⁵/1.1025)^(1/3) − 1 = 9.1996 %
			// best year-on-year growth in 2018–2022: 2020 = 100/80 − 1 = 25 % (2022 has no 2021 to compare)
			want{status: AtRisk, soFar: fp(5), req: fp(9.1996), base: 2020, latest: 2022, used: []int{2019, 2020, 2022}, vi: "(25 % năm 2020)"}},
		{"from levels: no recent year to compare", levels(yv(2020, 100), yv(2022, 110.25)),
			// as above without 2019: no year-on-year growth exists, so the required 9.1996 % cannot be shown feasible
			want{status: OffTrack, soFar: fp(5), req: fp(9.1996), base: 2020, latest: 2022, used: []int{2020, 2022}, vi: "chưa có số liệu 5 năm gần đây", en: "no figure of the last 5 years"}},
		{"from levels: one year", levels(yv(2020, 100)),
			// k = t − b = 0
			want{status: NoData, reason: "one_year", base: 2020, latest: 2020, used: []int{2020}}},
	}
	runEvalCases(t, cases)
}

// TestEvaluateGRDPExample is the worked example of DESIGN.md §3: old Can Tho,
// GRDP growth 2021–2025 against 7.5–8 %/yr, with the merged city's 2025
// figure on record.
func TestEvaluateGRDPExample(t *testing.T) {
	values := []Value{
		yv(2020, 1.02, withID(1)),
		yv(2021, -2.79, withID(2)),
		yv(2022, 12.64, withID(3)),
		yv(2023, 5.75, withID(4)),
		yv(2024, 7.12, withID(5), withCell("Biểu 01", "F12")),
		yv(2025, 7.23, withID(6), merged),
		yv(2025, 9.5, withID(7), planned), // the 2025 plan figure never counts as an outcome
	}
	in := input(AvgGrowthTarget, Bound{Op: OpRange, A: 7.5, B: 8}, values, measure(GrowthRate), percentUnit)
	got := Evaluate(in, DefaultSettings())

	// G = 0.9721·1.1264·1.0575·1.0712 = 1.240379; average G^(1/4) − 1 = 5.5331 %
	// required for 2025: 1.075⁵/G − 1 = 1.435629/1.240379 − 1 = 15.7412 % > best 2020–2024 = 12.64 % (2022)
	checkProgress(t, got, want{status: OffTrack, soFar: fp(5.5331), req: fp(15.7412), latest: 2024,
		used: []int{2021, 2022, 2023, 2024}, ids: []int64{2, 3, 4, 5}, excluded: []int{2025},
		vi: "Tăng trưởng bình quân 2021–2024 đạt 5,53 %/năm, dưới mức 7,5 %; để đạt mục tiêu, năm 2025 cần tăng 15,74 %, cao hơn mức tốt nhất 5 năm gần đây (12,64 % năm 2022); dựa trên 4/5 năm, và số liệu năm 2025 thuộc thành phố sau hợp nhất nên không được tính",
		en: "the 2025 figure is for the merged city, so it does not count"})
	if x := got.Excluded[0]; x.ID != 6 || x.Scope != MergedCity || x.Value != 7.23 {
		t.Errorf("Excluded[0] = %+v, want the merged city's 2025 value 7.23 (ID 6)", x)
	}
	if u := got.ValuesUsed[3]; u.Sheet != "Biểu 01" || u.Cell != "F12" || u.Source != "S45" {
		t.Errorf("ValuesUsed[3] provenance = %q %q %q, want S45 Biểu 01 F12", u.Source, u.Sheet, u.Cell)
	}
}

func TestEvaluateAnnual(t *testing.T) {
	ge5 := Bound{Op: OpAtLeast, A: 5}
	annual := func(values ...Value) Input { return input(AnnualTarget, ge5, values, percentUnit) }
	cases := []evalCase{
		{"achieved", annual(yv(2021, 5), yv(2022, 6), yv(2023, 5), yv(2024, 7), yv(2025, 5)),
			// all five years ≥ 5
			want{status: Achieved, soFar: fp(5), latest: 2025, used: []int{2021, 2022, 2023, 2024, 2025}, vi: "Cả 5 năm 2021–2025", en: "All 5 years"}},
		{"on track", annual(yv(2021, 6), yv(2022, 5)),
			// 6 ≥ 5, 5 ≥ 5, three years to come
			want{status: OnTrack, soFar: fp(5), latest: 2022, used: []int{2021, 2022}, vi: "Các năm 2021–2022 đều đạt mức từ 5 % trở lên"}},
		{"a missed year is off track for good", annual(yv(2021, 6), yv(2022, 4), yv(2023, 6)),
			// 2022: 4 < 5, whatever follows
			want{status: OffTrack, soFar: fp(6), latest: 2023, used: []int{2022}, vi: "Năm 2022 ở mức 4 %, không đạt mức từ 5 % trở lên", en: "In 2022 the value was 4 %"}},
		{"several missed years are named", annual(yv(2021, 4), yv(2022, 4.5), yv(2023, 6)),
			// 4 < 5 and 4.5 < 5
			want{status: OffTrack, soFar: fp(6), latest: 2023, used: []int{2021, 2022}, vi: "Các năm 2021, 2022 không đạt mức từ 5 % trở lên (năm 2021: 4 %)", en: "2021, 2022 missed"}},
		{"a gap is said", annual(yv(2021, 6), yv(2023, 7)),
			// both met, 2022 missing
			want{status: OnTrack, reason: "missing_years", soFar: fp(7), latest: 2023, used: []int{2021, 2023}, vi: "thiếu số liệu năm 2022", en: "2022 has no figure"}},
		{"lower is better", input(AnnualTarget, Bound{Op: OpAtMost, A: 4}, []Value{yv(2021, 3.5), yv(2022, 4.2)}, dir(Down), percentUnit),
			// 4.2 > 4
			want{status: OffTrack, soFar: fp(4.2), latest: 2022, used: []int{2022}}},
		{"no year yet", annual(yv(2020, 6)),
			want{status: NoData, reason: "no_values"}},
	}
	runEvalCases(t, cases)
}

func TestEvaluateCumulative(t *testing.T) {
	ge := Bound{Op: OpAtLeast, A: 1000}
	cum := func(values ...Value) Input { return input(CumulativeTarget, ge, values) }
	cases := []evalCase{
		{"achieved before the end", cum(yv(2021, 300), yv(2022, 300), yv(2023, 300), yv(2024, 300)),
			// sum 1200 ≥ 1000; projection 1200 + 300·1 = 1500
			want{status: Achieved, reason: "ahead", soFar: fp(1200), proj: fp(1500), latest: 2024, used: []int{2021, 2022, 2023, 2024}, vi: "trước thời hạn 2025"}},
		{"achieved exactly at the end", cum(yv(2021, 200), yv(2022, 200), yv(2023, 200), yv(2024, 200), yv(2025, 200)),
			// sum 1000 ≥ 1000
			want{status: Achieved, soFar: fp(1000), latest: 2025, used: []int{2021, 2022, 2023, 2024, 2025}}},
		{"on track", cum(yv(2021, 200), yv(2022, 220)),
			// sum 420, mean 210; projection 420 + 210·3 = 1050 ≥ 1000; required (1000 − 420)/3 = 193.3333
			want{status: OnTrack, soFar: fp(420), proj: fp(1050), req: fp(193.3333), latest: 2022, used: []int{2021, 2022},
				vi: "3 năm còn lại cần bình quân 193,33 tỷ đồng/năm", en: "need an average of 193.33 billion VND/yr"}},
		{"at risk", cum(yv(2021, 180), yv(2022, 190)),
			// sum 370, mean 185; projection 370 + 555 = 925 ≥ 0.9·1000; required 630/3 = 210
			want{status: AtRisk, soFar: fp(370), proj: fp(925), req: fp(210), latest: 2022, used: []int{2021, 2022}, vi: "bằng 92,5 %", en: "92.5 % of the target"}},
		{"off track", cum(yv(2021, 150), yv(2022, 150)),
			// sum 300; projection 300 + 450 = 750 < 900; required 700/3 = 233.3333
			want{status: OffTrack, soFar: fp(300), proj: fp(750), req: fp(233.3333), latest: 2022, used: []int{2021, 2022}, vi: "chỉ bằng 75 %"}},
		{"off track at the end", cum(yv(2021, 150), yv(2022, 150), yv(2023, 150), yv(2024, 150), yv(2025, 150)),
			// sum 750 < 1000 with no year left
			want{status: OffTrack, soFar: fp(750), latest: 2025, used: []int{2021, 2022, 2023, 2024, 2025}, vi: "không đạt mục tiêu"}},
		{"judged at the end year even with a gap", cum(yv(2021, 400), yv(2025, 500)),
			// t = T = 2025 but 2022–2024 are missing, not zero: sum 900, mean 900/2 = 450,
			// projection 900 + 450·3 = 2250 ≥ 1000: on track, marked incomplete;
			// required (1000 − 900)/3 = 33.3333 a year
			want{status: OnTrack, reason: "incomplete", soFar: fp(900), proj: fp(2250), req: fp(33.3333), latest: 2025, used: []int{2021, 2025},
				vi: "dựa trên 2/5 năm, thiếu 2022–2024 (kết luận cuối kỳ trên số liệu chưa đủ các năm)", en: "3 years without figures"}},
		{"ceiling at risk", input(CumulativeTarget, Bound{Op: OpAtMost, A: 1000}, []Value{yv(2021, 210), yv(2022, 230)}, dir(Down)),
			// sum 440, mean 220; projection 440 + 660 = 1100 ≤ 1.1·1000; allowance (1000 − 440)/3 = 186.6667
			want{status: AtRisk, soFar: fp(440), proj: fp(1100), req: fp(186.6667), latest: 2022, used: []int{2021, 2022}, vi: "chỉ được thêm bình quân tối đa 186,67", en: "may add at most an average of 186.67"}},
		{"no year yet", cum(),
			want{status: NoData, reason: "no_values"}},
	}
	runEvalCases(t, cases)
}

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

// TestEvaluateValueRules covers the as-of, estimate and scope rules on an
// annual target "≥ 5 every year".
func TestEvaluateValueRules(t *testing.T) {
	ge5 := Bound{Op: OpAtLeast, A: 5}
	annual := func(values []Value, mods ...func(*Input)) Input {
		return input(AnnualTarget, ge5, values, append([]func(*Input){percentUnit}, mods...)...)
	}
	superseded := []Value{
		yv(2021, 6, withID(1)),
		yv(2022, 6, withID(2), enteredOn(time.Date(2023, 1, 1, 0, 0, 0, 0, Vietnam))),
		yv(2022, 4, withID(3), enteredOn(afterAsOf)),
	}
	retracted := []Value{yv(2021, 6, withID(1)), yv(2022, 4, withID(2), retractedOn(time.Date(2025, 6, 1, 0, 0, 0, 0, Vietnam)))}
	cases := []evalCase{
		{"a value entered after the as-of date is ignored", annual([]Value{yv(2021, 6), yv(2022, 4, enteredOn(afterAsOf))}),
			// only 2021 = 6 was known on 1 March 2026
			want{status: OnTrack, soFar: fp(6), latest: 2021, used: []int{2021}}},
		{"the superseded value counts while its successor is unknown", annual(superseded),
			// ID 3 was entered after AsOf, so ID 2 (6) is current
			want{status: OnTrack, soFar: fp(6), latest: 2022, used: []int{2021, 2022}, ids: []int64{1, 2}}},
		{"the successor counts once known", annual(superseded, asOf(time.Date(2026, 7, 1, 0, 0, 0, 0, Vietnam))),
			// on 1 July 2026 ID 3 (4 < 5) supersedes ID 2
			want{status: OffTrack, soFar: fp(4), latest: 2022, used: []int{2022}, ids: []int64{3}}},
		{"a retracted value is ignored after its retraction", annual(retracted),
			// retracted 1 June 2025, judged 1 March 2026
			want{status: OnTrack, soFar: fp(6), latest: 2021, used: []int{2021}, ids: []int64{1}}},
		{"a retracted value counts before its retraction", annual(retracted, asOf(time.Date(2025, 3, 1, 0, 0, 0, 0, Vietnam))),
			// entered 15 Jan 2025, retracted 1 June 2025, judged 1 March 2025
			want{status: OffTrack, soFar: fp(4), latest: 2022, used: []int{2022}, ids: []int64{2}}},
		{"official beats a newer estimate", annual([]Value{yv(2021, 6, withID(1)), yv(2022, 6, withID(2)), yv(2022, 4, withID(3), estimate, enteredOn(time.Date(2026, 1, 10, 0, 0, 0, 0, Vietnam))), yv(2023, 1, withID(4), planned)}),
			// 2022: the official 6 wins over the later estimate 4; the 2023 plan value is no outcome
			want{status: OnTrack, soFar: fp(6), latest: 2022, used: []int{2021, 2022}, ids: []int64{1, 2}, notVI: "ước tính"}},
		{"the newest estimate wins among estimates", annual([]Value{yv(2021, 5, withID(3)), yv(2022, 4, withID(1), estimate), yv(2022, 6, withID(2), estimate, enteredOn(time.Date(2025, 6, 1, 0, 0, 0, 0, Vietnam)))}),
			// both 2022 estimates known; the one entered in June (6) is current; the status rests on it
			want{status: OnTrack, soFar: fp(6), latest: 2022, used: []int{2021, 2022}, ids: []int64{3, 2}, estimate: true,
				vi: "số liệu năm 2022 là ước tính", en: "the 2022 figure is an estimate"}},
		{"an estimate the status does not rest on is not mentioned", annual([]Value{yv(2021, 6, estimate), yv(2022, 4)}),
			// off track rests on the official 2022 miss only
			want{status: OffTrack, soFar: fp(4), latest: 2022, used: []int{2022}, notVI: "ước tính"}},
		{"a half-year value is not a year", annual([]Value{yv(2021, 6), yv(2022, 4, inPeriod(Period{Year: 2022, Kind: Half, N: 1}))}),
			// 2022-H1 = 4 is ignored
			want{status: OnTrack, soFar: fp(6), latest: 2021, used: []int{2021}}},
		{"values of another territory are excluded and said", annual([]Value{yv(2025, 7, merged), yv(2026, 8, merged)}),
			// nothing of the old city; the merged city's 2025 and 2026 are excluded, only 2025 lies in the period
			want{status: NoData, reason: "no_values", excluded: []int{2025, 2026},
				vi: "số liệu năm 2025 thuộc thành phố sau hợp nhất nên không được tính", en: "the 2025 figure is for the merged city"}},
		{"an excluded value outside the period is not said", annual([]Value{yv(2021, 6), yv(2026, 8, merged)}),
			want{status: OnTrack, soFar: fp(6), latest: 2021, used: []int{2021}, excluded: []int{2026}, notVI: "hợp nhất"}},
	}
	runEvalCases(t, cases)
}

func TestEvaluateMilestone(t *testing.T) {
	start := time.Date(2021, 1, 1, 0, 0, 0, 0, Vietnam)
	deadline := time.Date(2025, 12, 31, 0, 0, 0, 0, Vietnam)
	// 3 July 2023 is 913 of the 1 826 days from 1 Jan 2021 to the end of
	// 31 Dec 2025: half the time has gone.
	halfway := time.Date(2023, 7, 3, 0, 0, 0, 0, Vietnam)
	task := func(percent *float64, done time.Time) *Task {
		return &Task{ID: 7, Code: "G3-T01", NameVI: "Cao tốc Cần Thơ – Cà Mau", NameEN: "Can Tho – Ca Mau expressway",
			Start: start, Deadline: deadline, Percent: percent, Done: done}
	}
	ms := func(tk *Task, at time.Time, updates ...TaskUpdate) Input {
		in := input(MilestoneTarget, Bound{}, nil, asOf(at))
		in.Target.Task, in.Task, in.TaskUpdates = "G3-T01", tk, updates
		return in
	}
	cases := []evalCase{
		{"on pace", ms(task(fp(50), time.Time{}), halfway),
			// 50 % done ÷ 50 % of the time = 1.0 ≥ 0.9
			want{status: OnTrack, soFar: fp(50), ratio: fp(1), vi: "đạt 50 % khối lượng khi đã qua 50 % thời gian", en: "50 % done with 50 % of its time gone"}},
		{"at risk", ms(task(fp(40), time.Time{}), halfway),
			// 40 ÷ 50 = 0.8 ∈ [0.7, 0.9)
			want{status: AtRisk, soFar: fp(40), ratio: fp(0.8), vi: "có nguy cơ chậm"}},
		{"behind", ms(task(fp(30), time.Time{}), halfway),
			// 30 ÷ 50 = 0.6 < 0.7
			want{status: OffTrack, soFar: fp(30), ratio: fp(0.6)}},
		{"an update overrides the loaded percent", ms(task(fp(30), time.Time{}), halfway,
			TaskUpdate{Task: 7, Percent: 45, Date: halfway.AddDate(0, 0, -10), EnteredAt: halfway.AddDate(0, 0, -9)}),
			// 45 ÷ 50 = 0.9
			want{status: OnTrack, soFar: fp(45), ratio: fp(0.9)}},
		{"the plan's issue date stands in for a missing start", func() Input {
			tk := task(fp(50), time.Time{})
			tk.Start = time.Time{}
			in := ms(tk, halfway)
			in.PlanIssued = start
			return in
		}(),
			// same dates as "on pace": 50 ÷ 50 = 1.0
			want{status: OnTrack, soFar: fp(50), ratio: fp(1)}},
		{"done on time", ms(task(fp(60), time.Time{}), judgedAt,
			TaskUpdate{Task: 7, Percent: 100, Done: true, Date: time.Date(2025, 6, 30, 0, 0, 0, 0, Vietnam), EnteredAt: time.Date(2025, 7, 1, 0, 0, 0, 0, Vietnam)}),
			want{status: Achieved, soFar: fp(100), vi: "hoàn thành ngày 30/06/2025, trong thời hạn 31/12/2025", en: "within its deadline"}},
		{"done late", ms(task(fp(100), time.Date(2026, 2, 1, 0, 0, 0, 0, Vietnam)), judgedAt),
			// finished 1 Feb 2026, after 31 Dec 2025
			want{status: Achieved, reason: "late", soFar: fp(100), vi: "trễ so với thời hạn 31/12/2025", en: "late for its deadline of 31 Dec 2025"}},
		{"overdue", ms(task(fp(80), time.Time{}), judgedAt),
			// 1 Mar 2026 is past 31 Dec 2025 and the task is not done
			want{status: OffTrack, reason: "overdue", soFar: fp(80), vi: "đã quá thời hạn 31/12/2025", en: "past its deadline"}},
		{"nothing known", ms(task(nil, time.Time{}), halfway),
			want{status: NoData, reason: "no_progress", vi: "Chưa có báo cáo tiến độ", en: "No progress"}},
		{"an update entered after the as-of date is ignored", ms(task(nil, time.Time{}), halfway,
			TaskUpdate{Task: 7, Percent: 90, Done: true, Date: halfway.AddDate(0, 0, -1), EnteredAt: halfway.AddDate(0, 0, 1)}),
			// entered the day after AsOf: nothing was known
			want{status: NoData, reason: "no_progress"}},
		{"a completion after the as-of date is not yet known", ms(task(fp(50), time.Date(2024, 1, 1, 0, 0, 0, 0, Vietnam)), halfway),
			// Done = 1 Jan 2024 lies after AsOf 3 July 2023: judged on 50 %
			want{status: OnTrack, soFar: fp(50), ratio: fp(1)}},
		{"no task", ms(nil, halfway),
			want{status: NoData, reason: "no_task"}},
		{"a task judged on its own with no deadline is never overdue", func() Input {
			tk := task(fp(10), time.Time{})
			tk.Deadline = time.Time{}
			in := ms(tk, judgedAt)
			in.Target.Period = YearRange{}
			return in
		}(),
			want{status: NoData, reason: "no_deadline", soFar: fp(10), vi: "chưa có thời hạn", en: "has no deadline"}},
		{"a task with no deadline, done", func() Input {
			tk := task(nil, time.Date(2025, 6, 30, 0, 0, 0, 0, Vietnam))
			tk.Deadline = time.Time{}
			in := ms(tk, judgedAt)
			in.Target.Period = YearRange{}
			return in
		}(),
			want{status: Achieved, soFar: fp(100), vi: "hoàn thành ngày 30/06/2025"}},
	}
	runEvalCases(t, cases)
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
