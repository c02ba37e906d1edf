package importers_test

import (
	"fmt"
	"strings"
	"testing"

	"chitieu/importers"
	"chitieu/indicators"
)

// Importing again a file that mostly holds values already in force sees
// each reading exactly as it stands against them, whatever the order of
// the rows: unchanged ones (a planned range included) are left alone,
// changed ones name the value they replace (a range whose upper end alone
// moved included), new ones are new, and the plausibility checks still
// weigh a changed value against the values in force.
func TestReimportSeesUnchangedChangedAndNewExactly(t *testing.T) {
	t.Parallel()
	db := openStore(t)
	ctx := planner()
	im := newImporter(t, db)
	month := func(m int) string { return fmt.Sprintf("%d-%02d", 2019+m/12, m%12+1) }
	// 60 months of ECO-06 for CT-CU, 100 + m, a planned range and a value
	// of another indicator.
	var first [][]any
	for m := 0; m < 60; m++ {
		first = append(first, []any{"ECO-06", "CT-CU", month(m), "Thực hiện", 100 + m})
	}
	first = append(first,
		[]any{"ECO-06", "CT-CU", 2024, "Kế hoạch", "230–250"},
		[]any{"SOC-02", "CT-CU", 2024, "Thực hiện", 9.5})
	res, err := im.Import(ctx, receive(t, longFile(t, "first.xlsx", first...)), importers.Options{ConfirmNote: "thử"})
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 62 || res.Changed != 0 || res.Unchanged != 0 || res.Batch == 0 {
		t.Fatalf("first import: new %d, changed %d, unchanged %d, batch %d; want 62 new in a batch", res.New, res.Changed, res.Unchanged, res.Batch)
	}

	// The same months backwards (rows 2–61, month m on row 61 − m), two
	// of them changed; three new months; the range with a new upper end;
	// the other value unchanged; a new pair.
	var second [][]any
	for m := 59; m >= 0; m-- {
		v := any(100 + m)
		switch m {
		case 10:
			v = 110.5 // row 51
		case 20:
			v = 5000000 // row 41: 41.666 times the month before, a jump
		}
		second = append(second, []any{"ECO-06", "CT-CU", month(m), "Thực hiện", v})
	}
	second = append(second,
		[]any{"ECO-06", "CT-CU", "2024-01", "Thực hiện", 170}, // rows 62–64: new
		[]any{"ECO-06", "CT-CU", "2024-02", "Thực hiện", 171},
		[]any{"ECO-06", "CT-CU", "2024-03", "Thực hiện", 172},
		[]any{"ECO-06", "CT-CU", 2024, "Kế hoạch", "230–260"}, // row 65: changed
		[]any{"SOC-02", "CT-CU", 2024, "Thực hiện", 9.5},      // row 66: unchanged
		[]any{"SOC-01", "CT-CU", 2024, "Thực hiện", 74.5})     // row 67: new
	path := longFile(t, "second.xlsx", second...)
	pre, err := im.Preview(ctx, receive(t, path), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// 58 months + the other value unchanged; two months + the range
	// changed; three months + SOC-01 new.
	if pre.Unchanged != 59 || pre.Changed != 3 || pre.New != 4 || pre.Rejected != 0 {
		t.Fatalf("again: unchanged %d, changed %d, new %d, rejected %d; want 59, 3, 4, 0", pre.Unchanged, pre.Changed, pre.New, pre.Rejected)
	}
	byCell := map[string]importers.Change{}
	for _, c := range pre.Changes {
		byCell[c.Cell] = c
	}
	f := func(p *float64) string {
		if p == nil {
			return "none"
		}
		return fmt.Sprint(*p)
	}
	for _, want := range []struct {
		cell, kind, old, oldHigh string
		new                      float64
		high                     string
	}{
		{"E51", "changed", "110", "none", 110.5, "none"},
		{"E41", "changed", "120", "none", 5000000, "none"},
		{"E62", "new", "none", "none", 170, "none"},
		{"E63", "new", "none", "none", 171, "none"},
		{"E64", "new", "none", "none", 172, "none"},
		{"E65", "changed", "230", "250", 230, "260"},
		{"E67", "new", "none", "none", 74.5, "none"},
	} {
		c, ok := byCell[want.cell]
		if !ok {
			t.Errorf("%s is not listed as a change", want.cell)
			continue
		}
		if string(c.Kind) != want.kind || f(c.Old) != want.old || f(c.OldHigh) != want.oldHigh || c.New != want.new || f(c.High) != want.high {
			t.Errorf("%s: %s %s–%s → %v–%s; want %s %s–%s → %v–%s", want.cell, c.Kind, f(c.Old), f(c.OldHigh), c.New, f(c.High),
				want.kind, want.old, want.oldHigh, want.new, want.high)
		}
	}
	if len(pre.Changes) != 7 {
		t.Errorf("%d changes listed, want 7", len(pre.Changes))
	}
	var jumps []string
	for _, w := range pre.Plausibility {
		if w.Check == indicators.CheckJump {
			jumps = append(jumps, w.Cell)
		}
	}
	if !strings.Contains(","+strings.Join(jumps, ",")+",", ",E41,") {
		t.Errorf("jump warnings at %v, want one at E41 (119 → 5.000.000)", jumps)
	}

	// Committed, the file imported once more changes nothing.
	if _, err := im.Import(ctx, receive(t, path), importers.Options{ConfirmNote: "đã kiểm tra"}); err != nil {
		t.Fatal(err)
	}
	again, err := im.Import(ctx, receive(t, path), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !again.NothingChanged() || again.Unchanged != 66 || again.Batch != 0 {
		t.Errorf("third time: new %d, changed %d, unchanged %d, batch %d; want 66 unchanged and no batch", again.New, again.Changed, again.Unchanged, again.Batch)
	}
}
