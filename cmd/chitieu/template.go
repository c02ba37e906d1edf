package main

import (
	"context"
	"fmt"
	"os"

	"chitieu/importers"
	"chitieu/indicators"
)

func init() {
	commands["template"] = command{"tạo biểu mẫu .xlsx để nhập số liệu của một kế hoạch, giai đoạn, đơn vị", cmdTemplate}
}

func cmdTemplate(ctx context.Context, a *app, args []string) error {
	fs := a.flags("template")
	dbPath := a.dbFlag(fs)
	plan := fs.String("plan", "", "kế hoạch: số hiệu (98/NQ-CP) hoặc mã")
	period := fs.String("period", "", "giai đoạn YYYY-YYYY, ví dụ 2021-2025")
	unit := fs.String("unit", "", "mã đơn vị báo cáo, ví dụ CT-CU")
	ytd := fs.String("ytd", "", "thêm cột lũy kế từ đầu năm và cùng kỳ năm trước, ví dụ 2025-YTD09 (9 tháng đầu năm 2025), 2025-H1")
	out := fs.String("out", "", "tệp .xlsx sẽ tạo")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if *plan == "" || *period == "" || *unit == "" || *out == "" {
		return usagef("cần --plan, --period, --unit và --out: chitieu template --plan 98/NQ-CP --period 2021-2025 --unit CT-CU --out bieu.xlsx")
	}
	r, err := indicators.ParseYearRange("--period", *period)
	if err != nil {
		return usagef("%s", indicators.ErrorMessage(err))
	}
	req := importers.TemplateRequest{Plan: *plan, Period: r, Unit: *unit}
	if *ytd != "" {
		if req.YearToDate, err = indicators.ParsePeriod(*ytd); err != nil {
			return usagef("--ytd: %s", indicators.ErrorMessage(err))
		}
	}
	db, err := a.open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	f, err := os.OpenFile(*out, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return usagef("không tạo được %s: %v", *out, err)
	}
	info, err := importers.WriteTemplate(ctx, db, req, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(*out)
		return err
	}
	fmt.Fprintf(a.stdout, "Đã tạo %s: %d chỉ tiêu của %s, năm %d–%d, đơn vị %s.\n", *out, info.Indicators, info.Plan.Code,
		info.Years[0], info.Years[len(info.Years)-1], info.Unit.Code)
	return nil
}
