package main

import (
	"context"
	"fmt"
	"sort"

	"chitieu/indicators"
	"chitieu/indicators/postgres"
)

func init() {
	commands["migrate-store"] = command{"chép trọn cơ sở dữ liệu SQLite sang PostgreSQL mới và kiểm chuỗi nhật ký", cmdMigrateStore}
}

// cmdMigrateStore copies a SQLite database whole into a new PostgreSQL
// database and verifies the audit chain there. The PostgreSQL store signs
// with the SQLite database's audit key, which every server of it must then
// hold (CHITIEU_AUDIT_KEY); its heads go to a file of their own, so that
// the SQLite heads file keeps speaking of the SQLite trail alone.
func cmdMigrateStore(ctx context.Context, a *app, args []string) error {
	fs := a.flags("migrate-store")
	from := a.dbFlag(fs)
	fs.StringVar(from, "from", *from, "tệp SQLite nguồn (mặc định như --db)")
	to := fs.String("to", "", "cơ sở dữ liệu PostgreSQL mới, postgres://…")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if !postgres.IsURL(*to) {
		return usagef("cần --to postgres://…: chitieu migrate-store --from chitieu.db --to postgres://NGƯỜI@MÁY/CSDL")
	}
	// Opening the SQLite file brings its schema up to date and withdraws
	// a commit cut off, so that what is copied is whole.
	src, err := a.open(ctx, *from)
	if err != nil {
		return err
	}
	keyPath, headsPath := src.KeyPath(), a.getenv("CHITIEU_AUDIT_HEADS")
	if err := src.Close(); err != nil {
		return err
	}
	if headsPath == "" {
		headsPath = keyPath + ".postgres.heads"
	}
	dst, err := postgres.Open(ctx, *to, postgres.WithLogger(a.log), postgres.WithAuditKey(keyPath),
		postgres.WithHeadsFile(headsPath))
	if err != nil {
		return err
	}
	defer dst.Close()
	res, err := dst.CopyFromSQLite(indicators.WithActor(ctx, indicators.Actor{User: "system"}), *from)
	if err != nil {
		return err
	}
	tables := make([]string, 0, len(res.Rows))
	for t := range res.Rows {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	for _, t := range tables {
		fmt.Fprintf(a.stdout, "%-20s %d\n", t, res.Rows[t])
	}
	c, err := dst.CheckAudit(ctx)
	if err != nil {
		return err
	}
	if c.Broken != nil {
		return indicators.Errorf(indicators.EINVALID, "đã chép nhưng %s", c.Broken.Error())
	}
	fmt.Fprintf(a.stdout, "đã chép %s sang %s; chuỗi nhật ký kiểm toán nguyên vẹn: %d sự kiện, sự kiện cuối #%d, mã băm cuối %s\n",
		*from, redact(*to), c.Head.Events, c.Head.LastID, c.Head.Hash)
	fmt.Fprintf(a.stdout, "mọi máy chủ dùng khóa %s (CHITIEU_AUDIT_KEY); phiên đăng nhập không được chép: mọi người đăng nhập lại\n", keyPath)
	return nil
}
