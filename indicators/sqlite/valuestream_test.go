package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"chitieu/indicators"
)

// EachValue gives the same values, with the same Superseded marks, as
// Values, for every filter and moment, in the order they were stored.
func TestEachValueMatchesValues(t *testing.T) {
	t.Parallel()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan"})
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := open(t, filepath.Join(t.TempDir(), "s.db"), c)
	if _, err := db.LoadCatalog(ctx, smallCatalog()); err != nil {
		t.Fatal(err)
	}
	k := key("ECO-01", "CT-CU", 2024, indicators.OfficialValue)
	for i, v := range []float64{7.0, 7.12, 7.2} {
		c.t = time.Date(2026, 2+time.Month(i), 1, 0, 0, 0, 0, time.UTC)
		high := v + 1
		if err := db.AddValues(ctx, []indicators.Value{
			{Key: k, Value: v, Source: "S56"},
			{Key: key("ECO-01", "CT-CU", 2024, indicators.PlanValue), Value: v, High: &high, Source: "S56"},
			{Key: indicators.Key{Indicator: "ECO-01", Unit: "CT", Period: indicators.Period{Year: 2025, Kind: indicators.Quarter, N: i + 1},
				Type: indicators.EstimateValue}, Value: -v, Source: "S33"},
		}); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []indicators.ValueFilter{
		{},
		{Indicator: "ECO-01", Units: []string{"CT-CU"}},
		{UnitKind: indicators.City, EnteredBy: time.Date(2026, 2, 15, 0, 0, 0, 0, time.UTC)},
		{EnteredBy: time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)},
		{EnteredBy: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		want, err := db.Values(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var got []indicators.Value
		if err := db.EachValue(ctx, f, func(v indicators.Value) error { got = append(got, v); return nil }); err != nil {
			t.Fatal(err)
		}
		if !sort.SliceIsSorted(got, func(i, j int) bool { return got[i].ID < got[j].ID }) {
			t.Errorf("filter %+v: EachValue not in ID order", f)
		}
		sort.Slice(want, func(i, j int) bool { return want[i].ID < want[j].ID })
		n, err := db.CountValues(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) || n != len(want) {
			t.Fatalf("filter %+v: EachValue gave %d values, CountValues %d, Values %d", f, len(got), n, len(want))
		}
		superseded := 0
		for i := range want {
			g, w := got[i], want[i]
			if g.ID != w.ID || g.Superseded != w.Superseded || g.Value != w.Value || g.Scope != w.Scope ||
				(g.High == nil) != (w.High == nil) || !g.EnteredAt.Equal(w.EnteredAt) {
				t.Errorf("filter %+v, value %d: EachValue %+v, Values %+v", f, i, g, w)
			}
			if g.Superseded {
				superseded++
			}
		}
		if f.EnteredBy.IsZero() && f.UnitKind == "" && superseded != 4 {
			t.Errorf("filter %+v: %d superseded values, want 4 (two older versions of two keys)", f, superseded)
		}
	}
	// An error from fn stops the stream and comes back unchanged.
	stop := errors.New("stop")
	calls := 0
	err := db.EachValue(ctx, indicators.ValueFilter{}, func(indicators.Value) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("EachValue with failing fn = %v after %d calls, want stop after 1", err, calls)
	}
}
