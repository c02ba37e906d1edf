package dashboard

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// A request whose client went away is not an internal error: nothing is
// written and nothing is logged as a failure.
func TestClientGoneIsNotAnError(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	s := &Server{Log: slog.New(slog.NewTextHandler(&log, nil))}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest("GET", "/indicators/ECO-01", nil).WithContext(ctx)
	rec := httptest.NewRecorder()
	c := echo.New().NewContext(req, rec)
	s.handleError(fmt.Errorf("sqlite: find indicator ECO-01: %w", context.Canceled), c)
	if rec.Body.Len() != 0 || c.Response().Committed {
		t.Errorf("answered %d %q to a client that left", rec.Code, rec.Body.String())
	}
	if strings.Contains(log.String(), "level=ERROR") || !strings.Contains(log.String(), "client closed") {
		t.Errorf("log = %s", log.String())
	}
	// The same error while the client is still there is a failure.
	log.Reset()
	rec = httptest.NewRecorder()
	c = echo.New().NewContext(httptest.NewRequest("GET", "/api/v1/plans", nil), rec)
	s.handleError(context.Canceled, c)
	if rec.Code != 500 || !strings.Contains(log.String(), "level=ERROR") {
		t.Errorf("with the client there: %d, log %s", rec.Code, log.String())
	}
}
