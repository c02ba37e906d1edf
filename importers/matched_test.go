package importers_test

import (
	"testing"

	"chitieu/importers"
)

// A preview lists the names it read as indicators, once each, with the
// indicator each was read as and whether the profile confirmed it: the
// name the catalogue holds word for word (ENV-04, households with clean
// water) is read as ENV-04 either way, confirmed only where the profile
// names it.
func TestPreviewListsMatchedNames(t *testing.T) {
	t.Parallel()
	xlsx := shared(t, "dept/bieu-01-so-tai-chinh.xlsx")
	db := openStoreNoValues(t)
	im := newImporter(t, db)
	p := loadProfile(t, "testdata/profiles/bieu-01.json")
	const water = "Tỷ lệ hộ dân sử dụng nước sạch"
	for _, tc := range []struct {
		name      string
		mapped    bool
		code      string
		confirmed bool
	}{
		{"through the profile", true, "ENV-04", true},
		{"by the catalogue's name", false, "ENV-04", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prof := *p
			prof.Indicators = map[string]string{}
			for k, v := range p.Indicators {
				if k != water || tc.mapped {
					prof.Indicators[k] = v
				}
			}
			res, err := im.Preview(planner(), receive(t, xlsx), importers.Options{Profile: &prof})
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]int{}
			var got *importers.Matched
			for i, m := range res.Matched {
				seen[m.Name]++
				if m.Name == water {
					got = &res.Matched[i]
				}
				if m.Cell == "" || m.Code == "" {
					t.Errorf("matched name %+v lacks its cell or code", m)
				}
			}
			if got == nil || got.Code != tc.code || got.Confirmed != tc.confirmed || got.Cell == "" {
				t.Fatalf("%q matched as %+v, want %s confirmed %v", water, got, tc.code, tc.confirmed)
			}
			for name, n := range seen {
				if n > 1 {
					t.Errorf("%q listed %d times", name, n)
				}
			}
			if len(res.Matched) < 10 {
				t.Errorf("only %d names matched: %+v", len(res.Matched), res.Matched)
			}
		})
	}
}
