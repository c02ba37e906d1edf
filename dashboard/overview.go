package dashboard

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// overview is the leaders' front page.
func (s *Server) overview(c echo.Context) error {
	plans, err := s.Store.Plans(c.Request().Context())
	if err != nil {
		return err
	}
	type row struct{ Code, Title string }
	lang := langOf(c)
	data := struct{ Plans []row }{}
	for _, p := range plans {
		data.Plans = append(data.Plans, row{p.Code, pick(lang, p.TitleVI, p.TitleEN)})
	}
	return s.render(c, http.StatusOK, "overview", data)
}
