package dashboard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"chitieu/importers"
	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// importValuesListed bounds the values a batch page lists from the store.
const importValuesListed = 1000

// importBatchData is what the page of a batch draws: what it is and where it
// stands; its full preview while the server still holds it (the changes
// old → new with their cells), else the values it stored; and what the
// user may do with it.
type importBatchData struct {
	importFlash
	CSRF        string
	Batch       indicators.Batch
	Preview     *importPreview
	Values      []indicators.Value
	ValuesTotal int
	Names       map[string]string
	CanCommit   bool
	CanRollback bool
	CanPreview  bool // preview again: after the values in force changed, or to list the changes once more
	Background  bool // committing runs as a background job
	Nonce       string
}

// importBatch shows a batch.
func (s *Server) importBatch(c echo.Context) error {
	return s.showBatch(c, nil)
}

// showBatch draws the batch page, with the message of failure when it is
// a domain error (a commit refused, a rollback out of scope).
func (s *Server) showBatch(c echo.Context, failure error) error {
	id, err := importBatchID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	lang := langOf(c)
	sb, err := s.imports.Importer().Store.StagedBatch(ctx, id)
	if err != nil {
		return err
	}
	if err := s.checkBatchReadable(c, sb.Batch); err != nil {
		return err
	}
	u, _ := currentUser(c)
	manage := mayManageBatch(u, sb.Batch)
	d := importBatchData{importFlash: s.importNotice(c), CSRF: s.csrfToken(c), Batch: sb.Batch, Nonce: nonceOf(c),
		CanCommit:   manage && sb.State == indicators.Previewed,
		CanRollback: mayImport(u) && sb.State == indicators.Committed,
		Background:  s.imports.Background(sb.Rows)}
	status := http.StatusOK
	if failure != nil {
		if status, err = d.fail(lang, failure); err != nil {
			return err
		}
	}
	if res := s.imports.Result(id); res != nil && (res.State == sb.State || sb.State == indicators.Previewed) {
		if d.Preview, err = s.newImportPreview(ctx, lang, res); err != nil {
			return err
		}
	}
	d.CanPreview = manage && sb.State == indicators.Previewed && (d.Preview == nil || failure != nil)
	if d.Preview == nil && sb.State != indicators.Previewed {
		if d.Values, d.ValuesTotal, err = s.batchValues(ctx, id); err != nil {
			return err
		}
		d.Names = map[string]string{}
		inds, err := s.store.Indicators(ctx)
		if err != nil {
			return err
		}
		for _, in := range inds {
			d.Names[in.Code] = pick(lang, in.NameVI, in.NameEN)
		}
	}
	return s.render(c, status, "import_batch", d)
}

// errEnoughValues stops a stream once enough values are read.
var errEnoughValues = errors.New("dashboard: enough values read")

// batchValues reads the first values a batch stored and counts them all.
func (s *Server) batchValues(ctx context.Context, id int64) ([]indicators.Value, int, error) {
	vs := s.store
	f := indicators.ValueFilter{Batch: id}
	n, err := vs.CountValues(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	var out []indicators.Value
	err = vs.EachValue(ctx, f, func(v indicators.Value) error {
		if len(out) == importValuesListed {
			return errEnoughValues
		}
		out = append(out, v)
		return nil
	})
	if err != nil && !errors.Is(err, errEnoughValues) {
		return nil, 0, err
	}
	return out, n, nil
}

// importBatchFile sends the file a batch was made from, as uploaded. It is
// read whole before the first byte, so that a failure can still become an
// error page; the upload limit bounds it.
func (s *Server) importBatchFile(c echo.Context) error {
	id, err := importBatchID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	b, err := s.batches.Batch(ctx, id)
	if err != nil {
		return err
	}
	if err := s.checkBatchReadable(c, b); err != nil {
		return err
	}
	var buf bytes.Buffer
	b, err = s.imports.Importer().Store.BatchFile(ctx, id, &buf)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", importDisposition(b.FileName, fmt.Sprintf("lo-%d.xlsx", id)))
	h.Set("X-Content-SHA256", b.SHA256)
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

// attachment is a Content-Disposition for a download named name, with an
// ASCII fallback for old browsers.
func importDisposition(name, fallback string) string {
	v := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	switch {
	case v == "":
		return mime.FormatMediaType("attachment", map[string]string{"filename": fallback})
	case strings.Contains(v, "filename*"):
		return `attachment; filename="` + fallback + `"; ` + strings.TrimPrefix(v, "attachment; ")
	}
	return v
}

// importCommit commits a previewed batch: within the request for a small
// one, else as a background job. Should the values in force have changed
// since the preview, the commit is refused and the page offers to preview
// again.
func (s *Server) importCommit(c echo.Context) error {
	id, err := importBatchID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	sb, err := s.imports.Importer().Store.StagedBatch(ctx, id)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	if !mayManageBatch(u, sb.Batch) {
		return s.showBatch(c, errNotYours(id, sb.CreatedBy))
	}
	if sb.State != indicators.Previewed {
		return s.showBatch(c, indicators.FieldError(indicators.ECONFLICT, "",
			fmt.Sprintf("lô #%d không còn chờ ghi (đã ghi hoặc đã hoàn tác)", id),
			fmt.Sprintf("batch #%d is no longer waiting to be committed (it was committed or rolled back)", id)))
	}
	note, err := plausibilityNote(c, s.imports.Result(id))
	if err != nil {
		return s.showBatch(c, err)
	}
	t := &importers.Task{User: u.Name, Kind: importers.CommitTask, File: sb.FileName, Estimated: sb.Rows, Batch: id, Note: note}
	if err := s.imports.Add(t); err != nil {
		return s.showBatch(c, err)
	}
	s.imports.StartCommit(ctx, t)
	if s.imports.Background(sb.Rows) || !s.imports.Wait(ctx, t) {
		return seeOther(c, "/imports/jobs/"+t.ID, "import.started")
	}
	st := s.imports.State(t)
	if st.Err != nil {
		s.imports.Remove(t)
		return s.showBatch(c, st.Err)
	}
	s.log.Info("import committed", "user", u.Name, "batch", id, "new", st.Result.New, "changed", st.Result.Changed,
		"request_id", c.Get("request_id"))
	return seeOther(c, importBatchPath(id), "import.committed")
}

func errNotYours(id int64, by string) error {
	return indicators.FieldError(indicators.EFORBIDDEN, "batch",
		fmt.Sprintf("lô #%d do %s tải lên; chỉ người tải lên hoặc quản trị viên được ghi hay xem trước lại", id, by),
		fmt.Sprintf("batch #%d was uploaded by %s; only they or an administrator may commit or preview it again", id, by))
}

// importRollback undoes a committed batch: exactly the values it replaced
// are in force again. It runs to its end even if the browser goes away.
func (s *Server) importRollback(c echo.Context) error {
	id, err := importBatchID(c)
	if err != nil {
		return err
	}
	ctx := context.WithoutCancel(c.Request().Context())
	r, err := s.imports.Importer().Rollback(ctx, id)
	if err != nil {
		return s.showBatch(c, err)
	}
	s.log.Info("import rolled back", "user", c.Get("user_name"), "batch", id, "retracted", r.Retracted, "restored", r.Restored,
		"request_id", c.Get("request_id"))
	return seeOther(c, importBatchPath(id), "import.rolled_back")
}

// importRestage previews a batch's kept file again, with the profile, unit
// and locale it was read with, as a new batch.
func (s *Server) importRestage(c echo.Context) error {
	id, err := importBatchID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	b, err := s.batches.Batch(ctx, id)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	if !mayManageBatch(u, b) {
		return s.showBatch(c, errNotYours(id, b.CreatedBy))
	}
	up, opts, err := s.imports.Importer().Reopen(ctx, id)
	if err != nil {
		return s.showBatch(c, err)
	}
	t := &importers.Task{User: u.Name, Kind: importers.PreviewTask, File: up.Name, Estimated: 0, Options: opts, Upload: up}
	if rows, err := importers.EstimateRows(up, s.imports.Limits()); err == nil {
		t.Estimated = rows
	}
	if err := s.imports.Add(t); err != nil {
		up.Close()
		return s.showBatch(c, err)
	}
	s.imports.StartPreview(ctx, t)
	return s.previewOutcome(c, t, s.imports.Background(t.Estimated), func(err error) error { return s.showBatch(c, err) })
}
