-- Leases: a duty that one server of the database does at a time (the
-- reminders' sender), held by the server that took it last until it
-- expires; the holder renews it while it works, and another takes it once
-- it has expired. One SQLite file has one server as a rule; the table is
-- here so that the scheduler runs alike on both stores.
CREATE TABLE leases (
	name    TEXT PRIMARY KEY,
	holder  TEXT NOT NULL,
	taken   TEXT NOT NULL, -- when this holder took it
	expires TEXT NOT NULL
) STRICT;
