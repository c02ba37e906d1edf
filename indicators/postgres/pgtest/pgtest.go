// Package pgtest gives tests a PostgreSQL database of their own: a fresh
// schema in the database that CHITIEU_TEST_POSTGRES names, dropped when
// the test ends. Without that variable the test is skipped, saying why,
// except under CI=true, where a missing PostgreSQL is a failure.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Env is the variable that names the test database.
const Env = "CHITIEU_TEST_POSTGRES"

// URL returns the connection string of the test database, or skips t
// (fails it under CI=true) when none is named.
func URL(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(Env)
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: CI must run the PostgreSQL tests (.ci/run starts a cluster with .ci/postgres)", Env)
		}
		t.Skipf("skipped: %s is not set; start a throwaway cluster with `.ci/postgres start /tmp/chitieu-pg` and export the line it prints", Env)
	}
	return dsn
}

// Fresh creates a schema of its own in the test database for t and
// returns a connection string whose search_path is that schema, so that
// tests run side by side without seeing each other's tables. The schema is
// dropped when t ends.
func Fresh(t testing.TB) string {
	t.Helper()
	base := URL(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to %s: %v", Env, err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + strings.ToLower(hex.EncodeToString(b))
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return WithSchema(t, base, schema)
}

// WithSchema is dsn with its search_path set to schema.
func WithSchema(t testing.TB, dsn, schema string) string {
	t.Helper()
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatalf("%s is not a URL: %v", Env, err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " search_path=" + schema
}
