package dashboard_test

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"chitieu/indicators"
)

// exportLink finds the audit page's download link and returns its address.
var exportLink = regexp.MustCompile(`<a class="button secondary" href="(/audit/export[^"]*)" download>([^<]*)</a>`)

// The audit page offers the batch and audit history of the days it is
// filtered to, in the page's language; the link downloads exactly the
// store's events of those days, whatever the page's other filters.
func TestAuditPageExportLink(t *testing.T) {
	t.Parallel()
	env := newReportEnv(t, nil)
	page := func(role indicators.Role, path string) string {
		t.Helper()
		res, body := env.download(t, role, path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s as %s = %d", path, role, res.StatusCode)
		}
		return string(body)
	}
	cases := []struct {
		role       indicators.Role
		page, link string
		label      string
	}{
		{indicators.Auditor, "/audit?from=2025-03-01&to=" + asOfDay + "&user=nobody&kind=value",
			"/audit/export?from=2025-03-01&to=" + asOfDay, "Tải lịch sử lô nhập và nhật ký (Excel)"},
		{indicators.Admin, "/audit?from=2025-03-01&lang=en", "/audit/export?from=2025-03-01",
			"Download the batch and audit history (Excel)"},
		{indicators.Auditor, "/audit?lang=vi", "/audit/export", "Tải lịch sử lô nhập và nhật ký (Excel)"},
	}
	for _, tc := range cases {
		m := exportLink.FindStringSubmatch(page(tc.role, tc.page))
		if m == nil {
			t.Errorf("GET %s as %s: no download link to /audit/export", tc.page, tc.role)
			continue
		}
		if got := html.UnescapeString(m[1]); got != tc.link || m[2] != tc.label {
			t.Errorf("GET %s as %s: link %q %q, want %q %q", tc.page, tc.role, got, m[2], tc.link, tc.label)
		}
	}

	// Following the first link gives the period's events, as the store
	// holds them, though the page itself showed none for user "nobody".
	link := cases[0].link
	f, _ := env.workbook(t, indicators.Auditor, link)
	from, _ := indicators.ParseDate("from", "2025-03-01")
	to, _ := indicators.ParseDate("to", asOfDay)
	want, err := env.db.AuditEvents(context.Background(), indicators.AuditFilter{From: from, To: indicators.EndOfDay(to)})
	if err != nil {
		t.Fatal(err)
	}
	rows := rowsOf(t, f, "Nhật ký")
	if len(want) == 0 || len(rows) != len(want)+1 {
		t.Fatalf("GET %s: %d event rows, want the store's %d events of the period", link, len(rows)-1, len(want))
	}
	for i, ev := range want {
		if got := cellAt(rows[i+1], 1); got != strconv.FormatInt(ev.ID, 10) {
			t.Errorf("GET %s: row %d is event %q, want %d", link, i+2, got, ev.ID)
		}
	}
	if _, e := env.lastExport(t); e.Params["from"] != "2025-03-01" || e.Params["to"] != asOfDay {
		t.Errorf("GET %s recorded as %+v", link, e)
	}
}
