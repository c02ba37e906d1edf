-- What SQLite's migrations 0016 and 0017 added that the PostgreSQL store
-- holds so far: a unit's official administrative code, set by an admin
-- (empty means none; two units never share one), and the options of a
-- plan's public view (estimates shown, search engines allowed).
ALTER TABLE units ADD COLUMN official_code text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX units_official_code ON units (official_code) WHERE official_code <> '';
ALTER TABLE public_plans ADD COLUMN estimates boolean NOT NULL DEFAULT false;
ALTER TABLE public_plans ADD COLUMN indexing boolean NOT NULL DEFAULT false;
