package dashboard

import (
	"net/http"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// indicatorListRow is an indicator with its latest city value and how many
// targets of the plan family it serves.
type indicatorListRow struct {
	Code, Name, Unit, Measure string
	Group                     int
	Latest                    *float64
	LatestYear                int
	LatestType                indicators.ValueType
	Decimals                  int
	Targets                   int
	Link                      string
}

// indicatorList lists every indicator with its latest value for the city.
func (s *Server) indicatorList(c echo.Context) error {
	st, err := s.readState(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	list, err := s.store.Indicators(ctx)
	if err != nil {
		return err
	}
	all, err := s.progressAll(ctx, st)
	if err != nil {
		return err
	}
	targets := map[string]int{}
	for _, tp := range all.Targets {
		targets[tp.Indicator.Code]++
	}
	lang := langOf(c)
	rows := make([]indicatorListRow, 0, len(list))
	for _, ind := range list {
		r := indicatorListRow{Code: ind.Code, Name: pick(lang, ind.NameVI, ind.NameEN), Unit: pick(lang, ind.Unit, ind.UnitEN),
			Measure: s.msgs.translate(lang, "measure."+string(ind.Measure)), Group: ind.Group, Decimals: ind.Decimals,
			Targets: targets[ind.Code], Link: st.link("/indicators/" + ind.Code)}
		vs, err := s.cityValues(ctx, ind.Code, st.AsOf)
		if err != nil {
			return err
		}
		// The latest year of either territory, official before estimate.
		for _, scope := range []indicators.Scope{indicators.OldCity, indicators.MergedCity} {
			for y, v := range indicators.ByYear(vs, scope, st.AsOf) {
				if y > r.LatestYear {
					r.LatestYear, r.Latest, r.LatestType = y, ptr(v.Value), v.Type
				}
			}
		}
		rows = append(rows, r)
	}
	return s.render(c, http.StatusOK, "indicators", struct {
		State stateView
		AsOf  string
		Rows  []indicatorListRow
	}{st.view(lang, "/indicators"), formatDate(lang, st.AsOf), rows})
}
