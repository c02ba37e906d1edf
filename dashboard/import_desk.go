package dashboard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"chitieu/importers"
	"chitieu/indicators"
)

// The import desk keeps the imports under way on this server. Every
// preview and commit runs as an importers.Job that belongs to the server,
// not to the request: the request that started it waits for a small file
// and then shows the outcome, while a large one (over
// importers.BackgroundRows rows) goes on after the answer, its page showing
// the progress; a slow browser or a closed tab stops neither. Each task is
// keyed to its user. An upload whose shape no profile knows is held while
// its planner makes a mapping profile. Previews list their first changes
// and rejected cells in memory, by batch; the batch itself, with its file,
// is in the store.

// Limits of the desk.
const (
	importTasksPerUser   = 20               // tasks kept per user; the oldest ended ones go first
	importRunningPerUser = 2                // jobs one user may have running at once
	importTaskKept       = 24 * time.Hour   // how long an ended task stays listed
	importUploadHeld     = time.Hour        // how long an upload waits for its profile
	importResultsKept    = 64               // batches whose full preview stays in memory
	importWaitInRequest  = 90 * time.Second // how long a request waits for a small file's job
	importShutdownWait   = 30 * time.Second // how long Close waits for jobs to notice the cancel
)

// importTaskKind is what a task does.
type importTaskKind string

const (
	previewTask importTaskKind = "preview" // preview and stage an upload
	commitTask  importTaskKind = "commit"  // commit a staged batch
)

// importTask is one upload or commit under way, or lately ended.
type importTask struct {
	ID        string
	User      string
	Kind      importTaskKind
	File      string
	Started   time.Time
	Estimated int   // rows the file holds, roughly
	Batch     int64 // the batch committed, or the batch a preview staged

	opts   importers.Options
	note   string // the note confirming a commit's plausibility warnings
	job    *importers.Job
	upload *importers.Upload // the temporary copy, while a job reads it or a profile is being made
	held   time.Time         // when the upload was held for a profile; zero when not held
	ended  time.Time
}

// importDesk is the server's registry of import tasks.
type importDesk struct {
	im      *importers.Importer
	batches indicators.BatchReader
	limit   int64 // bytes an upload may have
	// background is the size, in rows, from which a file runs as a
	// background job.
	background int
	now        func() time.Time
	log        *slog.Logger

	mu      sync.Mutex
	tasks   map[string]*importTask
	results map[int64]*importers.Result
	order   []int64 // batches of results, oldest first
	closed  bool
}

func newImportDesk(im *importers.Importer, batches indicators.BatchReader, limit int64, background int, now func() time.Time,
	log *slog.Logger) *importDesk {
	return &importDesk{im: im, batches: batches, limit: limit, background: background, now: now, log: log,
		tasks: map[string]*importTask{}, results: map[int64]*importers.Result{}}
}

// limits are the upload limits of the desk.
func (d *importDesk) limits() importers.Limits {
	l := d.im.Limits
	l.MaxBytes = d.limit
	return l
}

// errImportBusy refuses a user a third job while two run.
var errImportBusy = indicators.FieldError(indicators.ECONFLICT, "file",
	fmt.Sprintf("bạn đang có %d lượt nhập chạy; hãy chờ một lượt xong rồi thử lại", importRunningPerUser),
	fmt.Sprintf("you have %d imports running; wait for one to end and try again", importRunningPerUser))

// errImportClosed refuses work while the server stops.
var errImportClosed = indicators.FieldError(indicators.ECONFLICT, "file",
	"máy chủ đang dừng; hãy thử lại sau ít phút", "the server is stopping; try again in a few minutes")

// add registers a task before its job starts, refusing a user too many
// running jobs.
func (d *importDesk) add(t *importTask) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return errImportClosed
	}
	d.pruneLocked()
	running := 0
	for _, o := range d.tasks {
		if o.User == t.User && o.job != nil && o.ended.IsZero() {
			running++
		}
	}
	if running >= importRunningPerUser {
		return errImportBusy
	}
	t.ID, t.Started = newToken(), d.now()
	d.tasks[t.ID] = t
	return nil
}

// remove forgets a task and removes its upload.
func (d *importDesk) remove(t *importTask) {
	d.mu.Lock()
	delete(d.tasks, t.ID)
	u := t.upload
	t.upload = nil
	d.mu.Unlock()
	u.Close()
}

// task returns a task of user's; an admin sees every task.
func (d *importDesk) task(id string, u indicators.User) (*importTask, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.pruneLocked()
	t, ok := d.tasks[id]
	if !ok || (t.User != u.Name && u.Role != indicators.Admin) {
		return nil, false
	}
	return t, true
}

// ofUser lists a user's tasks, newest first.
func (d *importDesk) ofUser(user string) []*importTask {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.pruneLocked()
	var out []*importTask
	for _, t := range d.tasks {
		if t.User == user {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b *importTask) int { return b.Started.Compare(a.Started) })
	return out
}

// pruneLocked forgets tasks ended long ago, removes uploads held too long
// for a profile, and keeps at most importTasksPerUser tasks a user.
func (d *importDesk) pruneLocked() {
	now := d.now()
	perUser := map[string][]*importTask{}
	for id, t := range d.tasks {
		switch {
		case !t.held.IsZero() && now.Sub(t.held) > importUploadHeld,
			!t.ended.IsZero() && t.held.IsZero() && now.Sub(t.ended) > importTaskKept:
			delete(d.tasks, id)
			t.upload.Close()
			t.upload = nil
			continue
		}
		perUser[t.User] = append(perUser[t.User], t)
	}
	for _, ts := range perUser {
		if len(ts) <= importTasksPerUser {
			continue
		}
		slices.SortFunc(ts, func(a, b *importTask) int { return a.Started.Compare(b.Started) })
		for _, t := range ts[:len(ts)-importTasksPerUser] {
			if !t.ended.IsZero() {
				delete(d.tasks, t.ID)
				t.upload.Close()
				t.upload = nil
			}
		}
	}
}

// needsProfile reports whether err asks for a mapping profile: no shape
// fits the file, or the profile chosen does not fit it.
func needsProfile(err error) bool {
	var de *indicators.Error
	return errors.As(err, &de) && de.Code == indicators.EINVALID && de.Field == "profile"
}

// startPreview runs a preview of t's upload that stages the batch when no
// cell is rejected. The upload is removed when the job ends, unless the
// file needs a mapping profile first: then it is held for the profile page.
func (d *importDesk) startPreview(ctx context.Context, t *importTask) {
	d.start(ctx, t, func(ctx context.Context, progress func(importers.Progress)) (*importers.Result, error) {
		opts := t.opts
		opts.Progress = progress
		res, err := d.im.Stage(ctx, t.upload, opts)
		d.mu.Lock()
		defer d.mu.Unlock()
		if needsProfile(err) && !d.closed {
			t.held = d.now()
			return res, err
		}
		t.upload.Close()
		t.upload = nil
		if err == nil && res != nil && res.Batch != 0 {
			t.Batch = res.Batch
			d.keepLocked(res.Batch, res)
		}
		return res, err
	})
}

// startCommit commits t.Batch, a staged batch.
func (d *importDesk) startCommit(ctx context.Context, t *importTask) {
	d.start(ctx, t, func(ctx context.Context, progress func(importers.Progress)) (*importers.Result, error) {
		res, err := d.im.CommitConfirmed(ctx, t.Batch, t.note, progress)
		if err == nil && res != nil {
			d.mu.Lock()
			d.keepLocked(t.Batch, res)
			d.mu.Unlock()
		}
		return res, err
	})
}

// start runs work as t's job, marking the task ended when it returns. The
// job keeps the request's actor but not its cancellation.
func (d *importDesk) start(ctx context.Context, t *importTask, work func(context.Context, func(importers.Progress)) (*importers.Result, error)) {
	d.mu.Lock()
	t.held, t.ended = time.Time{}, time.Time{}
	t.job = importers.Start(ctx, func(ctx context.Context, progress func(importers.Progress)) (*importers.Result, error) {
		res, err := work(ctx, progress)
		var de *indicators.Error
		if err != nil && !errors.As(err, &de) && !errors.Is(err, context.Canceled) {
			d.log.Error("import failed", "err", err, "task", t.ID, "user", t.User, "file", t.File, "batch", t.Batch)
		}
		d.mu.Lock()
		t.ended = d.now()
		d.mu.Unlock()
		return res, err
	})
	d.mu.Unlock()
}

// wait waits for t's job to end, for at most importWaitInRequest or until ctx
// ends; it reports whether the job ended.
func (d *importDesk) wait(ctx context.Context, t *importTask) bool {
	timer := time.NewTimer(importWaitInRequest)
	defer timer.Stop()
	select {
	case <-t.job.Done():
		return true
	case <-timer.C:
	case <-ctx.Done():
	}
	return false
}

// keepLocked keeps the full preview of a batch, forgetting the oldest.
func (d *importDesk) keepLocked(batch int64, res *importers.Result) {
	if _, ok := d.results[batch]; !ok {
		d.order = append(d.order, batch)
	}
	d.results[batch] = res
	for len(d.order) > importResultsKept {
		delete(d.results, d.order[0])
		d.order = d.order[1:]
	}
}

// result returns the full preview of a batch, if still in memory.
func (d *importDesk) result(batch int64) *importers.Result {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.results[batch]
}

// importTaskState is what a task's page shows of it.
type importTaskState struct {
	Running  bool
	Held     bool  // the upload waits for a mapping profile
	Batch    int64 // the batch staged or committed
	Progress importers.Progress
	Result   *importers.Result
	Err      error
}

// state reads where t stands.
func (d *importDesk) state(t *importTask) importTaskState {
	d.mu.Lock()
	st := importTaskState{Held: !t.held.IsZero(), Batch: t.Batch}
	job := t.job
	d.mu.Unlock()
	if job == nil {
		return st
	}
	st.Progress = job.Progress()
	select {
	case <-job.Done():
		st.Result, st.Err = job.Result()
	default:
		st.Running = true
	}
	return st
}

// close cancels the jobs still running, waits a while for them to end —
// a commit cancelled is rolled back whole — and removes every upload.
func (d *importDesk) close() {
	d.mu.Lock()
	d.closed = true
	var jobs []*importers.Job
	for _, t := range d.tasks {
		if t.job != nil {
			jobs = append(jobs, t.job)
			t.job.Cancel()
		}
	}
	d.mu.Unlock()
	deadline := time.After(importShutdownWait)
	for _, j := range jobs {
		select {
		case <-j.Done():
		case <-deadline:
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, t := range d.tasks {
		t.upload.Close()
		t.upload = nil
	}
}
