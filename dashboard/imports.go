package dashboard

import (
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"chitieu/importers"
	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// The import pages: planners and admins upload workbooks, make mapping
// profiles, preview, commit and roll back batches; auditors read the batch
// history and download the files every number came from. Leaders read the
// dashboards and have no use for them.

// Who may use the import pages.
var (
	uploaders    = access{roles: []indicators.Role{indicators.Admin, indicators.Planner}}
	batchReaders = access{roles: []indicators.Role{indicators.Admin, indicators.Planner, indicators.Auditor}}
)

// setupImports builds the import desk from cfg.
func (s *Server) setupImports(cfg Config) error {
	st := cfg.Store
	limit := cfg.UploadLimit
	if limit <= 0 {
		limit = importers.DefaultLimits.MaxBytes
	}
	workers := cfg.ImportWorkers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	s.batches = st
	im := &importers.Importer{Store: st, TempDir: cfg.UploadDir, Log: s.log}
	if !cfg.ImportsFullSpeed {
		s.foreground = &importers.Foreground{}
		im.Foreground = s.foreground
	}
	s.imports = importers.NewDesk(importers.DeskConfig{Importer: im, Limit: limit, Background: cfg.BackgroundRows,
		Workers: workers, Now: s.now, Log: s.log, Board: cfg.ImportJobs, Silent: cfg.ImportJobSilent})
	return nil
}

// servingFirst counts the request as served while it is, so that import
// jobs give way to it (see importers.Foreground).
func (s *Server) servingFirst(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		defer s.foreground.Begin()()
		return next(c)
	}
}

// Close stops the import jobs still running (a commit stopped is rolled
// back whole), removes the uploads held for a mapping profile and waits
// for the sessions' last-seen times being written. ListenAndServe calls
// it on the way out; tests that serve with httptest call it themselves.
func (s *Server) Close() {
	s.imports.Close()
	s.seen.writing.Wait()
	s.tokenUses.flush(s, 0)
}

// importFlash is the message a page of imports shows above its content:
// the notice of the redirect after a successful POST, or the error of the
// form just sent, already in the page's language.
type importFlash struct {
	Notice string // message key
	Error  string
}

// importNotice takes the notice key a redirect carried, if the catalogue has
// it and it is one of the import pages'.
func (s *Server) importNotice(c echo.Context) importFlash {
	k := c.QueryParam("done")
	if strings.HasPrefix(k, "import.") && s.msgs.has(k) {
		return importFlash{Notice: k}
	}
	return importFlash{}
}

// fail puts the message of a domain error on the page in lang and returns
// the status it calls for; other errors come back, for the error handler.
func (f *importFlash) fail(lang string, err error) (int, error) {
	var de *indicators.Error
	if !errors.As(err, &de) {
		return 0, err
	}
	f.Error = de.Message
	if lang == "en" && de.English != "" {
		f.Error = de.English
	}
	return statusOf(de.Code), nil
}

// importBatchID reads the :id of a batch route; a malformed one names no batch.
func importBatchID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, indicators.FieldError(indicators.ENOTFOUND, "batch",
			fmt.Sprintf("không có lô nhập %q", c.Param("id")), fmt.Sprintf("there is no import batch %q", c.Param("id")))
	}
	return id, nil
}

// mayManageBatch reports whether u may commit, preview again or roll back a
// batch b created: its creator, or an admin. The store checks a planner's
// scope besides.
func mayManageBatch(u indicators.User, b indicators.Batch) bool {
	return u.Role == indicators.Admin || (u.Role == indicators.Planner && u.Name == b.CreatedBy)
}

// mayImport reports whether u may upload and commit.
func mayImport(u indicators.User) bool {
	return u.Role == indicators.Admin || u.Role == indicators.Planner
}

// importBatchPath is the page of a batch.
func importBatchPath(id int64) string { return "/imports/batches/" + strconv.FormatInt(id, 10) }

// importByteSize writes a size as people read it: 50 MB.
func importByteSize(lang string, n int64) string {
	switch {
	case n >= 1<<20:
		return indicators.FormatTrim(float64(n)/(1<<20), 1, lang) + " MB"
	case n >= 1<<10:
		return indicators.FormatTrim(float64(n)/(1<<10), 1, lang) + " KB"
	}
	return strconv.FormatInt(n, 10) + " B"
}
