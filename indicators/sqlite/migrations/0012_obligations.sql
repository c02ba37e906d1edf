-- The reporting cycle: which unit reports which indicators of a plan at
-- which frequency, each plan's changes to the Decree 09/2019 cut-off
-- rules, and the reminders sent by e-mail.

-- One obligation per plan, unit and frequency; its indicators beside it.
CREATE TABLE obligations (
	id        INTEGER PRIMARY KEY,
	plan      TEXT NOT NULL REFERENCES plans(id),
	unit      TEXT NOT NULL REFERENCES units(code),
	frequency TEXT NOT NULL,
	figures   TEXT REFERENCES units(code), -- whose figures, when not the unit's own
	from_year INTEGER NOT NULL DEFAULT 0,  -- the first year owed; 0: every year
	UNIQUE (plan, unit, frequency)
) STRICT;

CREATE TABLE obligation_indicators (
	obligation INTEGER NOT NULL REFERENCES obligations(id) ON DELETE CASCADE,
	indicator  TEXT NOT NULL REFERENCES indicators(code),
	PRIMARY KEY (obligation, indicator)
) STRICT;

-- Only the rules an admin changed; the others are the Decree's.
CREATE TABLE plan_cutoffs (
	plan          TEXT NOT NULL REFERENCES plans(id),
	frequency     TEXT NOT NULL,
	cutoff_day    INTEGER NOT NULL,
	deadline_days INTEGER NOT NULL,
	PRIMARY KEY (plan, frequency)
) STRICT;

-- The address a user wants reminders at; no row, no e-mail.
CREATE TABLE user_emails (
	user       TEXT PRIMARY KEY REFERENCES users(name),
	address    TEXT NOT NULL,
	updated_at TEXT NOT NULL
) STRICT;

-- Each reminder is claimed under its key before it is sent, so that no
-- restart and no second server sends it twice; sent_at is set once the
-- mail server took it.
CREATE TABLE reminders (
	key        TEXT PRIMARY KEY,
	user       TEXT NOT NULL,
	address    TEXT NOT NULL,
	claimed_at TEXT NOT NULL,
	sent_at    TEXT NOT NULL DEFAULT '',
	error      TEXT NOT NULL DEFAULT ''
) STRICT;

-- The calendar reads a year's figures by key, the first commit of each:
-- this index gives them in the order it groups them with every column the
-- query reads, so that the table itself is not visited.
CREATE INDEX data_values_year_key ON data_values(year, indicator, unit, period, type, entered_at, retracted_at, batch);
