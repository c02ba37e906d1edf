package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// ImportJob is an import job as the servers of one database share it: the
// server that runs it beats its row while it works, so that any server can
// show its progress, and another server takes it over once the beats stop.
type ImportJob struct {
	ID, User, Kind, File, Note string
	Batch, Estimated, Rows     int64
	Queued                     int
	State                      string // running, done or failed
	ErrVI, ErrEN               string
	Started, Ended             time.Time
}

// Jobs is one server's view of the database's import jobs. Its writes to
// a job name the server, and a job taken over by another server is no
// longer written by this one, so that a server wrongly taken for dead
// cannot overwrite the job's new owner.
type Jobs struct {
	db     *DB
	server string
}

// Jobs returns the import jobs of the database as this server, which is
// named after its host and process and a random part (two servers may run
// in one process, as in tests).
func (db *DB) Jobs() *Jobs {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("postgres: no randomness: " + err.Error()) // crypto/rand does not fail on supported systems
	}
	return &Jobs{db: db, server: owner() + "/" + hex.EncodeToString(b[:])}
}

// Server names this server in the jobs it runs.
func (j *Jobs) Server() string { return j.server }

// importJobColumns are the columns scanJob reads.
const importJobColumns = `id, username, kind, file, note, batch, estimated, rows_read, queued, state,
	error_vi, error_en, started, ended`

func scanJob(row pgx.Row) (ImportJob, error) {
	var r ImportJob
	var ended *time.Time
	err := row.Scan(&r.ID, &r.User, &r.Kind, &r.File, &r.Note, &r.Batch, &r.Estimated, &r.Rows, &r.Queued, &r.State,
		&r.ErrVI, &r.ErrEN, &r.Started, &ended)
	if ended != nil {
		r.Ended = ended.UTC()
	}
	r.Started = r.Started.UTC()
	return r, err
}

// PostJob records a job this server starts, or takes over, as running
// here.
func (j *Jobs) PostJob(ctx context.Context, r ImportJob) error {
	_, err := j.db.pool.Exec(ctx, `INSERT INTO import_jobs (id, username, kind, file, note, batch, estimated, state,
		server, started, beat) VALUES ($1, $2, $3, $4, $5, $6, $7, 'running', $8, $9, clock_timestamp())
		ON CONFLICT (id) DO UPDATE SET state = 'running', server = $8, beat = clock_timestamp(), rows_read = 0,
			queued = 0, error_vi = '', error_en = '', ended = NULL`,
		r.ID, r.User, r.Kind, r.File, r.Note, r.Batch, r.Estimated, j.server, r.Started)
	if err != nil {
		return fmt.Errorf("postgres: record import job %s: %w", r.ID, err)
	}
	return nil
}

// BeatJob records a running job's progress and that its server lives.
func (j *Jobs) BeatJob(ctx context.Context, r ImportJob) error {
	_, err := j.db.pool.Exec(ctx, `UPDATE import_jobs SET rows_read = $2, queued = $3, estimated = $4, batch = $5,
		beat = clock_timestamp() WHERE id = $1 AND server = $6 AND state = 'running'`,
		r.ID, r.Rows, r.Queued, r.Estimated, r.Batch, j.server)
	if err != nil {
		return fmt.Errorf("postgres: record progress of import job %s: %w", r.ID, err)
	}
	return nil
}

// EndJob records how a job of this server ended.
func (j *Jobs) EndJob(ctx context.Context, r ImportJob) error {
	if r.State != "done" && r.State != "failed" {
		return fmt.Errorf("postgres: end import job %s as %q", r.ID, r.State)
	}
	_, err := j.db.pool.Exec(ctx, `UPDATE import_jobs SET state = $2, rows_read = $3, estimated = $4, batch = $5,
		error_vi = $6, error_en = $7, ended = $8, beat = clock_timestamp() WHERE id = $1 AND server = $9`,
		r.ID, r.State, r.Rows, r.Estimated, r.Batch, r.ErrVI, r.ErrEN, r.Ended, j.server)
	if err != nil {
		return fmt.Errorf("postgres: record the end of import job %s: %w", r.ID, err)
	}
	return nil
}

// Job reads a job of any server; false when there is none of that ID.
func (j *Jobs) Job(ctx context.Context, id string) (ImportJob, bool, error) {
	r, err := scanJob(j.db.pool.QueryRow(ctx, `SELECT `+importJobColumns+` FROM import_jobs WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("postgres: read import job %s: %w", id, err)
	}
	return r, true, nil
}

// ClaimSilent claims for this server the running jobs that no server has
// beaten for silent. The rows are taken FOR UPDATE SKIP LOCKED, so that
// servers looking at once each claim different jobs and none waits on
// another; the beats are the database's clock, so the hosts' clocks need
// not agree. A server never claims its own jobs, which it runs. Jobs ended
// more than a week ago are forgotten on the way.
func (j *Jobs) ClaimSilent(ctx context.Context, silent time.Duration) ([]ImportJob, error) {
	if _, err := j.db.pool.Exec(ctx, `DELETE FROM import_jobs WHERE state <> 'running'
		AND ended < clock_timestamp() - interval '7 days'`); err != nil {
		return nil, fmt.Errorf("postgres: forget old import jobs: %w", err)
	}
	rows, err := j.db.pool.Query(ctx, `WITH silent AS (
			SELECT id FROM import_jobs WHERE state = 'running' AND server <> $2
				AND beat < clock_timestamp() - make_interval(secs => $1)
			ORDER BY beat FOR UPDATE SKIP LOCKED)
		UPDATE import_jobs j SET server = $2, beat = clock_timestamp() FROM silent WHERE j.id = silent.id
		RETURNING `+prefixed("j.", importJobColumns), silent.Seconds(), j.server)
	if err != nil {
		return nil, fmt.Errorf("postgres: claim import jobs of stopped servers: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ImportJob, error) { return scanJob(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: claim import jobs of stopped servers: %w", err)
	}
	return out, nil
}

// prefixed puts prefix before each of a list of columns.
func prefixed(prefix, columns string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		parts[i] = prefix + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}
