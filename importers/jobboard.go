package importers

import (
	"context"
	"time"
)

// JobBoard records a desk's jobs where every server of one database reads
// them, so that servers behind a load balancer behave as one: a job runs on
// the server that claimed it, its page polls whichever server the balancer
// picks, and a job whose server died is taken over or failed by another.
// The SQLite deployment, one server, has none: its desk keeps jobs in
// memory only.
type JobBoard interface {
	// PostJob records a job this server has started, claimed by it.
	PostJob(ctx context.Context, j JobRecord) error
	// BeatJob records a running job's progress, which also tells the other
	// servers that its server lives.
	BeatJob(ctx context.Context, j JobRecord) error
	// EndJob records how a job ended (State done or failed).
	EndJob(ctx context.Context, j JobRecord) error
	// Job reads a job; false when there is none of that ID.
	Job(ctx context.Context, id string) (JobRecord, bool, error)
	// ClaimSilent claims for this server the running jobs whose server
	// has not beaten them for silent, each claimed by one server only.
	ClaimSilent(ctx context.Context, silent time.Duration) ([]JobRecord, error)
}

// Job states on a JobBoard.
const (
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// JobRecord is a job as a JobBoard holds it.
type JobRecord struct {
	ID, User, Kind, File, Note string
	Batch, Estimated, Rows     int64
	Queued                     int
	State                      string
	ErrVI, ErrEN               string // why a failed job failed
	Started, Ended             time.Time
}

// jobBeat is how often a running job's progress is written to the board,
// and jobSilent how long a job may go unbeaten before another server takes
// it for its server dead.
const (
	jobBeat   = time.Second
	jobSilent = 30 * time.Second
)
