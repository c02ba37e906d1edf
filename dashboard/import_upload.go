package dashboard

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"chitieu/importers"
	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// An upload is a multipart form whose file is streamed into a temporary
// copy, hashed on the way, never held in memory nor parsed into the
// multipart package's own temporary files. The body is bounded before a
// byte of it is read; the form's small fields, the CSRF token first, are
// read ahead of the access check, which then finds the token where it
// looks for it; the file is read only once the check has passed. What goes
// wrong reading the body is kept for the handler, which shows it on the
// page in the user's language; a refused request reads no further.

const (
	uploadField   = "file"
	uploadFormKey = "upload_form"
	// uploadSlack is what the fields and the multipart framing may add to
	// the file.
	uploadSlack     = 64 << 10
	uploadMaxFields = 32
	uploadMaxField  = 4 << 10
)

// uploadForm is a multipart form read up to its file.
type uploadForm struct {
	mr     *multipart.Reader
	file   *multipart.Part // nil when the form has none
	fields url.Values
	err    error // what went wrong reading the form, for the handler to show
}

// errUploadNoFile asks for a file.
var errUploadNoFile = indicators.FieldError(indicators.EINVALID, "file",
	"hãy chọn một tệp Excel .xlsx để tải lên", "choose an Excel .xlsx file to upload")

func errUploadForm() error {
	return indicators.FieldError(indicators.EINVALID, "file",
		"biểu mẫu tải lên không đọc được; hãy tải lại trang rồi thử lại", "the upload form could not be read; reload the page and try again")
}

func errUploadTooLarge(limit int64) error {
	return indicators.FieldError(indicators.ETOOLARGE, "file",
		"tệp lớn hơn giới hạn "+importByteSize("vi", limit)+" của một lần tải lên; hãy tách tệp hoặc bỏ bớt các trang không cần",
		"the file is larger than the upload limit of "+importByteSize("en", limit))
}

// uploadBody bounds a multipart body at the upload limit and reads its
// fields up to the file. Other bodies pass untouched.
func (s *Server) uploadBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
			return next(c)
		}
		limit := s.imports.Limit() + uploadSlack
		r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
		form := &uploadForm{fields: url.Values{}}
		form.err = form.head(r)
		if form.err == nil && r.ContentLength > limit {
			form.err = errUploadTooLarge(s.imports.Limit())
		}
		if form.err == nil {
			// Refused before a byte of the file is copied: a full
			// temporary folder says so, not that the form is unreadable.
			form.err = importers.CheckRoom(s.imports.Importer().TempDir, r.ContentLength)
		}
		r.Form, r.PostForm = form.fields, form.fields
		c.Set(uploadFormKey, form)
		return next(c)
	}
}

// head reads the form's fields up to its file.
func (f *uploadForm) head(r *http.Request) error {
	var err error
	if f.mr, err = r.MultipartReader(); err != nil {
		return errUploadForm()
	}
	for {
		p, err := f.mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if p.FileName() != "" || p.FormName() == uploadField {
			f.file = p
			return nil
		}
		if err := f.read(p); err != nil {
			return err
		}
	}
}

// read adds a small field to the form.
func (f *uploadForm) read(p *multipart.Part) error {
	if len(f.fields) >= uploadMaxFields {
		return errUploadForm()
	}
	b, err := io.ReadAll(io.LimitReader(p, uploadMaxField+1))
	if err != nil {
		return err
	}
	if len(b) > uploadMaxField {
		return errUploadForm()
	}
	f.fields.Add(p.FormName(), string(b))
	return nil
}

// rest reads the fields after the file.
func (f *uploadForm) rest() error {
	for {
		p, err := f.mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if p.FileName() != "" {
			continue // a second file is not read
		}
		if err := f.read(p); err != nil {
			return err
		}
	}
}

// bodyError turns a failure reading the body into a message: too large,
// or unreadable.
func (s *Server) bodyError(err error) error {
	var mbe *http.MaxBytesError
	var de *indicators.Error
	switch {
	case errors.As(err, &mbe):
		return errUploadTooLarge(s.imports.Limit())
	case errors.As(err, &de):
		return err
	}
	s.log.Warn("upload not read", "err", err)
	return errUploadForm()
}

// importForm is the upload form as sent, kept when it is shown again.
type importForm struct {
	Profile string // "auto", "new" or "saved:NAME"
	Unit    string
	Locale  string
}

func readImportForm(c echo.Context) importForm {
	f := importForm{Profile: c.FormValue("profile"), Unit: strings.TrimSpace(c.FormValue("unit")), Locale: c.FormValue("locale")}
	if f.Profile == "" {
		f.Profile = "auto"
	}
	return f
}

// importUpload receives a workbook and previews it: a small file within
// the request, which then shows the preview; a large one as a background
// job whose page shows its progress. A file no profile fits is held while
// the planner makes one. A file refused outright shows the form again with
// the reason and a 4xx status; nothing is stored and no copy is kept.
func (s *Server) importUpload(c echo.Context) error {
	u, _ := currentUser(c)
	form, _ := c.Get(uploadFormKey).(*uploadForm)
	if form == nil {
		return s.showImports(c, importForm{Profile: "auto"}, errUploadNoFile)
	}
	if form.err != nil {
		return s.showImports(c, readImportForm(c), s.bodyError(form.err))
	}
	if form.file == nil || form.file.FileName() == "" {
		return s.showImports(c, readImportForm(c), errUploadNoFile)
	}
	d := s.imports
	up, err := importers.Receive(form.file, form.file.FileName(), d.Importer().TempDir, d.Limits())
	if err != nil {
		return s.showImports(c, readImportForm(c), s.bodyError(err))
	}
	if err := form.rest(); err != nil {
		up.Close()
		return s.showImports(c, readImportForm(c), s.bodyError(err))
	}
	f := readImportForm(c)
	opts, err := f.options()
	if err != nil {
		up.Close()
		return s.showImports(c, f, err)
	}
	rows, err := importers.EstimateRows(up, d.Limits())
	if err != nil {
		up.Close()
		return s.showImports(c, f, err)
	}
	t := &importers.Task{User: u.Name, Kind: importers.PreviewTask, File: up.Name, Estimated: rows, Options: opts, Upload: up}
	if err := d.Add(t); err != nil {
		up.Close()
		return s.showImports(c, f, err)
	}
	s.log.Info("import uploaded", "user", u.Name, "file", up.Name, "bytes", up.Size, "sha256", up.SHA256, "rows", rows,
		"task", t.ID, "request_id", c.Get("request_id"))
	if f.Profile == "new" {
		d.Hold(t)
		return seeOther(c, "/imports/jobs/"+t.ID+"/profile", "")
	}
	d.StartPreview(c.Request().Context(), t)
	return s.previewOutcome(c, t, d.Background(rows), func(err error) error { return s.showImports(c, f, err) })
}

// options turns the form into import options.
func (f importForm) options() (importers.Options, error) {
	var opts importers.Options
	loc, err := indicators.ParseLocale(f.Locale)
	if err != nil {
		return opts, err
	}
	opts.Locale, opts.Unit = loc, strings.ToUpper(f.Unit)
	if f.Locale == "" {
		opts.Locale = "" // the profile's, else Vietnamese
	}
	switch {
	case f.Profile == "auto", f.Profile == "new":
	case strings.HasPrefix(f.Profile, "saved:") && len(f.Profile) > len("saved:"):
		opts.ProfileName = strings.TrimPrefix(f.Profile, "saved:")
	default:
		return opts, indicators.FieldError(indicators.EINVALID, "profile", "hãy chọn cách đọc tệp trong danh sách",
			"choose how to read the file from the list")
	}
	return opts, nil
}

// previewOutcome answers the request that started a preview: for a small
// file, once its job ends, the staged batch, the preview of a file with
// rejected cells or nothing new, the profile page, or — for a file refused
// whole — refused(err); for a large file, or one slower than the request
// waits, the task's page with its progress.
func (s *Server) previewOutcome(c echo.Context, t *importers.Task, background bool, refused func(error) error) error {
	d := s.imports
	if background || !d.Wait(c.Request().Context(), t) {
		return seeOther(c, "/imports/jobs/"+t.ID, "import.started")
	}
	st := d.State(t)
	var de *indicators.Error
	switch {
	case st.Held:
		return seeOther(c, "/imports/jobs/"+t.ID+"/profile", "import.need_profile")
	case st.Err != nil && errors.As(st.Err, &de) && st.Result == nil:
		d.Remove(t)
		return refused(st.Err)
	case st.Err != nil && st.Result == nil:
		d.Remove(t)
		return st.Err
	case st.Batch != 0:
		return seeOther(c, importBatchPath(st.Batch), "import.previewed")
	}
	return seeOther(c, "/imports/jobs/"+t.ID, "")
}
