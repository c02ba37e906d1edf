package dashboard

import (
	"context"
	"net/http"
	"time"

	"chitieu/importers"
	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// importJobData is what the page of an import task draws: its progress while it
// runs; once it has ended, the preview of a file that stages nothing (cells
// rejected, or nothing new) or the reason the file was refused. A task
// that staged or committed a batch sends the browser to the batch.
type importJobData struct {
	importFlash
	ID, File  string
	Kind      importers.TaskKind
	Started   time.Time
	Running   bool
	Queued    int // the place in the queue while the task waits its turn
	Rows      int64
	Estimated int64
	Percent   int
	Preview   *importPreview
	Nonce     string
}

// importPreview is a preview as the pages list it.
type importPreview struct {
	*importers.Result
	Names      map[string]string // indicator code → name in the page's language
	UnitNames  map[string]string
	MoreChange int // new and changed values not listed
	MoreErrors int // rejected cells not listed
	// MorePlausible counts plausibility warnings not listed.
	MorePlausible int
	Committed     bool
}

// newImportPreview prepares a result for listing.
func (s *Server) newImportPreview(ctx context.Context, lang string, res *importers.Result) (*importPreview, error) {
	v := &importPreview{Result: res, Names: map[string]string{}, UnitNames: map[string]string{}}
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	for _, in := range inds {
		v.Names[in.Code] = pick(lang, in.NameVI, in.NameEN)
	}
	units, err := s.store.Units(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		v.UnitNames[u.Code] = pick(lang, u.NameVI, u.NameEN)
	}
	v.MoreChange = max(0, res.New+res.Changed-len(res.Changes))
	v.MoreErrors = max(0, res.Rejected-len(res.Errors))
	v.MorePlausible = max(0, res.Implausible-len(res.Plausibility))
	v.Committed = res.State == indicators.Committed
	return v, nil
}

// jobTask finds the task of the route for the signed-in user.
func (s *Server) jobTask(c echo.Context) (*importers.Task, error) {
	u, _ := currentUser(c)
	t, ok := s.imports.Task(c.Param("id"), u)
	if !ok {
		return nil, indicators.FieldError(indicators.ENOTFOUND, "job",
			"không tìm thấy lượt nhập này: có thể nó đã quá 24 giờ, máy chủ đã khởi động lại, hoặc nó là của người khác; các lô đã ghi vẫn có trong lịch sử nhập",
			"this import was not found: it may be over 24 hours old, the server may have restarted, or it is someone else's; batches stay in the history")
	}
	return t, nil
}

// next is where the browser goes once a task has ended: the batch it
// staged or committed, the profile page of a held upload, else the task's
// own page.
func importNext(t *importers.Task, st importers.TaskState) (path, notice string) {
	switch {
	case st.Held:
		return "/imports/jobs/" + t.ID + "/profile", "import.need_profile"
	case st.Batch != 0 && t.Kind == importers.CommitTask && st.Err == nil:
		return importBatchPath(st.Batch), "import.committed"
	case st.Batch != 0 && t.Kind == importers.PreviewTask:
		return importBatchPath(st.Batch), "import.previewed"
	}
	return "/imports/jobs/" + t.ID, ""
}

// importJob shows an import task.
func (s *Server) importJob(c echo.Context) error {
	t, err := s.jobTask(c)
	if err != nil {
		return err
	}
	st := s.imports.State(t)
	if !st.Running {
		if to, notice := importNext(t, st); to != "/imports/jobs/"+t.ID {
			return seeOther(c, to, notice)
		}
	}
	lang := langOf(c)
	d := importJobData{importFlash: s.importNotice(c), ID: t.ID, File: t.File, Kind: t.Kind, Started: t.Started, Running: st.Running,
		Queued: st.Progress.Queued, Rows: st.Progress.Rows, Estimated: max(st.Progress.Estimated, int64(t.Estimated)), Nonce: nonceOf(c)}
	d.Percent = importPercent(d.Rows, d.Estimated)
	status := http.StatusOK
	if st.Err != nil {
		if status, err = d.fail(lang, st.Err); err != nil {
			return err
		}
	}
	if st.Result != nil && !st.Running {
		if d.Preview, err = s.newImportPreview(c.Request().Context(), lang, st.Result); err != nil {
			return err
		}
	}
	return s.render(c, status, "import_job", d)
}

// jobProgress is the JSON the task page polls.
type jobProgress struct {
	Running   bool   `json:"running"`
	Queued    int    `json:"queued,omitempty"` // the place in the queue while the task waits its turn
	Rows      int64  `json:"rows"`
	Estimated int64  `json:"estimated"`
	Percent   int    `json:"percent"`
	Next      string `json:"next,omitempty"` // where to go once the task has ended
	// Error is why the task failed, in the user's language ("đĩa đầy: …").
	Error string `json:"error,omitempty"`
}

// apiImportJob reports a task's progress.
func (s *Server) apiImportJob(c echo.Context) error {
	t, err := s.jobTask(c)
	if err != nil {
		return err
	}
	st := s.imports.State(t)
	p := jobProgress{Running: st.Running, Queued: st.Progress.Queued, Rows: st.Progress.Rows, Estimated: max(st.Progress.Estimated, int64(t.Estimated))}
	p.Percent = importPercent(p.Rows, p.Estimated)
	if !st.Running {
		p.Percent = 100
		to, notice := importNext(t, st)
		if notice != "" {
			to += "?done=" + notice
		}
		p.Next = to
		if st.Err != nil {
			var f flash
			if _, err := f.fail(langOf(c), st.Err); err == nil {
				p.Error = f.Error
			} else {
				p.Error = indicators.ErrorMessage(st.Err)
			}
		}
	}
	return c.JSON(http.StatusOK, p)
}
