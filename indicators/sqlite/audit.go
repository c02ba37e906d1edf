package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"

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
type ChainBroken struct {
	ID     int64  // the first event that does not hold
	Reason string // what is wrong with it
}

func (c *ChainBroken) Error() string {
	return fmt.Sprintf("nhật ký kiểm toán bị thay đổi tại sự kiện #%d: %s", c.ID, c.Reason)
}

// VerifyAudit walks the whole trail and returns the first event whose
// content, link or order does not hold, or nil when the chain is whole.
func (db *DB) VerifyAudit(ctx context.Context) (*ChainBroken, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, at, user, addr, action, object, before, after,
		batch, file_hash, prev_hash, hash FROM audit_events ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: read audit trail: %w", err)
	}
	defer rows.Close()
	prev, prevID := "", int64(0)
	for rows.Next() {
		var ev indicators.AuditEvent
		var at string
		if err := rows.Scan(&ev.ID, &at, &ev.User, &ev.Addr, &ev.Action, &ev.Object, &ev.Before, &ev.After,
			&ev.Batch, &ev.FileHash, &ev.PrevHash, &ev.Hash); err != nil {
			return nil, fmt.Errorf("sqlite: read audit event: %w", err)
		}
		ev.At = parseTime(at)
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

// AuditEvents returns the events that match f, oldest first.
func (db *DB) AuditEvents(ctx context.Context, f indicators.AuditFilter) ([]indicators.AuditEvent, error) {
	q := `SELECT id, at, user, addr, action, object, before, after, batch, file_hash, prev_hash, hash
		FROM audit_events WHERE 1=1`
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
		q += ` AND (action = ? OR action LIKE ?)`
		args = append(args, f.Action, f.Action+".%")
	}
	if f.Object != "" {
		q += ` AND object LIKE ?`
		args = append(args, "%"+f.Object+"%")
	}
	q += ` ORDER BY id`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list audit events: %w", err)
	}
	defer rows.Close()
	var out []indicators.AuditEvent
	for rows.Next() {
		var ev indicators.AuditEvent
		var at string
		if err := rows.Scan(&ev.ID, &at, &ev.User, &ev.Addr, &ev.Action, &ev.Object, &ev.Before, &ev.After,
			&ev.Batch, &ev.FileHash, &ev.PrevHash, &ev.Hash); err != nil {
			return nil, fmt.Errorf("sqlite: read audit event: %w", err)
		}
		ev.At = parseTime(at)
		out = append(out, ev)
	}
	return out, rows.Err()
}
