package dashboard

import (
	"net/http"
	"strconv"
	"strings"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// userForm is the user form as typed, kept when it is shown again.
type userForm struct {
	Name     string
	FullName string
	Role     indicators.Role
	Units    string // "CT, 916"
	Groups   string // "1, 3"
}

// parse reads the scope lists of the form.
func (f userForm) parse() (units []string, groups []int, err error) {
	for _, u := range splitList(f.Units) {
		units = append(units, strings.ToUpper(u))
	}
	for _, g := range splitList(f.Groups) {
		n, err := strconv.Atoi(g)
		if err != nil {
			return nil, nil, indicators.FieldError(indicators.EINVALID, "groups",
				"số nhóm nhiệm vụ \""+g+"\" không phải là số", "task group \""+g+"\" is not a number")
		}
		groups = append(groups, n)
	}
	return units, groups, nil
}

func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' })
}

func formOf(u indicators.User) userForm {
	gs := make([]string, len(u.Groups))
	for i, g := range u.Groups {
		gs[i] = strconv.Itoa(g)
	}
	return userForm{Name: u.Name, FullName: u.FullName, Role: u.Role, Units: strings.Join(u.Units, ", "),
		Groups: strings.Join(gs, ", ")}
}

func readUserForm(c echo.Context) userForm {
	return userForm{Name: indicators.NormalizeUserName(c.FormValue("name")), FullName: strings.TrimSpace(c.FormValue("full_name")),
		Role: indicators.Role(c.FormValue("role")), Units: c.FormValue("units"), Groups: c.FormValue("groups")}
}

type usersData struct {
	flash
	Users []indicators.User
	Roles []indicators.Role
	Form  userForm
}

// adminUsers lists the users with a form to add one.
func (s *Server) adminUsers(c echo.Context) error {
	return s.showUsers(c, userForm{Role: indicators.Leader}, nil)
}

func (s *Server) showUsers(c echo.Context, form userForm, failure error) error {
	users, err := s.users.Users(c.Request().Context())
	if err != nil {
		return err
	}
	d := usersData{Users: users, Roles: indicators.Roles, Form: form}
	d.Notice = s.notice(c)
	status := http.StatusOK
	if failure != nil {
		if status, err = d.fail(langOf(c), failure); err != nil {
			return err
		}
	}
	return s.render(c, status, "users", d)
}

// adminUserAdd adds a user with an initial password.
func (s *Server) adminUserAdd(c echo.Context) error {
	ctx := c.Request().Context()
	form := readUserForm(c)
	pw := c.FormValue("password")
	units, groups, err := form.parse()
	if err != nil {
		return s.showUsers(c, form, err)
	}
	u := indicators.User{Name: form.Name, FullName: form.FullName, Role: form.Role, Units: units, Groups: groups,
		PasswordHash: "-"}
	if err := u.Validate(); err != nil {
		return s.showUsers(c, form, err)
	}
	if err := indicators.ValidatePassword(u.Name, pw); err != nil {
		return s.showUsers(c, form, err)
	}
	if u.PasswordHash, err = s.passwords.Hash(ctx, pw); err != nil {
		return err
	}
	if err := s.users.CreateUser(ctx, &u); err != nil {
		return s.showUsers(c, form, err)
	}
	s.log.Info("user added", "user", u.Name, "role", string(u.Role), "by", c.Get("user_name"))
	return seeOther(c, "/admin/users/"+u.Name, "users.added")
}

type userData struct {
	flash
	User  indicators.User
	Scope string // the user's scope as people read it
	Roles []indicators.Role
	Form  userForm
}

// adminUser shows one user with the forms to change them.
func (s *Server) adminUser(c echo.Context) error {
	return s.showUser(c, nil, nil)
}

func (s *Server) showUser(c echo.Context, form *userForm, failure error) error {
	u, err := s.users.User(c.Request().Context(), pathParam(c, "name"))
	if err != nil {
		return err
	}
	f := formOf(u)
	if form != nil {
		f = *form
	}
	d := userData{User: u, Scope: u.ScopeText(langOf(c)), Roles: indicators.Roles, Form: f}
	d.Notice = s.notice(c)
	status := http.StatusOK
	if failure != nil {
		if status, err = d.fail(langOf(c), failure); err != nil {
			return err
		}
	}
	return s.render(c, status, "user", d)
}

// notSelf refuses an admin's change of their own role or state, which
// could leave them locked out of their own administration.
func (s *Server) notSelf(c echo.Context, name string) error {
	if me, _ := currentUser(c); me.Name == name {
		return indicators.FieldError(indicators.EINVALID, "name", s.msgs.translate("vi", "users.not_self"),
			s.msgs.translate("en", "users.not_self"))
	}
	return nil
}

// adminUserUpdate changes a user's full name, role and scope.
func (s *Server) adminUserUpdate(c echo.Context) error {
	name := pathParam(c, "name")
	form := readUserForm(c)
	form.Name = name
	units, groups, err := form.parse()
	if err != nil {
		return s.showUser(c, &form, err)
	}
	if me, _ := currentUser(c); me.Name == name && form.Role != me.Role {
		return s.showUser(c, &form, s.notSelf(c, name))
	}
	if _, err := s.users.UpdateUser(c.Request().Context(), name, indicators.UserChange{FullName: form.FullName,
		Role: form.Role, Units: units, Groups: groups}); err != nil {
		if indicators.ErrorCode(err) == indicators.ENOTFOUND {
			return err
		}
		return s.showUser(c, &form, err)
	}
	return seeOther(c, "/admin/users/"+name, "users.saved")
}

// adminUserPassword sets a new password. The user's other sessions end;
// an admin resetting their own keeps the session they are using.
func (s *Server) adminUserPassword(c echo.Context) error {
	ctx := c.Request().Context()
	name := pathParam(c, "name")
	pw := c.FormValue("password")
	if err := indicators.ValidatePassword(name, pw); err != nil {
		return s.showUser(c, nil, err)
	}
	if _, err := s.users.User(ctx, name); err != nil {
		return err
	}
	hash, err := s.passwords.Hash(ctx, pw)
	if err != nil {
		return err
	}
	keep := ""
	if sess, ok := currentSession(c); ok && sess.User == name {
		keep = sess.ID
	}
	if err := s.users.SetPassword(ctx, name, hash, keep); err != nil {
		return err
	}
	return seeOther(c, "/admin/users/"+name, "users.password_set")
}

// adminUserDisable and adminUserEnable lock and unlock an account.
func (s *Server) adminUserDisable(c echo.Context) error { return s.setDisabled(c, true) }
func (s *Server) adminUserEnable(c echo.Context) error  { return s.setDisabled(c, false) }

func (s *Server) setDisabled(c echo.Context, disabled bool) error {
	name := pathParam(c, "name")
	if err := s.notSelf(c, name); err != nil {
		return s.showUser(c, nil, err)
	}
	if err := s.users.SetDisabled(c.Request().Context(), name, disabled); err != nil {
		if indicators.ErrorCode(err) == indicators.ENOTFOUND {
			return err
		}
		return s.showUser(c, nil, err)
	}
	done := "users.enabled_now"
	if disabled {
		done = "users.disabled_now"
	}
	return seeOther(c, "/admin/users/"+name, done)
}
