package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

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
	db, err := postgres.Open(ctx, dsn, a.pgOptions(dsn, migrationBackup{})...)
	if err != nil {
		return err
	}
	defer db.Close()
	head, err := db.AuditHead(ctx)
	if err != nil {
		return err
	}
	if err := pgDump(ctx, dump, dsn, file); err != nil {
		return indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("sao lưu %s bằng pg_dump không thành công: %v", postgres.Redact(dsn), err),
			fmt.Sprintf("pg_dump of %s failed: %v", postgres.Redact(dsn), err))
	}
	ctx = indicators.WithActor(ctx, indicators.Actor{User: "cli"})
	if err := db.RecordBackup(ctx, file, head); err != nil {
		return err
	}
	a.printf("đã sao lưu %s vào %s bằng pg_dump (định dạng custom; khôi phục bằng pg_restore vào một cơ sở dữ liệu mới)\n",
		"backed %s up into %s with pg_dump (custom format; restore it with pg_restore into a new database)\n", postgres.Redact(dsn), file)
	a.printf("bản sao lưu có nhật ký kiểm toán ít nhất tới sự kiện #%d (%s)\n",
		"the backup holds the audit trail up to event #%d at least (%s)\n", head.LastID, head.Hash)
	a.printf("hãy cất khóa nhật ký kiểm toán (CHITIEU_AUDIT_KEY: %s) cùng bản sao lưu: thiếu nó chuỗi nhật ký không kiểm chứng được\n",
		"keep the audit key (CHITIEU_AUDIT_KEY: %s) with the backup: without it the trail's chain cannot be verified\n",
		a.getenv("CHITIEU_AUDIT_KEY"))
	return nil
}

// pgDump runs pg_dump on dsn into file in its custom format (restored
// with pg_restore), with extra arguments. The password goes to pg_dump
// through its environment, not its command line, which other users of the
// machine can read. A failed dump leaves no file.
func pgDump(ctx context.Context, dump, dsn, file string, extra ...string) error {
	conn, password, err := withoutPassword(dsn)
	if err != nil {
		return err
	}
	args := append([]string{"--format=custom", "--no-owner", "--file", file}, extra...)
	cmd := exec.CommandContext(ctx, dump, append(args, "--dbname", conn)...)
	cmd.Env = os.Environ()
	if password != "" {
		cmd.Env = append(cmd.Env, "PGPASSWORD="+password)
	}
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Run(); err != nil {
		os.Remove(file)
		return fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// migrationBackup is how a command backs up a PostgreSQL database that
// has migrations to apply: with pg_dump into dir (by default the folder
// "backups" beside the audit key, the server's own folder), or, when the
// operator says so, not at all.
type migrationBackup struct {
	dir     string
	without bool
}

// migrationBackupFlags adds --migration-backup-dir and
// --migrate-without-backup to a command that migrates (serve, migrate);
// the returned function reads them after parsing.
func (a *app) migrationBackupFlags(fs *flag.FlagSet) func() migrationBackup {
	dir := fs.String("migration-backup-dir", a.getenv("CHITIEU_MIGRATION_BACKUP_DIR"),
		a.say("PostgreSQL: thư mục chứa bản sao lưu pg_dump lấy trước khi nâng cấp lược đồ (mặc định: thư mục backups cạnh khóa nhật ký "+
			"CHITIEU_AUDIT_KEY; biến môi trường CHITIEU_MIGRATION_BACKUP_DIR)",
			"PostgreSQL: the folder for the pg_dump backup taken before the schema is upgraded (by default the folder backups beside the audit key "+
				"CHITIEU_AUDIT_KEY; environment variable CHITIEU_MIGRATION_BACKUP_DIR)"))
	without := fs.Bool("migrate-without-backup", false,
		a.say("PostgreSQL: nâng cấp lược đồ mà không sao lưu trước bằng pg_dump (chỉ khi đã tự sao lưu, hoặc máy không có pg_dump)",
			"PostgreSQL: upgrade the schema without a pg_dump backup first (only when you have backed up yourself, or the machine has no pg_dump)"))
	return func() migrationBackup { return migrationBackup{dir: *dir, without: *without} }
}

// pgOptions are the options every command opens a PostgreSQL database
// with: the servers' audit key (CHITIEU_AUDIT_KEY), this host's heads file
// (CHITIEU_AUDIT_HEADS, by default beside the key), and a pg_dump before
// any migration, as mb says (a command without the flags backs up into
// the default folder and cannot go without).
func (a *app) pgOptions(dsn string, mb migrationBackup) []postgres.Option {
	key := a.getenv("CHITIEU_AUDIT_KEY")
	opts := []postgres.Option{postgres.WithLogger(a.log), postgres.WithAuditKey(key)}
	if p := a.getenv("CHITIEU_AUDIT_HEADS"); p != "" {
		opts = append(opts, postgres.WithHeadsFile(p))
	}
	if mb.dir == "" {
		mb.dir = a.getenv("CHITIEU_MIGRATION_BACKUP_DIR")
	}
	if mb.dir == "" && key != "" {
		mb.dir = filepath.Join(filepath.Dir(key), "backups")
	}
	return append(opts, postgres.WithBackupBeforeMigrating(a.dumpBeforeMigrating(dsn, mb)))
}

// dumpBeforeMigrating backs the database up with pg_dump before its
// migrations, the schema of chitieu's tables only, into a file named as
// SQLite's copy before a migration is (the database, the first migration
// pending, the moment in UTC): chitieu-db.pre-0006-20261204T031500Z.dump.
// Without pg_dump it refuses, naming the flag that goes without.
func (a *app) dumpBeforeMigrating(dsn string, mb migrationBackup) func(context.Context, postgres.PendingMigrations) (string, error) {
	return func(ctx context.Context, p postgres.PendingMigrations) (string, error) {
		if mb.without {
			a.log.Warn("migrating without a backup, as --migrate-without-backup asks", "db", p.Database, "pending", p.Pending)
			return "", nil
		}
		list := strings.Join(p.Pending, ", ")
		dump, err := exec.LookPath("pg_dump")
		if err != nil {
			return "", indicators.FieldError(indicators.EINVALID, "--migrate-without-backup",
				fmt.Sprintf("cơ sở dữ liệu %s cần nâng cấp lược đồ (%s) và chitieu sao lưu nó bằng pg_dump trước khi nâng cấp, "+
					"nhưng máy này chưa có pg_dump: hãy cài gói postgresql-client (cùng phiên bản chính với máy chủ PostgreSQL hoặc mới hơn) rồi chạy lại, "+
					"hoặc, nếu đã tự sao lưu, chạy lại `chitieu migrate` (hay `chitieu serve`) với --migrate-without-backup; chưa có gì thay đổi", p.Database, list),
				fmt.Sprintf("the database %s needs schema migrations (%s), and chitieu backs it up with pg_dump before migrating, but pg_dump is not "+
					"installed on this machine: install postgresql-client (the PostgreSQL server's major version or newer) and run again, or, "+
					"if you have a backup of your own, run `chitieu migrate` (or `chitieu serve`) again with --migrate-without-backup; nothing was changed", p.Database, list))
		}
		if mb.dir == "" {
			return "", usagef("--migration-backup-dir: cần thư mục chứa bản sao lưu trước khi nâng cấp lược đồ %s",
				"--migration-backup-dir: a folder is needed for the backup taken before %s is migrated", p.Database)
		}
		if err := os.MkdirAll(mb.dir, 0o700); err != nil {
			return "", indicators.FieldError(indicators.EINVALID, "--migration-backup-dir",
				fmt.Sprintf("không tạo được thư mục sao lưu %s: %v", mb.dir, err),
				fmt.Sprintf("could not create the backup folder %s: %v", mb.dir, err))
		}
		file := backupName(mb.dir, p, time.Now())
		// Only the schema chitieu's tables are in: what the migrations
		// change, and not another application's data in the database.
		if err := pgDump(ctx, dump, dsn, file, "--schema="+pgPattern(p.Schema)); err != nil {
			return "", indicators.FieldError(indicators.EINVALID, "",
				fmt.Sprintf("sao lưu %s bằng pg_dump trước khi nâng cấp (%s) không thành công, nên chưa nâng cấp gì; hãy chạy lại khi pg_dump chạy được, "+
					"hoặc với --migrate-without-backup: %v", p.Database, list, err),
				fmt.Sprintf("pg_dump of %s before migrating (%s) failed, so nothing was migrated; run again once pg_dump works, "+
					"or with --migrate-without-backup: %v", p.Database, list, err))
		}
		if err := os.Chmod(file, 0o600); err != nil {
			return "", fmt.Errorf("migrate: keep the backup %s to its owner: %w", file, err)
		}
		a.log.Info("backed up the database before migrating", "backup", file, "pending", list)
		return file, nil
	}
}

// backupName is a free file name in dir for a backup of p's database
// before its migrations.
func backupName(dir string, p postgres.PendingMigrations, at time.Time) string {
	name := p.Database[strings.LastIndex(p.Database, "/")+1:]
	if p.Schema != "" && p.Schema != "public" {
		name += "." + p.Schema
	}
	name = strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, name)
	num, _, _ := strings.Cut(p.Pending[0], "_")
	base := filepath.Join(dir, fmt.Sprintf("%s.pre-%s-%s", name, num, at.UTC().Format("20060102T150405Z")))
	file := base + ".dump"
	for i := 1; ; i++ {
		if _, err := os.Stat(file); err != nil {
			return file
		}
		file = fmt.Sprintf("%s-%d.dump", base, i)
	}
}

// pgPattern is a schema name as a pg_dump pattern that means it alone:
// quoted, so that neither case nor * and ? are read as a pattern's.
func pgPattern(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
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
		return "", "", fmt.Errorf("backup: read --db %s: %w", postgres.Redact(dsn), err)
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
