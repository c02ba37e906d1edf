package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"chitieu/indicators"

	"github.com/jackc/pgx/v5"
)

var _ indicators.UserStore = (*DB)(nil)

const userColumns = `u.id, u.name, u.full_name, u.role, u.scope_units, u.scope_groups, u.password, u.password_at,
	u.disabled_at, u.created_at, u.created_by`

func scanUser(s pgx.Row, extra ...any) (indicators.User, error) {
	var u indicators.User
	var disabledAt *time.Time
	if err := s.Scan(append([]any{&u.ID, &u.Name, &u.FullName, &u.Role, &u.Units, &u.Groups, &u.PasswordHash,
		&u.PasswordAt, &disabledAt, &u.CreatedAt, &u.CreatedBy}, extra...)...); err != nil {
		return u, err
	}
	if len(u.Units) == 0 {
		u.Units = nil
	}
	if len(u.Groups) == 0 {
		u.Groups = nil
	}
	u.PasswordAt, u.CreatedAt = u.PasswordAt.UTC(), u.CreatedAt.UTC()
	u.Disabled = disabledAt != nil
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
	rows, err := db.pool.Query(ctx, `SELECT `+userColumns+` FROM users u ORDER BY u.name COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list users: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (indicators.User, error) { return scanUser(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: list users: %w", err)
	}
	return out, nil
}

// User returns the user of a login name.
func (db *DB) User(ctx context.Context, name string) (indicators.User, error) {
	return userIn(ctx, db.pool, name)
}

func userIn(ctx context.Context, q querier, name string) (indicators.User, error) {
	u, err := scanUser(q.QueryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE u.name = $1`, name))
	if errors.Is(err, pgx.ErrNoRows) {
		return u, notFound("user", name)
	}
	if err != nil {
		return u, fmt.Errorf("postgres: find user %s: %w", name, err)
	}
	return u, nil
}

// CountUsers returns how many users exist, disabled ones included.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := db.pool.QueryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count users: %w", err)
	}
	return n, nil
}

// checkScope refuses unit codes and task-group numbers that do not exist.
func checkScope(ctx context.Context, tx *wtx, units []string, groups []int) error {
	for _, code := range units {
		var ok bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM units WHERE code = $1)`, code).Scan(&ok); err != nil {
			return fmt.Errorf("postgres: find unit %s: %w", code, err)
		}
		if !ok {
			return indicators.FieldError(indicators.EINVALID, "units", fmt.Sprintf("không có đơn vị mã %q", code),
				fmt.Sprintf("there is no unit %q", code))
		}
	}
	for _, g := range groups {
		var ok bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM task_groups WHERE number = $1)`, g).Scan(&ok); err != nil {
			return fmt.Errorf("postgres: find task group %d: %w", g, err)
		}
		if !ok {
			return indicators.FieldError(indicators.EINVALID, "groups", fmt.Sprintf("không có nhóm nhiệm vụ số %d", g),
				fmt.Sprintf("there is no task group %d", g))
		}
	}
	return nil
}

// list is xs for an array column: an empty array, never NULL.
func list[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// CreateUser stores a new user with its password hash.
func (db *DB) CreateUser(ctx context.Context, u *indicators.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	u.CreatedAt, u.PasswordAt = db.now(), db.now()
	u.CreatedBy = indicators.ActorFrom(ctx).User
	return db.writeTx(ctx, func(tx *wtx) error {
		if err := checkScope(ctx, tx, u.Units, u.Groups); err != nil {
			return err
		}
		var disabled any
		if u.Disabled {
			disabled = u.CreatedAt
		}
		err := tx.QueryRow(ctx, `INSERT INTO users (name, full_name, role, scope_units, scope_groups, password,
			password_at, disabled_at, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (name) DO NOTHING RETURNING id`,
			u.Name, u.FullName, u.Role, list(u.Units), list(u.Groups), u.PasswordHash, u.PasswordAt,
			disabled, u.CreatedAt, u.CreatedBy).Scan(&u.ID)
		if errors.Is(err, pgx.ErrNoRows) {
			return indicators.FieldError(indicators.ECONFLICT, "name", fmt.Sprintf("tên đăng nhập %q đã có người dùng", u.Name),
				fmt.Sprintf("login name %q is taken", u.Name))
		}
		if err != nil {
			return fmt.Errorf("postgres: insert user %s: %w", u.Name, err)
		}
		return tx.audit(ctx, indicators.AuditEvent{Action: "user.add", Object: "user:" + u.Name, After: jsonOf(userAudit(u))})
	})
}

// lastAdmin refuses a change that would leave no enabled admin. Writers
// queue on the audit head, so two servers cannot each disable one of the
// last two admins.
func lastAdmin(ctx context.Context, tx *wtx, u indicators.User) error {
	if u.Role != indicators.Admin || u.Disabled {
		return nil
	}
	var others int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id <> $1`,
		u.ID).Scan(&others); err != nil {
		return fmt.Errorf("postgres: count admins: %w", err)
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
	err := db.writeTx(ctx, func(tx *wtx) error {
		before, err := userIn(ctx, tx, name)
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
		if _, err := tx.Exec(ctx, `UPDATE users SET full_name = $1, role = $2, scope_units = $3, scope_groups = $4
			WHERE id = $5`, after.FullName, after.Role, list(after.Units), list(after.Groups), before.ID); err != nil {
			return fmt.Errorf("postgres: update user %s: %w", name, err)
		}
		return tx.audit(ctx, indicators.AuditEvent{Action: "user.update", Object: "user:" + name,
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
	return db.writeTx(ctx, func(tx *wtx) error {
		u, err := userIn(ctx, tx, name)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET password = $1, password_at = $2 WHERE id = $3`,
			hash, db.now(), u.ID); err != nil {
			return fmt.Errorf("postgres: set password of %s: %w", name, err)
		}
		tag, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND id <> $2`, u.ID, keep)
		if err != nil {
			return fmt.Errorf("postgres: end sessions of %s: %w", name, err)
		}
		return tx.audit(ctx, indicators.AuditEvent{Action: "user.passwd", Object: "user:" + name,
			After: jsonOf(map[string]any{"password_changed": true, "sessions_ended": tag.RowsAffected()})})
	})
}

// SetDisabled disables or enables a user; disabling ends their sessions.
func (db *DB) SetDisabled(ctx context.Context, name string, disabled bool) error {
	return db.writeTx(ctx, func(tx *wtx) error {
		u, err := userIn(ctx, tx, name)
		if err != nil {
			return err
		}
		if u.Disabled == disabled {
			return nil
		}
		action, at := "user.enable", any(nil)
		if disabled {
			if err := lastAdmin(ctx, tx, u); err != nil {
				return err
			}
			action, at = "user.disable", db.now()
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET disabled_at = $1 WHERE id = $2`, at, u.ID); err != nil {
			return fmt.Errorf("postgres: %s %s: %w", action, name, err)
		}
		var n int64
		if disabled {
			tag, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID)
			if err != nil {
				return fmt.Errorf("postgres: end sessions of %s: %w", name, err)
			}
			n = tag.RowsAffected()
		}
		return tx.audit(ctx, indicators.AuditEvent{Action: action, Object: "user:" + name,
			Before: jsonOf(map[string]any{"disabled": !disabled}),
			After:  jsonOf(map[string]any{"disabled": disabled, "sessions_ended": n})})
	})
}

// sessionRef is the short form of a session ID the audit trail shows.
func sessionRef(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// StartSession stores a session after a successful sign-in. Sessions live
// in the database, so that every server behind a load balancer knows them.
func (db *DB) StartSession(ctx context.Context, s indicators.Session, replaces, device string, idleBefore, startedBefore time.Time) error {
	return db.writeTx(ctx, func(tx *wtx) error {
		u, err := userIn(ctx, tx, s.User)
		if err != nil {
			return err
		}
		if u.Disabled {
			return indicators.FieldError(indicators.EFORBIDDEN, "", fmt.Sprintf("tài khoản %s đã bị khóa", u.Name),
				fmt.Sprintf("the account %s is disabled", u.Name))
		}
		var replaced int64
		if replaces != "" {
			tag, err := tx.Exec(ctx, `DELETE FROM sessions WHERE id = $1`, replaces)
			if err != nil {
				return fmt.Errorf("postgres: end replaced session: %w", err)
			}
			replaced = tag.RowsAffected()
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE last_seen < $1 OR created_at < $2`,
			idleBefore.UTC(), startedBefore.UTC()); err != nil {
			return fmt.Errorf("postgres: end expired sessions: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO sessions (id, user_id, csrf, addr, created_at, last_seen)
			VALUES ($1, $2, $3, $4, $5, $6)`, s.ID, u.ID, s.CSRF, s.Addr, nullTime(s.CreatedAt), nullTime(s.LastSeen)); err != nil {
			return fmt.Errorf("postgres: insert session of %s: %w", u.Name, err)
		}
		if device != "" {
			if _, err := tx.Exec(ctx, `INSERT INTO trusted_devices (id, user_id, created_at, last_used)
				VALUES ($1, $2, $3, $3) ON CONFLICT (id) DO UPDATE SET last_used = excluded.last_used
				WHERE trusted_devices.user_id = excluded.user_id`, device, u.ID, nullTime(s.CreatedAt)); err != nil {
				return fmt.Errorf("postgres: trust device of %s: %w", u.Name, err)
			}
			// Browsers unused for half a year are forgotten.
			if _, err := tx.Exec(ctx, `DELETE FROM trusted_devices WHERE last_used < $1`,
				s.CreatedAt.AddDate(0, -6, 0).UTC()); err != nil {
				return fmt.Errorf("postgres: forget old devices: %w", err)
			}
		}
		return tx.audit(ctx, indicators.AuditEvent{User: u.Name, Addr: s.Addr, Action: "login",
			Object: "user:" + u.Name, After: jsonOf(map[string]any{"session": sessionRef(s.ID), "role": u.Role,
				"replaced_session": replaced > 0})})
	})
}

// Session returns a session with its user.
func (db *DB) Session(ctx context.Context, id string) (indicators.Session, indicators.User, error) {
	var s indicators.Session
	u, err := scanUser(db.pool.QueryRow(ctx, `SELECT `+userColumns+`, s.id, s.csrf, s.addr, s.created_at, s.last_seen
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`, id),
		&s.ID, &s.CSRF, &s.Addr, &s.CreatedAt, &s.LastSeen)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, u, notFound("session", sessionRef(id))
	}
	if err != nil {
		return s, u, fmt.Errorf("postgres: find session: %w", err)
	}
	s.User, s.CreatedAt, s.LastSeen = u.Name, s.CreatedAt.UTC(), s.LastSeen.UTC()
	return s, u, nil
}

// TouchSession records activity on a session. The time never moves back:
// servers write in the background, and a write of an earlier request may
// come after a later one's. It appends no audit event, so it does not
// queue on the audit head.
func (db *DB) TouchSession(ctx context.Context, id string, at time.Time) error {
	if _, err := db.pool.Exec(ctx, `UPDATE sessions SET last_seen = $1 WHERE id = $2 AND last_seen < $1`,
		nullTime(at), id); err != nil {
		return fmt.Errorf("postgres: touch session: %w", err)
	}
	return nil
}

// EndSession ends a session. A logout is audited; an expiry is not.
func (db *DB) EndSession(ctx context.Context, id, reason string) error {
	return db.writeTx(ctx, func(tx *wtx) error {
		var name string
		err := tx.QueryRow(ctx, `DELETE FROM sessions s USING users u WHERE u.id = s.user_id AND s.id = $1
			RETURNING u.name`, id).Scan(&name)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("postgres: end session: %w", err)
		}
		if reason != "logout" {
			return nil
		}
		return tx.audit(ctx, indicators.AuditEvent{User: name, Addr: indicators.ActorFrom(ctx).Addr, Action: "logout",
			Object: "user:" + name, After: jsonOf(map[string]any{"session": sessionRef(id)})})
	})
}

// RefuseLogin records a refused sign-in: in the audit trail always, and
// among the failures that throttling counts when a.Counted. The failures
// live in the database, so that throttling holds across servers.
func (db *DB) RefuseLogin(ctx context.Context, a indicators.LoginAttempt) error {
	name := a.Name
	if name == "" {
		name = "-"
	}
	return db.writeTx(ctx, func(tx *wtx) error {
		if a.Counted {
			if _, err := tx.Exec(ctx, `INSERT INTO login_failures (name, addr, device, at) VALUES ($1, $2, $3, $4)`,
				a.Name, a.Addr, a.Device, nullTime(a.At)); err != nil {
				return fmt.Errorf("postgres: record failed sign-in: %w", err)
			}
			if _, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE at < $1`, a.At.Add(-24*time.Hour).UTC()); err != nil {
				return fmt.Errorf("postgres: drop old failed sign-ins: %w", err)
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
		return tx.audit(ctx, indicators.AuditEvent{User: name, Addr: a.Addr, Action: action, Object: "user:" + name,
			After: jsonOf(after)})
	})
}

// CountLoginFailures counts counted failures since a moment by name, by
// address and by device.
func (db *DB) CountLoginFailures(ctx context.Context, name, addr, device string, since time.Time) (indicators.LoginFailures, error) {
	var f indicators.LoginFailures
	err := db.pool.QueryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM login_failures WHERE name = $1 AND at >= $4),
		(SELECT COUNT(*) FROM login_failures WHERE addr = $2 AND at >= $4),
		(SELECT COUNT(*) FROM login_failures WHERE device = $3 AND device <> '' AND at >= $4)`,
		name, addr, device, since.UTC()).Scan(&f.Name, &f.Addr, &f.Device)
	if err != nil {
		return f, fmt.Errorf("postgres: count failed sign-ins: %w", err)
	}
	return f, nil
}

// DeviceUser returns the user a trusted device belongs to, or "".
func (db *DB) DeviceUser(ctx context.Context, device string) (string, error) {
	var name string
	err := db.pool.QueryRow(ctx, `SELECT u.name FROM trusted_devices d JOIN users u ON u.id = d.user_id
		WHERE d.id = $1`, device).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("postgres: find trusted device: %w", err)
	}
	return name, nil
}
