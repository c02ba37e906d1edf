-- The core of chitieu: plans and what hangs on them, units, values with
-- their provenance, import batches and the audit trail.

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

CREATE TABLE plans (
	id           TEXT PRIMARY KEY,
	code         TEXT NOT NULL,
	issued       TEXT NOT NULL DEFAULT '',   -- YYYY-MM-DD, '' when the sources give none
	issued_note  TEXT NOT NULL DEFAULT '',
	issuing_body TEXT NOT NULL DEFAULT '',
	title_vi     TEXT NOT NULL,
	title_en     TEXT NOT NULL DEFAULT '',
	horizon_from INTEGER NOT NULL DEFAULT 0,
	horizon_to   INTEGER NOT NULL DEFAULT 0,
	scope        TEXT NOT NULL DEFAULT '',
	parent       TEXT NOT NULL DEFAULT '',
	source       TEXT NOT NULL DEFAULT '',
	ord          INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE task_groups (
	plan     TEXT NOT NULL REFERENCES plans(id),
	number   INTEGER NOT NULL,
	name_vi  TEXT NOT NULL,
	name_en  TEXT NOT NULL DEFAULT '',
	scope_vi TEXT NOT NULL DEFAULT '',
	scope_en TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (plan, number)
) STRICT;

CREATE TABLE units (
	code       TEXT PRIMARY KEY,
	name_vi    TEXT NOT NULL,
	name_en    TEXT NOT NULL DEFAULT '',
	kind       TEXT NOT NULL,
	type       TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	scope      TEXT NOT NULL DEFAULT '',
	valid_from TEXT NOT NULL DEFAULT '',
	valid_to   TEXT NOT NULL DEFAULT '',
	source     TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE tasks (
	id          INTEGER PRIMARY KEY,
	code        TEXT NOT NULL UNIQUE,
	plan        TEXT NOT NULL REFERENCES plans(id),
	grp         INTEGER NOT NULL,
	name_vi     TEXT NOT NULL,
	name_en     TEXT NOT NULL DEFAULT '',
	lead_agency TEXT NOT NULL DEFAULT '',
	start       TEXT NOT NULL DEFAULT '',
	deadline    TEXT NOT NULL DEFAULT '',
	percent     REAL,
	done        TEXT NOT NULL DEFAULT '',
	status_note TEXT NOT NULL DEFAULT '',
	source      TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE task_updates (
	id         INTEGER PRIMARY KEY,
	task       INTEGER NOT NULL REFERENCES tasks(id),
	percent    REAL NOT NULL,
	note       TEXT NOT NULL DEFAULT '',
	date       TEXT NOT NULL,
	done       INTEGER NOT NULL DEFAULT 0,
	entered_by TEXT NOT NULL,
	entered_at TEXT NOT NULL
) STRICT;
CREATE INDEX task_updates_task ON task_updates(task, entered_at);

CREATE TABLE indicators (
	code        TEXT PRIMARY KEY,
	name_vi     TEXT NOT NULL,
	name_en     TEXT NOT NULL DEFAULT '',
	unit        TEXT NOT NULL,
	unit_en     TEXT NOT NULL DEFAULT '',
	decimals    INTEGER NOT NULL DEFAULT 2,
	direction   TEXT NOT NULL,
	measure     TEXT NOT NULL,
	rollup      TEXT NOT NULL,
	weight_by   TEXT NOT NULL DEFAULT '',
	lead_agency TEXT NOT NULL DEFAULT '',
	frequency   TEXT NOT NULL DEFAULT 'year',
	grp         INTEGER NOT NULL DEFAULT 0,
	note_vi     TEXT NOT NULL DEFAULT '',
	note_en     TEXT NOT NULL DEFAULT ''
) STRICT;

-- A target's identity never changes; what it asks lives in its revisions.
CREATE TABLE targets (
	id          INTEGER PRIMARY KEY,
	plan        TEXT NOT NULL REFERENCES plans(id),
	indicator   TEXT NOT NULL REFERENCES indicators(code),
	period_from INTEGER NOT NULL,
	period_to   INTEGER NOT NULL,
	scope       TEXT NOT NULL,
	grp         INTEGER NOT NULL DEFAULT 0,
	task        TEXT NOT NULL DEFAULT '',
	UNIQUE (plan, indicator, period_from, period_to, scope)
) STRICT;

CREATE TABLE target_revisions (
	id         INTEGER PRIMARY KEY,
	target     INTEGER NOT NULL REFERENCES targets(id),
	seq        INTEGER NOT NULL,
	kind       TEXT NOT NULL,
	op         TEXT NOT NULL DEFAULT '',
	a          REAL NOT NULL DEFAULT 0,
	b          REAL NOT NULL DEFAULT 0,
	direction  TEXT NOT NULL DEFAULT '',
	text       TEXT NOT NULL DEFAULT '',
	source     TEXT NOT NULL DEFAULT '',
	act        TEXT NOT NULL DEFAULT '',
	act_date   TEXT NOT NULL DEFAULT '',
	effective  TEXT NOT NULL DEFAULT '',
	reason     TEXT NOT NULL DEFAULT '',
	entered_by TEXT NOT NULL,
	entered_at TEXT NOT NULL,
	UNIQUE (target, seq)
) STRICT;

-- An uploaded file and what became of it.
CREATE TABLE batches (
	id             INTEGER PRIMARY KEY,
	file_name      TEXT NOT NULL,
	sha256         TEXT NOT NULL,
	size           INTEGER NOT NULL DEFAULT 0,
	state          TEXT NOT NULL,            -- previewed, committed, rolled_back
	profile        TEXT NOT NULL DEFAULT '', -- mapping profile used, if any
	unit           TEXT NOT NULL DEFAULT '', -- unit the file speaks for, if one
	locale         TEXT NOT NULL DEFAULT 'vi',
	new_values     INTEGER NOT NULL DEFAULT 0,
	changed_values INTEGER NOT NULL DEFAULT 0,
	unchanged      INTEGER NOT NULL DEFAULT 0,
	rejected       INTEGER NOT NULL DEFAULT 0,
	created_by     TEXT NOT NULL,
	created_at     TEXT NOT NULL,
	committed_at   TEXT NOT NULL DEFAULT '',
	rolled_back_at TEXT NOT NULL DEFAULT '',
	rolled_back_by TEXT NOT NULL DEFAULT ''
) STRICT;

-- Values are appended, never updated but for retracted_at, which a
-- rollback sets once. The newest value of a key that is not retracted is
-- current; older ones stay as history.
CREATE TABLE data_values (
	id           INTEGER PRIMARY KEY,
	indicator    TEXT NOT NULL REFERENCES indicators(code),
	unit         TEXT NOT NULL REFERENCES units(code),
	period       TEXT NOT NULL,
	year         INTEGER NOT NULL,
	type         TEXT NOT NULL,
	value        REAL NOT NULL,
	high         REAL,
	note         TEXT NOT NULL DEFAULT '',
	source       TEXT NOT NULL DEFAULT '',
	batch        INTEGER REFERENCES batches(id),
	sheet        TEXT NOT NULL DEFAULT '',
	cell         TEXT NOT NULL DEFAULT '',
	entered_by   TEXT NOT NULL,
	entered_at   TEXT NOT NULL,
	retracted_at TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX data_values_key ON data_values(indicator, unit, period, type);
CREATE INDEX data_values_batch ON data_values(batch) WHERE batch IS NOT NULL;

-- Each event carries the hash of the one before it.
CREATE TABLE audit_events (
	id        INTEGER PRIMARY KEY,
	at        TEXT NOT NULL,
	user      TEXT NOT NULL,
	addr      TEXT NOT NULL DEFAULT '',
	action    TEXT NOT NULL,
	object    TEXT NOT NULL DEFAULT '',
	before    TEXT NOT NULL DEFAULT '',
	after     TEXT NOT NULL DEFAULT '',
	batch     INTEGER NOT NULL DEFAULT 0,
	file_hash TEXT NOT NULL DEFAULT '',
	prev_hash TEXT NOT NULL,
	hash      TEXT NOT NULL
) STRICT;
CREATE INDEX audit_events_at ON audit_events(at);
