package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"chitieu/indicators"
)

var _ indicators.ImportStore = (*DB)(nil)

// errNothingStored ends a commit transaction that would store no value:
// the same file, or the same values, again change nothing.
var errNothingStored = errors.New("sqlite: nothing to store")

// classify returns the change a reading makes against the value in force.
func classify(r *indicators.Reading, h heldValue, ok bool) indicators.Change {
	c := indicators.Change{Kind: indicators.NewValue, Reading: *r}
	if !ok {
		return c
	}
	c.OldID, c.Old, c.OldHigh = h.id, h.value, h.high
	if h.value == r.Value && sameHigh(h.high, r.High) {
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

// ApplyImport classifies the readings of req against the values in force
// and, unless req.DryRun, stores the new and changed ones as one batch, in
// one transaction, with one audit event per stored value and one for the
// batch. A dry run reads from a snapshot and writes nothing.
func (db *DB) ApplyImport(ctx context.Context, req *indicators.ImportRequest) (indicators.StagedBatch, error) {
	if req.DryRun {
		return req.Batch, db.previewImport(ctx, req)
	}
	if err := db.checkRoom(ctx, req); err != nil {
		return req.Batch, err
	}
	// A batch of a million values touches more pages than SQLite's default
	// cache of 2 MB holds, and spilling them to the WAL again and again
	// costs time: the cache grows to 16 MB for the import (measured: more
	// buys little speed and much memory), then shrinks back.
	if _, err := db.write.ExecContext(ctx, `PRAGMA cache_size = -16384`); err != nil {
		return req.Batch, fmt.Errorf("sqlite: grow the cache: %w", err)
	}
	defer db.write.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = -2000`)
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return req.Batch, fmt.Errorf("sqlite: begin import: %w", err)
	}
	defer tx.Rollback()
	b, err := db.commitImport(ctx, tx, req)
	if errors.Is(err, errNothingStored) {
		b.ID, b.State = 0, ""
		return b, nil
	}
	if err != nil {
		return b, diskFull(err, "lô nhập "+req.Batch.FileName, "the batch "+req.Batch.FileName)
	}
	if err := db.commitTx(ctx, tx); err != nil {
		return b, diskFull(fmt.Errorf("sqlite: commit import: %w", err), "lô nhập "+req.Batch.FileName, "the batch "+req.Batch.FileName)
	}
	return b, nil
}

// previewImport classifies the readings in a read-only snapshot.
func (db *DB) previewImport(ctx context.Context, req *indicators.ImportRequest) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("sqlite: begin preview: %w", err)
	}
	defer tx.Rollback()
	// The values in force are looked up as an import looks them up (see
	// valueWriter.held), with no more than maxHeld of them in memory.
	w := &valueWriter{ctx: ctx, lookup: tx, current: map[pairKey]map[slotKey]heldValue{}}
	var counts indicators.ImportCounts
	for chunk := range req.Readings {
		if err := ctx.Err(); err != nil {
			return err
		}
		for i := range chunk {
			r := &chunk[i]
			h, ok, err := w.held(r.Key)
			if err != nil {
				return err
			}
			c := classify(r, h, ok)
			count(&counts, c.Kind)
			if req.OnChange != nil {
				req.OnChange(c)
			}
		}
	}
	if req.Finish != nil {
		return req.Finish(counts)
	}
	return nil
}

func count(c *indicators.ImportCounts, k indicators.ChangeKind) {
	switch k {
	case indicators.NewValue:
		c.New++
	case indicators.ChangedValue:
		c.Changed++
	default:
		c.Unchanged++
	}
}

// commitImport does the work of ApplyImport inside tx.
func (db *DB) commitImport(ctx context.Context, tx *sql.Tx, req *indicators.ImportRequest) (indicators.StagedBatch, error) {
	at := db.now()
	actor := indicators.ActorFrom(ctx)
	b := req.Batch
	if b.ID != 0 {
		staged, err := stagedBatch(ctx, tx, b.ID)
		if err != nil {
			return b, err
		}
		if staged.State != indicators.Previewed {
			return b, indicators.Errorf(indicators.ECONFLICT, "lô #%d đang ở trạng thái %s, không thể ghi lại", b.ID, stateVI(staged.State))
		}
	} else {
		b.CreatedBy, b.CreatedAt = actor.User, at
		res, err := tx.ExecContext(ctx, `INSERT INTO batches (file_name, sha256, size, state, profile, unit, locale,
			created_by, created_at, profile_json) VALUES (?, ?, ?, 'committed', ?, ?, ?, ?, ?, ?)`,
			b.FileName, b.SHA256, b.Size, b.Profile, b.Unit, b.Locale, b.CreatedBy, fmtTime(at), b.ProfileJSON)
		if err != nil {
			return b, fmt.Errorf("sqlite: create batch for %s: %w", b.FileName, err)
		}
		if b.ID, err = res.LastInsertId(); err != nil {
			return b, fmt.Errorf("sqlite: id of batch: %w", err)
		}
	}
	if req.File != nil {
		if err := saveFile(ctx, tx, b.SHA256, req.File, at); err != nil {
			return b, err
		}
	}
	counts, w, ins, err := db.writeReadings(ctx, tx, req, b, at)
	if ins != nil {
		defer ins.close()
	}
	if err != nil {
		return b, err
	}
	if req.Finish != nil {
		if err := req.Finish(counts); err != nil {
			return b, err
		}
	}
	// Finish may have completed the description of the batch.
	fin := req.Batch
	b.Rows, b.Digest, b.Rejected = fin.Rows, fin.Digest, fin.Rejected
	b.Warnings, b.ConfirmNote = fin.Warnings, fin.ConfirmNote
	b.New, b.Changed, b.Unchanged = counts.New, counts.Changed, counts.Unchanged
	if !counts.Stored() {
		return b, errNothingStored
	}
	b.State, b.CommittedAt = indicators.Committed, at
	w.emit, w.reuse = ins.insert, true
	if _, err := tx.ExecContext(ctx, `UPDATE batches SET state = 'committed', new_values = ?, changed_values = ?,
		unchanged = ?, rejected = ?, committed_at = ?, rows_read = ?, digest = ? WHERE id = ?`,
		b.New, b.Changed, b.Unchanged, b.Rejected, fmtTime(at), b.Rows, b.Digest, b.ID); err != nil {
		return b, fmt.Errorf("sqlite: record batch %d: %w", b.ID, err)
	}
	if err := w.event(indicators.AuditEvent{Action: "batch.commit", Object: "batch:" + strconv.FormatInt(b.ID, 10),
		After: jsonOf(batchAudit(b)), Batch: b.ID, FileHash: b.SHA256}); err != nil {
		return b, err
	}
	return b, w.flush()
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
			return indicators.Errorf(indicators.ECONFLICT, "lô #%d đang ở trạng thái %s, chỉ hoàn tác được lô đã ghi", id, stateVI(b.State))
		}
		if err := mayRollback(ctx, tx, actor, id); err != nil {
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
		return w.flush()
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
			return indicators.Errorf(indicators.EFORBIDDEN,
				"lô #%d có số liệu của đơn vị %s, nhóm nhiệm vụ %d, ngoài phạm vi được giao cho %s", batch, unit, group, actor.User)
		}
	}
	return rows.Err()
}

// writeReadings classifies the readings and stores the new and changed ones
// in tx. Two goroutines share the work: one builds the rows — looking up
// the values in force in a snapshot taken while tx holds the write lock,
// which is the database as tx found it, and chaining the audit events —
// while this one inserts them.
func (db *DB) writeReadings(ctx context.Context, tx *sql.Tx, req *indicators.ImportRequest, b indicators.StagedBatch,
	at time.Time) (indicators.ImportCounts, *valueWriter, *inserter, error) {
	var counts indicators.ImportCounts
	snap, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return counts, nil, nil, fmt.Errorf("sqlite: begin snapshot: %w", err)
	}
	defer snap.Rollback()
	ins := &inserter{ctx: ctx, tx: tx}
	bctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rows := make(chan insertRows, 8)
	w, err := db.newRowBuilder(bctx, tx, snap, func(r insertRows) error {
		select {
		case rows <- r:
			return nil
		case <-bctx.Done():
			return bctx.Err()
		}
	})
	if err != nil {
		return counts, nil, ins, err
	}
	w.setMoment(at)
	actor := indicators.ActorFrom(ctx)
	built := make(chan error, 1)
	go func() {
		defer close(rows)
		built <- func() (err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("sqlite: building the rows of batch %d: %v", b.ID, r)
				}
			}()
			for chunk := range req.Readings {
				if err := bctx.Err(); err != nil {
					return err
				}
				for i := range chunk {
					r := &chunk[i]
					h, ok, err := w.held(r.Key)
					if err != nil {
						return err
					}
					c := classify(r, h, ok)
					count(&counts, c.Kind)
					if req.OnChange != nil {
						req.OnChange(c)
					}
					if c.Kind == indicators.UnchangedValue {
						continue
					}
					v := indicators.Value{Key: r.Key, Value: r.Value, High: r.High, Note: r.Note, Batch: b.ID,
						Sheet: r.Sheet, Cell: r.Cell, EnteredBy: actor.User}
					if err := v.Validate(); err != nil {
						return fmt.Errorf("%s!%s: %w", r.Sheet, r.Cell, err)
					}
					if err := w.add(&v, b.SHA256); err != nil {
						return err
					}
				}
			}
			return w.flush()
		}()
	}()
	var insErr error
	for r := range rows {
		if insErr == nil {
			if insErr = ins.insert(r); insErr != nil {
				cancel()
			}
		}
	}
	if err := <-built; insErr == nil && err != nil {
		insErr = err
	}
	return counts, w, ins, insErr
}
