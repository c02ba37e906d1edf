package main

import (
	"context"
	"log/slog"
	"net"
	"runtime"
	"strings"
	"sync"
	"time"

	"chitieu/dashboard"
	"chitieu/importers"
	"chitieu/indicators/postgres"
	"chitieu/internal/jobboard"
	"chitieu/reminders"
)

func init() {
	commands["serve"] = command{"chạy máy chủ web (mặc định :8080)", "run the web server (by default on :8080)", cmdServe}
}

func cmdServe(ctx context.Context, a *app, args []string) error {
	fs := a.flags("serve")
	defAddr := a.getenv("CHITIEU_ADDR")
	if defAddr == "" {
		defAddr = ":8080"
	}
	addr := fs.String("addr", defAddr, a.say("địa chỉ lắng nghe HOST:PORT (biến môi trường CHITIEU_ADDR)",
		"the address to listen on, HOST:PORT (environment variable CHITIEU_ADDR)"))
	dbPath := a.dbFlag(fs)
	sessionSettings := a.sessionFlags(fs)
	templates := fs.String("templates", a.getenv("CHITIEU_TEMPLATES"),
		a.say("thư mục mẫu trang đọc lại ở mỗi yêu cầu, khi sửa giao diện (ví dụ dashboard/templates; biến môi trường CHITIEU_TEMPLATES)",
			"a folder of page templates read again at every request, while the interface is being changed (e.g. dashboard/templates; environment variable CHITIEU_TEMPLATES)"))
	reportsDir := fs.String("reports-dir", a.getenv("CHITIEU_REPORTS_DIR"),
		a.say("thư mục tạm để lập báo cáo Excel trước khi gửi (mặc định: thư mục tạm của hệ thống; biến môi trường CHITIEU_REPORTS_DIR)",
			"the temporary folder Excel reports are built in before they are sent (by default the system's; environment variable CHITIEU_REPORTS_DIR)"))
	uploadMB := fs.Int("upload-mb", 50, a.say("dung lượng tối đa của một tệp Excel tải lên, tính bằng MB",
		"the largest Excel file that may be uploaded, in MB"))
	readTimeout := fs.String("read-timeout", envOr(a, "CHITIEU_READ_TIMEOUT", "1m"),
		a.say("thời gian tối đa để nhận phần đầu và nội dung một yêu cầu (phần đầu tối đa 10s); nội dung lớn được thêm thời gian "+
			"khi còn đến với tốc độ từ 16 KB/giây (biến môi trường CHITIEU_READ_TIMEOUT)",
			"the longest time to receive a request's headers and body (headers 10s at most); a large body gets more time "+
				"while it keeps arriving at 16 KB/s or faster (environment variable CHITIEU_READ_TIMEOUT)"))
	workers := fs.Int("import-workers", runtime.NumCPU(),
		a.say("số tệp tải lên được đọc và xem trước cùng lúc; các tệp khác chờ theo hàng đợi (mặc định: số nhân CPU)",
			"how many uploads are read and previewed at once; the others wait in a queue (by default the number of CPU cores)"))
	fullSpeed := fs.Bool("imports-full-speed", false,
		a.say("nhập dữ liệu không nhường các yêu cầu đang phục vụ (mặc định: giữa các khối, việc nhập chờ tối đa 10 ms khi có người đang tải trang); "+
			"dành cho máy chủ chỉ dùng để nạp dữ liệu hàng loạt",
			"imports do not give way to the requests being served (by default an import waits up to 10 ms between chunks while someone loads a page); "+
				"for a server used only to load data in bulk"))
	smtpAddr := fs.String("smtp-addr", a.getenv("CHITIEU_SMTP_ADDR"),
		a.say("máy chủ thư HOST:PORT để gửi thư nhắc việc; để trống thì không gửi thư (biến môi trường CHITIEU_SMTP_ADDR)",
			"the mail server HOST:PORT that sends the reminders; empty sends no mail (environment variable CHITIEU_SMTP_ADDR)"))
	smtpFrom := fs.String("smtp-from", a.getenv("CHITIEU_SMTP_FROM"),
		a.say("địa chỉ người gửi thư nhắc việc, ví dụ chitieu@cantho.gov.vn (biến môi trường CHITIEU_SMTP_FROM)",
			"the sender address of the reminders, e.g. chitieu@cantho.gov.vn (environment variable CHITIEU_SMTP_FROM)"))
	backupBeforeMigrating := a.migrationBackupFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	var mailer *reminders.SMTP
	if *smtpAddr != "" || *smtpFrom != "" {
		if *smtpAddr == "" || *smtpFrom == "" {
			return usagef("--smtp-addr và --smtp-from cần đi cùng nhau", "--smtp-addr and --smtp-from go together")
		}
		m, err := reminders.NewSMTP(*smtpAddr, *smtpFrom)
		if err != nil {
			return usagef("--smtp-addr hoặc --smtp-from không hợp lệ: %v", "--smtp-addr or --smtp-from is not valid: %v", err)
		}
		mailer = m
	}
	if *uploadMB < 1 || *uploadMB > 1024 {
		return usagef("--upload-mb phải từ 1 đến 1024", "--upload-mb must be from 1 to 1024")
	}
	if *workers < 1 || *workers > 256 {
		return usagef("--import-workers phải từ 1 đến 256", "--import-workers must be from 1 to 256")
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	readWithin, err := time.ParseDuration(*readTimeout)
	if err != nil || readWithin < time.Second || readWithin > time.Hour {
		return usagef("--read-timeout %q không hợp lệ: cần một khoảng thời gian từ 1s đến 1h, ví dụ 1m",
			"--read-timeout %q is not valid: give a duration from 1s to 1h, e.g. 1m", *readTimeout)
	}
	sessions, proxies, err := sessionSettings()
	if err != nil {
		return err
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		return usagef("--addr %q không hợp lệ, cần dạng HOST:PORT (ví dụ :8080)", "--addr %q is not valid: give HOST:PORT (e.g. :8080)", *addr)
	}
	var store dashboard.Store
	var jobs importers.JobBoard
	silent, err := a.jobSilence()
	if err != nil {
		return err
	}
	if postgres.IsURL(*dbPath) {
		pg, s, err := a.openPostgres(ctx, *dbPath, backupBeforeMigrating())
		if err != nil {
			return err
		}
		defer pg.Close()
		store, jobs = s, jobboard.OnPostgres(pg.Jobs())
	} else {
		db, err := a.open(ctx, *dbPath)
		if err != nil {
			return err
		}
		defer db.Close()
		store = db
	}
	admin, adminPassword, err := firstAdmin(ctx, store)
	if err != nil {
		return err
	}
	srv, err := dashboard.New(dashboard.Config{Store: store, Log: a.log, Sessions: sessions, TrustedProxies: proxies,
		TemplatesDir: *templates, ReportsDir: *reportsDir,
		UploadLimit: int64(*uploadMB) << 20, ReadTimeout: readWithin, ImportWorkers: *workers, ImportsFullSpeed: *fullSpeed,
		Reminders: mailer != nil, ImportJobs: jobs, ImportJobSilent: silent})
	if err != nil {
		return err
	}
	// The goroutines below end with the server, before the store closes
	// (deferred calls run last first), so that the scheduler can give up
	// its lease.
	var background sync.WaitGroup
	defer background.Wait()
	bg, stopBackground := context.WithCancel(ctx)
	defer stopBackground()
	if mailer != nil {
		// The reminders' state is in the database: a restart sends nothing
		// twice. Of several servers on one database, the one holding the
		// sender's lease sends. The scheduler stops with the server.
		sch := &reminders.Scheduler{Store: store, Users: store, Inbox: srv.Inbox(), Mailer: mailer, Log: a.log}
		if l, ok := store.(reminders.Lease); ok {
			sch.Lease = l
		}
		background.Add(1)
		go func() {
			defer background.Done()
			sch.Run(bg)
		}()
	}
	if rc, ok := store.(commitRecoverer); ok {
		background.Add(1)
		go func() {
			defer background.Done()
			watchCutOffCommits(bg, rc, a.log)
		}()
	}
	return srv.ListenAndServe(ctx, *addr, func(ln net.Addr) {
		host, port, _ := net.SplitHostPort(ln.String())
		if host == "" || host == "::" || host == "0.0.0.0" || strings.HasPrefix(host, "[") {
			host = "localhost"
		}
		a.printf("chitieu đang chạy: http://%s\n", "chitieu is running: http://%s\n", net.JoinHostPort(host, port))
		a.printf("cơ sở dữ liệu: %s\n", "database: %s\n", postgres.Redact(*dbPath))
		if admin != "" {
			a.printf("tài khoản quản trị đầu tiên: %s / %s\n", "the first admin account: %s / %s\n", admin, adminPassword)
			a.printf("(mật khẩu chỉ hiện một lần; hãy đăng nhập và đổi ngay tại Người dùng)\n",
				"(the password is shown only once: sign in and change it at once under Users)\n")
		}
	})
}

// cutOffWatch is how often a running server looks for commits whose
// writer died (a server, or a `chitieu import` killed midway) to withdraw
// them: a query of the pending batches, and only when there are some a
// try of their writers' locks.
const cutOffWatch = 2 * time.Second

// commitRecoverer withdraws the commits cut off by a writer that is gone;
// both stores have it.
type commitRecoverer interface {
	RecoverCommits(ctx context.Context) error
}

// watchCutOffCommits withdraws cut-off commits every cutOffWatch until ctx
// ends, so that a half-written batch does not wait for the next start.
func watchCutOffCommits(ctx context.Context, rc commitRecoverer, log *slog.Logger) {
	t := time.NewTicker(cutOffWatch)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := rc.RecoverCommits(ctx); err != nil && ctx.Err() == nil {
			log.Warn("could not look for cut-off commits", "err", err)
		}
	}
}
