package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"chitieu/indicators"

	"github.com/jackc/pgx/v5"
)

var _ indicators.IdempotencyStore = (*DB)(nil)

const idempotentColumns = `"user", key, request, done, status, content_type, body, created_at`

// BeginIdempotent claims a key, first removing the keys past their time.
// The write transaction queues behind every other writer (see writeTx), so
// two servers given the same key at once do not both claim it.
func (db *DB) BeginIdempotent(ctx context.Context, a indicators.IdempotentAnswer, now time.Time) (indicators.IdempotentAnswer, bool, error) {
	var held indicators.IdempotentAnswer
	claimed := false
	err := db.writeTx(ctx, func(tx *wtx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1 OR (NOT done AND created_at < $2)`,
			now.Add(-indicators.IdempotencyKept).UTC(), now.Add(-indicators.IdempotencyStale).UTC()); err != nil {
			return fmt.Errorf("postgres: remove old idempotency keys: %w", err)
		}
		err := tx.QueryRow(ctx, `SELECT `+idempotentColumns+` FROM idempotency_keys WHERE "user" = $1 AND key = $2`,
			a.User, a.Key).Scan(&held.User, &held.Key, &held.Request, &held.Done, &held.Status, &held.ContentType, &held.Body, &held.CreatedAt)
		if err == nil {
			held.CreatedAt = held.CreatedAt.UTC()
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("postgres: find idempotency key of %s: %w", a.User, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO idempotency_keys ("user", key, request, created_at) VALUES ($1, $2, $3, $4)`,
			a.User, a.Key, a.Request, now.UTC().Truncate(time.Microsecond)); err != nil {
			return fmt.Errorf("postgres: claim idempotency key of %s: %w", a.User, err)
		}
		claimed = true
		return nil
	})
	return held, claimed, err
}

// FinishIdempotent keeps the answer of a claimed key.
func (db *DB) FinishIdempotent(ctx context.Context, a indicators.IdempotentAnswer) error {
	body := a.Body
	if body == nil {
		body = []byte{} // the column holds no NULL
	}
	return db.writeTx(ctx, func(tx *wtx) error {
		if _, err := tx.Exec(ctx, `UPDATE idempotency_keys SET done = true, status = $1, content_type = $2, body = $3
			WHERE "user" = $4 AND key = $5 AND NOT done`, a.Status, a.ContentType, body, a.User, a.Key); err != nil {
			return fmt.Errorf("postgres: keep the answer of an idempotency key of %s: %w", a.User, err)
		}
		return nil
	})
}

// AbandonIdempotent frees a claimed key.
func (db *DB) AbandonIdempotent(ctx context.Context, user, key string) error {
	return db.writeTx(ctx, func(tx *wtx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM idempotency_keys WHERE "user" = $1 AND key = $2 AND NOT done`, user, key); err != nil {
			return fmt.Errorf("postgres: free an idempotency key of %s: %w", user, err)
		}
		return nil
	})
}
