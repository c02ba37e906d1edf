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
	commands["user"] = command{"quản lý người dùng: add, passwd, disable, enable, list", cmdUser}
	commands["audit"] = command{"nhật ký kiểm toán: verify kiểm tra chuỗi mã băm", cmdAudit}
}

// cliActor is who the command line acts as in the audit trail.
var cliActor = indicators.Actor{User: "cli"}

// asCLI returns ctx acting as the command line.
func asCLI(ctx context.Context) context.Context { return indicators.WithActor(ctx, cliActor) }

func cmdUser(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 {
		return usagef("cần lệnh con: chitieu user add|passwd|disable|enable|list")
	}
	sub, args := args[0], args[1:]
	fs := a.flags("user " + sub)
	dbPath := a.dbFlag(fs)
	name := fs.String("name", "", "tên đăng nhập (2–64 ký tự a–z, 0–9, . _ -)")
	var role, fullName, units, groups *string
	if sub == "add" {
		role = fs.String("role", "", "vai trò: admin, planner, approver, leader hoặc auditor")
		fullName = fs.String("full-name", "", "họ và tên")
		units = fs.String("units", "", "chuyên viên: chỉ các mã đơn vị này; thủ trưởng đơn vị (approver): các đơn vị phụ trách, bắt buộc; cách nhau bằng dấu phẩy")
		groups = fs.String("groups", "", "chuyên viên: chỉ các nhóm nhiệm vụ này, ví dụ 1,3")
	}
	switch sub {
	case "add", "passwd", "disable", "enable", "list":
	default:
		return usagef("lệnh con không rõ %q: add, passwd, disable, enable, list", sub)
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if sub != "list" && *name == "" {
		return usagef("cần --name")
	}
	var scopeUnits []string
	var scopeGroups []int
	if sub == "add" {
		if err := indicators.Role(*role).Validate(); err != nil {
			return usagef("--role: %s", indicators.ErrorMessage(err))
		}
		for _, u := range splitComma(*units) {
			scopeUnits = append(scopeUnits, strings.ToUpper(u))
		}
		for _, g := range splitComma(*groups) {
			n, err := strconv.Atoi(g)
			if err != nil {
				return usagef("--groups: %q không phải là số", g)
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
		fmt.Fprintf(a.stdout, "đã %s tài khoản %s\n", map[string]string{"disable": "khóa", "enable": "mở khóa"}[sub], *name)
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
		fmt.Fprintf(a.stdout, "đã đặt mật khẩu mới cho %s; các phiên đăng nhập của người này đã kết thúc\n", *name)
		return nil
	}
	u := indicators.User{Name: *name, FullName: *fullName, Role: indicators.Role(*role), Units: scopeUnits,
		Groups: scopeGroups, PasswordHash: hash}
	if err := db.CreateUser(ctx, &u); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "đã tạo người dùng %s (%s)\n", u.Name, u.Role)
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
		return "", usagef("cần mật khẩu ở dòng đầu của đầu vào chuẩn, ví dụ: chitieu user add … < tệp-mật-khẩu")
	}
	return line, nil
}

func listUsers(ctx context.Context, a *app, db adminStore) error {
	users, err := db.Users(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "TÊN\tVAI TRÒ\tPHẠM VI\tTRẠNG THÁI\tHỌ TÊN")
	for _, u := range users {
		state := "hoạt động"
		if u.Disabled {
			state = "đã khóa"
		}
		scope := u.ScopeText("vi")
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
		return usagef("cần lệnh con: chitieu audit verify --db PATH")
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
		fmt.Fprintf(a.stdout, "khôi phục lúc %s: nhật ký quay về #%d theo bản sao lưu (%s); đây là khôi phục đã ghi nhận, không phải sửa đổi\n",
			r.At.In(indicators.Vietnam).Format("02/01/2006 15:04:05"), r.Seq, r.Note)
	}
	if c.Broken != nil {
		return indicators.FieldError(indicators.EINVALID, "", c.Broken.Error(), c.Broken.English())
	}
	fmt.Fprintf(a.stdout, "chuỗi nhật ký kiểm toán nguyên vẹn: %d sự kiện, sự kiện cuối #%d, mã băm cuối %s\n",
		c.Head.Events, c.Head.LastID, c.Head.Hash)
	switch {
	case c.KeyedFrom > 1:
		fmt.Fprintf(a.stdout, "ký bằng khóa %s từ sự kiện #%d; #1–#%d thuộc chuỗi SHA-256 cũ, trước khi có khóa\n",
			db.KeyPath(), c.KeyedFrom, c.KeyedFrom-1)
	case c.KeyedFrom == 1:
		fmt.Fprintf(a.stdout, "mọi sự kiện được ký bằng khóa %s\n", db.KeyPath())
	}
	if c.Recorded != nil {
		fmt.Fprintf(a.stdout, "khớp đầu chuỗi ghi ngoài cơ sở dữ liệu (%s): #%d lúc %s\n", c.HeadsFile, c.Recorded.Seq,
			c.Recorded.At.In(indicators.Vietnam).Format("02/01/2006 15:04:05"))
	}
	return nil
}

// sessionFlags adds the session and proxy settings of serve; the returned
// function reads them after parsing.
func (a *app) sessionFlags(fs *flag.FlagSet) func() (dashboard.SessionSettings, []string, error) {
	idle := fs.String("session-idle", envOr(a, "CHITIEU_SESSION_IDLE", "30m"),
		"phiên kết thúc sau thời gian không hoạt động này (CHITIEU_SESSION_IDLE)")
	lifetime := fs.String("session-max", envOr(a, "CHITIEU_SESSION_MAX", "8h"),
		"phiên kết thúc sau thời gian này kể từ khi đăng nhập (CHITIEU_SESSION_MAX)")
	proxies := fs.String("trusted-proxies", a.getenv("CHITIEU_TRUSTED_PROXIES"),
		"địa chỉ hoặc dải CIDR của reverse proxy được tin X-Forwarded-For/-Proto, cách nhau bằng dấu phẩy (CHITIEU_TRUSTED_PROXIES)")
	return func() (dashboard.SessionSettings, []string, error) {
		var s dashboard.SessionSettings
		for _, d := range []struct {
			flag, text string
			into       *time.Duration
		}{{"--session-idle", *idle, &s.Idle}, {"--session-max", *lifetime, &s.Lifetime}} {
			v, err := time.ParseDuration(d.text)
			if err != nil || v < time.Minute {
				return s, nil, usagef("%s %q không hợp lệ: cần một khoảng thời gian từ 1m trở lên, ví dụ 30m, 8h", d.flag, d.text)
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
