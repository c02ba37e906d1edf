package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
)

// Classified classifies readings against the values in force, as the
// importer does.
func Classified(t *testing.T, ctx context.Context, db Store, rs ...indicators.Reading) []indicators.Change {
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

// CommitAll commits changes as one batch, in chunks of size, as the
// importer does; during calls, when set, runs while the batch is pending.
func CommitAll(ctx context.Context, db Store, b indicators.StagedBatch, file []byte, size int,
	changes []indicators.Change, during func(indicators.StagedBatch)) (indicators.StagedBatch, error) {
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
	if during != nil {
		during(b)
	}
	return db.FinishCommit(ctx, b)
}

func reading(year int, v float64, cell string) indicators.Reading {
	return indicators.Reading{Key: key("ECO-01", "CT-CU", year, indicators.OfficialValue), Value: v, Sheet: "Biểu 01", Cell: cell}
}

func fileSum(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func importCommit(t *testing.T, open Opener) {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan"})
	c := &Clock{T: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := withCatalog(t, open, c).Store
	if err := db.AddValues(ctx, []indicators.Value{{Key: key("ECO-01", "CT-CU", 2023, indicators.OfficialValue), Value: 5.75, Source: "S51"}}); err != nil {
		t.Fatal(err)
	}
	batch := indicators.StagedBatch{Batch: indicators.Batch{FileName: "b.xlsx", SHA256: fileSum([]byte("xlsx")), Size: 4}}
	changes := Classified(t, ctx, db, reading(2023, 5.8, "H11"), reading(2022, 12.64, "G11"), reading(2021, -2.79, "F11"))
	if changes[0].Kind != indicators.ChangedValue || changes[1].Kind != indicators.NewValue || changes[2].Kind != indicators.UnchangedValue {
		t.Errorf("kinds = %v, %v, %v; want changed, new, unchanged", changes[0].Kind, changes[1].Kind, changes[2].Kind)
	}

	// A commit withdrawn leaves no value, and its batch stays previewed.
	refused, err := db.BeginCommit(ctx, batch, bytes.NewReader([]byte("xlsx")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.BeginCommit(ctx, indicators.StagedBatch{Batch: indicators.Batch{ID: refused.ID}}, nil); indicators.ErrorCode(err) != indicators.ECONFLICT {
		t.Fatalf("a second commit of a pending batch err = %v, want conflict", err)
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
	if err := db.WriteCommit(ctx, refused, changes[:1]); indicators.ErrorCode(err) != indicators.ECONFLICT {
		t.Fatalf("writing to a withdrawn commit err = %v, want conflict", err)
	}

	c.T = c.T.Add(time.Hour)
	version, _ := db.DataVersion(ctx)
	b, err := CommitAll(ctx, db, batch, []byte("xlsx"), 1, changes, func(b indicators.StagedBatch) {
		// While pending, no reader sees the batch's values and the data
		// version stays: pages keep their caches.
		if n, _ := db.CountValues(ctx, indicators.ValueFilter{Batch: b.ID}); n != 0 {
			t.Errorf("%d values of a pending batch are visible", n)
		}
		if held, _ := db.HeldValues(ctx, "ECO-01", "CT-CU"); held[key("ECO-01", "CT-CU", 2023, indicators.OfficialValue)].Value != 5.75 {
			t.Errorf("a pending batch's value is in force: %+v", held)
		}
		if v, _ := db.DataVersion(ctx); v != version {
			t.Errorf("data version moved to %+v while the batch is pending, from %+v", v, version)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if b.ID == 0 || b.State != indicators.Committed || b.New != 1 || b.Changed != 1 {
		t.Fatalf("batch = %+v", b)
	}
	if v, _ := db.DataVersion(ctx); v.ID <= version.ID {
		t.Errorf("data version %+v did not move with the commit (was %+v)", v, version)
	}
	vs, err := db.Values(ctx, indicators.ValueFilter{Batch: b.ID})
	if err != nil || len(vs) != 2 {
		t.Fatalf("values of the batch = %v, %v", vs, err)
	}
	for _, v := range vs {
		if v.EnteredBy != "lan" || !v.EnteredAt.Equal(c.T) || v.File != "b.xlsx" || v.Sheet != "Biểu 01" {
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
	if sc, err := db.BatchScope(ctx, b.ID); err != nil || len(sc.Units) != 1 || sc.Units[0] != "CT-CU" || len(sc.Groups) != 1 {
		t.Errorf("BatchScope = %+v, %v", sc, err)
	}

	// A planner outside the batch's units may not undo it.
	other := indicators.WithActor(context.Background(), indicators.Actor{User: "hoa", Role: indicators.Planner, Units: []string{"CT"}})
	if _, err := db.RollbackBatch(other, b.ID); indicators.ErrorCode(err) != indicators.EFORBIDDEN {
		t.Fatalf("rollback outside the planner's units err = %v, want forbidden", err)
	}
	c.T = c.T.Add(time.Hour)
	r, err := db.RollbackBatch(ctx, b.ID)
	if err != nil || r.Retracted != 2 || r.Restored != 1 || r.Removed != 1 || r.Batch.State != indicators.RolledBack {
		t.Fatalf("rollback = %+v, %v", r, err)
	}
	if _, err := db.RollbackBatch(ctx, b.ID); indicators.ErrorCode(err) != indicators.ECONFLICT {
		t.Fatalf("a second rollback err = %v, want conflict", err)
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
	vs, _ = db.Values(ctx, indicators.ValueFilter{Indicator: "ECO-01", EnteredBy: c.T.Add(-time.Minute)})
	for _, v := range indicators.Current(vs, c.T.Add(-time.Minute)) {
		if v.Period.Year == 2023 && v.Value != 5.8 {
			t.Errorf("as of before the rollback 2023 = %v, want 5.8", v.Value)
		}
	}
	if got, _ := db.Batches(ctx, indicators.BatchFilter{State: indicators.RolledBack}); len(got) != 1 || got[0].RolledBackBy != "lan" {
		t.Errorf("rolled-back batches = %+v", got)
	}
	if broken, err := db.VerifyAudit(ctx); err != nil || broken != nil {
		t.Errorf("audit chain = %v, %v", broken, err)
	}
}

func stagedBatchFile(t *testing.T, open Opener) {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan"})
	c := &Clock{T: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := withCatalog(t, open, c).Store
	// A file of three chunks and a bit, kept and read back whole.
	body := bytes.Repeat([]byte("0123456789abcdef"), 3<<16+7)
	b := indicators.StagedBatch{Batch: indicators.Batch{FileName: "lon.xlsx", SHA256: fileSum(body), Size: int64(len(body)),
		Unit: "CT-CU", Locale: "vi"}, ProfileJSON: `{"name":"p"}`, Digest: "abc", Rows: 12}
	staged, err := db.StageBatch(ctx, b, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.StagedBatch(ctx, staged.ID)
	if err != nil || got.State != indicators.Previewed || got.ProfileJSON != `{"name":"p"}` || got.Digest != "abc" || got.Rows != 12 ||
		got.CreatedBy != "lan" || !got.CreatedAt.Equal(c.T) || !got.CommittedAt.IsZero() {
		t.Fatalf("StagedBatch = %+v, %v", got, err)
	}
	var out bytes.Buffer
	if _, err := db.BatchFile(ctx, staged.ID, &out); err != nil || !bytes.Equal(out.Bytes(), body) {
		t.Fatalf("kept file: %d bytes of %d, %v", out.Len(), len(body), err)
	}
	// The same file again is kept once; both batches name it.
	again, err := db.StageBatch(ctx, b, strings.NewReader("not read: the file is kept already"))
	if err != nil {
		t.Fatal(err)
	}
	of, err := db.BatchesOfFile(ctx, b.SHA256)
	if err != nil || len(of) != 2 || of[0].ID != again.ID || of[1].ID != staged.ID {
		t.Fatalf("BatchesOfFile = %+v, %v; want both, newest first", of, err)
	}
	// A file whose bytes do not match its hash is refused, nothing kept.
	bad := b
	bad.SHA256 = fileSum([]byte("other"))
	if _, err := db.StageBatch(ctx, bad, bytes.NewReader(body)); err == nil {
		t.Fatal("a file that does not match its hash was kept")
	}
	if of, _ := db.BatchesOfFile(ctx, bad.SHA256); len(of) != 0 {
		t.Fatalf("a refused file left batches %+v", of)
	}
	if _, err := db.Batch(ctx, 999); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Fatalf("Batch(999) err = %v, want not found", err)
	}
	if ev := lastEvent(t, db); ev.Action != "batch.preview" || ev.Batch != again.ID || ev.FileHash != b.SHA256 {
		t.Fatalf("preview event = %+v", ev)
	}
}

func largeBatch(t *testing.T, open Opener) {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan", Addr: "10.0.0.9"})
	c := &Clock{T: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := withCatalog(t, open, c).Store
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
	b, err := CommitAll(ctx, db, indicators.StagedBatch{Batch: indicators.Batch{FileName: "f.xlsx", SHA256: fileSum([]byte("f"))}},
		[]byte("f"), 128, Classified(t, ctx, db, rs...), nil)
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

func profiles(t *testing.T, open Opener) {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan"})
	c := &Clock{T: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := open(t, c.Now).Store
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
	if err != nil || got.JSON != p.JSON || got.UpdatedBy != "lan" || !got.UpdatedAt.Equal(c.T) {
		t.Fatalf("profile = %+v, %v", got, err)
	}
	evs, _ := db.AuditEvents(ctx, indicators.AuditFilter{Action: "profile"})
	if len(evs) != 2 || evs[1].Before != `{"name":"bieu-01"}` {
		t.Errorf("profile events = %+v, want two (saving the same again changes nothing)", evs)
	}
	if _, err := db.Profile(ctx, "none"); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Errorf("unknown profile err = %v", err)
	}
	if err := db.SaveProfile(ctx, indicators.ImportProfile{Name: "bieu-02", Shape: "long", JSON: `{"name":"bieu-02"}`}); err != nil {
		t.Fatal(err)
	}
	if err := db.RenameProfile(ctx, "bieu-01", "bieu-02"); indicators.ErrorCode(err) != indicators.ECONFLICT {
		t.Errorf("rename onto a taken name err = %v, want conflict", err)
	}
	if err := db.RenameProfile(ctx, "bieu-01", "bieu-03"); err != nil {
		t.Fatal(err)
	}
	if got, err := db.Profile(ctx, "bieu-03"); err != nil || !strings.Contains(got.JSON, `"name": "bieu-03"`) {
		t.Errorf("renamed profile = %+v, %v; want its JSON renamed too", got, err)
	}
	if err := db.DeleteProfile(ctx, "bieu-02"); err != nil {
		t.Fatal(err)
	}
	all, err := db.Profiles(ctx)
	if err != nil || len(all) != 1 || all[0].Name != "bieu-03" {
		t.Errorf("Profiles = %+v, %v; want bieu-03 alone", all, err)
	}
	if err := db.DeleteProfile(ctx, "bieu-02"); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Errorf("delete a deleted profile err = %v, want not found", err)
	}
}
