package importers_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"chitieu/importers"
)

// A background job commits an import, reporting progress, and outlives
// the request that started it.
func TestBackgroundJob(t *testing.T) {
	t.Parallel()
	db := openStore(t)
	im := newImporter(t, db)
	u := receive(t, longFile(t, "job.xlsx", []any{"ECO-01", "CT-CU", 2019, "Thực hiện", 7.9}))
	req, cancelRequest := context.WithCancel(planner())
	job := importers.Start(req, func(ctx context.Context, progress func(importers.Progress)) (*importers.Result, error) {
		return im.Import(ctx, u, importers.Options{Progress: progress})
	})
	cancelRequest() // the browser went away
	select {
	case <-job.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the job did not end")
	}
	res, err := job.Result()
	if err != nil || res.Batch == 0 {
		t.Fatalf("job result = %+v, %v", res, err)
	}
	if p := job.Progress(); !p.Done || p.Rows != 2 {
		t.Errorf("progress = %+v, want done after 2 rows", p)
	}
	b, err := db.Batch(context.Background(), res.Batch)
	if err != nil || b.CreatedBy != "lan" {
		t.Errorf("batch = %+v, %v; want it made by the planner who started the job", b, err)
	}
}

func TestCancellingAJob(t *testing.T) {
	t.Parallel()
	started := make(chan struct{})
	job := importers.Start(context.Background(), func(ctx context.Context, _ func(importers.Progress)) (*importers.Result, error) {
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	})
	<-started
	job.Cancel()
	<-job.Done()
	if _, err := job.Result(); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want cancelled", err)
	}
}

func TestEstimateRows(t *testing.T) {
	t.Parallel()
	var rows [][]any
	for i := 0; i < 2000; i++ {
		rows = append(rows, []any{"ECO-01", "CT-CU", 2000 + i%20, "Thực hiện", float64(i)})
	}
	n, err := importers.EstimateRows(receive(t, longFile(t, "e.xlsx", rows...)), importers.Limits{})
	if err != nil || n < 1000 || n > 10000 {
		t.Errorf("estimate for 2,001 rows = %d, %v; want the right order of magnitude", n, err)
	}
}
