package dashboard

import (
	"context"
	"net/http"
	"slices"
	"sort"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// Plan management for admins: plans, task groups, indicators, targets and
// their revisions, tasks and key projects, territorial units, and the plan
// workbook, each page in its own admin_*.go file. Every write goes through
// the store's PlanEditor, which validates it and audits it with the item
// before and after.

// setupAdmin finds the store's editing side.
func (s *Server) setupAdmin(cfg Config) error {
	s.editor, s.uploads = cfg.Store, cfg.Store
	return nil
}

// reporters may record progress on tasks: planners within their scope,
// which the store checks, and admins.
var reporters = access{roles: []indicators.Role{indicators.Admin, indicators.Planner}}

// adminHomeData is the admin start page: what can be managed, with counts.
type adminHomeData struct {
	adminPage
	Plans, Indicators, Units, Tasks, Targets int
	Users                                    bool // the user pages are registered
}

// adminHome lists what admins manage.
func (s *Server) adminHome(c echo.Context) error {
	ctx := c.Request().Context()
	d := adminHomeData{adminPage: s.newAdminPage(c, "admin.title")}
	d.Crumbs = nil
	plans, err := s.store.Plans(ctx)
	if err != nil {
		return err
	}
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		return err
	}
	units, err := s.store.Units(ctx)
	if err != nil {
		return err
	}
	tasks, err := s.store.Tasks(ctx, "")
	if err != nil {
		return err
	}
	targets, err := s.store.Targets(ctx, indicators.TargetFilter{})
	if err != nil {
		return err
	}
	d.Plans, d.Indicators, d.Units, d.Tasks, d.Targets = len(plans), len(inds), len(units), len(tasks), len(targets)
	_, d.Users = s.access["GET /admin/users"]
	return s.render(c, http.StatusOK, "admin", d)
}

// planLabel names a plan in lists and choices: its code and issue date.
func planLabel(lang string, p indicators.Plan) string {
	if p.Issued.IsZero() {
		return p.Code
	}
	return p.Code + " (" + formatDate(lang, p.Issued) + ")"
}

// planOptions offers every plan.
func planOptions(lang string, plans []indicators.Plan) []formOption {
	out := make([]formOption, len(plans))
	for i, p := range plans {
		out[i] = formOption{Value: p.ID, Label: planLabel(lang, p)}
	}
	return out
}

// scopeOptions offers the scopes in use by plans and units, the two of the
// 2025 merger first.
func (s *Server) scopeOptions(ctx context.Context, lang string) ([]formOption, error) {
	seen := []string{string(indicators.OldCity), string(indicators.MergedCity)}
	plans, err := s.store.Plans(ctx)
	if err != nil {
		return nil, err
	}
	units, err := s.store.Units(ctx)
	if err != nil {
		return nil, err
	}
	var more []string
	add := func(sc indicators.Scope) {
		if sc != "" && !slices.Contains(seen, string(sc)) && !slices.Contains(more, string(sc)) {
			more = append(more, string(sc))
		}
	}
	for _, p := range plans {
		add(p.Scope)
	}
	for _, u := range units {
		add(u.Scope)
	}
	sort.Strings(more)
	var out []formOption
	for _, sc := range append(seen, more...) {
		out = append(out, formOption{Value: sc, Label: s.scopeName(lang, indicators.Scope(sc))})
	}
	return out, nil
}

// scopeName names a scope: its message when there is one, else its code.
func (s *Server) scopeName(lang string, sc indicators.Scope) string {
	if sc != "" && s.msgs.has("scope."+string(sc)) {
		return s.msgs.translate(lang, "scope."+string(sc))
	}
	return string(sc)
}

// agencyOptions offers the reporting agencies, by code and name.
func agencyOptions(lang string, units []indicators.Unit) []formOption {
	var out []formOption
	for _, u := range units {
		if u.Kind == indicators.Agency {
			out = append(out, formOption{Value: u.Code, Label: u.Code + " — " + pick(lang, u.NameVI, u.NameEN)})
		}
	}
	return out
}

// indicatorOptions offers every indicator, by code and name.
func indicatorOptions(lang string, inds []indicators.Indicator) []formOption {
	out := make([]formOption, len(inds))
	for i, ind := range inds {
		out[i] = formOption{Value: ind.Code, Label: ind.Code + " — " + pick(lang, ind.NameVI, ind.NameEN)}
	}
	return out
}
