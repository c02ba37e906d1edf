package dashboard

import (
	"chitieu/importers"
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
	public     = access{public: true}
	submitters = access{roles: []indicators.Role{indicators.Planner}}
	approvers  = access{roles: []indicators.Role{indicators.Approver}}
	viewers    = access{roles: []indicators.Role{indicators.Admin, indicators.Planner, indicators.Approver, indicators.Leader, indicators.Auditor}}
)

// routes registers every route of the server, grouped by who uses it. Each
// route declares who may use it in the same line; handle refuses a route
// without a declaration, and a test walks them all.
func (s *Server) routes() {
	e := s.echo
	e.Pre(requestID, limitQuery)
	e.Use(s.servingFirst, s.recoverPanics, s.logRequests, s.readDeadline)
	// Security headers and the session on every answer, 404s included;
	// an API token in place of the session on the JSON API only.
	e.Use(s.securityHeaders, s.session, s.bearer)

	// Health check for load balancers and monitoring.
	s.handle("GET", "/healthz", s.healthz, public)

	// Static assets (styles, scripts, ECharts), embedded in the binary.
	s.handle("GET", "/static/*", s.serveStatic, public)

	// The public view of plans an admin opened: no login, official
	// figures only, a rate limit per address.
	s.handle("GET", "/public", s.publicHome, public, s.publicLimit)
	s.handle("GET", "/public/plans/:plan", s.publicPlanPage, public, s.publicLimit)
	s.handle("GET", "/public/plans/:plan/groups/:number", s.publicGroup, public, s.publicLimit)
	s.handle("GET", "/public/plans/:plan/sources", s.publicSources, public, s.publicLimit)
	s.handle("GET", "/public/plans/:plan/indicators/:code", s.publicIndicator, public, s.publicLimit)
	s.handle("GET", "/public/plans/:plan/indicators/:code/values.csv", s.publicIndicatorDownload, public, s.publicLimit)
	s.handle("GET", "/public/plans/:plan/indicators/:code/values.xlsx", s.publicIndicatorDownload, public, s.publicLimit)

	// Dashboards for leaders: overview, task groups, indicators, units.
	s.handle("GET", "/", s.overview, viewers)
	s.handle("GET", "/groups", s.groups, viewers)
	s.handle("GET", "/groups/:number", s.group, viewers)
	s.handle("GET", "/indicators", s.indicatorList, viewers)
	s.handle("GET", "/indicators/:code", s.indicatorShow, viewers)
	s.handle("GET", "/units", s.units, viewers)
	// The register of the catalogue's public sources, which every source
	// code on the pages links to.
	s.handle("GET", "/sources", s.sources, viewers)
	s.handle("GET", "/sources/:source", s.source, viewers)

	// Read-only JSON API, with the same session as the pages or an API
	// token; its OpenAPI document for anyone.
	s.handle("GET", "/api/v1/openapi.json", s.apiOpenAPI, public)
	s.handle("GET", "/api/v1/plans", s.apiPlans, viewers)
	s.handle("GET", "/api/v1/plans/:id", s.apiPlan, viewers)
	s.handle("GET", "/api/v1/plans/:id/targets", s.apiPlanTargets, viewers)
	s.handle("GET", "/api/v1/plans/:id/groups", s.apiPlanGroups, viewers)
	s.handle("GET", "/api/v1/indicators", s.apiIndicators, viewers)
	s.handle("GET", "/api/v1/indicators/:code", s.apiIndicator, viewers)
	s.handle("GET", "/api/v1/units", s.apiUnits, viewers)

	// The reporting cycle: the calendar of what each unit owes and the
	// reporting rate (its workbook for those who take reports away), and
	// each user's inbox with the address for e-mail reminders.
	s.handle("GET", "/calendar", s.calendar, viewers)
	s.handle("GET", "/reports/calendar", s.calendarExport, rateReaders)
	s.handle("GET", "/inbox", s.inboxPage, viewers)
	s.handle("POST", "/inbox/email", s.inboxEmail, viewers)

	// Accounts: sign-in and sign-out, the signed-in user for scripts,
	// each user's API tokens (every user's for admins), user management
	// for admins, the audit trail for auditors and admins.
	s.handle("GET", "/login", s.loginPage, public)
	s.handle("POST", "/login", s.login, public)
	s.handle("POST", "/logout", s.logout, viewers)
	s.handle("GET", "/api/v1/me", s.apiMe, viewers)
	s.handle("GET", "/admin/users", s.adminUsers, admins)
	s.handle("POST", "/admin/users", s.adminUserAdd, admins)
	s.handle("GET", "/admin/users/:name", s.adminUser, admins)
	s.handle("POST", "/admin/users/:name", s.adminUserUpdate, admins)
	s.handle("POST", "/admin/users/:name/password", s.adminUserPassword, admins)
	s.handle("POST", "/admin/users/:name/disable", s.adminUserDisable, admins)
	s.handle("POST", "/admin/users/:name/enable", s.adminUserEnable, admins)
	s.handle("GET", "/account/tokens", s.accountTokens, viewers)
	s.handle("POST", "/account/tokens", s.accountTokenCreate, viewers)
	s.handle("POST", "/account/tokens/:id/revoke", s.accountTokenRevoke, viewers)
	s.handle("GET", "/admin/tokens", s.adminTokens, admins)
	s.handle("POST", "/admin/tokens/:id/revoke", s.adminTokenRevoke, admins)
	s.handle("GET", "/audit", s.auditPage, auditors)
	s.handle("GET", "/audit/verify", s.auditVerify, auditors)

	// Excel reports: the page with a form for each, the progress report
	// and the data export for every signed-in role (planners check their
	// uploads against it), the batch and audit history for auditors and
	// admins, and the check of a report file for them too. Each download
	// is recorded in the audit trail.
	s.handle("GET", "/reports", s.reportsPage, viewers)
	s.handle("GET", "/reports/progress", s.reportProgress, viewers)
	s.handle("GET", "/reports/data", s.reportData, viewers)
	s.handle("GET", "/audit/export", s.auditExport, auditors)
	s.handle("GET", "/reports/verify", s.reportVerifyPage, auditors)
	s.handle("POST", "/reports/verify", s.reportVerify, auditors, bodyLimit(maxVerifyBytes+1<<20))
	s.handle("GET", "/audit/:id", s.auditEvent, auditors)

	// Imports: upload (the body bounded before it is read), mapping
	// profiles, preview, commit, rollback, the batch history with its
	// files, templates to fill; background jobs report their progress.
	s.handle("GET", "/imports", s.importsPage, batchReaders)
	s.handle("POST", "/imports", s.importUpload, uploaders, s.uploadBody)
	s.handle("GET", "/imports/template", s.importTemplate, uploaders)
	s.handle("GET", "/imports/jobs/:id", s.importJob, uploaders)
	s.handle("GET", "/api/v1/imports/jobs/:id", s.apiImportJob, uploaders)
	// The write API: values sent as JSON or a workbook, previewed, then
	// committed; an Idempotency-Key makes a retry safe.
	s.handle("POST", "/api/v1/imports", s.apiImportCreate, uploaders, s.apiImportLimit, s.apiImportBody, s.idempotent)
	s.handle("POST", "/api/v1/imports/:id/commit", s.apiImportCommit, uploaders, s.apiImportLimit,
		bodyLimit(1<<20), s.idempotent)
	s.handle("GET", "/imports/jobs/:id/profile", s.importProfilePage, uploaders)
	s.handle("POST", "/imports/jobs/:id/profile", s.importProfileSave, uploaders)
	s.handle("GET", "/imports/profiles", s.importProfilesPage, uploaders)
	s.handle("POST", "/imports/profiles/rename", s.importProfileRename, uploaders)
	s.handle("POST", "/imports/profiles/delete", s.importProfileDelete, uploaders)
	s.handle("GET", "/imports/batches/:id", s.importBatch, batchReaders)
	s.handle("GET", "/imports/batches/:id/file", s.importBatchFile, batchReaders)
	s.handle("POST", "/imports/batches/:id/commit", s.importCommit, uploaders)
	s.handle("POST", "/imports/batches/:id/rollback", s.importRollback, uploaders)
	s.handle("POST", "/imports/batches/:id/preview", s.importRestage, uploaders)
	// The web entry form: a unit's values for a period typed on a page,
	// then previewed and committed as an upload is.
	s.handle("GET", "/entry", s.entryPage, uploaders)
	s.handle("POST", "/entry", s.entrySubmit, uploaders)

	// Plan management for admins: plans and their task groups, indicators
	// with their metadata sheets,
	// targets entered by their text and revised (never overwritten), tasks,
	// territorial units, and the plan workbook (download, upload → preview
	// → commit).
	s.handle("GET", "/admin", s.adminHome, admins)
	s.handle("GET", "/admin/plans", s.adminPlans, admins)
	s.handle("GET", "/admin/plans/new", s.adminPlanNew, admins)
	s.handle("POST", "/admin/plans", s.adminPlanCreate, admins)
	s.handle("GET", "/admin/plans/:plan", s.adminPlan, admins)
	s.handle("POST", "/admin/plans/:plan", s.adminPlanUpdate, admins)
	s.handle("POST", "/admin/plans/:plan/public", s.adminPlanPublic, admins)
	s.handle("GET", "/admin/plans/:plan/obligations", s.adminObligations, admins)
	s.handle("POST", "/admin/plans/:plan/obligations", s.adminObligationAdd, admins)
	s.handle("POST", "/admin/plans/:plan/obligations/suggest", s.adminObligationsSuggest, admins)
	s.handle("POST", "/admin/plans/:plan/obligations/:id", s.adminObligationUpdate, admins)
	s.handle("POST", "/admin/plans/:plan/obligations/:id/delete", s.adminObligationRemove, admins)
	s.handle("POST", "/admin/plans/:plan/cutoffs", s.adminCutoffs, admins)
	s.handle("POST", "/admin/plans/:plan/public/options", s.adminPlanPublicOptions, admins)
	s.handle("GET", "/admin/plans/:plan/groups/new", s.adminGroupNew, admins)
	s.handle("POST", "/admin/plans/:plan/groups", s.adminGroupCreate, admins)
	s.handle("GET", "/admin/plans/:plan/groups/:number", s.adminGroup, admins)
	s.handle("POST", "/admin/plans/:plan/groups/:number", s.adminGroupUpdate, admins)
	s.handle("GET", "/admin/indicators", s.adminIndicators, admins)
	s.handle("GET", "/admin/indicators/new", s.adminIndicatorNew, admins)
	s.handle("POST", "/admin/indicators", s.adminIndicatorCreate, admins)
	s.handle("GET", "/admin/indicators/:code", s.adminIndicator, admins)
	s.handle("POST", "/admin/indicators/:code", s.adminIndicatorUpdate, admins)
	s.handle("POST", "/admin/indicators/:code/metadata", s.adminIndicatorMetadata, admins)
	s.handle("GET", "/admin/targets/new", s.adminTargetNew, admins)
	s.handle("GET", "/admin/targets/parse", s.adminTargetParse, admins)
	s.handle("POST", "/admin/targets", s.adminTargetCreate, admins)
	s.handle("GET", "/admin/targets/:target", s.adminTarget, admins)
	s.handle("POST", "/admin/targets/:target", s.adminTargetUpdate, admins)
	s.handle("POST", "/admin/targets/:target/revise", s.adminTargetRevise, admins)
	s.handle("GET", "/admin/tasks/new", s.adminTaskNew, admins)
	s.handle("POST", "/admin/tasks", s.adminTaskCreate, admins)
	s.handle("GET", "/admin/tasks/:task", s.adminTask, admins)
	s.handle("POST", "/admin/tasks/:task", s.adminTaskUpdate, admins)
	s.handle("GET", "/admin/units", s.adminUnits, admins)
	s.handle("GET", "/admin/units/new", s.adminUnitNew, admins)
	s.handle("POST", "/admin/units", s.adminUnitCreate, admins)
	s.handle("GET", "/admin/units/:unit", s.adminUnit, admins)
	s.handle("POST", "/admin/units/:unit", s.adminUnitUpdate, admins)
	s.handle("POST", "/admin/units/:unit/official-code", s.adminUnitOfficialCode, admins)
	s.handle("GET", "/admin/planbook", s.adminPlanbook, admins)
	s.handle("GET", "/admin/planbook/export", s.adminPlanbookExport, admins)
	s.handle("POST", "/admin/planbook/preview", s.adminPlanbookPreview, admins, bodyLimit(importers.MaxPlanbookBytes+1<<20))
	s.handle("POST", "/admin/planbook/commit", s.adminPlanbookCommit, admins)

	// The reporting cycle: everyone signed in reads where each unit's
	// figures stand; planners explain and submit, heads of units approve
	// or return, admins unlock (the store checks the unit of each).
	s.handle("GET", "/submissions", s.submissionsPage, viewers)
	s.handle("POST", "/submissions/submit", s.submissionSubmit, submitters)
	s.handle("POST", "/submissions/explain", s.submissionExplain, submitters)
	s.handle("POST", "/submissions/decide", s.submissionDecide, approvers)
	s.handle("POST", "/submissions/unlock", s.submissionUnlock, admins)

	// Task progress: planners of a task's lead agency and task group (the
	// store checks the scope) and admins record it; its history is shown.
	s.handle("GET", "/tasks/:task", s.taskPage, reporters)
	s.handle("POST", "/tasks/:task/progress", s.taskProgress, reporters)
}

// handle registers a route with who may use it; before are middleware to
// run ahead of the access check (an upload's body limit).
func (s *Server) handle(method, path string, h echo.HandlerFunc, a access, before ...echo.MiddlewareFunc) {
	if !a.public && len(a.roles) == 0 {
		panic("dashboard: route " + method + " " + path + " declares no access")
	}
	s.access[method+" "+path] = a
	s.echo.Add(method, path, h, append(before, s.authorize(a))...)
}
