package dashboard

import (
	"errors"
	"net/http"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// Pages with forms (sign-in, users) show a message above the form: the
// error of the form just sent, shown again with the user's input kept, or
// the notice of the redirect that follows a successful POST. Their data
// embeds flash, which the "flash" partial draws.

// flash is the message a page with a form shows above it.
type flash struct {
	Error  string // already in the page's language
	Notice string // message key
}

// fail puts the message of a domain error on the page, in lang, and
// returns the status it calls for; other errors are returned instead, for
// the error handler to log.
func (f *flash) fail(lang string, err error) (int, error) {
	var de *indicators.Error
	if !errors.As(err, &de) {
		return 0, err
	}
	f.Error = de.Message
	if lang == "en" && de.English != "" {
		f.Error = de.English
	}
	return statusOf(de.Code), nil
}

// seeOther redirects after a POST, with the key of a notice the next page
// shows.
func seeOther(c echo.Context, to, notice string) error {
	if notice != "" {
		to += "?done=" + notice
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// notice reads the notice key a redirect carried, if the catalogue has it.
func (s *Server) notice(c echo.Context) string {
	if k := c.QueryParam("done"); k != "" && s.msgs.has(k) {
		return k
	}
	return ""
}
