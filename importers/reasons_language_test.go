package importers_test

import (
	"strings"
	"testing"

	"chitieu/importers"
)

// Every refused cell says why in Vietnamese and in English: ReasonIn
// gives the page's language, the Vietnamese one for a Vietnamese page.
func TestRejectedCellsSayWhyInBothLanguages(t *testing.T) {
	t.Parallel()
	path := longFile(t, "reasons.xlsx",
		[]any{"XXX-99", "CT-CU", 2021, "Thực hiện", 1},          // row 2: no such indicator
		[]any{"ECO-01", "ZZ-NONE", 2021, "Thực hiện", 1},        // row 3: no such unit
		[]any{"ECO-01", "CT-CU", "năm ngoái", "Thực hiện", 1},   // row 4: not a period
		[]any{"ECO-01", "CT-CU", 2021, "Thực hiện", "bảy phẩy"}, // row 5: not a number
		[]any{"ECO-01", "CT-CU", 2021, "chắc chắn", 1},          // row 6: no such type
		[]any{"ECO-01", "CT-CU", 2022, "Thực hiện", 7.1},        // row 7
		[]any{"ECO-01", "CT-CU", 2022, "Thực hiện", 7.2},        // row 8: the same key again
	)
	db := openStore(t)
	res, err := newImporter(t, db).Preview(planner(), receive(t, path), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{
		"A2": {"không có trong danh mục", "is not in the catalogue"},
		"B3": {"không có trong danh mục", "is not in the catalogue"},
		"C4": {"không phải là kỳ báo cáo", "is not a reporting period"},
		"E5": {"", ""}, // the number parser's own two messages
		"D6": {"loại số liệu không rõ", "unknown value type"},
		"E8": {"trùng với ô", "each value may be in one cell only"},
	}
	got := map[string]importers.CellError{}
	for _, e := range res.Errors {
		got[e.Cell] = e
	}
	for cell, w := range want {
		e, ok := got[cell]
		if !ok {
			t.Errorf("no refusal at %s; got %+v", cell, res.Errors)
			continue
		}
		vi, en := e.ReasonIn("vi"), e.ReasonIn("en")
		if vi != e.Reason || en != e.ReasonEN || en == "" || en == vi {
			t.Errorf("%s: vi %q, en %q; want two different messages", cell, vi, en)
		}
		if !strings.Contains(vi, w[0]) || !strings.Contains(en, w[1]) {
			t.Errorf("%s: vi %q, en %q; want %q and %q", cell, vi, en, w[0], w[1])
		}
		if e.ReasonIn("fr") != vi {
			t.Errorf("%s: another language gets %q, want the Vietnamese", cell, e.ReasonIn("fr"))
		}
	}
}
