package importers

import "testing"

// A code written in a name weighs in the matching: the indicator it names
// comes first, and the indicator whose name is most alike still follows,
// so that a planner sees the two disagree and chooses.
func TestSuggestWeighsACodeInTheName(t *testing.T) {
	cands := []nameEntry{
		{key: MatchKey("Tỷ lệ hộ dân sử dụng nước sạch"), code: "ENV-04", name: "Tỷ lệ hộ dân sử dụng nước sạch"},
		{key: MatchKey("Tỷ lệ chất thải rắn được thu gom"), code: "ENV-01", name: "Tỷ lệ chất thải rắn được thu gom"},
		{key: MatchKey("Tỷ lệ hộ nghèo"), code: "SOC-04", name: "Tỷ lệ hộ nghèo"},
	}
	got := suggest("Tỷ lệ hộ dân sử dụng nước sạch (ENV-01)", cands)
	if len(got) < 2 || got[0].Code != "ENV-01" || !got[0].ByCode || got[1].Code != "ENV-04" || got[1].ByCode ||
		got[1].Score <= got[0].Score {
		t.Errorf("suggest with (ENV-01) in the name = %+v; want ENV-01 by its code first, then ENV-04 by the more alike name", got)
	}
	// Without a code the name alone decides.
	if got := suggest("Tỷ lệ hộ dân dùng nước sạch", cands); len(got) == 0 || got[0].Code != "ENV-04" || got[0].ByCode {
		t.Errorf("suggest without a code = %+v; want ENV-04 by its name", got)
	}
	// A code the catalogue lacks is no suggestion of its own.
	for _, sg := range suggest("Tỷ lệ hộ nghèo (XYZ-99)", cands) {
		if sg.ByCode {
			t.Errorf("suggest with an unknown code: %+v", sg)
		}
	}
}
