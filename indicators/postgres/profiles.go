package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"chitieu/indicators"

	"github.com/jackc/pgx/v5"
)

// SaveProfile stores a mapping profile under its name, replacing one of the
// same name, with the change in the audit trail.
func (db *DB) SaveProfile(ctx context.Context, p indicators.ImportProfile) error {
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" {
		return indicators.FieldError(indicators.EINVALID, "name", "hồ sơ ánh xạ cần có tên", "a mapping profile needs a name")
	}
	if err := indicators.CheckName("name", "tên hồ sơ ánh xạ", "the mapping profile's name", p.Name); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *wtx) error {
		var before string
		err := tx.QueryRow(ctx, `SELECT body FROM import_profiles WHERE name = $1`, p.Name).Scan(&before)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("postgres: read profile %s: %w", p.Name, err)
		}
		if before == p.JSON {
			return nil
		}
		if _, err := tx.Exec(ctx, `INSERT INTO import_profiles (name, shape, body, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO UPDATE SET shape = excluded.shape, body = excluded.body,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			p.Name, p.Shape, p.JSON, indicators.ActorFrom(ctx).User, db.now()); err != nil {
			return fmt.Errorf("postgres: save profile %s: %w", p.Name, err)
		}
		return tx.audit(ctx, indicators.AuditEvent{Action: "profile.save", Object: "profile:" + p.Name,
			Before: before, After: p.JSON})
	})
}

// Profiles returns every stored mapping profile, by name.
func (db *DB) Profiles(ctx context.Context) ([]indicators.ImportProfile, error) {
	rows, err := db.pool.Query(ctx, `SELECT name, shape, body, updated_by, updated_at FROM import_profiles ORDER BY name COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list profiles: %w", err)
	}
	defer rows.Close()
	var out []indicators.ImportProfile
	for rows.Next() {
		var p indicators.ImportProfile
		var at time.Time
		if err := rows.Scan(&p.Name, &p.Shape, &p.JSON, &p.UpdatedBy, &at); err != nil {
			return nil, fmt.Errorf("postgres: scan profile: %w", err)
		}
		p.UpdatedAt = at.UTC()
		out = append(out, p)
	}
	return out, rows.Err()
}

// Profile returns one stored mapping profile.
func (db *DB) Profile(ctx context.Context, name string) (indicators.ImportProfile, error) {
	var p indicators.ImportProfile
	var at time.Time
	err := db.pool.QueryRow(ctx, `SELECT name, shape, body, updated_by, updated_at FROM import_profiles WHERE name = $1`,
		strings.TrimSpace(name)).Scan(&p.Name, &p.Shape, &p.JSON, &p.UpdatedBy, &at)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, notFound("profile", name)
	}
	if err != nil {
		return p, fmt.Errorf("postgres: find profile %s: %w", name, err)
	}
	p.UpdatedAt = at.UTC()
	return p, nil
}

// RenameProfile gives a stored mapping profile a new name, in its row and
// in its JSON, with the change in the audit trail. Batches keep the
// profile they were read with, under its name then.
func (db *DB) RenameProfile(ctx context.Context, from, to string) error {
	from, to = strings.TrimSpace(from), strings.TrimSpace(to)
	if to == "" {
		return indicators.FieldError(indicators.EINVALID, "name", "hồ sơ ánh xạ cần có tên", "a mapping profile needs a name")
	}
	if from == to {
		return nil
	}
	return db.writeTx(ctx, func(tx *wtx) error {
		var body string
		err := tx.QueryRow(ctx, `SELECT body FROM import_profiles WHERE name = $1`, from).Scan(&body)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("profile", from)
		}
		if err != nil {
			return fmt.Errorf("postgres: read profile %s: %w", from, err)
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM import_profiles WHERE name = $1`, to).Scan(&n); err != nil {
			return fmt.Errorf("postgres: find profile %s: %w", to, err)
		}
		if n > 0 {
			return indicators.FieldError(indicators.ECONFLICT, "name", fmt.Sprintf("đã có hồ sơ ánh xạ tên “%s”", to), fmt.Sprintf("a mapping profile named “%s” exists", to))
		}
		doc := map[string]any{}
		if err := json.Unmarshal([]byte(body), &doc); err != nil {
			return fmt.Errorf("postgres: profile %s: %w", from, err)
		}
		doc["name"] = to
		renamed, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			return fmt.Errorf("postgres: profile %s: %w", from, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE import_profiles SET name = $1, body = $2, updated_by = $3, updated_at = $4 WHERE name = $5`,
			to, string(renamed), indicators.ActorFrom(ctx).User, db.now(), from); err != nil {
			return fmt.Errorf("postgres: rename profile %s: %w", from, err)
		}
		return tx.audit(ctx, indicators.AuditEvent{Action: "profile.rename", Object: "profile:" + to,
			Before: jsonOf(map[string]any{"name": from}), After: jsonOf(map[string]any{"name": to})})
	})
}

// DeleteProfile removes a stored mapping profile; its JSON stays in the
// audit trail and in the batches read with it.
func (db *DB) DeleteProfile(ctx context.Context, name string) error {
	name = strings.TrimSpace(name)
	return db.writeTx(ctx, func(tx *wtx) error {
		var body string
		err := tx.QueryRow(ctx, `SELECT body FROM import_profiles WHERE name = $1`, name).Scan(&body)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("profile", name)
		}
		if err != nil {
			return fmt.Errorf("postgres: read profile %s: %w", name, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM import_profiles WHERE name = $1`, name); err != nil {
			return fmt.Errorf("postgres: delete profile %s: %w", name, err)
		}
		return tx.audit(ctx, indicators.AuditEvent{Action: "profile.delete", Object: "profile:" + name, Before: body})
	})
}
