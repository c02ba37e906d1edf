package indicators

import (
	"strings"
	"testing"
	"time"
)

// The year in progress drawn from its year-to-date figure (engine_ytd.go):
// a provisional verdict, said so in both languages.
func TestEvaluateProvisionalFromYearToDate(t *testing.T) {
	ytd9 := func(y int) func(*Value) { return inPeriod(YearToDatePeriod(y, 9)) }
	h1 := func(y int) func(*Value) { return inPeriod(YearToDatePeriod(y, 6)) }
	ge58 := Bound{Op: OpAtLeast, A: 58000}
	cases := []evalCase{
		{"a level drawn from nine months against the same period",
			input(LevelTarget, ge58, []Value{yv(2020, 40000), yv(2024, 55000), yv(2024, 38030, ytd9(2024)), yv(2025, 41230, ytd9(2025))}),
			// 2025 has no whole-year figure; its nine months (41 230) against the same nine months of 2024
			// (38 030) are up 41 230 ÷ 38 030 − 1 = 8,4144 %; applied to the whole of 2024:
			// 55 000 × 41 230 ÷ 38 030 = 59 627,9253 ≥ 58 000 in the end year: achieved, provisionally
			want{status: Achieved, soFar: fp(59627.9253), base: 2020, latest: 2025, used: []int{2025}, estimate: true,
				vi:    "số liệu năm 2025 là tạm tính: 9 tháng đầu năm 2025 đạt 41.230 tỷ đồng, so với cùng kỳ năm 2024 (38.030 tỷ đồng) tăng 8,41 %, áp vào cả năm 2024 (55.000 tỷ đồng) được 59.627,93 tỷ đồng — kết luận tạm thời",
				en:    "the 2025 figure is provisional: January–September 2025 reached 41,230 billion VND, up 8.41 % on the same period of 2024 (38,030 billion VND), which applied to the whole of 2024 (55,000 billion VND) gives 59,627.93 billion VND — a provisional verdict",
				notVI: "là ước tính"}},
		{"a rate is its year-to-date figure",
			input(LevelTarget, Bound{Op: OpAtLeast, A: 95}, []Value{yv(2020, 90), yv(2024, 94), yv(2024, 93.1, h1(2024)), yv(2025, 95.2, h1(2025))},
				measure(Rate), percentUnit),
			// a rate of the first six months stands for the year: 2025 = 95,2 ≥ 95, achieved provisionally
			want{status: Achieved, soFar: fp(95.2), base: 2020, latest: 2025, used: []int{2025}, estimate: true,
				vi: "số liệu năm 2025 là tạm tính, lấy theo 6 tháng đầu năm 2025 (95,2 %; cùng kỳ năm 2024: 93,1 %) — kết luận tạm thời",
				en: "the 2025 figure is provisional, taken from H1 2025 (95.2 %; same period of 2024: 93.1 %) — a provisional verdict"}},
		{"the year's own figure wins",
			input(LevelTarget, ge58, []Value{yv(2020, 40000), yv(2024, 55000), yv(2025, 57000), yv(2024, 38030, ytd9(2024)), yv(2025, 41230, ytd9(2025))}),
			// 2025 has its whole-year figure: 57 000 < 58 000, off track, nothing provisional
			want{status: OffTrack, soFar: fp(57000), base: 2020, latest: 2025, used: []int{2025}, vi: "không đạt mục tiêu", notVI: "tạm tính"}},
		{"a level without the same period before stays unread",
			input(LevelTarget, Bound{Op: OpAtLeast, A: 161.051}, []Value{yv(2020, 100), yv(2022, 121), yv(2023, 90, ytd9(2023))}),
			// 2023's nine months have no 2022 nine months to compare with: 2023 stays missing and the
			// verdict rests on 2020–2022 as without it (R = 1, on track)
			want{status: OnTrack, soFar: fp(121), proj: fp(161.051), req: fp(10), ratio: fp(1), base: 2020, latest: 2022,
				used: []int{2020, 2022}, notVI: "tạm tính"}},
		{"only the year after the latest whole year",
			input(LevelTarget, ge58, []Value{yv(2020, 40000), yv(2024, 55000), yv(2022, 30000, ytd9(2022)), yv(2023, 31000, ytd9(2023))}),
			// the nine months of 2023 lie before 2024, which has its figure: 55 000 in 2024 < 58 000, and
			// the ratio rule judges 2020–2024 alone: CAGR_o = (55 000 ÷ 40 000)^(1/4) − 1 = 8,2868 %,
			// CAGR_r = (58 000 ÷ 40 000)^(1/5) − 1 = 7,7144 %, R = 1,0742: on track; projection
			// 55 000 × 1,082868 = 59 557,7612; required 58 000 ÷ 55 000 − 1 = 5,4545 %
			want{status: OnTrack, soFar: fp(55000), proj: fp(59557.7612), req: fp(5.4545), ratio: fp(1.0742), base: 2020, latest: 2024,
				used: []int{2020, 2024}, notVI: "tạm tính"}},
		{"no longer once the year's figure was due",
			input(LevelTarget, ge58, []Value{yv(2020, 40000), yv(2024, 55000), yv(2024, 38030, ytd9(2024)), yv(2025, 41230, ytd9(2025))},
				asOf(time.Date(2026, 7, 1, 0, 0, 0, 0, Vietnam))),
			// on 1 July 2026 the 2025 figure is overdue: 2025 stays missing and 2020–2024 are judged as in
			// the case above (R = 1,0742, on track)
			want{status: OnTrack, soFar: fp(55000), proj: fp(59557.7612), req: fp(5.4545), ratio: fp(1.0742), base: 2020, latest: 2024,
				used: []int{2020, 2024}, notVI: "tạm tính"}},
	}
	runEvalCases(t, cases)

	p := Evaluate(cases[0].in, DefaultSettings())
	if p.Provisional == nil || p.Provisional.Year != 2025 || p.Provisional.Period.String() != "2025-YTD09" ||
		*p.Provisional.Change != 8.4144 || *p.Provisional.YearBefore != 55000 {
		t.Fatalf("Provisional = %+v", p.Provisional)
	}
	if s := p.Series[len(p.Series)-1]; s.Year != 2025 || s.Type != EstimateValue || s.Value != 55000*41230.0/38030 {
		t.Errorf("the series ends with %+v, want the provisional 2025 as an estimate", s)
	}
	if strings.Count(p.ExplanationVI, "tạm tính") != 1 {
		t.Errorf("ExplanationVI = %q", p.ExplanationVI)
	}
}
