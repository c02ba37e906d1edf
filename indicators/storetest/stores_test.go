package storetest_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/postgres"
	"chitieu/indicators/postgres/pgtest"
	"chitieu/indicators/sqlite"
	"chitieu/indicators/storetest"
)

// quiet drops the stores' notes of migrations and keys.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// TestSQLite runs the suite against the SQLite store, always.
func TestSQLite(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, now func() time.Time) storetest.Handle {
		path := filepath.Join(t.TempDir(), "s.db")
		db, err := sqlite.Open(context.Background(), path, sqlite.WithClock(now), sqlite.WithLogger(quiet))
		if err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		t.Cleanup(func() { db.Close() })
		return storetest.Handle{Store: db, Exec: func(q string) error {
			raw, err := sql.Open("sqlite", path)
			if err != nil {
				return err
			}
			defer raw.Close()
			_, err = raw.Exec(q)
			return err
		}}
	})
}

// TestPostgres runs the suite against the PostgreSQL store, each case in a
// schema of its own, when CHITIEU_TEST_POSTGRES names a database; it says
// that it skipped otherwise (and fails under CI=true).
func TestPostgres(t *testing.T) {
	pgtest.URL(t)
	t.Parallel()
	storetest.Run(t, openPostgres)
}

func openPostgres(t *testing.T, now func() time.Time) storetest.Handle {
	dsn := pgtest.Fresh(t)
	db, err := postgres.Open(context.Background(), dsn, postgres.WithClock(now), postgres.WithLogger(quiet),
		postgres.WithAuditKey(filepath.Join(t.TempDir(), "chitieu.key")))
	if err != nil {
		t.Fatalf("open PostgreSQL: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return storetest.Handle{Store: db, Exec: func(q string) error {
		_, err := db.Pool().Exec(context.Background(), q)
		return err
	}}
}

// TestBothStoresChainEventsAlike holds the two stores' audit hashes equal:
// an event chained by SQLite verifies under the PostgreSQL store's hashing
// with the same key, which is what copying a trail between them needs.
func TestBothStoresChainEventsAlike(t *testing.T) {
	t.Parallel()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "root", Addr: "10.0.0.1"})
	c := &storetest.Clock{T: time.Date(2026, 5, 4, 3, 2, 1, 123456789, time.UTC)}
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "h.db"), sqlite.WithClock(c.Now), sqlite.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.LoadCatalog(ctx, storetest.SmallCatalog()); err != nil {
		t.Fatal(err)
	}
	if err := db.AddValues(ctx, []indicators.Value{{Key: indicators.Key{Indicator: "ECO-01", Unit: "CT",
		Period: indicators.YearPeriod(2025), Type: indicators.OfficialValue}, Value: 8.5, Source: "S33", Note: "ghi chú <&> \"x\""}}); err != nil {
		t.Fatal(err)
	}
	evs, err := db.AuditEvents(ctx, indicators.AuditFilter{})
	if err != nil || len(evs) != 2 {
		t.Fatalf("events = %v, %v", evs, err)
	}
	for _, ev := range evs {
		got, err := postgres.EventHash(db.KeyPath(), ev)
		if err != nil || got != ev.Hash {
			t.Errorf("event #%d %s: PostgreSQL's hash %s, %v; SQLite chained %s", ev.ID, ev.Action, got, err, ev.Hash)
		}
	}
}
