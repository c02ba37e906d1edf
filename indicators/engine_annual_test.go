package indicators

import (
	"testing"
)

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
