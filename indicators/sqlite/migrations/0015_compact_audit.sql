-- The audit trail keeps what its chain cannot derive, and no more:
--   - prev_hash goes: an event's predecessor is the event before it by id
--     (ids are never reused nor removed), and its hash is that one's hash;
--     the chain is checked by recomputing each hash over the predecessor's,
--     so a removed, reordered or edited event still breaks it;
--   - hash is the 32 bytes of the HMAC (or, before the key, the SHA-256),
--     not their 64 hex digits;
--   - file_hash is NULL when it is the file of the event's batch
--     (batches.sha256), which a batch of a million values would otherwise
--     repeat a million times; '' still means no file, any other text a file
--     of its own (an upload, a plan workbook).
-- Every event is hashed over the same bytes as before, so the trail made
-- before this migration verifies unchanged. SQLite cannot change a column's
-- type in place: the table is rebuilt, and its index and trigger with it.
CREATE TABLE audit_events_0015 (
	id        INTEGER PRIMARY KEY,
	at        TEXT NOT NULL,
	user      TEXT NOT NULL,
	addr      TEXT NOT NULL DEFAULT '',
	action    TEXT NOT NULL,
	object    TEXT NOT NULL DEFAULT '',
	before    TEXT NOT NULL DEFAULT '',
	after     TEXT NOT NULL DEFAULT '',
	batch     INTEGER NOT NULL DEFAULT 0,
	file_hash TEXT,          -- NULL: batches.sha256 of batch
	hash      BLOB NOT NULL  -- 32 bytes
) STRICT;
INSERT INTO audit_events_0015 (id, at, user, addr, action, object, before, after, batch, file_hash, hash)
	SELECT e.id, e.at, e.user, e.addr, e.action, e.object, e.before, e.after, e.batch,
		CASE WHEN e.batch <> 0 AND e.file_hash <> '' AND e.file_hash = (SELECT b.sha256 FROM batches b WHERE b.id = e.batch)
			THEN NULL ELSE e.file_hash END,
		COALESCE(unhex(e.hash), CAST(e.hash AS BLOB))
	FROM audit_events e ORDER BY e.id;
DROP TABLE audit_events;
ALTER TABLE audit_events_0015 RENAME TO audit_events;
CREATE INDEX audit_events_at ON audit_events(at);

CREATE TRIGGER data_version_bump AFTER INSERT ON audit_events
	WHEN NEW.batch = 0 OR NEW.action NOT IN ('value.add', 'value.retract')
BEGIN
	UPDATE data_version SET id = NEW.id, at = NEW.at WHERE one = 1;
END;
