package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"chitieu/indicators"
)

// EachAuditEvent hands over the events a filter selects one at a time, in
// ID order (newest first when asked), stops at the first error of the
// callback, and lets writers go on while it reads: an event written during
// the stream is stored but not part of it.
func TestEachAuditEvent(t *testing.T) {
	t.Parallel()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan"})
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := open(t, filepath.Join(t.TempDir(), "s.db"), c)
	if _, err := db.LoadCatalog(ctx, smallCatalog()); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	for i := range 6 {
		c.t = start.Add(time.Duration(i) * 24 * time.Hour)
		actx := ctx
		if i%2 == 1 {
			actx = indicators.WithActor(ctx, indicators.Actor{User: "minh"})
		}
		if err := db.AddValues(actx, []indicators.Value{{Key: key("ECO-01", "CT-CU", 2021+i, indicators.OfficialValue),
			Value: float64(i), Source: "S46"}}); err != nil {
			t.Fatal(err)
		}
	}
	collect := func(f indicators.AuditFilter) []indicators.AuditEvent {
		t.Helper()
		var got []indicators.AuditEvent
		if err := db.EachAuditEvent(ctx, f, func(ev indicators.AuditEvent) error {
			got = append(got, ev)
			return nil
		}); err != nil {
			t.Fatalf("filter %+v: %v", f, err)
		}
		return got
	}
	all := collect(indicators.AuditFilter{})
	if len(all) < 7 {
		t.Fatalf("%d events in the trail, want the catalogue's and six values'", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].ID <= all[i-1].ID || all[i].PrevHash != all[i-1].Hash {
			t.Fatalf("event %d (#%d) after #%d: not in ID order or not chained", i, all[i].ID, all[i-1].ID)
		}
	}
	// The expected events of each filter are picked out of the whole trail
	// here, in Go, not by the query under test.
	pick := func(keep func(indicators.AuditEvent) bool, newest bool, limit int) []int64 {
		var ids []int64
		for _, ev := range all {
			if keep(ev) {
				ids = append(ids, ev.ID)
			}
		}
		if newest {
			for i, j := 0, len(ids)-1; i < j; i, j = i+1, j-1 {
				ids[i], ids[j] = ids[j], ids[i]
			}
		}
		if limit > 0 && len(ids) > limit {
			ids = ids[:limit]
		}
		return ids
	}
	from, to := start.Add(24*time.Hour), start.Add(4*24*time.Hour)
	for _, tc := range []struct {
		name   string
		filter indicators.AuditFilter
		want   []int64
	}{
		{"period", indicators.AuditFilter{From: from, To: to},
			pick(func(ev indicators.AuditEvent) bool { return !ev.At.Before(from) && !ev.At.After(to) }, false, 0)},
		{"user", indicators.AuditFilter{User: "minh"},
			pick(func(ev indicators.AuditEvent) bool { return ev.User == "minh" }, false, 0)},
		{"action prefix", indicators.AuditFilter{Action: "value"},
			pick(func(ev indicators.AuditEvent) bool { return ev.Action == "value.add" }, false, 0)},
		{"newest three", indicators.AuditFilter{Newest: true, Limit: 3},
			pick(func(indicators.AuditEvent) bool { return true }, true, 3)},
	} {
		var got []int64
		for _, ev := range collect(tc.filter) {
			got = append(got, ev.ID)
		}
		if len(tc.want) == 0 || len(got) != len(tc.want) {
			t.Errorf("%s: got events %v, want %v", tc.name, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: got events %v, want %v", tc.name, got, tc.want)
				break
			}
		}
	}

	stop := errors.New("enough")
	calls := 0
	err := db.EachAuditEvent(ctx, indicators.AuditFilter{}, func(indicators.AuditEvent) error {
		calls++
		if calls == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 2 {
		t.Errorf("stopping after two events: err %v after %d calls, want %v after 2", err, calls, stop)
	}

	// A write while the stream is open neither waits for it nor joins it.
	c.t = start.Add(30 * 24 * time.Hour)
	seen, wrote := 0, false
	err = db.EachAuditEvent(ctx, indicators.AuditFilter{}, func(indicators.AuditEvent) error {
		seen++
		if !wrote {
			wrote = true
			return db.AddValues(ctx, []indicators.Value{{Key: key("ECO-01", "CT-CU", 2030, indicators.OfficialValue),
				Value: 1, Source: "S46"}})
		}
		return nil
	})
	if err != nil || seen != len(all) {
		t.Errorf("stream with a write in the middle: %d events, err %v; want the %d there when it began", seen, err, len(all))
	}
	if after := collect(indicators.AuditFilter{}); len(after) != len(all)+1 {
		t.Errorf("after the write the trail holds %d events, want %d", len(after), len(all)+1)
	}
}
