package dashboard

import (
	"bytes"
	"net/http"
	"strings"

	"chitieu/importers"
	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// importTemplate sends the input template of a plan, a period and a unit
// (?plan=&period=&unit=, and &ytd=2025-YTD09 for the year-to-date columns
// of a report to the People's Council): a workbook with the indicators
// locked, one column a year, a drop-down value type, and instructions;
// filled, it imports with no mapping. It is built whole before the first
// byte; a request it cannot serve shows the import page with the reason.
func (s *Server) importTemplate(c echo.Context) error {
	plan, unit := c.QueryParam("plan"), strings.ToUpper(strings.TrimSpace(c.QueryParam("unit")))
	if plan == "" || unit == "" || c.QueryParam("period") == "" {
		return s.showImports(c, importForm{Profile: "auto"}, indicators.FieldError(indicators.EINVALID, "plan",
			"hãy chọn kế hoạch, giai đoạn và đơn vị của biểu mẫu", "choose the template's plan, period and unit"))
	}
	period, err := indicators.ParseYearRange("period", c.QueryParam("period"))
	if err != nil {
		return s.showImports(c, importForm{Profile: "auto"}, err)
	}
	req := importers.TemplateRequest{Plan: plan, Period: period, Unit: unit}
	if q := strings.TrimSpace(c.QueryParam("ytd")); q != "" {
		if req.YearToDate, err = indicators.ParsePeriod(q); err != nil {
			return s.showImports(c, importForm{Profile: "auto"}, err)
		}
	}
	var buf bytes.Buffer
	info, err := importers.WriteTemplate(c.Request().Context(), s.store, req, &buf)
	if err != nil {
		return s.showImports(c, importForm{Profile: "auto"}, err)
	}
	name := "bieu-nhap-" + indicators.Slug(info.Plan.Code) + "-" + period.String() + "-" + indicators.Slug(info.Unit.Code)
	if len(info.YearToDate) > 0 {
		name += "-" + strings.ToLower(req.YearToDate.String())
	}
	name += ".xlsx"
	c.Response().Header().Set("Content-Disposition", importDisposition(name, name))
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}
