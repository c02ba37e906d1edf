package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"chitieu/indicators"
	"chitieu/indicators/catalog"
	"chitieu/indicators/sqlite"
)

// The data version moves with every write and stays put otherwise.
func TestDataVersionMovesWithWrites(t *testing.T) {
	t.Parallel()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan"})
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	v0, err := db.DataVersion(ctx)
	if err != nil || v0.ID != 0 {
		t.Fatalf("empty store version = %+v, %v; want 0", v0, err)
	}
	cat, _ := catalog.Builtin()
	if _, err := db.LoadCatalog(ctx, cat); err != nil {
		t.Fatal(err)
	}
	v1, _ := db.DataVersion(ctx)
	if v1.ID <= v0.ID || v1.At.IsZero() {
		t.Fatalf("after loading the catalogue version = %+v, want above %d with a time", v1, v0.ID)
	}
	if _, err := db.LoadCatalog(ctx, cat); err != nil {
		t.Fatal(err)
	}
	if again, _ := db.DataVersion(ctx); again != v1 {
		t.Errorf("loading the same catalogue again moved the version from %+v to %+v", v1, again)
	}
	k := indicators.Key{Indicator: "ECO-01", Unit: "916", Period: indicators.YearPeriod(2023), Type: indicators.OfficialValue}
	if err := db.AddValues(ctx, []indicators.Value{{Key: k, Value: 6.1, Source: "test"}}); err != nil {
		t.Fatal(err)
	}
	if v2, _ := db.DataVersion(ctx); v2.ID <= v1.ID {
		t.Errorf("adding a value left the version at %+v (was %+v)", v2, v1)
	}
}
