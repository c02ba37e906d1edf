package importers

import (
	"context"
	"sync"
)

// Job is an import running in the background: the web runs uploads over
// BackgroundRows rows this way and shows their progress, so that a slow or
// closed browser neither stops nor waits on them.
type Job struct {
	cancel context.CancelFunc
	done   chan struct{}

	mu       sync.Mutex
	progress Progress
	res      *Result
	err      error
}

// Start runs work in the background. Its context keeps the values of ctx —
// the actor above all — but not its cancellation or deadline: the job ends
// when work returns or Cancel is called.
func Start(ctx context.Context, work func(ctx context.Context, progress func(Progress)) (*Result, error)) *Job {
	jctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	j := &Job{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(j.done)
		defer cancel()
		res, err := work(jctx, j.setProgress)
		j.mu.Lock()
		j.res, j.err = res, err
		j.progress.Done = true
		j.mu.Unlock()
	}()
	return j
}

func (j *Job) setProgress(p Progress) {
	j.mu.Lock()
	j.progress = p
	j.mu.Unlock()
}

// Progress returns how far the job has come.
func (j *Job) Progress() Progress {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.progress
}

// Done is closed when the job has ended.
func (j *Job) Done() <-chan struct{} { return j.done }

// Result returns what the job gave; both are nil while it runs.
func (j *Job) Result() (*Result, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.res, j.err
}

// Cancel stops the job; a commit in progress is withdrawn whole.
func (j *Job) Cancel() { j.cancel() }
