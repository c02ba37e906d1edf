-- Imports commit in short transactions: a batch's values are written a
-- chunk at a time while the batch is listed here, and readers leave out
-- the values of a batch listed here; the last transaction removes the
-- batch from this table, which makes all of its values visible at once. A
-- batch still listed when the store opens, whose process is gone, was cut
-- off (kill -9, power loss): its values are withdrawn.
CREATE TABLE import_pending (
	batch      INTEGER PRIMARY KEY REFERENCES batches(id),
	at         TEXT NOT NULL,    -- the moment every value and event of the batch carries
	created    INTEGER NOT NULL, -- 1 when the batch was made for this commit (not staged before)
	owner      INTEGER NOT NULL  -- the ID of the process writing it
) STRICT;

-- The data version that invalidates page caches: the last audit event
-- other than those of a batch's own values, which are written while the
-- batch is still invisible (and, on rollback, in the same transaction as
-- the batch's event). A single row, kept by a trigger, so that reading it
-- costs one row whatever the log holds.
CREATE TABLE data_version (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	id  INTEGER NOT NULL,
	at  TEXT NOT NULL
) STRICT;
INSERT INTO data_version (one, id, at)
	SELECT 1, COALESCE(MAX(id), 0), COALESCE((SELECT at FROM audit_events ORDER BY id DESC LIMIT 1), '') FROM audit_events;

CREATE TRIGGER data_version_bump AFTER INSERT ON audit_events
	WHEN NEW.batch = 0 OR NEW.action NOT IN ('value.add', 'value.retract')
BEGIN
	UPDATE data_version SET id = NEW.id, at = NEW.at WHERE one = 1;
END;
