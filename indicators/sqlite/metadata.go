package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"chitieu/indicators"
)

var _ indicators.MetadataStore = (*DB)(nil)

const metadataQuery = `SELECT definition, method, unit, source, frequency, disaggregation, comparability,
	updated_at, updated_by FROM indicator_metadata WHERE indicator = ?`

func (db *DB) metadataIn(ctx context.Context, q querier, code string) (indicators.IndicatorMetadata, error) {
	m := indicators.IndicatorMetadata{Indicator: code}
	var known int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM indicators WHERE code = ?`, code).Scan(&known); err != nil {
		return m, fmt.Errorf("sqlite: find indicator %s: %w", code, err)
	}
	if known == 0 {
		return m, notFound("indicator", code)
	}
	var at string
	err := q.QueryRowContext(ctx, metadataQuery, code).Scan(&m.Definition, &m.Method, &m.Unit, &m.Source, &m.Frequency,
		&m.Disaggregation, &m.Comparability, &at, &m.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return m, nil
	}
	if err != nil {
		return m, fmt.Errorf("sqlite: metadata of %s: %w", code, err)
	}
	m.UpdatedAt = parseTime(at)
	return m, nil
}

// IndicatorMetadata returns an indicator's metadata sheet.
func (db *DB) IndicatorMetadata(ctx context.Context, code string) (indicators.IndicatorMetadata, error) {
	return db.metadataIn(ctx, db.read, code)
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
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		ev, err := db.setMetadata(ctx, tx, m)
		if err != nil || ev.Action == "" {
			return err
		}
		return db.audit(ctx, tx, ev)
	})
}

// setMetadata stores a sheet within tx and returns the audit event to
// write, none (no Action) when the sheet changes nothing. The plan
// workbook's import applies metadata rows through it.
func (db *DB) setMetadata(ctx context.Context, tx *sql.Tx, m indicators.IndicatorMetadata) (indicators.AuditEvent, error) {
	if err := m.Validate(); err != nil {
		return indicators.AuditEvent{}, err
	}
	old, err := db.metadataIn(ctx, tx, m.Indicator)
	if err != nil {
		return indicators.AuditEvent{}, err
	}
	before, after := metadataAudit(&old), metadataAudit(&m)
	if jsonOf(before) == jsonOf(after) {
		return indicators.AuditEvent{}, nil
	}
	m.UpdatedAt, m.UpdatedBy = db.now().UTC(), indicators.ActorFrom(ctx).User
	if _, err := tx.ExecContext(ctx, `INSERT INTO indicator_metadata (indicator, definition, method, unit, source,
		frequency, disaggregation, comparability, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (indicator) DO UPDATE SET definition = excluded.definition, method = excluded.method,
		unit = excluded.unit, source = excluded.source, frequency = excluded.frequency,
		disaggregation = excluded.disaggregation, comparability = excluded.comparability,
		updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		m.Indicator, m.Definition, m.Method, m.Unit, m.Source, m.Frequency, m.Disaggregation, m.Comparability,
		fmtTime(m.UpdatedAt), m.UpdatedBy); err != nil {
		return indicators.AuditEvent{}, fmt.Errorf("sqlite: store metadata of %s: %w", m.Indicator, err)
	}
	ev := indicators.AuditEvent{Action: "indicator.metadata", Object: "indicator:" + m.Indicator, After: jsonOf(after)}
	if !old.Empty() {
		ev.Before = jsonOf(before)
	}
	return ev, nil
}
