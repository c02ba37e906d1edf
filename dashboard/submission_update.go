package dashboard

import (
	"net/http"
	"strconv"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// The cycle's actions, each a POST from the submissions page that names
// the plan, unit and term: the store checks who may do what (and audits
// it); a refusal shows the page again with the reason and the text typed.

// submissionSubmit submits the unit's figures once its lagging targets are
// explained.
func (s *Server) submissionSubmit(c echo.Context) error {
	k, _, err := s.submissionKey(c)
	if err != nil {
		return err
	}
	if _, err := s.cycle.Submit(c.Request().Context(), k, s.now()); err != nil {
		return s.showSubmissions(c, err)
	}
	return seeOtherURL(c, submissionLink(k, "cycle.submitted"))
}

// submissionDecide approves the figures or returns them with a note.
func (s *Server) submissionDecide(c echo.Context) error {
	k, _, err := s.submissionKey(c)
	if err != nil {
		return err
	}
	approve := c.FormValue("decision") == "approve"
	if _, err := s.submissions.Decide(c.Request().Context(), k, approve, c.FormValue("note")); err != nil {
		return s.showSubmissions(c, err)
	}
	done := "cycle.returned"
	if approve {
		done = "cycle.approved"
	}
	return seeOtherURL(c, submissionLink(k, done))
}

// submissionUnlock lifts the lock of an approved period, with a reason.
func (s *Server) submissionUnlock(c echo.Context) error {
	k, _, err := s.submissionKey(c)
	if err != nil {
		return err
	}
	if _, err := s.submissions.Unlock(c.Request().Context(), k, c.FormValue("reason")); err != nil {
		return s.showSubmissions(c, err)
	}
	return seeOtherURL(c, submissionLink(k, "cycle.unlocked"))
}

// submissionExplain stores the unit's cause and remedy of a lagging target.
func (s *Server) submissionExplain(c echo.Context) error {
	k, _, err := s.submissionKey(c)
	if err != nil {
		return err
	}
	target, err := strconv.ParseInt(c.FormValue("target"), 10, 64)
	if err != nil {
		return indicators.FieldError(indicators.EINVALID, "target", "mục tiêu không hợp lệ", "the target is not valid")
	}
	e := indicators.Explanation{Target: target, Unit: k.Unit, Period: k.Period, Cause: c.FormValue("cause"), Remedy: c.FormValue("remedy")}
	if _, err := s.explanations.SetExplanation(c.Request().Context(), e); err != nil {
		return s.showSubmissions(c, err)
	}
	return seeOtherURL(c, submissionLink(k, "cycle.explained"))
}

// seeOtherURL redirects after a POST to an address that already carries
// its query.
func seeOtherURL(c echo.Context, to string) error {
	return c.Redirect(http.StatusSeeOther, to)
}
