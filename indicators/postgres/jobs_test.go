package postgres_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"chitieu/indicators/postgres"
	"chitieu/indicators/postgres/pgtest"
)

// TestImportJobsAcrossServers: a job posted by one server is read with its
// progress by another; once its server stops beating it, servers looking
// for silent jobs at once claim it exactly once between them, and the
// server that lost it can no longer write it.
func TestImportJobsAcrossServers(t *testing.T) {
	dsn := pgtest.Fresh(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "chitieu.key")
	if err := os.WriteFile(key, []byte(strings.Repeat("6d", 32)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a := server(t, dsn, key, filepath.Join(dir, "a.heads")).Jobs()
	b := server(t, dsn, key, filepath.Join(dir, "b.heads")).Jobs()
	c := server(t, dsn, key, filepath.Join(dir, "c.heads")).Jobs()
	ctx := context.Background()
	started := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	job := postgres.ImportJob{ID: "job1", User: "lan", Kind: "commit", File: "bieu01.xlsx", Batch: 7, Estimated: 900, Started: started}
	if err := a.PostJob(ctx, job); err != nil {
		t.Fatal(err)
	}
	job.Rows = 300
	if err := a.BeatJob(ctx, job); err != nil {
		t.Fatal(err)
	}
	got, ok, err := b.Job(ctx, "job1")
	if err != nil || !ok || got.State != "running" || got.Rows != 300 || got.User != "lan" || got.Batch != 7 || !got.Started.Equal(started) {
		t.Fatalf("B reads A's job = %+v, %v, %v; want it running at 300 rows", got, ok, err)
	}
	if _, ok, err := b.Job(ctx, "nope"); ok || err != nil {
		t.Fatalf("B reads a job nobody posted = %v, %v; want none", ok, err)
	}
	// A beats it: it is not silent for a minute.
	if claimed, err := b.ClaimSilent(ctx, time.Minute); err != nil || len(claimed) != 0 {
		t.Fatalf("claim a beaten job = %v, %v; want none", claimed, err)
	}
	// A stops beating; B and C look at once, 5 times each. The claim
	// renews the beat, so the others must look within the silence: three
	// seconds leave room for a loaded machine's scheduling.
	time.Sleep(3200 * time.Millisecond)
	var mu sync.Mutex
	claims := map[string]int{}
	var wg sync.WaitGroup
	for _, j := range []*postgres.Jobs{b, c} {
		for range 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := j.ClaimSilent(ctx, 3*time.Second)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				for _, r := range got {
					claims[j.Server()+" "+r.ID]++
				}
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	if len(claims) != 1 {
		t.Fatalf("claims = %v; want job1 claimed once by one server", claims)
	}
	owner := b
	if _, ok := claims[c.Server()+" job1"]; ok {
		owner = c
	}
	// A, wrongly taken for dead, writes nothing more to it.
	if err := a.EndJob(ctx, postgres.ImportJob{ID: "job1", State: "done", Rows: 900, Ended: started}); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := b.Job(ctx, "job1"); got.State != "running" {
		t.Fatalf("after A, no longer its owner, ended it: %+v; want it still running for its new owner", got)
	}
	if err := owner.EndJob(ctx, postgres.ImportJob{ID: "job1", State: "failed", ErrVI: "máy chủ đã dừng", ErrEN: "server stopped", Ended: started.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := a.Job(ctx, "job1"); got.State != "failed" || got.ErrEN != "server stopped" || !got.Ended.Equal(started.Add(time.Minute)) {
		t.Fatalf("A reads the job its new owner failed = %+v", got)
	}
	if claimed, err := c.ClaimSilent(ctx, 0); err != nil || len(claimed) != 0 {
		t.Fatalf("claim an ended job = %v, %v; want none", claimed, err)
	}
}
