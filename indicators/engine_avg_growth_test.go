package indicators

import (
	"testing"
)

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
