package sqlite

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"chitieu/indicators"
)

// audit appends ev to the trail inside tx, filling in the time, the actor of
// ctx and the hash chain. Log-breaking characters in the free-text fields are
// kept as data: the event is JSON-hashed, never parsed from lines.
func (db *DB) audit(ctx context.Context, tx *sql.Tx, ev indicators.AuditEvent) error {
	a := indicators.ActorFrom(ctx)
	if ev.User == "" {
		ev.User, ev.Addr = a.User, a.Addr
	}
	ev.At = db.now().UTC()
	if err := tx.QueryRowContext(ctx, `SELECT `+hashHex+` FROM audit_events ORDER BY id DESC LIMIT 1`).Scan(&ev.PrevHash); err != nil {
		if err != sql.ErrNoRows {
			return fmt.Errorf("sqlite: read last audit hash: %w", err)
		}
		ev.PrevHash = ""
	}
	ev.Hash = db.key.eventHash(ev)
	sum, err := hex.DecodeString(ev.Hash)
	if err != nil {
		return fmt.Errorf("sqlite: append audit event %s: %w", ev.Action, err)
	}
	// The file hash is left NULL when it is the file of the event's batch,
	// from which the readers take it (see migration 0015).
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_events
		(at, user, addr, action, object, before, after, batch, file_hash, hash)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,
			CASE WHEN ?8 <> 0 AND ?9 <> '' AND ?9 = (SELECT sha256 FROM batches WHERE id = ?8) THEN NULL ELSE ?9 END, ?10)`,
		fmtTime(ev.At), ev.User, ev.Addr, ev.Action, ev.Object, ev.Before, ev.After, ev.Batch, ev.FileHash, sum)
	if err != nil {
		return fmt.Errorf("sqlite: append audit event %s: %w", ev.Action, err)
	}
	return nil
}

// eventHash is plain SHA-256 over the canonical JSON of the event, as the
// trail was chained before it had a key.
func eventHash(ev indicators.AuditEvent) string {
	sum := sha256.Sum256(canonicalEvent(ev))
	return hex.EncodeToString(sum[:])
}

// jsonOf renders v for the before/after columns of an event.
func jsonOf(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%q", fmt.Sprint(v))
	}
	return string(b)
}

// ChainBroken names the first audit event at which the hash chain fails.
type ChainBroken = indicators.ChainBroken

var _ indicators.AuditLog = (*DB)(nil)

// VerifyAudit checks the trail and returns the first event that does not
// hold, or the events cut from its end, or nil when it is whole.
func (db *DB) VerifyAudit(ctx context.Context) (*ChainBroken, error) {
	c, err := db.CheckAudit(ctx)
	return c.Broken, err
}

// CheckAudit walks the whole trail: each event's link to the one before,
// its hash under the key (plain SHA-256 before the audit.key event of a
// trail made before keys), and the heads recorded in the heads file since
// the last restore, which show a tail cut off or a trail rewritten under
// the key.
func (db *DB) CheckAudit(ctx context.Context) (indicators.AuditCheck, error) {
	c := indicators.AuditCheck{HeadsFile: db.headsPath}
	recs, err := readHeads(db.headsPath)
	noHeads := errors.Is(err, fs.ErrNotExist)
	if err != nil && !noHeads {
		return c, err
	}
	c.Restores = recs.restores()
	seg := lastSegment(recs)
	if err := checkChain(ctx, db.read.DB, db.key, seg, &c); err != nil {
		return c, err
	}
	if b := c.Broken; b != nil && b.ID == c.KeyedFrom && db.key != nil {
		// The first signed event failing is most often the wrong key:
		// the heads file says which key signed the trail.
		for _, r := range recs {
			f := strings.Fields(r.Note)
			if r.Kind != recordKey || len(f) == 0 {
				continue
			}
			if id, ok := strings.CutPrefix(f[0], "key="); ok && id != db.key.id {
				b.Reason += fmt.Sprintf("; khóa %s (mã %s) khác khóa đã ký nhật ký (mã %s, ghi lúc %s)",
					db.keyPath, db.key.id, id, fmtRecorded(r.At))
				b.ReasonEN += fmt.Sprintf("; the key %s (id %s) is not the key that signed the trail (id %s, recorded %s)",
					db.keyPath, db.key.id, id, fmtRecorded(r.At))
				break
			}
		}
	}
	if noHeads && c.Broken == nil && c.Head.LastID > 0 {
		c.Broken = &ChainBroken{
			Reason:   fmt.Sprintf("không thấy tệp đầu chuỗi %s: không kiểm được sự kiện cuối nào bị cắt", db.headsPath),
			ReasonEN: fmt.Sprintf("the heads file %s is not found: events cut from the end cannot be ruled out", db.headsPath)}
	}
	return c, nil
}

// checkChain checks the trail in q, in one read transaction, with key (nil
// for a trail that must be plain) and against the recorded heads seg,
// filling in c.
func checkChain(ctx context.Context, q *sql.DB, key *auditKey, seg headRecords, c *indicators.AuditCheck) error {
	tx, err := q.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("sqlite: read audit trail: %w", err)
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MIN(id), 0) FROM audit_events WHERE action = ?`, keyEvent).
		Scan(&c.KeyedFrom); err != nil {
		return fmt.Errorf("sqlite: read audit trail: %w", err)
	}
	if key == nil {
		c.KeyedFrom = 0
	}
	// The recorded heads in order of sequence, to be met as the walk
	// reaches them; a head of sequence 0 is the empty trail.
	var want headRecords
	for _, r := range seg {
		if r.Seq > 0 {
			want = append(want, r)
		}
	}
	slices.SortStableFunc(want, func(a, b indicators.RecordedHead) int { return cmp.Compare(a.Seq, b.Seq) })
	rows, err := tx.QueryContext(ctx, `SELECT `+chainColumns+` FROM audit_events e ORDER BY e.id`)
	if err != nil {
		return fmt.Errorf("sqlite: read audit trail: %w", err)
	}
	defer rows.Close()
	prev, prevID := "", int64(0)
	broken := func(id int64, vi, en string) error {
		c.Broken = &ChainBroken{ID: id, Reason: vi, ReasonEN: en}
		return nil
	}
	for rows.Next() {
		ev, err := scanAuditEvent(rows)
		if err != nil {
			return err
		}
		if c.KeyedFrom == 0 && key != nil {
			c.KeyedFrom = ev.ID // no event before the key: all signed
		}
		c.Head.Events++
		c.Head.LastID, c.Head.Hash = ev.ID, ev.Hash
		signed := key != nil && ev.ID >= c.KeyedFrom
		// Each hash is taken over the hash of the event before it, which
		// the trail does not store: a removed or reordered event shows as
		// the next one's hash failing, and the gap in the IDs, which are
		// never reused, tells it from an edit.
		ev.PrevHash = prev
		holds := (signed && key.eventHash(ev) == ev.Hash) || (!signed && eventHash(ev) == ev.Hash)
		switch {
		case holds:
		case prevID == 0 && ev.ID != 1:
			return broken(ev.ID, "sự kiện đầu tiên không nối vào đầu chuỗi (có sự kiện trước đã bị xóa)",
				"the first event does not start the chain (events before it were removed)")
		case prevID != 0 && ev.ID != prevID+1:
			return broken(ev.ID, fmt.Sprintf("không nối vào sự kiện #%d (sự kiện bị xóa hoặc đổi thứ tự)", prevID),
				fmt.Sprintf("does not follow event #%d (events removed or reordered)", prevID))
		case signed && eventHash(ev) == ev.Hash:
			return broken(ev.ID, "mã băm là SHA-256 không khóa: sự kiện bị viết lại và chuỗi được tính lại từ đó",
				"the hash is unkeyed SHA-256: the event was rewritten and the chain recomputed from it")
		case signed:
			return broken(ev.ID, "nội dung không khớp mã khóa (sự kiện bị sửa, hoặc khóa không đúng)",
				"the content does not match its keyed hash (the event was changed, or the key is wrong)")
		default:
			return broken(ev.ID, "nội dung không khớp mã băm (sự kiện bị sửa)",
				"the content does not match its hash (the event was changed)")
		}
		for len(want) > 0 && want[0].Seq <= ev.ID {
			r := want[0]
			want = want[1:]
			if r.Seq < ev.ID {
				return broken(r.Seq, fmt.Sprintf("sự kiện đã ghi ở đầu chuỗi lúc %s không còn trong nhật ký", fmtRecorded(r.At)),
					fmt.Sprintf("the event recorded as the head at %s is no longer in the trail", fmtRecorded(r.At)))
			}
			if r.Hash != ev.Hash {
				return broken(ev.ID, fmt.Sprintf("khác với đầu chuỗi đã ghi lúc %s (sự kiện bị viết lại)", fmtRecorded(r.At)),
					fmt.Sprintf("differs from the head recorded at %s (the event was rewritten)", fmtRecorded(r.At)))
			}
			rec := r
			c.Recorded = &rec
		}
		prev, prevID = ev.Hash, ev.ID
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: read audit trail: %w", err)
	}
	if len(want) > 0 {
		last := want[len(want)-1]
		n := last.Seq - c.Head.LastID
		c.Broken = &ChainBroken{ID: c.Head.LastID + 1, Missing: n,
			Reason: fmt.Sprintf("thiếu %d sự kiện cuối: từ #%d đến #%d (tệp đầu chuỗi ghi #%d lúc %s, nhật ký chỉ còn đến #%d)",
				n, c.Head.LastID+1, last.Seq, last.Seq, fmtRecorded(last.At), c.Head.LastID),
			ReasonEN: fmt.Sprintf("%d events missing at the end: #%d to #%d (the heads file recorded #%d at %s, the trail ends at #%d)",
				n, c.Head.LastID+1, last.Seq, last.Seq, fmtRecorded(last.At), c.Head.LastID)}
	}
	return nil
}

// fmtRecorded is a recorded moment as the messages print it: Vietnam time.
func fmtRecorded(t time.Time) string {
	if t.IsZero() {
		return "?"
	}
	return t.In(indicators.Vietnam).Format("02/01/2006 15:04:05")
}

var _ indicators.AuditStream = (*DB)(nil)

// The trail stores neither an event's previous hash nor, for an event of a
// batch, the batch's file hash (migration 0015): the readers derive them,
// the first from the event before it by id, the second from the batch.
const (
	// hashHex is an event's hash as hex, the form the chain and the
	// heads file use; a trail made before 0015 kept it as hex text.
	hashHex = `CASE typeof(hash) WHEN 'blob' THEN lower(hex(hash)) ELSE hash END`
	// eventFileHash is the file hash of the event e.
	eventFileHash = `COALESCE(e.file_hash, (SELECT b.sha256 FROM batches b WHERE b.id = e.batch), '')`
	// eventPrevHash is the hash of the event before e.
	eventPrevHash = `COALESCE((SELECT lower(hex(p.hash)) FROM audit_events p WHERE p.id < e.id ORDER BY p.id DESC LIMIT 1), '')`
	// eventHashHex is hashHex of the event e: the walk of the chain also
	// reads backups made before 0015, when a backup is restored.
	eventHashHex = `CASE typeof(e.hash) WHEN 'blob' THEN lower(hex(e.hash)) ELSE e.hash END`
	// auditColumns are the columns of an event e, in the order
	// scanAuditEvent reads them.
	auditColumns = `e.id, e.at, e.user, e.addr, e.action, e.object, e.before, e.after, e.batch, ` +
		eventFileHash + `, ` + eventPrevHash + `, ` + eventHashHex
	// chainColumns are auditColumns without the previous hash, which the
	// walk of the whole chain keeps itself.
	chainColumns = `e.id, e.at, e.user, e.addr, e.action, e.object, e.before, e.after, e.batch, ` +
		eventFileHash + `, '', ` + eventHashHex
)

// auditQuery turns a filter into the query of the events it selects.
func auditQuery(f indicators.AuditFilter) (string, []any) {
	q := `SELECT ` + auditColumns + ` FROM audit_events e WHERE 1=1`
	var args []any
	if !f.From.IsZero() {
		q += ` AND at >= ?`
		args = append(args, fmtTime(f.From))
	}
	if !f.To.IsZero() {
		q += ` AND at <= ?`
		args = append(args, fmtTime(f.To))
	}
	if f.User != "" {
		q += ` AND user = ?`
		args = append(args, f.User)
	}
	if f.Action != "" {
		q += ` AND (action = ? OR action LIKE ? ESCAPE '\')`
		args = append(args, f.Action, escapeLike(f.Action)+".%")
	}
	if f.Object != "" {
		q += ` AND object LIKE ? ESCAPE '\'`
		args = append(args, "%"+escapeLike(f.Object)+"%")
	}
	if f.Before > 0 {
		q += ` AND id < ?`
		args = append(args, f.Before)
	}
	if f.Newest {
		q += ` ORDER BY id DESC`
	} else {
		q += ` ORDER BY id`
	}
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	return q, args
}

// scanAuditEvent reads one row of auditColumns.
func scanAuditEvent(rows *sql.Rows) (indicators.AuditEvent, error) {
	var ev indicators.AuditEvent
	var at string
	if err := rows.Scan(&ev.ID, &at, &ev.User, &ev.Addr, &ev.Action, &ev.Object, &ev.Before, &ev.After,
		&ev.Batch, &ev.FileHash, &ev.PrevHash, &ev.Hash); err != nil {
		return ev, fmt.Errorf("sqlite: read audit event: %w", err)
	}
	ev.At = parseTime(at)
	return ev, nil
}

// AuditEvents returns the events that match f, oldest first unless
// f.Newest. A long period is better read with EachAuditEvent.
func (db *DB) AuditEvents(ctx context.Context, f indicators.AuditFilter) ([]indicators.AuditEvent, error) {
	var out []indicators.AuditEvent
	err := db.EachAuditEvent(ctx, f, func(ev indicators.AuditEvent) error {
		out = append(out, ev)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EachAuditEvent streams the events that match f to fn, scanning the rows
// one by one: one query, so the events come from one snapshot of the trail
// even while others write.
func (db *DB) EachAuditEvent(ctx context.Context, f indicators.AuditFilter, fn func(indicators.AuditEvent) error) error {
	q, args := auditQuery(f)
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("sqlite: list audit events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		ev, err := scanAuditEvent(rows)
		if err != nil {
			return err
		}
		if err := fn(ev); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: list audit events: %w", err)
	}
	return nil
}

// escapeLike makes s match itself in a LIKE pattern with ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// AuditEvent returns one event of the trail.
func (db *DB) AuditEvent(ctx context.Context, id int64) (indicators.AuditEvent, error) {
	var ev indicators.AuditEvent
	var at string
	err := db.read.QueryRowContext(ctx, `SELECT `+auditColumns+` FROM audit_events e WHERE e.id = ?`, id).Scan(&ev.ID, &at, &ev.User, &ev.Addr, &ev.Action,
		&ev.Object, &ev.Before, &ev.After, &ev.Batch, &ev.FileHash, &ev.PrevHash, &ev.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return ev, notFound("audit event", fmt.Sprint(id))
	}
	if err != nil {
		return ev, fmt.Errorf("sqlite: read audit event %d: %w", id, err)
	}
	ev.At = parseTime(at)
	return ev, nil
}

// AuditHead returns the number of events and the last one's ID and hash.
func (db *DB) AuditHead(ctx context.Context) (indicators.AuditHead, error) {
	var h indicators.AuditHead
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(id), 0),
		COALESCE((SELECT `+hashHex+` FROM audit_events ORDER BY id DESC LIMIT 1), '') FROM audit_events`).
		Scan(&h.Events, &h.LastID, &h.Hash)
	if err != nil {
		return h, fmt.Errorf("sqlite: read the end of the audit trail: %w", err)
	}
	return h, nil
}
