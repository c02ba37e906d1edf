package indicators

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// The rules of DESIGN.md §3 as extended: gaps never read as zero, the
// baseline, tolerance, strict bounds, a bound against the direction, a bound
// equal to the base, −100 %, negative series, average, avg_change, relative
// and cumulative floors and ceilings; every example of issue 11 among them.

// coverage is what a case expects of the years a status rests on.
type coverage struct {
	present, missing []int
	incomplete       bool
}

func checkCoverage(t *testing.T, got Progress, w coverage) {
	t.Helper()
	if !equalInts(got.YearsPresent, w.present) || !equalInts(got.YearsMissing, w.missing) || got.Incomplete != w.incomplete {
		t.Errorf("years present %v, missing %v, incomplete %v; want %v, %v, %v",
			got.YearsPresent, got.YearsMissing, got.Incomplete, w.present, w.missing, w.incomplete)
	}
}

func TestEvaluateCumulativeGaps(t *testing.T) {
	ge := Bound{Op: OpAtLeast, A: 1000}
	// Issue 11: ≥ 1000 over 2021–2025 with 240, 240, —, 240, 230.
	in := input(CumulativeTarget, ge, []Value{yv(2021, 240), yv(2022, 240), yv(2024, 240), yv(2025, 230)})
	got := Evaluate(in, DefaultSettings())
	// sum of the years present 950; mean 950/4 = 237.5; projection 950 + 237.5·1 = 1187.5 ≥ 1000:
	// on track (not off track at 950, which would read 2023 as zero); required (1000 − 950)/1 = 50
	checkProgress(t, got, want{status: OnTrack, reason: "incomplete", soFar: fp(950), proj: fp(1187.5), req: fp(50), latest: 2025,
		used: []int{2021, 2022, 2024, 2025}, vi: "dựa trên 4/5 năm, thiếu 2023", en: "based on 4 of 5 years, 2023 missing"})
	checkCoverage(t, got, coverage{present: []int{2021, 2022, 2024, 2025}, missing: []int{2023}, incomplete: true})

	cases := []evalCase{
		{"a gap before the end", input(CumulativeTarget, ge, []Value{yv(2021, 240), yv(2023, 240)}),
			// k = 2, 2022 missing and 2024–2025 left: projection 480 + 240·3 = 1200 ≥ 1000; required 520/3 = 173.3333
			want{status: OnTrack, soFar: fp(480), proj: fp(1200), req: fp(173.3333), latest: 2023, used: []int{2021, 2023},
				vi: "1 năm còn thiếu số liệu và 2 năm còn lại", en: "based on 2 of 5 years, 2022 missing"}},
		{"a strict floor is not met by the bound itself", input(CumulativeTarget, Bound{Op: OpAbove, A: 1000},
			[]Value{yv(2021, 200), yv(2022, 200), yv(2023, 200), yv(2024, 200), yv(2025, 200)}),
			// all five years: sum 1000, and "> 1000" needs more than 1000
			want{status: OffTrack, soFar: fp(1000), latest: 2025, used: []int{2021, 2022, 2023, 2024, 2025}, vi: "không đạt mục tiêu trên 1.000 tỷ đồng"}},
		{"a ceiling passed early is off track at once", input(CumulativeTarget, Bound{Op: OpAtMost, A: 1000},
			[]Value{yv(2021, 600), yv(2022, 500)}, dir(Down)),
			// sum 1100 > 1000 with three years still to come; projection 1100 + 550·3 = 2750
			want{status: OffTrack, reason: "over_ceiling", soFar: fp(1100), proj: fp(2750), latest: 2022, used: []int{2021, 2022}, vi: "đã vượt mức trần"}},
		{"a ceiling is achieved only with every year present", input(CumulativeTarget, Bound{Op: OpAtMost, A: 1000},
			[]Value{yv(2021, 150), yv(2022, 150), yv(2024, 150), yv(2025, 150)}, dir(Down)),
			// sum 600 ≤ 1000 but 2023 is missing: projection 600 + 150 = 750 ≤ 1000, on track, incomplete;
			// allowance (1000 − 600)/1 = 400
			want{status: OnTrack, reason: "incomplete", soFar: fp(600), proj: fp(750), req: fp(400), latest: 2025,
				used: []int{2021, 2022, 2024, 2025}, vi: "thiếu 2023"}},
		{"a ceiling with all years within is achieved", input(CumulativeTarget, Bound{Op: OpAtMost, A: 1000},
			[]Value{yv(2021, 200), yv(2022, 200), yv(2023, 200), yv(2024, 200), yv(2025, 200)}, dir(Down)),
			// sum 1000 ≤ 1000 with all n = 5 years
			want{status: Achieved, soFar: fp(1000), latest: 2025, used: []int{2021, 2022, 2023, 2024, 2025}}},
		{"a strict ceiling at the bound is passed", input(CumulativeTarget, Bound{Op: OpBelow, A: 1000},
			[]Value{yv(2021, 200), yv(2022, 200), yv(2023, 200), yv(2024, 200), yv(2025, 200)}, dir(Down)),
			// sum 1000 is not < 1000
			want{status: OffTrack, reason: "over_ceiling", soFar: fp(1000), latest: 2025, used: []int{2021, 2022, 2023, 2024, 2025}}},
	}
	runEvalCases(t, cases)
}

func TestEvaluateAvgGrowthEdges(t *testing.T) {
	rng := Bound{Op: OpRange, A: 7.5, B: 8}
	cases := []evalCase{
		{"a year of −100 % before the end", input(AvgGrowthTarget, rng, []Value{yv(2021, 5), yv(2022, -100)}, measure(GrowthRate), percentUnit),
			// G = 1.05·0 = 0: the average is −100 %, regressing, never "not computable"; nothing can make up for it
			want{status: Regressing, reason: "fall_100", soFar: fp(-100), latest: 2022, used: []int{2021, 2022},
				vi: "là −100 %/năm vì có năm giảm 100 %", en: "a fall of 100 %"}},
		{"a year of −100 % at the end", input(AvgGrowthTarget, rng,
			[]Value{yv(2021, 5), yv(2022, -100), yv(2023, 5), yv(2024, 5), yv(2025, 5)}, measure(GrowthRate), percentUnit),
			// G = 0 over all five years: −100 % < 7.5 %, off track
			want{status: OffTrack, soFar: fp(-100), latest: 2025, used: []int{2021, 2022, 2023, 2024, 2025}, vi: "−100 %/năm"}},
		{"a level falling to zero", input(AvgGrowthTarget, rng, []Value{yv(2020, 100), yv(2022, 0)}),
			// G = 0/100 = 0: −100 %, regressing
			want{status: Regressing, reason: "fall_100", soFar: fp(-100), base: 2020, latest: 2022, used: []int{2020, 2022}}},
		{"a missing year is left out of G and k", input(AvgGrowthTarget, rng, []Value{yv(2021, 8), yv(2023, 8)}, measure(GrowthRate), percentUnit),
			// G = 1.08² = 1.1664 over k = 2 years present: 8 % ≥ 7.5 % on track;
			// required for the n − k = 3 years left: (1.075⁵/1.1664)^(1/3) − 1 = 7.1680 %
			want{status: OnTrack, soFar: fp(8), req: fp(7.168), latest: 2023, used: []int{2021, 2023},
				vi: "dựa trên 2/5 năm, thiếu 2022", en: "2022 missing"}},
		{"final on the years present", input(AvgGrowthTarget, rng,
			[]Value{yv(2021, 8), yv(2022, 8), yv(2024, 8), yv(2025, 8)}, measure(GrowthRate), percentUnit),
			// T has a value: final on the four years present, 8 % ≥ 7.5 %, and it says 2023 is missing
			want{status: Achieved, soFar: fp(8), latest: 2025, used: []int{2021, 2022, 2024, 2025},
				vi: "thiếu 2023 (kết luận cuối kỳ trên số liệu chưa đủ các năm)", en: "a final verdict on incomplete years"}},
		{"a strict floor on growth", input(AvgGrowthTarget, Bound{Op: OpAbove, A: 8},
			[]Value{yv(2021, 8), yv(2022, 8), yv(2023, 8), yv(2024, 8), yv(2025, 8)}, measure(GrowthRate), percentUnit),
			// average exactly 8 %, and "trên 8 %" needs more
			want{status: OffTrack, soFar: fp(8), latest: 2025, used: []int{2021, 2022, 2023, 2024, 2025}}},
	}
	runEvalCases(t, cases)
	got := Evaluate(cases[4].in, DefaultSettings())
	checkCoverage(t, got, coverage{present: []int{2021, 2022, 2024, 2025}, missing: []int{2023}, incomplete: true})
}

func TestEvaluateLevelEdges(t *testing.T) {
	cases := []evalCase{
		{"a negative series reads the right way", input(LevelTarget, Bound{Op: OpAtLeast, A: -5}, []Value{yv(2020, -20), yv(2022, -12)}),
			// Issue 11, −20 → −12: CAGR_o = √(−12/−20) − 1 = −22.5403 %; CAGR_r = (−5/−20)^(1/5) − 1 = −24.2142 %;
			// s = −1 for a negative base: R = −1·1·(−0.225403)/0.242142 = 0.9309 → at risk.
			// projection −12·0.774597³ = −5.5771; required (−5/−12)^(1/3) − 1 = −25.3099 %.
			// The sentence speaks of changes in the unit: (−12 + 20)/2 = 4 a year so far, (−5 + 20)/5 = 3 needed
			want{status: AtRisk, soFar: fp(-12), proj: fp(-5.5771), req: fp(-25.3099), ratio: fp(0.9309), base: 2020, latest: 2022,
				used: []int{2020, 2022}, vi: "tăng từ −20 tỷ đồng năm 2020 lên −12 tỷ đồng năm 2022, bình quân tăng 4 tỷ đồng/năm, trong khi cần tăng 3 tỷ đồng/năm",
				en: "rose from −20 billion VND in 2020 to −12 billion VND in 2022", notVI: "giảm"}},
		{"a bound equal to the base, not met", input(LevelTarget, Bound{Op: OpAtLeast, A: 100}, []Value{yv(2020, 100), yv(2022, 95)}),
			// a = v_b = 100 needs no growth; 95 < 100 is moving away: regressing, no ratio.
			// projection 95·(0.95^(1/2))³ = 95·0.925945 = 87.9648; required (100/95)^(1/3) − 1 = 1.72448 %
			want{status: Regressing, reason: "bound_at_base", soFar: fp(95), proj: fp(87.9648), req: fp(1.7245), base: 2020, latest: 2022,
				used: []int{2020, 2022}, vi: "bằng đúng mức năm gốc 2020"}},
		{"a bound equal to the base, met", input(LevelTarget, Bound{Op: OpAtLeast, A: 100}, []Value{yv(2020, 100), yv(2022, 100)}),
			// 100 ≥ 100 now: on track ahead of T
			want{status: OnTrack, reason: "ahead", soFar: fp(100), base: 2020, latest: 2022, used: []int{2022}}},
		{"a strict bound at equality", input(LevelTarget, Bound{Op: OpAbove, A: 95}, []Value{yv(2020, 90), yv(2025, 95)}),
			// "trên 95" at T = 2025 with 95: not met
			want{status: OffTrack, soFar: fp(95), base: 2020, latest: 2025, used: []int{2025}, vi: "không đạt mục tiêu trên 95 tỷ đồng"}},
		{"a strict bound passed", input(LevelTarget, Bound{Op: OpAbove, A: 95}, []Value{yv(2020, 90), yv(2025, 95.1)}),
			// 95.1 > 95
			want{status: Achieved, soFar: fp(95.1), base: 2020, latest: 2025, used: []int{2025}}},
		{"a strict ceiling at equality", input(LevelTarget, Bound{Op: OpBelow, A: 5}, []Value{yv(2020, 6), yv(2025, 5)}, dir(Down)),
			// "dưới 5" with 5: not met
			want{status: OffTrack, soFar: fp(5), base: 2020, latest: 2025, used: []int{2025}, vi: "dưới 5 tỷ đồng"}},
		{"about −10 with −10.2", input(LevelTarget, Bound{Op: OpAbout, A: -10}, []Value{yv(2020, -11), yv(2025, -10.2)}, dir(Within)),
			// about −10 = [−10 − 0.05·10, −10 + 0.05·10] = [−10.5, −9.5] ∋ −10.2: achieved
			want{status: Achieved, soFar: fp(-10.2), base: 2020, latest: 2025, used: []int{2025}, vi: "khoảng −10 tỷ đồng"}},
		{"the target's own tolerance", input(LevelTarget, Bound{Op: OpAbout, A: -10}, []Value{yv(2020, -11), yv(2025, -10.2)}, dir(Within),
			func(in *Input) { in.Target.Tolerance = 0.01 }),
			// its own 1 %: [−10.1, −9.9] ∌ −10.2: off track at T
			want{status: OffTrack, soFar: fp(-10.2), base: 2020, latest: 2025, used: []int{2025}}},
		{"≤ on a higher-is-better indicator", input(LevelTarget, Bound{Op: OpAtMost, A: 4}, []Value{yv(2020, 3), yv(2022, 3.5)}),
			// the end that matters, the lower one, is −∞: refused, never guessed
			want{status: NoData, reason: "direction_conflict", vi: "ngược chiều với chỉ tiêu", en: "runs against the indicator"}},
		{"the baseline is never a year before the period's", input(LevelTarget, Bound{Op: OpAtLeast, A: 161.051},
			[]Value{yv(2019, 50), yv(2021, 100), yv(2023, 121)}),
			// 2020 missing: b = 2021 (not 2019). CAGR_o = √1.21 − 1 = 10 %; CAGR_r = 1.61051^(1/4) − 1 = 12.6525 %;
			// R = 10/12.6525 = 0.79036 at risk; projection 121·1.1² = 146.41; required (161.051/121)^(1/2) − 1 = 15.3690 %
			want{status: AtRisk, soFar: fp(121), proj: fp(146.41), req: fp(15.369), ratio: fp(0.7904), base: 2021, latest: 2023, used: []int{2021, 2023}}},
	}
	runEvalCases(t, cases)
	about := Evaluate(cases[6].in, DefaultSettings())
	if b := about.Band; b == nil || b.Lo == nil || b.Hi == nil || *b.Lo != -10.5 || *b.Hi != -9.5 || b.Tolerance != 0.05 || !b.InValues {
		t.Errorf("Band = %+v, want [−10.5, −9.5] with the 5 %% tolerance, drawn with the values", about.Band)
	}
	own := Evaluate(cases[7].in, DefaultSettings())
	if b := own.Band; b == nil || *b.Lo != -10.1 || *b.Hi != -9.9 || b.Tolerance != 0.01 {
		t.Errorf("Band = %+v, want [−10.1, −9.9] with the target's 1 %% tolerance", own.Band)
	}
}

func TestEvaluateAvgChange(t *testing.T) {
	// "tỷ lệ hộ nghèo giảm bình quân 1–1,5 %/năm": a lower-is-better rate, points a year.
	poor := Bound{Op: OpRange, A: 1, B: 1.5}
	ch := func(values ...Value) Input { return input(AvgChangeTarget, poor, values, dir(Down), percentUnit) }
	cases := []evalCase{
		{"on track", ch(yv(2020, 10), yv(2022, 8)),
			// c = −1·(8 − 10) = 2 points over k = 2: 1 a year ≥ 1; required (5·1 − 2)/3 = 1
			want{status: OnTrack, soFar: fp(1), req: fp(1), base: 2020, latest: 2022, used: []int{2020, 2022},
				vi: "giảm từ 10 % năm 2020 xuống 8 % năm 2022, bình quân giảm 1 điểm %/năm", en: "an average fall of 1–1.5 pp/yr"}},
		{"at risk", ch(yv(2019, 11.6), yv(2020, 10), yv(2021, 9.8), yv(2022, 9.4)),
			// c = 10 − 9.4 = 0.6 over 2: 0.3 < 1; required (5 − 0.6)/3 = 1.4667;
			// best one-year fall of 2018–2022: 11.6 → 10 = 1.6 in 2020 ≥ 1.4667: at risk
			want{status: AtRisk, soFar: fp(0.3), req: fp(1.4667), base: 2020, latest: 2022, used: []int{2019, 2020, 2022}}},
		{"off track", ch(yv(2020, 10), yv(2021, 9.8), yv(2022, 9.4)),
			// 0.3 < 1, required 1.4667 > best fall 0.4 (2022)
			want{status: OffTrack, soFar: fp(0.3), req: fp(1.4667), base: 2020, latest: 2022, used: []int{2020, 2021, 2022}}},
		{"regressing", ch(yv(2020, 10), yv(2022, 10.5)),
			// c = −0.5 < 0: the rate rose; required (5 + 0.5)/3 = 1.8333
			want{status: Regressing, soFar: fp(-0.25), req: fp(1.8333), base: 2020, latest: 2022, used: []int{2020, 2022}, vi: "tăng từ 10 %"}},
		{"off track at the end", ch(yv(2020, 10), yv(2025, 5.5)),
			// c = 4.5 over 5: 0.9 < 1
			want{status: OffTrack, soFar: fp(0.9), base: 2020, latest: 2025, used: []int{2020, 2025}}},
		{"achieved at the end", ch(yv(2020, 10), yv(2025, 4)),
			// c = 6 over 5: 1.2 ≥ 1
			want{status: Achieved, soFar: fp(1.2), base: 2020, latest: 2025, used: []int{2020, 2025}}},
		{"strict at equality", input(AvgChangeTarget, Bound{Op: OpAbove, A: 1}, []Value{yv(2020, 10), yv(2025, 5)}, dir(Down), percentUnit),
			// c = 5 over 5 = 1, and "trên 1" needs more
			want{status: OffTrack, soFar: fp(1), base: 2020, latest: 2025, used: []int{2020, 2025}}},
		{"a ceiling on a change is against the direction", input(AvgChangeTarget, Bound{Op: OpAtMost, A: 1}, []Value{yv(2020, 10), yv(2022, 9)}, dir(Down), percentUnit),
			want{status: NoData, reason: "direction_conflict"}},
	}
	runEvalCases(t, cases)
}

func TestEvaluateRelative(t *testing.T) {
	// "tăng 1,5 lần so với năm 2020": at least 1.5 × v_2020.
	times := Bound{Op: OpAtLeast, A: 1.5}
	rel := func(b Bound, values []Value, mods ...func(*Input)) Input {
		in := input(RelativeTarget, b, values, mods...)
		in.Target.BaseYear = 2020
		return in
	}
	cases := []evalCase{
		{"before the base value exists", rel(times, []Value{yv(2021, 100), yv(2022, 120)}),
			want{status: NoData, reason: "no_base", vi: "Chưa có số liệu năm gốc 2020", en: "at least 1.5 times the 2020 value"}},
		{"achieved against the resolved bound", rel(times, []Value{yv(2020, 96.8), yv(2025, 150)}),
			// bound 1.5·96.8 = 145.2; 150 ≥ 145.2 at T
			want{status: Achieved, soFar: fp(150), base: 2020, latest: 2025, used: []int{2020, 2025},
				vi: "ít nhất gấp 1,5 lần năm 2020 = 145,2 tỷ đồng", en: "at least 1.5 times the 2020 value = 145.2 billion VND"}},
		{"giảm 30 % so với năm 2020", rel(Bound{Op: OpAtMost, A: 0.7}, []Value{yv(2020, 100), yv(2022, 85)}, dir(Down)),
			// bound 0.7·100 = 70, lower is better. CAGR_o = √0.85 − 1 = −7.8046 %; CAGR_r = 0.7^(1/5) − 1 = −6.8850 %;
			// R = 1·(−1)·(−0.078046)/0.068850 = 1.1336 on track; projection 85·0.921954³ = 66.6112;
			// required (70/85)^(1/3) − 1 = −6.2669 %
			want{status: OnTrack, soFar: fp(85), proj: fp(66.6112), req: fp(-6.2669), ratio: fp(1.1336), base: 2020, latest: 2022,
				used: []int{2020, 2022}, vi: "không quá 0,7 lần năm 2020 = 70 tỷ đồng"}},
	}
	runEvalCases(t, cases)
	got := Evaluate(cases[1].in, DefaultSettings())
	if b := got.Band; b == nil || b.Lo == nil || *b.Lo != 145.2 || b.BaseYear != 2020 || b.BaseValue == nil || *b.BaseValue != 96.8 || b.Ratio == nil || b.Ratio.A != 1.5 {
		t.Errorf("Band = %+v, want from 145.2 resolved from 1.5 × 96.8 (2020)", got.Band)
	}
	if got.Bound.Op != OpAtLeast || got.Bound.A != 145.2 {
		t.Errorf("Bound = %+v, want ≥ 145.2", got.Bound)
	}
	if b := Evaluate(cases[0].in, DefaultSettings()).Band; b != nil {
		t.Errorf("Band before the base value = %+v, want none", b)
	}
}

func TestEvaluateAverageGaps(t *testing.T) {
	ge := Bound{Op: OpAtLeast, A: 12}
	cases := []evalCase{
		{"a gap is not a zero", input(AverageTarget, ge, []Value{yv(2021, 13), yv(2023, 11)}),
			// k = 2 present, mean 12 ≥ 12 (not 24/3 = 8); required (12·5 − 24)/3 = 12
			want{status: OnTrack, soFar: fp(12), req: fp(12), latest: 2023, used: []int{2021, 2023}, vi: "dựa trên 2/5 năm, thiếu 2022"}},
	}
	runEvalCases(t, cases)
}

func TestEvaluateYearVerdicts(t *testing.T) {
	hi := 6.0
	values := []Value{
		yv(2021, 9), yv(2021, 8, planned),
		yv(2022, 5.5), yv(2022, 5, planned, func(v *Value) { v.High = &hi }),
		yv(2023, 9), yv(2023, 10, planned),
		yv(2024, 7, planned),
	}
	got := Evaluate(input(LevelTarget, Bound{Op: OpAtLeast, A: 12}, values), DefaultSettings())
	// 2021: 9 > 8 vượt; 2022: 5.5 within 5–6 đạt; 2023: 9 < 10 không đạt; 2024: a plan, no value yet
	want := []struct {
		year int
		v    Verdict
	}{{2021, Exceeded}, {2022, Met}, {2023, NotMet}, {2024, ""}}
	if len(got.YearVerdicts) != len(want) {
		t.Fatalf("YearVerdicts = %+v, want %d years", got.YearVerdicts, len(want))
	}
	for i, w := range want {
		yv := got.YearVerdicts[i]
		if yv.Year != w.year || yv.Verdict != w.v || (w.v == "") != (yv.Actual == nil) {
			t.Errorf("YearVerdicts[%d] = %d %q (actual %v), want %d %q", i, yv.Year, yv.Verdict, yv.Actual, w.year, w.v)
		}
	}
	if p := got.YearVerdicts[1].PlanHigh; p == nil || *p != 6 {
		t.Errorf("2022 plan top = %v, want 6", p)
	}
}

func TestEvaluateAchievement(t *testing.T) {
	cases := []struct {
		name string
		in   Input
		want *float64
	}{
		// so far 121 ÷ bound 161.051 = 75.1315 %
		{"higher is better", input(LevelTarget, Bound{Op: OpAtLeast, A: 161.051}, []Value{yv(2020, 100), yv(2022, 121)}), fp(75.1315)},
		// bound 0.5 ÷ so far 0.625 = 80 %
		{"lower is better", input(LevelTarget, Bound{Op: OpAtMost, A: 0.5}, []Value{yv(2020, 1), yv(2022, 0.625)}, dir(Down)), fp(80)},
		// a range to land in has no ratio
		{"within", input(LevelTarget, Bound{Op: OpRange, A: 20, B: 25}, []Value{yv(2020, 10), yv(2022, 15)}, dir(Within)), nil},
		// sum 950 ÷ 1000
		{"cumulative", input(CumulativeTarget, Bound{Op: OpAtLeast, A: 1000}, []Value{yv(2021, 475), yv(2022, 475)}), fp(95)},
	}
	for _, c := range cases {
		checkFigure(t, c.name, Evaluate(c.in, DefaultSettings()).Achievement, c.want)
	}
}

// TestExplanationsInPlainWords: no formula symbols, no machine codes, no
// ASCII minus before a figure in any sentence the engine writes.
func TestExplanationsInPlainWords(t *testing.T) {
	for _, in := range randomInputs(400) {
		p := Evaluate(in, DefaultSettings())
		for _, s := range []string{p.ExplanationVI, p.ExplanationEN} {
			for _, bad := range []string{"R =", "CAGR", "no_data", "on_track", "off_track", "avg_growth", " -", "NaN", "Inf", "%!"} {
				if strings.Contains(s, bad) {
					t.Fatalf("%s target: explanation %q contains %q", in.Target.Kind, s, bad)
				}
			}
		}
	}
}

// TestEvaluateProperties checks, over random series of every kind with a
// fixed seed, that a missing year never lowers a cumulative projection
// below the sum of the years present, that achieved never comes before the
// bound is met, and that values outside the period — after its end year, or
// further back than the base year and the best-year window before it, or
// of another territory — never change a status or a figure.
func TestEvaluateProperties(t *testing.T) {
	s := DefaultSettings()
	for i, in := range randomInputs(3000) {
		p := Evaluate(in, s)
		per := in.Target.Period
		if in.Target.Kind == CumulativeTarget && p.Projection != nil && p.SoFar != nil && *p.Projection < *p.SoFar-1e-6 {
			t.Fatalf("case %d: cumulative projection %v below the sum present %v", i, *p.Projection, *p.SoFar)
		}
		if p.Status == Achieved {
			checkAchievedMet(t, i, in, p)
		}
		outside := append([]Value(nil), in.Values...)
		for y := per.To + 1; y <= per.To+3; y++ {
			outside = append(outside, yv(y, -1e6), yv(y, 1e6, estimate))
		}
		for y := per.BaseYear() - s.BestRecentYears - 3; y < per.BaseYear()-s.BestRecentYears; y++ {
			outside = append(outside, yv(y, 1e6))
		}
		outside = append(outside, yv(per.To, 1e6, merged), yv(per.From, -1e6, merged))
		in2 := in
		in2.Values = outside
		q := Evaluate(in2, s)
		if q.Status != p.Status || !sameFig(q.SoFar, p.SoFar) || !sameFig(q.Projection, p.Projection) || !sameFig(q.Required, p.Required) || !sameFig(q.Ratio, p.Ratio) {
			t.Fatalf("case %d (%s): values outside the period changed %s %v/%v to %s %v/%v", i, in.Target.Kind,
				p.Status, showFigure(p.SoFar), showFigure(p.Projection), q.Status, showFigure(q.SoFar), showFigure(q.Projection))
		}
	}
}

// checkAchievedMet: an achieved status rests on a measure that meets the bound.
func checkAchievedMet(t *testing.T, i int, in Input, p Progress) {
	t.Helper()
	if p.SoFar == nil || p.Band == nil {
		t.Fatalf("case %d (%s): achieved without a measure or a band: %+v", i, in.Target.Kind, p)
	}
	x := *p.SoFar
	lo, hi := math.Inf(-1), math.Inf(1)
	if p.Band.Lo != nil {
		lo = *p.Band.Lo
	}
	if p.Band.Hi != nil {
		hi = *p.Band.Hi
	}
	dir := in.Indicator.Direction
	switch in.Target.Kind {
	case AvgGrowthTarget, AvgChangeTarget:
		hi, dir = math.Inf(1), Up // only lo counts
	case AnnualTarget:
		// every year of the period met the bound
		for _, u := range p.Series {
			if in.Target.Period.Contains(u.Year) && !in.Target.Bound.Met(u.Value, 0.05) && !(dir == Up && u.Value >= lo) && !(dir == Down && u.Value <= hi) {
				t.Fatalf("case %d: annual achieved with %d at %v outside [%v, %v]", i, u.Year, u.Value, lo, hi)
			}
		}
		return
	}
	switch dir {
	case Up:
		hi = math.Inf(1)
	case Down:
		lo = math.Inf(-1)
	}
	strictLo, strictHi := p.Band.Strict && !math.IsInf(lo, 0), p.Band.Strict && !math.IsInf(hi, 0)
	if x < lo-1e-6 || x > hi+1e-6 || (strictLo && x <= lo) || (strictHi && x >= hi) {
		t.Fatalf("case %d (%s): achieved with %v outside [%v, %v] (strict %v)", i, in.Target.Kind, x, lo, hi, p.Band.Strict)
	}
}

func sameFig(a, b *float64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && math.Abs(*a-*b) < 1e-9)
}

// randomInputs builds n targets of every kind over random series with a
// fixed seed: gaps, estimates, both directions, every operator.
func randomInputs(n int) []Input {
	r := rand.New(rand.NewPCG(59, 2020))
	kinds := []Kind{LevelTarget, RelativeTarget, AvgGrowthTarget, AvgChangeTarget, AverageTarget, AnnualTarget, CumulativeTarget}
	ops := []Op{OpAtLeast, OpAbove, OpAtMost, OpBelow, OpAbout, OpRange}
	var out []Input
	for i := 0; i < n; i++ {
		kind := kinds[r.IntN(len(kinds))]
		d := []Direction{Up, Down, Within}[r.IntN(3)]
		growth := kind == AvgGrowthTarget && r.IntN(2) == 0
		var values []Value
		for y := 2013; y <= 2025; y++ {
			if r.Float64() < 0.3 {
				continue
			}
			x := 50 + 100*r.Float64()
			switch {
			case growth:
				x = -5 + 20*r.Float64()
				if r.IntN(40) == 0 {
					x = -100
				}
			case kind == LevelTarget && r.IntN(5) == 0:
				x = -x // negative series
			case kind == AvgChangeTarget:
				x = 20 * r.Float64()
			}
			x = math.Round(x*100) / 100
			if r.IntN(4) == 0 {
				values = append(values, yv(y, x, estimate))
			} else {
				values = append(values, yv(y, x))
			}
		}
		a := math.Round((40+140*r.Float64())*10) / 10
		switch kind {
		case AvgGrowthTarget:
			a = math.Round(10*r.Float64()*10) / 10
		case AvgChangeTarget:
			a = math.Round(2*r.Float64()*10) / 10
		case RelativeTarget:
			a = math.Round((0.5+r.Float64())*100) / 100
		case CumulativeTarget:
			a = math.Round((300 + 500*r.Float64()))
		}
		op := ops[r.IntN(len(ops))]
		b := Bound{Op: op, A: a}
		if op == OpRange {
			b.B = a * (1.05 + 0.2*r.Float64())
		}
		mods := []func(*Input){dir(d)}
		if growth {
			mods = append(mods, measure(GrowthRate), percentUnit)
		}
		in := input(kind, b, values, mods...)
		if kind == RelativeTarget {
			in.Target.BaseYear = 2020
		}
		out = append(out, in)
	}
	return out
}
