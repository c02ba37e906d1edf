// Package reports turns store reads into the Excel workbooks auditors and
// leaders take away: the progress report of a plan (cover, the table in the
// official Vietnamese shape, native charts, the rules used), the data export
// of every value with its provenance (also as CSV), and the history of
// import batches and audit events.
//
// Every report stands at a moment — "as of" — and uses only what was known
// then, so that it can be re-created exactly later. Its content hash is
// SHA-256 over a canonical form of its cells (not over the zip bytes); the
// hash is printed on the cover and kept in the document properties, and
// Verify recomputes it from the database.
//
// A report is built completely — every query run, every sheet written to a
// temporary file — before the first byte reaches the caller, so that an
// error can still become an error page. A cancelled context stops the build,
// and Close removes whatever was written.
package reports

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"time"

	"chitieu/indicators"

	"github.com/xuri/excelize/v2"
)

// AuditReader reads a few events of the audit trail (the changes of
// settings a progress report looks back on).
type AuditReader interface {
	AuditEvents(ctx context.Context, f indicators.AuditFilter) ([]indicators.AuditEvent, error)
}

// Source is what the reports read: the store, its import batches, its
// values and audit events one at a time, and a few audit events at once.
type Source interface {
	indicators.Store
	indicators.BatchReader
	indicators.ValueStream
	indicators.AuditStream
	AuditReader
	// The reporting cycle: which figures are approved, and the units'
	// explanations of their lagging targets.
	indicators.ExplanationStore
	Approvals(ctx context.Context) (indicators.Approvals, error)
}

// Builder builds reports from a source.
type Builder struct {
	Source Source
	// Now is the clock for "generated at" and for reports as of now; nil
	// means time.Now.
	Now func() time.Time
	// TempDir is where reports are built; "" means the system's folder.
	TempDir string
	// OnProgress, when set, hears how many rows of a long export are
	// written out of how many.
	OnProgress func(done, total int)

	maxRows int // rows per worksheet before a sheet continues; 0 means Excel's limit
}

// New returns a builder reading src.
func New(src Source) *Builder { return &Builder{Source: src} }

func (b *Builder) now() time.Time {
	if b.Now != nil {
		return b.Now()
	}
	return time.Now()
}

// asOf is the moment a report stands at: the one asked for, but never
// later than now, so that a report as of today holds what is known now
// and can be re-created exactly.
func (b *Builder) asOf(t time.Time) time.Time {
	now := b.now()
	if t.IsZero() || t.After(now) {
		return now
	}
	return t
}

// Report kinds, as kept in a file's properties.
const (
	KindProgress = "progress"
	KindData     = "data"
	KindAudit    = "audit"
)

// layoutVersion changes whenever the cells of a report change shape, so
// that Verify can tell an old layout from tampering.
const layoutVersion = 2

// Params are what a report was asked for. With the database they fix its
// content: the same params give the same content hash whenever the report
// is made.
type Params struct {
	Kind      string `json:"kind"`
	Layout    int    `json:"layout"`
	Lang      string `json:"lang"`
	Plan      string `json:"plan,omitempty"`   // plan ID
	Period    string `json:"period,omitempty"` // 2021-2025
	Group     *int   `json:"group,omitempty"`  // task group, when only one
	Indicator string `json:"indicator,omitempty"`
	Form      *Form  `json:"form,omitempty"` // the annex form's fields of a progress report
	From      string `json:"from,omitempty"` // start of an audit period (RFC 3339, UTC)
	AsOf      string `json:"asof"`           // the moment the report stands at (RFC 3339, UTC)
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func unstamp(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("reports: %s %q in the file's properties: %w", field, s, err)
	}
	return t, nil
}

// Properties of the workbook that carry what Verify needs.
const (
	propKind   = "chitieu.report"
	propParams = "chitieu.params"
	propHash   = "chitieu.hash"
)

// report is a report ready to write: its params, sheets and labels.
type report struct {
	params    Params
	lang      lang
	name      string // the file name offered for download
	title     string
	subject   string
	generated time.Time
	by        string
	sheets    []*sheet
	hash      string // known once the hashed sheets are written
	auditHead string // the audit chain's head when the report was made, for the cover
}

// headReader is a source that can tell the end of its audit chain.
type headReader interface {
	AuditHead(ctx context.Context) (indicators.AuditHead, error)
}

// readAuditHead notes the audit chain's head as the report is made: the
// cover prints it, so that a report can be set beside the heads file and
// the trail it was made from. It is not part of the content hash, which a
// report re-created later must match.
func (b *Builder) readAuditHead(ctx context.Context, rep *report) error {
	hr, ok := b.Source.(headReader)
	if !ok {
		return nil
	}
	h, err := hr.AuditHead(ctx)
	if err != nil {
		return err
	}
	rep.auditHead = h.String()
	return nil
}

// File is a finished report in a temporary file, waiting to be sent.
type File struct {
	Name        string // the file name to offer
	ContentType string
	Hash        string // the content hash, hex SHA-256
	Size        int64
	dir, path   string
}

// Content types of the reports.
const (
	ContentTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	ContentTypeCSV  = "text/csv; charset=utf-8"
)

// Disposition is the Content-Disposition header that offers the file for
// download under its name.
func (f *File) Disposition() string {
	return mime.FormatMediaType("attachment", map[string]string{"filename": f.Name})
}

// Send copies the report to w, stopping when ctx ends: a client that goes
// away stops the copy. Once the file is open its folder is removed, so
// that the report lives on only in the open file and nothing is left
// behind however the copy ends; a File is sent once.
func (f *File) Send(ctx context.Context, w io.Writer) error {
	in, err := os.Open(f.path)
	if err != nil {
		return fmt.Errorf("reports: open %s: %w", f.Name, err)
	}
	defer in.Close()
	f.Close()
	buf := make([]byte, 256<<10)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, rerr := in.Read(buf)
		if n > 0 {
			if _, err := w.Write(buf[:n]); err != nil {
				return fmt.Errorf("reports: send %s: %w", f.Name, err)
			}
		}
		if errors.Is(rerr, io.EOF) {
			return nil
		}
		if rerr != nil {
			return fmt.Errorf("reports: read %s: %w", f.Name, rerr)
		}
	}
}

// Save moves the report to path, replacing what is there: renamed when
// both are on one file system, copied through a temporary file beside path
// otherwise, so that path never holds half a report.
func (f *File) Save(ctx context.Context, path string) error {
	if err := os.Rename(f.path, path); err == nil {
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".chitieu-report-*")
	if err != nil {
		return fmt.Errorf("reports: save %s: %w", path, err)
	}
	err = f.Send(ctx, tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("reports: save %s: %w", path, err)
	}
	return nil
}

// Close removes the report's temporary files.
func (f *File) Close() error { return os.RemoveAll(f.dir) }

// tempDir makes the folder a report is built in.
func (b *Builder) tempDir() (string, error) {
	dir, err := os.MkdirTemp(b.TempDir, "chitieu-report-")
	if err != nil {
		return "", fmt.Errorf("reports: temporary folder: %w", err)
	}
	return dir, nil
}

// writeXLSX writes rep as a workbook: the hashed sheets first, then the
// cover that prints the hash, then the drawn sheets and the properties.
func (b *Builder) writeXLSX(ctx context.Context, rep *report) (*File, error) {
	dir, err := b.tempDir()
	if err != nil {
		return nil, err
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(dir)
		}
	}()
	if err := b.readAuditHead(ctx, rep); err != nil {
		return nil, err
	}
	wb := newWorkbook(dir, rep.lang, b.maxRows)
	defer wb.f.Close()
	if err := wb.f.SetDefaultFont(fontFamily); err != nil {
		return nil, fmt.Errorf("reports: default font: %w", err)
	}
	for i, s := range rep.sheets {
		if i == 0 {
			err = wb.f.SetSheetName("Sheet1", s.name)
		} else {
			_, err = wb.f.NewSheet(s.name)
		}
		if err != nil {
			return nil, fmt.Errorf("reports: add sheet %s: %w", s.name, err)
		}
	}
	sum := sha256.New()
	h, err := newHashWriter(sum, rep.params)
	if err != nil {
		return nil, err
	}
	ah := newAsyncHash(h)
	defer ah.close()
	for _, s := range rep.sheets {
		if s.rows != nil && !s.deferred {
			if err := wb.writeSheet(ctx, s, ah); err != nil {
				return nil, err
			}
		}
	}
	if err := ah.close(); err != nil {
		return nil, err
	}
	rep.hash = hex.EncodeToString(sum.Sum(nil))
	for _, s := range rep.sheets {
		if s.rows != nil && s.deferred {
			if err := wb.writeSheet(ctx, s, h); err != nil {
				return nil, err
			}
		}
	}
	for _, s := range rep.sheets {
		if s.draw != nil {
			if err := wb.pageSetup(s, s.name); err != nil {
				return nil, err
			}
			if err := s.draw(wb); err != nil {
				return nil, err
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := setProperties(wb.f, rep); err != nil {
		return nil, err
	}
	wb.f.SetActiveSheet(0)
	path := filepath.Join(dir, rep.name)
	if err := wb.save(path); err != nil {
		return nil, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	done = true
	return &File{Name: rep.name, ContentType: ContentTypeXLSX, Hash: rep.hash, Size: st.Size(), dir: dir, path: path}, nil
}

func setProperties(f *excelize.File, rep *report) error {
	params := rep.paramsJSON()
	lang := "vi-VN"
	if rep.lang == langEN {
		lang = "en-GB"
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:       cleanText(rep.title),
		Subject:     cleanText(rep.subject),
		Creator:     "chitieu",
		Description: rep.lang.pick("Mã kiểm tra nội dung (SHA-256): ", "Content hash (SHA-256): ") + rep.hash,
		Identifier:  rep.hash,
		Language:    lang,
		Created:     rep.generated.UTC().Format(time.RFC3339),
		Modified:    rep.generated.UTC().Format(time.RFC3339),
	}); err != nil {
		return fmt.Errorf("reports: document properties: %w", err)
	}
	for _, p := range []excelize.CustomProperty{
		{Name: propKind, Value: rep.params.Kind},
		{Name: propParams, Value: params},
		{Name: propHash, Value: rep.hash},
	} {
		if err := f.SetCustomProps(p); err != nil {
			return fmt.Errorf("reports: property %s: %w", p.Name, err)
		}
	}
	return nil
}
