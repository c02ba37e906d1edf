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
	s := &Server{log: slog.New(slog.NewTextHandler(&log, nil))}
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

// A panic in a handler answers 500 with the request ID, and the log holds
// the panic, the stack down to the handler and the same request ID; the
// server goes on answering.
func TestPanicLoggedWithStackAndRequestID(t *testing.T) {
	var log bytes.Buffer
	s, _ := testServer(t, Config{Log: slog.New(slog.NewJSONHandler(&log, nil))})
	s.Echo().GET("/boom", panickingHandler)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/boom", nil))
	rid := rec.Header().Get("X-Request-ID")
	if rec.Code != 500 || rid == "" {
		t.Fatalf("GET /boom = %d, request ID %q", rec.Code, rid)
	}
	var logged bool
	for _, line := range strings.Split(log.String(), "\n") {
		if strings.Contains(line, `"msg":"dashboard: panic in a handler"`) {
			logged = true
			if !strings.Contains(line, `"request_id":"`+rid+`"`) || !strings.Contains(line, `"panic":"kaboom"`) ||
				!strings.Contains(line, "panickingHandler") || !strings.Contains(line, "goroutine") {
				t.Errorf("panic logged without its stack or request ID %s:\n%s", rid, line)
			}
		}
	}
	if !logged {
		t.Errorf("no panic in the log:\n%s", log.String())
	}
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	if rec.Code != 200 {
		t.Errorf("after the panic, /healthz = %d", rec.Code)
	}
}

func panickingHandler(echo.Context) error { panic("kaboom") }
