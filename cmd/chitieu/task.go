package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"chitieu/indicators"
)

func init() {
	commands["task"] = command{"tiến độ nhiệm vụ: ghi (progress) và xem lịch sử (history)",
		"a task's progress: record it (progress), see its history (history)", cmdTask}
}

func cmdTask(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 {
		return usagef("cần lệnh con: chitieu task progress MÃ --percent N --date YYYY-MM-DD [--note …] [--done] | chitieu task history MÃ",
			"give a subcommand: chitieu task progress CODE --percent N --date YYYY-MM-DD [--note …] [--done] | chitieu task history CODE")
	}
	switch args[0] {
	case "progress":
		return cmdTaskProgress(ctx, a, args[1:])
	case "history":
		return cmdTaskHistory(ctx, a, args[1:])
	}
	return usagef("lệnh con không rõ %q (progress, history)", "unknown subcommand %q (progress, history)", args[0])
}

func cmdTaskProgress(ctx context.Context, a *app, args []string) error {
	fs := a.flags("task progress")
	dbPath := a.dbFlag(fs)
	percent := fs.Float64("percent", -1, a.say("tỷ lệ hoàn thành, 0–100", "percent complete, 0–100"))
	date := fs.String("date", "", a.say("ngày của tiến độ, YYYY-MM-DD (mặc định hôm nay)", "the date of the progress, YYYY-MM-DD (by default today)"))
	note := fs.String("note", "", a.say("ghi chú tình trạng", "a note on where it stands"))
	done := fs.Bool("done", false, a.say("nhiệm vụ đã hoàn thành (tỷ lệ 100)", "the task is done (100 percent)"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("cần đúng một MÃ nhiệm vụ: chitieu task progress MÃ --percent N", "give exactly one task CODE: chitieu task progress CODE --percent N")
	}
	if *done && *percent < 0 {
		*percent = 100
	}
	if *percent < 0 {
		return usagef("cần --percent", "give --percent")
	}
	day := indicators.EndOfDay(time.Now())
	if *date != "" {
		d, err := indicators.ParseDate("date", *date)
		if err != nil {
			return usagef("--date %q không hợp lệ, cần YYYY-MM-DD", "--date %q is not valid: give YYYY-MM-DD", *date)
		}
		day = d
	}
	db, err := a.open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	task, err := db.Task(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	ctx = indicators.WithActor(ctx, indicators.Actor{User: "cli"})
	u := indicators.TaskUpdate{Task: task.ID, Percent: *percent, Note: *note, Date: day, Done: *done}
	if err := db.AddTaskUpdate(ctx, &u); err != nil {
		return err
	}
	a.printf("đã ghi tiến độ nhiệm vụ %s: %v%% ngày %s\n", "recorded the progress of task %s: %v%% on %s\n", task.Code, u.Percent, indicators.CellDate(u.Date))
	return nil
}

func cmdTaskHistory(ctx context.Context, a *app, args []string) error {
	fs := a.flags("task history")
	dbPath := a.dbFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("cần đúng một MÃ nhiệm vụ: chitieu task history MÃ", "give exactly one task CODE: chitieu task history CODE")
	}
	db, err := a.open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	task, err := db.Task(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	ups, err := db.TaskUpdates(ctx, task.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s — %s\n", task.Code, pick(a.lang, task.NameVI, task.NameEN))
	w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, a.say("ngày\t%\txong\tghi chú\tngười nhập\tlúc nhập", "date\t%\tdone\tnote\tentered by\tentered at"))
	if task.Percent != nil || !task.Done.IsZero() {
		p := ""
		if task.Percent != nil {
			p = fmt.Sprint(*task.Percent)
		}
		fmt.Fprintf(w, "%s\t%s\t%v\t%s\t%s\t\n", indicators.CellDate(task.Done), p, !task.Done.IsZero(), task.StatusNote,
			a.say("(danh mục)", "(catalogue)"))
	}
	for _, u := range ups {
		fmt.Fprintf(w, "%s\t%v\t%v\t%s\t%s\t%s\n", indicators.CellDate(u.Date), u.Percent, u.Done, u.Note, u.EnteredBy,
			u.EnteredAt.In(indicators.Vietnam).Format("2006-01-02 15:04"))
	}
	return w.Flush()
}
