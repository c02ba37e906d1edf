-- Leases: a duty that one server of the database does at a time (the
-- reminders' sender), held by the server that took it last until it
-- expires, on the database's clock; the holder renews it while it works,
-- and another server takes it once it has expired.
CREATE TABLE leases (
	name    text PRIMARY KEY,
	holder  text NOT NULL,
	taken   timestamptz NOT NULL, -- when this holder took it
	expires timestamptz NOT NULL
);

-- A commit's writer holds, for the whole commit, a session lock keyed by
-- its batch on a connection of its own (locked): a server that can take
-- that lock knows the writer's connection, and so the writer, is gone. A
-- commit being withdrawn (withdrawing) takes no more chunks from its
-- writer, should it still be alive.
ALTER TABLE import_pending ADD COLUMN locked boolean NOT NULL DEFAULT false;
ALTER TABLE import_pending ADD COLUMN withdrawing boolean NOT NULL DEFAULT false;
