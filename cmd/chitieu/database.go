package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"chitieu/indicators"
	"chitieu/indicators/postgres"
	"chitieu/indicators/sqlite"
)

func init() {
	commands["migrate"] = command{"áp dụng các bản nâng cấp lược đồ cơ sở dữ liệu",
		"apply the database schema's upgrades", cmdMigrate}
	commands["backup"] = command{"sao lưu cơ sở dữ liệu đang chạy vào TỆP",
		"back the running database up into FILE", cmdBackup}
	commands["restore"] = command{"khôi phục cơ sở dữ liệu từ TỆP sao lưu",
		"restore the database from a backup FILE", cmdRestore}
	commands["check"] = command{"kiểm tra toàn vẹn cơ sở dữ liệu và nhật ký kiểm toán",
		"check the integrity of the database and of the audit trail", cmdCheck}
}

func cmdMigrate(ctx context.Context, a *app, args []string) error {
	fs := a.flags("migrate")
	dbPath := a.dbFlag(fs)
	backupBeforeMigrating := a.migrationBackupFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if postgres.IsURL(*dbPath) {
		// A SQLite file is copied beside itself before a migration; a
		// PostgreSQL database is dumped with pg_dump (pgOptions).
		db, err := postgres.Open(ctx, *dbPath, a.pgOptions(*dbPath, backupBeforeMigrating())...)
		if err != nil {
			return err
		}
		defer db.Close()
		fmt.Fprintf(a.stdout, "%s: lược đồ phiên bản %d\n", postgres.Redact(*dbPath), postgres.SchemaVersion())
		return nil
	}
	db, err := a.open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	a.printf("%s: lược đồ phiên bản %d\n", "%s: schema version %d\n", *dbPath, sqlite.SchemaVersion())
	return nil
}

func cmdBackup(ctx context.Context, a *app, args []string) error {
	fs := a.flags("backup")
	dbPath := a.dbFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("cần đúng một TỆP đích: chitieu backup TỆP [--db PATH]", "give exactly one target FILE: chitieu backup FILE [--db PATH]")
	}
	if postgres.IsURL(*dbPath) {
		return a.backupPostgres(ctx, *dbPath, fs.Arg(0))
	}
	db, err := a.open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = indicators.WithActor(ctx, indicators.Actor{User: "cli"})
	res, err := db.Backup(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	a.printf("đã sao lưu %s vào %s (đầu chuỗi nhật ký của bản sao: %s)\n",
		"backed %s up into %s (the head of the copy's audit trail: %s)\n", *dbPath, res.Path, res.Head)
	a.printf("khóa nhật ký kiểm toán được chép vào %s (chỉ chủ sở hữu đọc được): hãy cất giữ cùng bản sao lưu\n",
		"the audit key was copied to %s (readable by its owner only): keep it with the backup\n", res.KeyPath)
	if !res.Recorded {
		a.printf("cơ sở dữ liệu đang bận ghi nên nhật ký của nó chưa có sự kiện sao lưu; bản sao lưu được ghi trong chính bản sao và trong %s\n",
			"the database was busy writing, so its trail has no backup event yet; the backup is recorded in the copy itself and in %s\n",
			db.HeadsPath())
	}
	return nil
}

func cmdRestore(ctx context.Context, a *app, args []string) error {
	fs := a.flags("restore")
	dbPath := a.dbFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("cần đúng một TỆP sao lưu: chitieu restore TỆP [--db PATH]", "give exactly one backup FILE: chitieu restore FILE [--db PATH]")
	}
	if err := refusePostgres(*dbPath); err != nil {
		return err
	}
	kept, err := sqlite.Restore(ctx, fs.Arg(0), *dbPath, a.keyOption()...)
	if err != nil {
		return err
	}
	if kept != "" {
		a.printf("cơ sở dữ liệu cũ được giữ tại %s\n", "the old database is kept at %s\n", kept)
	}
	// Opening brings an older backup's schema up to date.
	db, err := a.open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = indicators.WithActor(ctx, indicators.Actor{User: "cli"})
	if err := db.RecordRestore(ctx, fs.Arg(0), kept); err != nil {
		return err
	}
	a.printf("đã khôi phục %s từ %s\n", "restored %s from %s\n", *dbPath, fs.Arg(0))
	return nil
}

func cmdCheck(ctx context.Context, a *app, args []string) error {
	fs := a.flags("check")
	dbPath := a.dbFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	db, err := a.open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	r, err := db.Check(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "schema\t%d\n", r.SchemaVersion)
	for _, c := range r.Counts {
		fmt.Fprintf(w, "%s\t%d\n", c.What, c.N)
	}
	w.Flush()
	if len(r.Problems) > 0 {
		for _, p := range r.Problems {
			a.printf("LỖI: %s\n", "PROBLEM: %s\n", p)
		}
		return indicators.FieldError(indicators.EINVALID, "", fmt.Sprintf("kiểm tra phát hiện %d lỗi", len(r.Problems)),
			fmt.Sprintf("the check found %d problems", len(r.Problems)))
	}
	fmt.Fprintln(a.stdout, "ok")
	return nil
}
