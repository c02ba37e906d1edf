package sqlite_test

// Helpers of the store's own tests. The behaviours every store shares are
// tested once, in indicators/storetest (TestSQLite runs them on this
// store); the tests here are those only SQLite has: files, backups,
// migrations, pending commits cut off by a kill, a full disk.

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/sqlite"
)

func planningDB(t *testing.T) (*sqlite.DB, *clock, context.Context) {
	t.Helper()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "quantri", Role: indicators.Admin})
	c := &clock{t: time.Date(2026, 1, 5, 2, 0, 0, 0, time.UTC)}
	db := open(t, filepath.Join(t.TempDir(), "p.db"), c)
	if _, err := db.LoadCatalog(ctx, smallCatalog()); err != nil {
		t.Fatal(err)
	}
	return db, c, ctx
}

func reading(year int, v float64, cell string) indicators.Reading {
	return indicators.Reading{Key: key("ECO-01", "CT-CU", year, indicators.OfficialValue), Value: v, Sheet: "Biểu 01", Cell: cell}
}

func openWithCatalog(t *testing.T, c *clock) *sqlite.DB {
	t.Helper()
	db := open(t, filepath.Join(t.TempDir(), "u.db"), c)
	if _, err := db.LoadCatalog(context.Background(), smallCatalog()); err != nil {
		t.Fatal(err)
	}
	return db
}

func lastEvent(t *testing.T, db *sqlite.DB) indicators.AuditEvent {
	t.Helper()
	evs, err := db.AuditEvents(context.Background(), indicators.AuditFilter{Newest: true, Limit: 1})
	if err != nil || len(evs) != 1 {
		t.Fatalf("last audit event: %v, %v", evs, err)
	}
	return evs[0]
}
