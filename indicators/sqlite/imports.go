package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"chitieu/indicators"
)

var _ indicators.ImportStore = (*DB)(nil)

// HeldValues returns the values in force of one indicator and unit, by
// key: per period and type, the newest one not retracted. Each call is one
// short read, so that an import reads, validates and classifies a file
// without holding a connection or a snapshot across it.
func (db *DB) HeldValues(ctx context.Context, indicator, unit string) (map[indicators.Key]indicators.HeldValue, error) {
	slots, err := loadCurrent(ctx, db.read, pairKey{indicator, unit}, 0)
	if err != nil {
		return nil, err
	}
	out := make(map[indicators.Key]indicators.HeldValue, len(slots))
	for s, h := range slots {
		p, err := indicators.ParsePeriod(s.period)
		if err != nil {
			return nil, fmt.Errorf("sqlite: value %d has period %q: %w", h.id, s.period, err)
		}
		out[indicators.Key{Indicator: indicator, Unit: unit, Period: p, Type: s.typ}] = indicators.HeldValue{ID: h.id, Value: h.value, High: h.high}
	}
	return out, nil
}

// BeginCommit starts the commit of a batch in a short transaction: a
// previewed batch (b.ID set) or one made here from b, with its file kept.
// Until FinishCommit the batch is pending: WriteCommit adds its values,
// which no reader sees. It returns the batch with the moment its values
// and events carry.
func (db *DB) BeginCommit(ctx context.Context, b indicators.StagedBatch, file io.Reader) (indicators.StagedBatch, error) {
	if err := db.checkRoom(ctx, b); err != nil {
		return b, err
	}
	at := db.now()
	created := 0
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		if b.ID != 0 {
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
			created = 1
			b.CreatedBy, b.CreatedAt = indicators.ActorFrom(ctx).User, at
			res, err := tx.ExecContext(ctx, `INSERT INTO batches (file_name, sha256, size, state, profile, unit, locale,
				created_by, created_at, profile_json) VALUES (?, ?, ?, 'previewed', ?, ?, ?, ?, ?, ?)`,
				b.FileName, b.SHA256, b.Size, b.Profile, b.Unit, b.Locale, b.CreatedBy, fmtTime(at), b.ProfileJSON)
			if err != nil {
				return fmt.Errorf("sqlite: create batch for %s: %w", b.FileName, err)
			}
			if b.ID, err = res.LastInsertId(); err != nil {
				return fmt.Errorf("sqlite: id of batch: %w", err)
			}
		}
		if file != nil {
			if err := saveFile(ctx, tx, b.SHA256, file, at); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO import_pending (batch, at, created, owner) VALUES (?, ?, ?, ?)`,
			b.ID, fmtTime(at), created, os.Getpid()); err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return indicators.FieldError(indicators.ECONFLICT, "",
					fmt.Sprintf("lô #%d đang được ghi", b.ID), fmt.Sprintf("batch #%d is being committed", b.ID))
			}
			return fmt.Errorf("sqlite: mark batch %d pending: %w", b.ID, err)
		}
		return nil
	})
	if err != nil {
		return b, diskFull(err, "lô nhập "+b.FileName, "the batch "+b.FileName)
	}
	b.State, b.CommittedAt = indicators.Previewed, at
	return b, nil
}

// pendingAt returns the moment of a pending batch, refusing a batch that
// is not pending.
func pendingAt(ctx context.Context, tx *sql.Tx, id int64) (time.Time, bool, error) {
	var at string
	var created bool
	err := tx.QueryRowContext(ctx, `SELECT at, created FROM import_pending WHERE batch = ?`, id).Scan(&at, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, indicators.FieldError(indicators.ECONFLICT, "",
			fmt.Sprintf("lô #%d không còn đang được ghi", id), fmt.Sprintf("batch #%d is no longer being committed", id))
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("sqlite: pending batch %d: %w", id, err)
	}
	return parseTime(at), created, nil
}

// WriteCommit stores a chunk of a pending batch's changes — the new and
// changed ones; unchanged ones are skipped — with an audit event per
// value, in one short transaction, so that other writers wait for no more
// than one chunk. The values stay invisible until FinishCommit.
func (db *DB) WriteCommit(ctx context.Context, b indicators.StagedBatch, changes []indicators.Change) error {
	actor := indicators.ActorFrom(ctx)
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		at, _, err := pendingAt(ctx, tx, b.ID)
		if err != nil {
			return err
		}
		w, ins, err := db.newValueWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer ins.close()
		w.track = false // a batch's keys are unique, and its values in force came with the changes
		w.setMoment(at)
		for i := range changes {
			c := &changes[i]
			if c.Kind == indicators.UnchangedValue {
				continue
			}
			v := indicators.Value{Key: c.Key, Value: c.Value, High: c.High, Note: c.Note, Batch: b.ID,
				Sheet: c.Sheet, Cell: c.Cell, EnteredBy: actor.User}
			if err := v.Validate(); err != nil {
				return fmt.Errorf("%s!%s: %w", c.Sheet, c.Cell, err)
			}
			prev := heldValue{id: c.OldID, value: c.Old, high: c.OldHigh}
			if err := w.addOver(&v, b.SHA256, prev, c.Kind == indicators.ChangedValue); err != nil {
				return err
			}
		}
		return w.flush()
	})
}

// FinishCommit makes a pending batch committed, with its counts, in one
// short transaction: all of its values become visible at once.
func (db *DB) FinishCommit(ctx context.Context, b indicators.StagedBatch) (indicators.StagedBatch, error) {
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		at, _, err := pendingAt(ctx, tx, b.ID)
		if err != nil {
			return err
		}
		b.State, b.CommittedAt = indicators.Committed, at
		if _, err := tx.ExecContext(ctx, `UPDATE batches SET state = 'committed', new_values = ?, changed_values = ?,
			unchanged = ?, rejected = ?, committed_at = ?, rows_read = ?, digest = ?, unit = ? WHERE id = ?`,
			b.New, b.Changed, b.Unchanged, b.Rejected, fmtTime(at), b.Rows, b.Digest, b.Unit, b.ID); err != nil {
			return fmt.Errorf("sqlite: record batch %d: %w", b.ID, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM import_pending WHERE batch = ?`, b.ID); err != nil {
			return fmt.Errorf("sqlite: end commit of batch %d: %w", b.ID, err)
		}
		if err := db.resetTouched(ctx, tx, "batch:"+strconv.FormatInt(b.ID, 10), `v.batch = ?`, b.ID); err != nil {
			return err
		}
		return db.audit(ctx, tx, indicators.AuditEvent{Action: "batch.commit", Object: "batch:" + strconv.FormatInt(b.ID, 10),
			After: jsonOf(batchAudit(b)), Batch: b.ID, FileHash: b.SHA256})
	})
	return b, err
}

// withdrawChunk is how many values of a cut-off batch one transaction
// deletes.
const withdrawChunk = 5000

// AbortCommit withdraws a pending batch: its values are deleted a chunk at
// a time (no reader ever saw them), and the batch returns to previewed —
// or, when it was made for this commit and so was never shown, stays as a
// previewed batch with its file — with an audit event saying how many
// values were withdrawn. The value events already in the chain stay, as
// every event does.
func (db *DB) AbortCommit(ctx context.Context, id int64, reason string) error {
	var withdrawn int64
	for {
		var n int64
		err := db.writeTx(ctx, func(tx *sql.Tx) error {
			if _, _, err := pendingAt(ctx, tx, id); err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `DELETE FROM data_values WHERE id IN
				(SELECT id FROM data_values WHERE batch = ? LIMIT ?)`, id, withdrawChunk)
			if err != nil {
				return fmt.Errorf("sqlite: withdraw values of batch %d: %w", id, err)
			}
			n, _ = res.RowsAffected()
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM import_pending WHERE batch = ?`, id); err != nil {
				return fmt.Errorf("sqlite: end commit of batch %d: %w", id, err)
			}
			return db.audit(ctx, tx, indicators.AuditEvent{Action: "batch.abort", Object: "batch:" + strconv.FormatInt(id, 10),
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

// commitGiveUp is the age after which a pending commit is taken for cut
// off even if a process of its owner's ID runs: that one may be another
// process since a restart of the machine. A commit of a million values
// takes minutes.
const commitGiveUp = 6 * time.Hour

// alive reports whether a process of ID pid runs on this machine.
func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

// RecoverCommits withdraws the batches whose commit was cut off by a
// process that is gone: a running server calls it every few seconds, so
// that a `chitieu import` killed midway is withdrawn without waiting for
// the next start. This process's own commits are left to it, however long
// they take.
func (db *DB) RecoverCommits(ctx context.Context) error { return db.recoverCommits(ctx, true) }

// recoverCommits withdraws the batches whose commit was cut off, as the
// store opens, so that no half batch is ever in the file for long. The
// commit of another process still at work on the same file (the server
// while the command line opens the database) is left alone.
func (db *DB) recoverCommits(ctx context.Context, running bool) error {
	rows, err := db.write.QueryContext(ctx, `SELECT batch, at, owner FROM import_pending ORDER BY batch`)
	if err != nil {
		return fmt.Errorf("sqlite: list cut-off commits: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		var at string
		var owner int
		if err := rows.Scan(&id, &at, &owner); err != nil {
			rows.Close()
			return fmt.Errorf("sqlite: list cut-off commits: %w", err)
		}
		if owner > 0 && alive(owner) && (db.now().Sub(parseTime(at)) < commitGiveUp || running && owner == os.Getpid()) {
			continue
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: list cut-off commits: %w", err)
	}
	sys := indicators.WithActor(ctx, indicators.Actor{User: "system"})
	for _, id := range ids {
		db.log.Warn("withdrawing the values of a commit cut off before it ended", "batch", id)
		if err := db.AbortCommit(sys, id, "cut off"); err != nil {
			// Its values stay pending, seen by no reader, until a later
			// start has the room (a full disk) to withdraw them: the
			// store still opens.
			db.log.Error("could not withdraw a cut-off commit", "batch", id, "err", err)
		}
	}
	return nil
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
func saveFile(ctx context.Context, tx *sql.Tx, sum string, r io.Reader, at time.Time) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO files (sha256, size, stored_at) VALUES (?, 0, ?) ON CONFLICT DO NOTHING`,
		sum, fmtTime(at))
	if err != nil {
		return fmt.Errorf("sqlite: keep file %s: %w", sum, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
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
			if _, err := tx.ExecContext(ctx, `INSERT INTO file_chunks (sha256, seq, data) VALUES (?, ?, ?)`, sum, seq, buf[:n]); err != nil {
				return fmt.Errorf("sqlite: keep file %s: %w", sum, err)
			}
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			return fmt.Errorf("sqlite: read file to keep: %w", rerr)
		}
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return fmt.Errorf("sqlite: kept file hashes to %s, not %s", got, sum)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE files SET size = ? WHERE sha256 = ?`, size, sum); err != nil {
		return fmt.Errorf("sqlite: keep file %s: %w", sum, err)
	}
	return nil
}

const stagedColumns = batchColumns + `, profile_json, digest, rows_read`

func scanStaged(s interface{ Scan(...any) error }) (indicators.StagedBatch, error) {
	var b indicators.StagedBatch
	var created, committed, rolledBack string
	err := s.Scan(&b.ID, &b.FileName, &b.SHA256, &b.Size, &b.State, &b.Profile, &b.Unit, &b.Locale, &b.New,
		&b.Changed, &b.Unchanged, &b.Rejected, &b.CreatedBy, &created, &committed, &rolledBack, &b.RolledBackBy,
		&b.ProfileJSON, &b.Digest, &b.Rows)
	b.CreatedAt, b.CommittedAt, b.RolledBackAt = parseTime(created), parseTime(committed), parseTime(rolledBack)
	return b, err
}

func stagedBatch(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id int64) (indicators.StagedBatch, error) {
	b, err := scanStaged(q.QueryRowContext(ctx, `SELECT `+stagedColumns+` FROM batches WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return b, notFound("batch", strconv.FormatInt(id, 10))
	}
	if err != nil {
		return b, fmt.Errorf("sqlite: find batch %d: %w", id, err)
	}
	return b, nil
}

// StagedBatch returns a batch with what is needed to commit it as previewed.
func (db *DB) StagedBatch(ctx context.Context, id int64) (indicators.StagedBatch, error) {
	return stagedBatch(ctx, db.read, id)
}

// StageBatch records a previewed batch and keeps its file; no value is
// stored until the batch is committed.
func (db *DB) StageBatch(ctx context.Context, b indicators.StagedBatch, file io.Reader) (indicators.StagedBatch, error) {
	at := db.now()
	b.State, b.CreatedBy, b.CreatedAt = indicators.Previewed, indicators.ActorFrom(ctx).User, at
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO batches (file_name, sha256, size, state, profile, unit, locale,
			new_values, changed_values, unchanged, rejected, created_by, created_at, profile_json, digest, rows_read)
			VALUES (?, ?, ?, 'previewed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			b.FileName, b.SHA256, b.Size, b.Profile, b.Unit, b.Locale, b.New, b.Changed, b.Unchanged, b.Rejected,
			b.CreatedBy, fmtTime(at), b.ProfileJSON, b.Digest, b.Rows)
		if err != nil {
			return fmt.Errorf("sqlite: stage batch for %s: %w", b.FileName, err)
		}
		if b.ID, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("sqlite: id of batch: %w", err)
		}
		if file != nil {
			if err := saveFile(ctx, tx, b.SHA256, file, at); err != nil {
				return err
			}
		}
		return db.audit(ctx, tx, indicators.AuditEvent{Action: "batch.preview", Object: "batch:" + strconv.FormatInt(b.ID, 10),
			After: jsonOf(batchAudit(b)), Batch: b.ID, FileHash: b.SHA256})
	})
	return b, err
}

// BatchesOfFile returns the batches made from the file with this SHA-256,
// newest first.
func (db *DB) BatchesOfFile(ctx context.Context, sum string) ([]indicators.Batch, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+batchColumns+` FROM batches WHERE sha256 = ? ORDER BY id DESC`, sum)
	if err != nil {
		return nil, fmt.Errorf("sqlite: batches of file %s: %w", sum, err)
	}
	defer rows.Close()
	var out []indicators.Batch
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: scan batch: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// BatchFile writes the file a batch was made from to w.
func (db *DB) BatchFile(ctx context.Context, id int64, w io.Writer) (indicators.Batch, error) {
	b, err := db.Batch(ctx, id)
	if err != nil {
		return b, err
	}
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return b, fmt.Errorf("sqlite: begin reading file: %w", err)
	}
	defer tx.Rollback()
	var chunks int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM file_chunks WHERE sha256 = ?`, b.SHA256).Scan(&chunks); err != nil {
		return b, fmt.Errorf("sqlite: file of batch %d: %w", id, err)
	}
	if chunks == 0 {
		return b, notFound("file", b.SHA256)
	}
	// One chunk at a time, so that a large file never sits in memory whole.
	for seq := 0; seq < chunks; seq++ {
		var data []byte
		if err := tx.QueryRowContext(ctx, `SELECT data FROM file_chunks WHERE sha256 = ? AND seq = ?`, b.SHA256, seq).Scan(&data); err != nil {
			return b, fmt.Errorf("sqlite: chunk %d of file %s: %w", seq, b.SHA256, err)
		}
		if _, err := w.Write(data); err != nil {
			return b, fmt.Errorf("sqlite: write file of batch %d: %w", id, err)
		}
	}
	return b, nil
}

// RollbackBatch retracts every value of a committed batch from now on, so
// that for each key the value the batch replaced is in force again (unless
// a later value has replaced it since), with one audit event per retracted
// value and one for the batch. A planner may undo only a batch whose every
// value lies within their scope.
func (db *DB) RollbackBatch(ctx context.Context, id int64) (indicators.RollbackResult, error) {
	var res indicators.RollbackResult
	actor := indicators.ActorFrom(ctx)
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		b, err := stagedBatch(ctx, tx, id)
		if err != nil {
			return err
		}
		if b.State != indicators.Committed {
			return indicators.FieldError(indicators.ECONFLICT, "",
				fmt.Sprintf("lô #%d đang ở trạng thái %s, chỉ hoàn tác được lô đã ghi", id, stateVI(b.State)),
				fmt.Sprintf("batch #%d is %s: only a committed batch can be rolled back", id, stateEN(b.State)))
		}
		if err := mayRollback(ctx, tx, actor, id); err != nil {
			return err
		}
		if err := refuseApprovedRollback(ctx, tx, id); err != nil {
			return err
		}
		at := db.now()
		stamp := fmtTime(at)
		w, ins, err := db.newValueWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer ins.close()
		w.setMoment(at)
		// What is in force once the batch is gone: the batch's keys are
		// unique, so its own values are simply left out.
		w.excludeBatch = id
		// Page through the batch by ID, a few thousand values a statement:
		// a batch may hold a million, and one UPDATE of them all would keep
		// a copy of every page it touched until it ended.
		type retracted struct {
			id    int64
			key   indicators.Key
			value float64
		}
		for after := int64(0); ; {
			rows, err := tx.QueryContext(ctx, `SELECT id, indicator, unit, period, type, value FROM data_values
				WHERE batch = ? AND retracted_at = '' AND id > ? ORDER BY id LIMIT 5000`, id, after)
			if err != nil {
				return fmt.Errorf("sqlite: list values of batch %d: %w", id, err)
			}
			var page []retracted
			for rows.Next() {
				var r retracted
				var period string
				if err := rows.Scan(&r.id, &r.key.Indicator, &r.key.Unit, &period, &r.key.Type, &r.value); err != nil {
					rows.Close()
					return fmt.Errorf("sqlite: scan value of batch %d: %w", id, err)
				}
				if r.key.Period, err = indicators.ParsePeriod(period); err != nil {
					rows.Close()
					return fmt.Errorf("sqlite: value %d has period %q: %w", r.id, period, err)
				}
				page = append(page, r)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return fmt.Errorf("sqlite: list values of batch %d: %w", id, err)
			}
			if len(page) == 0 {
				break
			}
			if _, err := tx.ExecContext(ctx, `UPDATE data_values SET retracted_at = ? WHERE batch = ? AND retracted_at = ''
				AND id BETWEEN ? AND ?`, stamp, id, page[0].id, page[len(page)-1].id); err != nil {
				return fmt.Errorf("sqlite: retract values of batch %d: %w", id, err)
			}
			for _, r := range page {
				now, ok, err := w.held(r.key)
				if err != nil {
					return err
				}
				ev := indicators.AuditEvent{Action: "value.retract",
					Object: "value:" + strconv.FormatInt(r.id, 10) + ":" + r.key.String(),
					Before: string(appendIDValue(nil, r.id, r.value)), Batch: id, FileHash: b.SHA256}
				switch {
				case !ok:
					res.Removed++
				case now.id < r.id:
					res.Restored++
					ev.After = string(appendIDValue(nil, now.id, now.value))
				default:
					res.Kept++
					ev.After = string(appendIDValue(nil, now.id, now.value))
				}
				res.Retracted++
				if err := w.event(ev); err != nil {
					return err
				}
			}
			after = page[len(page)-1].id
		}
		if _, err := tx.ExecContext(ctx, `UPDATE batches SET state = 'rolled_back', rolled_back_at = ?, rolled_back_by = ?
			WHERE id = ?`, stamp, actor.User, id); err != nil {
			return fmt.Errorf("sqlite: record rollback of batch %d: %w", id, err)
		}
		b.State, b.RolledBackAt, b.RolledBackBy = indicators.RolledBack, at, actor.User
		res.Batch = b.Batch
		if err := w.event(indicators.AuditEvent{Action: "batch.rollback", Object: "batch:" + strconv.FormatInt(id, 10),
			Before: `{"state":"committed"}`, After: jsonOf(map[string]any{"state": b.State, "retracted": res.Retracted,
				"restored": res.Restored, "removed": res.Removed, "kept": res.Kept}), Batch: id, FileHash: b.SHA256}); err != nil {
			return err
		}
		if err := w.flush(); err != nil {
			return err
		}
		return db.resetTouched(ctx, tx, "rollback:"+strconv.FormatInt(id, 10), `v.batch = ?`, id)
	})
	return res, err
}

// mayRollback refuses a planner the rollback of a batch with a value
// outside their units or task groups.
func mayRollback(ctx context.Context, tx *sql.Tx, actor indicators.Actor, batch int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT v.unit, i.grp FROM data_values v
		JOIN indicators i ON i.code = v.indicator WHERE v.batch = ? AND v.retracted_at = ''`, batch)
	if err != nil {
		return fmt.Errorf("sqlite: scope of batch %d: %w", batch, err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit string
		var group int
		if err := rows.Scan(&unit, &group); err != nil {
			return fmt.Errorf("sqlite: scope of batch %d: %w", batch, err)
		}
		if !actor.MayWrite(unit, group) {
			return indicators.FieldError(indicators.EFORBIDDEN, "",
				fmt.Sprintf("lô #%d có số liệu của đơn vị %s, nhóm nhiệm vụ %d, ngoài phạm vi được giao cho %s", batch, unit, group, actor.User),
				fmt.Sprintf("batch #%d holds values of unit %s, task group %d, outside what %s may write", batch, unit, group, actor.User))
		}
	}
	return rows.Err()
}
