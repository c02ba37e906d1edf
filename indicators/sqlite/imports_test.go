package sqlite_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
)

// feed sends readings over a channel, as the importer does.
func feed(rs ...indicators.Reading) <-chan []indicators.Reading {
	ch := make(chan []indicators.Reading, 1)
	ch <- rs
	close(ch)
	return ch
}

func reading(year int, v float64, cell string) indicators.Reading {
	return indicators.Reading{Key: key("ECO-01", "CT-CU", year, indicators.OfficialValue), Value: v, Sheet: "Biểu 01", Cell: cell}
}

func TestApplyImportPreviewCommitAndRollback(t *testing.T) {
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
	var kinds []indicators.ChangeKind
	req := &indicators.ImportRequest{Batch: batch, DryRun: true,
		Readings: feed(reading(2023, 5.8, "H11"), reading(2022, 12.64, "G11")),
		OnChange: func(ch indicators.Change) { kinds = append(kinds, ch.Kind) }}
	if _, err := db.ApplyImport(ctx, req); err != nil {
		t.Fatal(err)
	}
	if len(kinds) != 2 || kinds[0] != indicators.ChangedValue || kinds[1] != indicators.NewValue {
		t.Errorf("dry run kinds = %v, want changed, new", kinds)
	}
	if bs, _ := db.Batches(ctx, indicators.BatchFilter{}); len(bs) != 0 {
		t.Fatalf("a dry run stored %d batches", len(bs))
	}

	// Finish refusing undoes everything.
	refused := errors.New("rejected cells")
	req = &indicators.ImportRequest{Batch: batch, Readings: feed(reading(2023, 5.8, "H11")),
		Finish: func(indicators.ImportCounts) error { return refused }}
	if _, err := db.ApplyImport(ctx, req); !errors.Is(err, refused) {
		t.Fatalf("err = %v, want the refusal", err)
	}
	if bs, _ := db.Batches(ctx, indicators.BatchFilter{}); len(bs) != 0 {
		t.Fatalf("a refused import stored %d batches", len(bs))
	}

	c.t = c.t.Add(time.Hour)
	req = &indicators.ImportRequest{Batch: batch, File: bytes.NewReader([]byte("xlsx")),
		Readings: feed(reading(2023, 5.8, "H11"), reading(2022, 12.64, "G11"))}
	b, err := db.ApplyImport(ctx, req)
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
	b, err := db.ApplyImport(ctx, &indicators.ImportRequest{Readings: feed(rs...), File: bytes.NewReader([]byte("f")),
		Batch: indicators.StagedBatch{Batch: indicators.Batch{FileName: "f.xlsx", SHA256: hex.EncodeToString(sum[:])}}})
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
