-- A unit's official administrative code (mã đơn vị hành chính), which an
-- admin sets: the built-in catalogue knows the 103 communes of the merged
-- city by name only and invents no code. Empty means none; two units never
-- share a code.
ALTER TABLE units ADD COLUMN official_code TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX units_official_code ON units(official_code) WHERE official_code <> '';
