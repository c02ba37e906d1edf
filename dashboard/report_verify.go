package dashboard

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"chitieu/indicators"
	"chitieu/reports"

	"github.com/labstack/echo/v4"
)

// maxVerifyBytes bounds a report uploaded to be checked: a data export of
// a million values is about 60 MB.
const maxVerifyBytes = 256 << 20

// verifyData is the verify page: the form, and after an upload what the
// check found.
type verifyData struct {
	File   string // the uploaded file's name
	Fault  string // why the file could not be checked
	Result *reports.Verification
	First  *reports.Difference // the first cell that differs
	Kind   string              // the report's kind, in words
}

// reportVerifyPage shows the form to upload a report to check.
func (s *Server) reportVerifyPage(c echo.Context) error {
	return s.render(c, http.StatusOK, "reports_verify", verifyData{})
}

// reportVerify checks an uploaded report against the database: the report
// is made again with the params the file carries (in its properties, or
// on its cover when another program saved it again) and compared cell by
// cell. Nothing is stored.
func (s *Server) reportVerify(c echo.Context) error {
	lang := langOf(c)
	fh, err := c.FormFile("file")
	if err != nil {
		return s.render(c, http.StatusBadRequest, "reports_verify",
			verifyData{Fault: pick(lang, "Chọn tệp báo cáo (.xlsx) để kiểm tra.", "Choose a report (.xlsx) to check.")})
	}
	d := verifyData{File: fh.Filename}
	if !strings.EqualFold(filepath.Ext(fh.Filename), ".xlsx") {
		d.Fault = pick(lang, "Chỉ kiểm tra được báo cáo .xlsx do chitieu tạo.", "Only .xlsx reports made by chitieu can be checked.")
		return s.render(c, http.StatusBadRequest, "reports_verify", d)
	}
	src, err := fh.Open()
	if err != nil {
		return fmt.Errorf("dashboard: open uploaded report: %w", err)
	}
	defer src.Close()
	dir, err := os.MkdirTemp(s.reportBuilder.TempDir, "chitieu-verify-")
	if err != nil {
		return fmt.Errorf("dashboard: folder to check a report: %w", err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "report.xlsx")
	dst, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("dashboard: keep uploaded report: %w", err)
	}
	_, err = io.Copy(dst, io.LimitReader(src, maxVerifyBytes+1))
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("dashboard: keep uploaded report: %w", err)
	}
	v, err := s.reportBuilder.Verify(c.Request().Context(), path)
	if err != nil {
		var e *indicators.Error
		if !errors.As(err, &e) || e.Code != indicators.EINVALID {
			return err
		}
		// The message names the temporary path; the user knows the file
		// by its own name.
		d.Fault = strings.ReplaceAll(pick(lang, e.Message, e.English), path, fh.Filename)
		return s.render(c, http.StatusUnprocessableEntity, "reports_verify", d)
	}
	d.Result = v
	if len(v.Differences) > 0 {
		d.First = &v.Differences[0]
	}
	d.Kind = s.msgs.translate(lang, "verify.kind_"+v.Params.Kind)
	return s.render(c, http.StatusOK, "reports_verify", d)
}
