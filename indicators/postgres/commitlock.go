package postgres

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"chitieu/indicators"

	"github.com/jackc/pgx/v5"
)

// A commit's writer holds, from before its batch shows as pending until
// the batch is committed or withdrawn, a session-level advisory lock keyed
// by the batch, on a connection of its own outside the pool. PostgreSQL
// ends a session whose client is gone — a killed process's socket closes
// at once; a host that lost its power is found out by TCP keepalives — and
// its locks with it. So any server that can take the lock of a pending
// batch knows its writer is gone, whichever host or command (a server, or
// `chitieu import --db postgres://…`) it was, and withdraws the batch:
// RecoverCommits does at start-up and, in a running server, every few
// seconds. Before withdrawing, it marks the batch withdrawing in the same
// queue as every write, so that a writer wrongly taken for gone (its lock
// connection cut while it lives) has the rest of its chunks and its finish
// refused rather than committing half a batch.

// commitLockKeys are the two keys of a batch's commit lock, $1 being the
// batch: the first keyed by the schema, so that stores in several schemas
// of one database (as the tests run) do not take each other's locks.
const commitLockKeys = `hashtext('chitieu.commit:' || current_schema()), ($1::bigint % 2147483647)::int`

// commitLockWait is how long a commit waits for its batch's lock, which a
// server withdrawing an earlier, cut-off commit of the same batch may hold
// for a moment.
const commitLockWait = 5 * time.Second

// commitLocks are the lock connections of this process's commits, by batch.
type commitLocks struct {
	mu    sync.Mutex
	conns map[int64]*pgx.Conn
}

func (l *commitLocks) holds(id int64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.conns[id]
	return ok
}

// lockConn opens a connection outside the pool, for a commit lock or for
// trying others' locks. PostgreSQL probes a silent TCP peer after 15
// seconds, so that a host gone without a word is found out within half a
// minute, not after the system's two hours (a local socket needs none).
func (db *DB) lockConn(ctx context.Context, purpose string) (*pgx.Conn, error) {
	cfg := db.pool.Config().ConnConfig.Copy()
	cfg.RuntimeParams["application_name"] = "chitieu " + purpose
	cfg.RuntimeParams["tcp_keepalives_idle"] = "15"
	cfg.RuntimeParams["tcp_keepalives_interval"] = "5"
	cfg.RuntimeParams["tcp_keepalives_count"] = "3"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect to %s for the %s: %w", db.name, purpose, err)
	}
	return conn, nil
}

// lockCommit takes the commit lock of batch id — of a new batch, whose ID
// it draws from the batches' sequence, when id is 0 — and returns the ID.
// A batch that this process, or another writer, is committing is refused.
func (db *DB) lockCommit(ctx context.Context, id int64) (int64, error) {
	if id != 0 && db.locks.holds(id) {
		return 0, indicators.FieldError(indicators.ECONFLICT, "",
			fmt.Sprintf("lô #%d đang được ghi", id), fmt.Sprintf("batch #%d is being committed", id))
	}
	conn, err := db.lockConn(ctx, "commit lock")
	if err != nil {
		return 0, err
	}
	fail := func(err error) (int64, error) {
		conn.Close(context.WithoutCancel(ctx))
		return 0, err
	}
	if id == 0 {
		if err := conn.QueryRow(ctx, `SELECT nextval(pg_get_serial_sequence('batches', 'id'))`).Scan(&id); err != nil {
			return fail(fmt.Errorf("postgres: number a new batch: %w", err))
		}
	}
	for deadline := time.Now().Add(commitLockWait); ; {
		var got bool
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(`+commitLockKeys+`)`, id).Scan(&got); err != nil {
			return fail(fmt.Errorf("postgres: take the commit lock of batch %d: %w", id, err))
		}
		if got {
			break
		}
		if time.Now().After(deadline) {
			return fail(indicators.FieldError(indicators.ECONFLICT, "",
				fmt.Sprintf("lô #%d đang được ghi", id), fmt.Sprintf("batch #%d is being committed", id)))
		}
		select {
		case <-ctx.Done():
			return fail(ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
	db.locks.mu.Lock()
	defer db.locks.mu.Unlock()
	if db.locks.conns == nil {
		db.locks.conns = map[int64]*pgx.Conn{}
	}
	db.locks.conns[id] = conn
	return id, nil
}

// unlockCommit ends the commit lock of batch id, if this process holds it:
// its connection closes, and the session's lock goes with it.
func (db *DB) unlockCommit(id int64) {
	db.locks.mu.Lock()
	conn, ok := db.locks.conns[id]
	delete(db.locks.conns, id)
	db.locks.mu.Unlock()
	if ok {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		conn.Close(ctx)
	}
}

// closeCommitLocks ends the commit locks this process still holds, as the
// store closes: its commits are cut off, and any server may withdraw them.
func (db *DB) closeCommitLocks() {
	db.locks.mu.Lock()
	ids := make([]int64, 0, len(db.locks.conns))
	for id := range db.locks.conns {
		ids = append(ids, id)
	}
	db.locks.mu.Unlock()
	for _, id := range ids {
		db.unlockCommit(id)
	}
}

// errWithdrawing refuses a chunk or the finish of a commit that a server
// is withdrawing, having taken its writer for gone.
func errWithdrawing(id int64) error {
	n := strconv.FormatInt(id, 10)
	return indicators.FieldError(indicators.ECONFLICT, "batch",
		"lô #"+n+" đang được rút lại: lượt ghi của nó bị coi là đã dừng (mất kết nối tới cơ sở dữ liệu); không số liệu nào của lô được ghi, hãy ghi lại lô",
		"batch #"+n+" is being withdrawn: its commit was taken for cut off (its connection to the database was lost); none of its values were kept, commit it again")
}

// withdrawing marks a pending batch as being withdrawn, so that its writer
// may add nothing more to it, and refuses a batch that is not pending.
func withdrawing(ctx context.Context, tx *wtx, id int64) error {
	tag, err := tx.Exec(ctx, `UPDATE import_pending SET withdrawing = true WHERE batch = $1`, id)
	if err != nil {
		return fmt.Errorf("postgres: mark batch %d withdrawn: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return indicators.FieldError(indicators.ECONFLICT, "",
			fmt.Sprintf("lô #%d không còn đang được ghi", id), fmt.Sprintf("batch #%d is no longer being committed", id))
	}
	return nil
}

// commitSilent is how long the commit of a writer that held no commit lock
// (an older chitieu's, begun before the upgrade) may go without writing a
// chunk before it is taken for cut off, since whether a process on
// another host lives cannot be seen from here; commitGiveUp is the age
// after which such a commit is taken for cut off even if a process of its
// owner's ID runs on this host.
const (
	commitGiveUp = 6 * time.Hour
	commitSilent = 15 * time.Minute
)

// RecoverCommits withdraws the batches whose commit was cut off (kill -9,
// power loss, a lost connection), so that no half batch stays pending, and
// audits each withdrawal. A commit whose writer holds its commit lock is
// withdrawn once the lock is free: the writer's session is gone. One begun
// by an older chitieu, without the lock, is withdrawn when it was begun on
// this host by a process that is gone, or has written nothing for
// commitSilent. Open runs it; a running server runs it every few seconds,
// so that a commit of a server or a `chitieu import` that died is
// withdrawn without waiting for a start.
func (db *DB) RecoverCommits(ctx context.Context) error {
	host, _ := os.Hostname()
	rows, err := db.pool.Query(ctx, `SELECT batch, at, owner, seen, locked FROM import_pending ORDER BY batch`)
	if err != nil {
		return fmt.Errorf("postgres: list cut-off commits: %w", err)
	}
	type pending struct {
		id       int64
		at, seen time.Time
		owner    string
		locked   bool
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (pending, error) {
		var p pending
		err := r.Scan(&p.id, &p.at, &p.owner, &p.seen, &p.locked)
		return p, err
	})
	if err != nil {
		return fmt.Errorf("postgres: list cut-off commits: %w", err)
	}
	if len(list) == 0 {
		return nil
	}
	sys := indicators.WithActor(ctx, indicators.Actor{User: "system"})
	var tries *pgx.Conn // the session that tries the writers' locks
	defer func() {
		if tries != nil {
			tries.Close(context.WithoutCancel(ctx))
		}
	}()
	for _, p := range list {
		if p.locked {
			if db.locks.holds(p.id) {
				continue // this process's own commit
			}
			if tries == nil {
				if tries, err = db.lockConn(ctx, "commit watch"); err != nil {
					return err
				}
			}
			var free bool
			if err := tries.QueryRow(ctx, `SELECT pg_try_advisory_lock(`+commitLockKeys+`)`, p.id).Scan(&free); err != nil {
				return fmt.Errorf("postgres: try the commit lock of batch %d: %w", p.id, err)
			}
			if !free {
				continue // its writer's session lives
			}
			// Held while withdrawing, so that a new commit of the batch
			// waits for the withdrawal to end.
			db.withdraw(sys, p.id)
			if _, err := tries.Exec(ctx, `SELECT pg_advisory_unlock(`+commitLockKeys+`)`, p.id); err != nil {
				return fmt.Errorf("postgres: end the commit lock of batch %d: %w", p.id, err)
			}
			continue
		}
		h, pidText, _ := cutLast(p.owner, "/")
		pid, _ := strconv.Atoi(pidText)
		silent := db.now().Sub(p.seen) >= commitSilent
		switch {
		case h != host && !silent:
			continue // another host's, still writing
		case h == host && pid > 0 && alive(pid) && db.now().Sub(p.at) < commitGiveUp:
			continue // this host's, its process alive
		}
		db.withdraw(sys, p.id)
	}
	return nil
}

// withdraw withdraws a cut-off commit, noting it in the log; a commit that
// ended meanwhile, or that another server withdrew first, is no failure.
func (db *DB) withdraw(ctx context.Context, id int64) {
	db.log.Warn("withdrawing the values of a commit cut off before it ended", "batch", id)
	err := db.AbortCommit(ctx, id, "cut off")
	var de *indicators.Error
	if err != nil && !(errors.As(err, &de) && de.Code == indicators.ECONFLICT) {
		db.log.Error("could not withdraw a cut-off commit", "batch", id, "err", err)
	}
}
