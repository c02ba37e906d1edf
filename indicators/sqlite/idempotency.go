package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"chitieu/indicators"
)

var _ indicators.IdempotencyStore = (*DB)(nil)

const idempotentColumns = `user, key, request, done, status, content_type, body, created_at`

// BeginIdempotent claims a key, first removing the keys past their time.
func (db *DB) BeginIdempotent(ctx context.Context, a indicators.IdempotentAnswer, now time.Time) (indicators.IdempotentAnswer, bool, error) {
	var held indicators.IdempotentAnswer
	claimed := false
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < ? OR (done = 0 AND created_at < ?)`,
			fmtTime(now.Add(-indicators.IdempotencyKept).UTC()), fmtTime(now.Add(-indicators.IdempotencyStale).UTC())); err != nil {
			return fmt.Errorf("sqlite: remove old idempotency keys: %w", err)
		}
		var done int
		var createdAt string
		err := tx.QueryRowContext(ctx, `SELECT `+idempotentColumns+` FROM idempotency_keys WHERE user = ? AND key = ?`,
			a.User, a.Key).Scan(&held.User, &held.Key, &held.Request, &done, &held.Status, &held.ContentType, &held.Body, &createdAt)
		if err == nil {
			held.Done, held.CreatedAt = done == 1, parseTime(createdAt)
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("sqlite: find idempotency key of %s: %w", a.User, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (user, key, request, created_at) VALUES (?, ?, ?, ?)`,
			a.User, a.Key, a.Request, fmtTime(now.UTC())); err != nil {
			return fmt.Errorf("sqlite: claim idempotency key of %s: %w", a.User, err)
		}
		claimed = true
		return nil
	})
	return held, claimed, err
}

// FinishIdempotent keeps the answer of a claimed key.
func (db *DB) FinishIdempotent(ctx context.Context, a indicators.IdempotentAnswer) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE idempotency_keys SET done = 1, status = ?, content_type = ?, body = ?
			WHERE user = ? AND key = ? AND done = 0`, a.Status, a.ContentType, a.Body, a.User, a.Key); err != nil {
			return fmt.Errorf("sqlite: keep the answer of an idempotency key of %s: %w", a.User, err)
		}
		return nil
	})
}

// AbandonIdempotent frees a claimed key.
func (db *DB) AbandonIdempotent(ctx context.Context, user, key string) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE user = ? AND key = ? AND done = 0`, user, key); err != nil {
			return fmt.Errorf("sqlite: free an idempotency key of %s: %w", user, err)
		}
		return nil
	})
}
