package testdb_test

import (
	"context"
	"os"
	"sync/atomic"
	"testing"

	"chitieu/indicators"
	"chitieu/indicators/sqlite"
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

// A template of a package's own is built once however many tests ask for
// it, and each gets a copy holding what it was built with.
func TestCloneBuildsOnceAndCopies(t *testing.T) {
	t.Parallel()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "quantri", Role: indicators.Admin})
	var builds atomic.Int32
	build := func(path string) error {
		builds.Add(1)
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			return err
		}
		if err := db.SaveProfile(ctx, indicators.ImportProfile{Name: "mau", Shape: "long", JSON: `{"name":"mau"}`}); err != nil {
			db.Close()
			return err
		}
		return db.Close()
	}
	paths := map[string]bool{}
	for range 3 {
		path := testdb.Clone(t, "clone-test", build)
		paths[path] = true
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if p, err := db.Profile(ctx, "mau"); err != nil || p.JSON != `{"name":"mau"}` {
			t.Errorf("the copy's profile = %+v, %v; want the one the template was built with", p, err)
		}
		if err := db.DeleteProfile(ctx, "mau"); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	if n := builds.Load(); n != 1 || len(paths) != 3 {
		t.Errorf("%d builds for %d copies, want 1 build and 3 copies", n, len(paths))
	}
}
