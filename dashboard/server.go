// Package dashboard is chitieu's web server: the pages people use and the
// JSON API, on Echo. Handlers are methods of Server, whose fields are their
// dependencies.
package dashboard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"chitieu/importers"
	"chitieu/indicators"
	"chitieu/password"
	"chitieu/reports"

	"github.com/labstack/echo/v4"
)

// Store is everything the server needs of its store: the domain's reads
// and writes, users and sessions, the audit trail and the record of
// exports, plan editing and the uploads kept between a preview and its
// commit, data versions and value streams, import batches, and what the
// importer and the reports read. It is one interface, checked when the
// program is built, so that no handler finds out at run time that the
// store lacks a part; indicators/sqlite's DB is one.
type Store interface {
	indicators.Store
	indicators.UserStore
	indicators.AuditLog
	indicators.ExportLog
	indicators.PlanEditor
	indicators.UploadKeeper
	indicators.Versioner
	importers.Store
	reports.Source
	indicators.TokenStore
	indicators.MetadataStore
	indicators.PublicStore
	indicators.SubmissionStore
	indicators.ExplanationStore
	indicators.ObligationStore
	indicators.ReminderStore
	indicators.IdempotencyStore
}

// Server holds what the handlers need. Its fields are its own: cmd gives
// their settings through Config, and handlers are its methods.
type Server struct {
	store   Store
	tracker indicators.Tracker
	log     *slog.Logger
	now     func() time.Time

	// Accounts: users and sessions, the audit trail, password hashing.
	users     indicators.UserStore
	audit     indicators.AuditLog
	passwords *password.Hasher
	auth      *authState
	seen      lastSeen // sessions' last-seen times not yet in the store

	// API tokens of programs reading or sending through the JSON API,
	// and their uses not yet in the audit trail.
	tokens    indicators.TokenStore
	tokenUses tokenUses
	// metadata keeps the indicators' metadata sheets.
	metadata indicators.MetadataStore
	// public keeps which plans are open to the public view; publicRates
	// counts public requests per address.
	public      indicators.PublicStore
	publicRates rateLimiter
	// importRates counts write-API requests per user.
	importRates rateLimiter

	// Reports: Excel downloads built by reportBuilder, at most a few at
	// once, each recorded in the audit trail by exports.
	reportBuilder *reports.Builder
	exports       indicators.ExportLog
	reportSlots   chan struct{}

	// Plan management: the store's editing side, and where an uploaded
	// plan workbook waits between its preview and its commit.
	editor  indicators.PlanEditor
	uploads indicators.UploadKeeper

	echo        *echo.Echo
	access      map[string]access // "METHOD /path" → who may use it
	readTimeout time.Duration     // for a request's header and body to arrive, beyond what its size buys

	// Pages: interface strings, embedded assets and parsed templates.
	msgs         messages
	assets       *assetSet
	pages        pageSets
	templatesDir string
	memo         memo // computed page data by data version
	layouts      *layouts
	versionMu    sync.Mutex
	versionRead  *versionRead // the data version read under way, if any

	// The reporting cycle: submissions and their approval, the units'
	// explanations, and the transitions that need the engine as well.
	submissions  indicators.SubmissionStore
	explanations indicators.ExplanationStore
	cycle        indicators.Cycle
	// The reporting cycle: the calendar judges the reports the
	// obligations ask for; inbox gathers what each user is asked to do
	// (the calendar's reports, and whatever else registers a source);
	// reminders keeps the e-mail addresses and the reminders sent.
	calendarBook indicators.Calendar
	inbox        indicators.Inboxes
	reminders    indicators.ReminderStore
	smtpOn       bool // reminders go out by e-mail

	// Imports: uploads, previews, commits and the jobs that run them;
	// the batch history, each batch shown only to those in its scope.
	imports *importers.Desk
	// foreground counts the requests being served, to which import jobs
	// give way between chunks.
	foreground *importers.Foreground
	batches    indicators.BatchReader
	scopes     batchScopes
}

// Config is what cmd hands to New.
type Config struct {
	Store Store
	Log   *slog.Logger
	Now   func() time.Time // nil means time.Now

	// Accounts. Passwords defaults to argon2id's defaults with as many
	// hashes at once as CPUs (at most 4); zero settings to their defaults.
	Passwords      *password.Hasher
	Sessions       SessionSettings
	Throttle       Throttle
	TrustedProxies []string // IPs or CIDRs of reverse proxies whose X-Forwarded-For and -Proto are believed

	// Reports. ReportsDir is where downloads are built before they are
	// sent ("" means the system's temporary folder); ReportsAtOnce is how
	// many are built at the same time (0 means 2), the others wait.
	ReportsDir    string
	ReportsAtOnce int

	// TemplatesDir, when set, is a folder the page templates are read
	// from at every request instead of the embedded ones: for working on
	// them without restarting.
	TemplatesDir string

	// StaleAfter is how long a request waits for a page being recomputed
	// after a write before it is given the page as it was just before the
	// write (100 ms when zero; negative: always wait).
	StaleAfter time.Duration

	// ReadTimeout is how long a request's header and body may take to
	// arrive (one minute when zero); a body may take longer only while it
	// keeps arriving at 16 KB a second. The header has at most ten seconds.
	ReadTimeout time.Duration

	// Reminders says e-mail reminders are sent (an SMTP server is set),
	// so that the inbox offers to set an address.
	Reminders bool

	// Imports. UploadLimit bounds an uploaded workbook, in bytes (50 MB
	// when zero); UploadDir is where uploads are copied while they are
	// read (the system's temporary folder when empty); files of more rows
	// than BackgroundRows (importers.BackgroundRows when zero) are read
	// and committed as background jobs. At most ImportWorkers uploads are
	// read and previewed at once (the number of cores when zero); the
	// others wait in a queue whose place their page shows.
	UploadLimit    int64
	UploadDir      string
	BackgroundRows int
	ImportWorkers  int
	// ImportsFullSpeed keeps import jobs from giving way to the requests
	// being served (see importers.Foreground): for a server that only
	// takes bulk loads, and for measuring what giving way gains.
	ImportsFullSpeed bool
	// ImportJobs, on a database several servers share, records the import
	// jobs where each server reads them; ImportJobSilent is how long a
	// job may go unbeaten before this server takes it over (importers'
	// default when zero). Nil on SQLite: jobs live in this process.
	ImportJobs      importers.JobBoard
	ImportJobSilent time.Duration
}

// New builds the server and registers its routes.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, fmt.Errorf("dashboard: no store")
	}
	s := &Server{
		store:   cfg.Store,
		tracker: indicators.Tracker{Store: cfg.Store},
		log:     cfg.Log,
		now:     cfg.Now,
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if err := s.loadPages(cfg.TemplatesDir); err != nil {
		return nil, err
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	s.echo = e
	s.layouts = newLayouts()
	s.readTimeout = cfg.ReadTimeout
	if s.readTimeout <= 0 {
		s.readTimeout = defaultReadTimeout
	}
	s.memo.staleAfter = cfg.StaleAfter
	if s.memo.staleAfter == 0 {
		s.memo.staleAfter = defaultStaleAfter
	}
	s.access = map[string]access{}
	if err := s.setupAuth(cfg); err != nil {
		return nil, err
	}
	if err := s.setupReports(cfg); err != nil {
		return nil, err
	}
	if err := s.setupImports(cfg); err != nil {
		return nil, err
	}
	if err := s.setupAdmin(cfg); err != nil {
		return nil, err
	}
	// API tokens, indicator metadata and the public view live in the
	// one store.
	s.tokens, s.metadata, s.public = cfg.Store, cfg.Store, cfg.Store
	s.submissions, s.explanations = cfg.Store, cfg.Store
	s.cycle = indicators.Cycle{Tracker: s.tracker, Submissions: cfg.Store, Explanations: cfg.Store}
	s.setupCalendar(cfg)
	s.routes()
	return s, nil
}

// ServeHTTP makes Server an http.Handler, for httptest and for http.Server.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// Echo exposes the router, for tests that walk every route.
func (s *Server) Echo() *echo.Echo { return s.echo }

// ReportBuilder is the builder of the Excel downloads, for tests that
// watch a report being built.
func (s *Server) ReportBuilder() *reports.Builder { return s.reportBuilder }

// ListenAndServe serves on addr until ctx ends, then shuts down gracefully,
// letting requests in flight finish for up to ten seconds.
func (s *Server) ListenAndServe(ctx context.Context, addr string, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           s,
		ReadTimeout:       s.readTimeout,
		ReadHeaderTimeout: min(headerTimeout, s.readTimeout),
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	defer s.Close()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
