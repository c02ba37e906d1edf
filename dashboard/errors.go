package dashboard

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// statusOf maps a domain error code to an HTTP status.
func statusOf(code string) int {
	switch code {
	case indicators.EINVALID:
		return http.StatusBadRequest
	case indicators.ENOTFOUND:
		return http.StatusNotFound
	case indicators.ECONFLICT:
		return http.StatusConflict
	case indicators.EFORBIDDEN:
		return http.StatusForbidden
	case indicators.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case indicators.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case indicators.ENOSPACE:
		return http.StatusInsufficientStorage
	}
	return http.StatusInternalServerError
}

// apiError is the JSON body of every API error.
type apiError struct {
	Error struct {
		Code      string `json:"code"`
		Field     string `json:"field,omitempty"`
		Message   string `json:"message"`
		MessageEN string `json:"message_en,omitempty"`
		RequestID string `json:"request_id,omitempty"`
	} `json:"error"`
}

// handleError is the one place errors become responses. Domain errors show
// their message; anything else is logged with the request ID and shown as a
// plain apology, never as err.Error().
func (s *Server) handleError(err error, c echo.Context) {
	if c.Request().Context().Err() != nil && errors.Is(err, context.Canceled) {
		// The client went away: nobody reads an answer, and nothing failed.
		s.log.Info("client closed the request", "request_id", c.Get("request_id"), "path", c.Request().URL.Path)
		c.Response().Status = 499
		return
	}
	if c.Response().Committed {
		s.log.Warn("error after the response began", "err", err, "request_id", c.Get("request_id"))
		return
	}
	status, code := http.StatusInternalServerError, indicators.EINTERNAL
	var body apiError
	var he *echo.HTTPError
	var de *indicators.Error
	switch {
	case errors.As(err, &de):
		code, status = de.Code, statusOf(de.Code)
		body.Error.Field, body.Error.Message, body.Error.MessageEN = de.Field, de.Message, de.English
	case errors.As(err, &he):
		status = he.Code
		code = map[int]string{
			http.StatusNotFound: indicators.ENOTFOUND, http.StatusMethodNotAllowed: indicators.EINVALID,
			http.StatusRequestEntityTooLarge: indicators.ETOOLARGE, http.StatusUnauthorized: indicators.EUNAUTHORIZED,
			http.StatusForbidden: indicators.EFORBIDDEN, http.StatusBadRequest: indicators.EINVALID,
			http.StatusRequestURITooLong: indicators.EINVALID,
		}[status]
		if code == "" {
			code = indicators.EINTERNAL
		}
		body.Error.Message, body.Error.MessageEN = httpMessage(status)
	default:
		body.Error.Message, body.Error.MessageEN = httpMessage(status)
	}
	// A message may quote what the user sent: never more than a bound of it.
	body.Error.Message, body.Error.MessageEN = clipText(body.Error.Message, maxMessage), clipText(body.Error.MessageEN, maxMessage)
	rid, _ := c.Get("request_id").(string)
	if status >= 500 {
		s.log.Error("request failed", "err", err, "request_id", rid, "method", c.Request().Method,
			"path", c.Request().URL.Path)
	}
	body.Error.Code, body.Error.RequestID = code, rid
	if c.Request().Method == http.MethodHead {
		c.NoContent(status)
		return
	}
	if wantsJSON(c) {
		c.JSON(status, body)
		return
	}
	page := errorPage{Status: status, Message: body.Error.Message, MessageEN: body.Error.MessageEN}
	if err := s.render(c, status, "error", page); err != nil {
		s.log.Error("error page failed", "err", err, "request_id", rid)
		c.HTML(status, plainErrorPage(status, page.Message, rid))
	}
}

// errorPage is what the error page shows: the status and the message, in
// Vietnamese and, when there is one, English.
type errorPage struct {
	Status             int
	Message, MessageEN string
}

// plainErrorPage is the error page without the layout, for when the
// layout itself cannot be drawn.
func plainErrorPage(status int, msg, rid string) string {
	return fmt.Sprintf(`<!doctype html><html lang="vi"><meta charset="utf-8"><title>Lỗi %d</title>
<body><h1>Lỗi %d</h1><p>%s</p><p><small>Mã yêu cầu: %s</small></p><p><a href="/">Về trang chủ</a></p></body></html>`,
		status, status, template.HTMLEscapeString(msg), template.HTMLEscapeString(rid))
}

func httpMessage(status int) (vi, en string) {
	switch status {
	case http.StatusNotFound:
		return "Không tìm thấy trang hoặc dữ liệu yêu cầu.", "The page or data asked for was not found."
	case http.StatusMethodNotAllowed:
		return "Phương thức không được hỗ trợ.", "Method not allowed."
	case http.StatusRequestEntityTooLarge:
		return "Dữ liệu gửi lên quá lớn.", "The request is too large."
	case http.StatusUnauthorized:
		return "Cần đăng nhập.", "Login required."
	case http.StatusForbidden:
		return "Bạn không có quyền thực hiện thao tác này.", "You may not do this."
	case http.StatusBadRequest:
		return "Yêu cầu không hợp lệ.", "Bad request."
	case http.StatusRequestURITooLong:
		return "Địa chỉ yêu cầu quá dài.", "The address asked for is too long."
	}
	return indicators.ErrorMessage(errors.New("")), "Internal error; please try again or tell the administrator."
}

// clipText cuts s to at most n characters, marking the cut.
func clipText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func wantsJSON(c echo.Context) bool {
	r := c.Request()
	return strings.HasPrefix(r.URL.Path, "/api/") || strings.Contains(r.Header.Get("Accept"), "application/json")
}

// requestID gives every request an ID, echoed in the response and the log.
func requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		var b [8]byte
		rand.Read(b[:])
		id := hex.EncodeToString(b[:])
		c.Set("request_id", id)
		c.Response().Header().Set("X-Request-ID", id)
		return next(c)
	}
}

// recoverPanics turns a panic in a handler into a 500, logs it with its
// stack and the request ID, and keeps the server running.
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				s.log.Error("dashboard: panic in a handler", "panic", fmt.Sprint(r), "stack", string(debug.Stack()),
					"request_id", c.Get("request_id"), "method", c.Request().Method, "path", c.Request().URL.Path)
				err = fmt.Errorf("dashboard: panic: %v", r)
			}
		}()
		return next(c)
	}
}

// logRequests writes one structured line per request. Values that come from
// the client are attributes, so a line break in them cannot forge a line.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		s.log.Info("request", "method", c.Request().Method, "path", c.Request().URL.Path,
			"status", c.Response().Status, "ms", time.Since(start).Milliseconds(),
			"request_id", c.Get("request_id"), "user", c.Get("user_name"))
		return nil
	}
}
