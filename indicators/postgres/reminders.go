package postgres

import (
	"context"
	"errors"
	"fmt"

	"chitieu/indicators"

	"github.com/jackc/pgx/v5"
)

// The e-mail addresses users set for reminders, and the reminders sent.
// Claims are rows under a primary key, so that of several servers sending
// the same round one claims each reminder.

var _ indicators.ReminderStore = (*DB)(nil)

// UserEmail is the address a user set; "" when none.
func (db *DB) UserEmail(ctx context.Context, user string) (string, error) {
	var a string
	err := db.pool.QueryRow(ctx, `SELECT address FROM user_emails WHERE "user" = $1`, user).Scan(&a)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("postgres: e-mail of %s: %w", user, err)
	}
	return a, nil
}

// SetUserEmail sets or, with "", removes a user's address, audited.
func (db *DB) SetUserEmail(ctx context.Context, user, address string) error {
	address, err := indicators.CheckEmail(address)
	if err != nil {
		return err
	}
	return db.edit(ctx, func(tx *wtx) (indicators.AuditEvent, error) {
		var ev indicators.AuditEvent
		found, err := exists(ctx, tx, "user", `SELECT COUNT(*) FROM users WHERE name = $1`, user)
		if err != nil {
			return ev, err
		}
		if !found {
			return ev, notFound("user", user)
		}
		var before string
		err = tx.QueryRow(ctx, `SELECT address FROM user_emails WHERE "user" = $1`, user).Scan(&before)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return ev, fmt.Errorf("postgres: e-mail of %s: %w", user, err)
		}
		if before == address {
			return ev, nil
		}
		if address == "" {
			_, err = tx.Exec(ctx, `DELETE FROM user_emails WHERE "user" = $1`, user)
		} else {
			_, err = tx.Exec(ctx, `INSERT INTO user_emails ("user", address, updated_at) VALUES ($1, $2, $3)
				ON CONFLICT ("user") DO UPDATE SET address = excluded.address, updated_at = excluded.updated_at`,
				user, address, db.now())
		}
		if err != nil {
			return ev, fmt.Errorf("postgres: set e-mail of %s: %w", user, err)
		}
		return indicators.AuditEvent{Action: "user.email", Object: "user:" + user,
			Before: jsonOf(map[string]string{"email": before}), After: jsonOf(map[string]string{"email": address})}, nil
	})
}

// UserEmails lists the enabled users with an address.
func (db *DB) UserEmails(ctx context.Context) (map[string]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT e."user", e.address FROM user_emails e JOIN users u ON u.name = e."user"
		WHERE u.disabled_at IS NULL`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list e-mail addresses: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var u, a string
		if err := rows.Scan(&u, &a); err != nil {
			return nil, fmt.Errorf("postgres: scan e-mail address: %w", err)
		}
		out[u] = a
	}
	return out, rows.Err()
}

// ClaimReminder records a reminder before it is sent; false when its key
// was claimed before, by this server or another, before a restart or not.
// Writers queue on the audit head as every write does, so a second server
// claiming the same key finds it taken.
func (db *DB) ClaimReminder(ctx context.Context, key, user, address string) (bool, error) {
	claimed := false
	err := db.writeTx(ctx, func(tx *wtx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO reminders (key, "user", address, claimed_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (key) DO NOTHING`, key, user, address, db.now())
		if err != nil {
			return fmt.Errorf("postgres: claim reminder %s: %w", key, err)
		}
		claimed = tag.RowsAffected() == 1
		return nil
	})
	return claimed, err
}

// ReminderSent records how sending a claimed reminder ended.
func (db *DB) ReminderSent(ctx context.Context, key string, sendErr error) error {
	return db.writeTx(ctx, func(tx *wtx) error {
		var err error
		if sendErr == nil {
			_, err = tx.Exec(ctx, `UPDATE reminders SET sent_at = $1, error = '' WHERE key = $2`, db.now(), key)
		} else {
			_, err = tx.Exec(ctx, `UPDATE reminders SET error = $1 WHERE key = $2`, sendErr.Error(), key)
		}
		if err != nil {
			return fmt.Errorf("postgres: record reminder %s: %w", key, err)
		}
		return nil
	})
}

// ReleaseReminder removes a claim whose message never reached the mail
// server.
func (db *DB) ReleaseReminder(ctx context.Context, key string) error {
	return db.writeTx(ctx, func(tx *wtx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM reminders WHERE key = $1 AND sent_at IS NULL`, key); err != nil {
			return fmt.Errorf("postgres: release reminder %s: %w", key, err)
		}
		return nil
	})
}
