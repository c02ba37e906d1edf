package importers

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"chitieu/indicators"
)

// Desk keeps the imports under way on a server. Every preview and commit
// runs as a Job that belongs to the server, not to the request: the
// request that started it waits for a small file and then shows the
// outcome, while a large one (over BackgroundRows rows) goes on after the
// answer, its page showing the progress; a slow browser or a closed tab
// stops neither. At most Workers uploads are read and previewed at once;
// the others wait their turn in a queue whose place each one's page shows,
// as commits wait theirs in the importer's commit queue. Each task is
// keyed to its user. An upload whose shape no profile knows is held while
// its planner makes a mapping profile. Previews list their first changes
// and rejected cells in memory, by batch; the batch itself, with its file,
// is in the store. The web's handlers are its only users; it holds no
// HTTP.

// Limits of the desk.
const (
	importTasksPerUser   = 20               // tasks kept per user; the oldest ended ones go first
	importRunningPerUser = 2                // jobs one user may have queued or running at once
	importTaskKept       = 24 * time.Hour   // how long an ended task stays listed
	importUploadHeld     = time.Hour        // how long an upload waits for its profile
	importResultsKept    = 64               // batches whose full preview stays in memory
	importWaitInRequest  = 90 * time.Second // how long a request waits for a small file's job
	importShutdownWait   = 30 * time.Second // how long Close waits for jobs to notice the cancel
)

// TaskKind is what a task does.
type TaskKind string

// Task kinds.
const (
	PreviewTask TaskKind = "preview" // preview and stage an upload
	CommitTask  TaskKind = "commit"  // commit a staged batch
)

// Task is one upload or commit under way, or lately ended.
type Task struct {
	ID        string
	User      string
	Kind      TaskKind
	File      string
	Started   time.Time
	Estimated int    // rows the file holds, roughly
	Batch     int64  // the batch committed, or the batch a preview staged
	Note      string // the planner's note confirming a commit's plausibility warnings

	// Options and Upload are what a preview reads; the desk owns the
	// upload once the task is added, and removes it.
	Options Options
	Upload  *Upload

	job    *Job
	remote bool      // a job of another server, read from the desk's board
	held   time.Time // when the upload was held for a profile; zero when not held
	ended  time.Time
}

// DeskConfig sets up a Desk.
type DeskConfig struct {
	Importer *Importer
	Limit    int64 // bytes an upload may have
	// Background is the size, in rows, from which a file runs as a
	// background job (BackgroundRows when zero).
	Background int
	// Workers is how many uploads are read and previewed at once (one when
	// zero); the others queue.
	Workers int
	Now     func() time.Time
	Log     *slog.Logger
	// Board, when set, records the jobs where every server of the
	// database reads them (PostgreSQL); Silent is how long a job may go
	// unbeaten before this desk takes it for its server dead (jobSilent
	// when zero).
	Board  JobBoard
	Silent time.Duration
}

// Desk is a server's registry of import tasks.
type Desk struct {
	im         *Importer
	limit      int64
	background int
	workers    *Queue
	now        func() time.Time
	log        *slog.Logger
	board      JobBoard
	silent     time.Duration
	stop       chan struct{} // closed by Close: the watch for dead servers' jobs ends
	following  sync.WaitGroup

	mu      sync.Mutex
	tasks   map[string]*Task
	results map[int64]*Result
	order   []int64 // batches of results, oldest first
	closed  bool
}

// NewDesk returns an empty desk.
func NewDesk(cfg DeskConfig) *Desk {
	d := &Desk{im: cfg.Importer, limit: cfg.Limit, background: cfg.Background, workers: NewQueue(cfg.Workers),
		now: cfg.Now, log: cfg.Log, tasks: map[string]*Task{}, results: map[int64]*Result{}}
	if d.background <= 0 {
		d.background = BackgroundRows
	}
	if d.now == nil {
		d.now = time.Now
	}
	if d.log == nil {
		d.log = slog.Default()
	}
	if d.board = cfg.Board; d.board != nil {
		d.silent, d.stop = cfg.Silent, make(chan struct{})
		if d.silent <= 0 {
			d.silent = jobSilent
		}
		go d.watch()
	}
	return d
}

// Importer is the importer the desk runs tasks with.
func (d *Desk) Importer() *Importer { return d.im }

// Limit is the size in bytes an upload may have.
func (d *Desk) Limit() int64 { return d.limit }

// Background reports whether a file of rows rows runs as a background job.
func (d *Desk) Background(rows int) bool { return rows > d.background }

// Workers is how many uploads are read at once.
func (d *Desk) Workers() int { return d.workers.Size() }

// Limits are the upload limits of the desk.
func (d *Desk) Limits() Limits {
	l := d.im.Limits
	l.MaxBytes = d.limit
	return l
}

// errImportBusy refuses a user a third job while two are queued or run.
var errImportBusy = indicators.FieldError(indicators.ECONFLICT, "file",
	fmt.Sprintf("bạn đang có %d lượt nhập chạy hoặc chờ; hãy chờ một lượt xong rồi thử lại", importRunningPerUser),
	fmt.Sprintf("you have %d imports running or waiting; wait for one to end and try again", importRunningPerUser))

// errImportClosed refuses work while the server stops.
var errImportClosed = indicators.FieldError(indicators.ECONFLICT, "file",
	"máy chủ đang dừng; hãy thử lại sau ít phút", "the server is stopping; try again in a few minutes")

// newTaskID returns a random task ID.
func newTaskID() string {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("importers: no randomness: " + err.Error()) // crypto/rand does not fail on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Add registers a task before its job starts, refusing a user too many
// running jobs. The desk owns t.Upload from now on.
func (d *Desk) Add(t *Task) error {
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
	t.ID, t.Started = newTaskID(), d.now()
	d.tasks[t.ID] = t
	return nil
}

// Remove forgets a task and removes its upload.
func (d *Desk) Remove(t *Task) {
	d.mu.Lock()
	delete(d.tasks, t.ID)
	u := t.Upload
	t.Upload = nil
	d.mu.Unlock()
	u.Close()
}

// Task returns a task of user's; an admin sees every task.
func (d *Desk) Task(id string, u indicators.User) (*Task, bool) {
	d.mu.Lock()
	d.pruneLocked()
	t, ok := d.tasks[id]
	d.mu.Unlock()
	if !ok && d.board != nil {
		t, ok = d.remoteTask(id) // another server's: read without holding the desk
	}
	if !ok || (t.User != u.Name && u.Role != indicators.Admin) {
		return nil, false
	}
	return t, true
}

// OfUser lists a user's tasks, newest first.
func (d *Desk) OfUser(user string) []*Task {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.pruneLocked()
	var out []*Task
	for _, t := range d.tasks {
		if t.User == user {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b *Task) int { return b.Started.Compare(a.Started) })
	return out
}

// pruneLocked forgets tasks ended long ago, removes uploads held too long
// for a profile, and keeps at most importTasksPerUser tasks a user.
func (d *Desk) pruneLocked() {
	now := d.now()
	perUser := map[string][]*Task{}
	for id, t := range d.tasks {
		switch {
		case !t.held.IsZero() && now.Sub(t.held) > importUploadHeld,
			!t.ended.IsZero() && t.held.IsZero() && now.Sub(t.ended) > importTaskKept:
			delete(d.tasks, id)
			t.Upload.Close()
			t.Upload = nil
			continue
		}
		perUser[t.User] = append(perUser[t.User], t)
	}
	for _, ts := range perUser {
		if len(ts) <= importTasksPerUser {
			continue
		}
		slices.SortFunc(ts, func(a, b *Task) int { return a.Started.Compare(b.Started) })
		for _, t := range ts[:len(ts)-importTasksPerUser] {
			if !t.ended.IsZero() {
				delete(d.tasks, t.ID)
				t.Upload.Close()
				t.Upload = nil
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

// Hold keeps t's upload for the profile page.
func (d *Desk) Hold(t *Task) {
	d.mu.Lock()
	t.held, t.ended = d.now(), d.now()
	d.mu.Unlock()
}

// HeldUpload returns the upload held for t's profile, starting its hour
// again (the planner is at it); false when none is held.
func (d *Desk) HeldUpload(t *Task) (*Upload, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if t.held.IsZero() || t.Upload == nil {
		return nil, false
	}
	t.held = d.now()
	return t.Upload, true
}

// SetOptions changes how t's upload is to be read, as a profile just made
// says.
func (d *Desk) SetOptions(t *Task, opts Options) {
	d.mu.Lock()
	t.Options = opts
	d.mu.Unlock()
}

// StartPreview runs a preview of t's upload that stages the batch when no
// cell is rejected, once a worker is free. The upload is removed when the
// job ends, unless the file needs a mapping profile first: then it is held
// for the profile page.
func (d *Desk) StartPreview(ctx context.Context, t *Task) {
	d.start(ctx, t, func(ctx context.Context, progress func(Progress)) (*Result, error) {
		var turn Ticket
		if err := d.waitWorker(ctx, &turn, progress); err != nil {
			d.mu.Lock()
			t.Upload.Close()
			t.Upload = nil
			d.mu.Unlock()
			return nil, err
		}
		defer d.workers.Leave(&turn)
		d.mu.Lock()
		opts := t.Options
		d.mu.Unlock()
		opts.Progress = progress
		res, err := d.im.Stage(ctx, t.Upload, opts)
		d.mu.Lock()
		defer d.mu.Unlock()
		if needsProfile(err) && !d.closed {
			t.held = d.now()
			return res, err
		}
		t.Upload.Close()
		t.Upload = nil
		if err == nil && res != nil && res.Batch != 0 {
			t.Batch = res.Batch
			d.keepLocked(res.Batch, res)
		}
		return res, err
	})
}

// waitWorker waits for a worker, telling progress the place in the queue
// while it waits.
func (d *Desk) waitWorker(ctx context.Context, t *Ticket, progress func(Progress)) error {
	stop := make(chan struct{})
	defer close(stop)
	report := func() {
		if place := d.workers.Place(t); place > 0 {
			progress(Progress{Queued: place})
		}
	}
	go func() {
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				report()
			case <-stop:
				return
			}
		}
	}()
	return d.workers.Wait(ctx, t)
}

// StartCommit commits t.Batch, a staged batch; the commit waits its turn
// in the importer's commit queue.
func (d *Desk) StartCommit(ctx context.Context, t *Task) {
	d.start(ctx, t, func(ctx context.Context, progress func(Progress)) (*Result, error) {
		res, err := d.im.CommitConfirmed(ctx, t.Batch, t.Note, progress)
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
func (d *Desk) start(ctx context.Context, t *Task, work func(context.Context, func(Progress)) (*Result, error)) {
	d.mu.Lock()
	t.held, t.ended = time.Time{}, time.Time{}
	if d.board != nil {
		d.post(ctx, t)
	}
	t.job = Start(ctx, func(ctx context.Context, progress func(Progress)) (*Result, error) {
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
	if d.board != nil {
		d.following.Add(1)
		go d.follow(ctx, t, t.job)
	}
	d.mu.Unlock()
}

// Wait waits for t's job to end, for at most importWaitInRequest or until
// ctx ends; it reports whether the job ended. It is called by a request
// being served, which stands aside meanwhile, or its own job would give
// way to it.
func (d *Desk) Wait(ctx context.Context, t *Task) bool {
	defer d.im.Foreground.Aside()()
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
func (d *Desk) keepLocked(batch int64, res *Result) {
	if _, ok := d.results[batch]; !ok {
		d.order = append(d.order, batch)
	}
	d.results[batch] = res
	for len(d.order) > importResultsKept {
		delete(d.results, d.order[0])
		d.order = d.order[1:]
	}
}

// Result returns the full preview of a batch, if still in memory.
func (d *Desk) Result(batch int64) *Result {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.results[batch]
}

// TaskState is where a task stands.
type TaskState struct {
	Running  bool
	Held     bool  // the upload waits for a mapping profile
	Batch    int64 // the batch staged or committed
	Progress Progress
	Result   *Result
	Err      error
}

// State reads where t stands.
func (d *Desk) State(t *Task) TaskState {
	d.mu.Lock()
	st := TaskState{Held: !t.held.IsZero(), Batch: t.Batch}
	job := t.job
	d.mu.Unlock()
	if t.remote {
		return d.remoteState(t)
	}
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

// Close cancels the jobs still running, waits a while for them to end —
// a commit cancelled is withdrawn whole — and removes every upload.
func (d *Desk) Close() {
	d.mu.Lock()
	if d.stop != nil && !d.closed {
		close(d.stop)
	}
	d.closed = true
	var jobs []*Job
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
	d.following.Wait() // each follow ends once its job has, writing how it ended
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, t := range d.tasks {
		t.Upload.Close()
		t.Upload = nil
	}
}
