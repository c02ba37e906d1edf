package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"chitieu/dashboard/logintest"
	"chitieu/indicators"
)

// A name typed on the admin pages with a right-to-left override or a NUL
// is refused with a message naming the field, the form is shown again,
// and nothing is stored; a mapping profile's name is refused the same way.
func TestNamesRefuseBidiAndNUL(t *testing.T) {
	t.Parallel()
	ts, db := newServer(t)
	logintest.AddUser(t, db, "root", indicators.Admin, "", nil, nil)
	c := logintest.Login(t, ts.URL, "root", "")
	for _, tc := range []struct {
		path, field, want string
		form              url.Values
		stored            func() bool
	}{
		{"/admin/users", "full_name", "họ tên chứa ký tự không được phép",
			url.Values{"name": {"hoa"}, "full_name": {"Nguyễn \u202eaoH"}, "role": {"leader"}, "password": {"một mật khẩu dài"}},
			func() bool { _, err := db.User(context.Background(), "hoa"); return err == nil }},
		{"/admin/units", "name_vi", "tên đơn vị chứa ký tự không được phép",
			url.Values{"code": {"CT-XX"}, "name_vi": {"Phường\x00 Mới"}, "kind": {"commune"}, "scope": {"merged_city"}},
			func() bool { _, err := db.Unit(context.Background(), "CT-XX"); return err == nil }},
	} {
		res := logintest.Post(t, c, ts.URL, tc.path, tc.form)
		body := read(t, res)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, tc.want) {
			t.Errorf("POST %s with a bad %s = %d, want 400 saying %q:\n%.1500s", tc.path, tc.field, res.StatusCode, tc.want, textOf(body))
		}
		if tc.stored() {
			t.Errorf("POST %s stored the record with a bad %s", tc.path, tc.field)
		}
	}
	err := db.SaveProfile(context.Background(), indicators.ImportProfile{Name: "Sở\u2067 Tài chính", Shape: "wide", JSON: "{}"})
	if indicators.ErrorCode(err) != indicators.EINVALID || !strings.Contains(indicators.ErrorMessage(err), "tên hồ sơ ánh xạ") {
		t.Errorf("a profile named with U+2067: %v", err)
	}
}
