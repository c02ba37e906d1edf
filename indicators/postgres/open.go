package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"

	"chitieu/indicators"

	"github.com/jackc/pgx/v5"
)

// What opens chitieu to others: the files kept between an upload's preview
// and its commit, the record of exports, indicators' metadata sheets and
// the plans open to the public view.

var (
	_ indicators.UploadKeeper  = (*DB)(nil)
	_ indicators.ExportLog     = (*DB)(nil)
	_ indicators.MetadataStore = (*DB)(nil)
	_ indicators.PublicStore   = (*DB)(nil)
)

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// KeepUpload stores the file r under its SHA-256 sum, unless it is kept
// already, and appends ev to the audit trail in the same transaction.
func (db *DB) KeepUpload(ctx context.Context, sum string, r io.Reader, ev indicators.AuditEvent) error {
	if !sha256Hex.MatchString(sum) {
		return fmt.Errorf("postgres: keep upload: %q is not a SHA-256", sum)
	}
	return db.writeTx(ctx, func(tx *wtx) error {
		if err := saveFile(ctx, tx, sum, r, db.now()); err != nil {
			return err
		}
		ev.FileHash = sum
		return tx.audit(ctx, ev)
	})
}

// Upload writes the kept file with SHA-256 sum to w, a chunk at a time.
func (db *DB) Upload(ctx context.Context, sum string, w io.Writer) error {
	if !sha256Hex.MatchString(sum) {
		return notFound("file", sum)
	}
	return db.writeFile(ctx, sum, w)
}

// writeFile writes the kept file sum to w from one snapshot, a chunk at a
// time, so that a large file never sits in memory whole.
func (db *DB) writeFile(ctx context.Context, sum string, w io.Writer) error {
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("postgres: begin reading file: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var chunks int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM file_chunks WHERE sha256 = $1`, sum).Scan(&chunks); err != nil {
		return fmt.Errorf("postgres: file %s: %w", sum, err)
	}
	if chunks == 0 {
		return notFound("file", sum)
	}
	for seq := 0; seq < chunks; seq++ {
		var data []byte
		if err := tx.QueryRow(ctx, `SELECT data FROM file_chunks WHERE sha256 = $1 AND seq = $2`, sum, seq).Scan(&data); err != nil {
			return fmt.Errorf("postgres: chunk %d of file %s: %w", seq, sum, err)
		}
		if _, err := w.Write(data); err != nil {
			return fmt.Errorf("postgres: write file %s: %w", sum, err)
		}
	}
	return nil
}

// RecordExport appends a "report.export" event for a report handed to the
// actor of ctx: its kind and parameters, file name, content hash and size.
func (db *DB) RecordExport(ctx context.Context, e indicators.Export) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *wtx) error {
		return tx.audit(ctx, indicators.AuditEvent{Action: "report.export", Object: "report:" + e.Kind, After: jsonOf(e)})
	})
}

// PublicPlans returns the plans open to the public view.
func (db *DB) PublicPlans(ctx context.Context) (map[string]bool, error) {
	rows, err := db.pool.Query(ctx, `SELECT plan FROM public_plans`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list public plans: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: list public plans: %w", err)
	}
	out := map[string]bool{}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// SetPlanPublic opens or closes a plan's public view; a switch to the state
// it is already in writes nothing.
func (db *DB) SetPlanPublic(ctx context.Context, plan string, open bool) error {
	return db.writeTx(ctx, func(tx *wtx) error {
		var known bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM plans WHERE id = $1)`, plan).Scan(&known); err != nil {
			return fmt.Errorf("postgres: find plan %s: %w", plan, err)
		}
		if !known {
			return notFound("plan", plan)
		}
		var q string
		args := []any{plan}
		if open {
			q = `INSERT INTO public_plans (plan, opened_at, opened_by) VALUES ($1, $2, $3) ON CONFLICT (plan) DO NOTHING`
			args = append(args, db.now(), indicators.ActorFrom(ctx).User)
		} else {
			q = `DELETE FROM public_plans WHERE plan = $1`
		}
		tag, err := tx.Exec(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("postgres: set public view of plan %s: %w", plan, err)
		}
		if tag.RowsAffected() == 0 {
			return nil
		}
		return tx.audit(ctx, indicators.AuditEvent{Action: "plan.public", Object: "plan:" + plan,
			Before: jsonOf(map[string]any{"public": !open}), After: jsonOf(map[string]any{"public": open})})
	})
}

// PublicOptions are the options of a plan's public view; those of a plan
// not open are the defaults (no estimates, no indexing).
func (db *DB) PublicOptions(ctx context.Context, plan string) (indicators.PublicOptions, error) {
	var o indicators.PublicOptions
	err := db.pool.QueryRow(ctx, `SELECT estimates, indexing FROM public_plans WHERE plan = $1`, plan).Scan(&o.Estimates, &o.Indexing)
	if errors.Is(err, pgx.ErrNoRows) {
		return o, nil
	}
	if err != nil {
		return o, fmt.Errorf("postgres: public options of plan %s: %w", plan, err)
	}
	return o, nil
}

// SetPublicOptions sets the options of an open plan's public view; a
// change of nothing writes nothing.
func (db *DB) SetPublicOptions(ctx context.Context, plan string, o indicators.PublicOptions) error {
	return db.writeTx(ctx, func(tx *wtx) error {
		var old indicators.PublicOptions
		err := tx.QueryRow(ctx, `SELECT estimates, indexing FROM public_plans WHERE plan = $1 FOR UPDATE`, plan).
			Scan(&old.Estimates, &old.Indexing)
		if errors.Is(err, pgx.ErrNoRows) {
			return indicators.FieldError(indicators.ECONFLICT, "plan",
				fmt.Sprintf("kế hoạch %s chưa được công khai; hãy mở trang công khai trước", plan),
				fmt.Sprintf("plan %s is not open to the public; open its public view first", plan))
		}
		if err != nil {
			return fmt.Errorf("postgres: public options of plan %s: %w", plan, err)
		}
		if old == o {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE public_plans SET estimates = $1, indexing = $2 WHERE plan = $3`,
			o.Estimates, o.Indexing, plan); err != nil {
			return fmt.Errorf("postgres: set public options of plan %s: %w", plan, err)
		}
		return tx.audit(ctx, indicators.AuditEvent{Action: "plan.public_options", Object: "plan:" + plan,
			Before: jsonOf(map[string]any{"estimates": old.Estimates, "indexing": old.Indexing}),
			After:  jsonOf(map[string]any{"estimates": o.Estimates, "indexing": o.Indexing})})
	})
}

func metadataIn(ctx context.Context, q querier, code string) (indicators.IndicatorMetadata, error) {
	m := indicators.IndicatorMetadata{Indicator: code}
	var known bool
	if err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM indicators WHERE code = $1)`, code).Scan(&known); err != nil {
		return m, fmt.Errorf("postgres: find indicator %s: %w", code, err)
	}
	if !known {
		return m, notFound("indicator", code)
	}
	var at time.Time
	err := q.QueryRow(ctx, `SELECT definition, method, unit, source, frequency, disaggregation, comparability,
		updated_at, updated_by FROM indicator_metadata WHERE indicator = $1`, code).Scan(&m.Definition, &m.Method, &m.Unit,
		&m.Source, &m.Frequency, &m.Disaggregation, &m.Comparability, &at, &m.UpdatedBy)
	if errors.Is(err, pgx.ErrNoRows) {
		return m, nil
	}
	if err != nil {
		return m, fmt.Errorf("postgres: metadata of %s: %w", code, err)
	}
	m.UpdatedAt = at.UTC()
	return m, nil
}

// IndicatorMetadata returns an indicator's metadata sheet: empty (with the
// code) when none is written.
func (db *DB) IndicatorMetadata(ctx context.Context, code string) (indicators.IndicatorMetadata, error) {
	return metadataIn(ctx, db.pool, code)
}

// metadataAudit is the sheet as the audit trail keeps it: its fields.
func metadataAudit(m *indicators.IndicatorMetadata) map[string]any {
	out := map[string]any{}
	for _, f := range indicators.MetadataFields {
		out[f.Key] = f.Text(m)
	}
	return out
}

// SetIndicatorMetadata replaces an indicator's sheet. A sheet that changes
// nothing writes nothing.
func (db *DB) SetIndicatorMetadata(ctx context.Context, m indicators.IndicatorMetadata) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *wtx) error {
		old, err := metadataIn(ctx, tx, m.Indicator)
		if err != nil {
			return err
		}
		before, after := metadataAudit(&old), metadataAudit(&m)
		if jsonOf(before) == jsonOf(after) {
			return nil
		}
		m.UpdatedAt, m.UpdatedBy = db.now(), indicators.ActorFrom(ctx).User
		if _, err := tx.Exec(ctx, `INSERT INTO indicator_metadata (indicator, definition, method, unit, source,
			frequency, disaggregation, comparability, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (indicator) DO UPDATE SET definition = excluded.definition, method = excluded.method,
			unit = excluded.unit, source = excluded.source, frequency = excluded.frequency,
			disaggregation = excluded.disaggregation, comparability = excluded.comparability,
			updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			m.Indicator, m.Definition, m.Method, m.Unit, m.Source, m.Frequency, m.Disaggregation, m.Comparability,
			m.UpdatedAt, m.UpdatedBy); err != nil {
			return fmt.Errorf("postgres: store metadata of %s: %w", m.Indicator, err)
		}
		ev := indicators.AuditEvent{Action: "indicator.metadata", Object: "indicator:" + m.Indicator, After: jsonOf(after)}
		if !old.Empty() {
			ev.Before = jsonOf(before)
		}
		return tx.audit(ctx, ev)
	})
}
