-- Opening chitieu to programs and readers: personal API tokens, and the
-- metadata sheet of each indicator.

-- hash is the SHA-256 of the token's secret: the secret itself is not
-- stored, so that a copy of the database opens no API.
CREATE TABLE api_tokens (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id),
	name       TEXT NOT NULL,
	prefix     TEXT NOT NULL,
	hash       TEXT NOT NULL UNIQUE,
	scopes     TEXT NOT NULL,              -- JSON array: "read", "import"
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	revoked_at TEXT NOT NULL DEFAULT '',
	revoked_by TEXT NOT NULL DEFAULT '',
	last_used  TEXT NOT NULL DEFAULT '',
	uses       INTEGER NOT NULL DEFAULT 0,
	UNIQUE (user_id, name)
) STRICT;

-- One metadata sheet per indicator; no row means none written.
CREATE TABLE indicator_metadata (
	indicator      TEXT PRIMARY KEY REFERENCES indicators(code),
	definition     TEXT NOT NULL DEFAULT '',
	method         TEXT NOT NULL DEFAULT '',
	unit           TEXT NOT NULL DEFAULT '',
	source         TEXT NOT NULL DEFAULT '',
	frequency      TEXT NOT NULL DEFAULT '',
	disaggregation TEXT NOT NULL DEFAULT '',
	comparability  TEXT NOT NULL DEFAULT '',
	updated_at     TEXT NOT NULL,
	updated_by     TEXT NOT NULL
) STRICT;

-- Plans an admin opened to the public view (/public/…); no row: closed.
CREATE TABLE public_plans (
	plan       TEXT PRIMARY KEY REFERENCES plans(id),
	opened_at  TEXT NOT NULL,
	opened_by  TEXT NOT NULL
) STRICT;
