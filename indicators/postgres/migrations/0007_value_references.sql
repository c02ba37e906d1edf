-- Every value names an indicator, a unit and (from an upload) a batch that
-- exist, and none of those is removed or renamed while a value names it.
-- Foreign keys said so and checked it one row at a time: a query per key
-- per value, a third of the server's work in a commit of a million values.
-- The same rule is checked here once per statement, over every row the
-- statement wrote (a chunk's COPY is one statement), with the same locks
-- and the same error code (23503, foreign_key_violation):
--
--   * writing values: the rows named are locked FOR KEY SHARE, as a
--     foreign key's check locks them, so that none can be deleted or have
--     its key changed until the writing transaction ends; a row deleted
--     meanwhile is not there to lock and is reported missing. Each
--     statement of a PL/pgSQL function under READ COMMITTED takes a new
--     snapshot, so the check after the lock sees a deletion that the lock
--     waited for.
--   * deleting or changing the key of an indicator, unit or batch: after
--     the statement, a key that is gone and that a value names refuses it.
--     A transaction writing values holds the key's row locked, so such a
--     statement waits for it and then sees its values.
--   * TRUNCATE of those tables is refused while any value is stored, as a
--     foreign key refuses it.
--
-- Every writer of chitieu also takes the audit chain's head first, so its
-- writes follow one another in any case; the locks above keep the rule for
-- writers outside it.

ALTER TABLE data_values
	DROP CONSTRAINT data_values_indicator_fkey,
	DROP CONSTRAINT data_values_unit_fkey,
	DROP CONSTRAINT data_values_batch_fkey;

CREATE FUNCTION data_values_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	missing text;
BEGIN
	PERFORM 1 FROM indicators i WHERE i.code IN (SELECT DISTINCT n.indicator FROM new_values n) FOR KEY SHARE OF i;
	SELECT n.indicator INTO missing FROM new_values n
		WHERE NOT EXISTS (SELECT 1 FROM indicators i WHERE i.code = n.indicator) LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'insert or update on table "data_values" names indicator "%", which does not exist', missing
			USING ERRCODE = 'foreign_key_violation', TABLE = 'data_values', COLUMN = 'indicator';
	END IF;
	PERFORM 1 FROM units u WHERE u.code IN (SELECT DISTINCT n.unit FROM new_values n) FOR KEY SHARE OF u;
	SELECT n.unit INTO missing FROM new_values n
		WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.code = n.unit) LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'insert or update on table "data_values" names unit "%", which does not exist', missing
			USING ERRCODE = 'foreign_key_violation', TABLE = 'data_values', COLUMN = 'unit';
	END IF;
	PERFORM 1 FROM batches b WHERE b.id IN (SELECT DISTINCT n.batch FROM new_values n WHERE n.batch IS NOT NULL) FOR KEY SHARE OF b;
	SELECT n.batch INTO missing FROM new_values n
		WHERE n.batch IS NOT NULL AND NOT EXISTS (SELECT 1 FROM batches b WHERE b.id = n.batch) LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'insert or update on table "data_values" names batch %, which does not exist', missing
			USING ERRCODE = 'foreign_key_violation', TABLE = 'data_values', COLUMN = 'batch';
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER data_values_references_insert AFTER INSERT ON data_values
	REFERENCING NEW TABLE AS new_values FOR EACH STATEMENT EXECUTE FUNCTION data_values_check_references();
CREATE TRIGGER data_values_references_update AFTER UPDATE ON data_values
	REFERENCING NEW TABLE AS new_values FOR EACH STATEMENT EXECUTE FUNCTION data_values_check_references();

-- The referred side: one function for the three tables and both
-- statements, told apart by TG_TABLE_NAME and TG_OP; old_keys and
-- new_keys are the statement's rows before and after (an UPDATE's only:
-- each query is planned when first run, so a DELETE never plans one that
-- names new_keys).
CREATE FUNCTION data_values_check_referred() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	named text;
BEGIN
	IF TG_TABLE_NAME = 'indicators' AND TG_OP = 'DELETE' THEN
		SELECT o.code INTO named FROM old_keys o
			WHERE EXISTS (SELECT 1 FROM data_values v WHERE v.indicator = o.code) LIMIT 1;
	ELSIF TG_TABLE_NAME = 'indicators' THEN
		SELECT o.code INTO named FROM old_keys o
			WHERE NOT EXISTS (SELECT 1 FROM new_keys n WHERE n.code = o.code)
			AND EXISTS (SELECT 1 FROM data_values v WHERE v.indicator = o.code) LIMIT 1;
	ELSIF TG_TABLE_NAME = 'units' AND TG_OP = 'DELETE' THEN
		SELECT o.code INTO named FROM old_keys o
			WHERE EXISTS (SELECT 1 FROM data_values v WHERE v.unit = o.code) LIMIT 1;
	ELSIF TG_TABLE_NAME = 'units' THEN
		SELECT o.code INTO named FROM old_keys o
			WHERE NOT EXISTS (SELECT 1 FROM new_keys n WHERE n.code = o.code)
			AND EXISTS (SELECT 1 FROM data_values v WHERE v.unit = o.code) LIMIT 1;
	ELSIF TG_OP = 'DELETE' THEN
		SELECT o.id::text INTO named FROM old_keys o
			WHERE EXISTS (SELECT 1 FROM data_values v WHERE v.batch = o.id) LIMIT 1;
	ELSE
		SELECT o.id::text INTO named FROM old_keys o
			WHERE NOT EXISTS (SELECT 1 FROM new_keys n WHERE n.id = o.id)
			AND EXISTS (SELECT 1 FROM data_values v WHERE v.batch = o.id) LIMIT 1;
	END IF;
	IF FOUND THEN
		RAISE EXCEPTION '% on table "%" removes key %, which values in "data_values" still name', lower(TG_OP), TG_TABLE_NAME, named
			USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME;
	END IF;
	RETURN NULL;
END
$$;

CREATE FUNCTION data_values_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM data_values) THEN
		RAISE EXCEPTION 'cannot truncate table "%": values in "data_values" name its rows', TG_TABLE_NAME
			USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME;
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER data_values_referred_delete AFTER DELETE ON indicators
	REFERENCING OLD TABLE AS old_keys FOR EACH STATEMENT EXECUTE FUNCTION data_values_check_referred();
CREATE TRIGGER data_values_referred_update AFTER UPDATE ON indicators
	REFERENCING OLD TABLE AS old_keys NEW TABLE AS new_keys FOR EACH STATEMENT EXECUTE FUNCTION data_values_check_referred();
CREATE TRIGGER data_values_referred_truncate BEFORE TRUNCATE ON indicators
	FOR EACH STATEMENT EXECUTE FUNCTION data_values_refuse_truncate();

CREATE TRIGGER data_values_referred_delete AFTER DELETE ON units
	REFERENCING OLD TABLE AS old_keys FOR EACH STATEMENT EXECUTE FUNCTION data_values_check_referred();
CREATE TRIGGER data_values_referred_update AFTER UPDATE ON units
	REFERENCING OLD TABLE AS old_keys NEW TABLE AS new_keys FOR EACH STATEMENT EXECUTE FUNCTION data_values_check_referred();
CREATE TRIGGER data_values_referred_truncate BEFORE TRUNCATE ON units
	FOR EACH STATEMENT EXECUTE FUNCTION data_values_refuse_truncate();

CREATE TRIGGER data_values_referred_delete AFTER DELETE ON batches
	REFERENCING OLD TABLE AS old_keys FOR EACH STATEMENT EXECUTE FUNCTION data_values_check_referred();
CREATE TRIGGER data_values_referred_update AFTER UPDATE ON batches
	REFERENCING OLD TABLE AS old_keys NEW TABLE AS new_keys FOR EACH STATEMENT EXECUTE FUNCTION data_values_check_referred();
CREATE TRIGGER data_values_referred_truncate BEFORE TRUNCATE ON batches
	FOR EACH STATEMENT EXECUTE FUNCTION data_values_refuse_truncate();
