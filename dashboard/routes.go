package dashboard

import (
	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// access is who may use a route: nobody needs a session for a public
// route; otherwise a user needs one of the roles.
type access struct {
	public bool
	roles  []indicators.Role
}

var (
	public  = access{public: true}
	viewers = access{roles: []indicators.Role{indicators.Admin, indicators.Planner, indicators.Leader, indicators.Auditor}}
)

// routes registers every route of the server, grouped by who uses it. Each
// route declares who may use it in the same line; handle refuses a route
// without a declaration, and a test walks them all.
func (s *Server) routes() {
	e := s.echo
	e.Pre(requestID)
	e.Use(s.recoverPanics, s.logRequests)

	// Health check for load balancers and monitoring.
	s.handle("GET", "/healthz", s.healthz, public)

	// Static assets (styles, scripts, ECharts), embedded in the binary.
	s.handle("GET", "/static/*", s.serveStatic, public)

	// Dashboards for leaders: overview, task groups, indicators, units.
	s.handle("GET", "/", s.overview, viewers)
	s.handle("GET", "/groups", s.groups, viewers)
	s.handle("GET", "/groups/:number", s.group, viewers)
	s.handle("GET", "/indicators", s.indicatorList, viewers)
	s.handle("GET", "/indicators/:code", s.indicatorShow, viewers)
	s.handle("GET", "/units", s.units, viewers)

	// Read-only JSON API, with the same session as the pages.
	s.handle("GET", "/api/v1/plans", s.apiPlans, viewers)
	s.handle("GET", "/api/v1/plans/:id", s.apiPlan, viewers)
	s.handle("GET", "/api/v1/plans/:id/targets", s.apiPlanTargets, viewers)
	s.handle("GET", "/api/v1/plans/:id/groups", s.apiPlanGroups, viewers)
	s.handle("GET", "/api/v1/indicators", s.apiIndicators, viewers)
	s.handle("GET", "/api/v1/indicators/:code", s.apiIndicator, viewers)
	s.handle("GET", "/api/v1/units", s.apiUnits, viewers)
}

// handle registers a route with who may use it.
func (s *Server) handle(method, path string, h echo.HandlerFunc, a access) {
	if !a.public && len(a.roles) == 0 {
		panic("dashboard: route " + method + " " + path + " declares no access")
	}
	s.access[method+" "+path] = a
	s.echo.Add(method, path, h, s.authorize(a))
}

// authorize admits the request when a allows it. Until accounts exist,
// every request is admitted; the accounts work fills this in.
func (s *Server) authorize(a access) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return next
	}
}
