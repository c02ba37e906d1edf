-- Imports: what a previewed batch needs to be committed as it was shown,
-- the uploaded files kept under their SHA-256, and mapping profiles.

ALTER TABLE batches ADD COLUMN profile_json TEXT NOT NULL DEFAULT '';
ALTER TABLE batches ADD COLUMN digest TEXT NOT NULL DEFAULT '';  -- SHA-256 of the previewed changes
ALTER TABLE batches ADD COLUMN rows_read INTEGER NOT NULL DEFAULT 0;
CREATE INDEX batches_sha256 ON batches(sha256);

-- An uploaded file, content-addressed, in chunks so that neither writing
-- nor reading needs the whole file in memory.
CREATE TABLE files (
	sha256     TEXT PRIMARY KEY,
	size       INTEGER NOT NULL,
	stored_at  TEXT NOT NULL
) STRICT;

CREATE TABLE file_chunks (
	sha256 TEXT NOT NULL REFERENCES files(sha256),
	seq    INTEGER NOT NULL,
	data   BLOB NOT NULL,
	PRIMARY KEY (sha256, seq)
) STRICT, WITHOUT ROWID;

-- A mapping profile: how a department's own sheet maps onto indicators,
-- kept as the JSON document a planner can also write by hand.
CREATE TABLE import_profiles (
	name       TEXT PRIMARY KEY,
	shape      TEXT NOT NULL,
	body       TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	updated_at TEXT NOT NULL
) STRICT;
