package main

import (
	"context"
	"fmt"
	"sort"

	"chitieu/indicators"
	"chitieu/indicators/postgres"
)

func init() {
	commands["migrate-store"] = command{"chép trọn cơ sở dữ liệu SQLite sang PostgreSQL mới và kiểm chuỗi nhật ký",
		"copy a SQLite database whole into a new PostgreSQL one and verify the audit chain there", cmdMigrateStore}
}

// cmdMigrateStore copies a SQLite database whole into a new PostgreSQL
// database and verifies the audit chain there. The PostgreSQL store signs
// with the SQLite database's audit key, which every server of it must then
// hold (CHITIEU_AUDIT_KEY); its heads go to a file of their own, so that
// the SQLite heads file keeps speaking of the SQLite trail alone.
func cmdMigrateStore(ctx context.Context, a *app, args []string) error {
	fs := a.flags("migrate-store")
	from := a.dbFlag(fs)
	fs.StringVar(from, "from", *from, a.say("tệp SQLite nguồn (mặc định như --db)", "the SQLite file to copy (by default --db's)"))
	to := fs.String("to", "", a.say("cơ sở dữ liệu PostgreSQL mới, postgres://…", "the new PostgreSQL database, postgres://…"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if !postgres.IsURL(*to) {
		return usagef("cần --to postgres://…: chitieu migrate-store --from chitieu.db --to postgres://NGƯỜI@MÁY/CSDL",
			"give --to postgres://…: chitieu migrate-store --from chitieu.db --to postgres://USER@HOST/DB")
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
		return indicators.FieldError(indicators.EINVALID, "", "đã chép nhưng "+c.Broken.Error(), "copied, but "+c.Broken.English())
	}
	a.printf("đã chép %s sang %s; chuỗi nhật ký kiểm toán nguyên vẹn: %d sự kiện, sự kiện cuối #%d, mã băm cuối %s\n",
		"copied %s to %s; the audit trail's chain is intact: %d events, the last #%d, its hash %s\n",
		*from, postgres.Redact(*to), c.Head.Events, c.Head.LastID, c.Head.Hash)
	a.printf("mọi máy chủ dùng khóa %s (CHITIEU_AUDIT_KEY); phiên đăng nhập không được chép: mọi người đăng nhập lại\n",
		"every server uses the key %s (CHITIEU_AUDIT_KEY); sessions were not copied: everyone signs in again\n", keyPath)
	return nil
}
