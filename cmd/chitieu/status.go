package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"chitieu/indicators"
)

func init() {
	commands["catalog"] = command{"liệt kê kế hoạch, nhóm nhiệm vụ và số mục tiêu",
		"list the plans, their task groups and how many targets they hold", cmdCatalog}
	commands["status"] = command{"bảng trạng thái các mục tiêu của một kế hoạch",
		"the status of a plan's targets", cmdStatus}
}

func cmdCatalog(ctx context.Context, a *app, args []string) error {
	fs := a.flags("catalog")
	dbPath := a.dbFlag(fs)
	lang := a.langFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if err := a.setLang(*lang); err != nil {
		return err
	}
	db, err := a.open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	plans, err := db.Plans(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, pick(*lang, "MÃ\tSỐ HIỆU\tNGÀY\tMỤC TIÊU\tTÊN", "ID\tCODE\tISSUED\tTARGETS\tTITLE"))
	for _, p := range plans {
		targets, err := db.Targets(ctx, indicators.TargetFilter{Plan: p.ID})
		if err != nil {
			return err
		}
		date := "—"
		if !p.Issued.IsZero() {
			date = p.Issued.Format("02/01/2006")
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\n", p.ID, p.Code, date, len(targets), pick(*lang, p.TitleVI, p.TitleEN))
	}
	w.Flush()
	for _, p := range plans {
		groups, err := db.TaskGroups(ctx, p.ID)
		if err != nil {
			return err
		}
		if len(groups) == 0 {
			continue
		}
		fmt.Fprintf(a.stdout, "\n%s %s:\n", pick(*lang, "Nhóm nhiệm vụ của", "Task groups of"), p.Code)
		for _, g := range groups {
			fmt.Fprintf(a.stdout, "  %2d. %s\n", g.Number, pick(*lang, g.NameVI, g.NameEN))
		}
	}
	return nil
}

func pick(lang, vi, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return vi
}

func cmdStatus(ctx context.Context, a *app, args []string) error {
	fs := a.flags("status")
	dbPath := a.dbFlag(fs)
	planRef := fs.String("plan", "59-NQ/TW", a.say("kế hoạch: số hiệu (59-NQ/TW) hoặc mã", "the plan: its number (59-NQ/TW) or ID"))
	periodText := fs.String("period", "", a.say("giai đoạn YYYY-YYYY (mặc định: mọi giai đoạn)", "the period YYYY-YYYY (by default every period)"))
	asOfText := fs.String("asof", "", a.say("ngày xét YYYY-MM-DD (mặc định: hôm nay)", "the as-of date YYYY-MM-DD (by default today)"))
	lang := a.langFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if err := a.setLang(*lang); err != nil {
		return err
	}
	var period *indicators.YearRange
	if *periodText != "" {
		r, err := indicators.ParseYearRange("--period", *periodText)
		if err != nil {
			return usageOf(err)
		}
		period = &r
	}
	// Today means the end of today, so that what was entered today counts.
	asOf := indicators.EndOfDay(time.Now())
	if *asOfText != "" {
		d, err := indicators.ParseDate("--asof", *asOfText)
		if err != nil {
			return usageOf(err)
		}
		asOf = indicators.EndOfDay(d)
	}
	db, err := a.open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	plan, err := db.FindPlan(ctx, *planRef)
	if err != nil {
		return err
	}
	tps, err := indicators.Tracker{Store: db}.Targets(ctx, plan.ID, period, asOf)
	if err != nil {
		return err
	}
	plans, err := db.Plans(ctx)
	if err != nil {
		return err
	}
	codes := map[string]string{}
	for _, p := range plans {
		codes[p.ID] = p.Code
	}
	l := *lang
	fmt.Fprintf(a.stdout, "%s %s (%s) — %s %s\n\n", pick(l, "Kế hoạch", "Plan"), plan.Code, plan.ID,
		pick(l, "tính đến", "as of"), asOf.In(indicators.Vietnam).Format("02/01/2006"))
	w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, pick(l, "VĂN BẢN\tCHỈ TIÊU\tGIAI ĐOẠN\tMỤC TIÊU\tĐẠT ĐƯỢC\tCẦN\tTRẠNG THÁI",
		"PLAN\tINDICATOR\tPERIOD\tTARGET\tSO FAR\tREQUIRED\tSTATUS"))
	for _, tp := range tps {
		p := tp.Progress
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", codes[tp.Target.Plan], tp.Target.Indicator,
			tp.Target.Period, tp.Target.Bound.Format(l, tp.Indicator.Decimals), num(p.SoFar, l), num(p.Required, l),
			p.Status.Label(l))
	}
	w.Flush()
	fmt.Fprintln(a.stdout)
	for _, tp := range tps {
		fmt.Fprintf(a.stdout, "%s %s %s: %s\n", codes[tp.Target.Plan], tp.Target.Indicator, tp.Target.Period,
			pick(l, tp.Progress.ExplanationVI, tp.Progress.ExplanationEN))
	}
	return nil
}

func num(x *float64, lang string) string {
	if x == nil {
		return "—"
	}
	return indicators.FormatTrim(*x, 2, lang)
}
