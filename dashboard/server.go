// Package dashboard is chitieu's web server: the pages people use and the
// JSON API, on Echo. Handlers are methods of Server, whose fields are their
// dependencies.
package dashboard

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"chitieu/indicators"
	"chitieu/password"
	"chitieu/reports"

	"github.com/labstack/echo/v4"
)

// Server holds what the handlers need.
type Server struct {
	Store   indicators.Store
	Tracker indicators.Tracker
	Log     *slog.Logger
	Now     func() time.Time

	// Accounts: users and sessions, the audit trail, password hashing.
	Users     indicators.UserStore
	Audit     indicators.AuditLog
	Passwords *password.Hasher
	auth      *authState
	seen      lastSeen // sessions' last-seen times not yet in the store

	// API tokens of programs reading or sending through the JSON API,
	// and their uses not yet in the audit trail. Tokens defaults to Store.
	Tokens    indicators.TokenStore
	tokenUses tokenUses
	// Metadata keeps the indicators' metadata sheets; defaults to Store.
	Metadata indicators.MetadataStore
	// Public keeps which plans are open to the public view; defaults to
	// Store. publicRates counts public requests per address.
	Public      indicators.PublicStore
	publicRates rateLimiter

	// Reports: Excel downloads built by Reports, at most a few at once,
	// each recorded in the audit trail by Exports.
	Reports     *reports.Builder
	Exports     indicators.ExportLog
	reportSlots chan struct{}

	// Plan management: the store's editing side, and where an uploaded
	// plan workbook waits between its preview and its commit. Both
	// default to Store.
	Editor  indicators.PlanEditor
	Uploads indicators.UploadKeeper

	echo   *echo.Echo
	access map[string]access // "METHOD /path" → who may use it

	// Pages: interface strings, embedded assets and parsed templates.
	msgs         messages
	assets       *assetSet
	pages        pageSets
	templatesDir string
	memo         memo // computed page data by data version
	layouts      *layouts
	versionMu    sync.Mutex
	versionRead  *versionRead // the data version read under way, if any

	// Imports: uploads, previews, commits and the jobs that run them.
	imports *importDesk
}

// Config is what cmd hands to New.
type Config struct {
	Store indicators.Store
	Log   *slog.Logger
	Now   func() time.Time // nil means time.Now

	// Accounts. Users and Audit default to Store when it keeps them;
	// Passwords to argon2id's defaults with as many hashes at once as
	// CPUs (at most 4); zero settings to their defaults.
	Users          indicators.UserStore
	Audit          indicators.AuditLog
	Passwords      *password.Hasher
	Tokens         indicators.TokenStore
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

	// Imports. UploadLimit bounds an uploaded workbook, in bytes (50 MB
	// when zero); UploadDir is where uploads are copied while they are
	// read (the system's temporary folder when empty); files of more rows
	// than BackgroundRows (importers.BackgroundRows when zero) are read
	// and committed as background jobs.
	UploadLimit    int64
	UploadDir      string
	BackgroundRows int
}

// New builds the server and registers its routes.
func New(cfg Config) (*Server, error) {
	s := &Server{
		Store:   cfg.Store,
		Tracker: indicators.Tracker{Store: cfg.Store},
		Log:     cfg.Log,
		Now:     cfg.Now,
	}
	if s.Log == nil {
		s.Log = slog.Default()
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if err := s.loadPages(cfg.TemplatesDir); err != nil {
		return nil, err
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	s.echo = e
	s.layouts = newLayouts()
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
	if err := s.setupTokens(cfg); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// ServeHTTP makes Server an http.Handler, for httptest and for http.Server.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// Echo exposes the router, for tests that walk every route.
func (s *Server) Echo() *echo.Echo { return s.echo }

// ListenAndServe serves on addr until ctx ends, then shuts down gracefully,
// letting requests in flight finish for up to ten seconds.
func (s *Server) ListenAndServe(ctx context.Context, addr string, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.Log.Handler(), slog.LevelWarn),
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
