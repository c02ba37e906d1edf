package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
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
}
