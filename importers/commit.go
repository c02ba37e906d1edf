package importers

import (
	"cmp"
	"context"
	"io"
	"math"
	"slices"
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
// value it holds, so they are kept in flat arrays per pair, sorted by their
// period and type packed in 32 bits, and found by binary search: 16 bytes
// a value (slot, ID as an offset from the pair's smallest, value), with
// the upper ends of the few ranges and any key that does not pack aside.
// Kept as the store returns them (a Key with three strings per value), a
// million values held over 300 MB at the peak of importing a file again;
// in a map by a packed key, 63 MB live and a peak of 205 MB; in these
// arrays, 17 MB and a peak of 125 MB (95 MB once seenKeys packed the
// keys met as well).
type heldValues struct {
	store Store
	pairs map[[2]string]*heldPair
	types map[indicators.ValueType]uint32 // a number for each type met
}

// heldPair is the values in force of one indicator and unit.
type heldPair struct {
	slots  []uint32                                // sorted
	base   int64                                   // the smallest ID
	ids    []uint32                                // ID − base, while every ID is within 2³² of base
	wide   []int64                                 // the IDs, when they are not
	values []float64                               // by slot
	highs  map[int]float64                         // the upper end of a range, by index
	odd    map[indicators.Key]indicators.HeldValue // keys that do not pack
}

func newHeldValues(store Store) *heldValues {
	return &heldValues{store: store, pairs: map[[2]string]*heldPair{}, types: map[indicators.ValueType]uint32{}}
}

// periodKinds number the kinds of period for slot.
var periodKinds = map[indicators.PeriodKind]uint32{indicators.Year: 0, indicators.Half: 1, indicators.Quarter: 2,
	indicators.Month: 3, indicators.YearToDate: 4}

// slot packs a key's period and type in 32 bits: the year in the high 16,
// then the kind and the half, quarter or month (N ≤ 12) in 4 bits each,
// then the type in 8. A key that does not fit (a year beyond 65535, more
// than 256 types) is not packed: ok is false.
func (h *heldValues) slot(p indicators.Period, t indicators.ValueType) (s uint32, ok bool) {
	kind, ok := periodKinds[p.Kind]
	if !ok || p.Year < 0 || p.Year > 0xffff || p.N < 0 || p.N > 0xf {
		return 0, false
	}
	typ, ok := h.types[t]
	if !ok {
		if len(h.types) > 0xff {
			return 0, false
		}
		typ = uint32(len(h.types))
		h.types[t] = typ
	}
	return uint32(p.Year)<<16 | kind<<12 | uint32(p.N)<<8 | typ, true
}

// load keeps the values in force of a pair as the store returned them.
func (h *heldValues) load(byKey map[indicators.Key]indicators.HeldValue) *heldPair {
	type entry struct {
		slot uint32
		v    indicators.HeldValue
	}
	entries := make([]entry, 0, len(byKey))
	hp := &heldPair{}
	for k, v := range byKey {
		s, ok := h.slot(k.Period, k.Type)
		if !ok {
			if hp.odd == nil {
				hp.odd = map[indicators.Key]indicators.HeldValue{}
			}
			hp.odd[k] = v
			continue
		}
		entries = append(entries, entry{s, v})
	}
	slices.SortFunc(entries, func(a, b entry) int { return cmp.Compare(a.slot, b.slot) })
	hp.slots = make([]uint32, len(entries))
	hp.values = make([]float64, len(entries))
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for _, e := range entries {
		lo, hi = min(lo, e.v.ID), max(hi, e.v.ID)
	}
	narrow := len(entries) > 0 && uint64(hi-lo) <= math.MaxUint32
	if narrow {
		hp.base, hp.ids = lo, make([]uint32, len(entries))
	} else {
		hp.wide = make([]int64, len(entries))
	}
	for i, e := range entries {
		hp.slots[i], hp.values[i] = e.slot, e.v.Value
		if narrow {
			hp.ids[i] = uint32(e.v.ID - lo)
		} else {
			hp.wide[i] = e.v.ID
		}
		if e.v.High != nil {
			if hp.highs == nil {
				hp.highs = map[int]float64{}
			}
			hp.highs[i] = *e.v.High
		}
	}
	return hp
}

func (h *heldValues) get(ctx context.Context, k indicators.Key) (indicators.HeldValue, bool, error) {
	pk := [2]string{k.Indicator, k.Unit}
	hp, ok := h.pairs[pk]
	if !ok {
		byKey, err := h.store.HeldValues(ctx, k.Indicator, k.Unit)
		if err != nil {
			return indicators.HeldValue{}, false, err
		}
		hp = h.load(byKey)
		h.pairs[pk] = hp
	}
	s, packed := h.slot(k.Period, k.Type)
	if !packed {
		v, ok := hp.odd[k]
		return v, ok, nil
	}
	i, found := slices.BinarySearch(hp.slots, s)
	if !found {
		return indicators.HeldValue{}, false, nil
	}
	v := indicators.HeldValue{Value: hp.values[i]}
	if hp.ids != nil {
		v.ID = hp.base + int64(hp.ids[i])
	} else {
		v.ID = hp.wide[i]
	}
	if high, ok := hp.highs[i]; ok {
		v.High = &high
	}
	return v, true, nil
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
