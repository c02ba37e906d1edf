package dashboard

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// A state-changing API request may carry an Idempotency-Key header (the
// IETF draft's): the first request with a key runs, and its answer — a
// preview, a commit, a refusal — is kept in the store; the same request
// sent again with the key gets that answer back, marked
// "Idempotent-Replayed: true", and does nothing a second time. The key
// belongs to the user; the same key with another request is refused, as is
// a retry while the first request still runs. An answer of the server's
// own failure (5xx) or of the rate limit is not kept, so that a retry runs.
//
// The middleware notes the key and keeps a copy of the answer; the
// handler, once it has read the request, claims the key with what the
// request asks (claimIdempotent) before it changes anything.

const (
	idempotencyHeader  = "Idempotency-Key"
	idempotencyMaxKey  = 255
	idempotencyMaxBody = 4 << 20 // answers beyond this are not kept; a retry runs again
)

// idempotency is a request's key and what became of it.
type idempotency struct {
	key      string
	claimed  bool
	replayed bool
	capture  *captureWriter
}

// captureWriter copies an answer on its way to the client.
type captureWriter struct {
	http.ResponseWriter
	buf      bytes.Buffer
	overflow bool
}

func (w *captureWriter) Write(p []byte) (int, error) {
	if !w.overflow && w.buf.Len()+len(p) <= idempotencyMaxBody {
		w.buf.Write(p)
	} else {
		w.overflow = true
	}
	return w.ResponseWriter.Write(p)
}

// idempotent keeps the answer of a request with an Idempotency-Key.
func (s *Server) idempotent(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		key := c.Request().Header.Get(idempotencyHeader)
		if key == "" {
			return next(c)
		}
		if len(key) > idempotencyMaxKey || strings.IndexFunc(key, func(r rune) bool { return r < 0x21 || r > 0x7e }) >= 0 {
			return indicators.FieldError(indicators.EINVALID, idempotencyHeader,
				"Idempotency-Key phải có từ 1 đến 255 ký tự ASCII in được, không có khoảng trắng",
				"the Idempotency-Key must be 1 to 255 printable ASCII characters, without spaces")
		}
		st := &idempotency{key: key, capture: &captureWriter{ResponseWriter: c.Response().Writer}}
		c.Response().Writer = st.capture
		c.Set("idempotency", st)
		if err := next(c); err != nil {
			c.Error(err) // the answer is written here, so that it is kept
		}
		if st.claimed && !st.replayed {
			s.keepIdempotent(c, st)
		}
		return nil
	}
}

// keepIdempotent stores the answer of a claimed key, or frees the key of
// a request whose answer should not be repeated.
func (s *Server) keepIdempotent(c echo.Context, st *idempotency) {
	u, _ := currentUser(c)
	ctx := context.WithoutCancel(c.Request().Context())
	status := c.Response().Status
	if status >= 500 || status == http.StatusTooManyRequests || st.capture.overflow || !c.Response().Committed {
		if err := s.store.AbandonIdempotent(ctx, u.Name, st.key); err != nil {
			s.log.Warn("idempotency: free key", "user", u.Name, "err", err, "request_id", c.Get("request_id"))
		}
		return
	}
	a := indicators.IdempotentAnswer{User: u.Name, Key: st.key, Status: status,
		ContentType: c.Response().Header().Get(echo.HeaderContentType), Body: st.capture.buf.Bytes()}
	if err := s.store.FinishIdempotent(ctx, a); err != nil {
		s.log.Warn("idempotency: keep answer", "user", u.Name, "err", err, "request_id", c.Get("request_id"))
	}
}

// claimIdempotent claims the request's key, if it has one, for request (a
// description of what it asks). replayed is true when the kept answer of
// an earlier request with the key was sent instead: the handler then
// returns at once.
func (s *Server) claimIdempotent(c echo.Context, request string) (replayed bool, err error) {
	st, _ := c.Get("idempotency").(*idempotency)
	if st == nil {
		return false, nil
	}
	u, _ := currentUser(c)
	sum := sha256.Sum256([]byte(c.Request().Method + " " + c.Path() + "\n" + request))
	want := indicators.IdempotentAnswer{User: u.Name, Key: st.key, Request: hex.EncodeToString(sum[:])}
	held, claimed, err := s.store.BeginIdempotent(c.Request().Context(), want, s.now())
	switch {
	case err != nil:
		return false, err
	case claimed:
		st.claimed = true
		return false, nil
	case held.Request != want.Request:
		return false, indicators.FieldError(indicators.ECONFLICT, idempotencyHeader,
			"Idempotency-Key này đã được dùng cho một yêu cầu khác; hãy dùng khóa mới cho mỗi yêu cầu mới",
			"this Idempotency-Key was used for another request; use a new key for each new request")
	case !held.Done:
		return false, indicators.FieldError(indicators.ECONFLICT, idempotencyHeader,
			"yêu cầu đầu tiên với Idempotency-Key này vẫn đang chạy; hãy thử lại sau",
			"the first request with this Idempotency-Key is still running; try again later")
	}
	st.replayed = true
	c.Response().Header().Set("Idempotent-Replayed", "true")
	return true, c.Blob(held.Status, held.ContentType, held.Body)
}
