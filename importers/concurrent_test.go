package importers_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"chitieu/importers"
	"chitieu/indicators"
	"chitieu/indicators/sqlite"
)

// heldStore signals each chunk a commit writes and then holds the commit
// until its context ends.
type heldStore struct {
	*sqlite.DB
	written chan int64
}

func (h *heldStore) WriteCommit(ctx context.Context, b indicators.StagedBatch, changes []indicators.Change) error {
	if err := h.DB.WriteCommit(ctx, b, changes); err != nil {
		return err
	}
	h.written <- b.ID
	<-ctx.Done()
	return ctx.Err()
}

// manyRows are n rows for CT-CU, each a different key: six indicators ×
// three value types × a month from January 2005 on.
func manyRows(n int) [][]any {
	var rows [][]any
	for i := range n {
		ind := []string{"ECO-01", "ECO-03", "ECO-04", "ECO-06", "SOC-01", "SOC-02"}[i%6]
		typ := []string{"Thực hiện", "Ước thực hiện", "Kế hoạch"}[i/6%3]
		m := i / 18
		rows = append(rows, []any{ind, "CT-CU", time.Date(2005+m/12, time.Month(m%12+1), 1, 0, 0, 0, 0, time.UTC).Format("2006-01"),
			typ, float64(i) / 10})
	}
	return rows
}

// A commit waits its turn behind another, telling its place; a commit
// stopped half-way (the server stopping, the job cancelled) leaves nothing
// a reader sees, and its batch is withdrawn whole, saying so in the audit
// trail.
func TestCommitsTakeTurnsAndAStoppedOneLeavesNothing(t *testing.T) {
	db := openStore(t)
	store := &heldStore{DB: db, written: make(chan int64, 1)}
	im := &importers.Importer{Store: store, TempDir: t.TempDir(), Commits: importers.NewQueue(1)}
	path := longFile(t, "many.xlsx", manyRows(2500)...)
	v0, _, _ := counts(t, db)

	// Another commit holds the turn: this one waits, and says where.
	var other importers.Ticket
	if err := im.Commits.Wait(context.Background(), &other); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(planner())
	defer cancel()
	var place atomic.Int64
	done := make(chan error, 1)
	go func() {
		_, err := im.Import(ctx, receive(t, path), importers.Options{Progress: func(p importers.Progress) {
			if p.Queued > 0 {
				place.Store(int64(p.Queued))
			}
		}})
		done <- err
	}()
	for deadline := time.Now().Add(5 * time.Second); place.Load() == 0 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	if place.Load() != 1 {
		t.Fatalf("the waiting commit's place = %d, want 1", place.Load())
	}
	select {
	case <-store.written:
		t.Fatal("a commit wrote while another held the turn")
	case <-time.After(300 * time.Millisecond):
	}
	im.Commits.Leave(&other)

	// Its first chunk is written; readers see none of it. Then it stops.
	var batch int64
	select {
	case batch = <-store.written:
	case err := <-done:
		t.Fatalf("the commit ended before writing: %v", err)
	}
	if n, _ := db.CountValues(context.Background(), indicators.ValueFilter{Batch: batch}); n != 0 {
		t.Errorf("readers see %d values of a batch half written", n)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("the stopped commit returned %v", err)
	}
	if v, _, _ := counts(t, db); v != v0 {
		t.Errorf("values: %d before, %d after a stopped commit", v0, v)
	}
	b, err := db.Batch(context.Background(), batch)
	if err != nil || b.State != indicators.Previewed {
		t.Errorf("the stopped batch = %+v, %v; want it previewed, with no value", b, err)
	}
	evs, _ := db.AuditEvents(context.Background(), indicators.AuditFilter{Action: "batch.abort"})
	if len(evs) != 1 || evs[0].Batch != batch {
		t.Errorf("abort events = %+v, want one for batch %d", evs, batch)
	}
	// The turn is free again: the same file commits whole.
	im.Store = db
	// Its made-up values are far from plausible: confirmed with a note.
	res, err := im.Import(planner(), receive(t, path), importers.Options{ConfirmNote: "số liệu thử"})
	if err != nil || res.New != 2500 {
		t.Fatalf("the commit after = %+v, %v", res, err)
	}
	if n, _ := db.CountValues(context.Background(), indicators.ValueFilter{Batch: res.Batch}); n != 2500 {
		t.Errorf("the batch holds %d values, want 2500", n)
	}
}
