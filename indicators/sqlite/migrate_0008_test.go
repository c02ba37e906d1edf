package sqlite

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"chitieu/indicators"
)

// Migration 0008 rebuilds the targets table to add the unit to a target's
// identity: a database with targets and their revisions keeps every one of
// them, attached to its target, with foreign keys checked; the new columns
// read as "no base year, the setting's tolerance, the whole territory".
func TestMigration0008KeepsTargetsAndRevisions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	raw.SetMaxOpenConns(1)
	db := &DB{path: path, write: raw, log: slog.New(slog.NewTextHandler(io.Discard, nil)), now: time.Now}
	var before []migration
	for _, m := range ms {
		if m.version < 8 {
			before = append(before, m)
		}
	}
	if err := db.migrateTo(ctx, before); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO plans (id, code, title_vi) VALUES ('p', 'P', 'Kế hoạch')`,
		`INSERT INTO indicators (code, name_vi, unit, direction, measure, rollup) VALUES ('ECO-01', 'GRDP', '%', 'up', 'growth', 'none')`,
		`INSERT INTO task_groups (plan, number, name_vi) VALUES ('p', 0, 'Chung')`,
		`INSERT INTO targets (id, plan, indicator, period_from, period_to, scope) VALUES (7, 'p', 'ECO-01', 2021, 2025, 'old_city')`,
		`INSERT INTO target_revisions (target, seq, kind, op, a, b, text, entered_by, entered_at)
			VALUES (7, 0, 'avg_growth', 'range', 7.5, 8, '7,5–8%/năm', 'x', '2026-01-01T00:00:00.000000000Z'),
			       (7, 1, 'avg_growth', '>=', 7, 0, '7%/năm', 'x', '2026-02-01T00:00:00.000000000Z')`,
	} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()

	st, err := Open(ctx, path, WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		t.Fatalf("migrate to 0008: %v", err)
	}
	defer st.Close()
	got, err := st.Target(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Revisions) != 2 || got.Unit != "" || got.Seq != 1 || got.Bound.A != 7 || got.BaseYear != 0 || got.Tolerance != 0 {
		t.Errorf("after 0008: %+v", got)
	}
	var violations int
	rows, err := st.write.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		violations++
	}
	rows.Close()
	if violations != 0 {
		t.Errorf("%d foreign key violations after 0008", violations)
	}
	// A unit's share now sits beside the city's target of the same key.
	share := got
	share.ID, share.Unit, share.Revisions = 0, "CT", nil
	share.Kind, share.Bound, share.BaseYear, share.Tolerance = indicators.RelativeTarget,
		indicators.Bound{Op: indicators.OpAbout, A: 1.5}, 2020, 0.1
	if _, err := st.write.ExecContext(ctx, `INSERT INTO units (code, name_vi, kind) VALUES ('CT', 'Xã A', 'commune')`); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateTarget(indicators.WithActor(ctx, indicators.Actor{User: "admin"}), &share); err != nil {
		t.Fatalf("unit share beside the city target: %v", err)
	}
	unit := "CT"
	ts, err := st.Targets(ctx, indicators.TargetFilter{Plan: "p", Unit: &unit})
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 1 || ts[0].Unit != "CT" || ts[0].BaseYear != 2020 || ts[0].Tolerance != 0.1 || ts[0].Kind != indicators.RelativeTarget {
		t.Errorf("stored share = %+v; want unit CT, relative, base 2020, tolerance 0.1", ts)
	}
}
