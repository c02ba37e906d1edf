package indicators

import (
	"testing"
	"time"
)

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
