package reports

import (
	"context"
	"strconv"
	"testing"
	"time"

	"chitieu/indicators"
)

// countingSource passes reads to the store, counting the audit events it
// hands over one at a time and noting every request for a list of them.
type countingSource struct {
	Source
	streams int                      // calls of EachAuditEvent
	handed  int                      // events handed over by them
	lists   []indicators.AuditFilter // calls of AuditEvents
}

func (s *countingSource) AuditEvents(ctx context.Context, f indicators.AuditFilter) ([]indicators.AuditEvent, error) {
	s.lists = append(s.lists, f)
	return s.Source.AuditEvents(ctx, f)
}

func (s *countingSource) EachAuditEvent(ctx context.Context, f indicators.AuditFilter, fn func(indicators.AuditEvent) error) error {
	s.streams++
	return s.Source.EachAuditEvent(ctx, f, func(ev indicators.AuditEvent) error {
		s.handed++
		return fn(ev)
	})
}

// The audit history reads its events through the stream, never as a list,
// and writes each event's row before it takes the next: a trail of
// millions of events never sits in memory. The cover counts the rows
// written.
func TestAuditHistoryStreamsEvents(t *testing.T) {
	fx := newFixture(t)
	for i := range 40 {
		fx.clock.at("2026-02-01")
		fx.clock.t = fx.clock.t.Add(time.Duration(i) * time.Minute)
		fx.add(indicators.Value{Key: key("SOC-01", "CT-CU", 2025, indicators.EstimateValue), Value: float64(i) / 10})
	}
	src := &countingSource{Source: fx.db}
	b := &Builder{Source: src, Now: fx.clock.now, TempDir: t.TempDir()}
	fx.clock.at("2026-03-01")

	path := fx.save(b.Audit(fx.ctx, AuditRequest{From: day("2026-01-15")}))
	if len(src.lists) > 0 || src.streams != 1 {
		t.Fatalf("the audit history listed events %d times (%+v) and streamed them %d times; want one stream and no list",
			len(src.lists), src.lists, src.streams)
	}
	f := book(t, path)
	rows := rawRows(t, f, "Nhật ký")
	if src.handed != 40 || len(rows) != src.handed+1 {
		t.Errorf("the stream handed over %d events and the sheet holds %d rows; want the 40 values' events, one row each",
			src.handed, len(rows)-1)
	}
	cover := rawRows(t, f, "Thông tin")
	if i := findRow(cover, 1, "Số sự kiện"); i < 0 || at(cover[i], 2) != strconv.Itoa(len(rows)-1) {
		t.Errorf("cover = %q; want \"Số sự kiện\" %d", cover, len(rows)-1)
	}
	if v, err := b.Verify(fx.ctx, path); err != nil || !v.Matches() {
		t.Errorf("verify the streamed report: %+v, %v", v, err)
	}

	// Row by row: when the sheet takes its k-th event row, the store has
	// handed over k events and no more.
	src.handed = 0
	rep, err := b.auditReport(fx.ctx, AuditRequest{From: day("2026-01-15")})
	if err != nil {
		t.Fatal(err)
	}
	events := rep.sheets[len(rep.sheets)-1]
	written := -1 // the heading comes first
	err = events.rows(fx.ctx, func([]cell) error {
		written++
		if src.handed != max(written, 0) {
			t.Fatalf("writing event row %d after the store handed over %d events: the events are read ahead of the sheet",
				written, src.handed)
		}
		return nil
	})
	if err != nil || written != 40 {
		t.Errorf("the events sheet wrote %d rows, err %v; want 40", written, err)
	}
}
