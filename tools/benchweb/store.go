package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"chitieu/dashboard"
	"chitieu/indicators"
	"chitieu/indicators/catalog"
	"chitieu/indicators/postgres"
	"chitieu/indicators/sqlite"
)

// store is what the benchmark itself does with a database besides serving
// it: fill it, seed the calendar, make its users. Both stores have it.
type store interface {
	LoadCatalog(ctx context.Context, c *indicators.Catalog) (indicators.CatalogResult, error)
	Indicators(ctx context.Context) ([]indicators.Indicator, error)
	Units(ctx context.Context) ([]indicators.Unit, error)
	Values(ctx context.Context, f indicators.ValueFilter) ([]indicators.Value, error)
	AddValues(ctx context.Context, vs []indicators.Value) error
	Plans(ctx context.Context) ([]indicators.Plan, error)
	Obligations(ctx context.Context, f indicators.ObligationFilter) ([]indicators.Obligation, error)
	AddObligation(ctx context.Context, o *indicators.Obligation) error
	CreateUser(ctx context.Context, u *indicators.User) error
	SetPassword(ctx context.Context, name, hash, keep string) error
	Close() error
}

var (
	_ store = (*sqlite.DB)(nil)
	_ store = (*postgres.DB)(nil)
)

// quiet is the stores' logger: the benchmark prints its own lines.
var quiet = slog.New(slog.DiscardHandler)

// openSQLite opens the SQLite file with the built-in catalogue loaded.
func openSQLite(ctx context.Context, path string) (*sqlite.DB, error) {
	db, err := sqlite.Open(ctx, path, sqlite.WithLogger(quiet))
	if err != nil {
		return nil, err
	}
	if err := loadCatalog(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// openPostgres opens a PostgreSQL database as `chitieu serve` does: with
// the audit key every server of the database shares, this server's own
// heads file and the built-in catalogue loaded.
func openPostgres(ctx context.Context, url, key, heads string) (*postgres.DB, error) {
	db, err := postgres.Open(ctx, url, postgres.WithLogger(quiet), postgres.WithAuditKey(key), postgres.WithHeadsFile(heads))
	if err != nil {
		return nil, fmt.Errorf("benchweb: open %s with the audit key %s (a database kept from an earlier run needs the key it was made with; "+
			"drop the database or give its key with --postgres-key): %w", postgres.Redact(url), key, err)
	}
	if err := loadCatalog(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func loadCatalog(ctx context.Context, db store) error {
	cat, err := catalog.Builtin()
	if err != nil {
		return err
	}
	if _, err := db.LoadCatalog(indicators.WithActor(ctx, indicators.Actor{User: "system"}), cat); err != nil {
		return fmt.Errorf("benchweb: load the built-in catalogue: %w", err)
	}
	return nil
}

// serverStore is db as the server's store. Checked at run time, as
// `chitieu serve` checks it, so that a page needing more of the store than
// PostgreSQL has yet stops the benchmark with a sentence, not the build.
func serverStore(db store) (dashboard.Store, error) {
	s, ok := db.(dashboard.Store)
	if !ok {
		return nil, errors.New("benchweb: the store does not have everything the server needs (chitieu serve says which methods)")
	}
	return s, nil
}
