package main

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"

	"chitieu/indicators"
	"chitieu/indicators/postgres"
)

// errNoPgDump says what to install when pg_dump is missing.
var errNoPgDump = indicators.FieldError(indicators.EINVALID, "",
	"máy này chưa cài pg_dump, chương trình sao lưu cơ sở dữ liệu PostgreSQL: hãy cài các chương trình khách của PostgreSQL "+
		"(Debian: apt-get install postgresql-client), cùng phiên bản chính với máy chủ hoặc mới hơn, rồi chạy lại",
	"pg_dump is not installed on this machine, and a PostgreSQL database is backed up with it: "+
		"install PostgreSQL's client programs (Debian: apt-get install postgresql-client) of the server's major version or newer")

// backupPostgres backs a PostgreSQL database up into file with pg_dump in
// its custom format (restored with pg_restore), one consistent snapshot
// however many servers write meanwhile, and records the backup in the
// audit trail. The password goes to pg_dump through its environment, not
// its command line, which other users of the machine can read.
func (a *app) backupPostgres(ctx context.Context, dsn, file string) error {
	dump, err := exec.LookPath("pg_dump")
	if err != nil {
		return errNoPgDump
	}
	db, err := postgres.Open(ctx, dsn, postgres.WithLogger(a.log), postgres.WithAuditKey(a.getenv("CHITIEU_AUDIT_KEY")))
	if err != nil {
		return err
	}
	defer db.Close()
	head, err := db.AuditHead(ctx)
	if err != nil {
		return err
	}
	conn, password, err := withoutPassword(dsn)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, dump, "--format=custom", "--no-owner", "--file", file, "--dbname", conn)
	cmd.Env = os.Environ()
	if password != "" {
		cmd.Env = append(cmd.Env, "PGPASSWORD="+password)
	}
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Run(); err != nil {
		os.Remove(file)
		out := strings.TrimSpace(stderr.String())
		return indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("sao lưu %s bằng pg_dump không thành công: %v: %s", redact(dsn), err, out),
			fmt.Sprintf("pg_dump of %s failed: %v: %s", redact(dsn), err, out))
	}
	ctx = indicators.WithActor(ctx, indicators.Actor{User: "cli"})
	if err := db.RecordBackup(ctx, file, head); err != nil {
		return err
	}
	a.printf("đã sao lưu %s vào %s bằng pg_dump (định dạng custom; khôi phục bằng pg_restore vào một cơ sở dữ liệu mới)\n",
		"backed %s up into %s with pg_dump (custom format; restore it with pg_restore into a new database)\n", redact(dsn), file)
	a.printf("bản sao lưu có nhật ký kiểm toán ít nhất tới sự kiện #%d (%s)\n",
		"the backup holds the audit trail up to event #%d at least (%s)\n", head.LastID, head.Hash)
	a.printf("hãy cất khóa nhật ký kiểm toán (CHITIEU_AUDIT_KEY: %s) cùng bản sao lưu: thiếu nó chuỗi nhật ký không kiểm chứng được\n",
		"keep the audit key (CHITIEU_AUDIT_KEY: %s) with the backup: without it the trail's chain cannot be verified\n",
		a.getenv("CHITIEU_AUDIT_KEY"))
	return nil
}

// libpqParams are the URL parameters libpq (and so pg_dump) reads itself;
// pgx passes any other as a run-time setting, which libpq takes only in
// "options".
var libpqParams = map[string]bool{"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true,
	"passfile": true, "connect_timeout": true, "client_encoding": true, "options": true, "application_name": true,
	"keepalives": true, "keepalives_idle": true, "keepalives_interval": true, "keepalives_count": true,
	"tcp_user_timeout": true, "sslmode": true, "sslcert": true, "sslkey": true, "sslrootcert": true, "sslcrl": true,
	"sslpassword": true, "requirepeer": true, "gssencmode": true, "krbsrvname": true, "target_session_attrs": true,
	"service": true}

// withoutPassword turns a postgres:// URL as pgx reads it into one for
// libpq's programs, its password taken out: pgx's own settings (pool_…,
// statement_cache_…) are dropped, run-time settings (search_path=…)
// become -c options.
func withoutPassword(dsn string) (conn, password string, err error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", "", fmt.Errorf("backup: read --db %s: %w", redact(dsn), err)
	}
	if u.User != nil {
		password, _ = u.User.Password()
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	var options []string
	for k, vs := range q {
		switch {
		case libpqParams[k]:
			continue
		case strings.HasPrefix(k, "pool_"), strings.HasPrefix(k, "statement_cache_"), strings.HasPrefix(k, "description_cache_"),
			k == "default_query_exec_mode", k == "min_read_buffer_size":
		default:
			for _, v := range vs {
				options = append(options, "-c "+k+"="+v)
			}
		}
		q.Del(k)
	}
	if len(options) > 0 {
		slices.Sort(options)
		q.Set("options", strings.TrimSpace(q.Get("options")+" "+strings.Join(options, " ")))
	}
	// libpq reads %20, not +, as a space.
	u.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
	return u.String(), password, nil
}
