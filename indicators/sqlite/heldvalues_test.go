package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"chitieu/indicators"
	"chitieu/indicators/catalog"
)

// TestHeldKeyByKeyMatchesHeldByPair: past maxHeld values in memory an
// import looks each key up on its own; it must find the same value in
// force as loading the indicator and unit at once: the newest, with its
// range, and none where there is none.
func TestHeldKeyByKeyMatchesHeldByPair(t *testing.T) {
	t.Parallel()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "quantri", Role: indicators.Admin})
	db, err := Open(ctx, filepath.Join(t.TempDir(), "held.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.LoadCatalog(ctx, cat); err != nil {
		t.Fatal(err)
	}
	ind, unit := cat.Indicators[0].Code, cat.Units[0].Code
	key := func(y int, typ indicators.ValueType) indicators.Key {
		return indicators.Key{Indicator: ind, Unit: unit, Period: indicators.YearPeriod(y), Type: typ}
	}
	high := 9.5
	// 2020 official: 7 then 8 (8 is in force); 2021 plan: a range;
	// 2021 official: 5; 2022: nothing.
	if err := db.AddValues(ctx, []indicators.Value{
		{Key: key(2020, indicators.OfficialValue), Value: 7, EnteredBy: "quantri", Source: "S01"},
		{Key: key(2021, indicators.PlanValue), Value: 8.5, High: &high, EnteredBy: "quantri", Source: "S01"},
		{Key: key(2021, indicators.OfficialValue), Value: 5, EnteredBy: "quantri", Source: "S01"},
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.AddValues(ctx, []indicators.Value{{Key: key(2020, indicators.OfficialValue), Value: 8, EnteredBy: "quantri", Source: "S01"}}); err != nil {
		t.Fatal(err)
	}
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	byPair := &valueWriter{ctx: ctx, lookup: tx, current: map[pairKey]map[slotKey]heldValue{}}
	byKey := &valueWriter{ctx: ctx, lookup: tx, current: map[pairKey]map[slotKey]heldValue{}, nHeld: maxHeld}
	for _, k := range []indicators.Key{key(2020, indicators.OfficialValue), key(2021, indicators.OfficialValue),
		key(2021, indicators.PlanValue), key(2022, indicators.OfficialValue), key(2020, indicators.EstimateValue)} {
		a, okA, errA := byPair.held(k)
		b, okB, errB := byKey.held(k)
		if errA != nil || errB != nil {
			t.Fatalf("%s: %v, %v", k, errA, errB)
		}
		if okA != okB || a.id != b.id || a.value != b.value || !sameHigh(a.high, b.high) {
			t.Errorf("%s: by pair %+v %v, key by key %+v %v; want the same", k, a, okA, b, okB)
		}
	}
	if len(byKey.current) != 0 {
		t.Errorf("the key-by-key writer loaded %d pairs, want none", len(byKey.current))
	}
	if h, ok, _ := byKey.held(key(2020, indicators.OfficialValue)); !ok || h.value != 8 {
		t.Errorf("2020 official in force = %+v, %v; want 8, the newer", h, ok)
	}
	if h, ok, _ := byKey.held(key(2021, indicators.PlanValue)); !ok || h.high == nil || *h.high != 9.5 {
		t.Errorf("2021 plan in force = %+v, %v; want the range 8,5–9,5", h, ok)
	}
}

func sameHigh(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}
