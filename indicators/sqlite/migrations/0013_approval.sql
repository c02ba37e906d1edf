-- The reporting cycle: a unit's figures of a plan for a period, submitted by
-- its planner and approved or returned by the head of the unit; and the
-- unit's explanation of each lagging target (giải trình).

-- One row per plan, unit and period, changed in place by each transition;
-- the audit trail keeps every one of them.
CREATE TABLE submissions (
	id            INTEGER PRIMARY KEY,
	plan          TEXT NOT NULL REFERENCES plans(id),
	unit          TEXT NOT NULL REFERENCES units(code),
	period        TEXT NOT NULL,              -- "2024", "2024-Q3" …
	state         TEXT NOT NULL,              -- draft, submitted, approved, returned
	note          TEXT NOT NULL DEFAULT '',   -- the approver's note when returned
	value_count   INTEGER NOT NULL DEFAULT 0, -- values in force when submitted
	submitted_by  TEXT NOT NULL DEFAULT '',
	submitted_at  TEXT NOT NULL DEFAULT '',
	decided_by    TEXT NOT NULL DEFAULT '',
	decided_at    TEXT NOT NULL DEFAULT '',
	unlocked_by   TEXT NOT NULL DEFAULT '',
	unlocked_at   TEXT NOT NULL DEFAULT '',
	unlock_reason TEXT NOT NULL DEFAULT '',
	UNIQUE (plan, unit, period)
) STRICT;
CREATE INDEX submissions_unit_period ON submissions(unit, period);

-- The latest explanation of a target for a unit and period; earlier ones
-- stay in the audit trail.
CREATE TABLE explanations (
	target     INTEGER NOT NULL REFERENCES targets(id),
	unit       TEXT NOT NULL REFERENCES units(code),
	period     TEXT NOT NULL,
	cause      TEXT NOT NULL,
	remedy     TEXT NOT NULL,
	entered_by TEXT NOT NULL,
	entered_at TEXT NOT NULL,
	PRIMARY KEY (target, unit, period)
) STRICT;
