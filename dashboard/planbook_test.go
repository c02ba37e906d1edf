package dashboard_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"chitieu/importers"
	"chitieu/indicators"
	"chitieu/indicators/catalog"
	"chitieu/indicators/sqlite"
	"chitieu/reports"
)

// A plan workbook that adds a target and revises another is committed,
// and the API judges each target against the revision in force at the
// as-of date: the original before the revision takes effect, the revision
// after, and the new target only once it was entered.
func TestPlanbookRevisionInForceAtEachAsOfDate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 10, 2, 0, 0, 0, time.UTC)
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "quantri", Role: indicators.Admin})
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "pb.db"), sqlite.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.LoadCatalog(ctx, cat); err != nil {
		t.Fatal(err)
	}
	ids, _ := catalog.PlanIDs()
	dh14 := ids["DH14"]

	// The admin exports, adds two rows and imports on 1 February 2026: a
	// new target by its text, and a revision of the poverty target that
	// takes effect on 1 March 2026.
	book, err := indicators.ReadCatalog(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	var poverty indicators.Target
	for _, tg := range book.Targets {
		if tg.Plan == dh14 && tg.Indicator == "SOC-04" {
			poverty = tg
		}
	}
	if poverty.ID == 0 {
		t.Fatal("no DH14 poverty target in the catalogue")
	}
	day := func(s string) time.Time { d, _ := indicators.ParseDate("d", s); return d }
	rev := indicators.TargetRevision{Seq: 1, Kind: indicators.LevelTarget, Bound: indicators.Bound{Op: "<=", A: 0.03},
		Text: "dưới 0,03%", Act: "05/NQ-HĐND", ActDate: day("2026-01-28"), Effective: day("2026-03-01"),
		Reason: "nâng mục tiêu giảm nghèo"}
	for i := range book.Targets {
		if book.Targets[i].ID == poverty.ID {
			book.Targets[i].Revisions = append(book.Targets[i].Revisions, rev)
		}
	}
	// The new target's kind and bound are the parser's suggestion, as the
	// admin confirmed it.
	text := "khoảng 100 nghìn tỷ đồng"
	parsed, err := indicators.ParseTargetText(text)
	if err != nil {
		t.Fatal(err)
	}
	bound, _ := parsed.Fit(indicators.Up, "tỷ đồng")
	book.Targets = append(book.Targets, indicators.Target{Plan: dh14, Indicator: "ECO-16",
		Period: indicators.YearRange{From: 2021, To: 2025}, Scope: indicators.OldCity,
		TargetRevision: indicators.TargetRevision{Kind: parsed.Kind, Bound: bound, Text: text, Source: "lưu trữ Văn phòng Thành ủy"}})
	var buf bytes.Buffer
	if err := reports.WritePlanbook(&buf, book, now); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()

	now = time.Date(2026, 2, 1, 3, 0, 0, 0, time.UTC)
	p, err := importers.ImportPlanbook(ctx, db, bytes.NewReader(data), "bo-sung.xlsx", true)
	if err != nil {
		t.Fatalf("import: %v %v", err, p.Errors)
	}
	if p.New != 2 || !p.Committed {
		t.Fatalf("preview = %+v", p)
	}

	ts := startServer(t, db)
	type target struct {
		Indicator string `json:"indicator"`
		Revision  int    `json:"revision"`
		Act       string `json:"act"`
		Bound     struct {
			Op string   `json:"op"`
			A  *float64 `json:"a"`
		} `json:"bound"`
		Kind     string `json:"kind"`
		Progress struct {
			Status        string `json:"status"`
			ExplanationVI string `json:"explanation_vi"`
		} `json:"progress"`
	}
	for _, tc := range []struct {
		asOf     string
		revision int
		a        float64
		status   string
		added    bool
	}{
		{"2026-01-20", 0, 0.5, "achieved", false},  // before the import: the original, no new target
		{"2026-02-15", 0, 0.5, "achieved", true},   // entered, not yet in force: still the original
		{"2026-03-15", 1, 0.03, "off_track", true}, // in force: 0,05% in 2025 misses "dưới 0,03%"
	} {
		var got []target
		getJSON(t, ts.URL+"/api/v1/plans/"+dh14+"/targets?asof="+tc.asOf, 200, &got)
		var pov, add *target
		for i := range got {
			switch got[i].Indicator {
			case "SOC-04":
				pov = &got[i]
			case "ECO-16":
				add = &got[i]
			}
		}
		if pov == nil || pov.Revision != tc.revision || pov.Bound.A == nil || *pov.Bound.A != tc.a || pov.Progress.Status != tc.status {
			t.Errorf("as of %s the poverty target = %+v; want revision %d, bound %v, %s", tc.asOf, pov, tc.revision, tc.a, tc.status)
		}
		if tc.revision == 1 && pov != nil && pov.Act != "05/NQ-HĐND" {
			t.Errorf("as of %s the revision's act = %q", tc.asOf, pov.Act)
		}
		if (add != nil) != tc.added {
			t.Errorf("as of %s the new target is present = %v, want %v", tc.asOf, add != nil, tc.added)
		}
		if add != nil && (add.Kind != "level" || add.Bound.Op != "about" || add.Bound.A == nil || *add.Bound.A != 100000) {
			t.Errorf("new target = %+v, want level about 100000 (tỷ đồng)", add)
		}
	}
}
