// Package jobboard hands the import desk the import jobs of a PostgreSQL
// database. It stands between the two so that neither depends on the
// other: the store keeps its own record type, the importers theirs, and
// the two have the same fields.
package jobboard

import (
	"context"
	"time"

	"chitieu/importers"
	"chitieu/indicators/postgres"
)

// OnPostgres is the job board of jobs, for importers.Desk.
func OnPostgres(jobs *postgres.Jobs) importers.JobBoard { return board{jobs} }

type board struct{ jobs *postgres.Jobs }

func (b board) PostJob(ctx context.Context, r importers.JobRecord) error {
	return b.jobs.PostJob(ctx, postgres.ImportJob(r))
}

func (b board) BeatJob(ctx context.Context, r importers.JobRecord) error {
	return b.jobs.BeatJob(ctx, postgres.ImportJob(r))
}

func (b board) EndJob(ctx context.Context, r importers.JobRecord) error {
	return b.jobs.EndJob(ctx, postgres.ImportJob(r))
}

func (b board) Job(ctx context.Context, id string) (importers.JobRecord, bool, error) {
	r, ok, err := b.jobs.Job(ctx, id)
	return importers.JobRecord(r), ok, err
}

func (b board) ClaimSilent(ctx context.Context, silent time.Duration) ([]importers.JobRecord, error) {
	rs, err := b.jobs.ClaimSilent(ctx, silent)
	out := make([]importers.JobRecord, len(rs))
	for i, r := range rs {
		out[i] = importers.JobRecord(r)
	}
	return out, err
}
