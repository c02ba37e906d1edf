package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"chitieu/indicators/catalog"
)

// The read pool keeps a query prepared and runs it again as it stands
// now: a kept statement holds no snapshot between runs. A query that does
// not prepare gets its error and is not kept.
func TestReadPoolKeepsStatementsAndSeesNewWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.db")
	w, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.ExecContext(ctx, `CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	r, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		t.Fatal(err)
	}
	p := &readPool{DB: r}
	defer p.Close()

	read := func() int {
		t.Helper()
		var x int
		if err := p.QueryRowContext(ctx, `SELECT x FROM t`).Scan(&x); err != nil {
			t.Fatal(err)
		}
		return x
	}
	for want := 1; want <= 3; want++ {
		if got := read(); got != want {
			t.Errorf("read %d, want %d", got, want)
		}
		rows, err := p.QueryContext(ctx, `SELECT x FROM t`)
		if err != nil {
			t.Fatal(err)
		}
		rows.Close()
		if _, err := w.ExecContext(ctx, `UPDATE t SET x = x + 1`); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.QueryContext(ctx, `SELECT x FROM missing`); err == nil {
		t.Error("a query of a missing table ran")
	}
	if len(p.stmts) != 1 {
		t.Errorf("the pool keeps %d statements, want 1 (SELECT x FROM t)", len(p.stmts))
	}

	// A full pool runs a new query unprepared and keeps no more.
	kept := p.stmts[`SELECT x FROM t`]
	for i := len(p.stmts); i < maxStatements; i++ {
		p.stmts[fmt.Sprint("filler ", i)] = kept
	}
	var x int
	if err := p.QueryRowContext(ctx, `SELECT x + 1 FROM t`).Scan(&x); err != nil || x != 5 {
		t.Errorf("a query on a full pool = %d, %v; want 5", x, err)
	}
	if len(p.stmts) != maxStatements {
		t.Errorf("a full pool keeps %d statements, want %d", len(p.stmts), maxStatements)
	}
}

// BenchmarkReadPool runs two of the store's queries on the read pool, as
// SQLite parses them at every call (unprepared) and as the pool keeps them.
func BenchmarkReadPool(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "b.db"), WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	cat, err := catalog.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.LoadCatalog(ctx, cat); err != nil {
		b.Fatal(err)
	}
	var id int64
	var at string
	for _, q := range []struct {
		name, text string
		args       []any
		dest       []any
	}{
		{"data version", dataVersionQuery, nil, []any{&id, &at}},
		{"session", sessionQuery, []any{"no such session"}, nil}, // no row: the work is the query's
	} {
		for _, way := range []struct {
			name string
			row  func(context.Context, string, ...any) *sql.Row
		}{{"unprepared", db.read.DB.QueryRowContext}, {"kept", db.read.QueryRowContext}} {
			b.Run(q.name+"/"+way.name, func(b *testing.B) {
				for b.Loop() {
					if err := way.row(ctx, q.text, q.args...).Scan(q.dest...); err != nil && err != sql.ErrNoRows {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
