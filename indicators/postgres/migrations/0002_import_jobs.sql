-- Import jobs of every server of the database: the server that runs a job
-- beats its row while it works, so that any server can show its progress and
-- a job whose server stopped beating is taken over (a commit) or failed (a
-- preview, whose upload was on that server's disk).
CREATE TABLE import_jobs (
	id        text PRIMARY KEY,
	username  text NOT NULL,
	kind      text NOT NULL CHECK (kind IN ('preview', 'commit')),
	file      text NOT NULL DEFAULT '',
	note      text NOT NULL DEFAULT '',
	batch     bigint NOT NULL DEFAULT 0,
	estimated bigint NOT NULL DEFAULT 0,
	rows_read bigint NOT NULL DEFAULT 0,
	queued    integer NOT NULL DEFAULT 0,
	state     text NOT NULL CHECK (state IN ('running', 'done', 'failed')),
	error_vi  text NOT NULL DEFAULT '',
	error_en  text NOT NULL DEFAULT '',
	server    text NOT NULL,
	started   timestamptz NOT NULL,
	beat      timestamptz NOT NULL,
	ended     timestamptz
);
CREATE INDEX import_jobs_running ON import_jobs (beat) WHERE state = 'running';
