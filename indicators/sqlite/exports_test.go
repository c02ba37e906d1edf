package sqlite_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"chitieu/indicators"
)

// An export is one audited event naming the actor, with the parameters,
// file, content hash and size; a record that names no known kind or no
// file is refused and writes nothing; the hash chain holds.
func TestRecordExportIsAudited(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Date(2026, 3, 2, 4, 5, 6, 0, time.UTC)}
	db := openWithCatalog(t, c)
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "kiemtoan", Addr: "10.0.0.7", Role: indicators.Auditor})
	before, err := db.AuditHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e := indicators.Export{Kind: indicators.ExportData, Params: map[string]string{"asof": "2025-12-31", "indicator": "ECO-01"},
		File: "so-lieu_ECO-01_2025-12-31.csv", Format: "csv", Hash: "ab12", Size: 1234}
	if err := db.RecordExport(ctx, e); err != nil {
		t.Fatal(err)
	}
	ev := lastEvent(t, db)
	if ev.Action != "report.export" || ev.Object != "report:data" || ev.User != "kiemtoan" || ev.Addr != "10.0.0.7" ||
		!ev.At.Equal(c.t) {
		t.Errorf("event = %+v", ev)
	}
	var got indicators.Export
	if err := json.Unmarshal([]byte(ev.After), &got); err != nil {
		t.Fatalf("after %q: %v", ev.After, err)
	}
	if got.Kind != e.Kind || got.File != e.File || got.Format != e.Format || got.Hash != e.Hash || got.Size != e.Size ||
		got.Params["asof"] != "2025-12-31" || got.Params["indicator"] != "ECO-01" || len(got.Params) != 2 {
		t.Errorf("recorded %+v, want %+v", got, e)
	}
	for _, bad := range []indicators.Export{{Kind: "secret", File: "x.xlsx"}, {Kind: indicators.ExportAudit}} {
		err := db.RecordExport(ctx, bad)
		if indicators.ErrorCode(err) != indicators.EINVALID {
			t.Errorf("RecordExport(%+v) = %v, want invalid", bad, err)
		}
	}
	after, err := db.AuditHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Events != before.Events+1 {
		t.Errorf("audit events %d → %d, want one more", before.Events, after.Events)
	}
	if broken, err := db.VerifyAudit(ctx); err != nil || broken != nil {
		t.Errorf("chain after an export: %v, %v", broken, err)
	}
}
