package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"chitieu/indicators"
	"chitieu/indicators/sqlite"
)

// chitieu plan import lists the plausibility warnings of the targets'
// bounds and refuses to commit them without --confirm-note; with it the
// target is stored and the note is in the audit trail.
func TestPlanImportConfirmNote(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, book := filepath.Join(dir, "p.db"), filepath.Join(dir, "so-ke-hoach.xlsx")
	if code, out, stderr := chitieu(t, "plan", "export", "--db", db, "--out", book); code != 0 {
		t.Fatalf("plan export = %d %q %q", code, out, stderr)
	}
	// A new target of Resolution 59: the urbanisation rate at 174 % by 2025.
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	sheet := indicators.TargetsSheet.Name
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	row := len(rows) + 1
	for i, c := range indicators.TargetsSheet.Columns {
		v, ok := map[string]string{"plan": "59-nq-tw-2020-08-05", "indicator": "SOC-01", "period": "2021-2025", "scope": "old_city",
			"group": "2", "text": "đạt 174%", "kind": "level", "op": ">=", "a": "174", "act": "59-NQ/TW"}[c.Key]
		if !ok {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(i+1, row)
		if err := f.SetCellStr(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	code, out, stderr := chitieu(t, "plan", "import", book, "--db", db)
	if code == 0 || !strings.Contains(out, "cảnh báo Mục tiêu!M") || !strings.Contains(out, "nằm ngoài khoảng 0–100 %") ||
		!strings.Contains(stderr, "tính hợp lý") {
		t.Fatalf("plan import without a note = %d\n%s\n%s", code, out, stderr)
	}
	note := "mục tiêu thử, đã kiểm tra"
	if code, out, stderr := chitieu(t, "plan", "import", book, "--db", db, "--confirm-note", note); code != 0 {
		t.Fatalf("plan import with a note = %d\n%s\n%s", code, out, stderr)
	}
	st, err := sqlite.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	evs, err := st.AuditEvents(t.Context(), indicators.AuditFilter{Action: "planbook.import"})
	if err != nil || len(evs) != 1 || !strings.Contains(evs[0].After, note) || !strings.Contains(evs[0].After, `"plausibility_warnings":1`) {
		t.Errorf("the planbook.import events = %+v %v, want one with the note and 1 warning", evs, err)
	}
	if ts, _ := st.Targets(t.Context(), indicators.TargetFilter{Plan: "59-nq-tw-2020-08-05", Indicator: "SOC-01"}); len(ts) != 1 || ts[0].Bound.A != 174 {
		t.Errorf("the confirmed target = %+v", ts)
	}
}
