package reports

import (
	"strings"
	"testing"

	"chitieu/indicators"

	"github.com/xuri/excelize/v2"
)

// The progress report marks a figure not yet approved with † once the
// office runs the approval cycle, and drops the mark once the head of the
// unit approves it; it keeps the engine's sentence and puts the unit's
// explanation after it, each under its name.
func TestProgressMarksUnapprovedFiguresAndKeepsBothExplanations(t *testing.T) {
	fx := newFixture(t)
	fx.clock.at("2026-01-20")
	fx.insertBatch(indicators.Batch{ID: 7, FileName: "bieu.xlsx", SHA256: "ab", State: indicators.Committed,
		CreatedBy: "hoa", CreatedAt: fx.clock.now(), CommittedAt: fx.clock.now()})
	fx.add(indicators.Value{Key: key("ECO-01", "CT-CU", 2025, indicators.OfficialValue), Value: 8.1, Batch: 7})
	fx.clock.at("2026-01-21")
	// cell reads the 2025 result of ECO-01, its number format and the
	// explanation cell of the main table.
	cell := func() (string, string, string) {
		t.Helper()
		f := book(t, fx.progress(fx.clock.now(), "vi"))
		rows := rawRows(t, f, "Tiến độ")
		i := findRow(rows, colName, "(ECO-01,")
		addr, _ := excelize.CoordinatesToCellName(colResultYear, i+1)
		id, err := f.GetCellStyle("Tiến độ", addr)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil || st.CustomNumFmt == nil {
			return at(rows[i], colResultYear), "", at(rows[i], colExplain)
		}
		return at(rows[i], colResultYear), *st.CustomNumFmt, at(rows[i], colExplain)
	}
	if v, format, _ := cell(); v != "8.1" || strings.Contains(format, notApprovedMark) {
		t.Errorf("before any submission ECO-01 2025 = %q in %q; want 8.1 unmarked (the cycle is not in use)", v, format)
	}
	planner := indicators.WithActor(fx.ctx, indicators.Actor{User: "hoa", Role: indicators.Planner, Units: []string{"CT-CU"}})
	head := indicators.WithActor(fx.ctx, indicators.Actor{User: "tam", Role: indicators.Approver, Units: []string{"CT-CU"}})
	k := indicators.SubmissionKey{Plan: testPlanID(), Unit: "CT-CU", Period: indicators.YearPeriod(2025)}
	if _, err := fx.db.Submit(planner, k); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.db.SetExplanation(planner, indicators.Explanation{Target: fx.target("ECO-01").ID, Unit: "CT-CU",
		Period: k.Period, Cause: "Giá nông sản giảm", Remedy: "Thu hút đầu tư chế biến"}); err != nil {
		t.Fatal(err)
	}
	fx.clock.at("2026-01-22")
	v, format, explain := cell()
	if v != "8.1" || !strings.Contains(format, notApprovedMark) {
		t.Errorf("submitted, not approved: ECO-01 2025 = %q in %q; want 8.1 marked †", v, format)
	}
	if !strings.HasPrefix(explain, "Đánh giá tự động: Tăng trưởng bình quân") ||
		!strings.Contains(explain, "\nGiải trình của đơn vị (CT-CU, 2025): Nguyên nhân: Giá nông sản giảm; Giải pháp: Thu hút đầu tư chế biến") {
		t.Errorf("explanation cell = %q; want the engine's sentence, then the unit's", explain)
	}
	if _, err := fx.db.Decide(head, k, true, ""); err != nil {
		t.Fatal(err)
	}
	fx.clock.at("2026-01-23")
	if _, format, _ := cell(); strings.Contains(format, notApprovedMark) {
		t.Errorf("approved: ECO-01 2025 still marked, format %q", format)
	}
}
