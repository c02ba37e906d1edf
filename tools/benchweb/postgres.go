package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"chitieu/dashboard"
	"chitieu/indicators/postgres"

	"chitieu/internal/jobboard"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The PostgreSQL side of the benchmark: two dashboard servers, each with
// its own connection pool as two `chitieu serve` on two hosts would have,
// on one database that the benchmark makes in the cluster it is given and
// keeps between runs (as it keeps the SQLite file), behind the balancer.

// makeDatabase makes the database name in the cluster that clusterURL
// reaches, unless it is there already, and returns the URL of that
// database (clusterURL with its database replaced) and whether it was
// made now. This is the one statement of the benchmark that is not the
// store's: a cluster's databases are the operator's, not chitieu's.
func makeDatabase(ctx context.Context, clusterURL, name string) (string, bool, error) {
	u, err := url.Parse(clusterURL)
	if err != nil || !postgres.IsURL(clusterURL) {
		return "", false, fmt.Errorf("benchweb: --postgres %q is not a postgres:// URL", postgres.Redact(clusterURL))
	}
	conn, err := pgx.Connect(ctx, clusterURL)
	if err != nil {
		return "", false, fmt.Errorf("benchweb: connect to %s: %w", postgres.Redact(clusterURL), err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	made := true
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "42P04" { // duplicate_database
			return "", false, fmt.Errorf("benchweb: create the database %s: %w", name, err)
		}
		made = false
	}
	u.Path = "/" + name
	u.RawPath = ""
	return u.String(), made, nil
}

// headsPath is the heads file of one writer of the benchmark's database
// (a server, or the write load): every writer records its own.
func headsPath(key, who string) string {
	return strings.TrimSuffix(key, ".key") + "-" + who + ".heads"
}

// pgPair is the two servers' stores of one PostgreSQL database.
type pgPair struct {
	url, key string
	dbs      [2]*postgres.DB
}

// openPair opens the database twice, once per server.
func openPair(ctx context.Context, url, key string) (*pgPair, error) {
	p := &pgPair{url: url, key: key}
	for i, who := range []string{"a", "b"} {
		db, err := openPostgres(ctx, url, key, headsPath(key, who))
		if err != nil {
			p.Close()
			return nil, err
		}
		p.dbs[i] = db
	}
	return p, nil
}

// Close closes both stores.
func (p *pgPair) Close() error {
	var errs []error
	for _, db := range p.dbs {
		if db != nil {
			errs = append(errs, db.Close())
		}
	}
	return errors.Join(errs...)
}

// serve starts a dashboard server on each store, as `chitieu serve` on
// PostgreSQL configures it (the import jobs in the database), and the
// balancer in front of them; all stop when ctx ends. It returns the
// balancer and the servers' own base URLs.
func (p *pgPair) serve(ctx context.Context, fullSpeed bool) (*balancer, []string, error) {
	var bases, addrs []string
	for _, db := range p.dbs {
		s, err := serverStore(db)
		if err != nil {
			return nil, nil, err
		}
		base, err := startServer(ctx, dashboard.Config{Store: s, ImportJobs: jobboard.OnPostgres(db.Jobs()), ImportsFullSpeed: fullSpeed})
		if err != nil {
			return nil, nil, err
		}
		bases = append(bases, base)
		addrs = append(addrs, strings.TrimPrefix(base, "http://"))
	}
	b, err := newBalancer(addrs)
	if err != nil {
		return nil, nil, err
	}
	go func() {
		<-ctx.Done()
		b.Close()
	}()
	return b, bases, nil
}
