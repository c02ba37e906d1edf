package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"chitieu/indicators"

	"github.com/jackc/pgx/v5"
)

// LoadCatalog adds what of c is missing, in one transaction, as the SQLite
// store does: plans, groups, tasks, units and indicators by key; targets by
// plan, indicator, period, scope and unit; values by key, source and
// number. Nothing stored is changed but what belongs to the catalogue
// alone: the register of sources, the plans' notes of what is not public
// in full, and the day each of its own targets and values became known. A
// catalogue already loaded in full is skipped by its hash. Servers
// starting at once queue on the audit head, and the second finds the hash.
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
		return res, fmt.Errorf("postgres: hash catalogue: %w", err)
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	now := db.now()
	err = db.writeTx(ctx, func(tx *wtx) error {
		var loaded string
		err := tx.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'catalog_hash'`).Scan(&loaded)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("postgres: read catalogue hash: %w", err)
		}
		if loaded == hash {
			return nil
		}
		ins := func(counter *int, what, q string, a ...any) error {
			tag, err := tx.Exec(ctx, q, a...)
			if err != nil {
				return fmt.Errorf("postgres: load catalogue %s: %w", what, err)
			}
			*counter += int(tag.RowsAffected())
			return nil
		}
		for _, p := range c.Plans {
			if err := ins(&res.Plans, "plan "+p.ID, `INSERT INTO plans (`+planColumns+`)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING`,
				p.ID, p.Code, nullDate(p.Issued), p.IssuedNote, p.IssuingBody, p.TitleVI, p.TitleEN, p.HorizonFrom,
				p.HorizonTo, p.Scope, p.Parent, p.Source, p.Order); err != nil {
				return err
			}
		}
		if err := loadSources(ctx, tx, c); err != nil {
			return err
		}
		for _, g := range c.Groups {
			if err := ins(&res.Groups, fmt.Sprintf("group %s/%d", g.Plan, g.Number), `INSERT INTO task_groups
				(plan, number, name_vi, name_en, scope_vi, scope_en) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
				g.Plan, g.Number, g.NameVI, g.NameEN, g.ScopeVI, g.ScopeEN); err != nil {
				return err
			}
		}
		for _, u := range c.Units {
			if err := ins(&res.Units, "unit "+u.Code, `INSERT INTO units (`+unitColumns+`)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`, u.Code, u.NameVI, u.NameEN,
				u.Kind, u.Type, u.Parent, u.Scope, nullDate(u.ValidFrom), nullDate(u.ValidTo), u.Source); err != nil {
				return err
			}
		}
		for _, t := range c.Tasks {
			if err := ins(&res.Tasks, "task "+t.Code, `INSERT INTO tasks (code, plan, grp, name_vi, name_en,
				lead_agency, start, deadline, percent, done, status_note, source)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
				t.Code, t.Plan, t.Group, t.NameVI, t.NameEN, t.LeadAgency, nullDate(t.Start), nullDate(t.Deadline),
				t.Percent, nullDate(t.Done), t.StatusNote, t.Source); err != nil {
				return err
			}
		}
		for _, i := range c.Indicators {
			if err := ins(&res.Indicators, "indicator "+i.Code, `INSERT INTO indicators (`+indicatorColumns+`)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT DO NOTHING`,
				i.Code, i.NameVI, i.NameEN, i.Unit, i.UnitEN, i.Decimals, i.Direction, i.Measure, i.Rollup, i.WeightBy,
				i.LeadAgency, i.Frequency, i.Group, i.NoteVI, i.NoteEN); err != nil {
				return err
			}
		}
		for _, t := range c.Targets {
			var exists bool
			err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM targets WHERE plan = $1 AND indicator = $2
				AND period_from = $3 AND period_to = $4 AND scope = $5 AND unit = $6)`,
				t.Plan, t.Indicator, t.Period.From, t.Period.To, t.Scope, t.Unit).Scan(&exists)
			if err != nil {
				return fmt.Errorf("postgres: look up target %s/%s: %w", t.Plan, t.Indicator, err)
			}
			if exists {
				if !t.EnteredAt.IsZero() {
					// The original revision of a catalogue target is dated by
					// the day the catalogue says it became known.
					if _, err := tx.Exec(ctx, `UPDATE target_revisions SET entered_at = $1 WHERE seq = 0 AND entered_by = $2
						AND entered_at <> $1 AND target IN (SELECT id FROM targets WHERE plan = $3 AND indicator = $4
							AND period_from = $5 AND period_to = $6 AND scope = $7)`, nullTime(t.EnteredAt), t.EnteredBy,
						t.Plan, t.Indicator, t.Period.From, t.Period.To, t.Scope); err != nil {
						return fmt.Errorf("postgres: date catalogue target %s/%s: %w", t.Plan, t.Indicator, err)
					}
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
			var exists bool
			err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM data_values WHERE indicator = $1 AND unit = $2
				AND period = $3 AND type = $4 AND source = $5 AND value = $6 AND batch IS NULL)`,
				v.Indicator, v.Unit, v.Period.String(), v.Type, v.Source, v.Value).Scan(&exists)
			if err != nil {
				return fmt.Errorf("postgres: look up value %s: %w", v.Key, err)
			}
			if exists {
				if !v.EnteredAt.IsZero() {
					if _, err := tx.Exec(ctx, `UPDATE data_values SET entered_at = $1 WHERE indicator = $2
						AND unit = $3 AND period = $4 AND type = $5 AND source = $6 AND value = $7 AND batch IS NULL
						AND entered_by = $8 AND entered_at <> $1`, nullTime(v.EnteredAt), v.Indicator, v.Unit,
						v.Period.String(), v.Type, v.Source, v.Value, v.EnteredBy); err != nil {
						return fmt.Errorf("postgres: date catalogue value %s: %w", v.Key, err)
					}
				}
				continue
			}
			if v.EnteredAt.IsZero() {
				v.EnteredAt = now
			}
			// A catalogue value is audited with the load's counts, not one
			// event each.
			if err := insertValue(ctx, tx, &v); err != nil {
				return err
			}
			res.Values++
		}
		if _, err := tx.Exec(ctx, `INSERT INTO meta (key, value) VALUES ('catalog_hash', $1)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, hash); err != nil {
			return fmt.Errorf("postgres: record catalogue hash: %w", err)
		}
		return tx.audit(ctx, indicators.AuditEvent{Action: "catalog.load", Object: "catalog:" + hash[:16],
			After: jsonOf(res)})
	})
	return res, err
}

// loadSources writes the register and the plans' notes of incompleteness,
// which the catalogue owns: an entry that differs is brought up to date.
func loadSources(ctx context.Context, tx *wtx, c *indicators.Catalog) error {
	for _, s := range c.Sources {
		if _, err := tx.Exec(ctx, `INSERT INTO sources (`+sourceColumns+`) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (code) DO UPDATE SET title = excluded.title, publisher = excluded.publisher,
				published = excluded.published, date_note = excluded.date_note, address = excluded.address
			WHERE (sources.title, sources.publisher, sources.published, sources.date_note, sources.address) IS DISTINCT FROM
				(excluded.title, excluded.publisher, excluded.published, excluded.date_note, excluded.address)`,
			s.Code, s.Title, s.Publisher, nullDate(s.Published), s.DateNote, s.Address); err != nil {
			return fmt.Errorf("postgres: load source %s: %w", s.Code, err)
		}
	}
	for _, p := range c.Plans {
		if _, err := tx.Exec(ctx, `UPDATE plans SET incomplete_vi = $1, incomplete_en = $2
			WHERE id = $3 AND (incomplete_vi, incomplete_en) IS DISTINCT FROM ($1, $2)`,
			p.Incomplete, p.IncompleteEN, p.ID); err != nil {
			return fmt.Errorf("postgres: note what plan %s lacks: %w", p.ID, err)
		}
	}
	return nil
}

// Settings returns the progress thresholds in force: the stored ones, or
// the defaults.
func (db *DB) Settings(ctx context.Context) (indicators.Settings, error) {
	s := indicators.DefaultSettings()
	var body string
	err := db.pool.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'settings'`).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("postgres: read settings: %w", err)
	}
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		return s, fmt.Errorf("postgres: decode settings: %w", err)
	}
	return s, nil
}

// SaveSettings stores new thresholds, auditing the change.
func (db *DB) SaveSettings(ctx context.Context, s indicators.Settings) error {
	before, err := db.Settings(ctx)
	if err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *wtx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO meta (key, value) VALUES ('settings', $1)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, jsonOf(s)); err != nil {
			return fmt.Errorf("postgres: save settings: %w", err)
		}
		return tx.audit(ctx, indicators.AuditEvent{Action: "settings.update", Object: "settings",
			Before: jsonOf(before), After: jsonOf(s)})
	})
}
