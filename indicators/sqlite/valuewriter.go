package sqlite

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"chitieu/indicators"
)

// valueWriter appends values and audit events inside one write transaction,
// fast enough for a batch of a million values, with the same rows and the
// same audit events as one insertValue and one audit call per value:
//   - the value each one supersedes comes from one query per indicator and
//     unit, not one per value;
//   - the chain's last hash and the next IDs are kept in memory, which is
//     safe because the transaction holds the only write connection;
//   - rows are inserted many to a statement, through prepared statements.
//
// It builds rows and hands them, a few hundred at a time, to emit: the
// inserter of the same goroutine, or one running beside it (see
// commitImport), so that building and inserting overlap. Nothing else may
// write audit events in the transaction while a writer is open, since the
// writer's idea of the chain's end would go stale.
type valueWriter struct {
	db    *DB
	ctx   context.Context
	actor indicators.Actor
	// lookup is where values in force are read: the transaction itself,
	// or a snapshot of the database as the transaction found it.
	lookup  queryer
	current map[pairKey]map[slotKey]heldValue
	nHeld   int     // values in current; past maxHeld, keys are looked up one by one
	one     heldOne // unless track is set
	// track keeps each added value as the one in force for its key, for a
	// later value of the same key in the same transaction. An import does
	// without: its keys are unique (the importer refuses a batch with two
	// cells for one key), and a million tracked values would cost more
	// memory than the rest of the import.
	track bool
	// excludeBatch, when set, leaves that batch's values out of those in
	// force: the batch being rolled back.
	excludeBatch int64
	// at, when set, is the moment of every event and value of the writer:
	// a batch is entered at one moment.
	at     time.Time
	atText string

	nextValue, nextEvent int64
	lastHash             string

	groups map[string]int // task group of each indicator met, for the scope check
	// locks are the locked periods, read on the first value added.
	locks indicators.Locks
	// files holds the file hash of each batch met, which an event of the
	// batch leaves to the batch rather than repeat (migration 0015).
	files map[int64]string

	rows  insertRows // not yet handed over
	emit  func(insertRows) error
	reuse bool // emit is done with the rows when it returns

	json, hashBuf []byte
}

// queryer is a transaction or a database.
type queryer interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	PrepareContext(context.Context, string) (*sql.Stmt, error)
}

// insertRows are rows of data_values and audit_events to insert, as
// arguments of multi-row inserts.
type insertRows struct {
	values, events   []any
	nValues, nEvents int
	firstKey         string // of the first value, for errors
}

// pairKey and slotKey split a value's key so that current values can be
// loaded one indicator and unit at a time.
type pairKey struct{ indicator, unit string }

type slotKey struct {
	period string
	typ    indicators.ValueType
}

// heldValue is the value in force for a key.
type heldValue struct {
	id    int64
	value float64
	high  *float64
}

const (
	valueColumns  = 15
	eventColumns  = 11
	rowsPerInsert = 128 // 128 × 15 parameters stay far below SQLite's limit
)

func placeholders(rows, cols int) string {
	row := "(?" + strings.Repeat(", ?", cols-1) + ")"
	return strings.Repeat(row+", ", rows-1) + row
}

// newValueWriter starts a writer in tx that inserts through tx itself.
func (db *DB) newValueWriter(ctx context.Context, tx *sql.Tx) (*valueWriter, *inserter, error) {
	ins := &inserter{ctx: ctx, tx: tx}
	w, err := db.newRowBuilder(ctx, tx, tx, ins.insert)
	if err != nil {
		return nil, nil, err
	}
	w.reuse, w.track = true, true
	return w, ins, nil
}

// newRowBuilder starts a writer for tx whose rows go to emit and whose
// values in force are read through lookup.
func (db *DB) newRowBuilder(ctx context.Context, tx *sql.Tx, lookup queryer, emit func(insertRows) error) (*valueWriter, error) {
	w := &valueWriter{db: db, ctx: ctx, actor: indicators.ActorFrom(ctx), lookup: lookup, emit: emit,
		current: map[pairKey]map[slotKey]heldValue{}}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM data_values`).Scan(&w.nextValue); err != nil {
		return nil, fmt.Errorf("sqlite: next value id: %w", err)
	}
	err := tx.QueryRowContext(ctx, `SELECT id + 1, `+hashHex+` FROM audit_events ORDER BY id DESC LIMIT 1`).Scan(&w.nextEvent, &w.lastHash)
	if err == sql.ErrNoRows {
		w.nextEvent, w.lastHash, err = 1, "", nil
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: read last audit event: %w", err)
	}
	return w, nil
}

// setMoment makes every value and event of the writer carry moment at.
func (w *valueWriter) setMoment(at time.Time) {
	w.at, w.atText = at.UTC(), fmtTime(at)
}

// held returns the value in force for k, loading the current values of k's
// indicator and unit on first use.
func (w *valueWriter) held(k indicators.Key) (heldValue, bool, error) {
	pk := pairKey{k.Indicator, k.Unit}
	slots, ok := w.current[pk]
	if !ok {
		if !w.track && w.nHeld >= maxHeld {
			return w.one.get(w.ctx, w.lookup, k, w.excludeBatch)
		}
		var err error
		if slots, err = loadCurrent(w.ctx, w.lookup, pk, w.excludeBatch); err != nil {
			return heldValue{}, false, err
		}
		w.current[pk] = slots
		w.nHeld += len(slots)
	}
	h, ok := slots[slotKey{periodText(k.Period), k.Type}]
	return h, ok, nil
}

// notPending leaves out the values of a batch still being committed, which
// no reader may see (see BeginCommit); on a table aliased v, use
// notPendingV.
const (
	notPending  = `(batch IS NULL OR batch NOT IN (SELECT batch FROM import_pending))`
	notPendingV = `(v.batch IS NULL OR v.batch NOT IN (SELECT batch FROM import_pending))`
)

// loadCurrent returns the values in force of one indicator and unit: per
// period and type, the newest one not retracted, leaving out the values of
// batch exclude (when not 0).
func loadCurrent(ctx context.Context, q queryer, pk pairKey, exclude int64) (map[slotKey]heldValue, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, period, type, value, high FROM data_values
		WHERE indicator = ? AND unit = ? AND retracted_at = '' AND (? = 0 OR batch IS NULL OR batch <> ?)
		AND `+notPending+` ORDER BY entered_at, id`, pk.indicator, pk.unit, exclude, exclude)
	if err != nil {
		return nil, fmt.Errorf("sqlite: current values of %s/%s: %w", pk.indicator, pk.unit, err)
	}
	defer rows.Close()
	slots := map[slotKey]heldValue{}
	for rows.Next() {
		var s slotKey
		var h heldValue
		var high sql.NullFloat64
		if err := rows.Scan(&h.id, &s.period, &s.typ, &h.value, &high); err != nil {
			return nil, fmt.Errorf("sqlite: scan current value: %w", err)
		}
		if high.Valid {
			h.high = &high.Float64
		}
		slots[s] = h
	}
	return slots, rows.Err()
}

// periodText is Period.String without fmt, which a million values feel.
func periodText(p indicators.Period) string {
	y := strconv.Itoa(p.Year)
	switch p.Kind {
	case indicators.Half:
		return y + "-H" + strconv.Itoa(p.N)
	case indicators.Quarter:
		return y + "-Q" + strconv.Itoa(p.N)
	case indicators.Month:
		if p.N < 10 {
			return y + "-0" + strconv.Itoa(p.N)
		}
		return y + "-" + strconv.Itoa(p.N)
	case indicators.YearToDate:
		if p.N < 10 {
			return y + "-YTD0" + strconv.Itoa(p.N)
		}
		return y + "-YTD" + strconv.Itoa(p.N)
	}
	return y
}

// add appends v, superseding the value in force for its key, with its
// audit event. fileHash names the uploaded file it came from, if any.
func (w *valueWriter) add(v *indicators.Value, fileHash string) error {
	prev, hadPrev, err := w.held(v.Key)
	if err != nil {
		return err
	}
	return w.addOver(v, fileHash, prev, hadPrev)
}

// addOver appends v, superseding prev (when hadPrev), the value in force
// for its key as the caller found it, with its audit event.
func (w *valueWriter) addOver(v *indicators.Value, fileHash string, prev heldValue, hadPrev bool) error {
	enteredAt := w.atText
	if w.at.IsZero() {
		if v.EnteredAt.IsZero() {
			v.EnteredAt = w.db.now()
		}
		enteredAt = fmtTime(v.EnteredAt)
	} else {
		v.EnteredAt = w.at
	}
	if v.EnteredBy == "" {
		v.EnteredBy = w.actor.User
	}
	if err := mayWriteValue(w.actor, w.group, v); err != nil {
		return err
	}
	if err := w.checkLock(v); err != nil {
		return err
	}
	v.ID = w.nextValue
	w.nextValue++
	var batch, high any
	if v.Batch != 0 {
		batch = v.Batch
	}
	if v.High != nil {
		high = *v.High
	}
	period := periodText(v.Period)
	key := v.Indicator + "/" + v.Unit + "/" + period + "/" + string(v.Type)
	r := &w.rows
	if r.nValues == 0 {
		r.firstKey = key
	}
	r.values = append(r.values, v.ID, v.Indicator, v.Unit, period, v.Period.Year, string(v.Type), v.Value, high,
		v.Note, v.Source, batch, v.Sheet, v.Cell, v.EnteredBy, enteredAt)
	r.nValues++
	if w.track {
		w.current[pairKey{v.Indicator, v.Unit}][slotKey{period, v.Type}] = heldValue{id: v.ID, value: v.Value, high: v.High}
	}

	ev := indicators.AuditEvent{Action: "value.add", Object: "value:" + strconv.FormatInt(v.ID, 10) + ":" + key,
		Batch: v.Batch, FileHash: fileHash}
	w.json = appendValueAudit(w.json[:0], v)
	ev.After = string(w.json)
	if hadPrev {
		w.json = appendIDValue(w.json[:0], prev.id, prev.value)
		ev.Before = string(w.json)
	}
	return w.event(ev)
}

// event appends an audit event, chained to the one before it, as audit does.
func (w *valueWriter) event(ev indicators.AuditEvent) error {
	if ev.User == "" {
		ev.User, ev.Addr = w.actor.User, w.actor.Addr
	}
	at := w.atText
	if w.at.IsZero() {
		ev.At = w.db.now().UTC()
		at = fmtTime(ev.At)
	} else {
		ev.At = w.at
	}
	ev.PrevHash = w.lastHash
	ev.Hash, w.hashBuf = w.db.key.fastHash(w.hashBuf, &ev, at)
	w.lastHash = ev.Hash
	sum, err := hex.DecodeString(ev.Hash)
	if err != nil {
		return fmt.Errorf("sqlite: audit event %s: %w", ev.Action, err)
	}
	var file any = ev.FileHash
	if ev.Batch != 0 && ev.FileHash != "" {
		f, err := w.batchFile(ev.Batch)
		if err != nil {
			return err
		}
		if f == ev.FileHash {
			file = nil // the batch's file, read from the batch
		}
	}
	r := &w.rows
	r.events = append(r.events, w.nextEvent, at, ev.User, ev.Addr, ev.Action, ev.Object, ev.Before, ev.After,
		ev.Batch, file, sum)
	w.nextEvent++
	r.nEvents++
	if r.nEvents >= rowsPerInsert || r.nValues >= rowsPerInsert {
		return w.flush()
	}
	return nil
}

// batchFile returns the file hash of a batch, read once per writer.
func (w *valueWriter) batchFile(batch int64) (string, error) {
	if f, ok := w.files[batch]; ok {
		return f, nil
	}
	rows, err := w.lookup.QueryContext(w.ctx, `SELECT sha256 FROM batches WHERE id = ?`, batch)
	if err != nil {
		return "", fmt.Errorf("sqlite: file of batch %d: %w", batch, err)
	}
	defer rows.Close()
	var f string
	if rows.Next() {
		if err := rows.Scan(&f); err != nil {
			return "", fmt.Errorf("sqlite: file of batch %d: %w", batch, err)
		}
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("sqlite: file of batch %d: %w", batch, err)
	}
	if w.files == nil {
		w.files = map[int64]string{}
	}
	w.files[batch] = f
	return f, nil
}

// group returns the task group of an indicator, read once per writer.
func (w *valueWriter) group(indicator string) (int, bool, error) {
	if g, ok := w.groups[indicator]; ok {
		return g, true, nil
	}
	g, ok, err := indicatorGroup(w.ctx, w.lookup, indicator)
	if ok {
		if w.groups == nil {
			w.groups = map[string]int{}
		}
		w.groups[indicator] = g
	}
	return g, ok, err
}

// flush hands over the rows built so far.
func (w *valueWriter) flush() error {
	if w.rows.nValues == 0 && w.rows.nEvents == 0 {
		return nil
	}
	if err := w.emit(w.rows); err != nil {
		return err
	}
	if w.reuse {
		w.rows = insertRows{values: w.rows.values[:0], events: w.rows.events[:0]}
	} else {
		w.rows = insertRows{values: make([]any, 0, rowsPerInsert*valueColumns), events: make([]any, 0, rowsPerInsert*eventColumns)}
	}
	return nil
}

// inserter runs the multi-row inserts in a transaction. Values go first:
// an event never lands before the value it names. A full chunk whose rows
// share some columns — a batch's values share their sheet, batch, author
// and moment; their events their action, author, moment and file — binds
// those once, as INSERT … SELECT ?, …, column1, … FROM (VALUES …), which
// spares a third of the binding a million rows cost. (Numbered parameters
// repeated in every row would do the same, but the driver looks each one
// up by name, which costs more than it saves.) The statements for full
// chunks are prepared once; a shorter last one is built for the occasion.
type inserter struct {
	ctx   context.Context
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

// A table's multi-row insert: its columns, and those a batch's rows share.
type insertShape struct {
	table   string
	columns []string
	shared  []int // indexes into columns
}

var (
	valueShape = insertShape{"data_values", []string{"id", "indicator", "unit", "period", "year", "type", "value", "high", "note",
		"source", "batch", "sheet", "cell", "entered_by", "entered_at"}, []int{9, 10, 11, 13, 14}}
	eventShape = insertShape{"audit_events", []string{"id", "at", "user", "addr", "action", "object", "before", "after",
		"batch", "file_hash", "hash"}, []int{1, 2, 3, 4, 8, 9}}
)

func (ins *inserter) insert(r insertRows) error {
	if r.nValues > 0 {
		if err := ins.exec(valueShape, r.values, r.nValues); err != nil {
			if strings.Contains(err.Error(), "FOREIGN KEY") {
				return indicators.FieldError(indicators.EINVALID, "",
					fmt.Sprintf("số liệu từ %s trở đi: chỉ tiêu, đơn vị hoặc lô nhập không tồn tại", r.firstKey),
					fmt.Sprintf("values from %s on: the indicator, the unit or the batch does not exist", r.firstKey))
			}
			return fmt.Errorf("sqlite: insert values from %s: %w", r.firstKey, err)
		}
	}
	if r.nEvents > 0 {
		if err := ins.exec(eventShape, r.events, r.nEvents); err != nil {
			return fmt.Errorf("sqlite: append audit events: %w", err)
		}
	}
	return nil
}

func (ins *inserter) exec(sh insertShape, args []any, n int) error {
	cols := len(sh.columns)
	if n != rowsPerInsert {
		_, err := ins.tx.ExecContext(ins.ctx, "INSERT INTO "+sh.table+" ("+strings.Join(sh.columns, ", ")+") VALUES "+
			placeholders(n, cols), args...)
		return err
	}
	query := "INSERT INTO " + sh.table + " (" + strings.Join(sh.columns, ", ") + ") VALUES " + placeholders(n, cols)
	if sharing(args, sh) {
		query, args = sh.sharedInsert(), sh.sharedArgs(args)
	}
	stmt := ins.stmts[query]
	if stmt == nil {
		var err error
		if stmt, err = ins.tx.PrepareContext(ins.ctx, query); err != nil {
			return err
		}
		if ins.stmts == nil {
			ins.stmts = map[string]*sql.Stmt{}
		}
		ins.stmts[query] = stmt
	}
	_, err := stmt.ExecContext(ins.ctx, args...)
	return err
}

// sharing reports whether every row of args has the same values in the
// shape's shared columns.
func sharing(args []any, sh insertShape) bool {
	cols := len(sh.columns)
	for row := cols; row < len(args); row += cols {
		for _, c := range sh.shared {
			if args[row+c] != args[c] {
				return false
			}
		}
	}
	return true
}

// sharedInsert is the insert of a full chunk binding the shared columns
// once: INSERT INTO t (shared…, others…) SELECT ?, …, column1, … FROM
// (VALUES (…), …).
func (sh insertShape) sharedInsert() string {
	var names, sel []string
	for _, c := range sh.shared {
		names, sel = append(names, sh.columns[c]), append(sel, "?")
	}
	others := 0
	for c, name := range sh.columns {
		if !slices.Contains(sh.shared, c) {
			others++
			names, sel = append(names, name), append(sel, "column"+strconv.Itoa(others))
		}
	}
	return "INSERT INTO " + sh.table + " (" + strings.Join(names, ", ") + ") SELECT " + strings.Join(sel, ", ") +
		" FROM (VALUES " + placeholders(rowsPerInsert, others) + ")"
}

// sharedArgs lays args out for sharedInsert.
func (sh insertShape) sharedArgs(args []any) []any {
	cols := len(sh.columns)
	out := make([]any, 0, len(sh.shared)+rowsPerInsert*(cols-len(sh.shared)))
	for _, c := range sh.shared {
		out = append(out, args[c])
	}
	for row := 0; row < len(args); row += cols {
		for c := 0; c < cols; c++ {
			if !slices.Contains(sh.shared, c) {
				out = append(out, args[row+c])
			}
		}
	}
	return out
}

// close releases the prepared statements.
func (ins *inserter) close() {
	for _, s := range ins.stmts {
		s.Close()
	}
}
