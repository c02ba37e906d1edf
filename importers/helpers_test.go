package importers_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"chitieu/importers"
	"chitieu/indicators"
	"chitieu/indicators/catalog"
	"chitieu/indicators/sqlite"
)

// sharedData is the folder of real files shared by the tests.
const sharedData = "../../shared/testdata"

// shared returns the path of a shared test file, skipping the test when
// the folder is absent.
func shared(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(sharedData, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is absent (the shared test data is not here): %v", p, err)
	}
	return p
}

// openStore opens a fresh store with the built-in catalogue.
func openStore(t *testing.T) *sqlite.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "chitieu.db"))
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
	return db
}

// planner is the context of a planner with no limits.
func planner() context.Context {
	return indicators.WithActor(context.Background(), indicators.Actor{User: "lan", Role: indicators.Planner})
}

func newImporter(t *testing.T, db *sqlite.DB) *importers.Importer {
	t.Helper()
	return &importers.Importer{Store: db, TempDir: t.TempDir()}
}

// receive copies a file into an upload, removed at the end of the test.
func receive(t *testing.T, path string) *importers.Upload {
	t.Helper()
	u, err := importers.ReceiveFile(path, t.TempDir(), importers.Limits{})
	if err != nil {
		t.Fatalf("receive %s: %v", path, err)
	}
	t.Cleanup(func() { u.Close() })
	return u
}

func loadProfile(t *testing.T, path string) *importers.Profile {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := importers.ParseProfile(b)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
