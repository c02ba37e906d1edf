package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"chitieu/indicators"
)

var _ indicators.UserStore = (*DB)(nil)

const userColumns = `id, name, full_name, role, scope_units, scope_groups, password, password_at, disabled_at,
	created_at, created_by`

func scanUser(s interface{ Scan(...any) error }) (indicators.User, error) {
	var u indicators.User
	var units, groups, passwordAt, disabledAt, createdAt string
	if err := s.Scan(&u.ID, &u.Name, &u.FullName, &u.Role, &units, &groups, &u.PasswordHash, &passwordAt,
		&disabledAt, &createdAt, &u.CreatedBy); err != nil {
		return u, err
	}
	if err := json.Unmarshal([]byte(units), &u.Units); err != nil {
		return u, fmt.Errorf("sqlite: units of user %s: %w", u.Name, err)
	}
	if err := json.Unmarshal([]byte(groups), &u.Groups); err != nil {
		return u, fmt.Errorf("sqlite: groups of user %s: %w", u.Name, err)
	}
	u.PasswordAt, u.CreatedAt = parseTime(passwordAt), parseTime(createdAt)
	u.Disabled = disabledAt != ""
	return u, nil
}

// userAudit is what the audit trail keeps of a user: never the hash.
func userAudit(u *indicators.User) map[string]any {
	units, groups := u.Units, u.Groups
	if units == nil {
		units = []string{}
	}
	if groups == nil {
		groups = []int{}
	}
	return map[string]any{"name": u.Name, "full_name": u.FullName, "role": u.Role, "units": units,
		"groups": groups, "disabled": u.Disabled}
}

// Users returns every user, by name.
func (db *DB) Users(ctx context.Context) ([]indicators.User, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list users: %w", err)
	}
	defer rows.Close()
	var out []indicators.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: scan user: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// User returns the user of a login name.
func (db *DB) User(ctx context.Context, name string) (indicators.User, error) {
	return db.userIn(ctx, db.read, name)
}

func (db *DB) userIn(ctx context.Context, q querier, name string) (indicators.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return u, notFound("user", name)
	}
	if err != nil {
		return u, fmt.Errorf("sqlite: find user %s: %w", name, err)
	}
	return u, nil
}

// CountUsers returns how many users exist, disabled ones included.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count users: %w", err)
	}
	return n, nil
}

// checkScope refuses unit codes and task-group numbers that do not exist.
func checkScope(ctx context.Context, tx *sql.Tx, units []string, groups []int) error {
	for _, code := range units {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE code = ?`, code).Scan(&n); err != nil {
			return fmt.Errorf("sqlite: find unit %s: %w", code, err)
		}
		if n == 0 {
			return indicators.FieldError(indicators.EINVALID, "units", fmt.Sprintf("không có đơn vị mã %q", code),
				fmt.Sprintf("there is no unit %q", code))
		}
	}
	for _, g := range groups {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM task_groups WHERE number = ?`, g).Scan(&n); err != nil {
			return fmt.Errorf("sqlite: find task group %d: %w", g, err)
		}
		if n == 0 {
			return indicators.FieldError(indicators.EINVALID, "groups", fmt.Sprintf("không có nhóm nhiệm vụ số %d", g),
				fmt.Sprintf("there is no task group %d", g))
		}
	}
	return nil
}

// CreateUser stores a new user with its password hash.
func (db *DB) CreateUser(ctx context.Context, u *indicators.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	u.CreatedAt, u.PasswordAt = db.now().UTC(), db.now().UTC()
	u.CreatedBy = indicators.ActorFrom(ctx).User
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if err := checkScope(ctx, tx, u.Units, u.Groups); err != nil {
			return err
		}
		disabled := ""
		if u.Disabled {
			disabled = fmtTime(u.CreatedAt)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO users (name, full_name, role, scope_units, scope_groups, password,
			password_at, disabled_at, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.Name, u.FullName, u.Role, jsonList(u.Units), jsonList(u.Groups), u.PasswordHash, fmtTime(u.PasswordAt),
			disabled, fmtTime(u.CreatedAt), u.CreatedBy)
		if err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return indicators.FieldError(indicators.ECONFLICT, "name", fmt.Sprintf("tên đăng nhập %q đã có người dùng", u.Name),
					fmt.Sprintf("login name %q is taken", u.Name))
			}
			return fmt.Errorf("sqlite: insert user %s: %w", u.Name, err)
		}
		if u.ID, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("sqlite: id of user %s: %w", u.Name, err)
		}
		return db.audit(ctx, tx, indicators.AuditEvent{Action: "user.add", Object: "user:" + u.Name, After: jsonOf(userAudit(u))})
	})
}

// jsonList renders a scope list as a JSON array, [] for none.
func jsonList[T any](xs []T) string {
	if len(xs) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(xs)
	return string(b)
}

// lastAdmin refuses a change that would leave no enabled admin.
func lastAdmin(ctx context.Context, tx *sql.Tx, u indicators.User) error {
	if u.Role != indicators.Admin || u.Disabled {
		return nil
	}
	var others int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at = '' AND id <> ?`,
		u.ID).Scan(&others); err != nil {
		return fmt.Errorf("sqlite: count admins: %w", err)
	}
	if others == 0 {
		return indicators.FieldError(indicators.ECONFLICT, "role",
			fmt.Sprintf("%s là quản trị viên cuối cùng đang hoạt động: hãy tạo hoặc mở khóa một quản trị viên khác trước", u.Name),
			fmt.Sprintf("%s is the last enabled admin: create or enable another admin first", u.Name))
	}
	return nil
}

// UpdateUser changes a user's full name, role and scope.
func (db *DB) UpdateUser(ctx context.Context, name string, ch indicators.UserChange) (indicators.User, error) {
	var after indicators.User
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		before, err := db.userIn(ctx, tx, name)
		if err != nil {
			return err
		}
		after = before
		after.FullName, after.Role, after.Units, after.Groups = ch.FullName, ch.Role, ch.Units, ch.Groups
		if err := after.Validate(); err != nil {
			return err
		}
		if after.Role != indicators.Admin {
			if err := lastAdmin(ctx, tx, before); err != nil {
				return err
			}
		}
		if err := checkScope(ctx, tx, after.Units, after.Groups); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET full_name = ?, role = ?, scope_units = ?, scope_groups = ?
			WHERE id = ?`, after.FullName, after.Role, jsonList(after.Units), jsonList(after.Groups), before.ID); err != nil {
			return fmt.Errorf("sqlite: update user %s: %w", name, err)
		}
		return db.audit(ctx, tx, indicators.AuditEvent{Action: "user.update", Object: "user:" + name,
			Before: jsonOf(userAudit(&before)), After: jsonOf(userAudit(&after))})
	})
	return after, err
}

// SetPassword replaces a user's password hash and ends the user's other
// sessions, so that a stolen session dies with the old password.
func (db *DB) SetPassword(ctx context.Context, name, hash, keep string) error {
	if hash == "" {
		return indicators.FieldError(indicators.EINVALID, "password", "thiếu mật khẩu", "the password is missing")
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		u, err := db.userIn(ctx, tx, name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password = ?, password_at = ? WHERE id = ?`,
			hash, fmtTime(db.now()), u.ID); err != nil {
			return fmt.Errorf("sqlite: set password of %s: %w", name, err)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, u.ID, keep)
		if err != nil {
			return fmt.Errorf("sqlite: end sessions of %s: %w", name, err)
		}
		n, _ := res.RowsAffected()
		return db.audit(ctx, tx, indicators.AuditEvent{Action: "user.passwd", Object: "user:" + name,
			After: jsonOf(map[string]any{"password_changed": true, "sessions_ended": n})})
	})
}

// SetDisabled disables or enables a user.
func (db *DB) SetDisabled(ctx context.Context, name string, disabled bool) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		u, err := db.userIn(ctx, tx, name)
		if err != nil {
			return err
		}
		if u.Disabled == disabled {
			return nil
		}
		action, at := "user.enable", ""
		if disabled {
			if err := lastAdmin(ctx, tx, u); err != nil {
				return err
			}
			action, at = "user.disable", fmtTime(db.now())
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = ? WHERE id = ?`, at, u.ID); err != nil {
			return fmt.Errorf("sqlite: %s %s: %w", action, name, err)
		}
		var n int64
		if disabled {
			res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID)
			if err != nil {
				return fmt.Errorf("sqlite: end sessions of %s: %w", name, err)
			}
			n, _ = res.RowsAffected()
		}
		return db.audit(ctx, tx, indicators.AuditEvent{Action: action, Object: "user:" + name,
			Before: jsonOf(map[string]any{"disabled": !disabled}),
			After:  jsonOf(map[string]any{"disabled": disabled, "sessions_ended": n})})
	})
}

// sessionRef is the short form of a session ID the audit trail shows, so
// that a login and its logout can be matched without keeping the ID.
func sessionRef(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// StartSession stores a session after a successful sign-in.
func (db *DB) StartSession(ctx context.Context, s indicators.Session, replaces, device string, idleBefore, startedBefore time.Time) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		u, err := db.userIn(ctx, tx, s.User)
		if err != nil {
			return err
		}
		if u.Disabled {
			return indicators.FieldError(indicators.EFORBIDDEN, "", fmt.Sprintf("tài khoản %s đã bị khóa", u.Name),
				fmt.Sprintf("the account %s is disabled", u.Name))
		}
		replaced := int64(0)
		if replaces != "" {
			res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, replaces)
			if err != nil {
				return fmt.Errorf("sqlite: end replaced session: %w", err)
			}
			replaced, _ = res.RowsAffected()
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE last_seen < ? OR created_at < ?`,
			fmtTime(idleBefore), fmtTime(startedBefore)); err != nil {
			return fmt.Errorf("sqlite: end expired sessions: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (id, user_id, csrf, addr, created_at, last_seen)
			VALUES (?, ?, ?, ?, ?, ?)`, s.ID, u.ID, s.CSRF, s.Addr, fmtTime(s.CreatedAt), fmtTime(s.LastSeen)); err != nil {
			return fmt.Errorf("sqlite: insert session of %s: %w", u.Name, err)
		}
		if device != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO trusted_devices (id, user_id, created_at, last_used)
				VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET last_used = excluded.last_used
				WHERE trusted_devices.user_id = excluded.user_id`, device, u.ID, fmtTime(s.CreatedAt), fmtTime(s.CreatedAt)); err != nil {
				return fmt.Errorf("sqlite: trust device of %s: %w", u.Name, err)
			}
			// Browsers unused for half a year are forgotten.
			if _, err := tx.ExecContext(ctx, `DELETE FROM trusted_devices WHERE last_used < ?`,
				fmtTime(s.CreatedAt.AddDate(0, -6, 0))); err != nil {
				return fmt.Errorf("sqlite: forget old devices: %w", err)
			}
		}
		return db.audit(ctx, tx, indicators.AuditEvent{User: u.Name, Addr: s.Addr, Action: "login",
			Object: "user:" + u.Name, After: jsonOf(map[string]any{"session": sessionRef(s.ID), "role": u.Role,
				"replaced_session": replaced > 0})})
	})
}

// sessionQuery finds a session and its user; prepared once (see prepare).
var sessionQuery = `SELECT s.id, s.csrf, s.addr, s.created_at, s.last_seen, ` +
	prefixed("u.", userColumns) + ` FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`

// Session returns a session with its user.
func (db *DB) Session(ctx context.Context, id string) (indicators.Session, indicators.User, error) {
	var s indicators.Session
	var createdAt, lastSeen string
	u, err := scanUser(scanFunc(func(dest ...any) error {
		return db.read.QueryRowContext(ctx, sessionQuery, id).
			Scan(append([]any{&s.ID, &s.CSRF, &s.Addr, &createdAt, &lastSeen}, dest...)...)
	}))
	if errors.Is(err, sql.ErrNoRows) {
		return s, u, notFound("session", sessionRef(id))
	}
	if err != nil {
		return s, u, fmt.Errorf("sqlite: find session: %w", err)
	}
	s.User, s.CreatedAt, s.LastSeen = u.Name, parseTime(createdAt), parseTime(lastSeen)
	return s, u, nil
}

type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// prefixed qualifies each column of a list with a table alias.
func prefixed(alias, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = alias + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// TouchSession records activity on a session. The time never moves back:
// the web server writes in the background, and a write of an earlier
// request may come after a later one's.
func (db *DB) TouchSession(ctx context.Context, id string, at time.Time) error {
	t := fmtTime(at)
	if _, err := db.write.ExecContext(ctx, `UPDATE sessions SET last_seen = ? WHERE id = ? AND last_seen < ?`, t, id, t); err != nil {
		return fmt.Errorf("sqlite: touch session: %w", err)
	}
	return nil
}

// EndSession ends a session. A logout is audited; an expiry, found when
// the browser next comes back, is not an act of anyone and is not.
func (db *DB) EndSession(ctx context.Context, id, reason string) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		var name string
		err := tx.QueryRowContext(ctx, `SELECT u.name FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`, id).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("sqlite: find session: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, id); err != nil {
			return fmt.Errorf("sqlite: end session: %w", err)
		}
		if reason != "logout" {
			return nil
		}
		return db.audit(ctx, tx, indicators.AuditEvent{User: name, Addr: indicators.ActorFrom(ctx).Addr, Action: "logout",
			Object: "user:" + name, After: jsonOf(map[string]any{"session": sessionRef(id)})})
	})
}

// RefuseLogin records a refused sign-in: in the audit trail always, and
// among the failures that throttling counts when a.Counted. Failures older
// than a day are dropped meanwhile; throttling looks back an hour or so.
func (db *DB) RefuseLogin(ctx context.Context, a indicators.LoginAttempt) error {
	name := a.Name
	if name == "" {
		name = "-"
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if a.Counted {
			if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (name, addr, device, at) VALUES (?, ?, ?, ?)`,
				a.Name, a.Addr, a.Device, fmtTime(a.At)); err != nil {
				return fmt.Errorf("sqlite: record failed sign-in: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE at < ?`, fmtTime(a.At.Add(-24*time.Hour))); err != nil {
				return fmt.Errorf("sqlite: drop old failed sign-ins: %w", err)
			}
		}
		action := "login.fail"
		if !a.Counted {
			action = "login.throttled"
		}
		after := map[string]any{"reason": a.Reason}
		if a.Device != "" {
			after["trusted_device"] = true
		}
		return db.audit(ctx, tx, indicators.AuditEvent{User: name, Addr: a.Addr, Action: action, Object: "user:" + name,
			After: jsonOf(after)})
	})
}

// CountLoginFailures counts counted failures since a moment by name, by
// address and by device.
func (db *DB) CountLoginFailures(ctx context.Context, name, addr, device string, since time.Time) (indicators.LoginFailures, error) {
	var f indicators.LoginFailures
	t := fmtTime(since)
	err := db.read.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM login_failures WHERE name = ? AND at >= ?),
		(SELECT COUNT(*) FROM login_failures WHERE addr = ? AND at >= ?),
		(SELECT COUNT(*) FROM login_failures WHERE device = ? AND device <> '' AND at >= ?)`,
		name, t, addr, t, device, t).Scan(&f.Name, &f.Addr, &f.Device)
	if err != nil {
		return f, fmt.Errorf("sqlite: count failed sign-ins: %w", err)
	}
	return f, nil
}

// DeviceUser returns the user a trusted device belongs to, or "".
func (db *DB) DeviceUser(ctx context.Context, device string) (string, error) {
	var name string
	err := db.read.QueryRowContext(ctx, `SELECT u.name FROM trusted_devices d JOIN users u ON u.id = d.user_id
		WHERE d.id = ?`, device).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("sqlite: find trusted device: %w", err)
	}
	return name, nil
}
