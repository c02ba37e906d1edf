package postgres_test

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"chitieu/indicators"
	"chitieu/indicators/postgres"
	"chitieu/indicators/postgres/pgtest"
	"chitieu/indicators/storetest"
)

// fkCode is the code of a foreign-key violation.
const fkCode = "23503"

func sqlState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// TestValueReferencesHold checks the rule migration 0007 keeps with
// statement-level checks in place of data_values' foreign keys: a value
// names an indicator, unit and batch that exist, none of which can then be
// deleted or have its key changed; a commit naming an unknown indicator is
// refused whole.
func TestValueReferencesHold(t *testing.T) {
	dir := t.TempDir()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "root", Role: indicators.Admin})
	db, err := postgres.Open(ctx, pgtest.Fresh(t), postgres.WithLogger(quiet),
		postgres.WithAuditKey(filepath.Join(dir, "chitieu.key")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.LoadCatalog(ctx, storetest.SmallCatalog()); err != nil {
		t.Fatal(err)
	}
	pool := db.Pool()
	mustExec := func(q string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	mustExec(`INSERT INTO units (code, name_vi, kind) VALUES ('XA-1', 'Xã Một', 'commune'), ('XA-2', 'Xã Hai', 'commune')`)
	mustExec(`INSERT INTO batches (file_name, sha256, state, created_by, created_at) VALUES ('a.xlsx', 'aa', 'committed', 'root', now())`)
	var batch int64
	if err := pool.QueryRow(ctx, `SELECT max(id) FROM batches`).Scan(&batch); err != nil {
		t.Fatal(err)
	}
	insert := `INSERT INTO data_values (indicator, unit, period, year, type, value, batch, entered_by, entered_at)
		VALUES ($1, $2, '2024', 2024, 'official', 1, $3, 'root', now())`
	mustExec(insert, "ECO-01", "XA-1", batch)

	// Writing values that name what does not exist.
	for _, c := range []struct {
		ind, unit string
		batch     any
	}{{"NOPE-01", "XA-1", batch}, {"ECO-01", "NOPE", batch}, {"ECO-01", "XA-1", batch + 100}} {
		if _, err := pool.Exec(ctx, insert, c.ind, c.unit, c.batch); sqlState(err) != fkCode {
			t.Errorf("a value naming %s/%s/batch %v: err = %v, want a foreign-key violation", c.ind, c.unit, c.batch, err)
		}
	}
	if _, err := pool.Exec(ctx, `UPDATE data_values SET unit = 'NOPE'`); sqlState(err) != fkCode {
		t.Errorf("a value moved to an unknown unit: err = %v, want a foreign-key violation", err)
	}

	// Removing or renaming what a value names.
	for _, q := range []string{
		`DELETE FROM indicators WHERE code = 'ECO-01'`,
		`UPDATE indicators SET code = 'ECO-99' WHERE code = 'ECO-01'`,
		`DELETE FROM units WHERE code = 'XA-1'`,
		`UPDATE units SET code = 'XA-9' WHERE code = 'XA-1'`,
		`DELETE FROM batches WHERE id = ` + itoa(batch),
		`UPDATE batches SET id = id + 1000 WHERE id = ` + itoa(batch),
	} {
		if _, err := pool.Exec(ctx, q); sqlState(err) != fkCode {
			t.Errorf("%s: err = %v, want a foreign-key violation", q, err)
		}
	}
	// What no value names may go, and a change that keeps the key is free.
	mustExec(`UPDATE units SET name_en = 'Commune One' WHERE code = 'XA-1'`)
	mustExec(`UPDATE batches SET state = 'committed' WHERE id = $1`, batch)
	mustExec(`DELETE FROM units WHERE code = 'XA-2'`)
	mustExec(`INSERT INTO units (code, name_vi, kind) VALUES ('XA-2', 'Xã Hai', 'commune')`)

	// A commit whose chunk names an unknown indicator stores nothing.
	b, err := db.BeginCommit(ctx, indicators.StagedBatch{Batch: indicators.Batch{FileName: "b.xlsx", SHA256: strings.Repeat("0", 64)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	changes := []indicators.Change{
		{Kind: indicators.NewValue, Reading: indicators.Reading{Key: indicators.Key{Indicator: "ECO-01", Unit: "XA-2",
			Period: indicators.Period{Year: 2024}, Type: indicators.OfficialValue}, Value: 2, Sheet: "S", Cell: "B2"}},
		{Kind: indicators.NewValue, Reading: indicators.Reading{Key: indicators.Key{Indicator: "NOPE-01", Unit: "XA-2",
			Period: indicators.Period{Year: 2024}, Type: indicators.OfficialValue}, Value: 3, Sheet: "S", Cell: "B3"}},
	}
	if err := db.WriteCommit(ctx, b, changes); indicators.ErrorCode(err) != indicators.EINVALID {
		t.Errorf("a chunk naming an unknown indicator: err = %v, want invalid", err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM data_values WHERE unit = 'XA-2'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("values of the refused chunk stored: %d, %v", n, err)
	}

	// A transaction writing a value holds what it names: a deletion waits
	// for it and then fails; a deletion made first makes the write fail.
	held, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := held.Exec(ctx, insert, "ECO-01", "XA-2", batch); err != nil {
		t.Fatal(err)
	}
	deleted := make(chan error, 1)
	go func() {
		_, err := pool.Exec(context.Background(), `DELETE FROM units WHERE code = 'XA-2'`)
		deleted <- err
	}()
	select {
	case err := <-deleted:
		t.Fatalf("deleting a unit a pending value names did not wait: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := held.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-deleted; sqlState(err) != fkCode {
		t.Errorf("deleting a unit once its value committed: err = %v, want a foreign-key violation", err)
	}

	mustExec(`INSERT INTO units (code, name_vi, kind) VALUES ('XA-3', 'Xã Ba', 'commune')`)
	deleting, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer deleting.Rollback(ctx)
	if _, err := deleting.Exec(ctx, `DELETE FROM units WHERE code = 'XA-3'`); err != nil {
		t.Fatal(err)
	}
	wrote := make(chan error, 1)
	go func() {
		err := pgx.BeginFunc(context.Background(), pool, func(tx pgx.Tx) error {
			_, err := tx.Exec(context.Background(), insert, "ECO-01", "XA-3", batch)
			return err
		})
		wrote <- err
	}()
	select {
	case err := <-wrote:
		t.Fatalf("writing a value for a unit being deleted did not wait: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := deleting.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-wrote; sqlState(err) != fkCode {
		t.Errorf("writing a value for a unit deleted meanwhile: err = %v, want a foreign-key violation", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
