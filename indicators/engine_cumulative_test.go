package indicators

import (
	"testing"
)

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
