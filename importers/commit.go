package importers

import (
	"context"
	"io"
	"sync/atomic"
	"time"

	"chitieu/indicators"
)

// A commit is a straight line that the importer drives, with no callback
// from the store: the readings are classified here against the values in
// force, read a pair of indicator and unit at a time in short reads; the
// changes go to the store a chunk per short transaction (WriteCommit),
// invisible to readers until FinishCommit makes the whole batch visible in
// one more short transaction; any failure withdraws them (AbortCommit),
// and so does the store when it opens after a commit was cut off. A reader
// or a short write thus waits for one chunk at most, never for a file.
// Commits take turns through the importer's commit queue, so that batches
// are written one at a time.

// commitChunk is how many changes one transaction of a commit writes:
// a few tens of milliseconds of work, which is what another writer may
// have to wait.
const commitChunk = 2000

// classify returns the change a reading makes against the value in force.
func classify(r *indicators.Reading, h indicators.HeldValue, ok bool) indicators.Change {
	c := indicators.Change{Kind: indicators.NewValue, Reading: *r}
	if !ok {
		return c
	}
	c.OldID, c.Old, c.OldHigh = h.ID, h.Value, h.High
	if h.Value == r.Value && sameHigh(h.High, r.High) {
		c.Kind = indicators.UnchangedValue
	} else {
		c.Kind = indicators.ChangedValue
	}
	return c
}

func sameHigh(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// heldValues reads the values in force one indicator and unit at a time,
// on first use, and keeps them for the rest of the file, since a long table
// meets each pair again and again. A file that changes nothing meets every
// value it holds, so they are kept small: keyed by their period and type
// packed in a number, with the pair's strings once per pair. Kept as the
// store returns them (a Key with three strings per value), a million
// values held over 300 MB at the peak of importing a file again.
type heldValues struct {
	store Store
	pairs map[[2]string]map[uint64]indicators.HeldValue
	kinds map[indicators.PeriodKind]uint64 // a number for each kind and type met
	types map[indicators.ValueType]uint64
}

func newHeldValues(store Store) *heldValues {
	return &heldValues{store: store, pairs: map[[2]string]map[uint64]indicators.HeldValue{},
		kinds: map[indicators.PeriodKind]uint64{}, types: map[indicators.ValueType]uint64{}}
}

// slot packs a key's period and type: the year in the high 32 bits (a
// year is well within them), then the kind, the half, quarter or month
// and the type, a byte each (kinds and types are a handful, N ≤ 12).
func (h *heldValues) slot(p indicators.Period, t indicators.ValueType) uint64 {
	kind, ok := h.kinds[p.Kind]
	if !ok {
		kind = uint64(len(h.kinds))
		h.kinds[p.Kind] = kind
	}
	typ, ok := h.types[t]
	if !ok {
		typ = uint64(len(h.types))
		h.types[t] = typ
	}
	return uint64(uint32(p.Year))<<32 | (kind&0xff)<<16 | uint64(uint8(p.N))<<8 | typ&0xff
}

func (h *heldValues) get(ctx context.Context, k indicators.Key) (indicators.HeldValue, bool, error) {
	pk := [2]string{k.Indicator, k.Unit}
	slots, ok := h.pairs[pk]
	if !ok {
		byKey, err := h.store.HeldValues(ctx, k.Indicator, k.Unit)
		if err != nil {
			return indicators.HeldValue{}, false, err
		}
		slots = make(map[uint64]indicators.HeldValue, len(byKey))
		for key, v := range byKey {
			slots[h.slot(key.Period, key.Type)] = v
		}
		h.pairs[pk] = slots
	}
	v, ok := slots[h.slot(k.Period, k.Type)]
	return v, ok, nil
}

// commits is the importer's commit queue, made on first use.
func (im *Importer) commits() *Queue {
	im.commitOnce.Do(func() {
		if im.Commits == nil {
			im.Commits = NewQueue(1)
		}
	})
	return im.Commits
}

// waitTurn waits for the commit queue, telling progress the place while
// it waits.
func (im *Importer) waitTurn(ctx context.Context, t *Ticket, progress func(Progress)) error {
	q := im.commits()
	if progress == nil {
		return q.Wait(ctx, t)
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				if place := q.Place(t); place > 0 {
					progress(Progress{Queued: place})
				}
			case <-stop:
				return
			}
		}
	}()
	if place := q.Place(t); place > 0 {
		progress(Progress{Queued: place})
	}
	return q.Wait(ctx, t)
}

// batchWriter writes a commit's changes as they are classified, in a
// goroutine of its own: it begins the commit at the first chunk (keeping
// the file of a batch not staged before), then writes a chunk per
// transaction. It stops writing once a cell is rejected, since the batch
// will be refused.
type batchWriter struct {
	im      *Importer
	ctx     context.Context
	batch   indicators.StagedBatch
	file    func() (io.ReadCloser, error) // the upload, kept by a batch made here
	refused *atomic.Bool
	in      chan []indicators.Change
	done    chan error
	begun   bool
}

func (im *Importer) startWriter(ctx context.Context, b indicators.StagedBatch, file func() (io.ReadCloser, error),
	refused *atomic.Bool) *batchWriter {
	w := &batchWriter{im: im, ctx: ctx, batch: b, file: file, refused: refused,
		in: make(chan []indicators.Change, 2), done: make(chan error, 1)}
	go w.loop()
	return w
}

func (w *batchWriter) loop() {
	var err error
	for chunk := range w.in {
		if err != nil || w.refused.Load() {
			continue // drained, so that the classifier never blocks
		}
		if !w.begun {
			if err = w.begin(); err != nil {
				continue
			}
		}
		w.im.Foreground.Yield(w.ctx)
		err = w.im.Store.WriteCommit(w.ctx, w.batch, chunk)
	}
	w.done <- err
}

func (w *batchWriter) begin() error {
	var f io.ReadCloser
	if w.batch.ID == 0 && w.file != nil {
		var err error
		if f, err = w.file(); err != nil {
			return err
		}
		defer f.Close()
	}
	b, err := w.im.Store.BeginCommit(w.ctx, w.batch, f)
	if err != nil {
		return err
	}
	w.batch, w.begun = b, true
	return nil
}

// wait closes the writer's input and waits for it to end.
func (w *batchWriter) wait() error {
	close(w.in)
	return <-w.done
}

// abort withdraws what the writer wrote, if anything, whatever ctx says.
func (w *batchWriter) abort(reason error) error {
	if !w.begun {
		return nil
	}
	msg := "refused"
	if reason != nil {
		msg = reason.Error()
	}
	return w.im.Store.AbortCommit(context.WithoutCancel(w.ctx), w.batch.ID, msg)
}
