package dashboard_test

import (
	"net/http"
	"strings"
	"testing"

	"chitieu/indicators"
)

// A plan workbook whose new target puts the urbanisation rate at 174 %
// (for 74 %) and a budget target of 1.234.567 (against 11.000 in 2024)
// lists both on the preview with their cells; the commit is refused
// without the box ticked and a note, storing nothing, and with both it is
// stored and the note is in the import's audit event.
func TestAdminPlanbookPlausibility(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	data := e.workbook(t, func(c *indicators.Catalog) {
		for _, tg := range []struct {
			code string
			a    float64
		}{{"SOC-01", 174}, {"ECO-06", 1234567}} {
			c.Targets = append(c.Targets, indicators.Target{Plan: r59, Indicator: tg.code, Period: indicators.YearRange{From: 2021, To: 2025},
				Scope: indicators.OldCity, Group: 2, TargetRevision: indicators.TargetRevision{Kind: indicators.LevelTarget,
					Bound: indicators.Bound{Op: indicators.OpAtLeast, A: tg.a}, Text: "thử", Act: "59-NQ/TW"}})
		}
	})
	status, body := e.upload(t, data, "sai-so.xlsx")
	if status != http.StatusOK {
		t.Fatalf("preview = %d:\n%.3000s", status, textOf(body))
	}
	_, table, ok := strings.Cut(body, `id="preview-plausibility"`)
	if !ok {
		t.Fatalf("the preview lists no plausibility warning:\n%.3000s", textOf(body))
	}
	table = textOf(table[:strings.Index(table, "</table>")])
	for _, want := range []string{"Cảnh báo về tính hợp lý (2)", "Mục tiêu!M", "SOC-01", "nằm ngoài khoảng 0–100 %", "ECO-06", "→ 1.234.567"} {
		if !strings.Contains(table, want) && !strings.Contains(textOf(body), want) {
			t.Errorf("the preview lacks %q:\n%s", want, table)
		}
	}
	form := commitForm(t, body)
	before := e.lastEvent(t)
	status, _, refused := e.post(t, e.admin, "/admin/planbook/commit?lang=vi", form)
	if status != http.StatusUnprocessableEntity || !strings.Contains(refused, "cảnh báo về tính hợp lý") {
		t.Fatalf("commit without confirming = %d:\n%.2000s", status, textOf(refused))
	}
	if e.lastEvent(t) != before {
		t.Fatal("an unconfirmed commit stored something")
	}
	note := "Số liệu thử nghiệm, đã đối chiếu"
	form.Set("confirm_plausibility", "1")
	form.Set("plausibility_note", note)
	status, loc, _ := e.post(t, e.admin, "/admin/planbook/commit", form)
	if status != http.StatusSeeOther || loc != "/admin/planbook?done=admin.planbook.committed" {
		t.Fatalf("confirmed commit = %d %q", status, loc)
	}
	evs := e.eventsAfter(t, before, "planbook.import")
	if len(evs) != 1 || !strings.Contains(evs[0].After, note) || !strings.Contains(evs[0].After, `"plausibility_warnings":2`) {
		t.Errorf("the import's audit event = %+v, want the note and 2 warnings", evs)
	}
}
