package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"chitieu/indicators"

	"github.com/jackc/pgx/v5"
)

// audit appends ev to the trail in tx, filling in the time, the actor of
// ctx and the hash chain. The transaction holds the chain's head row (see
// writeTx), so no other server can append between reading the last hash
// and writing this event: the chain cannot fork.
func (tx *wtx) audit(ctx context.Context, ev indicators.AuditEvent) error {
	a := indicators.ActorFrom(ctx)
	if ev.User == "" {
		ev.User, ev.Addr = a.User, a.Addr
	}
	ev.At = tx.db.now()
	return tx.appendEvent(ctx, ev)
}

// appendEvent chains ev (its moment set) to the end of the trail.
func (tx *wtx) appendEvent(ctx context.Context, ev indicators.AuditEvent) error {
	tx.chain(&ev)
	if _, err := tx.Exec(ctx, `INSERT INTO audit_events (`+auditColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, eventRow(ev)...); err != nil {
		return fmt.Errorf("postgres: append audit event %s: %w", ev.Action, err)
	}
	return nil
}

// chain makes ev the next event of the trail: its ID, the hash of the one
// before and its own. The caller inserts it, alone or with others by COPY.
func (tx *wtx) chain(ev *indicators.AuditEvent) {
	ev.ID = tx.lastID + 1
	ev.PrevHash = tx.hash
	ev.Hash = tx.db.key.eventHash(*ev)
	tx.lastID, tx.hash, tx.appended = ev.ID, ev.Hash, true
	tx.events++
	// The events of a batch's own values are written while the batch is
	// still invisible; the batch's own event moves the data version.
	if ev.Batch == 0 || (ev.Action != "value.add" && ev.Action != "value.retract") {
		tx.versionID, tx.versionAt = ev.ID, ev.At
	}
}

// eventRow is ev as a row of auditColumns.
func eventRow(ev indicators.AuditEvent) []any {
	at := ev.At.UTC()
	return []any{ev.ID, at.Truncate(time.Microsecond), at.Nanosecond() % 1000, ev.User, ev.Addr, ev.Action, ev.Object,
		ev.Before, ev.After, ev.Batch, ev.FileHash, ev.PrevHash, ev.Hash}
}

// eventColumns are auditColumns as COPY names them.
var eventColumns = []string{"id", "at", "at_ns", "user", "addr", "action", "object", "before", "after", "batch",
	"file_hash", "prev_hash", "hash"}

// ChainBroken names the first audit event at which the hash chain fails.
type ChainBroken = indicators.ChainBroken

var (
	_ indicators.AuditLog    = (*DB)(nil)
	_ indicators.AuditStream = (*DB)(nil)
	_ indicators.Versioner   = (*DB)(nil)
)

// VerifyAudit checks the trail and returns the first event that does not
// hold, or the events cut from its end, or nil when it is whole.
func (db *DB) VerifyAudit(ctx context.Context) (*ChainBroken, error) {
	c, err := db.CheckAudit(ctx)
	return c.Broken, err
}

// CheckAudit walks the whole trail as the SQLite store does: each event's
// link to the one before, its hash under the key (plain SHA-256 before the
// audit.key event of a trail copied from a SQLite database made before
// keys), and the heads this server recorded since the last restore.
func (db *DB) CheckAudit(ctx context.Context) (indicators.AuditCheck, error) {
	c := indicators.AuditCheck{HeadsFile: db.headsPath}
	recs, err := readHeads(db.headsPath)
	noHeads := errors.Is(err, fs.ErrNotExist)
	if err != nil && !noHeads {
		return c, err
	}
	c.Restores = recs.restores()
	if err := db.checkChain(ctx, lastSegment(recs), &c); err != nil {
		return c, err
	}
	if noHeads && c.Broken == nil && c.Head.LastID > 0 {
		c.Broken = &ChainBroken{Reason: fmt.Sprintf(
			"không thấy tệp đầu chuỗi %s: không kiểm được sự kiện cuối nào bị cắt", db.headsPath)}
	}
	return c, nil
}

// checkChain checks the trail in one read-only snapshot against the
// recorded heads seg, filling in c.
func (db *DB) checkChain(ctx context.Context, seg headRecords, c *indicators.AuditCheck) error {
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("postgres: read audit trail: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MIN(id), 0) FROM audit_events WHERE action = $1`, keyEvent).
		Scan(&c.KeyedFrom); err != nil {
		return fmt.Errorf("postgres: read audit trail: %w", err)
	}
	var want headRecords
	for _, r := range seg {
		if r.Seq > 0 {
			want = append(want, r)
		}
	}
	slices.SortStableFunc(want, func(a, b indicators.RecordedHead) int { return cmp.Compare(a.Seq, b.Seq) })
	rows, err := tx.Query(ctx, `SELECT `+auditColumns+` FROM audit_events ORDER BY id`)
	if err != nil {
		return fmt.Errorf("postgres: read audit trail: %w", err)
	}
	defer rows.Close()
	key := db.key
	prev, prevID := "", int64(0)
	broken := func(id int64, reason string, args ...any) error {
		c.Broken = &ChainBroken{ID: id, Reason: fmt.Sprintf(reason, args...)}
		return nil
	}
	for rows.Next() {
		ev, err := scanAuditEvent(rows)
		if err != nil {
			return err
		}
		if c.KeyedFrom == 0 {
			c.KeyedFrom = ev.ID // no event before the key: all signed
		}
		c.Head.Events++
		c.Head.LastID, c.Head.Hash = ev.ID, ev.Hash
		signed := ev.ID >= c.KeyedFrom
		switch {
		case ev.PrevHash != prev && prevID == 0:
			return broken(ev.ID, "sự kiện đầu tiên không nối vào đầu chuỗi (có sự kiện trước đã bị xóa)")
		case ev.PrevHash != prev:
			return broken(ev.ID, "không nối vào sự kiện #%d (sự kiện bị xóa hoặc đổi thứ tự)", prevID)
		case signed && key.eventHash(ev) != ev.Hash && eventHash(ev) == ev.Hash:
			return broken(ev.ID, "mã băm là SHA-256 không khóa: sự kiện bị viết lại và chuỗi được tính lại từ đó")
		case signed && key.eventHash(ev) != ev.Hash:
			return broken(ev.ID, "nội dung không khớp mã khóa (sự kiện bị sửa, hoặc khóa không đúng)")
		case !signed && eventHash(ev) != ev.Hash:
			return broken(ev.ID, "nội dung không khớp mã băm (sự kiện bị sửa)")
		}
		for len(want) > 0 && want[0].Seq <= ev.ID {
			r := want[0]
			want = want[1:]
			if r.Seq < ev.ID {
				return broken(r.Seq, "sự kiện đã ghi ở đầu chuỗi lúc %s không còn trong nhật ký", fmtRecorded(r.At))
			}
			if r.Hash != ev.Hash {
				return broken(ev.ID, "khác với đầu chuỗi đã ghi lúc %s (sự kiện bị viết lại)", fmtRecorded(r.At))
			}
			rec := r
			c.Recorded = &rec
		}
		prev, prevID = ev.Hash, ev.ID
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: read audit trail: %w", err)
	}
	if len(want) > 0 {
		last := want[len(want)-1]
		n := last.Seq - c.Head.LastID
		c.Broken = &ChainBroken{ID: c.Head.LastID + 1, Missing: n, Reason: fmt.Sprintf(
			"thiếu %d sự kiện cuối: từ #%d đến #%d (tệp đầu chuỗi ghi #%d lúc %s, nhật ký chỉ còn đến #%d)",
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

// auditColumns are the columns of an event, in the order scanAuditEvent
// reads them.
const auditColumns = `id, at, at_ns, "user", addr, action, object, before, after, batch, file_hash, prev_hash, hash`

// scanAuditEvent reads one row of auditColumns.
func scanAuditEvent(row pgx.Row) (indicators.AuditEvent, error) {
	var ev indicators.AuditEvent
	var ns int
	if err := row.Scan(&ev.ID, &ev.At, &ns, &ev.User, &ev.Addr, &ev.Action, &ev.Object, &ev.Before, &ev.After,
		&ev.Batch, &ev.FileHash, &ev.PrevHash, &ev.Hash); err != nil {
		return ev, err
	}
	ev.At = ev.At.UTC().Add(time.Duration(ns))
	return ev, nil
}

// auditQuery turns a filter into the query of the events it selects.
func auditQuery(f indicators.AuditFilter) (string, []any) {
	var a args
	q := `SELECT ` + auditColumns + ` FROM audit_events WHERE true`
	if !f.From.IsZero() {
		q += ` AND at >= ` + a.add(f.From.UTC().Truncate(time.Microsecond))
	}
	if !f.To.IsZero() {
		q += ` AND at <= ` + a.add(f.To.UTC())
	}
	if f.User != "" {
		q += ` AND "user" = ` + a.add(f.User)
	}
	if f.Action != "" {
		q += ` AND (action = ` + a.add(f.Action) + ` OR action LIKE ` + a.add(escapeLike(f.Action)+".%") + `)`
	}
	if f.Object != "" {
		q += ` AND object LIKE ` + a.add("%"+escapeLike(f.Object)+"%")
	}
	if f.Before > 0 {
		q += ` AND id < ` + a.add(f.Before)
	}
	if f.Newest {
		q += ` ORDER BY id DESC`
	} else {
		q += ` ORDER BY id`
	}
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	return q, a
}

// escapeLike makes s match itself in a LIKE pattern (backslash escapes).
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// AuditEvents returns the events that match f, oldest first unless
// f.Newest.
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

// EachAuditEvent streams the events that match f to fn, one row at a time,
// from one snapshot of the trail.
func (db *DB) EachAuditEvent(ctx context.Context, f indicators.AuditFilter, fn func(indicators.AuditEvent) error) error {
	q, a := auditQuery(f)
	rows, err := db.pool.Query(ctx, q, a...)
	if err != nil {
		return fmt.Errorf("postgres: list audit events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		ev, err := scanAuditEvent(rows)
		if err != nil {
			return fmt.Errorf("postgres: read audit event: %w", err)
		}
		if err := fn(ev); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: list audit events: %w", err)
	}
	return nil
}

// AuditEvent returns one event of the trail.
func (db *DB) AuditEvent(ctx context.Context, id int64) (indicators.AuditEvent, error) {
	ev, err := scanAuditEvent(db.pool.QueryRow(ctx, `SELECT `+auditColumns+` FROM audit_events WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return ev, notFound("audit event", fmt.Sprint(id))
	}
	if err != nil {
		return ev, fmt.Errorf("postgres: read audit event %d: %w", id, err)
	}
	return ev, nil
}

// AuditHead returns the number of events and the last one's ID and hash,
// from the head row: one row, whatever the trail holds.
func (db *DB) AuditHead(ctx context.Context) (indicators.AuditHead, error) {
	var h indicators.AuditHead
	if err := db.pool.QueryRow(ctx, `SELECT events, last_id, hash FROM audit_head WHERE one`).
		Scan(&h.Events, &h.LastID, &h.Hash); err != nil {
		return h, fmt.Errorf("postgres: read the end of the audit trail: %w", err)
	}
	return h, nil
}

// DataVersion returns the ID and time of the last audit event but those of
// a batch's own values, kept in the head row by every writing transaction.
func (db *DB) DataVersion(ctx context.Context) (indicators.DataVersion, error) {
	var v indicators.DataVersion
	var at *time.Time
	if err := db.pool.QueryRow(ctx, `SELECT version_id, version_at FROM audit_head WHERE one`).Scan(&v.ID, &at); err != nil {
		return v, fmt.Errorf("postgres: read data version: %w", err)
	}
	if v.ID == 0 {
		return indicators.DataVersion{}, nil
	}
	v.At = timeOf(at)
	return v, nil
}
