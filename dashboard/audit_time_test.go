package dashboard_test

import (
	"context"
	"html"
	"net/http"
	"strings"
	"testing"

	"chitieu/indicators"
)

// The audit page and its export show each event at the same moment, in
// Vietnam time (UTC+7, whatever the server's zone), and its action in
// words — "Nạp danh mục", not "catalog.load" — in the page's language.
func TestAuditTrailInVietnamTimeAndWords(t *testing.T) {
	t.Parallel()
	env := newReportEnv(t, nil)
	evs, err := env.db.AuditEvents(context.Background(), indicators.AuditFilter{Limit: 1000})
	if err != nil || len(evs) == 0 {
		t.Fatalf("audit events: %d, %v", len(evs), err)
	}
	for _, lang := range []string{"vi", "en"} {
		res, body := env.download(t, indicators.Auditor, "/audit?lang="+lang)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET /audit = %d", res.StatusCode)
		}
		page := html.UnescapeString(string(body))
		f, _ := env.workbook(t, indicators.Auditor, "/audit/export?language="+lang)
		sheet := map[string]string{"vi": "Nhật ký", "en": "Events"}[lang]
		rows := rowsOf(t, f, sheet)
		formatted, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for i, ev := range evs {
			at := ev.At.In(indicators.Vietnam)
			shown := at.Format(map[string]string{"vi": "02/01/2006 15:04:05", "en": "2 Jan 2006 15:04:05"}[lang])
			label := indicators.ActionLabel(ev.Action, lang)
			if label == ev.Action {
				t.Errorf("action %q has no %s label", ev.Action, lang)
			}
			row := `<td><time datetime="` + ev.At.UTC().Format("2006-01-02T15:04:05Z07:00") + `" title="` +
				ev.At.UTC().Format("2006-01-02 15:04:05") + ` UTC">` + shown + `</time></td><td>` + ev.User + `</td><td>` +
				ev.Addr + `</td><td>` + label + `</td>`
			if !strings.Contains(page, row) {
				t.Errorf("%s: /audit lacks event %d as %s", lang, ev.ID, row)
			}
			// The export: row i+1 is event i in order of ID; its time cell
			// shows the same Vietnam wall clock.
			var r, fr []string
			for j := range rows {
				if cellAt(rows[j], 1) == num(float64(ev.ID)) {
					r, fr = rows[j], formatted[j]
				}
			}
			if cellAt(r, 5) != label {
				t.Errorf("%s: export event %d action %q, want %q", lang, ev.ID, cellAt(r, 5), label)
			}
			if got, want := cellAt(fr, 2), at.Format("02/01/2006 15:04:05"); got != want {
				t.Errorf("%s: export event %d at %q, want %q (Vietnam time)", lang, ev.ID, got, want)
			}
			if i > 50 {
				break
			}
		}
		for _, code := range []string{">catalog.load<", ">user.add<", ">login<"} {
			if strings.Contains(page, code) {
				t.Errorf("%s: /audit shows the code %s", lang, code)
			}
		}
	}
	if got := indicators.ActionLabel("value.retract", "vi"); got != "Hoàn tác số liệu" {
		t.Errorf("value.retract = %q, want Hoàn tác số liệu", got)
	}
}
