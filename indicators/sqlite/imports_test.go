package sqlite_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/sqlite"
)

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

func TestImportCommitWithdrawAndRollback(t *testing.T) {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan"})
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := open(t, filepath.Join(t.TempDir(), "i.db"), c)
	if _, err := db.LoadCatalog(ctx, smallCatalog()); err != nil {
		t.Fatal(err)
	}
	if err := db.AddValues(ctx, []indicators.Value{{Key: key("ECO-01", "CT-CU", 2023, indicators.OfficialValue), Value: 5.75, Source: "S51"}}); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("xlsx"))
	batch := indicators.StagedBatch{Batch: indicators.Batch{FileName: "b.xlsx", SHA256: hex.EncodeToString(sum[:]), Size: 4}}
	changes := classified(t, ctx, db, reading(2023, 5.8, "H11"), reading(2022, 12.64, "G11"))
	if changes[0].Kind != indicators.ChangedValue || changes[1].Kind != indicators.NewValue {
		t.Errorf("kinds = %v, %v, want changed, new", changes[0].Kind, changes[1].Kind)
	}

	// A commit withdrawn leaves no value, and its batch stays previewed.
	refused, err := db.BeginCommit(ctx, batch, bytes.NewReader([]byte("xlsx")))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.WriteCommit(ctx, refused, changes[:1]); err != nil {
		t.Fatal(err)
	}
	if err := db.AbortCommit(ctx, refused.ID, "rejected cells"); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.CountValues(ctx, indicators.ValueFilter{Batch: refused.ID}); n != 0 {
		t.Fatalf("a withdrawn commit left %d values", n)
	}
	if got, _ := db.Batch(ctx, refused.ID); got.State != indicators.Previewed {
		t.Fatalf("a withdrawn batch is %s, want previewed", got.State)
	}

	c.t = c.t.Add(time.Hour)
	b, err := commitAll(ctx, db, batch, []byte("xlsx"), 1, changes)
	if err != nil {
		t.Fatal(err)
	}
	if b.ID == 0 || b.State != indicators.Committed || b.New != 1 || b.Changed != 1 {
		t.Fatalf("batch = %+v", b)
	}
	vs, err := db.Values(ctx, indicators.ValueFilter{Batch: b.ID})
	if err != nil || len(vs) != 2 {
		t.Fatalf("values of the batch = %v, %v", vs, err)
	}
	for _, v := range vs {
		if v.EnteredBy != "lan" || !v.EnteredAt.Equal(c.t) || v.File != "b.xlsx" || v.Sheet != "Biểu 01" {
			t.Errorf("value %+v lost its provenance", v)
		}
	}
	evs, _ := db.AuditEvents(ctx, indicators.AuditFilter{Object: "2023/official"})
	last := evs[len(evs)-1]
	if last.Action != "value.add" || !strings.Contains(last.Before, `"value":5.75`) || last.Batch != b.ID || last.FileHash != batch.SHA256 {
		t.Errorf("audit of the changed value = %+v", last)
	}
	var file bytes.Buffer
	if _, err := db.BatchFile(ctx, b.ID, &file); err != nil || file.String() != "xlsx" {
		t.Errorf("kept file = %q, %v", file.String(), err)
	}

	c.t = c.t.Add(time.Hour)
	r, err := db.RollbackBatch(ctx, b.ID)
	if err != nil || r.Retracted != 2 || r.Restored != 1 || r.Removed != 1 {
		t.Fatalf("rollback = %+v, %v", r, err)
	}
	vs, _ = db.Values(ctx, indicators.ValueFilter{Indicator: "ECO-01"})
	for _, v := range vs {
		if !v.Superseded && v.Period.Year == 2023 && v.Value != 5.75 {
			t.Errorf("after the rollback 2023 = %v, want 5.75 back", v.Value)
		}
		if !v.Superseded && v.Period.Year == 2022 {
			t.Errorf("after the rollback 2022 still has %v", v.Value)
		}
	}
	// As of before the rollback, the batch's values were in force.
	vs, _ = db.Values(ctx, indicators.ValueFilter{Indicator: "ECO-01", EnteredBy: c.t.Add(-time.Minute)})
	for _, v := range indicators.Current(vs, c.t.Add(-time.Minute)) {
		if v.Period.Year == 2023 && v.Value != 5.8 {
			t.Errorf("as of before the rollback 2023 = %v, want 5.8", v.Value)
		}
	}
	if broken, err := db.VerifyAudit(ctx); err != nil || broken != nil {
		t.Errorf("audit chain = %v, %v", broken, err)
	}
}

func TestProfilesAreSavedAndAudited(t *testing.T) {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan"})
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := open(t, filepath.Join(t.TempDir(), "p.db"), c)
	p := indicators.ImportProfile{Name: "bieu-01", Shape: "wide", JSON: `{"name":"bieu-01"}`}
	for i := 0; i < 2; i++ {
		if err := db.SaveProfile(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	p.JSON = `{"name":"bieu-01","unit":"CT-CU"}`
	if err := db.SaveProfile(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := db.Profile(ctx, "bieu-01")
	if err != nil || got.JSON != p.JSON || got.UpdatedBy != "lan" {
		t.Fatalf("profile = %+v, %v", got, err)
	}
	evs, _ := db.AuditEvents(ctx, indicators.AuditFilter{Action: "profile"})
	if len(evs) != 2 || evs[1].Before != `{"name":"bieu-01"}` {
		t.Errorf("profile events = %+v, want two (saving the same again changes nothing)", evs)
	}
	if _, err := db.Profile(ctx, "none"); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Errorf("unknown profile err = %v", err)
	}
}

// A batch larger than one multi-row insert keeps every column of every
// value and event, and the chain holds.
func TestALargeBatchKeepsEveryColumn(t *testing.T) {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan", Addr: "10.0.0.9"})
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := open(t, filepath.Join(t.TempDir(), "l.db"), c)
	if _, err := db.LoadCatalog(ctx, smallCatalog()); err != nil {
		t.Fatal(err)
	}
	var rs []indicators.Reading
	for i := 0; i < 300; i++ {
		p := indicators.Period{Year: 2000 + i/12, Kind: indicators.Month, N: i%12 + 1}
		r := indicators.Reading{Key: indicators.Key{Indicator: "ECO-01", Unit: "CT-CU", Period: p, Type: indicators.OfficialValue},
			Value: float64(i) / 4, Sheet: "Số liệu", Cell: "E" + strings.Repeat("1", 1+i%3)}
		if i%7 == 0 {
			r.Note = "sơ bộ"
		}
		rs = append(rs, r)
	}
	sum := sha256.Sum256([]byte("f"))
	b, err := commitAll(ctx, db, indicators.StagedBatch{Batch: indicators.Batch{FileName: "f.xlsx", SHA256: hex.EncodeToString(sum[:])}},
		[]byte("f"), 128, classified(t, ctx, db, rs...))
	if err != nil || b.New != 300 {
		t.Fatalf("import = %+v, %v", b, err)
	}
	vs, err := db.Values(ctx, indicators.ValueFilter{Batch: b.ID})
	if err != nil || len(vs) != 300 {
		t.Fatalf("%d values, %v", len(vs), err)
	}
	byPeriod := map[string]indicators.Value{}
	for _, v := range vs {
		byPeriod[v.Period.String()] = v
	}
	for i, r := range rs {
		v := byPeriod[r.Period.String()]
		if v.Value != r.Value || v.Note != r.Note || v.Cell != r.Cell || v.Sheet != "Số liệu" || v.EnteredBy != "lan" || v.Batch != b.ID {
			t.Fatalf("reading %d %+v stored as %+v", i, r, v)
		}
	}
	evs, _ := db.AuditEvents(ctx, indicators.AuditFilter{Action: "value.add"})
	if len(evs) != 300 {
		t.Fatalf("%d value events, want 300", len(evs))
	}
	for _, ev := range evs {
		if ev.User != "lan" || ev.Addr != "10.0.0.9" || ev.Batch != b.ID || ev.FileHash != b.SHA256 || !strings.HasPrefix(ev.Object, "value:") {
			t.Fatalf("event %+v", ev)
		}
	}
	if broken, err := db.VerifyAudit(ctx); err != nil || broken != nil {
		t.Errorf("audit chain = %v, %v", broken, err)
	}
}
