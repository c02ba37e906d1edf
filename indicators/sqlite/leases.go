package sqlite

import (
	"context"
	"fmt"
	"time"
)

// Leases: a duty that one server of the database does at a time, such as
// sending the reminders; see the PostgreSQL store, where several servers
// share a database. Taking and renewing a lease is state, not a change of
// data, so it is not audited.

// TryLease takes the lease name for holder, or renews it when holder has
// it already, for ttl from now; true when holder holds it now. A lease
// another holder has, not yet expired, is left alone.
func (db *DB) TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if name == "" || holder == "" || ttl <= 0 {
		return false, fmt.Errorf("sqlite: lease %q for %q for %v: a name, a holder and a positive time are needed", name, holder, ttl)
	}
	now := db.now()
	res, err := db.write.ExecContext(ctx, `INSERT INTO leases (name, holder, taken, expires) VALUES (?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires,
			taken = CASE WHEN leases.holder = excluded.holder THEN leases.taken ELSE excluded.taken END
		WHERE leases.holder = excluded.holder OR leases.expires <= ?`,
		name, holder, fmtTime(now), fmtTime(now.Add(ttl)), fmtTime(now))
	if err != nil {
		return false, fmt.Errorf("sqlite: take lease %s for %s: %w", name, holder, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("sqlite: take lease %s for %s: %w", name, holder, err)
	}
	return n == 1, nil
}

// ReleaseLease gives up holder's lease name, so that another may take it
// at once; a lease held by another is left alone.
func (db *DB) ReleaseLease(ctx context.Context, name, holder string) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM leases WHERE name = ? AND holder = ?`, name, holder); err != nil {
		return fmt.Errorf("sqlite: release lease %s of %s: %w", name, holder, err)
	}
	return nil
}
