package dashboard

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// openAPIDocument describes the whole JSON API in OpenAPI 3.1. It is
// written by hand next to the handlers it describes, and a test holds it
// against real answers of every /api/v1 route and status, so that it
// cannot drift from them.
//
//go:embed openapi.json
var openAPIDocument []byte

// apiOpenAPI serves the OpenAPI document. It is public: it names routes
// and shapes, no data.
func (s *Server) apiOpenAPI(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	return c.Blob(http.StatusOK, "application/json", openAPIDocument)
}
