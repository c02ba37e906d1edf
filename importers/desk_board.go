package importers

import (
	"context"
	"errors"
	"time"

	"chitieu/indicators"
)

// boardWrite bounds a write to the board, so that a slow database does not
// hold a job's end or a request.
const boardWrite = 5 * time.Second

// record is t as the board holds it.
func (t *Task) record(state string) JobRecord {
	return JobRecord{ID: t.ID, User: t.User, Kind: string(t.Kind), File: t.File, Note: t.Note, Batch: t.Batch,
		Estimated: int64(t.Estimated), State: state, Started: t.Started}
}

// post records t's job, claimed by this server, before it starts, so that
// its page answers on any server at once.
func (d *Desk) post(ctx context.Context, t *Task) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), boardWrite)
	defer cancel()
	if err := d.board.PostJob(ctx, t.record(JobRunning)); err != nil {
		d.log.Error("could not record an import job for the other servers", "err", err, "task", t.ID)
	}
}

// follow beats j's progress onto the board while it runs and records how
// it ended.
func (d *Desk) follow(ctx context.Context, t *Task, j *Job) {
	defer d.following.Done()
	ctx = context.WithoutCancel(ctx)
	// Beats come several times within the silence that makes a job
	// taken for dead, even when the silence is set short.
	tick := time.NewTicker(min(jobBeat, d.silent/4))
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			d.mu.Lock()
			r := t.record(JobRunning)
			d.mu.Unlock()
			p := j.Progress()
			r.Rows, r.Queued, r.Estimated = p.Rows, p.Queued, max(r.Estimated, p.Estimated)
			wctx, cancel := context.WithTimeout(ctx, boardWrite)
			if err := d.board.BeatJob(wctx, r); err != nil {
				d.log.Warn("could not record an import job's progress", "err", err, "task", t.ID)
			}
			cancel()
		case <-j.Done():
			d.mu.Lock()
			r := t.record(JobDone)
			held := !t.held.IsZero()
			d.mu.Unlock()
			res, err := j.Result()
			p := j.Progress()
			r.Rows, r.Estimated, r.Ended = p.Rows, max(r.Estimated, p.Estimated), d.now()
			if res != nil && r.Batch == 0 {
				r.Batch = res.Batch
			}
			if err != nil || held {
				r.State = JobFailed
				r.ErrVI, r.ErrEN = jobError(err, held)
			}
			wctx, cancel := context.WithTimeout(ctx, boardWrite)
			if err := d.board.EndJob(wctx, r); err != nil {
				d.log.Error("could not record the end of an import job", "err", err, "task", t.ID)
			}
			cancel()
			return
		}
	}
}

// jobError says in both languages why a job failed, for the pages of the
// other servers.
func jobError(err error, held bool) (vi, en string) {
	var de *indicators.Error
	switch {
	case held:
		return "tệp cần một hồ sơ ánh xạ; hãy mở lượt nhập trên máy chủ đã nhận tệp, hoặc tải tệp lên lại",
			"the file needs a mapping profile; open the import on the server that received it, or upload the file again"
	case errors.As(err, &de):
		return de.Message, de.English
	case errors.Is(err, context.Canceled):
		return "máy chủ đã dừng trước khi lượt nhập xong; không số liệu nào của lượt này được ghi; hãy thử lại",
			"the server stopped before the import ended; none of its values were written; try again"
	}
	return "lượt nhập gặp lỗi nội bộ; không số liệu nào của lượt này được ghi; hãy thử lại hoặc báo quản trị",
		"the import failed inside the server; none of its values were written; try again or tell an administrator"
}

// remoteTask reads a task another server runs, or ran, from the board.
func (d *Desk) remoteTask(id string) (*Task, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), boardWrite)
	defer cancel()
	r, ok, err := d.board.Job(ctx, id)
	if err != nil {
		d.log.Error("could not read an import job of another server", "err", err, "task", id)
		return nil, false
	}
	if !ok {
		return nil, false
	}
	return &Task{ID: r.ID, User: r.User, Kind: TaskKind(r.Kind), File: r.File, Note: r.Note, Started: r.Started,
		Estimated: int(r.Estimated), Batch: r.Batch, remote: true}, true
}

// remoteState reads where a task of another server stands.
func (d *Desk) remoteState(t *Task) TaskState {
	ctx, cancel := context.WithTimeout(context.Background(), boardWrite)
	defer cancel()
	r, ok, err := d.board.Job(ctx, t.ID)
	if err != nil || !ok {
		if err == nil {
			err = indicators.FieldError(indicators.ENOTFOUND, "",
				"không còn lượt nhập "+t.ID, "the import "+t.ID+" is no longer there")
		}
		return TaskState{Batch: t.Batch, Err: err}
	}
	st := TaskState{Running: r.State == JobRunning, Batch: r.Batch,
		Progress: Progress{Rows: r.Rows, Estimated: r.Estimated, Queued: r.Queued, Done: r.State != JobRunning}}
	if r.State == JobFailed {
		st.Err = indicators.FieldError(indicators.ECONFLICT, "file", r.ErrVI, r.ErrEN)
	}
	return st
}

// watch looks, a few times per silent period, for jobs whose server has
// stopped beating them, and takes them over.
func (d *Desk) watch() {
	tick := time.NewTicker(max(d.silent/4, 50*time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-d.stop:
			return
		case <-tick.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), boardWrite)
		jobs, err := d.board.ClaimSilent(ctx, d.silent)
		cancel()
		if err != nil {
			d.log.Warn("could not look for import jobs of stopped servers", "err", err)
			continue
		}
		for _, r := range jobs {
			d.takeOver(r)
		}
	}
}

// errServerGone fails a preview whose server stopped: its upload was on
// that server's disk.
var errServerGone = indicators.FieldError(indicators.ECONFLICT, "file",
	"máy chủ đọc tệp này đã dừng giữa chừng; không có gì được ghi; hãy tải tệp lên lại",
	"the server reading this file stopped midway; nothing was written; upload the file again")

// takeOver continues a job whose server died: a commit is withdrawn where
// it was cut off and run again here from its staged batch, which the
// database holds whole; a preview fails, since its upload is gone with its
// server.
func (d *Desk) takeOver(r JobRecord) {
	d.log.Warn("taking over an import job whose server stopped", "task", r.ID, "kind", r.Kind, "batch", r.Batch, "user", r.User)
	if r.Kind != string(CommitTask) || r.Batch == 0 {
		r.State, r.Ended = JobFailed, d.now()
		var de *indicators.Error
		errors.As(errServerGone, &de)
		r.ErrVI, r.ErrEN = de.Message, de.English
		ctx, cancel := context.WithTimeout(context.Background(), boardWrite)
		defer cancel()
		if err := d.board.EndJob(ctx, r); err != nil {
			d.log.Error("could not fail an import job of a stopped server", "err", err, "task", r.ID)
		}
		return
	}
	t := &Task{ID: r.ID, User: r.User, Kind: CommitTask, File: r.File, Note: r.Note, Batch: r.Batch, Estimated: int(r.Estimated)}
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return
	}
	t.Started = r.Started
	d.tasks[t.ID] = t
	d.mu.Unlock()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: r.User})
	d.start(ctx, t, func(ctx context.Context, progress func(Progress)) (*Result, error) {
		staged, err := d.im.Store.StagedBatch(ctx, t.Batch)
		if err != nil {
			return nil, err
		}
		if staged.State == indicators.Committed {
			return nil, nil // its server finished it before dying
		}
		var de *indicators.Error
		if err := d.im.Store.AbortCommit(ctx, t.Batch, "server stopped"); err != nil && !(errors.As(err, &de) && de.Code == indicators.ECONFLICT) {
			return nil, err
		}
		res, err := d.im.CommitConfirmed(ctx, t.Batch, t.Note, progress)
		if err == nil && res != nil {
			d.mu.Lock()
			d.keepLocked(t.Batch, res)
			d.mu.Unlock()
		}
		return res, err
	})
}
