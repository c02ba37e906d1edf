package dashboard_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"

	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"chitieu/dashboard"
	"chitieu/dashboard/logintest"
	"chitieu/indicators"
	"chitieu/indicators/catalog"
	"chitieu/indicators/sqlite"
	"chitieu/internal/testdb"
)

// The test servers run the real server on a fresh database holding the
// built-in catalogue. Their pages need a session, as in production: as
// signs in, through the login form, one person per role that reads pages,
// the first time a test asks for that role.

// testUsers are the people signed in on the test servers.
var testUsers = map[indicators.Role]string{
	indicators.Leader:   "lanh.dao",
	indicators.Admin:    "quan.tri",
	indicators.Auditor:  "kiem.toan",
	indicators.Planner:  "chuyen.vien",
	indicators.Approver: "thu.truong", // heads the city, CT
}

// site is a running test server: its users and its signed-in clients.
type site struct {
	users   indicators.UserStore
	mu      sync.Mutex
	clients map[indicators.Role]*http.Client
}

// sites holds the running test servers by base URL.
var sites sync.Map

// newServer builds a test server and hands back its store.
func newServer(t *testing.T) (*httptest.Server, *sqlite.DB) {
	t.Helper()
	ts, _, db := newServerDB(t)
	return ts, db
}

// newServerDB builds a test server and hands back the server and its
// store.
func newServerDB(t *testing.T, tweaks ...func(*dashboard.Config)) (*httptest.Server, *dashboard.Server, *sqlite.DB) {
	t.Helper()
	db := testdb.Builtin(t)
	cfg := dashboard.Config{Store: db}
	for _, tweak := range tweaks {
		tweak(&cfg)
	}
	ts, srv := serve(t, cfg)
	return ts, srv, db
}

// startServer serves a store the test filled itself.
func startServer(t *testing.T, db *sqlite.DB) *httptest.Server {
	t.Helper()
	ts, _ := serve(t, dashboard.Config{Store: db})
	return ts
}

// serve starts the server of cfg, whose store keeps the users, over
// httptest.
func serve(t *testing.T, cfg dashboard.Config) (*httptest.Server, *dashboard.Server) {
	t.Helper()
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.StaleAfter == 0 {
		// Tests read their own writes at once; serving the page from
		// before a write while it is recomputed has a test of its own.
		cfg.StaleAfter = -1
	}
	srv, err := dashboard.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	sites.Store(ts.URL, &site{users: cfg.Store, clients: map[indicators.Role]*http.Client{}})
	t.Cleanup(func() { sites.Delete(ts.URL) })
	return ts, srv
}

// as returns a client signed in with role on the test server url points
// at, adding the user and signing in the first time.
func as(t *testing.T, url string, role indicators.Role) *http.Client {
	t.Helper()
	var base string
	var st *site
	sites.Range(func(k, v any) bool {
		if url == k.(string) || strings.HasPrefix(url, k.(string)+"/") {
			base, st = k.(string), v.(*site)
		}
		return st == nil
	})
	if st == nil {
		t.Fatalf("no test server for %s", url)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if c, ok := st.clients[role]; ok {
		return c
	}
	name := testUsers[role]
	var units []string
	if role == indicators.Approver {
		units = []string{"CT"}
	}
	logintest.AddUser(t, st.users, name, role, "", units, nil)
	c := logintest.Login(t, base, name, "")
	st.clients[role] = c
	return c
}

// clientFor returns the client of a leader signed in on the test server
// url points at: the dashboards are read as the people who use them do.
func clientFor(t *testing.T, url string) *http.Client {
	t.Helper()
	return as(t, url, indicators.Leader)
}

// roleFor is who reads a page in the tests: a visitor the login page, the
// admin the users pages, the auditor the audit trail, a leader the rest.
func roleFor(path string) indicators.Role {
	switch {
	case strings.HasPrefix(path, "/login"):
		return ""
	case strings.HasPrefix(path, "/admin"):
		return indicators.Admin
	case strings.HasPrefix(path, "/imports"), strings.HasPrefix(path, "/tasks/"), strings.HasPrefix(path, "/entry"):
		return indicators.Planner
	case strings.HasPrefix(path, "/audit"):
		return indicators.Auditor
	}
	return indicators.Leader
}

// visit GETs a page as roleFor says, failing unless the status is want.
func visit(t *testing.T, base, path string, want int) (*http.Response, string) {
	t.Helper()
	c := logintest.Client(t)
	if r := roleFor(path); r != "" {
		c = as(t, base, r)
	}
	return get(t, c, base+path, want)
}

// hostile is markup that would run if a page wrote it unescaped: it ends a
// script element and adds an image whose error handler runs code.
const hostile = `</script><img src=x onerror=alert(1)>`

// hostile names are given to an indicator, a district and a task group's
// task, so that every page and chart shows them.
const (
	hostileIndicator = "XSS-01"
	hostileUnit      = "999"
)

// addHostileData stores an indicator and a district named with hostile
// markup, a target of Resolution 98 on the indicator, and values for the
// city and the district.
func addHostileData(t *testing.T, db *sqlite.DB) {
	t.Helper()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: hostile})
	ids, err := catalog.PlanIDs()
	if err != nil {
		t.Fatal(err)
	}
	c := &indicators.Catalog{
		Units: []indicators.Unit{{Code: hostileUnit, NameVI: "Quận " + hostile, NameEN: "District " + hostile,
			Kind: indicators.District, Type: "quận", Parent: "CT-CU", Scope: indicators.OldCity,
			ValidTo: time.Date(2025, 6, 30, 0, 0, 0, 0, indicators.Vietnam)}},
		Indicators: []indicators.Indicator{{Code: hostileIndicator, NameVI: "Chỉ tiêu " + hostile, NameEN: "Indicator " + hostile,
			Unit: "%" + hostile, Decimals: 1, Direction: indicators.Up, Measure: indicators.Rate, Rollup: indicators.RollupNone,
			Frequency: indicators.Yearly, Group: 3, NoteVI: hostile}},
		Targets: []indicators.Target{{Plan: ids["R98"], Indicator: hostileIndicator, Period: indicators.YearRange{From: 2021, To: 2025},
			Scope: indicators.OldCity, Group: 3, TargetRevision: indicators.TargetRevision{Kind: indicators.LevelTarget,
				Bound: indicators.Bound{Op: indicators.OpAtLeast, A: 90}, Text: hostile, Source: "test", EnteredBy: hostile}}},
	}
	if _, err := db.LoadCatalog(ctx, c); err != nil {
		t.Fatal(err)
	}
	var vs []indicators.Value
	for y, x := range map[int]float64{2020: 40, 2022: 45, 2024: 47} {
		vs = append(vs, indicators.Value{Key: indicators.Key{Indicator: hostileIndicator, Unit: "CT-CU",
			Period: indicators.YearPeriod(y), Type: indicators.OfficialValue}, Value: x, Source: hostile, Note: hostile,
			Sheet: hostile, Cell: "B2"})
		vs = append(vs, indicators.Value{Key: indicators.Key{Indicator: hostileIndicator, Unit: hostileUnit,
			Period: indicators.YearPeriod(y), Type: indicators.OfficialValue}, Value: x + 5, Source: hostile})
		vs = append(vs, indicators.Value{Key: indicators.Key{Indicator: hostileIndicator, Unit: "916",
			Period: indicators.YearPeriod(y), Type: indicators.OfficialValue}, Value: x - 5, Source: "test"})
	}
	if err := db.AddValues(ctx, vs); err != nil {
		t.Fatal(err)
	}
}
