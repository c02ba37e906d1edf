package dashboard

import (
	"errors"
	"io"
	"net/http"
	"os"
	"time"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// Query strings. chitieu's own links and forms make queries of a few
// dozen bytes; a longer one is refused before any handler sees it, so that
// no page, error message or cached layout copies a megabyte back.
const (
	maxQuery      = 8 << 10 // bytes of a request's query string
	langLinkQuery = 512     // the longest query whose page layout is cached
	maxMessage    = 300     // characters of an error message shown
	maxStateValue = 64      // bytes of a query value the navigation and language links carry
)

// limitQuery refuses a request whose query is longer than maxQuery.
func limitQuery(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if len(c.Request().URL.RawQuery) > maxQuery {
			return echo.NewHTTPError(http.StatusRequestURITooLong)
		}
		return next(c)
	}
}

// Read deadlines. The server gives a request's header and body ReadTimeout
// to arrive (the header at most headerTimeout); a body may take longer
// only as fast as it arrives: each byte buys 1/bodyMinRate of a second
// more. A body sent a byte a second — a client holding a connection and a
// worker open for nothing — is cut when ReadTimeout has passed, while a
// 50 MB workbook over a slow office line still arrives.
const (
	defaultReadTimeout = time.Minute
	headerTimeout      = 10 * time.Second
	bodyMinRate        = 16 << 10 // bytes a second
)

// readDeadline keeps the connection's read deadline at the request's start
// plus the read timeout plus the time the bytes received so far justify.
func (s *Server) readDeadline(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
			return next(c)
		}
		b := &deadlineBody{ReadCloser: r.Body, rc: http.NewResponseController(c.Response()), start: time.Now(),
			grace: s.readTimeout}
		if err := b.rc.SetReadDeadline(b.start.Add(b.grace)); err != nil {
			return next(c) // a connection that takes no deadline: the server's hold
		}
		r.Body = b
		err := next(c)
		// The server cancels the request's context once a read of its body
		// failed, so that the handler could not draw its page: the answer
		// is made here.
		if b.late && !c.Response().Committed {
			s.log.Warn("dashboard: request body too slow", "path", r.URL.Path, "bytes", b.n, "addr", c.RealIP(),
				"request_id", c.Get("request_id"))
			return errBodyTooSlow()
		}
		return err
	}
}

// errBodyTooSlow says that a body stopped arriving at a useful pace.
func errBodyTooSlow() error {
	return indicators.FieldError(indicators.EINVALID, "file",
		"dữ liệu gửi lên đến quá chậm nên máy chủ đã ngừng nhận; hãy kiểm tra đường truyền rồi gửi lại",
		"the data sent arrived too slowly and the server stopped reading it; check the connection and send it again")
}

// deadlineBody moves the read deadline on as the body arrives.
type deadlineBody struct {
	io.ReadCloser
	rc    *http.ResponseController
	start time.Time
	grace time.Duration
	n     int64
	late  bool // the deadline passed
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		b.n += int64(n)
		earned := time.Duration(float64(b.n) / bodyMinRate * float64(time.Second))
		// An error means the connection no longer takes deadlines (it is
		// closing); the next read says so.
		b.rc.SetReadDeadline(b.start.Add(b.grace + earned))
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		b.late = true
	}
	return n, err
}
