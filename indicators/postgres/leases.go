package postgres

import (
	"context"
	"fmt"
	"time"
)

// Leases: a duty that one server of the database does at a time, such as
// sending the reminders. A lease is a row, not a session lock held on a
// connection, so that it needs no connection kept out of the pool, lasts
// through a connection the pool replaces, and expires on the database's
// clock whatever the hosts' clocks say. Taking and renewing it is one
// statement outside the audit chain's queue: a renewal never waits behind
// an import's chunk, and a lease is state, not a change of data, so it is
// not audited.

// TryLease takes the lease name for holder, or renews it when holder has
// it already, for ttl from now on the database's clock; true when holder
// holds it now. A lease another holder has, not yet expired, is left
// alone.
func (db *DB) TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if name == "" || holder == "" || ttl <= 0 {
		return false, fmt.Errorf("postgres: lease %q for %q for %v: a name, a holder and a positive time are needed", name, holder, ttl)
	}
	tag, err := db.pool.Exec(ctx, `INSERT INTO leases (name, holder, taken, expires)
		VALUES ($1, $2, clock_timestamp(), clock_timestamp() + make_interval(secs => $3))
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires,
			taken = CASE WHEN leases.holder = excluded.holder THEN leases.taken ELSE excluded.taken END
		WHERE leases.holder = excluded.holder OR leases.expires <= clock_timestamp()`, name, holder, ttl.Seconds())
	if err != nil {
		return false, fmt.Errorf("postgres: take lease %s for %s: %w", name, holder, err)
	}
	return tag.RowsAffected() == 1, nil
}

// ReleaseLease gives up holder's lease name, so that another server may
// take it at once; a lease held by another is left alone.
func (db *DB) ReleaseLease(ctx context.Context, name, holder string) error {
	if _, err := db.pool.Exec(ctx, `DELETE FROM leases WHERE name = $1 AND holder = $2`, name, holder); err != nil {
		return fmt.Errorf("postgres: release lease %s of %s: %w", name, holder, err)
	}
	return nil
}
