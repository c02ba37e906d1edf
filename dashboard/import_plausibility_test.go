package dashboard_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"chitieu/dashboard"
	"chitieu/dashboard/logintest"
	"chitieu/indicators"
)

// An urbanisation rate typed as 174 % instead of 74 % is listed on the
// preview with its cell and reason; committing without ticking the
// confirmation and writing a note is refused with a message in the user's
// language and stores nothing; with both it is stored, and the note is in
// the commit's audit event.
func TestImportPlausibilityConfirmedWithNote(t *testing.T) {
	t.Parallel()
	env := newImportEnv(t, dashboard.Config{})
	base := env.ts.URL
	c := logintest.Login(t, base, "hoa", "")
	// CT-CU's urbanisation in the catalogue: 69,66 (2019) … 74 (2023).
	file := longTable(t, []any{"SOC-01", "CT-CU", "2024", "Thực hiện", 174})
	loc := redirected(t, uploadFile(t, c, base, "do-thi.xlsx", file, nil), "/imports/batches/")
	id := batchOf(t, loc)
	_, body := getPage(t, c, base, loc)
	text := textOf(body)
	for _, want := range []string{"Cảnh báo về tính hợp lý (2)", "Sheet1!E2", "nằm ngoài khoảng 0–100 %",
		"74 → 174", `name="confirm_plausibility"`, `name="plausibility_note"`} {
		if !strings.Contains(text, want) && !strings.Contains(body, want) {
			t.Errorf("the preview lacks %q:\n%.3000s", want, text)
		}
	}
	if _, table, ok := strings.Cut(body, `class="import-plausibility"`); !ok || !strings.Contains(table, "<td>Sheet1!E2</td>") {
		t.Errorf("the plausibility table does not name the cell Sheet1!E2:\n%.2000s", table)
	}
	commit := fmt.Sprintf("/imports/batches/%d/commit", id)
	for _, form := range []url.Values{
		{},                                 // neither ticked nor noted
		{"plausibility_note": {"đã kiểm"}}, // a note without the tick
		{"confirm_plausibility": {"1"}},    // ticked without a note
		{"confirm_plausibility": {"1"}, "plausibility_note": {"   "}},
	} {
		res := logintest.Post(t, c, base, commit, form)
		body := textOf(read(t, res))
		if res.StatusCode != 422 && res.StatusCode != 400 {
			t.Errorf("commit with %v = %d, want refused:\n%.1500s", form, res.StatusCode, body)
		}
		if !strings.Contains(body, "tính hợp lý") {
			t.Errorf("commit with %v: the refusal does not name the plausibility warnings:\n%.1500s", form, body)
		}
		if _, ok := env.inForce(t, "SOC-01/CT-CU/2024/official"); ok {
			t.Fatalf("commit with %v stored the value", form)
		}
	}
	// The same refusal in English.
	res := logintest.Post(t, c, base, commit+"?lang=en", url.Values{})
	if body := textOf(read(t, res)); !strings.Contains(body, "tick the confirmation and write a note") {
		t.Errorf("the English refusal:\n%.1500s", body)
	}

	note := "Số liệu sơ bộ của Cục Thống kê, sẽ đối chiếu"
	redirected(t, logintest.Post(t, c, base, commit, url.Values{"confirm_plausibility": {"1"}, "plausibility_note": {note}}),
		fmt.Sprintf("/imports/batches/%d?done=import.committed", id))
	if v, ok := env.inForce(t, "SOC-01/CT-CU/2024/official"); !ok || v != 174 {
		t.Fatalf("after the confirmed commit SOC-01 2024 = %v %v, want 174", v, ok)
	}
	evs, err := env.db.AuditEvents(context.Background(), indicators.AuditFilter{Action: "batch.commit", Object: fmt.Sprintf("batch:%d", id)})
	if err != nil || len(evs) != 1 {
		t.Fatalf("commit events of batch #%d = %d, %v", id, len(evs), err)
	}
	if !strings.Contains(evs[0].After, note) || !strings.Contains(evs[0].After, `"plausibility_warnings":2`) || evs[0].User != "hoa" {
		t.Errorf("the commit event = %s by %s, want the note and 2 warnings by hoa", evs[0].After, evs[0].User)
	}
}
