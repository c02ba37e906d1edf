package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"chitieu/indicators"
)

// LoadCatalog adds what of c is missing, in one transaction: plans, groups,
// tasks, units and indicators by key; targets by plan, indicator, period and
// scope; values by key, source and number. Nothing stored is changed, so an
// admin's edits survive, and a catalogue already loaded in full is skipped
// by its hash without reading further. Three things belong to the catalogue
// alone and are kept current: the register of sources, the plans' notes of
// what is not public in full, and the day each of its own targets and values
// became known (a database loaded before the catalogue carried those days
// had them all known from the day it was made).
func (db *DB) LoadCatalog(ctx context.Context, c *indicators.Catalog) (indicators.CatalogResult, error) {
	var res indicators.CatalogResult
	notes := make([]string, 0, 2*len(c.Plans))
	for _, p := range c.Plans {
		notes = append(notes, p.Incomplete, p.IncompleteEN)
	}
	body, err := json.Marshal(struct {
		*indicators.Catalog
		Notes []string
	}{c, notes})
	if err != nil {
		return res, fmt.Errorf("sqlite: hash catalogue: %w", err)
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	var loaded string
	err = db.read.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'catalog_hash'`).Scan(&loaded)
	if err != nil && err != sql.ErrNoRows {
		return res, fmt.Errorf("sqlite: read catalogue hash: %w", err)
	}
	if loaded == hash {
		return res, nil
	}
	now := db.now()
	err = db.writeTx(ctx, func(tx *sql.Tx) error {
		ins := func(counter *int, what, q string, args ...any) error {
			r, err := tx.ExecContext(ctx, q, args...)
			if err != nil {
				return fmt.Errorf("sqlite: load catalogue %s: %w", what, err)
			}
			n, _ := r.RowsAffected()
			*counter += int(n)
			return nil
		}
		for _, p := range c.Plans {
			if err := ins(&res.Plans, "plan "+p.ID, `INSERT OR IGNORE INTO plans (`+planColumns+`)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, p.Code, fmtDate(p.Issued), p.IssuedNote,
				p.IssuingBody, p.TitleVI, p.TitleEN, p.HorizonFrom, p.HorizonTo, p.Scope, p.Parent, p.Source, p.Order); err != nil {
				return err
			}
		}
		if _, err := loadSources(ctx, tx, c); err != nil {
			return err
		}
		for _, g := range c.Groups {
			if err := ins(&res.Groups, fmt.Sprintf("group %s/%d", g.Plan, g.Number), `INSERT OR IGNORE INTO task_groups
				(plan, number, name_vi, name_en, scope_vi, scope_en) VALUES (?, ?, ?, ?, ?, ?)`,
				g.Plan, g.Number, g.NameVI, g.NameEN, g.ScopeVI, g.ScopeEN); err != nil {
				return err
			}
		}
		for _, u := range c.Units {
			if err := ins(&res.Units, "unit "+u.Code, `INSERT OR IGNORE INTO units (`+unitColumns+`)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.Code, u.NameVI, u.NameEN, u.Kind, u.Type, u.Parent, u.Scope,
				fmtDate(u.ValidFrom), fmtDate(u.ValidTo), u.Source); err != nil {
				return err
			}
		}
		for _, t := range c.Tasks {
			var percent any
			if t.Percent != nil {
				percent = *t.Percent
			}
			if err := ins(&res.Tasks, "task "+t.Code, `INSERT OR IGNORE INTO tasks (code, plan, grp, name_vi, name_en,
				lead_agency, start, deadline, percent, done, status_note, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				t.Code, t.Plan, t.Group, t.NameVI, t.NameEN, t.LeadAgency, fmtDate(t.Start), fmtDate(t.Deadline),
				percent, fmtDate(t.Done), t.StatusNote, t.Source); err != nil {
				return err
			}
		}
		for _, i := range c.Indicators {
			if err := ins(&res.Indicators, "indicator "+i.Code, `INSERT OR IGNORE INTO indicators (`+indicatorColumns+`)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, i.Code, i.NameVI, i.NameEN, i.Unit, i.UnitEN,
				i.Decimals, i.Direction, i.Measure, i.Rollup, i.WeightBy, i.LeadAgency, i.Frequency, i.Group,
				i.NoteVI, i.NoteEN); err != nil {
				return err
			}
		}
		for _, t := range c.Targets {
			var exists int
			err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM targets WHERE plan = ? AND indicator = ?
				AND period_from = ? AND period_to = ? AND scope = ? AND unit = ?`, t.Plan, t.Indicator, t.Period.From, t.Period.To, t.Scope, t.Unit).Scan(&exists)
			if err != nil {
				return fmt.Errorf("sqlite: look up target %s/%s: %w", t.Plan, t.Indicator, err)
			}
			if exists > 0 {
				if err := knownFromTarget(ctx, tx, t); err != nil {
					return err
				}
				continue
			}
			if t.EnteredAt.IsZero() {
				t.EnteredAt = now
			}
			if err := db.insertTarget(ctx, tx, &t); err != nil {
				return err
			}
			res.Targets++
		}
		for _, v := range c.Values {
			var exists int
			err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM data_values WHERE indicator = ? AND unit = ?
				AND period = ? AND type = ? AND source = ? AND value = ? AND batch IS NULL`,
				v.Indicator, v.Unit, v.Period.String(), v.Type, v.Source, v.Value).Scan(&exists)
			if err != nil {
				return fmt.Errorf("sqlite: look up value %s: %w", v.Key, err)
			}
			if exists > 0 {
				if !v.EnteredAt.IsZero() {
					if _, err := tx.ExecContext(ctx, `UPDATE data_values SET entered_at = ? WHERE indicator = ?
						AND unit = ? AND period = ? AND type = ? AND source = ? AND value = ? AND batch IS NULL
						AND entered_by = ? AND entered_at <> ?`, fmtTime(v.EnteredAt), v.Indicator, v.Unit,
						v.Period.String(), v.Type, v.Source, v.Value, v.EnteredBy, fmtTime(v.EnteredAt)); err != nil {
						return fmt.Errorf("sqlite: date catalogue value %s: %w", v.Key, err)
					}
				}
				continue
			}
			if v.EnteredAt.IsZero() {
				v.EnteredAt = now
			}
			if err := db.insertValueQuiet(ctx, tx, &v); err != nil {
				return err
			}
			res.Values++
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('catalog_hash', ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, hash); err != nil {
			return fmt.Errorf("sqlite: record catalogue hash: %w", err)
		}
		return db.audit(ctx, tx, indicators.AuditEvent{Action: "catalog.load", Object: "catalog:" + hash[:16],
			After: jsonOf(res)})
	})
	return res, err
}

// knownFromTarget dates the original revision of a catalogue target already
// stored by the day the catalogue says it became known, when the catalogue
// entered it (an admin's own revisions keep theirs).
func knownFromTarget(ctx context.Context, tx *sql.Tx, t indicators.Target) error {
	if t.EnteredAt.IsZero() {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE target_revisions SET entered_at = ? WHERE seq = 0 AND entered_by = ?
		AND entered_at <> ? AND target IN (SELECT id FROM targets WHERE plan = ? AND indicator = ?
			AND period_from = ? AND period_to = ? AND scope = ?)`, fmtTime(t.EnteredAt), t.EnteredBy,
		fmtTime(t.EnteredAt), t.Plan, t.Indicator, t.Period.From, t.Period.To, t.Scope)
	if err != nil {
		return fmt.Errorf("sqlite: date catalogue target %s/%s: %w", t.Plan, t.Indicator, err)
	}
	return nil
}

// insertValueQuiet appends a catalogue value; the catalogue load is audited
// as one event with its counts rather than one per value.
func (db *DB) insertValueQuiet(ctx context.Context, tx *sql.Tx, v *indicators.Value) error {
	var high any
	if v.High != nil {
		high = *v.High
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO data_values (indicator, unit, period, year, type, value, high, note,
		source, sheet, cell, entered_by, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		v.Indicator, v.Unit, v.Period.String(), v.Period.Year, v.Type, v.Value, high, v.Note,
		v.Source, v.Sheet, v.Cell, v.EnteredBy, fmtTime(v.EnteredAt))
	if err != nil {
		return fmt.Errorf("sqlite: load catalogue value %s: %w", v.Key, err)
	}
	return nil
}

// Settings returns the progress thresholds in force: the stored ones, or
// the defaults.
func (db *DB) Settings(ctx context.Context) (indicators.Settings, error) {
	s := indicators.DefaultSettings()
	var body string
	err := db.read.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'settings'`).Scan(&body)
	if err == sql.ErrNoRows {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("sqlite: read settings: %w", err)
	}
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		return s, fmt.Errorf("sqlite: decode settings: %w", err)
	}
	return s, nil
}

// SaveSettings stores new thresholds, auditing the change.
func (db *DB) SaveSettings(ctx context.Context, s indicators.Settings) error {
	before, err := db.Settings(ctx)
	if err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('settings', ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, jsonOf(s)); err != nil {
			return fmt.Errorf("sqlite: save settings: %w", err)
		}
		return db.audit(ctx, tx, indicators.AuditEvent{Action: "settings.update", Object: "settings",
			Before: jsonOf(before), After: jsonOf(s)})
	})
}
