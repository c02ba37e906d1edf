package dashboard

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"

	"chitieu/importers"
	"chitieu/indicators"
	"chitieu/reports"

	"github.com/labstack/echo/v4"
)

// The plan workbook (sổ kế hoạch) on the web: the whole catalogue to
// download as one .xlsx, and an edited workbook to upload through the same
// preview → commit flow as data imports. The preview keeps the uploaded
// file in the store under its SHA-256 (audited) and shows what would be
// new, changed, unchanged and refused, cell by cell. The commit reads that
// very file again and compares it with the catalogue as it is then: when
// the changes are no longer the ones previewed (someone edited the
// catalogue meanwhile), it shows the new comparison instead of applying
// it. The store applies the changes all or nothing, auditing each.

type planbookData struct {
	adminPage
	Export string
	Upload *adminForm
}

// uploadForm is the form that sends a plan workbook to be previewed.
func (s *Server) uploadForm(c echo.Context) *adminForm {
	f := newForm("/admin/planbook/preview", "admin.planbook.preview", s.csrfToken(c), nil)
	f.ID, f.Multipart = "planbook-form", true
	f.add(formField{Name: "file", Label: "admin.planbook.file", Help: "admin.planbook.file_help", Kind: fileField,
		Required: true, Wide: true})
	return f
}

// adminPlanbook offers the workbook for download and the upload form.
func (s *Server) adminPlanbook(c echo.Context) error {
	return s.showPlanbook(c, nil)
}

func (s *Server) showPlanbook(c echo.Context, failure error) error {
	d := planbookData{adminPage: s.newAdminPage(c, "admin.planbook.title"), Export: "/admin/planbook/export",
		Upload: s.uploadForm(c)}
	status := http.StatusOK
	if failure != nil {
		var err error
		if status, err = d.Upload.fail(langOf(c), failure, nil); err != nil {
			return err
		}
	}
	return s.render(c, status, "admin_planbook", d)
}

// adminPlanbookExport sends the whole catalogue as a plan workbook. The
// workbook is built in full first, so that a failure is still an error
// page.
func (s *Server) adminPlanbookExport(c echo.Context) error {
	ctx := c.Request().Context()
	cat, err := indicators.ReadCatalog(ctx, s.store)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	now := s.now()
	if err := reports.WritePlanbook(&buf, cat, now); err != nil {
		return err
	}
	name := "so-ke-hoach-" + now.In(indicators.Vietnam).Format(indicators.DateLayout) + ".xlsx"
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", name))
	h.Set(echo.HeaderContentLength, strconv.Itoa(buf.Len()))
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

// changeRow is one change of the preview as the page lists it.
type changeRow struct {
	Action, Object, Key, Where string
	Fields                     []indicators.FieldChange
}

type planbookPreviewData struct {
	adminPage
	File                              string
	New, Changed, Unchanged, Rejected int
	Changes                           []changeRow
	Errors                            []importers.CellError
	Commit                            *adminForm // nil when there is nothing to commit
	Upload                            *adminForm
	// Plausibility lists the warnings on the targets' bounds; the commit
	// asks for them to be confirmed with a note.
	Plausibility []indicators.PlausibilityWarning
	Implausible  int
}

// previewDigest identifies a preview's changes and refusals, so that a
// commit applies what was shown and nothing else.
func previewDigest(p importers.PlanbookPreview) (string, error) {
	// The warnings follow from the changes and the values in force; the
	// commit checks its own, and asks for them to be confirmed.
	p.Committed, p.Plausibility, p.Implausible = false, nil, 0
	b, err := json.Marshal(p)
	if err != nil {
		return "", fmt.Errorf("dashboard: digest of a plan workbook preview: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// showPreview draws a preview; commit says whether to offer the commit.
func (s *Server) showPreview(c echo.Context, status int, name, sum string, p importers.PlanbookPreview, message string) error {
	lang := langOf(c)
	d := planbookPreviewData{adminPage: s.newAdminPage(c, "admin.planbook.preview_title"), File: name,
		New: p.New, Changed: p.Changed, Unchanged: p.Unchanged, Rejected: p.Rejected, Errors: p.Errors,
		Upload: s.uploadForm(c), Plausibility: p.Plausibility, Implausible: p.Implausible}
	d.Error = message
	d.crumb("/admin/planbook", s.msgs.translate(lang, "admin.planbook.title"))
	for _, ch := range p.Changes {
		d.Changes = append(d.Changes, changeRow{Action: s.msgs.translate(lang, "admin.planbook.action."+string(ch.Action)),
			Object: s.msgs.translate(lang, "admin.planbook.object."+ch.Object), Key: ch.Key,
			Where: s.msgs.translate(lang, "admin.planbook.where", ch.Sheet, ch.Row), Fields: ch.Fields})
	}
	if len(p.Errors) == 0 && len(p.Changes) > 0 {
		digest, err := previewDigest(p)
		if err != nil {
			return err
		}
		f := newForm("/admin/planbook/commit", "admin.planbook.commit", s.csrfToken(c),
			formValues{"file": sum, "name": name, "digest": digest})
		f.ID = "commit-form"
		f.add(formField{Name: "file", Kind: hiddenField})
		f.add(formField{Name: "name", Kind: hiddenField})
		f.add(formField{Name: "digest", Kind: hiddenField})
		if p.Implausible > 0 {
			f.add(formField{Name: "confirm_plausibility", Label: "import.batch.confirm_plausibility", Kind: checkboxField, Wide: true})
			f.add(formField{Name: "plausibility_note", Label: "import.batch.plausibility_note", Kind: areaField, Wide: true})
		}
		d.Commit = f
	}
	return s.render(c, status, "admin_planbook_preview", d)
}

// adminPlanbookPreview reads an uploaded plan workbook, compares it with
// the catalogue and shows what importing it would do, storing nothing but
// the file, which the commit reads again.
func (s *Server) adminPlanbookPreview(c echo.Context) error {
	ctx := c.Request().Context()
	fh, err := c.FormFile("file")
	if err != nil {
		return s.showPlanbook(c, indicators.FieldError(indicators.EINVALID, "file",
			"chọn tệp sổ kế hoạch (.xlsx) để tải lên", "choose a plan workbook (.xlsx) to upload"))
	}
	if fh.Size > importers.MaxPlanbookBytes {
		return s.showPlanbook(c, indicators.FieldError(indicators.ETOOLARGE, "file",
			fmt.Sprintf("tệp lớn hơn giới hạn %d MB của sổ kế hoạch", importers.MaxPlanbookBytes>>20),
			fmt.Sprintf("the file is larger than the plan workbook's limit of %d MB", importers.MaxPlanbookBytes>>20)))
	}
	f, err := fh.Open()
	if err != nil {
		return fmt.Errorf("dashboard: open uploaded plan workbook: %w", err)
	}
	book, err := importers.ReadPlanbook(f, fh.Filename)
	f.Close()
	if err != nil {
		return s.showPlanbook(c, err)
	}
	current, err := indicators.ReadCatalog(ctx, s.store)
	if err != nil {
		return err
	}
	p, err := importers.PreviewPlanbook(ctx, s.store, book, current)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if len(p.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	if len(p.Errors) == 0 && len(p.Changes) > 0 {
		if err := s.keepPlanbook(c, fh, book, p); err != nil {
			return err
		}
	}
	return s.showPreview(c, status, book.FileName, book.SHA256, p, "")
}

// keepPlanbook keeps the uploaded workbook for its commit, with an audit
// event for its preview.
func (s *Server) keepPlanbook(c echo.Context, fh *multipart.FileHeader, book *importers.Planbook, p importers.PlanbookPreview) error {
	f, err := fh.Open()
	if err != nil {
		return fmt.Errorf("dashboard: reopen uploaded plan workbook: %w", err)
	}
	defer f.Close()
	summary, _ := json.Marshal(struct {
		File      string `json:"file"`
		New       int    `json:"new"`
		Changed   int    `json:"changed"`
		Unchanged int    `json:"unchanged"`
	}{book.FileName, p.New, p.Changed, p.Unchanged})
	ev := indicators.AuditEvent{Action: "planbook.preview", Object: "planbook:" + book.SHA256[:16], After: string(summary)}
	return s.uploads.KeepUpload(c.Request().Context(), book.SHA256, f, ev)
}

// adminPlanbookCommit applies a previewed plan workbook: the kept file is
// read and compared again, and applied only when it asks for exactly the
// changes previewed.
func (s *Server) adminPlanbookCommit(c echo.Context) error {
	ctx := c.Request().Context()
	lang := langOf(c)
	v, err := readValues(c)
	if err != nil {
		return err
	}
	sum, name := v["file"], v["name"]
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(s.uploads.Upload(ctx, sum, pw)) }()
	book, err := importers.ReadPlanbook(pr, name)
	pr.Close()
	if indicators.ErrorCode(err) == indicators.ENOTFOUND {
		return s.showPlanbook(c, indicators.FieldError(indicators.ENOTFOUND, "file",
			s.msgs.translate("vi", "admin.planbook.gone"), s.msgs.translate("en", "admin.planbook.gone")))
	}
	if err != nil {
		return s.showPlanbook(c, err)
	}
	current, err := indicators.ReadCatalog(ctx, s.store)
	if err != nil {
		return err
	}
	p, err := importers.PreviewPlanbook(ctx, s.store, book, current)
	if err != nil {
		return err
	}
	if len(p.Errors) > 0 {
		return s.showPreview(c, http.StatusUnprocessableEntity, name, sum, p, "")
	}
	if len(p.Changes) == 0 {
		return seeOther(c, "/admin/planbook", "admin.planbook.nothing")
	}
	digest, err := previewDigest(p)
	if err != nil {
		return err
	}
	if digest != v["digest"] {
		return s.showPreview(c, http.StatusConflict, name, sum, p, s.msgs.translate(lang, "admin.planbook.moved"))
	}
	note, err := confirmedNote(c, p.Implausible)
	if err != nil {
		_, msg, _ := domainError(lang, err)
		return s.showPreview(c, http.StatusUnprocessableEntity, name, sum, p, msg)
	}
	src := indicators.ChangeSource{FileName: name, SHA256: sum, Warnings: p.Implausible, ConfirmNote: note}
	if err := s.editor.ApplyCatalogChanges(ctx, p.Changes, src); err != nil {
		de, msg, ok := domainError(lang, err)
		if !ok {
			return err
		}
		return s.showPreview(c, statusOf(de.Code), name, sum, p, msg)
	}
	s.log.Info("plan workbook committed", "file", name, "sha256", sum, "new", p.New, "changed", p.Changed,
		"by", c.Get("user_name"))
	return seeOther(c, "/admin/planbook", "admin.planbook.committed")
}
