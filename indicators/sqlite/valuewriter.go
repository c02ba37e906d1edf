package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

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
// Nothing else may write audit events in the transaction while a writer is
// open, since the writer's idea of the chain's end would go stale.
type valueWriter struct {
	db    *DB
	tx    *sql.Tx
	ctx   context.Context
	actor indicators.Actor

	nextValue, nextEvent int64
	lastHash             string
	current              map[pairKey]map[slotKey]heldValue

	values, events   []any // arguments of the rows not yet inserted
	nValues, nEvents int
	firstPending     string // key of the first value not yet inserted, for errors
	valueStmt        *sql.Stmt
	eventStmt        *sql.Stmt
	json, hashBuf    []byte
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
	eventColumns  = 12
	rowsPerInsert = 64 // 64 × 15 parameters stay far below SQLite's limit
)

const insertValuesSQL = `INSERT INTO data_values (id, indicator, unit, period, year, type, value, high, note,
	source, batch, sheet, cell, entered_by, entered_at) VALUES `

const insertEventsSQL = `INSERT INTO audit_events
	(id, at, user, addr, action, object, before, after, batch, file_hash, prev_hash, hash) VALUES `

func placeholders(rows, cols int) string {
	row := "(?" + strings.Repeat(", ?", cols-1) + ")"
	return strings.Repeat(row+", ", rows-1) + row
}

// newValueWriter starts a writer in tx.
func (db *DB) newValueWriter(ctx context.Context, tx *sql.Tx) (*valueWriter, error) {
	w := &valueWriter{db: db, tx: tx, ctx: ctx, actor: indicators.ActorFrom(ctx),
		current: map[pairKey]map[slotKey]heldValue{}}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM data_values`).Scan(&w.nextValue); err != nil {
		return nil, fmt.Errorf("sqlite: next value id: %w", err)
	}
	err := tx.QueryRowContext(ctx, `SELECT id + 1, hash FROM audit_events ORDER BY id DESC LIMIT 1`).Scan(&w.nextEvent, &w.lastHash)
	if err == sql.ErrNoRows {
		w.nextEvent, w.lastHash, err = 1, "", nil
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: read last audit event: %w", err)
	}
	return w, nil
}

// close releases the prepared statements.
func (w *valueWriter) close() {
	for _, s := range []*sql.Stmt{w.valueStmt, w.eventStmt} {
		if s != nil {
			s.Close()
		}
	}
}

// held returns the value in force for k, loading the current values of k's
// indicator and unit on first use.
func (w *valueWriter) held(k indicators.Key) (heldValue, bool, error) {
	pk := pairKey{k.Indicator, k.Unit}
	slots, ok := w.current[pk]
	if !ok {
		var err error
		if slots, err = loadCurrent(w.ctx, w.tx, pk); err != nil {
			return heldValue{}, false, err
		}
		w.current[pk] = slots
	}
	h, ok := slots[slotKey{k.Period.String(), k.Type}]
	return h, ok, nil
}

// loadCurrent returns the values in force of one indicator and unit: per
// period and type, the newest one not retracted.
func loadCurrent(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, pk pairKey) (map[slotKey]heldValue, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, period, type, value, high FROM data_values
		WHERE indicator = ? AND unit = ? AND retracted_at = '' ORDER BY entered_at, id`, pk.indicator, pk.unit)
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

// add appends v, superseding the value in force for its key, with its
// audit event. fileHash names the uploaded file it came from, if any.
func (w *valueWriter) add(v *indicators.Value, fileHash string) error {
	if v.EnteredAt.IsZero() {
		v.EnteredAt = w.db.now()
	}
	if v.EnteredBy == "" {
		v.EnteredBy = w.actor.User
	}
	prev, hadPrev, err := w.held(v.Key)
	if err != nil {
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
	if w.nValues == 0 {
		w.firstPending = v.Key.String()
	}
	w.values = append(w.values, v.ID, v.Indicator, v.Unit, v.Period.String(), v.Period.Year, string(v.Type), v.Value, high,
		v.Note, v.Source, batch, v.Sheet, v.Cell, v.EnteredBy, fmtTime(v.EnteredAt))
	w.nValues++
	w.current[pairKey{v.Indicator, v.Unit}][slotKey{v.Period.String(), v.Type}] = heldValue{id: v.ID, value: v.Value, high: v.High}

	ev := indicators.AuditEvent{Action: "value.add", Object: "value:" + strconv.FormatInt(v.ID, 10) + ":" + v.Key.String(),
		Batch: v.Batch, FileHash: fileHash}
	w.json = appendValueAudit(w.json[:0], v)
	ev.After = string(w.json)
	if hadPrev {
		w.json = appendIDValue(w.json[:0], prev.id, prev.value)
		ev.Before = string(w.json)
	}
	if err := w.event(ev); err != nil {
		return err
	}
	if w.nValues == rowsPerInsert {
		return w.flush()
	}
	return nil
}

// event appends an audit event, chained to the one before it, as audit does.
func (w *valueWriter) event(ev indicators.AuditEvent) error {
	if ev.User == "" {
		ev.User, ev.Addr = w.actor.User, w.actor.Addr
	}
	ev.At = w.db.now().UTC()
	ev.PrevHash = w.lastHash
	ev.Hash, w.hashBuf = fastEventHash(w.hashBuf, &ev)
	w.lastHash = ev.Hash
	w.events = append(w.events, w.nextEvent, fmtTime(ev.At), ev.User, ev.Addr, ev.Action, ev.Object, ev.Before, ev.After,
		ev.Batch, ev.FileHash, ev.PrevHash, ev.Hash)
	w.nextEvent++
	w.nEvents++
	if w.nEvents == rowsPerInsert {
		// Values first: an event never lands before the value it names.
		return w.flush()
	}
	return nil
}

// flush inserts the rows not yet inserted.
func (w *valueWriter) flush() error {
	if w.nValues > 0 {
		if err := w.insert(&w.valueStmt, insertValuesSQL, valueColumns, w.values, w.nValues); err != nil {
			if strings.Contains(err.Error(), "FOREIGN KEY") {
				return indicators.Errorf(indicators.EINVALID,
					"số liệu từ %s trở đi: chỉ tiêu, đơn vị hoặc lô nhập không tồn tại", w.firstPending)
			}
			return fmt.Errorf("sqlite: insert values from %s: %w", w.firstPending, err)
		}
		w.values, w.nValues = w.values[:0], 0
	}
	if w.nEvents > 0 {
		if err := w.insert(&w.eventStmt, insertEventsSQL, eventColumns, w.events, w.nEvents); err != nil {
			return fmt.Errorf("sqlite: append audit events: %w", err)
		}
		w.events, w.nEvents = w.events[:0], 0
	}
	return nil
}

// insert runs a multi-row insert of n rows: the full-size statement is
// prepared once, a shorter last one is built for the occasion.
func (w *valueWriter) insert(stmt **sql.Stmt, prefix string, cols int, args []any, n int) error {
	if n < rowsPerInsert {
		_, err := w.tx.ExecContext(w.ctx, prefix+placeholders(n, cols), args...)
		return err
	}
	if *stmt == nil {
		s, err := w.tx.PrepareContext(w.ctx, prefix+placeholders(rowsPerInsert, cols))
		if err != nil {
			return err
		}
		*stmt = s
	}
	_, err := (*stmt).ExecContext(w.ctx, args...)
	return err
}
