package indicators

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// User is a person who signs in (người dùng). A planner may be limited to
// some units and task groups, an approver heads some units; the other
// roles have no scope.
type User struct {
	ID       int64
	Name     string // login name: lower-case letters, digits, . _ -
	FullName string // as people write it, with diacritics
	Role     Role
	Units    []string // unit codes a planner may write for; empty: all
	Groups   []int    // task-group numbers a planner may write for; empty: all

	PasswordHash string // argon2id PHC string; never shown, never audited
	Disabled     bool
	CreatedAt    time.Time
	CreatedBy    string
	PasswordAt   time.Time // when the password was last set
}

// Actor is the user acting from addr, with the user's role and scope.
func (u *User) Actor(addr string) Actor {
	return Actor{User: u.Name, Addr: addr, Role: u.Role, Units: u.Units, Groups: u.Groups}
}

var userNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)

// NormalizeUserName is how a typed login name is compared: trimmed and in
// lower case.
func NormalizeUserName(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidateUserName checks a login name: 2–64 of a–z, 0–9, dot, underscore
// and hyphen, starting with a letter or digit. Names never hold spaces or
// line breaks, so that they cannot forge a log line or a report row.
func ValidateUserName(name string) error {
	if !userNamePattern.MatchString(name) {
		return FieldError(EINVALID, "name",
			fmt.Sprintf("tên đăng nhập %q không hợp lệ: 2–64 ký tự a–z, 0–9, dấu chấm, gạch dưới, gạch nối, không dấu", clip(name, 70)),
			fmt.Sprintf("login name %q is not valid: 2–64 of a–z, 0–9, dot, underscore, hyphen", clip(name, 70)))
	}
	return nil
}

// Password length bounds, in characters.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 1024
)

// ValidatePassword checks a new password: 8–1,024 characters, not the login
// name. Length is what makes a password strong; no other rule is imposed.
func ValidatePassword(name, pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw):
		return FieldError(EINVALID, "password", "mật khẩu chứa ký tự không hợp lệ", "the password holds invalid characters")
	case n < MinPasswordLen || n > MaxPasswordLen:
		return FieldError(EINVALID, "password",
			fmt.Sprintf("mật khẩu cần từ %d đến 1.024 ký tự (hiện có %d)", MinPasswordLen, n),
			fmt.Sprintf("the password needs %d to 1,024 characters (it has %d)", MinPasswordLen, n))
	case strings.EqualFold(strings.TrimSpace(pw), name):
		return FieldError(EINVALID, "password", "mật khẩu không được trùng tên đăng nhập",
			"the password may not be the login name")
	}
	return nil
}

// Validate checks a user before it is stored.
func (u *User) Validate() error {
	if err := ValidateUserName(u.Name); err != nil {
		return err
	}
	if utf8.RuneCountInString(u.FullName) > 200 {
		return FieldError(EINVALID, "full_name", "họ tên tối đa 200 ký tự", "the full name has at most 200 characters")
	}
	if err := CheckName("full_name", "họ tên", "the full name", u.FullName); err != nil {
		return err
	}
	if err := u.Role.Validate(); err != nil {
		return err
	}
	if u.Role != Planner && u.Role != Approver && (len(u.Units) > 0 || len(u.Groups) > 0) {
		return FieldError(EINVALID, "units",
			"chỉ chuyên viên (planner) và thủ trưởng đơn vị (approver) mới được giới hạn theo đơn vị hoặc nhóm nhiệm vụ",
			"only planners and approvers are limited to units or task groups")
	}
	// An approver heads units: one without any would approve for every
	// unit, which no head of unit does.
	if u.Role == Approver && len(u.Groups) > 0 {
		return FieldError(EINVALID, "groups",
			"thủ trưởng đơn vị (approver) phụ trách theo đơn vị, không theo nhóm nhiệm vụ",
			"an approver heads units, not task groups")
	}
	if u.Role == Approver && len(u.Units) == 0 {
		return FieldError(EINVALID, "units",
			"thủ trưởng đơn vị (approver) cần ít nhất một đơn vị phụ trách",
			"an approver needs at least one unit to head")
	}
	for _, c := range u.Units {
		if !unitCodePattern.MatchString(c) {
			return FieldError(EINVALID, "units", fmt.Sprintf("mã đơn vị %q không hợp lệ", clip(c, 30)),
				fmt.Sprintf("unit code %q is not valid", clip(c, 30)))
		}
	}
	for _, g := range u.Groups {
		if g < 0 || g > 99 {
			return FieldError(EINVALID, "groups", fmt.Sprintf("số nhóm nhiệm vụ %d không hợp lệ", g),
				fmt.Sprintf("task group %d is not valid", g))
		}
	}
	if u.PasswordHash == "" {
		return FieldError(EINVALID, "password", "thiếu mật khẩu", "the password is missing")
	}
	return nil
}

// ScopeText describes a planner's scope for people: "đơn vị CT, 916; nhóm 1, 3".
func (u *User) ScopeText(lang string) string {
	var parts []string
	if len(u.Units) > 0 {
		parts = append(parts, pickLang(lang, "đơn vị ", "units ")+strings.Join(u.Units, ", "))
	}
	if len(u.Groups) > 0 {
		gs := make([]string, len(u.Groups))
		for i, g := range u.Groups {
			gs[i] = fmt.Sprint(g)
		}
		parts = append(parts, pickLang(lang, "nhóm ", "groups ")+strings.Join(gs, ", "))
	}
	if len(parts) == 0 {
		if u.Role == Planner || u.Role == Approver {
			return pickLang(lang, "mọi đơn vị và nhóm", "all units and groups")
		}
		return ""
	}
	return strings.Join(parts, "; ")
}

func pickLang(lang, vi, en string) string {
	if lang == "en" {
		return en
	}
	return vi
}

// clip shortens s to at most n characters for an error message.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// UserChange is what an admin may change of a user.
type UserChange struct {
	FullName string
	Role     Role
	Units    []string
	Groups   []int
}

// Session is a signed-in browser (phiên đăng nhập). Only the SHA-256 of its
// token is stored, so that a copy of the database opens no session.
type Session struct {
	ID        string // hex SHA-256 of the cookie's token
	User      string
	CSRF      string // the token every state-changing request must carry
	Addr      string
	CreatedAt time.Time
	LastSeen  time.Time
}

// LoginAttempt is a refused sign-in, written to the audit trail. Counted
// attempts (a wrong name or password) also count towards throttling;
// attempts refused by throttling do not, so that the window can pass.
type LoginAttempt struct {
	Name    string // as typed, normalized and clipped
	Addr    string
	Device  string // hex SHA-256 of a trusted-device token the browser showed, if any
	At      time.Time
	Reason  string // "unknown_user", "wrong_password", "disabled", "throttled"
	Counted bool
}

// LoginFailures counts counted failures since a moment, by the typed name,
// by the client address and by the trusted device.
type LoginFailures struct {
	Name, Addr, Device int
}

// UserStore keeps users, their sessions and the record of failed sign-ins.
// Every change is audited in its own transaction, naming the actor of ctx.
type UserStore interface {
	Users(ctx context.Context) ([]User, error)
	// User returns the user of that login name, or ENOTFOUND.
	User(ctx context.Context, name string) (User, error)
	CountUsers(ctx context.Context) (int, error)
	// CreateUser stores a new user (u.PasswordHash set): ECONFLICT when the
	// name is taken, EINVALID for a unit or task group that does not exist.
	CreateUser(ctx context.Context, u *User) error
	// UpdateUser changes a user's full name, role and scope. The last
	// enabled admin cannot lose the role.
	UpdateUser(ctx context.Context, name string, ch UserChange) (User, error)
	// SetPassword replaces a user's password hash and ends the user's
	// sessions but keep (the one making the change, if theirs).
	SetPassword(ctx context.Context, name, hash, keep string) error
	// SetDisabled disables or enables a user; disabling ends the user's
	// sessions. The last enabled admin cannot be disabled.
	SetDisabled(ctx context.Context, name string, disabled bool) error

	// StartSession stores a new session after a successful sign-in, ends
	// the session it replaces (no fixation) and sessions idle since
	// idleBefore or begun before startedBefore, and trusts device (a hex
	// SHA-256, when not empty) for the user's future sign-ins.
	StartSession(ctx context.Context, s Session, replaces, device string, idleBefore, startedBefore time.Time) error
	// Session returns a session with its user, or ENOTFOUND.
	Session(ctx context.Context, id string) (Session, User, error)
	// TouchSession records activity on a session.
	TouchSession(ctx context.Context, id string, at time.Time) error
	// EndSession ends a session on the server; reason is "logout" (audited)
	// or "expired".
	EndSession(ctx context.Context, id, reason string) error

	// RefuseLogin records a refused sign-in in the audit trail and, when
	// counted, towards throttling.
	RefuseLogin(ctx context.Context, a LoginAttempt) error
	// CountLoginFailures counts counted failures since the moment.
	CountLoginFailures(ctx context.Context, name, addr, device string, since time.Time) (LoginFailures, error)
	// DeviceUser returns the user a trusted-device token (hex SHA-256) was
	// issued to, or "".
	DeviceUser(ctx context.Context, device string) (string, error)
}
