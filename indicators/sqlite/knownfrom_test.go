package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"chitieu/indicators"
	"chitieu/indicators/catalog"
)

// A database loaded before the catalogue carried its known-from days had
// every built-in target and value known from the day it was made; loading
// the catalogue again dates them by their act and source, and stores the
// register of sources and the plans' notes of incompleteness. An admin's
// own value keeps its entry time.
func TestCatalogueDatesRowsLoadedBefore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := &clock{t: day("2026-03-01")}
	db := open(t, filepath.Join(t.TempDir(), "old.db"), clk)
	cat, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	// The old load: no known-from days, no register, no notes.
	old, _ := catalog.Builtin()
	for i := range old.Targets {
		old.Targets[i].EnteredAt = clk.t
	}
	for i := range old.Values {
		old.Values[i].EnteredAt = clk.t
	}
	old.Sources = nil
	for i := range old.Plans {
		old.Plans[i].Incomplete, old.Plans[i].IncompleteEN = "", ""
	}
	if _, err := db.LoadCatalog(ctx, old); err != nil {
		t.Fatal(err)
	}
	own := indicators.Value{Key: key("ECO-02", "CT-CU", 2023, indicators.OfficialValue), Value: 5000, Source: "Cục Thống kê"}
	if err := db.AddValues(ctx, []indicators.Value{own}); err != nil {
		t.Fatal(err)
	}

	clk.t = day("2026-04-01")
	if _, err := db.LoadCatalog(ctx, cat); err != nil {
		t.Fatal(err)
	}
	vs, err := db.Values(ctx, indicators.ValueFilter{Indicator: "ECO-02"})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		switch {
		case v.Source == "S44" && !v.EnteredAt.Equal(day("2020-09-30")):
			// 4.136 USD (2020), from the XIV Congress of September 2020.
			t.Errorf("ECO-02 2020 known from %v, want 2020-09-30", v.EnteredAt)
		case v.Source == "Cục Thống kê" && !v.EnteredAt.Equal(day("2026-03-01")):
			t.Errorf("the admin's own value was re-dated to %v", v.EnteredAt)
		}
	}
	ts, err := db.Targets(ctx, indicators.TargetFilter{Indicator: "ECO-01"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range ts {
		if r := tg.Revisions[0]; !r.EnteredAt.Equal(r.ActDate) && !r.ActDate.IsZero() {
			t.Errorf("target %s %s: known from %v, want its act's date %v", tg.Plan, tg.Indicator, r.EnteredAt, r.ActDate)
		}
	}
	src, err := db.SourceByCode(ctx, "S63")
	if err != nil || src.Publisher != "tienphong.vn" || !src.Published.Equal(day("2026-01-31")) {
		t.Errorf("source S63 = %+v, %v", src, err)
	}
	ids, _ := catalog.PlanIDs()
	p, err := db.Plan(ctx, ids["DH14"])
	if err != nil || p.Incomplete == "" {
		t.Errorf("plan DH14 has no note of what is not public: %+v %v", p.Incomplete, err)
	}
}
