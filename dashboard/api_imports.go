package dashboard

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"chitieu/importers"
	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// The write API: a program sends values — as JSON or as a workbook — to
// POST /api/v1/imports and gets the preview an upload gets, then commits
// the batch with POST /api/v1/imports/{id}/commit. Both run on the Desk
// as the web's uploads do: the importer's checks, scope rules and
// plausibility warnings, the same batch with its kept file, the same
// audit events. An answer the request cannot wait for (a large file) is
// 202 with the job to follow.

const (
	// apiImportJSONMax bounds a JSON request: MaxSentValues values of about
	// 150 bytes each.
	apiImportJSONMax = 16 << 20
	// apiImportRate is how many requests a minute one user may send to
	// the write API.
	apiImportRate = 60
	// apiEntriesFile is the file name batches sent as JSON are kept
	// under.
	apiEntriesFile = "du-lieu-api.xlsx"
)

// apiImportBody bounds the body of a write-API request by its kind: a
// workbook in a multipart form as an upload is bounded, anything else at
// apiImportJSONMax. (The handler refuses a kind it does not read, after
// the access check.)
func (s *Server) apiImportBody(next echo.HandlerFunc) echo.HandlerFunc {
	upload := s.uploadBody(next)
	return func(c echo.Context) error {
		r := c.Request()
		if mt, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType)); mt == echo.MIMEMultipartForm {
			return upload(c)
		}
		if r.ContentLength > apiImportJSONMax {
			return errJSONTooLarge()
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, apiImportJSONMax)
		return next(c)
	}
}

func errJSONTooLarge() error {
	return indicators.FieldError(indicators.ETOOLARGE, "",
		fmt.Sprintf("yêu cầu JSON lớn hơn giới hạn %d MB; hãy chia số liệu thành nhiều lần gửi", apiImportJSONMax>>20),
		fmt.Sprintf("the JSON request is larger than the limit of %d MB; send the values in several requests", apiImportJSONMax>>20))
}

// apiImportLimit refuses a user (or, before the access check, an
// address) more than apiImportRate write-API requests a minute.
func (s *Server) apiImportLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		who := "addr:" + c.RealIP()
		if u, ok := currentUser(c); ok {
			who = "user:" + u.Name
		}
		if !s.importRates.allow(who, s.now(), apiImportRate) {
			c.Response().Header().Set("Retry-After", "60")
			var body apiError
			body.Error.Code = "too_many_requests"
			body.Error.Message = fmt.Sprintf("Quá %d yêu cầu gửi số liệu trong một phút; hãy thử lại sau một phút.", apiImportRate)
			body.Error.MessageEN = fmt.Sprintf("More than %d import requests in a minute; try again in a minute.", apiImportRate)
			body.Error.RequestID, _ = c.Get("request_id").(string)
			return c.JSON(http.StatusTooManyRequests, body)
		}
		return next(c)
	}
}

// apiImportCreate previews the values sent and stages them as a batch
// when no value is refused: 201 with the batch, 422 with the refused
// values (nothing stored), 200 when every value is already in force.
func (s *Server) apiImportCreate(c echo.Context) error {
	u, _ := currentUser(c)
	in, err := s.apiImportInput(c)
	if err != nil {
		return err
	}
	up, opts, entries := in.upload, in.opts, in.entries
	request := fmt.Sprintf("%t|%s|%s|%s|%s", entries, up.SHA256, opts.Unit, opts.ProfileName, opts.Locale)
	if replayed, err := s.claimIdempotent(c, request); err != nil || replayed {
		up.Close()
		return err
	}
	d := s.imports
	rows := in.rows
	if !entries {
		if rows, err = importers.EstimateRows(up, d.Limits()); err != nil {
			up.Close()
			return err
		}
	}
	t := &importers.Task{User: u.Name, Kind: importers.PreviewTask, File: up.Name, Estimated: rows, Options: opts, Upload: up}
	if err := d.Add(t); err != nil {
		up.Close()
		return err
	}
	s.log.Info("import sent", "user", u.Name, "input", map[bool]string{true: "json", false: "xlsx"}[entries],
		"bytes", up.Size, "sha256", up.SHA256, "rows", rows, "task", t.ID, "request_id", c.Get("request_id"))
	ctx := c.Request().Context()
	d.StartPreview(ctx, t)
	if d.Background(rows) || !d.Wait(ctx, t) {
		return s.apiImportRunning(c, t, entries)
	}
	st := d.State(t)
	if st.Err != nil {
		d.Remove(t) // a file held for a mapping profile too: a program makes none
		return st.Err
	}
	a := toImportAnswer(st.Result, entries, langOf(c))
	switch a.State {
	case string(indicators.Previewed):
		c.Response().Header().Set(echo.HeaderLocation, a.Commit)
		return c.JSON(http.StatusCreated, a)
	case "rejected":
		return c.JSON(http.StatusUnprocessableEntity, a)
	}
	return c.JSON(http.StatusOK, a)
}

// apiImportRunning answers 202 for a task that goes on after the answer.
func (s *Server) apiImportRunning(c echo.Context, t *importers.Task, entries bool) error {
	a := importAnswerJSON{State: "running", Input: "xlsx", File: t.File, Job: "/api/v1/imports/jobs/" + t.ID,
		Changes: []importChangeJSON{}, Errors: []importCellErrorJSON{}, Plausibility: []importWarningJSON{}, Warnings: []string{}}
	if entries {
		a.Input, a.File = "json", ""
	}
	if t.Batch != 0 {
		a.Batch = &t.Batch
	}
	c.Response().Header().Set(echo.HeaderLocation, a.Job)
	return c.JSON(http.StatusAccepted, a)
}

// apiImportIn is what a write-API request sent: an upload, the options to
// read it with, whether it came as JSON values, and then how many.
type apiImportIn struct {
	upload  *importers.Upload
	opts    importers.Options
	entries bool
	rows    int
}

// apiImportInput reads the values of a request into an upload: JSON
// values through the entries' workbook, or a workbook in a multipart form
// (field "file"; "unit", "locale" and "profile", a saved profile's name,
// as the upload form has them).
func (s *Server) apiImportInput(c echo.Context) (apiImportIn, error) {
	d := s.imports
	if form, _ := c.Get(uploadFormKey).(*uploadForm); form != nil {
		if form.err != nil {
			return apiImportIn{}, s.bodyError(form.err)
		}
		if form.file == nil || form.file.FileName() == "" {
			return apiImportIn{}, errUploadNoFile
		}
		up, err := importers.Receive(form.file, form.file.FileName(), d.Importer().TempDir, d.Limits())
		if err != nil {
			return apiImportIn{}, s.bodyError(err)
		}
		err = form.rest()
		f := importForm{Profile: "auto", Unit: strings.TrimSpace(c.FormValue("unit")), Locale: c.FormValue("locale")}
		if p := strings.TrimSpace(c.FormValue("profile")); p != "" {
			f.Profile = "saved:" + p
		}
		var opts importers.Options
		if err == nil {
			opts, err = f.options()
		}
		if err != nil {
			up.Close()
			return apiImportIn{}, s.bodyError(err)
		}
		return apiImportIn{upload: up, opts: opts}, nil
	}
	if mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType)); mt != echo.MIMEApplicationJSON {
		return apiImportIn{}, indicators.FieldError(indicators.EINVALID, echo.HeaderContentType,
			"hãy gửi JSON (Content-Type: application/json) hoặc tệp .xlsx trong biểu mẫu multipart/form-data",
			"send JSON (Content-Type: application/json) or an .xlsx file in a multipart/form-data form")
	}
	req, err := importers.DecodeSentValues(c.Request().Body)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return apiImportIn{}, errJSONTooLarge()
	}
	if err != nil {
		return apiImportIn{}, err
	}
	up, err := importers.ReceiveSentValues(req.Values, apiEntriesFile, d.Importer().TempDir, d.Limits())
	if err != nil {
		return apiImportIn{}, err
	}
	opts := importers.Options{Profile: importers.SentProfile(), Unit: strings.ToUpper(strings.TrimSpace(req.Unit))}
	return apiImportIn{upload: up, opts: opts, entries: true, rows: len(req.Values) + 1}, nil
}

// apiCommitBody is the optional body of a commit.
type apiCommitBody struct {
	// ConfirmNote confirms the preview's plausibility warnings; a batch
	// with warnings is committed only with one, which the audit trail
	// keeps.
	ConfirmNote string `json:"confirm_note"`
}

// apiImportCommit commits a previewed batch of the user's: 200 with what
// was stored.
func (s *Server) apiImportCommit(c echo.Context) error {
	id, err := importBatchID(c)
	if err != nil {
		return err
	}
	note, err := readCommitNote(c)
	if err != nil {
		return err
	}
	if replayed, err := s.claimIdempotent(c, strconv.FormatInt(id, 10)+"|"+note); err != nil || replayed {
		return err
	}
	ctx := c.Request().Context()
	sb, err := s.imports.Importer().Store.StagedBatch(ctx, id)
	if err != nil {
		return err
	}
	if err := s.checkBatchReadable(c, sb.Batch); err != nil {
		return err
	}
	u, _ := currentUser(c)
	switch {
	case !mayManageBatch(u, sb.Batch):
		return errNotYours(id, sb.CreatedBy)
	case sb.State != indicators.Previewed:
		return indicators.FieldError(indicators.ECONFLICT, "batch",
			fmt.Sprintf("lô #%d không còn chờ ghi (đã ghi hoặc đã hoàn tác)", id),
			fmt.Sprintf("batch #%d is no longer waiting to be committed (it was committed or rolled back)", id))
	}
	if p := s.imports.Result(id); p != nil && p.Implausible > 0 && note == "" {
		return indicators.FieldError(indicators.EINVALID, "confirm_note",
			fmt.Sprintf("bản xem trước có %d cảnh báo về tính hợp lý: hãy gửi confirm_note nêu lý do xác nhận, hoặc sửa số liệu rồi gửi lại; chưa số liệu nào được ghi", p.Implausible),
			fmt.Sprintf("the preview has %d plausibility warnings: send confirm_note saying why they are confirmed, or fix the values and send them again; nothing was stored", p.Implausible))
	}
	t := &importers.Task{User: u.Name, Kind: importers.CommitTask, File: sb.FileName, Estimated: sb.Rows, Batch: id, Note: note}
	if err := s.imports.Add(t); err != nil {
		return err
	}
	entries := sb.Profile == importers.SentProfileName
	s.imports.StartCommit(ctx, t)
	if s.imports.Background(sb.Rows) || !s.imports.Wait(ctx, t) {
		return s.apiImportRunning(c, t, entries)
	}
	st := s.imports.State(t)
	if st.Err != nil {
		s.imports.Remove(t)
		return st.Err
	}
	s.log.Info("import committed", "user", u.Name, "batch", id, "new", st.Result.New, "changed", st.Result.Changed,
		"request_id", c.Get("request_id"))
	return c.JSON(http.StatusOK, toImportAnswer(st.Result, entries, langOf(c)))
}

// readCommitNote reads the note confirming a commit's plausibility
// warnings from a JSON body, which may be empty; a fault names its JSON
// pointer.
func readCommitNote(c echo.Context) (string, error) {
	b, err := io.ReadAll(c.Request().Body)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return "", errJSONTooLarge()
	case err != nil:
		return "", err
	case len(strings.TrimSpace(string(b))) == 0:
		return "", nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return "", indicators.FieldError(indicators.EINVALID, "", "JSON tại /: cần một đối tượng JSON {…}: "+err.Error(),
			"JSON at /: a JSON object {…} is expected: "+err.Error())
	}
	var body apiCommitBody
	for k, v := range fields {
		at := "/" + strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
		if k != "confirm_note" {
			return "", indicators.FieldError(indicators.EINVALID, at, "JSON tại "+at+": trường không được biết đến",
				"JSON at "+at+": unknown field")
		}
		if err := json.Unmarshal(v, &body.ConfirmNote); err != nil {
			return "", indicators.FieldError(indicators.EINVALID, at, "JSON tại "+at+": cần một chuỗi văn bản",
				"JSON at "+at+": a string is expected")
		}
	}
	note := strings.TrimSpace(body.ConfirmNote)
	if utf8.RuneCountInString(note) > plausibilityNoteMax {
		return "", indicators.FieldError(indicators.EINVALID, "/confirm_note",
			fmt.Sprintf("ghi chú xác nhận dài quá %d ký tự", plausibilityNoteMax),
			fmt.Sprintf("the confirming note is longer than %d characters", plausibilityNoteMax))
	}
	return note, nil
}
