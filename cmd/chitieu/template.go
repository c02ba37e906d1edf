package main

import (
	"context"
	"os"

	"chitieu/importers"
	"chitieu/indicators"
)

func init() {
	commands["template"] = command{"tạo biểu mẫu .xlsx để nhập số liệu của một kế hoạch, giai đoạn, đơn vị",
		"make the .xlsx template to enter the values of a plan, period and unit", cmdTemplate}
}

func cmdTemplate(ctx context.Context, a *app, args []string) error {
	fs := a.flags("template")
	dbPath := a.dbFlag(fs)
	plan := fs.String("plan", "", a.say("kế hoạch: số hiệu (98/NQ-CP) hoặc mã", "the plan: its number (98/NQ-CP) or ID"))
	period := fs.String("period", "", a.say("giai đoạn YYYY-YYYY, ví dụ 2021-2025", "the period YYYY-YYYY, e.g. 2021-2025"))
	unit := fs.String("unit", "", a.say("mã đơn vị báo cáo, ví dụ CT-CU", "the reporting unit's code, e.g. CT-CU"))
	ytd := fs.String("ytd", "", a.say("thêm cột lũy kế từ đầu năm và cùng kỳ năm trước, ví dụ 2025-YTD09 (9 tháng đầu năm 2025), 2025-H1",
		"add columns for the year to date and the same period of the year before, e.g. 2025-YTD09 (January to September 2025), 2025-H1"))
	out := fs.String("out", "", a.say("tệp .xlsx sẽ tạo", "the .xlsx file to make"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if *plan == "" || *period == "" || *unit == "" || *out == "" {
		return usagef("cần --plan, --period, --unit và --out: chitieu template --plan 98/NQ-CP --period 2021-2025 --unit CT-CU --out bieu.xlsx",
			"give --plan, --period, --unit and --out: chitieu template --plan 98/NQ-CP --period 2021-2025 --unit CT-CU --out form.xlsx")
	}
	r, err := indicators.ParseYearRange("--period", *period)
	if err != nil {
		return usageOf(err)
	}
	req := importers.TemplateRequest{Plan: *plan, Period: r, Unit: *unit}
	if *ytd != "" {
		if req.YearToDate, err = indicators.ParsePeriod(*ytd); err != nil {
			return usagef("--ytd: %s", "--ytd: %s", indicators.ErrorMessageIn(err, a.lang))
		}
	}
	db, err := a.open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	f, err := os.OpenFile(*out, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return usagef("không tạo được %s: %v", "cannot create %s: %v", *out, err)
	}
	info, err := importers.WriteTemplate(ctx, db, req, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(*out)
		return err
	}
	a.printf("Đã tạo %s: %d chỉ tiêu của %s, năm %d–%d, đơn vị %s.\n", "Made %s: %d indicators of %s, years %d–%d, unit %s.\n", *out, info.Indicators, info.Plan.Code,
		info.Years[0], info.Years[len(info.Years)-1], info.Unit.Code)
	return nil
}
