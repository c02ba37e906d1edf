-- What a target asks gains the base year of a relative target ("giảm 30%
-- so với năm 2020") and the tolerance of an "about" bound when the admin
-- sets one (0 means the setting).
ALTER TABLE target_revisions ADD COLUMN base_year INTEGER NOT NULL DEFAULT 0;
ALTER TABLE target_revisions ADD COLUMN tolerance REAL NOT NULL DEFAULT 0;

-- A target may be set for one unit — a department or a commune carrying its
-- share of a city target — so its identity gains the unit ('' for the
-- territory as a whole). SQLite cannot change a UNIQUE constraint in place:
-- the table is rebuilt under its own name, with foreign keys checked at the
-- commit, by which time every revision points at its target again.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE targets_before_0008 AS SELECT * FROM targets;
DROP TABLE targets;
CREATE TABLE targets (
	id          INTEGER PRIMARY KEY,
	plan        TEXT NOT NULL REFERENCES plans(id),
	indicator   TEXT NOT NULL REFERENCES indicators(code),
	period_from INTEGER NOT NULL,
	period_to   INTEGER NOT NULL,
	scope       TEXT NOT NULL,
	grp         INTEGER NOT NULL DEFAULT 0,
	task        TEXT NOT NULL DEFAULT '',
	unit        TEXT NOT NULL DEFAULT '',
	UNIQUE (plan, indicator, period_from, period_to, scope, unit)
) STRICT;
INSERT INTO targets (id, plan, indicator, period_from, period_to, scope, grp, task)
	SELECT id, plan, indicator, period_from, period_to, scope, grp, task FROM targets_before_0008;
DROP TABLE targets_before_0008;
CREATE INDEX targets_unit ON targets (unit) WHERE unit <> '';
