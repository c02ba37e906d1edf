package dashboard_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"chitieu/dashboard/logintest"
	"chitieu/indicators"
)

// A planner lists the saved mapping profiles, opens one, renames it
// (refused onto a name in use) and deletes it; each change is audited and
// a leader may not touch them.
func TestImportProfilesPage(t *testing.T) {
	t.Parallel()
	env := newReportEnv(t, nil)
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "planner"})
	for _, name := range []string{"Biểu 01 Sở Tài chính", "Biểu 02"} {
		body := `{"name": "` + name + `", "shape": "wide", "columns": {"name": "Chỉ tiêu"}}`
		if err := env.db.SaveProfile(ctx, indicators.ImportProfile{Name: name, Shape: "wide", JSON: body}); err != nil {
			t.Fatal(err)
		}
	}
	c, base := env.users[indicators.Planner], env.ts.URL
	page := func(res *http.Response) string {
		t.Helper()
		if res.StatusCode == http.StatusSeeOther {
			res.Body.Close()
			loc := res.Header.Get("Location")
			_, b := env.download(t, indicators.Planner, loc)
			return html.UnescapeString(string(b))
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return html.UnescapeString(string(b))
	}
	res, body := env.download(t, indicators.Planner, "/imports/profiles?name="+url.QueryEscape("Biểu 01 Sở Tài chính"))
	text := html.UnescapeString(string(body))
	if res.StatusCode != http.StatusOK || !strings.Contains(text, "Biểu 02") || !strings.Contains(text, `"columns"`) ||
		!strings.Contains(text, "Bảng ngang") {
		t.Fatalf("profiles page = %d:\n%.2000s", res.StatusCode, text)
	}

	res = logintest.Post(t, c, base, "/imports/profiles/rename", url.Values{"name": {"Biểu 01 Sở Tài chính"}, "to": {"Biểu 02"}})
	if p := page(res); res.StatusCode != http.StatusConflict || !strings.Contains(p, "đã có hồ sơ ánh xạ tên “Biểu 02”") {
		t.Errorf("rename onto a name in use = %d", res.StatusCode)
	}
	res = logintest.Post(t, c, base, "/imports/profiles/rename", url.Values{"name": {"Biểu 01 Sở Tài chính"}, "to": {"Biểu 01 (2025)"}})
	if p := page(res); res.StatusCode != http.StatusSeeOther || !strings.Contains(p, "Đã đổi tên hồ sơ ánh xạ.") {
		t.Errorf("rename = %d", res.StatusCode)
	}
	p, err := env.db.Profile(ctx, "Biểu 01 (2025)")
	if err != nil || !strings.Contains(p.JSON, `"name": "Biểu 01 (2025)"`) {
		t.Errorf("renamed profile = %+v, %v", p, err)
	}
	res = logintest.Post(t, c, base, "/imports/profiles/delete", url.Values{"name": {"Biểu 02"}})
	if p := page(res); res.StatusCode != http.StatusSeeOther || !strings.Contains(p, "Đã xóa hồ sơ ánh xạ.") {
		t.Errorf("delete = %d", res.StatusCode)
	}
	if _, err := env.db.Profile(ctx, "Biểu 02"); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Errorf("deleted profile still there: %v", err)
	}
	for _, action := range []string{"profile.rename", "profile.delete"} {
		if evs, _ := env.db.AuditEvents(ctx, indicators.AuditFilter{Action: action}); len(evs) != 1 {
			t.Errorf("%s events: %d, want 1", action, len(evs))
		}
	}
	if res, _ := env.download(t, indicators.Leader, "/imports/profiles"); res.StatusCode != http.StatusForbidden {
		t.Errorf("leader: %d, want 403", res.StatusCode)
	}
}
