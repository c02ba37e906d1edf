package testdb_test

import (
	"context"
	"os"
	"testing"

	"chitieu/indicators"
	"chitieu/internal/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

// Each test gets a copy of its own: what one writes, another does not see,
// and the copy holds the catalogue (with or without its values).
func TestCopiesAreIndependentAndHoldTheCatalogue(t *testing.T) {
	t.Parallel()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "quantri", Role: indicators.Admin})
	a, b := testdb.Builtin(t), testdb.Builtin(t)
	before, err := b.Values(ctx, indicators.ValueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(before) == 0 {
		t.Fatal("the template holds none of the catalogue's values")
	}
	v := before[0]
	v.ID, v.Value = 0, v.Value+1
	if err := a.AddValues(ctx, []indicators.Value{v}); err != nil {
		t.Fatal(err)
	}
	after, err := b.Values(ctx, indicators.ValueFilter{})
	if err != nil || len(after) != len(before) {
		t.Errorf("another copy holds %d values after a write to the first, want %d (%v)", len(after), len(before), err)
	}
	none := testdb.BuiltinNoValues(t)
	vs, err := none.Values(ctx, indicators.ValueFilter{})
	inds, err2 := indicators.ReadCatalog(ctx, none)
	if err != nil || err2 != nil || len(vs) != 0 || len(inds.Indicators) == 0 {
		t.Errorf("without values: %d values, %d indicators (%v, %v); want none and the catalogue", len(vs), len(inds.Indicators), err, err2)
	}
}
