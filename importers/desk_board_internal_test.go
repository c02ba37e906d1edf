package importers

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"chitieu/indicators"
)

// memBoard is a JobBoard in memory, standing for the database the servers
// share.
type memBoard struct {
	mu     sync.Mutex
	jobs   map[string]JobRecord
	silent []JobRecord // handed out once by ClaimSilent
}

func (b *memBoard) PostJob(_ context.Context, j JobRecord) error { return b.put(j) }
func (b *memBoard) BeatJob(_ context.Context, j JobRecord) error { return b.put(j) }
func (b *memBoard) EndJob(_ context.Context, j JobRecord) error  { return b.put(j) }

func (b *memBoard) put(j JobRecord) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.jobs[j.ID] = j
	return nil
}

func (b *memBoard) Job(_ context.Context, id string) (JobRecord, bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	j, ok := b.jobs[id]
	return j, ok, nil
}

func (b *memBoard) ClaimSilent(context.Context, time.Duration) ([]JobRecord, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.silent
	b.silent = nil
	return out, nil
}

// A desk on a shared board shows another server's job to its owner only,
// with the progress the board holds, and fails a preview whose server
// stopped with a sentence asking for the file again: its upload is gone.
func TestDeskFollowsAndFailsJobsOfOtherServers(t *testing.T) {
	started := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	board := &memBoard{jobs: map[string]JobRecord{
		"remote1": {ID: "remote1", User: "lan", Kind: string(CommitTask), File: "b.xlsx", Batch: 4, Estimated: 900, Rows: 300,
			State: JobRunning, Started: started},
	}}
	d := NewDesk(DeskConfig{Importer: &Importer{}, Board: board, Silent: 40 * time.Millisecond})
	defer d.Close()
	if _, ok := d.Task("remote1", indicators.User{Name: "minh", Role: indicators.Planner}); ok {
		t.Fatal("another planner sees lan's job")
	}
	task, ok := d.Task("remote1", indicators.User{Name: "lan", Role: indicators.Planner})
	if !ok || task.Kind != CommitTask || task.Batch != 4 || task.File != "b.xlsx" {
		t.Fatalf("lan's job of another server = %+v, %v", task, ok)
	}
	if st := d.State(task); !st.Running || st.Progress.Rows != 300 || st.Progress.Estimated != 900 || st.Err != nil {
		t.Fatalf("state of the running job = %+v; want running at 300 of 900 rows", st)
	}
	board.put(JobRecord{ID: "remote1", User: "lan", Kind: string(CommitTask), Batch: 4, State: JobDone, Rows: 900, Started: started})
	if st := d.State(task); st.Running || st.Err != nil || st.Batch != 4 || !st.Progress.Done {
		t.Fatalf("state of the ended job = %+v; want done, batch 4", st)
	}
	// A preview whose server stopped is failed, not run again.
	dead := JobRecord{ID: "remote2", User: "lan", Kind: string(PreviewTask), File: "c.xlsx", State: JobRunning, Started: started}
	board.put(dead)
	board.mu.Lock()
	board.silent = []JobRecord{dead}
	board.mu.Unlock()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if j, _, _ := board.Job(context.Background(), "remote2"); j.State == JobFailed {
			if !strings.Contains(j.ErrVI, "tải tệp lên lại") || !strings.Contains(j.ErrEN, "upload the file again") || j.Ended.IsZero() {
				t.Fatalf("the preview of a stopped server failed as %+v; want a sentence asking for the file again", j)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the preview of a stopped server was not failed")
		}
		time.Sleep(10 * time.Millisecond)
	}
	task, _ = d.Task("remote2", indicators.User{Name: "lan"})
	if st := d.State(task); st.Running || st.Err == nil || !strings.Contains(indicators.ErrorMessage(st.Err), "tải tệp lên lại") {
		t.Fatalf("state of the failed preview = %+v", st)
	}
}
