package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"chitieu/dashboard"
	"chitieu/indicators"
	"chitieu/password"
)

func init() {
	commands["user"] = command{"quản lý người dùng: add, passwd, disable, enable, list",
		"manage users: add, passwd, disable, enable, list", cmdUser}
	commands["audit"] = command{"nhật ký kiểm toán: verify kiểm tra chuỗi mã băm",
		"audit trail: verify checks its hash chain", cmdAudit}
}

// cliActor is who the command line acts as in the audit trail.
var cliActor = indicators.Actor{User: "cli"}

// asCLI returns ctx acting as the command line.
func asCLI(ctx context.Context) context.Context { return indicators.WithActor(ctx, cliActor) }

func cmdUser(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 {
		return usagef("cần lệnh con: chitieu user add|passwd|disable|enable|list", "give a subcommand: chitieu user add|passwd|disable|enable|list")
	}
	sub, args := args[0], args[1:]
	fs := a.flags("user " + sub)
	dbPath := a.dbFlag(fs)
	name := fs.String("name", "", a.say("tên đăng nhập (2–64 ký tự a–z, 0–9, . _ -)", "the login name (2–64 of a–z, 0–9, . _ -)"))
	var role, fullName, units, groups *string
	if sub == "add" {
		role = fs.String("role", "", a.say("vai trò: admin, planner, approver, leader hoặc auditor", "the role: admin, planner, approver, leader or auditor"))
		fullName = fs.String("full-name", "", a.say("họ và tên", "the full name"))
		units = fs.String("units", "", a.say("chuyên viên: chỉ các mã đơn vị này; thủ trưởng đơn vị (approver): các đơn vị phụ trách, bắt buộc; cách nhau bằng dấu phẩy",
			"a planner: only these unit codes; the head of a unit (approver): the units they head, required; separated by commas"))
		groups = fs.String("groups", "", a.say("chuyên viên: chỉ các nhóm nhiệm vụ này, ví dụ 1,3", "a planner: only these task groups, e.g. 1,3"))
	}
	switch sub {
	case "add", "passwd", "disable", "enable", "list":
	default:
		return usagef("lệnh con không rõ %q: add, passwd, disable, enable, list", "unknown subcommand %q: add, passwd, disable, enable, list", sub)
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if sub != "list" && *name == "" {
		return usagef("cần --name", "give --name")
	}
	var scopeUnits []string
	var scopeGroups []int
	if sub == "add" {
		if err := indicators.Role(*role).Validate(); err != nil {
			return usagef("--role: %s", "--role: %s", indicators.ErrorMessageIn(err, a.lang))
		}
		for _, u := range splitComma(*units) {
			scopeUnits = append(scopeUnits, strings.ToUpper(u))
		}
		for _, g := range splitComma(*groups) {
			n, err := strconv.Atoi(g)
			if err != nil {
				return usagef("--groups: %q không phải là số", "--groups: %q is not a number", g)
			}
			scopeGroups = append(scopeGroups, n)
		}
	}
	db, err := a.openAdmin(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = indicators.WithActor(ctx, cliActor)
	hasher := password.NewHasher(password.Default, 1)
	switch sub {
	case "list":
		return listUsers(ctx, a, db)
	case "disable", "enable":
		if err := db.SetDisabled(ctx, *name, sub == "disable"); err != nil {
			return err
		}
		if sub == "disable" {
			a.printf("đã khóa tài khoản %s\n", "disabled the account %s\n", *name)
		} else {
			a.printf("đã mở khóa tài khoản %s\n", "enabled the account %s\n", *name)
		}
		return nil
	}
	pw, err := readPassword(a.stdin)
	if err != nil {
		return err
	}
	if err := indicators.ValidatePassword(*name, pw); err != nil {
		return err
	}
	hash, err := hasher.Hash(ctx, pw)
	if err != nil {
		return err
	}
	if sub == "passwd" {
		if err := db.SetPassword(ctx, *name, hash, ""); err != nil {
			return err
		}
		a.printf("đã đặt mật khẩu mới cho %s; các phiên đăng nhập của người này đã kết thúc\n",
			"set a new password for %s; their sessions have ended\n", *name)
		return nil
	}
	u := indicators.User{Name: *name, FullName: *fullName, Role: indicators.Role(*role), Units: scopeUnits,
		Groups: scopeGroups, PasswordHash: hash}
	if err := db.CreateUser(ctx, &u); err != nil {
		return err
	}
	a.printf("đã tạo người dùng %s (%s)\n", "created the user %s (%s)\n", u.Name, u.Role)
	return nil
}

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// readPassword reads the password from the first line of standard input,
// so that it never shows in the process list or the shell history.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 8192)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("chitieu: read the password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usagef("cần mật khẩu ở dòng đầu của đầu vào chuẩn, ví dụ: chitieu user add … < tệp-mật-khẩu",
			"give the password on the first line of standard input, e.g. chitieu user add … < password-file")
	}
	return line, nil
}

func listUsers(ctx context.Context, a *app, db adminStore) error {
	users, err := db.Users(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, a.say("TÊN\tVAI TRÒ\tPHẠM VI\tTRẠNG THÁI\tHỌ TÊN", "NAME\tROLE\tSCOPE\tSTATE\tFULL NAME"))
	for _, u := range users {
		state := a.say("hoạt động", "active")
		if u.Disabled {
			state = a.say("đã khóa", "disabled")
		}
		scope := u.ScopeText(a.lang)
		if scope == "" {
			scope = "—"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", u.Name, u.Role, scope, state, u.FullName)
	}
	return w.Flush()
}

// firstAdmin creates the admin account with a random password when no
// user exists, so that a fresh installation can be signed in to. It
// returns the name and password to show once, or "" when users exist.
func firstAdmin(ctx context.Context, db indicators.UserStore) (name, pw string, err error) {
	n, err := db.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", "", err
	}
	pw = randomPassword()
	hash, err := password.Default.Hash(pw)
	if err != nil {
		return "", "", err
	}
	u := indicators.User{Name: "admin", FullName: "Quản trị viên", Role: indicators.Admin, PasswordHash: hash}
	ctx = indicators.WithActor(ctx, indicators.Actor{User: "system"})
	if err := db.CreateUser(ctx, &u); err != nil {
		if indicators.ErrorCode(err) == indicators.ECONFLICT {
			return "", "", nil // another process made it first
		}
		return "", "", err
	}
	return u.Name, pw, nil
}

// randomPassword returns 26 random letters and digits: 128 bits.
func randomPassword() string { return rand.Text() }

func cmdAudit(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		return usagef("cần lệnh con: chitieu audit verify --db PATH", "give a subcommand: chitieu audit verify --db PATH")
	}
	fs := a.flags("audit verify")
	dbPath := a.dbFlag(fs)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	db, err := a.openAdmin(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := db.CheckAudit(ctx)
	if err != nil {
		return err
	}
	// Restores come first: they explain a trail that went back to an
	// older head, whatever the verdict.
	for _, r := range c.Restores {
		a.printf("khôi phục lúc %s: nhật ký quay về #%d theo bản sao lưu (%s); đây là khôi phục đã ghi nhận, không phải sửa đổi\n",
			"restored at %s: the trail went back to #%d with the backup (%s); a recorded restore, not tampering\n",
			a.stampSeconds(r.At), r.Seq, r.Note)
	}
	if c.Broken != nil {
		return indicators.FieldError(indicators.EINVALID, "", c.Broken.Error(), c.Broken.English())
	}
	a.printf("chuỗi nhật ký kiểm toán nguyên vẹn: %d sự kiện, sự kiện cuối #%d, mã băm cuối %s\n",
		"the audit trail's chain is intact: %d events, the last #%d, its hash %s\n", c.Head.Events, c.Head.LastID, c.Head.Hash)
	switch {
	case c.KeyedFrom > 1:
		a.printf("ký bằng khóa %s từ sự kiện #%d; #1–#%d thuộc chuỗi SHA-256 cũ, trước khi có khóa\n",
			"signed with the key %s from event #%d; #1–#%d belong to the older SHA-256 chain, from before the key\n",
			db.KeyPath(), c.KeyedFrom, c.KeyedFrom-1)
	case c.KeyedFrom == 1:
		a.printf("mọi sự kiện được ký bằng khóa %s\n", "every event is signed with the key %s\n", db.KeyPath())
	}
	if c.Recorded != nil {
		a.printf("khớp đầu chuỗi ghi ngoài cơ sở dữ liệu (%s): #%d lúc %s\n", "matches the head recorded outside the database (%s): #%d at %s\n",
			c.HeadsFile, c.Recorded.Seq, a.stampSeconds(c.Recorded.At))
	}
	return nil
}

// sessionFlags adds the session and proxy settings of serve; the returned
// function reads them after parsing.
func (a *app) sessionFlags(fs *flag.FlagSet) func() (dashboard.SessionSettings, []string, error) {
	idle := fs.String("session-idle", envOr(a, "CHITIEU_SESSION_IDLE", "30m"),
		a.say("phiên kết thúc sau thời gian không hoạt động này (CHITIEU_SESSION_IDLE)",
			"a session ends after this long without activity (CHITIEU_SESSION_IDLE)"))
	lifetime := fs.String("session-max", envOr(a, "CHITIEU_SESSION_MAX", "8h"),
		a.say("phiên kết thúc sau thời gian này kể từ khi đăng nhập (CHITIEU_SESSION_MAX)",
			"a session ends this long after signing in (CHITIEU_SESSION_MAX)"))
	proxies := fs.String("trusted-proxies", a.getenv("CHITIEU_TRUSTED_PROXIES"),
		a.say("địa chỉ hoặc dải CIDR của reverse proxy được tin X-Forwarded-For/-Proto, cách nhau bằng dấu phẩy (CHITIEU_TRUSTED_PROXIES)",
			"addresses or CIDR ranges of the reverse proxies whose X-Forwarded-For/-Proto are trusted, separated by commas (CHITIEU_TRUSTED_PROXIES)"))
	return func() (dashboard.SessionSettings, []string, error) {
		var s dashboard.SessionSettings
		for _, d := range []struct {
			flag, text string
			into       *time.Duration
		}{{"--session-idle", *idle, &s.Idle}, {"--session-max", *lifetime, &s.Lifetime}} {
			v, err := time.ParseDuration(d.text)
			if err != nil || v < time.Minute {
				return s, nil, usagef("%s %q không hợp lệ: cần một khoảng thời gian từ 1m trở lên, ví dụ 30m, 8h",
					"%s %q is not valid: give a duration of 1m or more, e.g. 30m, 8h", d.flag, d.text)
			}
			*d.into = v
		}
		return s, splitComma(*proxies), nil
	}
}

func envOr(a *app, name, def string) string {
	if v := a.getenv(name); v != "" {
		return v
	}
	return def
}
