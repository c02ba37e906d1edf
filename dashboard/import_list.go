package dashboard

import (
	"net/http"
	"slices"
	"time"

	"chitieu/importers"
	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// importBatchesListed bounds the batch history on the import page.
const importBatchesListed = 100

// importsData is what the import page draws.
type importsData struct {
	importFlash
	CSRF, Nonce string
	CanUpload   bool
	Form        importForm
	Profiles    []string
	Units       []importChoice
	Limit       string
	LimitBytes  int64
	Template    importTemplateChoices
	Tasks       []importTaskRow
	Batches     []importBatchRow
	Total       int // batches the filter selects
	State       string
	States      []indicators.BatchState
}

// importChoice is an option of a select.
type importChoice struct {
	Value, Label string
}

// importTemplateChoices are the options of the template form.
type importTemplateChoices struct {
	Plans                []importChoice
	Periods              []string
	Units                []importChoice
	Plan, Period, Unit   string
	PlanName, PeriodName string
}

// importTaskRow is a task of the user's, as the page lists it.
type importTaskRow struct {
	ID, File string
	Kind     importers.TaskKind
	Started  time.Time
	Running  bool
	Held     bool
	Rows     int64
	Percent  int
	Batch    int64
	Failed   bool
	Rejected int // cells a finished preview rejected
}

// importBatchRow is a batch of the history.
type importBatchRow struct {
	indicators.Batch
	Mine bool
}

// importsPage shows the upload form, the template form, the user's imports
// under way and the batch history.
func (s *Server) importsPage(c echo.Context) error {
	return s.showImports(c, importForm{Profile: "auto"}, nil)
}

// showImports draws the import page with the form as sent and, when
// failure is a domain error, its message and status.
func (s *Server) showImports(c echo.Context, f importForm, failure error) error {
	ctx := c.Request().Context()
	lang := langOf(c)
	u, _ := currentUser(c)
	d := importsData{importFlash: s.importNotice(c), CSRF: s.csrfToken(c), Nonce: nonceOf(c), CanUpload: mayImport(u),
		Form: f, Limit: importByteSize(lang, s.imports.Limit()), LimitBytes: s.imports.Limit(),
		States: []indicators.BatchState{indicators.Previewed, indicators.Committed, indicators.RolledBack}}
	status := http.StatusOK
	if failure != nil {
		var err error
		if status, err = d.fail(lang, failure); err != nil {
			return err
		}
	}
	if d.CanUpload {
		profiles, err := s.imports.Importer().Store.Profiles(ctx)
		if err != nil {
			return err
		}
		for _, p := range profiles {
			d.Profiles = append(d.Profiles, p.Name)
		}
		if d.Units, err = s.importUnitChoices(c, u); err != nil {
			return err
		}
		if d.Template, err = s.importTemplateChoices(c, u, d.Units); err != nil {
			return err
		}
		for _, t := range s.imports.OfUser(u.Name) {
			st := s.imports.State(t)
			row := importTaskRow{ID: t.ID, File: t.File, Kind: t.Kind, Started: t.Started, Running: st.Running, Held: st.Held,
				Rows: st.Progress.Rows, Batch: st.Batch, Failed: st.Err != nil}
			row.Percent = importPercent(st.Progress.Rows, max(st.Progress.Estimated, int64(t.Estimated)))
			if st.Result != nil {
				row.Rejected = st.Result.Rejected
			}
			d.Tasks = append(d.Tasks, row)
		}
	}
	d.State = c.QueryParam("state")
	if !slices.Contains(d.States, indicators.BatchState(d.State)) {
		d.State = ""
	}
	batches, err := s.batches.Batches(ctx, indicators.BatchFilter{State: indicators.BatchState(d.State)})
	if err != nil {
		return err
	}
	if batches, err = s.readableBatches(c, batches); err != nil {
		return err
	}
	d.Total = len(batches)
	for _, b := range batches[:min(len(batches), importBatchesListed)] {
		d.Batches = append(d.Batches, importBatchRow{Batch: b, Mine: b.CreatedBy == u.Name})
	}
	return s.render(c, status, "imports", d)
}

// percent is done out of total, from 0 to 99 while under way.
func importPercent(done, total int64) int {
	if total <= 0 {
		return 0
	}
	return int(min(99, done*100/total))
}

// importUnitChoices lists the units a user may report for: a planner's own when
// they are limited to some, else every unit.
func (s *Server) importUnitChoices(c echo.Context, u indicators.User) ([]importChoice, error) {
	units, err := s.store.Units(c.Request().Context())
	if err != nil {
		return nil, err
	}
	lang := langOf(c)
	var out []importChoice
	for _, un := range units {
		if u.Role == indicators.Planner && len(u.Units) > 0 && !slices.Contains(u.Units, un.Code) {
			continue
		}
		out = append(out, importChoice{Value: un.Code, Label: un.Code + " — " + pick(lang, un.NameVI, un.NameEN)})
	}
	return out, nil
}

// importTemplateChoices lists the plans, periods and units a template can be
// made for, with the root plan, the current period and the user's first
// unit chosen.
func (s *Server) importTemplateChoices(c echo.Context, u indicators.User, units []importChoice) (importTemplateChoices, error) {
	var tc importTemplateChoices
	plans, err := s.plans(c.Request().Context())
	if err != nil {
		return tc, err
	}
	lang := langOf(c)
	for _, p := range plans {
		tc.Plans = append(tc.Plans, importChoice{Value: p.ID, Label: p.Code + " — " + pick(lang, p.TitleVI, p.TitleEN)})
	}
	if root, err := rootPlan(plans); err == nil {
		tc.Plan = root.ID
	}
	for _, p := range planPeriods {
		tc.Periods = append(tc.Periods, p.String())
	}
	tc.Period = defaultPeriod(indicators.EndOfDay(s.now())).String()
	tc.Units = units
	if len(u.Units) > 0 {
		tc.Unit = u.Units[0]
	} else if len(units) > 0 {
		tc.Unit = units[0].Value
	}
	return tc, nil
}
