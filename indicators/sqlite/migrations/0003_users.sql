-- Accounts: users with their role and scope, server-side sessions, failed
-- sign-ins for throttling, and the browsers a user has signed in from.

CREATE TABLE users (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL UNIQUE,
	full_name    TEXT NOT NULL DEFAULT '',
	role         TEXT NOT NULL,
	scope_units  TEXT NOT NULL DEFAULT '[]', -- JSON array of unit codes
	scope_groups TEXT NOT NULL DEFAULT '[]', -- JSON array of task-group numbers
	password     TEXT NOT NULL,              -- argon2id PHC string
	password_at  TEXT NOT NULL,
	disabled_at  TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL,
	created_by   TEXT NOT NULL
) STRICT;

-- id is the SHA-256 of the cookie's token: the token itself is not stored.
CREATE TABLE sessions (
	id         TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id),
	csrf       TEXT NOT NULL,
	addr       TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	last_seen  TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed sign-ins of the last day, counted by the typed name, the client
-- address and the trusted device.
CREATE TABLE login_failures (
	id     INTEGER PRIMARY KEY,
	name   TEXT NOT NULL,
	addr   TEXT NOT NULL,
	device TEXT NOT NULL DEFAULT '',
	at     TEXT NOT NULL
) STRICT;
CREATE INDEX login_failures_name ON login_failures(name, at);
CREATE INDEX login_failures_addr ON login_failures(addr, at);
CREATE INDEX login_failures_device ON login_failures(device, at) WHERE device <> '';
CREATE INDEX login_failures_at ON login_failures(at);

-- Browsers a user signed in from; a sign-in from one of them is not held
-- back by failures elsewhere, so that nobody can lock a user out.
CREATE TABLE trusted_devices (
	id         TEXT PRIMARY KEY, -- SHA-256 of the device cookie's token
	user_id    INTEGER NOT NULL REFERENCES users(id),
	created_at TEXT NOT NULL,
	last_used  TEXT NOT NULL
) STRICT;
CREATE INDEX trusted_devices_user ON trusted_devices(user_id);
