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

// An admin sets a unit's official code on its page: stored, audited as
// unit.official_code with before and after, shown in the form; a code of
// letters and a code another unit already has are refused at the field
// with nothing stored; editing the unit's other fields (or a plan
// workbook) keeps the code; an empty code clears it; a planner may not
// set one.
func TestAdminSetsAndClearsAUnitsOfficialCode(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	ctx := context.Background()
	code := func(unit string) string {
		u, err := e.db.Unit(ctx, unit)
		if err != nil {
			t.Fatal(err)
		}
		return u.OfficialCode
	}
	if c := code("916"); c != "" {
		t.Fatalf("the catalogue gave 916 the official code %q; it invents none", c)
	}
	before := e.lastEvent(t)
	status, loc, body := e.post(t, e.admin, "/admin/units/916/official-code", url.Values{"official_code": {" 92101 "}})
	if status != http.StatusSeeOther || !strings.HasSuffix(loc, "/admin/units/916?done=admin.unit.official_code_saved") {
		t.Fatalf("set = %d %q:\n%.1000s", status, loc, body)
	}
	if c := code("916"); c != "92101" {
		t.Errorf("916 official code = %q, want 92101", c)
	}
	evs := e.eventsAfter(t, before, "unit.official_code")
	if len(evs) != 1 || evs[0].Object != "unit:916" || jsonField(t, evs[0].Before, "official_code") != "" ||
		jsonField(t, evs[0].After, "official_code") != "92101" || evs[0].User != "quantri" {
		t.Errorf("audit = %+v", evs)
	}
	if _, page := e.page(t, e.admin, "/admin/units/916"); fieldValue(page, "official_code") != "92101" ||
		!strings.Contains(page, "Mã đơn vị hành chính") {
		t.Errorf("the unit page shows the code %q", fieldValue(page, "official_code"))
	}

	for _, tc := range []struct{ code, want string }{
		{"92A01", "2 đến 6 chữ số"},
		{"92101", "đã là mã của đơn vị 916"},
	} {
		before := e.lastEvent(t)
		status, _, body := e.post(t, e.admin, "/admin/units/918/official-code", url.Values{"official_code": {tc.code}})
		if status != http.StatusBadRequest && status != http.StatusConflict && status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want a refusal", tc.code, status)
		}
		if msg := fieldError(body, "official_code"); !strings.Contains(msg, tc.want) || fieldValue(body, "official_code") != tc.code {
			t.Errorf("%s: field error %q (value %q), want one saying %q", tc.code, msg, fieldValue(body, "official_code"), tc.want)
		}
		if c := code("918"); c != "" || e.lastEvent(t) != before {
			t.Errorf("%s: 918 holds %q and %d events were added; want nothing stored", tc.code, c, e.lastEvent(t)-before)
		}
	}

	// Editing the unit keeps its code.
	status, _, body = e.post(t, e.admin, "/admin/units/916", url.Values{"code": {"916"}, "name_vi": {"Quận Ninh Kiều"},
		"kind": {"district"}, "type": {"quận"}, "parent": {"CT-CU"}, "scope": {"old_city"}, "valid_to": {"2025-06-30"}})
	if status != http.StatusSeeOther || code("916") != "92101" {
		t.Errorf("edit = %d, code after %q:\n%.800s", status, code("916"), body)
	}

	// A planner may not set a code.
	logintest.AddUser(t, e.db, "hoa", indicators.Planner, "", nil, nil)
	planner := logintest.Login(t, e.ts.URL, "hoa", "")
	if status, _, _ := e.post(t, planner, "/admin/units/918/official-code", url.Values{"official_code": {"92301"}}); status != http.StatusForbidden ||
		code("918") != "" {
		t.Errorf("a planner's attempt = %d, 918 holds %q", status, code("918"))
	}

	// An empty code clears it, audited.
	before = e.lastEvent(t)
	if status, _, _ := e.post(t, e.admin, "/admin/units/916/official-code", url.Values{"official_code": {""}}); status != http.StatusSeeOther ||
		code("916") != "" || len(e.eventsAfter(t, before, "unit.official_code")) != 1 {
		t.Errorf("clear = %d, code %q", status, code("916"))
	}
}
