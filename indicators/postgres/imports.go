package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"syscall"
	"time"

	"chitieu/indicators"

	"github.com/jackc/pgx/v5"
)

var _ indicators.ImportStore = (*DB)(nil)

// HeldValues returns the values in force of one indicator and unit, by
// key: per period and type, the newest one not retracted, leaving out the
// values of batches still being committed. One short read.
func (db *DB) HeldValues(ctx context.Context, indicator, unit string) (map[indicators.Key]indicators.HeldValue, error) {
	return heldValues(ctx, db.pool, indicator, unit, 0)
}

// heldValues reads the values in force of an indicator and unit through q,
// leaving out batch exclude (when not 0).
func heldValues(ctx context.Context, q querier, indicator, unit string, exclude int64) (map[indicators.Key]indicators.HeldValue, error) {
	rows, err := q.Query(ctx, `SELECT DISTINCT ON (v.period, v.type) v.id, v.period, v.type, v.value, v.high
		FROM data_values v WHERE v.indicator = $1 AND v.unit = $2 AND v.retracted_at IS NULL
		AND ($3::bigint = 0 OR v.batch IS DISTINCT FROM $3) AND `+notPendingV+`
		ORDER BY v.period, v.type, v.entered_at DESC, v.id DESC`, indicator, unit, exclude)
	if err != nil {
		return nil, fmt.Errorf("postgres: values in force of %s/%s: %w", indicator, unit, err)
	}
	defer rows.Close()
	out := map[indicators.Key]indicators.HeldValue{}
	for rows.Next() {
		var h indicators.HeldValue
		var period string
		var typ indicators.ValueType
		if err := rows.Scan(&h.ID, &period, &typ, &h.Value, &h.High); err != nil {
			return nil, fmt.Errorf("postgres: scan value in force: %w", err)
		}
		p, err := indicators.ParsePeriod(period)
		if err != nil {
			return nil, fmt.Errorf("postgres: value %d has period %q: %w", h.ID, period, err)
		}
		out[indicators.Key{Indicator: indicator, Unit: unit, Period: p, Type: typ}] = h
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: values in force of %s/%s: %w", indicator, unit, err)
	}
	return out, nil
}

// owner names this process among the servers of one database.
func owner() string {
	host, _ := os.Hostname()
	return host + "/" + strconv.Itoa(os.Getpid())
}

// BeginCommit starts the commit of a batch in a short transaction: a
// previewed batch (b.ID set) or one made here from b, with its file kept.
// Until FinishCommit the batch is pending: WriteCommit adds its values,
// which no reader on any server sees. The batch's commit lock is taken
// first, and held until the commit ends (commitlock.go).
func (db *DB) BeginCommit(ctx context.Context, b indicators.StagedBatch, file io.Reader) (indicators.StagedBatch, error) {
	at := db.now()
	created := b.ID == 0
	id, err := db.lockCommit(ctx, b.ID)
	if err != nil {
		return b, err
	}
	err = db.writeTx(ctx, func(tx *wtx) error {
		if !created {
			staged, err := stagedBatch(ctx, tx, b.ID)
			if err != nil {
				return err
			}
			if staged.State != indicators.Previewed {
				return indicators.FieldError(indicators.ECONFLICT, "",
					fmt.Sprintf("lô #%d đang ở trạng thái %s, không thể ghi lại", b.ID, stateVI(staged.State)),
					fmt.Sprintf("batch #%d is %s and cannot be committed again", b.ID, stateEN(staged.State)))
			}
			b.CreatedBy, b.CreatedAt = staged.CreatedBy, staged.CreatedAt
		} else {
			b.CreatedBy, b.CreatedAt = indicators.ActorFrom(ctx).User, at
			if _, err := tx.Exec(ctx, `INSERT INTO batches (id, file_name, sha256, size, state, profile, unit, locale,
				created_by, created_at, profile_json) VALUES ($1, $2, $3, $4, 'previewed', $5, $6, $7, $8, $9, $10)`,
				id, b.FileName, b.SHA256, b.Size, b.Profile, b.Unit, b.Locale, b.CreatedBy, at, b.ProfileJSON); err != nil {
				return fmt.Errorf("postgres: create batch for %s: %w", b.FileName, err)
			}
			b.ID = id
		}
		if file != nil {
			if err := saveFile(ctx, tx, b.SHA256, file, at); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO import_pending (batch, at, created, owner, seen, locked)
			VALUES ($1, $2, $3, $4, $2, true)`, b.ID, at, created, owner()); err != nil {
			if isUnique(err) {
				return indicators.FieldError(indicators.ECONFLICT, "",
					fmt.Sprintf("lô #%d đang được ghi", b.ID), fmt.Sprintf("batch #%d is being committed", b.ID))
			}
			return fmt.Errorf("postgres: mark batch %d pending: %w", b.ID, err)
		}
		return nil
	})
	if err != nil {
		db.unlockCommit(id)
		return b, err
	}
	b.State, b.CommittedAt = indicators.Previewed, at
	return b, nil
}

// pendingAt returns the moment of a pending batch, refusing a batch that
// is not pending, or that a server is withdrawing.
func pendingAt(ctx context.Context, tx *wtx, id int64) (time.Time, error) {
	var at time.Time
	var withdrawn bool
	err := tx.QueryRow(ctx, `SELECT at, withdrawing FROM import_pending WHERE batch = $1`, id).Scan(&at, &withdrawn)
	if errors.Is(err, pgx.ErrNoRows) {
		return at, indicators.FieldError(indicators.ECONFLICT, "",
			fmt.Sprintf("lô #%d không còn đang được ghi", id), fmt.Sprintf("batch #%d is no longer being committed", id))
	}
	if err != nil {
		return at, fmt.Errorf("postgres: pending batch %d: %w", id, err)
	}
	if withdrawn {
		return at, errWithdrawing(id)
	}
	return at.UTC(), nil
}

// valueCopyColumns are the columns a batch's values are copied into.
var valueCopyColumns = []string{"id", "indicator", "unit", "period", "year", "type", "value", "high", "note",
	"source", "batch", "sheet", "cell", "entered_by", "entered_at"}

// WriteCommit stores a chunk of a pending batch's changes — the new and
// changed ones; unchanged ones are skipped — with an audit event per
// value, in one short transaction. Values and events go in by COPY: the
// value IDs are taken from the sequence first, so that each event can name
// its value, and the chain is built in memory under the head row's lock.
//
// The two halves of the work overlap: once every value of the chunk has
// passed its checks, a goroutine builds the events — their JSON and keyed
// hashes, a quarter of a commit's time when done in line — while the
// server takes the values' COPY, and the events' COPY follows. The chain
// is the same, built in the same order under the same lock: only the
// client's waiting is gone.
func (db *DB) WriteCommit(ctx context.Context, b indicators.StagedBatch, changes []indicators.Change) error {
	actor := indicators.ActorFrom(ctx)
	return db.writeTx(ctx, func(tx *wtx) error {
		at, err := pendingAt(ctx, tx, b.ID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE import_pending SET seen = $1 WHERE batch = $2`, db.now(), b.ID); err != nil {
			return fmt.Errorf("postgres: note progress of batch %d: %w", b.ID, err)
		}
		n := 0
		for i := range changes {
			if changes[i].Kind != indicators.UnchangedValue {
				n++
			}
		}
		if n == 0 {
			return nil
		}
		// The chunk's IDs are taken from the sequence as one range in one
		// call: every writer holds the head row, so no other takes IDs
		// between the two halves of the setval.
		var last int64
		if err := tx.QueryRow(ctx, `SELECT setval(pg_get_serial_sequence('data_values', 'id'),
			nextval(pg_get_serial_sequence('data_values', 'id')) + $1 - 1)`, n).Scan(&last); err != nil {
			return fmt.Errorf("postgres: number the values of batch %d: %w", b.ID, err)
		}
		groups, err := groupCache(ctx, tx, actor, changes)
		if err != nil {
			return err
		}
		checkLock := lockCheck(ctx, tx)
		vals := make([]indicators.Value, 0, n)
		kinds := make([]*indicators.Change, 0, n)
		for i := range changes {
			c := &changes[i]
			if c.Kind == indicators.UnchangedValue {
				continue
			}
			v := indicators.Value{Key: c.Key, Value: c.Value, High: c.High, Note: c.Note, Batch: b.ID,
				Sheet: c.Sheet, Cell: c.Cell, EnteredBy: actor.User, EnteredAt: at, ID: last - int64(n) + 1 + int64(len(vals))}
			if err := v.Validate(); err != nil {
				return fmt.Errorf("%s!%s: %w", c.Sheet, c.Cell, err)
			}
			if err := mayWriteValue(actor, groups, &v); err != nil {
				return err
			}
			if err := checkLock(&v); err != nil {
				return err
			}
			vals = append(vals, v)
			kinds = append(kinds, c)
		}
		events := make(chan [][]any, 1)
		go func() {
			// Only the chain's fields of tx are touched here, and nothing
			// else reads them until events is received.
			rows := make([][]any, len(vals))
			for i := range vals {
				v := &vals[i]
				ev := indicators.AuditEvent{At: at, User: actor.User, Addr: actor.Addr, Action: "value.add",
					Object: "value:" + strconv.FormatInt(v.ID, 10) + ":" + valueKey(v), Batch: b.ID, FileHash: b.SHA256,
					After: valueAuditJSON(v)}
				if c := kinds[i]; c.Kind == indicators.ChangedValue {
					ev.Before = replacedJSON(c.OldID, c.Old)
				}
				tx.chain(&ev)
				rows[i] = eventRow(ev)
			}
			events <- rows
		}()
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"data_values"}, valueCopyColumns, &valueRows{vals: vals, at: at})
		evRows := <-events
		if err != nil {
			if isForeignKey(err) {
				return indicators.FieldError(indicators.EINVALID, "",
					fmt.Sprintf("số liệu từ %s trở đi: chỉ tiêu, đơn vị hoặc lô nhập không tồn tại", valueKey(&vals[0])),
					fmt.Sprintf("values from %s on: the indicator, the unit or the batch does not exist", valueKey(&vals[0])))
			}
			return fmt.Errorf("postgres: copy values from %s: %w", valueKey(&vals[0]), err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"audit_events"}, eventColumns, pgx.CopyFromRows(evRows)); err != nil {
			return fmt.Errorf("postgres: copy audit events: %w", err)
		}
		return nil
	})
}

// valueKey is the key of v as events and messages name it.
func valueKey(v *indicators.Value) string {
	return v.Indicator + "/" + v.Unit + "/" + v.Period.String() + "/" + string(v.Type)
}

// valueRows hands a chunk's values to COPY a row at a time, as the
// connection sends them, rather than as a slice of rows built first.
type valueRows struct {
	vals []indicators.Value
	at   time.Time
	i    int
	row  []any
}

func (r *valueRows) Next() bool {
	r.i++
	return r.i <= len(r.vals)
}

func (r *valueRows) Values() ([]any, error) {
	v := &r.vals[r.i-1]
	if r.row == nil {
		r.row = make([]any, len(valueCopyColumns))
	}
	r.row[0], r.row[1], r.row[2], r.row[3], r.row[4] = v.ID, v.Indicator, v.Unit, v.Period.String(), v.Period.Year
	r.row[5], r.row[6], r.row[7], r.row[8], r.row[9] = string(v.Type), v.Value, v.High, v.Note, v.Source
	r.row[10], r.row[11], r.row[12], r.row[13], r.row[14] = v.Batch, v.Sheet, v.Cell, v.EnteredBy, r.at
	return r.row, nil
}

func (r *valueRows) Err() error { return nil }

// groupCache returns a lookup of indicators' task groups through tx, each
// read once. The groups of the indicators a planner's chunk names are read
// first in one query (a chunk meets dozens of indicators, and a round trip
// each would cost more than the chunk's COPY); an admin's are never needed.
func groupCache(ctx context.Context, tx *wtx, actor indicators.Actor, changes []indicators.Change) (func(string) (int, bool, error), error) {
	groups := map[string]int{}
	if actor.Role != "" && actor.Role != indicators.Admin {
		seen := map[string]bool{}
		var codes []string
		for i := range changes {
			if code := changes[i].Indicator; !seen[code] {
				seen[code] = true
				codes = append(codes, code)
			}
		}
		rows, err := tx.Query(ctx, `SELECT code, grp FROM indicators WHERE code = ANY($1)`, codes)
		if err != nil {
			return nil, fmt.Errorf("postgres: find task groups: %w", err)
		}
		var code string
		var g int
		if _, err := pgx.ForEachRow(rows, []any{&code, &g}, func() error {
			groups[code] = g
			return nil
		}); err != nil {
			return nil, fmt.Errorf("postgres: find task groups: %w", err)
		}
	}
	return func(ind string) (int, bool, error) {
		if g, ok := groups[ind]; ok {
			return g, true, nil
		}
		var g int
		err := tx.QueryRow(ctx, `SELECT grp FROM indicators WHERE code = $1`, ind).Scan(&g)
		if errors.Is(err, pgx.ErrNoRows) {
			return 0, false, nil
		}
		if err != nil {
			return 0, false, fmt.Errorf("postgres: find task group of %s: %w", ind, err)
		}
		groups[ind] = g
		return g, true, nil
	}, nil
}

// FinishCommit makes a pending batch committed, with its counts, in one
// short transaction: all of its values become visible at once, on every
// server.
func (db *DB) FinishCommit(ctx context.Context, b indicators.StagedBatch) (indicators.StagedBatch, error) {
	err := db.writeTx(ctx, func(tx *wtx) error {
		at, err := pendingAt(ctx, tx, b.ID)
		if err != nil {
			return err
		}
		b.State, b.CommittedAt = indicators.Committed, at
		if _, err := tx.Exec(ctx, `UPDATE batches SET state = 'committed', new_values = $1, changed_values = $2,
			unchanged = $3, rejected = $4, committed_at = $5, rows_read = $6, digest = $7, unit = $8 WHERE id = $9`,
			b.New, b.Changed, b.Unchanged, b.Rejected, at, b.Rows, b.Digest, b.Unit, b.ID); err != nil {
			return fmt.Errorf("postgres: record batch %d: %w", b.ID, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM import_pending WHERE batch = $1`, b.ID); err != nil {
			return fmt.Errorf("postgres: end commit of batch %d: %w", b.ID, err)
		}
		if err := resetTouched(ctx, tx, "batch:"+strconv.FormatInt(b.ID, 10), `v.batch = $1`, b.ID); err != nil {
			return err
		}
		return tx.audit(ctx, indicators.AuditEvent{Action: "batch.commit", Object: "batch:" + strconv.FormatInt(b.ID, 10),
			After: jsonOf(batchAudit(b)), Batch: b.ID, FileHash: b.SHA256})
	})
	if err == nil {
		db.unlockCommit(b.ID)
	}
	return b, err
}

// withdrawChunk is how many values of a cut-off batch one transaction
// deletes.
const withdrawChunk = 5000

// AbortCommit withdraws a pending batch: it is marked withdrawing, so
// that its writer adds nothing more; its values are deleted a chunk at a
// time (no reader ever saw them) and the batch returns to previewed, with
// an audit event saying how many values were withdrawn. The value events
// already in the chain stay, as every event does. The batch's commit lock,
// when this process holds it, ends with the withdrawal.
func (db *DB) AbortCommit(ctx context.Context, id int64, reason string) error {
	defer db.unlockCommit(id)
	var withdrawn int64
	for {
		var n int64
		err := db.writeTx(ctx, func(tx *wtx) error {
			if err := withdrawing(ctx, tx, id); err != nil {
				return err
			}
			tag, err := tx.Exec(ctx, `DELETE FROM data_values WHERE id IN
				(SELECT id FROM data_values WHERE batch = $1 LIMIT $2)`, id, withdrawChunk)
			if err != nil {
				return fmt.Errorf("postgres: withdraw values of batch %d: %w", id, err)
			}
			if n = tag.RowsAffected(); n > 0 {
				return nil
			}
			if _, err := tx.Exec(ctx, `DELETE FROM import_pending WHERE batch = $1`, id); err != nil {
				return fmt.Errorf("postgres: end commit of batch %d: %w", id, err)
			}
			return tx.audit(ctx, indicators.AuditEvent{Action: "batch.abort", Object: "batch:" + strconv.FormatInt(id, 10),
				After: jsonOf(map[string]any{"withdrawn": withdrawn, "reason": reason}), Batch: id})
		})
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		withdrawn += n
	}
}

// cutLast splits s around the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	for i := len(s) - len(sep); i >= 0; i-- {
		if s[i:i+len(sep)] == sep {
			return s[:i], s[i+len(sep):], true
		}
	}
	return s, "", false
}

// alive reports whether a process of ID pid runs on this machine.
func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

func batchAudit(b indicators.StagedBatch) map[string]any {
	m := map[string]any{"file": b.FileName, "sha256": b.SHA256, "size": b.Size, "profile": b.Profile,
		"unit": b.Unit, "locale": b.Locale, "new": b.New, "changed": b.Changed, "unchanged": b.Unchanged,
		"rejected": b.Rejected, "rows": b.Rows, "state": b.State}
	if b.Warnings > 0 {
		m["plausibility_warnings"], m["confirm_note"] = b.Warnings, b.ConfirmNote
	}
	return m
}

func stateVI(s indicators.BatchState) string {
	switch s {
	case indicators.Previewed:
		return "đã xem trước"
	case indicators.Committed:
		return "đã ghi"
	case indicators.RolledBack:
		return "đã hoàn tác"
	}
	return string(s)
}

// stateEN is a batch's state as an English message says it.
func stateEN(s indicators.BatchState) string {
	switch s {
	case indicators.Previewed:
		return "previewed"
	case indicators.Committed:
		return "committed"
	case indicators.RolledBack:
		return "rolled back"
	}
	return string(s)
}

// fileChunk is the size of the pieces a kept file is stored in.
const fileChunk = 1 << 20

// saveFile keeps the content of r under its SHA-256, once: a file already
// kept is not read again. The bytes are checked against the hash.
func saveFile(ctx context.Context, tx *wtx, sum string, r io.Reader, at time.Time) error {
	tag, err := tx.Exec(ctx, `INSERT INTO files (sha256, size, stored_at) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING`, sum, at)
	if err != nil {
		return fmt.Errorf("postgres: keep file %s: %w", sum, err)
	}
	if tag.RowsAffected() == 0 {
		return nil
	}
	h := sha256.New()
	buf := make([]byte, fileChunk)
	var size int64
	for seq := 0; ; seq++ {
		n, rerr := io.ReadFull(r, buf)
		if n > 0 {
			h.Write(buf[:n])
			size += int64(n)
			if _, err := tx.Exec(ctx, `INSERT INTO file_chunks (sha256, seq, data) VALUES ($1, $2, $3)`, sum, seq, buf[:n]); err != nil {
				return fmt.Errorf("postgres: keep file %s: %w", sum, err)
			}
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			return fmt.Errorf("postgres: read file to keep: %w", rerr)
		}
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("tệp nhận được có mã băm %s, không phải %s", got, sum),
			fmt.Sprintf("the file received has the hash %s, not %s", got, sum))
	}
	if _, err := tx.Exec(ctx, `UPDATE files SET size = $1 WHERE sha256 = $2`, size, sum); err != nil {
		return fmt.Errorf("postgres: keep file %s: %w", sum, err)
	}
	return nil
}

const stagedColumns = batchColumns + `, profile_json, digest, rows_read`

func stagedBatch(ctx context.Context, q querier, id int64) (indicators.StagedBatch, error) {
	var b indicators.StagedBatch
	var committed, rolledBack *time.Time
	err := q.QueryRow(ctx, `SELECT `+stagedColumns+` FROM batches WHERE id = $1`, id).Scan(&b.ID, &b.FileName, &b.SHA256,
		&b.Size, &b.State, &b.Profile, &b.Unit, &b.Locale, &b.New, &b.Changed, &b.Unchanged, &b.Rejected, &b.CreatedBy,
		&b.CreatedAt, &committed, &rolledBack, &b.RolledBackBy, &b.ProfileJSON, &b.Digest, &b.Rows)
	if errors.Is(err, pgx.ErrNoRows) {
		return b, notFound("batch", strconv.FormatInt(id, 10))
	}
	if err != nil {
		return b, fmt.Errorf("postgres: find batch %d: %w", id, err)
	}
	b.CreatedAt, b.CommittedAt, b.RolledBackAt = b.CreatedAt.UTC(), timeOf(committed), timeOf(rolledBack)
	return b, nil
}

// StagedBatch returns a batch with what is needed to commit it as previewed.
func (db *DB) StagedBatch(ctx context.Context, id int64) (indicators.StagedBatch, error) {
	return stagedBatch(ctx, db.pool, id)
}

// StageBatch records a previewed batch and keeps its file; no value is
// stored until the batch is committed.
func (db *DB) StageBatch(ctx context.Context, b indicators.StagedBatch, file io.Reader) (indicators.StagedBatch, error) {
	at := db.now()
	b.State, b.CreatedBy, b.CreatedAt = indicators.Previewed, indicators.ActorFrom(ctx).User, at
	err := db.writeTx(ctx, func(tx *wtx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO batches (file_name, sha256, size, state, profile, unit, locale,
			new_values, changed_values, unchanged, rejected, created_by, created_at, profile_json, digest, rows_read)
			VALUES ($1, $2, $3, 'previewed', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
			b.FileName, b.SHA256, b.Size, b.Profile, b.Unit, b.Locale, b.New, b.Changed, b.Unchanged, b.Rejected,
			b.CreatedBy, at, b.ProfileJSON, b.Digest, b.Rows).Scan(&b.ID); err != nil {
			return fmt.Errorf("postgres: stage batch for %s: %w", b.FileName, err)
		}
		if file != nil {
			if err := saveFile(ctx, tx, b.SHA256, file, at); err != nil {
				return err
			}
		}
		return tx.audit(ctx, indicators.AuditEvent{Action: "batch.preview", Object: "batch:" + strconv.FormatInt(b.ID, 10),
			After: jsonOf(batchAudit(b)), Batch: b.ID, FileHash: b.SHA256})
	})
	return b, err
}

// BatchesOfFile returns the batches made from the file with this SHA-256,
// newest first.
func (db *DB) BatchesOfFile(ctx context.Context, sum string) ([]indicators.Batch, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+batchColumns+` FROM batches WHERE sha256 = $1 ORDER BY id DESC`, sum)
	if err != nil {
		return nil, fmt.Errorf("postgres: batches of file %s: %w", sum, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (indicators.Batch, error) { return scanBatch(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: batches of file %s: %w", sum, err)
	}
	return out, nil
}

// BatchFile writes the file a batch was made from to w, a chunk at a time.
func (db *DB) BatchFile(ctx context.Context, id int64, w io.Writer) (indicators.Batch, error) {
	b, err := db.Batch(ctx, id)
	if err != nil {
		return b, err
	}
	return b, db.writeFile(ctx, b.SHA256, w)
}
