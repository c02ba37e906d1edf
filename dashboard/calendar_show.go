package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"chitieu/indicators"
	"chitieu/reports"

	"github.com/labstack/echo/v4"
)

// The reporting calendar: what each unit owes for a plan's year, by when,
// and what came on time, late or not at all. A planner sees first what
// the units they write for owe (overdue, due within a week); everyone
// sees the reporting rate per unit and the state of each period, a
// planner only for their units. Leaders, auditors and admins take the
// rate away as a workbook with the same counts.

// rateReaders may download the reporting rate.
var rateReaders = access{roles: []indicators.Role{indicators.Admin, indicators.Leader, indicators.Auditor}}

// calendarParams is the calendar as asked for: a plan, a year and an
// as-of day (today when none).
type calendarParams struct {
	Plan indicators.Plan
	Year int
	AsOf time.Time
}

// parseCalendar reads ?plan=, ?year= and ?asof=.
func (s *Server) parseCalendar(c echo.Context) (calendarParams, pageState, error) {
	st, err := s.readState(c)
	if err != nil {
		return calendarParams{}, st, err
	}
	p := calendarParams{Plan: st.Plan, AsOf: st.AsOf, Year: st.AsOf.In(indicators.Vietnam).Year()}
	if v := strings.TrimSpace(c.QueryParam("year")); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 1990 || y > 2100 {
			return p, st, paramError("year", fmt.Sprintf("năm %q không hợp lệ", v), fmt.Sprintf("the year %q is not valid", v))
		}
		p.Year = y
	}
	return p, st, nil
}

// calendarItem is one report on the page.
type calendarItem struct {
	Unit, UnitName, Period, Window, Deadline, State, StateKey, Received string
	Have, Owed                                                          int
}

// calendarRate is one row of the reporting-rate table.
type calendarRate struct {
	Unit, Name                      string
	Expected, OnTime, Late, Missing int
	Percent                         string
}

// calendarPeriod heads a column of the grid.
type calendarPeriod struct {
	Label, Deadline string
}

// calendarCell is a unit's report of a period in the grid: its state and
// the mark that shows it.
type calendarCell struct {
	State, Mark string
}

// calendarRow is a unit's line of the grid.
type calendarRow struct {
	Unit, Name string
	Cells      []calendarCell
}

type calendarData struct {
	Plan        indicators.Plan
	PlanName    string
	Plans       []formOption
	Year        int
	Years       []int
	AsOf        string
	AsOfParam   string
	Planner     bool
	Overdue     []calendarItem
	Soon        []calendarItem
	Rates       []calendarRate
	Total       calendarRate
	Periods     []calendarPeriod
	Grid        []calendarRow
	Export      string // the workbook's address; "" for who may not take it
	Obligations int
}

// calendarScope is the units whose reports a user sees: those a user
// limited to some units (a planner, the head of a unit) works for, all
// for the others (nil).
func calendarScope(u indicators.User) []string { return u.Units }

// calendar draws the reporting calendar.
func (s *Server) calendar(c echo.Context) error {
	p, st, err := s.parseCalendar(c)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	lang := langOf(c)
	scope := calendarScope(u)
	exportable := slices.Contains(rateReaders.roles, u.Role)
	key := fmt.Sprintf("%s|%d|%s|%s|%t|%s", p.Plan.ID, p.Year, dayParam(p.AsOf), u.Role, exportable, strings.Join(scope, ","))
	return s.renderPage(c, http.StatusOK, "calendar", key, func(ctx context.Context, _ *chartSet) (any, error) {
		es, err := s.calendarBook.Year(ctx, indicators.ObligationFilter{Plan: p.Plan.ID, Units: scope}, p.Year, p.AsOf)
		if err != nil {
			return nil, err
		}
		names, err := s.unitNames(ctx, lang)
		if err != nil {
			return nil, err
		}
		d := calendarData{Plan: p.Plan, PlanName: pick(lang, p.Plan.TitleVI, p.Plan.TitleEN), Year: p.Year,
			AsOf: formatDate(lang, p.AsOf), Planner: u.Role == indicators.Planner}
		if st.AsOfSet {
			d.AsOfParam = dayParam(p.AsOf)
		}
		for _, pl := range st.Plans {
			d.Plans = append(d.Plans, formOption{Value: pl.ID, Label: pl.Code + " — " + pick(lang, pl.TitleVI, pl.TitleEN)})
		}
		for y := p.AsOf.In(indicators.Vietnam).Year() + 1; y >= p.AsOf.In(indicators.Vietnam).Year()-5; y-- {
			d.Years = append(d.Years, y)
		}
		seen := map[int64]bool{}
		for _, e := range es {
			seen[e.Obligation.ID] = true
		}
		d.Obligations = len(seen)
		if d.Planner {
			overdue, soon := indicators.Owed(es, p.AsOf, indicators.InboxDays)
			for _, e := range overdue {
				d.Overdue = append(d.Overdue, s.calendarItem(lang, names, e))
			}
			for _, e := range soon {
				d.Soon = append(d.Soon, s.calendarItem(lang, names, e))
			}
		}
		for _, r := range indicators.RatesByUnit(es, p.AsOf) {
			row := calendarRate{Unit: r.Unit, Name: names[r.Unit], Expected: r.Expected, OnTime: r.OnTime, Late: r.Late,
				Missing: r.Missing, Percent: "–"}
			if pc := r.Percent(); pc >= 0 {
				row.Percent = formatPct(lang, pc, 1)
			}
			if r.Unit == "" {
				d.Total = row
			} else {
				d.Rates = append(d.Rates, row)
			}
		}
		d.Periods, d.Grid = s.calendarGrid(lang, names, es)
		if exportable {
			q := url.Values{"plan": {p.Plan.ID}, "year": {strconv.Itoa(p.Year)}}
			if st.AsOfSet {
				q.Set("asof", dayParam(p.AsOf))
			}
			d.Export = "/reports/calendar?" + q.Encode()
		}
		return d, nil
	})
}

func (s *Server) calendarItem(lang string, names map[string]string, e indicators.Expectation) calendarItem {
	w := e.Window
	return calendarItem{Unit: e.Obligation.Unit, UnitName: names[e.Obligation.Unit], Period: w.Period.Label(lang),
		Window:   formatDate(lang, w.From) + " – " + formatDate(lang, w.To),
		Deadline: formatDate(lang, w.Deadline), StateKey: string(e.State),
		State: s.msgs.translate(lang, "calendar.state."+string(e.State)), Received: formatDateTime(lang, e.Received),
		Have: e.Have, Owed: len(e.Obligation.Indicators)}
}

// calendarGrid lays the reports out by unit and period, the periods in
// order (a unit owing monthly and yearly reports fills both columns), each
// column headed by its period and deadline. A cell holds only its state:
// 103 units × 12 months make a page of 1,236 cells, kept small.
func (s *Server) calendarGrid(lang string, names map[string]string, es []indicators.Expectation) ([]calendarPeriod, []calendarRow) {
	var periods []indicators.Period
	deadline := map[indicators.Period]time.Time{}
	for _, e := range es {
		p := e.Window.Period
		if !slices.Contains(periods, p) {
			periods = append(periods, p)
		}
		// Plans may set different deadlines for one period: the column
		// gives the earliest.
		if d, ok := deadline[p]; !ok || e.Window.Deadline.Before(d) {
			deadline[p] = e.Window.Deadline
		}
	}
	slices.SortFunc(periods, func(a, b indicators.Period) int {
		if a.Through() != b.Through() {
			return a.Through() - b.Through()
		}
		return len(indicators.PeriodsOf(indicators.Frequency(b.Kind), a.Year)) - len(indicators.PeriodsOf(indicators.Frequency(a.Kind), a.Year))
	})
	col := map[indicators.Period]int{}
	heads := make([]calendarPeriod, len(periods))
	for i, p := range periods {
		col[p] = i
		heads[i] = calendarPeriod{Label: p.Label(lang), Deadline: formatDate(lang, deadline[p])}
	}
	var rows []calendarRow
	at := map[string]int{}
	for _, e := range es {
		u := e.Obligation.Unit
		i, ok := at[u]
		if !ok {
			i = len(rows)
			at[u] = i
			rows = append(rows, calendarRow{Unit: u, Name: names[u], Cells: make([]calendarCell, len(periods))})
		}
		cell := &rows[i].Cells[col[e.Window.Period]]
		// Of two obligations of one period (two plans' frequencies meeting),
		// the worse state shows.
		if cell.State == "" || stateRank(e.State) > stateRank(indicators.ReportState(cell.State)) {
			cell.State = string(e.State)
		}
	}
	marks := map[string]string{}
	for _, st := range []indicators.ReportState{indicators.ReportOnTime, indicators.ReportLate, indicators.ReportMissing, indicators.ReportPending} {
		marks[string(st)] = s.msgs.translate(lang, "calendar.mark."+string(st))
	}
	for i := range rows {
		for j := range rows[i].Cells {
			rows[i].Cells[j].Mark = marks[rows[i].Cells[j].State]
		}
	}
	slices.SortFunc(rows, func(a, b calendarRow) int { return strings.Compare(a.Unit, b.Unit) })
	return heads, rows
}

func stateRank(s indicators.ReportState) int {
	switch s {
	case indicators.ReportMissing:
		return 3
	case indicators.ReportLate:
		return 2
	case indicators.ReportPending:
		return 1
	}
	return 0
}

// calendarExport sends the reporting rate of the page as a workbook: the
// same reports, counted by the same function.
func (s *Server) calendarExport(c echo.Context) error {
	p, st, err := s.parseCalendar(c)
	if err != nil {
		return s.refuseDownload(c, indicators.ExportCalendar, err)
	}
	lang, err := reportLanguage(c)
	if err != nil {
		return s.refuseDownload(c, indicators.ExportCalendar, err)
	}
	params := map[string]string{"plan": p.Plan.ID, "year": strconv.Itoa(p.Year), "language": lang}
	if st.AsOfSet {
		params["asof"] = dayParam(p.AsOf)
	}
	return s.sendReport(c, indicators.ExportCalendar, params, func(ctx context.Context) (*reports.File, error) {
		es, err := s.calendarBook.Year(ctx, indicators.ObligationFilter{Plan: p.Plan.ID}, p.Year, p.AsOf)
		if err != nil {
			return nil, err
		}
		names, err := s.unitNames(ctx, lang)
		if err != nil {
			return nil, err
		}
		return s.reportBuilder.Calendar(ctx, reports.CalendarRequest{Plan: p.Plan, Year: p.Year, AsOf: p.AsOf,
			Rates: indicators.RatesByUnit(es, p.AsOf), Reports: es, UnitNames: names, Lang: lang, By: reporter(c)})
	})
}
