package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/sqlite"
)

func openWithCatalog(t *testing.T, c *clock) *sqlite.DB {
	t.Helper()
	db := open(t, filepath.Join(t.TempDir(), "u.db"), c)
	if _, err := db.LoadCatalog(context.Background(), smallCatalog()); err != nil {
		t.Fatal(err)
	}
	return db
}

// hash is a stand-in password hash: the store keeps what it is given.
const hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"

func addUser(t *testing.T, db *sqlite.DB, ctx context.Context, u indicators.User) indicators.User {
	t.Helper()
	u.PasswordHash = hash
	if err := db.CreateUser(ctx, &u); err != nil {
		t.Fatalf("create %s: %v", u.Name, err)
	}
	return u
}

func lastEvent(t *testing.T, db *sqlite.DB) indicators.AuditEvent {
	t.Helper()
	evs, err := db.AuditEvents(context.Background(), indicators.AuditFilter{Newest: true, Limit: 1})
	if err != nil || len(evs) != 1 {
		t.Fatalf("last audit event: %v, %v", evs, err)
	}
	return evs[0]
}

func TestUsersAreAuditedAndValidated(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := openWithCatalog(t, c)
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "root", Addr: "10.0.0.9", Role: indicators.Admin})
	addUser(t, db, ctx, indicators.User{Name: "root", Role: indicators.Admin})
	hoa := addUser(t, db, ctx, indicators.User{Name: "hoa.nguyen", FullName: "Nguyễn Thị Hoa", Role: indicators.Planner,
		Units: []string{"CT-CU"}, Groups: []int{0}})
	ev := lastEvent(t, db)
	if ev.Action != "user.add" || ev.Object != "user:hoa.nguyen" || ev.User != "root" || ev.Addr != "10.0.0.9" ||
		!strings.Contains(ev.After, `"units":["CT-CU"]`) || strings.Contains(ev.After, "argon2") {
		t.Errorf("user.add event = %+v", ev)
	}
	got, err := db.User(ctx, "hoa.nguyen")
	if err != nil || got.FullName != "Nguyễn Thị Hoa" || got.Role != indicators.Planner || len(got.Units) != 1 ||
		got.Units[0] != "CT-CU" || len(got.Groups) != 1 || got.PasswordHash != hash || got.ID != hoa.ID || got.CreatedBy != "root" {
		t.Errorf("User = %+v, %v", got, err)
	}

	for _, tc := range []struct {
		u    indicators.User
		code string
	}{
		{indicators.User{Name: "hoa.nguyen", Role: indicators.Leader}, indicators.ECONFLICT},
		{indicators.User{Name: "Hoa Nguyen", Role: indicators.Leader}, indicators.EINVALID},
		{indicators.User{Name: "x\nlevel=ERROR", Role: indicators.Leader}, indicators.EINVALID},
		{indicators.User{Name: "lan", Role: "boss"}, indicators.EINVALID},
		{indicators.User{Name: "lan", Role: indicators.Leader, Units: []string{"CT"}}, indicators.EINVALID},
		{indicators.User{Name: "lan", Role: indicators.Planner, Units: []string{"XX-99"}}, indicators.EINVALID},
		{indicators.User{Name: "lan", Role: indicators.Planner, Groups: []int{7}}, indicators.EINVALID},
	} {
		u := tc.u
		u.PasswordHash = hash
		if err := db.CreateUser(ctx, &u); indicators.ErrorCode(err) != tc.code {
			t.Errorf("CreateUser(%q, %s, %v, %v) = %v, want %s", u.Name, u.Role, u.Units, u.Groups, err, tc.code)
		}
	}
	if n, err := db.CountUsers(ctx); err != nil || n != 2 {
		t.Errorf("CountUsers = %d, %v; want 2 (refused users are not stored)", n, err)
	}

	after, err := db.UpdateUser(ctx, "hoa.nguyen", indicators.UserChange{FullName: "Nguyễn Thị Hoa", Role: indicators.Leader})
	if err != nil || after.Role != indicators.Leader || len(after.Units) != 0 {
		t.Fatalf("UpdateUser = %+v, %v", after, err)
	}
	ev = lastEvent(t, db)
	if ev.Action != "user.update" || !strings.Contains(ev.Before, `"role":"planner"`) || !strings.Contains(ev.After, `"role":"leader"`) {
		t.Errorf("user.update event = %+v", ev)
	}

	// The last enabled admin keeps the role and cannot be disabled.
	if _, err := db.UpdateUser(ctx, "root", indicators.UserChange{Role: indicators.Leader}); indicators.ErrorCode(err) != indicators.ECONFLICT {
		t.Errorf("demoting the last admin: %v, want conflict", err)
	}
	if err := db.SetDisabled(ctx, "root", true); indicators.ErrorCode(err) != indicators.ECONFLICT {
		t.Errorf("disabling the last admin: %v, want conflict", err)
	}
	if err := db.SetDisabled(ctx, "hoa.nguyen", true); err != nil {
		t.Fatal(err)
	}
	if u, _ := db.User(ctx, "hoa.nguyen"); !u.Disabled {
		t.Error("disabled user is not disabled")
	}
	if ev := lastEvent(t, db); ev.Action != "user.disable" || ev.Object != "user:hoa.nguyen" {
		t.Errorf("disable event = %+v", ev)
	}
	if _, err := db.User(ctx, "nobody"); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Errorf("User(nobody) = %v, want not found", err)
	}
}

func TestSessionsAndLoginFailures(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)}
	db := openWithCatalog(t, c)
	ctx := context.Background()
	addUser(t, db, ctx, indicators.User{Name: "lan", Role: indicators.Leader})
	now := c.t
	start := func(id, replaces string) {
		t.Helper()
		s := indicators.Session{ID: id, User: "lan", CSRF: "csrf-" + id, Addr: "10.0.0.5", CreatedAt: now, LastSeen: now}
		if err := db.StartSession(ctx, s, replaces, "dev1", now.Add(-30*time.Minute), now.Add(-8*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	start("aaaa", "")
	s, u, err := db.Session(ctx, "aaaa")
	if err != nil || s.User != "lan" || s.CSRF != "csrf-aaaa" || u.Role != indicators.Leader || !s.CreatedAt.Equal(now) {
		t.Fatalf("Session = %+v, %+v, %v", s, u, err)
	}
	if ev := lastEvent(t, db); ev.Action != "login" || ev.User != "lan" || ev.Addr != "10.0.0.5" || !strings.Contains(ev.After, "aaaa") {
		t.Errorf("login event = %+v", ev)
	}
	start("bbbb", "aaaa")
	if _, _, err := db.Session(ctx, "aaaa"); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Errorf("replaced session still found: %v", err)
	}
	if name, err := db.DeviceUser(ctx, "dev1"); err != nil || name != "lan" {
		t.Errorf("DeviceUser = %q, %v", name, err)
	}
	lctx := indicators.WithActor(ctx, indicators.Actor{User: "lan", Addr: "10.0.0.6"})
	if err := db.EndSession(lctx, "bbbb", "logout"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Session(ctx, "bbbb"); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Errorf("session after logout: %v", err)
	}
	if ev := lastEvent(t, db); ev.Action != "logout" || ev.User != "lan" || ev.Addr != "10.0.0.6" {
		t.Errorf("logout event = %+v", ev)
	}

	// A new password ends every session but the one kept.
	start("cccc", "")
	start("dddd", "")
	if err := db.SetPassword(ctx, "lan", hash, "dddd"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Session(ctx, "cccc"); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Errorf("other session survives a new password: %v", err)
	}
	if _, _, err := db.Session(ctx, "dddd"); err != nil {
		t.Errorf("kept session ended: %v", err)
	}

	for i, a := range []indicators.LoginAttempt{
		{Name: "lan", Addr: "10.0.0.7", At: now.Add(-2 * time.Hour), Reason: "wrong_password", Counted: true},
		{Name: "lan", Addr: "10.0.0.7", At: now.Add(-10 * time.Minute), Reason: "wrong_password", Counted: true},
		{Name: "ghost", Addr: "10.0.0.7", At: now.Add(-5 * time.Minute), Reason: "unknown_user", Counted: true},
		{Name: "lan", Addr: "10.0.0.8", Device: "dev1", At: now.Add(-time.Minute), Reason: "wrong_password", Counted: true},
		{Name: "lan", Addr: "10.0.0.7", At: now, Reason: "throttled"},
	} {
		if err := db.RefuseLogin(ctx, a); err != nil {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	f, err := db.CountLoginFailures(ctx, "lan", "10.0.0.7", "dev1", now.Add(-time.Hour))
	if err != nil || f != (indicators.LoginFailures{Name: 2, Addr: 2, Device: 1}) {
		t.Errorf("CountLoginFailures = %+v, %v; want name 2, addr 2, device 1", f, err)
	}
	evs, _ := db.AuditEvents(ctx, indicators.AuditFilter{Action: "login.", Object: "user:"})
	if len(evs) != 0 {
		t.Errorf("action prefix with a dot matched %d events", len(evs))
	}
	evs, _ = db.AuditEvents(ctx, indicators.AuditFilter{Action: "login", Newest: true})
	if len(evs) < 6 || evs[0].Action != "login.throttled" || evs[1].Action != "login.fail" || evs[2].User != "ghost" {
		t.Errorf("login events newest first = %+v", evs)
	}
	older, _ := db.AuditEvents(ctx, indicators.AuditFilter{Action: "login", Newest: true, Before: evs[1].ID})
	if len(older) != len(evs)-2 || older[0].ID != evs[2].ID {
		t.Errorf("page before #%d = %d events from #%d", evs[1].ID, len(older), older[0].ID)
	}
	if broken, err := db.VerifyAudit(ctx); err != nil || broken != nil {
		t.Errorf("VerifyAudit after sign-ins = %v, %v", broken, err)
	}
	head, err := db.AuditHead(ctx)
	if err != nil || head.Events == 0 || head.LastID != evs[0].ID || head.Hash != evs[0].Hash {
		t.Errorf("AuditHead = %+v, %v; last event %+v", head, err, evs[0])
	}
	one, err := db.AuditEvent(ctx, evs[0].ID)
	if err != nil || one != evs[0] {
		t.Errorf("AuditEvent(%d) = %+v, %v", evs[0].ID, one, err)
	}
	if _, err := db.AuditEvent(ctx, 999999); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Errorf("AuditEvent(999999) = %v", err)
	}
}

// A planner cannot store a value outside their units or task groups, and
// a refused value leaves the whole call unstored.
func TestValuesOutsideThePlannersScopeAreRefused(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)}
	db := openWithCatalog(t, c)
	planner := indicators.Actor{User: "hoa", Role: indicators.Planner, Units: []string{"CT-CU"}, Groups: []int{0}}
	in := indicators.Value{Key: key("ECO-01", "CT-CU", 2023, indicators.OfficialValue), Value: 5.75, Source: "S46"}
	out := indicators.Value{Key: key("ECO-01", "CT", 2025, indicators.OfficialValue), Value: 8.1, Source: "S46"}
	for _, tc := range []struct {
		name  string
		actor indicators.Actor
		vs    []indicators.Value
		code  string
		words []string
	}{
		{"planner, other unit", planner, []indicators.Value{in, out}, indicators.EFORBIDDEN, []string{"CT", "ECO-01", "ngoài phạm vi"}},
		{"planner, other group", indicators.Actor{User: "hoa", Role: indicators.Planner, Groups: []int{3}},
			[]indicators.Value{in}, indicators.EFORBIDDEN, []string{"ECO-01", "nhóm nhiệm vụ 0", "CT-CU"}},
		{"leader", indicators.Actor{User: "lan", Role: indicators.Leader}, []indicators.Value{in}, indicators.EFORBIDDEN,
			[]string{"leader", "ECO-01"}},
		{"auditor", indicators.Actor{User: "kt", Role: indicators.Auditor}, []indicators.Value{in}, indicators.EFORBIDDEN, nil},
		{"planner, in scope", planner, []indicators.Value{in}, "", nil},
		{"planner without limits", indicators.Actor{User: "minh", Role: indicators.Planner}, []indicators.Value{out}, "", nil},
		{"admin", indicators.Actor{User: "root", Role: indicators.Admin}, []indicators.Value{out}, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := db.Values(context.Background(), indicators.ValueFilter{Indicator: "ECO-01"})
			err := db.AddValues(indicators.WithActor(context.Background(), tc.actor), tc.vs)
			if indicators.ErrorCode(err) != tc.code {
				t.Fatalf("AddValues = %v, want code %q", err, tc.code)
			}
			for _, w := range tc.words {
				if !strings.Contains(indicators.ErrorMessage(err), w) {
					t.Errorf("message %q lacks %q", indicators.ErrorMessage(err), w)
				}
			}
			after, _ := db.Values(context.Background(), indicators.ValueFilter{Indicator: "ECO-01"})
			want := len(before)
			if tc.code == "" {
				want += len(tc.vs)
			}
			if len(after) != want {
				t.Errorf("%d values after, want %d", len(after), want)
			}
		})
	}
}
