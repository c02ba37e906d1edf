-- The register of public sources behind the built-in catalogue ("S63"), so
-- that every source code on a page can be looked up, and each plan's note of
-- what of its list is not public in full ("Mục 10–20 chưa công bố đầy đủ").
-- Both belong to the catalogue, which keeps them current at every start.
CREATE TABLE sources (
	code      TEXT PRIMARY KEY,
	title     TEXT NOT NULL,
	publisher TEXT NOT NULL DEFAULT '',
	published TEXT NOT NULL DEFAULT '',   -- YYYY-MM-DD, '' when not found
	date_note TEXT NOT NULL DEFAULT '',
	address   TEXT NOT NULL DEFAULT ''
) STRICT;

ALTER TABLE plans ADD COLUMN incomplete_vi TEXT NOT NULL DEFAULT '';
ALTER TABLE plans ADD COLUMN incomplete_en TEXT NOT NULL DEFAULT '';
