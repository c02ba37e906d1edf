package dashboard_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"chitieu/dashboard"
	"chitieu/indicators/catalog"
	"chitieu/indicators/sqlite"

	"github.com/labstack/echo/v4"
)

// newServerWith builds the real server on a fresh database holding the
// built-in catalogue, letting hook add middleware first (a test nonce).
func newServerWith(t *testing.T, hook func(*echo.Echo)) (*httptest.Server, *dashboard.Server) {
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
	return ts, srv
}

func newJar() http.CookieJar {
	jar, _ := cookiejar.New(nil)
	return jar
}

// newServer2 is newServerWith without a hook.
func newServer2(t *testing.T) (*httptest.Server, *dashboard.Server) {
	t.Helper()
	return newServerWith(t, nil)
}
