package reports

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
)

// The batch history shows each batch as it stood at the period's end, and
// the audit sheet every event of the period with its place in the chain.
func TestAuditHistory(t *testing.T) {
	fx := newFixture(t)
	t1, t2, t3 := day("2026-01-10").Add(9*time.Hour), day("2026-03-05").Add(10*time.Hour), day("2026-03-10").Add(8*time.Hour)
	fx.insertBatch(indicators.Batch{ID: 1, FileName: "bieu-01.xlsx", SHA256: strings.Repeat("0f", 32), Size: 5120,
		State: indicators.RolledBack, CreatedBy: "lan", CreatedAt: t1, CommittedAt: t1.Add(time.Minute),
		RolledBackAt: t2, RolledBackBy: "admin", New: 12, Rejected: 1})
	fx.insertBatch(indicators.Batch{ID: 2, FileName: "bieu-02.xlsx", SHA256: strings.Repeat("1e", 32), Size: 2048,
		State: indicators.Previewed, CreatedBy: "minh", CreatedAt: t3})
	fx.clock.at("2026-02-01")
	fx.add(indicators.Value{Key: key("SOC-01", "CT-CU", 2025, indicators.EstimateValue), Value: 1.2})
	fx.clock.at("2026-04-01")
	fx.add(indicators.Value{Key: key("SOC-01", "CT-CU", 2025, indicators.OfficialValue), Value: 1.1})

	from, to := day("2026-01-05"), indicators.EndOfDay(day("2026-02-28"))
	path := fx.save(fx.b.Audit(fx.ctx, AuditRequest{From: from, To: to}))
	f := book(t, path)
	batches := rawRows(t, f, "Lô nhập")
	if len(batches) != 2 || at(batches[1], 2) != "bieu-01.xlsx" || at(batches[1], 5) != "Đã ghi" ||
		at(batches[1], 16) != "" || at(batches[1], 17) != "" || at(batches[1], 3) != strings.Repeat("0f", 32) ||
		at(batches[1], 9) != "12" || at(batches[1], 12) != "1" || at(batches[1], 13) != "lan" {
		t.Errorf("batches as of 28 Feb = %q; want batch 1 alone, committed, not yet rolled back", batches)
	}
	events := rawRows(t, f, "Nhật ký")
	want, err := fx.db.AuditEvents(fx.ctx, indicators.AuditFilter{From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 1 || len(events) != len(want)+1 {
		t.Fatalf("events sheet has %d rows, store %d events in the period (want 1)", len(events)-1, len(want))
	}
	for i, ev := range want {
		r := events[i+1]
		if at(r, 1) != strconv.FormatInt(ev.ID, 10) || at(r, 3) != ev.User || at(r, 5) != indicators.ActionLabel(ev.Action, "vi") ||
			at(r, 6) != ev.Object || at(r, 8) != ev.After || at(r, 11) != ev.PrevHash || at(r, 12) != ev.Hash ||
			at(r, 2) != strconv.FormatFloat(serial(ev.At), 'f', -1, 64) {
			t.Errorf("event row %q, store %+v", r, ev)
		}
	}

	all := rawRows(t, book(t, fx.save(fx.b.Audit(fx.ctx, AuditRequest{}))), "Lô nhập")
	if len(all) != 3 || at(all[1], 5) != "Đã hoàn tác" || at(all[1], 17) != "admin" || at(all[2], 5) != "Chờ ghi" {
		t.Errorf("batches now = %q; want batch 1 rolled back by admin and batch 2 previewed", all)
	}
	if v, err := fx.b.Verify(fx.ctx, path); err != nil || !v.Matches() {
		t.Errorf("verify audit report: %+v, %v", v, err)
	}
	if _, err := fx.b.Audit(fx.ctx, AuditRequest{From: to, To: from}); indicators.ErrorCode(err) != indicators.EINVALID {
		t.Errorf("a period that ends before it starts: %v, want invalid", err)
	}
}
