package storetest_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
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

// BenchmarkCommit commits a batch of 10,000 values, in the importer's
// chunks of 2,000, into each store: SQLite's multi-row inserts against
// PostgreSQL's COPY. go test -run '^$' -bench Commit ./indicators/storetest/
func BenchmarkCommit(b *testing.B) {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan"})
	stores := map[string]func(b *testing.B) storetest.Store{
		"sqlite": func(b *testing.B) storetest.Store {
			db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "b.db"), sqlite.WithLogger(quiet))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			return db
		},
		"postgres": func(b *testing.B) storetest.Store {
			db, err := postgres.Open(ctx, pgtest.Fresh(b), postgres.WithLogger(quiet),
				postgres.WithAuditKey(filepath.Join(b.TempDir(), "chitieu.key")))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			return db
		},
	}
	const values, chunk = 10000, 2000
	var changes []indicators.Change
	for i := 0; len(changes) < values; i++ {
		for _, typ := range []indicators.ValueType{indicators.PlanValue, indicators.EstimateValue, indicators.OfficialValue} {
			changes = append(changes, indicators.Change{Kind: indicators.NewValue, Reading: indicators.Reading{
				Key: indicators.Key{Indicator: "ECO-01", Unit: "CT-CU", Period: indicators.Period{Year: 1900 + i/12,
					Kind: indicators.Month, N: i%12 + 1}, Type: typ}, Value: float64(i), Sheet: "Số liệu", Cell: "E" + strconv.Itoa(i)}})
		}
	}
	changes = changes[:values]
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			db := stores[name](b)
			if _, err := db.LoadCatalog(ctx, storetest.SmallCatalog()); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				batch, err := db.BeginCommit(ctx, indicators.StagedBatch{Batch: indicators.Batch{FileName: "b.xlsx",
					SHA256: strings.Repeat("0", 64)}}, nil)
				if err != nil {
					b.Fatal(err)
				}
				for c := 0; c < len(changes); c += chunk {
					if err := db.WriteCommit(ctx, batch, changes[c:c+chunk]); err != nil {
						b.Fatal(err)
					}
				}
				batch.New = values
				if _, err := db.FinishCommit(ctx, batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(values*b.N)/b.Elapsed().Seconds(), "values/s")
		})
	}
}
