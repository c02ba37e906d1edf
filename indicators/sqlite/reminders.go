package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"chitieu/indicators"
)

// The e-mail addresses users set for reminders, and the reminders sent.

var _ indicators.ReminderStore = (*DB)(nil)

// UserEmail is the address a user set; "" when none.
func (db *DB) UserEmail(ctx context.Context, user string) (string, error) {
	var a string
	err := db.read.QueryRowContext(ctx, `SELECT address FROM user_emails WHERE user = ?`, user).Scan(&a)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("sqlite: e-mail of %s: %w", user, err)
	}
	return a, nil
}

// SetUserEmail sets or, with "", removes a user's address, audited.
func (db *DB) SetUserEmail(ctx context.Context, user, address string) error {
	address, err := indicators.CheckEmail(address)
	if err != nil {
		return err
	}
	return db.edit(ctx, func(tx *sql.Tx) (indicators.AuditEvent, error) {
		var ev indicators.AuditEvent
		found, err := exists(ctx, tx, "user", `SELECT COUNT(*) FROM users WHERE name = ?`, user)
		if err != nil {
			return ev, err
		}
		if !found {
			return ev, notFound("user", user)
		}
		var before string
		err = tx.QueryRowContext(ctx, `SELECT address FROM user_emails WHERE user = ?`, user).Scan(&before)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return ev, fmt.Errorf("sqlite: e-mail of %s: %w", user, err)
		}
		if before == address {
			return ev, nil
		}
		if address == "" {
			_, err = tx.ExecContext(ctx, `DELETE FROM user_emails WHERE user = ?`, user)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO user_emails (user, address, updated_at) VALUES (?, ?, ?)
				ON CONFLICT (user) DO UPDATE SET address = excluded.address, updated_at = excluded.updated_at`,
				user, address, fmtTime(db.now()))
		}
		if err != nil {
			return ev, fmt.Errorf("sqlite: set e-mail of %s: %w", user, err)
		}
		return indicators.AuditEvent{Action: "user.email", Object: "user:" + user,
			Before: jsonOf(map[string]string{"email": before}), After: jsonOf(map[string]string{"email": address})}, nil
	})
}

// UserEmails lists the enabled users with an address.
func (db *DB) UserEmails(ctx context.Context) (map[string]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT e.user, e.address FROM user_emails e JOIN users u ON u.name = e.user
		WHERE u.disabled_at = ''`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list e-mail addresses: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var u, a string
		if err := rows.Scan(&u, &a); err != nil {
			return nil, fmt.Errorf("sqlite: scan e-mail address: %w", err)
		}
		out[u] = a
	}
	return out, rows.Err()
}

// ClaimReminder records a reminder before it is sent; false when its key
// was claimed before, by this server or another, before a restart or not.
func (db *DB) ClaimReminder(ctx context.Context, key, user, address string) (bool, error) {
	claimed := false
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO reminders (key, user, address, claimed_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (key) DO NOTHING`, key, user, address, fmtTime(db.now()))
		if err != nil {
			return fmt.Errorf("sqlite: claim reminder %s: %w", key, err)
		}
		n, err := res.RowsAffected()
		claimed = n == 1
		return err
	})
	return claimed, err
}

// ReminderSent records how sending a claimed reminder ended.
func (db *DB) ReminderSent(ctx context.Context, key string, sendErr error) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		var err error
		if sendErr == nil {
			_, err = tx.ExecContext(ctx, `UPDATE reminders SET sent_at = ?, error = '' WHERE key = ?`, fmtTime(db.now()), key)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE reminders SET error = ? WHERE key = ?`, sendErr.Error(), key)
		}
		if err != nil {
			return fmt.Errorf("sqlite: record reminder %s: %w", key, err)
		}
		return nil
	})
}

// ReleaseReminder removes a claim whose message never reached the mail
// server.
func (db *DB) ReleaseReminder(ctx context.Context, key string) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM reminders WHERE key = ? AND sent_at = ''`, key); err != nil {
			return fmt.Errorf("sqlite: release reminder %s: %w", key, err)
		}
		return nil
	})
}
