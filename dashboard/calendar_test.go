package dashboard

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/sqlite"
	"chitieu/internal/testdb"

	"github.com/xuri/excelize/v2"
)

// calendarFixture is the built-in catalogue with three communes that owe
// two indicators every month of 2025 under the root plan, and their
// figures entered at known moments: A reports January to April on time;
// B January on time, February late, March with one indicator of two (not
// received), April not at all; C nothing. The server's clock stands at
// 20 April 2025, when January to April are due (April's deadline is 14
// April).
type calendarFixture struct {
	s            *Server
	db           *sqlite.DB
	plan         string
	units, codes []string
	clock        *time.Time
	asOf         string
	plannerB     string
}

func newCalendarFixture(t *testing.T) *calendarFixture {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2025, 4, 20, 12, 0, 0, 0, indicators.Vietnam)
	clock := now
	f := &calendarFixture{clock: &clock, asOf: "2025-04-20"}
	f.db = testdb.Builtin(t, sqlite.WithClock(func() time.Time { return *f.clock }))
	plans, err := f.db.Plans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	root, err := rootPlan(plans)
	if err != nil {
		t.Fatal(err)
	}
	f.plan = root.ID
	units, _ := f.db.Units(ctx)
	for _, u := range units {
		if u.Kind == indicators.Commune && len(f.units) < 3 {
			f.units = append(f.units, u.Code)
		}
	}
	inds, _ := f.db.Indicators(ctx)
	f.codes = []string{inds[0].Code, inds[1].Code}
	if len(f.units) < 3 {
		t.Fatalf("the catalogue has %d communes, want 3", len(f.units))
	}
	admin := indicators.WithActor(ctx, indicators.Actor{User: "system"})
	for _, u := range f.units {
		o := indicators.Obligation{Plan: f.plan, Unit: u, Indicators: f.codes, Frequency: indicators.Monthly, FromYear: 2025}
		if err := f.db.AddObligation(admin, &o); err != nil {
			t.Fatal(err)
		}
	}
	a, b := f.units[0], f.units[1]
	send := func(unit string, month int, at time.Time, codes ...string) {
		t.Helper()
		*f.clock = at
		var vs []indicators.Value
		for _, code := range codes {
			vs = append(vs, indicators.Value{Key: indicators.Key{Indicator: code, Unit: unit,
				Period: indicators.Period{Year: 2025, Kind: indicators.Month, N: month}, Type: indicators.EstimateValue},
				Value: 1, Source: "S08", EnteredBy: "planner"})
		}
		if err := f.db.AddValues(ctx, vs); err != nil {
			t.Fatal(err)
		}
	}
	day := func(m time.Month, d, h int) time.Time { return time.Date(2025, m, d, h, 0, 0, 0, indicators.Vietnam) }
	for m := 1; m <= 4; m++ {
		send(a, m, day(time.Month(m), 10, 9), f.codes...) // before the 14th: on time
	}
	send(b, 1, day(1, 14, 23), f.codes...) // 23:00 on the deadline: still on time
	send(b, 2, day(2, 20, 9), f.codes...)  // six days after 14 February: late
	send(b, 3, day(3, 12, 9), f.codes[0])  // one indicator of two: not received
	*f.clock = now
	for _, r := range indicators.Roles {
		u := indicators.User{Name: string(r), Role: r, PasswordHash: "$argon2id$unused"}
		if r == indicators.Approver {
			u.Units = []string{b} // the head of a unit names it
		}
		if err := f.db.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
	}
	f.plannerB = "planner.b"
	if err := f.db.CreateUser(ctx, &indicators.User{Name: f.plannerB, Role: indicators.Planner, Units: []string{b},
		PasswordHash: "$argon2id$unused"}); err != nil {
		t.Fatal(err)
	}
	f.s, err = New(Config{Store: f.db, Now: func() time.Time { return *f.clock },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *calendarFixture) get(t *testing.T, user, path string) *httptest.ResponseRecorder {
	t.Helper()
	ck, _ := sessionFor(t, f.s, user)
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(ck)
	rec := httptest.NewRecorder()
	f.s.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s as %s = %d:\n%.500s", path, user, rec.Code, rec.Body.String())
	}
	return rec
}

var rateRow = regexp.MustCompile(`<tr data-unit="([^"]+)"><t[hd]>[^<]*</t[hd]><t[hd] class="num">(\d+)</t[hd]><t[hd] class="num">(\d+)</t[hd]><t[hd] class="num">(\d+)</t[hd]><t[hd] class="num">(\d+)</t[hd]>`)

// TestCalendarCompleteness checks the reporting rate on a fixture with
// units on time, late and missing, and that its workbook holds the same
// counts as the page.
func TestCalendarCompleteness(t *testing.T) {
	t.Parallel()
	f := newCalendarFixture(t)
	a, b, c := f.units[0], f.units[1], f.units[2]
	q := "?" + url.Values{"plan": {f.plan}, "year": {"2025"}, "asof": {f.asOf}}.Encode()
	body := f.get(t, "leader", "/calendar"+q).Body.String()
	// Due by 20 April: January–April, four reports per unit.
	// A: 4 on time. B: January on time, February late, March (one
	// indicator of two) and April missing. C: 4 missing.
	// Total: 12 expected = 5 on time + 1 late + 6 missing.
	want := map[string][4]string{
		a: {"4", "4", "0", "0"}, b: {"4", "1", "1", "2"}, c: {"4", "0", "0", "4"}, "total": {"12", "5", "1", "6"},
	}
	page := map[string][4]string{}
	for _, m := range rateRow.FindAllStringSubmatch(body, -1) {
		page[m[1]] = [4]string{m[2], m[3], m[4], m[5]}
	}
	for unit, w := range want {
		if page[unit] != w {
			t.Errorf("page, %s: got expected/on time/late/missing %v, want %v", unit, page[unit], w)
		}
	}
	if !strings.Contains(body, "Tháng 4/2025") || !strings.Contains(body, `/reports/calendar?`) {
		t.Errorf("the page names no month as people write it, or offers no workbook")
	}

	rec := f.get(t, "leader", "/reports/calendar"+q)
	if ct := rec.Header().Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
		t.Fatalf("export content type %q", ct)
	}
	x, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("Tỷ lệ theo đơn vị")
	if err != nil {
		t.Fatal(err)
	}
	book := map[string][4]string{}
	for _, r := range rows[1:] {
		if len(r) < 6 {
			continue
		}
		key := r[0]
		if key == "" {
			key = "total"
		}
		book[key] = [4]string{r[2], r[3], r[4], r[5]}
	}
	for unit, w := range want {
		if book[unit] != w {
			t.Errorf("workbook, %s: got %v, want %v (the page showed %v)", unit, book[unit], w, page[unit])
		}
	}
	due, _ := x.GetRows("Các kỳ đến hạn")
	if len(due) != 1+12 {
		t.Errorf("the reports sheet has %d rows, want a heading and 12 due reports", len(due))
	}
	// A unit name is text, never a formula.
	for _, sheet := range x.GetSheetList() {
		cells, _ := x.GetRows(sheet)
		for i := range cells {
			for j := range cells[i] {
				ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if fo, _ := x.GetCellFormula(sheet, ref); fo != "" {
					t.Errorf("%s!%s holds a formula %q", sheet, ref, fo)
				}
			}
		}
	}
	// The download is in the audit trail.
	evs, _ := f.db.AuditEvents(context.Background(), indicators.AuditFilter{Action: "report.export"})
	if len(evs) != 1 || !strings.Contains(evs[0].After, `"calendar"`) {
		t.Errorf("export events: %+v", evs)
	}
}

// TestCalendarPlannerOwes shows a planner what their unit owes, with the
// count in the header, and not the other units.
func TestCalendarPlannerOwes(t *testing.T) {
	t.Parallel()
	f := newCalendarFixture(t)
	a, b := f.units[0], f.units[1]
	q := "?" + url.Values{"plan": {f.plan}, "year": {"2025"}}.Encode()
	body := f.get(t, f.plannerB, "/calendar"+q).Body.String()
	// B at 20 April: March and April overdue; May is due 14 May, beyond a week.
	if n := strings.Count(body, `class="owed-overdue"`); n != 2 {
		t.Errorf("planner B sees %d overdue reports, want 2 (March, April)", n)
	}
	if strings.Count(body, `class="owed-soon"`) != 0 {
		t.Error("planner B sees a report due soon; May is due 14 May")
	}
	if strings.Contains(body, `data-unit="`+a+`"`) || !strings.Contains(body, `data-unit="`+b+`"`) {
		t.Error("planner B's rate table shows another unit, or not theirs")
	}
	if strings.Contains(body, "/reports/calendar") {
		t.Error("a planner is offered the rate workbook")
	}
	inbox := f.get(t, f.plannerB, "/inbox").Body.String()
	if !strings.Contains(inbox, `aria-label="2 việc cần làm"`) {
		t.Errorf("the header shows no count of 2 for planner B")
	}
	if n := strings.Count(inbox, `class="inbox-overdue"`); n != 2 {
		t.Errorf("the inbox lists %d overdue reports, want 2", n)
	}
	// Six days later, 26 April... and on 8 May, May (due 14 May) is due soon.
	*f.clock = time.Date(2025, 5, 8, 9, 0, 0, 0, indicators.Vietnam)
	body = f.get(t, f.plannerB, "/inbox").Body.String()
	if strings.Count(body, `class="inbox-due_soon"`) != 1 {
		t.Errorf("on 8 May the inbox shows no report due soon (May, due 14 May)")
	}
	// A leader owes nothing: no count.
	if strings.Contains(f.get(t, "leader", "/inbox").Body.String(), `class="inbox-count"`) {
		t.Error("a leader's header shows an inbox count")
	}
}

// TestCalendarRouteRoles names who may use each route of the reporting
// cycle; TestRouteAccessTable walks them with every role.
func TestCalendarRouteRoles(t *testing.T) {
	t.Parallel()
	s, _ := testServer(t, Config{})
	all := []indicators.Role{indicators.Admin, indicators.Planner, indicators.Approver, indicators.Leader, indicators.Auditor}
	for rt, want := range map[string][]indicators.Role{
		"GET /calendar":                                  all,
		"GET /reports/calendar":                          {indicators.Admin, indicators.Leader, indicators.Auditor},
		"GET /inbox":                                     all,
		"POST /inbox/email":                              all,
		"GET /admin/plans/:plan/obligations":             {indicators.Admin},
		"POST /admin/plans/:plan/obligations":            {indicators.Admin},
		"POST /admin/plans/:plan/obligations/suggest":    {indicators.Admin},
		"POST /admin/plans/:plan/obligations/:id":        {indicators.Admin},
		"POST /admin/plans/:plan/obligations/:id/delete": {indicators.Admin},
		"POST /admin/plans/:plan/cutoffs":                {indicators.Admin},
	} {
		a, ok := s.access[rt]
		if !ok {
			t.Errorf("%s is not registered", rt)
			continue
		}
		for _, r := range all {
			if got, w := containsRole(a.roles, r), containsRole(want, r); got != w {
				t.Errorf("%s for %s: admitted %t, want %t", rt, r, got, w)
			}
		}
	}
}

func containsRole(rs []indicators.Role, r indicators.Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}
