package importers

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/catalog"
	"chitieu/indicators/sqlite"
)

// The values in force an import keeps are bounded: past the limit the
// cache forgets what it held and reads again on demand, and every lookup
// still gives the value in force.
func TestHeldValuesStayBoundedAndRight(t *testing.T) {
	t.Parallel()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan", Role: indicators.Admin})
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "held.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cat, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.LoadCatalog(ctx, cat); err != nil {
		t.Fatal(err)
	}
	all, err := db.Values(ctx, indicators.ValueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	inForce := indicators.Current(all, time.Now())
	pairs := map[[2]string]bool{}
	for _, v := range inForce {
		pairs[[2]string{v.Indicator, v.Unit}] = true
	}
	if len(pairs) < 4 {
		t.Fatalf("the built-in catalogue has values of %d indicator and unit pairs; the test needs several", len(pairs))
	}
	h := newHeldValues(db)
	h.limit = 5
	// Twice over, so that pairs forgotten are read again.
	for range 2 {
		for _, v := range inForce {
			got, ok, err := h.get(ctx, v.Key)
			if err != nil {
				t.Fatal(err)
			}
			if !ok || got.Value != v.Value {
				t.Fatalf("held value of %v = %v (found %v), want %v", v.Key, got.Value, ok, v.Value)
			}
			if h.kept > max(h.limit, len(h.pairs[[2]string{v.Indicator, v.Unit}])) {
				t.Fatalf("the cache keeps %d values, beyond its limit of %d", h.kept, h.limit)
			}
		}
	}
}
