-- Idempotency keys of API requests (Idempotency-Key header): the answer
-- given to the first request with a key, repeated to its retries. Rows
-- older than a day are removed as new keys come.
CREATE TABLE idempotency_keys (
	user         TEXT NOT NULL,
	key          TEXT NOT NULL,
	request      TEXT NOT NULL,           -- what the request asked, hashed
	done         INTEGER NOT NULL DEFAULT 0,
	status       INTEGER NOT NULL DEFAULT 0,
	content_type TEXT NOT NULL DEFAULT '',
	body         BLOB NOT NULL DEFAULT x'',
	created_at   TEXT NOT NULL,
	PRIMARY KEY (user, key)
) STRICT;

CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- What an admin allows a plan's public view beyond official figures and
-- noindex.
ALTER TABLE public_plans ADD COLUMN estimates INTEGER NOT NULL DEFAULT 0;
ALTER TABLE public_plans ADD COLUMN indexing INTEGER NOT NULL DEFAULT 0;
