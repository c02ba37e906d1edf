// Package importers turns uploaded workbooks into batches of values: it
// reads .xlsx safely, recognises chitieu's template, long tables and the
// departments' own wide tables (through mapping profiles), checks every
// cell, classifies the readings against the values in force and drives
// the store through a commit in short steps (see commit.go); the Desk runs
// the web's imports as jobs, a few at a time. No HTTP and no SQL here.
package importers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"chitieu/indicators"
)

// Store is what importing needs of the store.
type Store interface {
	indicators.Store
	indicators.ImportStore
}

// Importer previews, commits and rolls back uploads.
type Importer struct {
	Store   Store
	Limits  Limits
	TempDir string // for temporary copies of uploads; the system's when empty
	Log     *slog.Logger
	// Commits queues the commits, which write one batch at a time; one of
	// a single place is made on first use when nil.
	Commits *Queue
	// Foreground, when set, makes the import give way between chunks to
	// the requests a web server is serving.
	Foreground *Foreground

	commitOnce sync.Once
}

// Options say how to read an upload. Unset fields come from the profile,
// then from the defaults.
type Options struct {
	Profile     *Profile          // a profile to use as given, such as one read from a file
	ProfileName string            // a saved profile, by name
	Unit        string            // the unit the file speaks for
	Locale      indicators.Locale // how numbers written as text are read; Vietnamese by default
	MaxListed   int               // changes and errors listed one by one (default 1,000); all are counted
	// ConfirmNote is the planner's note confirming the plausibility
	// warnings; a commit with warnings and no note is refused.
	ConfirmNote string
	Progress    func(Progress)
}

// Progress is how far an import has come.
type Progress struct {
	Rows      int64 // rows read
	Estimated int64 // rows the sheet declares, which may be wrong; 0 when unknown
	Queued    int   // the place in a queue, from 1, while the import waits its turn; 0 once it runs
	Done      bool
}

// BackgroundRows is the size from which the web runs an import as a
// background job rather than within the request.
const BackgroundRows = 50000

// Change is one new or changed value of a preview.
type Change struct {
	Kind      indicators.ChangeKind `json:"kind"`
	Indicator string                `json:"indicator"`
	Unit      string                `json:"unit"`
	Period    string                `json:"period"`
	Type      indicators.ValueType  `json:"type"`
	Old       *float64              `json:"old"`
	OldHigh   *float64              `json:"old_high,omitempty"`
	New       float64               `json:"new"`
	High      *float64              `json:"high,omitempty"`
	Sheet     string                `json:"sheet"`
	Cell      string                `json:"cell"`
}

// Result is the preview of an upload and what became of it.
type Result struct {
	File      string            `json:"file"`
	SHA256    string            `json:"sha256"`
	Size      int64             `json:"size"`
	Sheet     string            `json:"sheet"`
	Profile   string            `json:"profile"` // the profile's name, or how the table was recognised
	Shape     Shape             `json:"shape"`
	Unit      string            `json:"unit,omitempty"`
	Locale    indicators.Locale `json:"locale"`
	Header    Header            `json:"header"`
	Rows      int64             `json:"rows"` // rows read, header included
	New       int               `json:"new"`
	Changed   int               `json:"changed"`
	Unchanged int               `json:"unchanged"`
	Rejected  int               `json:"rejected"`
	Changes   []Change          `json:"changes"` // the first MaxListed new and changed values
	Errors    []CellError       `json:"errors"`  // the first MaxListed rejected cells
	Warnings  []Notice          `json:"warnings,omitempty"`
	// Plausibility lists the first MaxListed warnings of the plausibility
	// checks (DESIGN §4); Implausible counts them all.
	Plausibility []indicators.PlausibilityWarning `json:"plausibility,omitempty"`
	Implausible  int                              `json:"implausible,omitempty"`
	Unmatched    []Unmatched                      `json:"unmatched,omitempty"`
	Matched      []Matched                        `json:"matched,omitempty"` // names read as indicators, for checking a new profile
	// EarlierBatches are the batches made before from the same file.
	EarlierBatches []int64               `json:"earlier_batches,omitempty"`
	Batch          int64                 `json:"batch,omitempty"`
	State          indicators.BatchState `json:"state,omitempty"` // empty for a preview or when nothing was stored
	Digest         string                `json:"digest"`

	profileJSON string
}

// NothingChanged reports whether the upload holds only values already in
// force.
func (r *Result) NothingChanged() bool { return r.New+r.Changed == 0 && r.Rejected == 0 }

// mode is what a run does with the readings.
type mode int

const (
	previewMode mode = iota // classify only
	commitMode              // store unless a cell is rejected
)

// errRefused is returned with the result when rejected cells stop a commit.
func errRefused(n int) error {
	return indicators.FieldError(indicators.EINVALID, "file",
		fmt.Sprintf("tệp có %d ô bị từ chối nên không số liệu nào được ghi; hãy sửa các ô được liệt kê rồi tải lên lại", n),
		fmt.Sprintf("%d cells were rejected, so nothing was stored", n))
}

// Preview reads an upload and classifies its values against those in
// force, storing nothing.
func (im *Importer) Preview(ctx context.Context, u *Upload, opts Options) (*Result, error) {
	return im.run(ctx, u, opts, previewMode, nil)
}

// Import previews an upload and, when no cell is rejected, commits it as
// one batch. Rejected cells return the result with an error, and nothing
// is stored; values all already in force store nothing either.
func (im *Importer) Import(ctx context.Context, u *Upload, opts Options) (*Result, error) {
	return im.run(ctx, u, opts, commitMode, nil)
}

// Stage previews an upload and, when no cell is rejected, records it as a
// previewed batch with its file, for CommitStaged to commit later exactly
// as previewed.
func (im *Importer) Stage(ctx context.Context, u *Upload, opts Options) (*Result, error) {
	res, err := im.Preview(ctx, u, opts)
	if err != nil || res.Rejected > 0 || res.NothingChanged() {
		return res, err
	}
	f, err := u.Open()
	if err != nil {
		return res, fmt.Errorf("importers: reopen upload: %w", err)
	}
	defer f.Close()
	b, err := im.Store.StageBatch(ctx, res.staged(), f)
	if err != nil {
		return res, err
	}
	res.Batch, res.State = b.ID, b.State
	return res, nil
}

// CommitStaged commits a previewed batch. Should the values in force have
// changed since the preview, so that the commit would not do what the
// planner saw, it is refused and nothing is stored.
func (im *Importer) CommitStaged(ctx context.Context, id int64, progress func(Progress)) (*Result, error) {
	return im.CommitConfirmed(ctx, id, "", progress)
}

// CommitConfirmed commits a previewed batch as CommitStaged does, with the
// planner's note confirming its plausibility warnings, which the batch's
// audit event keeps. A batch with warnings and no note is refused.
func (im *Importer) CommitConfirmed(ctx context.Context, id int64, note string, progress func(Progress)) (*Result, error) {
	sb, err := im.Store.StagedBatch(ctx, id)
	if err != nil {
		return nil, err
	}
	if sb.State != indicators.Previewed {
		return nil, indicators.FieldError(indicators.ECONFLICT, "",
			fmt.Sprintf("lô #%d không ở trạng thái chờ ghi", id), fmt.Sprintf("batch #%d is not waiting to be committed", id))
	}
	p, err := ParseProfile([]byte(sb.ProfileJSON))
	if err != nil {
		return nil, err
	}
	if p.Name == "" {
		p.Name = sb.Profile // as the preview named it: "biểu mẫu chitieu" …
	}
	u, err := im.restore(ctx, id, sb.FileName)
	if err != nil {
		return nil, err
	}
	defer u.Close()
	loc, _ := indicators.ParseLocale(sb.Locale)
	return im.run(ctx, u, Options{Profile: p, Unit: readUnit(p, sb.Batch), Locale: loc, Progress: progress, ConfirmNote: note}, commitMode, &sb)
}

// readUnit is the unit a staged batch's file was read for: the one its
// profile keeps; for a batch staged before profiles kept it, the batch's
// own, which was then that unit. (A batch is staged only when no cell was
// rejected, so no row of it lacked a unit of its own but for the one read
// for, and naming its values' unit changes nothing of how it reads.)
func readUnit(p *Profile, b indicators.Batch) string {
	if p.Unit != "" {
		return ""
	}
	return b.Unit
}

// restore copies a batch's kept file into a temporary upload.
func (im *Importer) restore(ctx context.Context, id int64, name string) (*Upload, error) {
	pr, pw := io.Pipe()
	go func() {
		_, err := im.Store.BatchFile(ctx, id, pw)
		pw.CloseWithError(err)
	}()
	u, err := Receive(pr, name, im.TempDir, Limits{MaxBytes: 1 << 40})
	pr.Close()
	return u, err
}

// Rollback undoes a committed batch.
func (im *Importer) Rollback(ctx context.Context, id int64) (indicators.RollbackResult, error) {
	return im.Store.RollbackBatch(ctx, id)
}

func (r *Result) staged() indicators.StagedBatch {
	return indicators.StagedBatch{
		Batch: indicators.Batch{FileName: r.File, SHA256: r.SHA256, Size: r.Size, Profile: r.Profile, Unit: r.Unit,
			Locale: string(r.Locale), New: r.New, Changed: r.Changed, Unchanged: r.Unchanged, Rejected: r.Rejected},
		ProfileJSON: r.profileJSON, Digest: r.Digest, Rows: int(r.Rows)}
}

// pipeline holds what the reading and mapping goroutines share.
type pipeline struct {
	mu   sync.Mutex
	err  error
	rows atomic.Int64
	wg   sync.WaitGroup
}

func (pl *pipeline) fail(err error) {
	pl.mu.Lock()
	if pl.err == nil {
		pl.err = err
	}
	pl.mu.Unlock()
}

func (pl *pipeline) failure() error {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	return pl.err
}

// recovered turns a panic while parsing into a failed upload, logging the
// stack for the developers; the server carries on.
func (im *Importer) recovered(name string, report func(error)) {
	if r := recover(); r != nil {
		im.log().Error("importers: panic while reading an upload", "file", name, "panic", r, "stack", string(debug.Stack()))
		report(indicators.FieldError(indicators.EINVALID, "file",
			fmt.Sprintf("tệp %s: không đọc được tệp (lỗi khi phân tích nội dung); hãy mở và lưu lại trong Excel rồi tải lên, hoặc báo quản trị viên", name),
			fmt.Sprintf("file %s could not be read (the parser failed)", name)))
	}
}

func (im *Importer) log() *slog.Logger {
	if im.Log != nil {
		return im.Log
	}
	return slog.Default()
}

// rowChunk carries rows from the reader to the mapper; its rows' cells
// live in its own storage, since the reader reuses its row.
type rowChunk struct {
	rows  []Row
	cells []Cell
}

const (
	rowsPerChunk     = 256
	readingsPerChunk = 1024
)

// add copies a row's cells up to column maxCol: cells right of the header
// are never read, and a sheet padded with them should cost nothing.
func (ch *rowChunk) add(r *Row, maxCol int) {
	start := len(ch.cells)
	for _, c := range r.Cells {
		if c.Col <= maxCol {
			ch.cells = append(ch.cells, c)
		}
	}
	ch.rows = append(ch.rows, Row{Num: r.Num, Cells: ch.cells[start:len(ch.cells):len(ch.cells)]})
}

// run reads an upload through a pipeline of goroutines — the reader
// inflating and parsing the sheet, the mapper checking cells into readings,
// this one classifying them and, when committing, a writer storing them a
// chunk per transaction — so that parsing, validation and storage overlap.
// staged, when set, is the previewed batch being committed.
func (im *Importer) run(ctx context.Context, u *Upload, opts Options, m mode, staged *indicators.StagedBatch) (res *Result, err error) {
	defer im.recovered(u.Name, func(e error) { res, err = nil, e })
	wb, err := OpenWorkbook(u, im.Limits)
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	cat, err := loadCatalogue(ctx, im.Store)
	if err != nil {
		return nil, err
	}
	heads := newHeads(wb)
	prof, source, err := im.choose(ctx, wb, heads, opts)
	if err != nil {
		return nil, err
	}
	plan, err := prepare(wb, heads, prof, opts, cat)
	if err != nil {
		return nil, err
	}
	// The unit the file was read for (the rows' default) goes with the
	// profile, so that the commit reads the file as the preview did; the
	// batch's own unit is the one its values went to (see Finish below),
	// never merely the one a form named.
	kept := *prof
	if plan.unit >= 0 {
		kept.Unit = cat.units[plan.unit].Code
	}
	res = &Result{File: u.Name, SHA256: u.SHA256, Size: u.Size, Sheet: plan.sheet, Profile: source, Shape: prof.Shape,
		Locale: plan.locale, Header: plan.header, Changes: []Change{}, Errors: []CellError{}, profileJSON: string(kept.JSON()),
		Unit: kept.Unit}
	if earlier, err := im.Store.BatchesOfFile(ctx, u.SHA256); err == nil {
		for _, b := range earlier {
			if b.State == indicators.Committed || b.State == indicators.RolledBack {
				res.EarlierBatches = append(res.EarlierBatches, b.ID)
			}
		}
	}
	maxListed := opts.MaxListed
	if maxListed <= 0 {
		maxListed = 1000
	}
	col := newCollector(cat, indicators.ActorFrom(ctx), plan.sheet, plan.locale, wb.date1904, maxListed)
	// A store that runs the approval cycle names the locked periods, so
	// that the preview refuses their cells with the reason; the store
	// refuses them at the commit whatever the preview said.
	if ls, ok := im.Store.(interface {
		Locks(context.Context) (indicators.Locks, error)
	}); ok {
		if col.locks, err = ls.Locks(ctx); err != nil {
			return nil, err
		}
	}

	if m == commitMode {
		var turn Ticket
		if err := im.waitTurn(ctx, &turn, opts.Progress); err != nil {
			return nil, err
		}
		defer im.commits().Leave(&turn)
	}

	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pl := &pipeline{}
	rowsCh := make(chan *rowChunk, 4)
	readCh := make(chan []indicators.Reading, 4)
	pl.wg.Add(2)
	go im.readRows(pctx, pl, wb, plan, rowsCh)
	go im.mapRows(pctx, pl, plan.table, col, rowsCh, readCh)
	stopProgress := im.reportProgress(opts.Progress, pl, int64(plan.declared))

	batch := res.staged()
	var w *batchWriter
	if m == commitMode {
		if staged != nil {
			batch.ID = staged.ID
		}
		w = im.startWriter(pctx, batch, func() (io.ReadCloser, error) { return u.Open() }, &col.refused)
	}
	cands := im.newCandidates(ctx)
	counts, err := im.classifyAll(pctx, res, readCh, w, cands, maxListed)
	if w != nil {
		if werr := w.wait(); err == nil {
			err = werr
		}
	}
	cancel()
	pl.wg.Wait()
	stopProgress()
	if err == nil {
		err = pl.failure()
	}
	if err == nil {
		err = ctx.Err()
	}
	res.Rows, res.Rejected = pl.rows.Load(), col.rejected
	res.Unit = col.soleUnit()
	if err == nil && staged != nil && res.Digest != staged.Digest {
		err = indicators.FieldError(indicators.ECONFLICT, "",
			fmt.Sprintf("số liệu đã thay đổi từ lúc xem trước lô #%d (có lô khác được ghi sau đó); hãy xem trước lại trước khi ghi", staged.ID),
			fmt.Sprintf("the values changed since batch #%d was previewed (another batch was committed since); preview it again before committing", staged.ID))
	}
	if err == nil && m == commitMode && col.rejected > 0 {
		err = errRefused(col.rejected)
	}
	// The change list is complete here, and nothing of it is seen yet.
	if err == nil {
		err = im.checkPlausibility(ctx, res, cat, cands.list, maxListed)
	}
	if err == nil && m == commitMode && res.Implausible > 0 && strings.TrimSpace(opts.ConfirmNote) == "" {
		err = errUnconfirmed(res.Implausible)
	}
	var b indicators.StagedBatch
	if w != nil {
		b = w.batch
		switch {
		case err != nil:
			if aerr := w.abort(err); aerr != nil {
				im.log().Error("importers: withdraw a failed commit", "batch", b.ID, "err", aerr)
			}
		case w.begun:
			b.New, b.Changed, b.Unchanged = counts.New, counts.Changed, counts.Unchanged
			b.Rows, b.Rejected, b.Digest, b.Unit = int(res.Rows), res.Rejected, res.Digest, res.Unit
			b.Warnings, b.ConfirmNote = res.Implausible, opts.ConfirmNote
			if b, err = im.Store.FinishCommit(context.WithoutCancel(ctx), b); err != nil {
				if aerr := w.abort(err); aerr != nil {
					im.log().Error("importers: withdraw a failed commit", "batch", b.ID, "err", aerr)
				}
			}
		}
	}
	res.Errors = append(res.Errors, col.errors...)
	res.Warnings, res.Unmatched, res.Matched = col.warnings, col.unmatched, col.matched
	if cands.unchecked > 0 {
		res.Warnings = append(res.Warnings, uncheckedNotice(len(cands.list), cands.unchecked))
	}
	if plan.declared > 1000 && int64(plan.declared) > 10*max(res.Rows, 1) {
		res.Warnings = append(res.Warnings, Notice{
			VI: fmt.Sprintf("trang %q khai báo %s dòng nhưng chỉ có %s dòng có nội dung; đã đọc theo nội dung thực", plan.sheet,
				indicators.FormatNumber(float64(plan.declared), 0, "vi"), indicators.FormatNumber(float64(res.Rows), 0, "vi")),
			EN: fmt.Sprintf("sheet %q declares %s rows but only %s rows have content; it was read by its actual content", plan.sheet,
				indicators.FormatNumber(float64(plan.declared), 0, "en"), indicators.FormatNumber(float64(res.Rows), 0, "en"))})
	}
	if n := plan.table.skippedUnits(); n > 0 {
		res.Warnings = append(res.Warnings, noticef("đã bỏ qua %d dòng của các đơn vị không được ánh xạ (other_units: skip)",
			"skipped %d rows of units the profile does not map (other_units: skip)", n))
	}
	if err != nil {
		if failure := pl.failure(); failure != nil && !errors.Is(err, failure) {
			err = failure
		}
		var de *indicators.Error
		if errors.As(err, &de) && (res.Rejected > 0 || res.Implausible > 0) {
			return res, err // the preview says which cells to fix or confirm
		}
		if errors.As(err, &de) && de.Code == indicators.ECONFLICT {
			return res, err
		}
		return nil, err
	}
	if w != nil && w.begun {
		res.Batch, res.State = b.ID, b.State
	}
	return res, nil
}

// classifyAll classifies the readings against the values in force, in
// file order, adding each to the result and its digest, and hands the new
// and changed ones to w (when committing) a chunk at a time.
func (im *Importer) classifyAll(ctx context.Context, res *Result, in <-chan []indicators.Reading, w *batchWriter,
	cands *candidates, maxListed int) (indicators.ImportCounts, error) {
	var counts indicators.ImportCounts
	held := newHeldValues(im.Store)
	digest := sha256.New()
	var line []byte
	var chunk []indicators.Change
	var err error
	for readings := range in {
		if err != nil {
			continue // drained, so that the mapper never blocks
		}
		for i := range readings {
			r := &readings[i]
			h, ok, herr := held.get(ctx, r.Key)
			if herr != nil {
				err = herr
				break
			}
			c := classify(r, h, ok)
			switch c.Kind {
			case indicators.NewValue:
				counts.New++
			case indicators.ChangedValue:
				counts.Changed++
			default:
				counts.Unchanged++
			}
			line = res.addChange(c, digest, line, maxListed)
			cands.add(c)
			if w != nil && c.Kind != indicators.UnchangedValue {
				chunk = append(chunk, c)
				if len(chunk) == commitChunk {
					select {
					case w.in <- chunk:
					case <-ctx.Done():
						err = ctx.Err()
					}
					chunk = nil
				}
			}
		}
	}
	if err == nil && w != nil && len(chunk) > 0 {
		select {
		case w.in <- chunk:
		case <-ctx.Done():
			err = ctx.Err()
		}
	}
	res.Digest = hex.EncodeToString(digest.Sum(nil))
	return counts, err
}

// addChange counts a classified reading, lists it while the list is short,
// and adds it to the digest that ties a commit to its preview.
func (r *Result) addChange(c indicators.Change, digest hash.Hash, line []byte, maxListed int) []byte {
	switch c.Kind {
	case indicators.NewValue:
		r.New++
	case indicators.ChangedValue:
		r.Changed++
	default:
		r.Unchanged++
	}
	line = append(line[:0], c.Kind...)
	line = append(line, '|')
	line = append(line, c.Key.String()...)
	line = append(line, '|')
	line = strconv.AppendInt(line, c.OldID, 10)
	line = append(line, '|')
	line = strconv.AppendFloat(line, c.Value, 'g', -1, 64)
	if c.High != nil {
		line = append(line, '-')
		line = strconv.AppendFloat(line, *c.High, 'g', -1, 64)
	}
	line = append(line, '|')
	line = append(line, c.Cell...)
	line = append(line, '\n')
	digest.Write(line)
	if c.Kind != indicators.UnchangedValue && len(r.Changes) < maxListed {
		ch := Change{Kind: c.Kind, Indicator: c.Indicator, Unit: c.Unit, Period: c.Period.String(), Type: c.Type,
			New: c.Value, High: c.High, Sheet: c.Sheet, Cell: c.Cell}
		if c.Kind == indicators.ChangedValue {
			old := c.Old
			ch.Old, ch.OldHigh = &old, c.OldHigh
		}
		r.Changes = append(r.Changes, ch)
	}
	return line
}

// readRows streams the sheet's rows below the header to the mapper.
func (im *Importer) readRows(ctx context.Context, pl *pipeline, wb *Workbook, plan *plan, out chan<- *rowChunk) {
	defer pl.wg.Done()
	defer close(out)
	defer im.recovered(wb.Name, pl.fail)
	sr, err := wb.OpenSheet(plan.sheet)
	if err != nil {
		pl.fail(err)
		return
	}
	defer sr.Close()
	chunk := &rowChunk{cells: make([]Cell, 0, rowsPerChunk*8)}
	for sr.Next() {
		r := sr.Row()
		pl.rows.Add(1)
		if r.Num <= plan.headerEnd {
			continue
		}
		chunk.add(r, plan.lastCol)
		if len(chunk.rows) == rowsPerChunk {
			im.Foreground.Yield(ctx)
			select {
			case out <- chunk:
			case <-ctx.Done():
				return
			}
			chunk = &rowChunk{cells: make([]Cell, 0, rowsPerChunk*8)}
		}
	}
	if err := sr.Err(); err != nil {
		pl.fail(err)
		return
	}
	select {
	case out <- chunk:
	case <-ctx.Done():
	}
}

// mapRows turns rows into readings.
func (im *Importer) mapRows(ctx context.Context, pl *pipeline, t table, col *collector, in <-chan *rowChunk, out chan<- []indicators.Reading) {
	defer pl.wg.Done()
	defer close(out)
	defer im.recovered(col.sheet, pl.fail)
	send := func() bool {
		select {
		case out <- col.take():
			return true
		case <-ctx.Done():
			return false
		}
	}
	for chunk := range in {
		for i := range chunk.rows {
			t.mapRow(&chunk.rows[i], col)
		}
		if len(col.readings) >= readingsPerChunk && !send() {
			return
		}
	}
	if len(col.readings) > 0 {
		send()
	}
}

// reportProgress calls progress four times a second until stopped, and
// once more at the end.
func (im *Importer) reportProgress(progress func(Progress), pl *pipeline, declared int64) (stop func()) {
	if progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				progress(Progress{Rows: pl.rows.Load(), Estimated: declared})
			case <-done:
				return
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
		progress(Progress{Rows: pl.rows.Load(), Estimated: declared, Done: true})
	}
}
