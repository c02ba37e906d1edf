package dashboard

import (
	"context"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The Content-Disposition of a download carries an ASCII name for old
// clients and, when the name needs more, its UTF-8 form (RFC 5987), which
// a reader decodes back to the name.
func TestAttachmentNames(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, want string
	}{
		{"tien-do_59-nq-tw_2021-2025_2025-12-31.xlsx", `attachment; filename="tien-do_59-nq-tw_2021-2025_2025-12-31.xlsx"`},
		{"Báo cáo tiến độ Đợt 1.xlsx",
			`attachment; filename="Bao cao tien do Dot 1.xlsx"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20ti%E1%BA%BFn%20%C4%91%E1%BB%99%20%C4%90%E1%BB%A3t%201.xlsx`},
		{`a"b\c/d%e;f.csv`, `attachment; filename="a_b_c_d_e;f.csv"; filename*=UTF-8''a%22b%5Cc%2Fd%25e%3Bf.csv`},
	} {
		got := attachment(tc.name)
		if got != tc.want {
			t.Errorf("attachment(%q)\n = %s\nwant %s", tc.name, got, tc.want)
		}
		disp, params, err := mime.ParseMediaType(got)
		if err != nil || disp != "attachment" || params["filename"] != tc.name {
			t.Errorf("%s reads back as %q %q (%v), want %q", got, disp, params["filename"], err, tc.name)
		}
	}
}

func TestWithGroup(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, lang, want string }{
		{"tien-do_p_2021-2025_2025-12-31.xlsx", "vi", "tien-do_p_2021-2025_nhom-3_2025-12-31.xlsx"},
		{"progress_p_2021-2025_2025-12-31.xlsx", "en", "progress_p_2021-2025_group-3_2025-12-31.xlsx"},
		{"report.xlsx", "vi", "report_nhom-3.xlsx"},
	} {
		if got := withGroup(tc.name, tc.lang, 3); got != tc.want {
			t.Errorf("withGroup(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// Only ReportsAtOnce reports are built at the same time; a download that
// waits for a slot and whose client leaves builds nothing.
func TestReportsWaitForASlot(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "reports")
	s, _ := testServer(t, Config{ReportsDir: dir, ReportsAtOnce: 1})
	if cap(s.reportSlots) != 1 {
		t.Fatalf("%d slots, want 1", cap(s.reportSlots))
	}
	s.reportSlots <- struct{}{} // another build under way
	ck, _ := sessionFor(t, s, "auditor")
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	req := httptest.NewRequest(http.MethodGet, "/reports/data", nil).WithContext(ctx)
	req.AddCookie(ck)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != statusClientGone {
		t.Errorf("waiting download = %d, want %d once its client left", rec.Code, statusClientGone)
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("a download that never got a slot left %d entries", len(entries))
	}
	<-s.reportSlots
	rec = httptest.NewRecorder()
	req = httptest.NewRequest(http.MethodGet, "/reports/data", nil)
	req.AddCookie(ck)
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || len(s.reportSlots) != 0 {
		t.Errorf("with a free slot = %d, slots taken after %d", rec.Code, len(s.reportSlots))
	}
}
