package dashboard_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"chitieu/dashboard"
	"chitieu/indicators"
	"chitieu/indicators/catalog"
	"chitieu/indicators/sqlite"

	"github.com/labstack/echo/v4"
)

// newServerWith builds the real server on a fresh database holding the
// built-in catalogue, letting hook add middleware first (a test nonce).
func newServerWith(t *testing.T, hook func(*echo.Echo)) (*httptest.Server, *dashboard.Server) {
	t.Helper()
	ts, srv, _ := newServerDB(t, hook)
	return ts, srv
}

// newServerDB is newServerWith that also hands back the store.
func newServerDB(t *testing.T, hook func(*echo.Echo)) (*httptest.Server, *dashboard.Server, *sqlite.DB) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "pages.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.LoadCatalog(ctx, cat); err != nil {
		t.Fatal(err)
	}
	srv, err := dashboard.New(dashboard.Config{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	if hook != nil {
		hook(srv.Echo())
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts, srv, db
}

// newServer2 is newServerWith without a hook.
func newServer2(t *testing.T) (*httptest.Server, *dashboard.Server) {
	t.Helper()
	return newServerWith(t, nil)
}

func newJar() http.CookieJar {
	jar, _ := cookiejar.New(nil)
	return jar
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
