package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"chitieu/indicators"
)

var _ indicators.TokenStore = (*DB)(nil)

const tokenColumns = `t.id, u.name, t.name, t.prefix, t.hash, t.scopes, t.created_at, t.expires_at, t.revoked_at,
	t.revoked_by, t.last_used, t.uses`

func scanToken(s interface{ Scan(...any) error }, extra ...any) (indicators.APIToken, error) {
	var t indicators.APIToken
	var scopes, createdAt, expiresAt, revokedAt, lastUsed string
	if err := s.Scan(append([]any{&t.ID, &t.User, &t.Name, &t.Prefix, &t.Hash, &scopes, &createdAt, &expiresAt,
		&revokedAt, &t.RevokedBy, &lastUsed, &t.Uses}, extra...)...); err != nil {
		return t, err
	}
	if err := json.Unmarshal([]byte(scopes), &t.Scopes); err != nil {
		return t, fmt.Errorf("sqlite: scopes of token %d: %w", t.ID, err)
	}
	t.CreatedAt, t.ExpiresAt = parseTime(createdAt), parseTime(expiresAt)
	t.RevokedAt, t.LastUsed = parseTime(revokedAt), parseTime(lastUsed)
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
		t.CreatedAt = db.now().UTC()
	}
	if err := t.Validate(); err != nil {
		return err
	}
	if len(t.Hash) != 64 || t.Prefix == "" {
		return fmt.Errorf("sqlite: token %q has no hash or prefix", t.Name)
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		u, err := db.userIn(ctx, tx, t.User)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (user_id, name, prefix, hash, scopes, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, u.ID, t.Name, t.Prefix, t.Hash, jsonList(t.Scopes),
			fmtTime(t.CreatedAt), fmtTime(t.ExpiresAt))
		if err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return indicators.FieldError(indicators.ECONFLICT, "name",
					fmt.Sprintf("bạn đã có mã truy cập tên %q", t.Name), fmt.Sprintf("you already have a token named %q", t.Name))
			}
			return fmt.Errorf("sqlite: insert token %q of %s: %w", t.Name, t.User, err)
		}
		if t.ID, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("sqlite: id of token %q: %w", t.Name, err)
		}
		return db.audit(ctx, tx, indicators.AuditEvent{Action: "token.add", Object: t.Ref(), After: jsonOf(tokenAudit(t))})
	})
}

// Tokens lists the tokens of a user, or of everyone, newest first.
func (db *DB) Tokens(ctx context.Context, user string) ([]indicators.APIToken, error) {
	q := `SELECT ` + tokenColumns + ` FROM api_tokens t JOIN users u ON u.id = t.user_id`
	var args []any
	if user != "" {
		q += ` WHERE u.name = ?`
		args = append(args, user)
	}
	rows, err := db.read.QueryContext(ctx, q+` ORDER BY t.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list tokens: %w", err)
	}
	defer rows.Close()
	var out []indicators.APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: scan token: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// tokenByHashQuery finds a token and its owner by the secret's hash.
var tokenByHashQuery = `SELECT ` + tokenColumns + `, ` + prefixed("u.", userColumns) +
	` FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?`

// TokenByHash returns a token and its owner.
func (db *DB) TokenByHash(ctx context.Context, hash string) (indicators.APIToken, indicators.User, error) {
	var t indicators.APIToken
	u, err := scanUser(scanFunc(func(dest ...any) error {
		var err error
		t, err = scanToken(db.read.QueryRowContext(ctx, tokenByHashQuery, hash), dest...)
		return err
	}))
	if errors.Is(err, sql.ErrNoRows) {
		return t, u, indicators.FieldError(indicators.ENOTFOUND, "token", "không tìm thấy mã truy cập", "token not found")
	}
	if err != nil {
		return t, u, fmt.Errorf("sqlite: find token: %w", err)
	}
	return t, u, nil
}

// RevokeToken ends a token, once; revoking it again changes nothing.
func (db *DB) RevokeToken(ctx context.Context, id int64, owner string) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		q := `SELECT ` + tokenColumns + ` FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?`
		args := []any{id}
		if owner != "" {
			q += ` AND u.name = ?`
			args = append(args, owner)
		}
		t, err := scanToken(tx.QueryRowContext(ctx, q, args...))
		if errors.Is(err, sql.ErrNoRows) {
			return indicators.FieldError(indicators.ENOTFOUND, "token", fmt.Sprintf("không tìm thấy mã truy cập #%d", id),
				fmt.Sprintf("token #%d not found", id))
		}
		if err != nil {
			return fmt.Errorf("sqlite: find token %d: %w", id, err)
		}
		if !t.RevokedAt.IsZero() {
			return nil
		}
		by := indicators.ActorFrom(ctx).User
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ?`,
			fmtTime(db.now().UTC()), by, id); err != nil {
			return fmt.Errorf("sqlite: revoke token %d: %w", id, err)
		}
		return db.audit(ctx, tx, indicators.AuditEvent{Action: "token.revoke", Object: t.Ref(),
			Before: jsonOf(map[string]any{"revoked": false}), After: jsonOf(map[string]any{"revoked": true, "prefix": t.Prefix})})
	})
}

// RecordTokenUses counts a token's requests and audits them as one event.
func (db *DB) RecordTokenUses(ctx context.Context, id int64, uses int64, first, last time.Time, addr string) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		t, err := scanToken(tx.QueryRowContext(ctx, `SELECT `+tokenColumns+
			` FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return nil // the token was removed with its owner meanwhile
		}
		if err != nil {
			return fmt.Errorf("sqlite: find token %d: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET uses = uses + ?, last_used = ? WHERE id = ?`,
			uses, fmtTime(last.UTC()), id); err != nil {
			return fmt.Errorf("sqlite: count uses of token %d: %w", id, err)
		}
		return db.audit(ctx, tx, indicators.AuditEvent{User: t.User, Addr: addr, Action: "token.use", Object: t.Ref(),
			After: jsonOf(map[string]any{"token": t.Name, "prefix": t.Prefix, "uses": uses,
				"first": fmtTime(first.UTC()), "last": fmtTime(last.UTC())})})
	})
}
