package dashboard

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"chitieu/importers"
	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// The web entry form (/entry): a planner chooses a unit and a period and
// types the unit's values beside last period's value and the plan value.
// What is sent becomes a generated workbook that goes through the same
// preview → commit path as an upload (see entry_submit.go).

// entryForm is the form as typed, kept when it is shown again: the unit,
// the period's text form, and per indicator code its value, type and note.
type entryForm struct {
	Unit, Period string
	Values       map[string]string
	Types        map[string]string
	Notes        map[string]string
}

// entryRow is one indicator on the form.
type entryRow struct {
	Code, Name, Measure string
	Last, LastType      string // last period's value as written, and its type's message key
	Plan                string
	Value, Type, Note   string // as typed
	Error               string // what is wrong with the value, in the user's language
}

type entryData struct {
	adminPage
	Units           []importChoice
	Periods         []importChoice
	Unit, Period    string
	Chosen          bool   // a unit and a period are chosen: the form is shown
	PeriodLabel     string // the period as people write it
	LastLabel       string // last period, likewise
	Rows            []entryRow
	Errors          int // fields with an error
	Numbers         string
	OutOfScope      bool // the unit's form would list nothing within the user's scope
	ImportsPagePath string
}

// entryIndicators is the one place the form asks which indicators a unit
// reports for a period: those its reporting obligations ask for the
// period, within the user's scope; when no obligation asks anything of
// the unit, those of its targets' shares or of the catalogue
// (indicators.EntryIndicators).
func (s *Server) entryIndicators(ctx context.Context, unit string, p indicators.Period) ([]indicators.Indicator, error) {
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	a := indicators.ActorFrom(ctx)
	obs, err := s.store.Obligations(ctx, indicators.ObligationFilter{})
	if err != nil {
		return nil, err
	}
	if owed := indicators.OwedIndicators(obs, unit, p); len(owed) > 0 {
		var out []indicators.Indicator
		for _, ind := range inds {
			if slices.Contains(owed, ind.Code) && a.MayWrite(unit, ind.Group) {
				out = append(out, ind)
			}
		}
		return out, nil
	}
	u := unit
	targets, err := s.store.Targets(ctx, indicators.TargetFilter{Unit: &u})
	if err != nil {
		return nil, err
	}
	return indicators.EntryIndicators(inds, targets, unit, p, a), nil
}

// parseEntryChoice reads the unit and the period the form is for; ok is
// false when either is missing or not valid.
func parseEntryChoice(unit, period string) (string, indicators.Period, bool) {
	unit = strings.ToUpper(strings.TrimSpace(unit))
	p, err := indicators.ParsePeriod(period)
	return unit, p, unit != "" && err == nil
}

// showEntry draws the entry page for the form f, with fieldErrs (by
// indicator code) and failure (above the form).
func (s *Server) showEntry(c echo.Context, f entryForm, fieldErrs map[string]string, failure error) error {
	ctx := c.Request().Context()
	lang := langOf(c)
	u, _ := currentUser(c)
	d := entryData{adminPage: s.newAdminPage(c, "entry.title"), Unit: f.Unit, Period: f.Period, Errors: len(fieldErrs),
		Numbers: s.msgs.translate(lang, "entry.numbers_"+lang), ImportsPagePath: "/imports"}
	d.Crumbs = []crumb{{URL: "/imports", Label: s.msgs.translate(lang, "nav.imports")}}
	var err error
	if d.Units, err = s.importUnitChoices(c, u); err != nil {
		return err
	}
	for _, p := range indicators.EntryPeriods(s.now()) {
		d.Periods = append(d.Periods, importChoice{Value: p.String(), Label: p.Label(lang)})
	}
	status := http.StatusOK
	if failure != nil {
		de, msg, ok := domainError(lang, failure)
		if !ok {
			return failure
		}
		d.Error, status = msg, statusOf(de.Code)
	}
	if len(fieldErrs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	unit, p, ok := parseEntryChoice(f.Unit, f.Period)
	if !ok || !slices.ContainsFunc(d.Units, func(ch importChoice) bool { return ch.Value == unit }) {
		return s.render(c, status, "entry", d)
	}
	if !slices.ContainsFunc(d.Periods, func(ch importChoice) bool { return ch.Value == p.String() }) {
		d.Periods = append([]importChoice{{Value: p.String(), Label: p.Label(lang)}}, d.Periods...)
	}
	d.Unit, d.Period, d.Chosen = unit, p.String(), true
	prev := indicators.PreviousPeriod(p)
	d.PeriodLabel, d.LastLabel = p.Label(lang), prev.Label(lang)
	if d.Rows, err = s.entryRows(ctx, lang, unit, p, f, fieldErrs); err != nil {
		return err
	}
	d.OutOfScope = len(d.Rows) == 0
	return s.render(c, status, "entry", d)
}

// entryRows builds the rows of the form: each indicator the unit reports
// for p, with last period's value and the plan value, and what was typed.
func (s *Server) entryRows(ctx context.Context, lang, unit string, p indicators.Period, f entryForm,
	fieldErrs map[string]string) ([]entryRow, error) {
	inds, err := s.entryIndicators(ctx, unit, p)
	if err != nil {
		return nil, err
	}
	values, err := s.store.Values(ctx, indicators.ValueFilter{Units: []string{unit}})
	if err != nil {
		return nil, err
	}
	byCode := map[string][]indicators.Value{}
	for _, v := range values {
		byCode[v.Indicator] = append(byCode[v.Indicator], v)
	}
	now, prev := s.now(), indicators.PreviousPeriod(p)
	rows := make([]entryRow, 0, len(inds))
	for _, ind := range inds {
		r := entryRow{Code: ind.Code, Name: pick(lang, ind.NameVI, ind.NameEN), Measure: pick(lang, ind.Unit, ind.UnitEN),
			Value: f.Values[ind.Code], Type: f.Types[ind.Code], Note: f.Notes[ind.Code], Error: fieldErrs[ind.Code]}
		if r.Measure == "" {
			r.Measure = ind.Unit
		}
		if r.Type == "" {
			// A period not yet over can only have an estimate.
			r.Type = string(indicators.EstimateValue)
			if indicators.PeriodOver(p, now) {
				r.Type = string(indicators.OfficialValue)
			}
		}
		if v, ok := indicators.ReportedValue(byCode[ind.Code], unit, prev, now); ok {
			r.Last, r.LastType = indicators.FormatNumber(v.Value, ind.Decimals, lang), "entry.type_"+string(v.Type)
		}
		if v, ok := indicators.PlannedValue(byCode[ind.Code], unit, p, now); ok {
			r.Plan = indicators.FormatNumber(v.Value, ind.Decimals, lang)
			if v.High != nil {
				r.Plan += "–" + indicators.FormatNumber(*v.High, ind.Decimals, lang)
			}
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// entryFieldErrors maps the rejected cells of the generated workbook back
// to the form's fields: the value cell of row i is rows[i]'s. A cell that
// is no value's goes above the form.
func entryFieldErrors(errs []importers.CellError, rows []importers.EntryRow) (map[string]string, []string) {
	byCode := map[string]string{}
	var other []string
	for _, e := range errs {
		if i := importers.EntryRowOf(e.Cell, len(rows)); i >= 0 {
			byCode[rows[i].Indicator] = e.Reason
			continue
		}
		other = append(other, e.String())
	}
	return byCode, other
}
