package dashboard

import (
	"testing"

	"chitieu/indicators"
)

// TestAttentionListsEachTargetOnce: GRDP growth 7,5–8 %/năm for 2021–2025
// set by the resolution's programme and by the city's plan is one line of
// "Cần chú ý", naming both plans; a target on track is not listed.
func TestAttentionListsEachTargetOnce(t *testing.T) {
	t.Parallel()
	row := func(plan string, st indicators.Status, short float64) targetRow {
		return targetRow{Indicator: "ECO-01", Period: "2021-2025", Kind: indicators.AvgGrowthTarget, Bound: "7,5–8",
			PlanCode: plan, Status: st, Shortfall: short}
	}
	other := targetRow{Indicator: "ECO-03", Period: "2021-2025", Kind: indicators.LevelTarget, Bound: "145–160",
		PlanCode: "NQ ĐH XIV", Status: indicators.OffTrack, Shortfall: 0.7}
	got := attention([]targetRow{row("98/NQ-CP", indicators.OffTrack, 0.3), other, row("NQ ĐH XIV", indicators.OffTrack, 0.3),
		row("QĐ 1519", indicators.OnTrack, 0)})
	if len(got) != 2 || got[0].Indicator != "ECO-03" || got[1].Indicator != "ECO-01" || got[1].PlanCode != "98/NQ-CP, NQ ĐH XIV" {
		t.Errorf("attention = %+v, want ECO-03 then ECO-01 once, naming both plans", got)
	}
}
