package sqlite_test

// Helpers of the store's own tests. The behaviours every store shares are
// tested once, in indicators/storetest (TestSQLite runs them on this
// store); the tests here are those only SQLite has: files, backups,
// migrations, pending commits cut off by a kill, a full disk.

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/sqlite"
)

func planningDB(t *testing.T) (*sqlite.DB, *clock, context.Context) {
	t.Helper()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "quantri", Role: indicators.Admin})
	c := &clock{t: time.Date(2026, 1, 5, 2, 0, 0, 0, time.UTC)}
	db := open(t, filepath.Join(t.TempDir(), "p.db"), c)
	if _, err := db.LoadCatalog(ctx, smallCatalog()); err != nil {
		t.Fatal(err)
	}
	return db, c, ctx
}

// events returns the audit events after id, by action.
func events(t *testing.T, db *sqlite.DB, after int64) map[string][]indicators.AuditEvent {
	t.Helper()
	all, err := db.AuditEvents(context.Background(), indicators.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]indicators.AuditEvent{}
	for _, ev := range all {
		if ev.ID > after {
			out[ev.Action] = append(out[ev.Action], ev)
		}
	}
	return out
}

func lastEventID(t *testing.T, db *sqlite.DB) int64 {
	t.Helper()
	all, err := db.AuditEvents(context.Background(), indicators.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		return 0
	}
	return all[len(all)-1].ID
}

// classified classifies readings against the values in force, as the
// importer does.
func classified(t *testing.T, ctx context.Context, db *sqlite.DB, rs ...indicators.Reading) []indicators.Change {
	t.Helper()
	var out []indicators.Change
	pairs := map[[2]string]map[indicators.Key]indicators.HeldValue{}
	for _, r := range rs {
		held, ok := pairs[[2]string{r.Indicator, r.Unit}]
		if !ok {
			var err error
			if held, err = db.HeldValues(ctx, r.Indicator, r.Unit); err != nil {
				t.Fatal(err)
			}
			pairs[[2]string{r.Indicator, r.Unit}] = held
		}
		c := indicators.Change{Kind: indicators.NewValue, Reading: r}
		if h, ok := held[r.Key]; ok {
			c.Kind, c.OldID, c.Old, c.OldHigh = indicators.ChangedValue, h.ID, h.Value, h.High
			if h.Value == r.Value {
				c.Kind = indicators.UnchangedValue
			}
		}
		out = append(out, c)
	}
	return out
}

// commitAll commits changes as one batch, in chunks of size, as the
// importer does.
func commitAll(ctx context.Context, db *sqlite.DB, b indicators.StagedBatch, file []byte, size int,
	changes []indicators.Change) (indicators.StagedBatch, error) {
	var f io.Reader
	if file != nil {
		f = bytes.NewReader(file)
	}
	b, err := db.BeginCommit(ctx, b, f)
	if err != nil {
		return b, err
	}
	for len(changes) > 0 {
		n := min(size, len(changes))
		for _, c := range changes[:n] {
			switch c.Kind {
			case indicators.NewValue:
				b.New++
			case indicators.ChangedValue:
				b.Changed++
			}
		}
		if err := db.WriteCommit(ctx, b, changes[:n]); err != nil {
			return b, errors.Join(err, db.AbortCommit(ctx, b.ID, err.Error()))
		}
		changes = changes[n:]
	}
	return db.FinishCommit(ctx, b)
}

func reading(year int, v float64, cell string) indicators.Reading {
	return indicators.Reading{Key: key("ECO-01", "CT-CU", year, indicators.OfficialValue), Value: v, Sheet: "Biểu 01", Cell: cell}
}

func openWithCatalog(t *testing.T, c *clock) *sqlite.DB {
	t.Helper()
	db := open(t, filepath.Join(t.TempDir(), "u.db"), c)
	if _, err := db.LoadCatalog(context.Background(), smallCatalog()); err != nil {
		t.Fatal(err)
	}
	return db
}

func lastEvent(t *testing.T, db *sqlite.DB) indicators.AuditEvent {
	t.Helper()
	evs, err := db.AuditEvents(context.Background(), indicators.AuditFilter{Newest: true, Limit: 1})
	if err != nil || len(evs) != 1 {
		t.Fatalf("last audit event: %v, %v", evs, err)
	}
	return evs[0]
}
