package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

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
	if err := tx.QueryRowContext(ctx, `SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1`).Scan(&ev.PrevHash); err != nil {
		if err != sql.ErrNoRows {
			return fmt.Errorf("sqlite: read last audit hash: %w", err)
		}
		ev.PrevHash = ""
	}
	ev.Hash = eventHash(ev)
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_events
		(at, user, addr, action, object, before, after, batch, file_hash, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		fmtTime(ev.At), ev.User, ev.Addr, ev.Action, ev.Object, ev.Before, ev.After, ev.Batch, ev.FileHash, ev.PrevHash, ev.Hash)
	if err != nil {
		return fmt.Errorf("sqlite: append audit event %s: %w", ev.Action, err)
	}
	return nil
}

// eventHash is SHA-256 over a canonical JSON of the event's content and the
// hash of the event before it.
func eventHash(ev indicators.AuditEvent) string {
	b, _ := json.Marshal([]any{ev.PrevHash, fmtTime(ev.At), ev.User, ev.Addr, ev.Action, ev.Object,
		ev.Before, ev.After, ev.Batch, ev.FileHash})
	sum := sha256.Sum256(b)
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

// VerifyAudit walks the whole trail and returns the first event whose
// content, link or order does not hold, or nil when the chain is whole.
func (db *DB) VerifyAudit(ctx context.Context) (*ChainBroken, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_events ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: read audit trail: %w", err)
	}
	defer rows.Close()
	prev, prevID := "", int64(0)
	for rows.Next() {
		ev, err := scanAuditEvent(rows)
		if err != nil {
			return nil, err
		}
		switch {
		case ev.PrevHash != prev && prevID == 0:
			return &ChainBroken{ID: ev.ID, Reason: "sự kiện đầu tiên không nối vào đầu chuỗi (có sự kiện trước đã bị xóa)"}, nil
		case ev.PrevHash != prev:
			return &ChainBroken{ID: ev.ID, Reason: fmt.Sprintf("không nối vào sự kiện #%d (sự kiện bị xóa hoặc đổi thứ tự)", prevID)}, nil
		case eventHash(ev) != ev.Hash:
			return &ChainBroken{ID: ev.ID, Reason: "nội dung không khớp mã băm (sự kiện bị sửa)"}, nil
		}
		prev, prevID = ev.Hash, ev.ID
	}
	return nil, rows.Err()
}

var _ indicators.AuditStream = (*DB)(nil)

// auditColumns are the columns of an event, in the order scanAuditEvent
// reads them.
const auditColumns = `id, at, user, addr, action, object, before, after, batch, file_hash, prev_hash, hash`

// auditQuery turns a filter into the query of the events it selects.
func auditQuery(f indicators.AuditFilter) (string, []any) {
	q := `SELECT ` + auditColumns + ` FROM audit_events WHERE 1=1`
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
	err := db.read.QueryRowContext(ctx, `SELECT id, at, user, addr, action, object, before, after, batch, file_hash,
		prev_hash, hash FROM audit_events WHERE id = ?`, id).Scan(&ev.ID, &at, &ev.User, &ev.Addr, &ev.Action,
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
		COALESCE((SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1), '') FROM audit_events`).
		Scan(&h.Events, &h.LastID, &h.Hash)
	if err != nil {
		return h, fmt.Errorf("sqlite: read the end of the audit trail: %w", err)
	}
	return h, nil
}
