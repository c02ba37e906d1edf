package dashboard

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// The mapping profiles page lists the saved profiles, shows one as JSON,
// and renames or deletes one. A batch keeps the profile it was read with,
// so neither touches a batch.

type importProfilesData struct {
	Profiles []indicators.ImportProfile
	Shown    *indicators.ImportProfile // the one asked for by ?name=
	Notice   string                    // message key after a change
	Error    string
}

// importProfilesPage lists the profiles; ?name= shows one.
func (s *Server) importProfilesPage(c echo.Context) error {
	return s.showProfiles(c, http.StatusOK, "")
}

func (s *Server) showProfiles(c echo.Context, status int, fault string) error {
	ctx := c.Request().Context()
	ps, err := s.imports.Importer().Store.Profiles(ctx)
	if err != nil {
		return err
	}
	d := importProfilesData{Profiles: ps, Error: fault}
	switch c.QueryParam("done") {
	case "renamed":
		d.Notice = "import.profiles.renamed"
	case "deleted":
		d.Notice = "import.profiles.deleted"
	}
	if name := strings.TrimSpace(c.QueryParam("name")); name != "" {
		p, err := s.imports.Importer().Store.Profile(ctx, name)
		if err != nil {
			return err
		}
		d.Shown = &p
	}
	return s.render(c, status, "import_profiles", d)
}

// importProfileRename renames a profile (form fields name and to).
func (s *Server) importProfileRename(c echo.Context) error {
	from, to := c.FormValue("name"), strings.TrimSpace(c.FormValue("to"))
	if err := s.imports.Importer().Store.RenameProfile(c.Request().Context(), from, to); err != nil {
		return s.profileRefused(c, err)
	}
	return c.Redirect(http.StatusSeeOther, "/imports/profiles?done=renamed&name="+url.QueryEscape(to))
}

// importProfileDelete deletes a profile (form field name).
func (s *Server) importProfileDelete(c echo.Context) error {
	if err := s.imports.Importer().Store.DeleteProfile(c.Request().Context(), c.FormValue("name")); err != nil {
		return s.profileRefused(c, err)
	}
	return c.Redirect(http.StatusSeeOther, "/imports/profiles?done=deleted")
}

// profileRefused draws the page again with a refused change's reason.
func (s *Server) profileRefused(c echo.Context, err error) error {
	var e *indicators.Error
	if !errors.As(err, &e) || (e.Code != indicators.EINVALID && e.Code != indicators.ECONFLICT) {
		return err
	}
	status := http.StatusBadRequest
	if e.Code == indicators.ECONFLICT {
		status = http.StatusConflict
	}
	return s.showProfiles(c, status, pick(langOf(c), e.Message, e.English))
}
