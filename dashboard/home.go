package dashboard

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

var homePage = template.Must(template.New("home").Parse(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>chitieu — theo dõi chỉ tiêu</title></head><body>
<h1>chitieu — theo dõi chỉ tiêu Nghị quyết 59-NQ/TW</h1>
<table><thead><tr><th>Văn bản</th><th>Ngày</th><th>Tên</th></tr></thead><tbody>
{{range .}}<tr><td><a href="/api/v1/plans/{{.ID}}/targets">{{.Code}}</a></td><td>{{.Date}}</td><td>{{.TitleVI}}</td></tr>
{{end}}</tbody></table></body></html>`))

// home lists the plans with links to their targets.
func (s *Server) home(c echo.Context) error {
	plans, err := s.Store.Plans(c.Request().Context())
	if err != nil {
		return err
	}
	type row struct{ ID, Code, Date, TitleVI string }
	rows := make([]row, len(plans))
	for i, p := range plans {
		rows[i] = row{ID: p.ID, Code: p.Code, Date: dateOrEmpty(p.Issued), TitleVI: p.TitleVI}
	}
	var b strings.Builder
	if err := homePage.Execute(&b, rows); err != nil {
		return err
	}
	return c.HTML(http.StatusOK, b.String())
}
