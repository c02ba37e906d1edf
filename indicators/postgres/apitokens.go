package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"chitieu/indicators"

	"github.com/jackc/pgx/v5"
)

var _ indicators.TokenStore = (*DB)(nil)

const tokenColumns = `t.id, u.name, t.name, t.prefix, t.hash, t.scopes, t.created_at, t.expires_at, t.revoked_at,
	t.revoked_by, t.last_used, t.uses`

func scanToken(s pgx.Row, extra ...any) (indicators.APIToken, error) {
	var t indicators.APIToken
	var revokedAt, lastUsed *time.Time
	if err := s.Scan(append([]any{&t.ID, &t.User, &t.Name, &t.Prefix, &t.Hash, &t.Scopes, &t.CreatedAt, &t.ExpiresAt,
		&revokedAt, &t.RevokedBy, &lastUsed, &t.Uses}, extra...)...); err != nil {
		return t, err
	}
	t.CreatedAt, t.ExpiresAt = t.CreatedAt.UTC(), t.ExpiresAt.UTC()
	t.RevokedAt, t.LastUsed = timeOf(revokedAt), timeOf(lastUsed)
	return t, nil
}

// tokenAudit is what the audit trail keeps of a token: never its hash.
func tokenAudit(t *indicators.APIToken) map[string]any {
	return map[string]any{"name": t.Name, "owner": t.User, "prefix": t.Prefix, "scopes": t.Scopes,
		"expires_at": fmtTime(t.ExpiresAt)}
}

// CreateToken stores a new token of t.User.
func (db *DB) CreateToken(ctx context.Context, t *indicators.APIToken) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = db.now()
	}
	if err := t.Validate(); err != nil {
		return err
	}
	if len(t.Hash) != 64 || t.Prefix == "" {
		return fmt.Errorf("postgres: token %q has no hash or prefix", t.Name)
	}
	return db.writeTx(ctx, func(tx *wtx) error {
		u, err := userIn(ctx, tx, t.User)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `INSERT INTO api_tokens (user_id, name, prefix, hash, scopes, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id, name) DO NOTHING RETURNING id`, u.ID, t.Name, t.Prefix,
			t.Hash, list(t.Scopes), nullTime(t.CreatedAt), nullTime(t.ExpiresAt)).Scan(&t.ID)
		if errors.Is(err, pgx.ErrNoRows) {
			return indicators.FieldError(indicators.ECONFLICT, "name",
				fmt.Sprintf("bạn đã có mã truy cập tên %q", t.Name), fmt.Sprintf("you already have a token named %q", t.Name))
		}
		if err != nil {
			return fmt.Errorf("postgres: insert token %q of %s: %w", t.Name, t.User, err)
		}
		return tx.audit(ctx, indicators.AuditEvent{Action: "token.add", Object: t.Ref(), After: jsonOf(tokenAudit(t))})
	})
}

// Tokens lists the tokens of a user, or of everyone, newest first.
func (db *DB) Tokens(ctx context.Context, user string) ([]indicators.APIToken, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+tokenColumns+` FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE $1 = '' OR u.name = $1 ORDER BY t.id DESC`, user)
	if err != nil {
		return nil, fmt.Errorf("postgres: list tokens: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (indicators.APIToken, error) { return scanToken(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: list tokens: %w", err)
	}
	return out, nil
}

// TokenByHash returns a token and its owner.
func (db *DB) TokenByHash(ctx context.Context, hash string) (indicators.APIToken, indicators.User, error) {
	var t indicators.APIToken
	u, err := scanUser(scanFunc(func(dest ...any) error {
		var err error
		t, err = scanToken(db.pool.QueryRow(ctx, `SELECT `+tokenColumns+`, `+userColumns+
			` FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = $1`, hash), dest...)
		return err
	}))
	if errors.Is(err, pgx.ErrNoRows) {
		return t, u, indicators.FieldError(indicators.ENOTFOUND, "token", "không tìm thấy mã truy cập", "token not found")
	}
	if err != nil {
		return t, u, fmt.Errorf("postgres: find token: %w", err)
	}
	return t, u, nil
}

// scanFunc lets a scan that reads more than one struct pass as a row.
type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// RevokeToken ends a token, once; revoking it again changes nothing.
func (db *DB) RevokeToken(ctx context.Context, id int64, owner string) error {
	return db.writeTx(ctx, func(tx *wtx) error {
		t, err := scanToken(tx.QueryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens t JOIN users u ON u.id = t.user_id
			WHERE t.id = $1 AND ($2 = '' OR u.name = $2)`, id, owner))
		if errors.Is(err, pgx.ErrNoRows) {
			return indicators.FieldError(indicators.ENOTFOUND, "token", fmt.Sprintf("không tìm thấy mã truy cập #%d", id),
				fmt.Sprintf("token #%d not found", id))
		}
		if err != nil {
			return fmt.Errorf("postgres: find token %d: %w", id, err)
		}
		if !t.RevokedAt.IsZero() {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = $1, revoked_by = $2 WHERE id = $3`,
			db.now(), indicators.ActorFrom(ctx).User, id); err != nil {
			return fmt.Errorf("postgres: revoke token %d: %w", id, err)
		}
		return tx.audit(ctx, indicators.AuditEvent{Action: "token.revoke", Object: t.Ref(),
			Before: jsonOf(map[string]any{"revoked": false}), After: jsonOf(map[string]any{"revoked": true, "prefix": t.Prefix})})
	})
}

// RecordTokenUses counts a token's requests and audits them as one event.
func (db *DB) RecordTokenUses(ctx context.Context, id int64, uses int64, first, last time.Time, addr string) error {
	return db.writeTx(ctx, func(tx *wtx) error {
		t, err := scanToken(tx.QueryRow(ctx, `SELECT `+tokenColumns+
			` FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1`, id))
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // the token was removed with its owner meanwhile
		}
		if err != nil {
			return fmt.Errorf("postgres: find token %d: %w", id, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE api_tokens SET uses = uses + $1, last_used = $2 WHERE id = $3`,
			uses, nullTime(last), id); err != nil {
			return fmt.Errorf("postgres: count uses of token %d: %w", id, err)
		}
		return tx.audit(ctx, indicators.AuditEvent{User: t.User, Addr: addr, Action: "token.use", Object: t.Ref(),
			After: jsonOf(map[string]any{"token": t.Name, "prefix": t.Prefix, "uses": uses,
				"first": fmtTime(first.UTC()), "last": fmtTime(last.UTC())})})
	})
}
