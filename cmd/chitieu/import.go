package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"chitieu/importers"
	"chitieu/indicators"
)

func init() {
	commands["import"] = command{"nhập số liệu từ tệp Excel .xlsx (xem trước, ghi, hoàn tác lô)", cmdImport}
}

func cmdImport(ctx context.Context, a *app, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "rollback":
			return cmdImportRollback(ctx, a, args[1:])
		case "list":
			return cmdImportList(ctx, a, args[1:])
		case "file":
			return cmdImportFile(ctx, a, args[1:])
		}
	}
	fs := a.flags("import")
	fs.Usage = func() {
		fmt.Fprintln(a.stderr, `Cách dùng:
  chitieu import TỆP.xlsx [--profile TÊN | --profile-file HỒSƠ.json] [--unit MÃ] [--locale vi|en] [--dry-run] [--json] [--confirm-note GHICHÚ]
  chitieu import rollback LÔ      hoàn tác một lô đã ghi
  chitieu import list             liệt kê các lô nhập
  chitieu import file LÔ --out TỆP   lấy lại tệp gốc của một lô

Không có --dry-run, tệp được ghi khi bản xem trước không có ô nào bị từ chối;
khi có cảnh báo về tính hợp lý, cần --confirm-note (được lưu trong nhật ký kiểm toán).
Mã thoát: 0 đã ghi (hoặc xem trước không lỗi), 1 bị từ chối, 2 sai cách dùng.`)
		fs.PrintDefaults()
	}
	dbPath := a.dbFlag(fs)
	profileName := fs.String("profile", "", "tên hồ sơ ánh xạ đã lưu")
	profileFile := fs.String("profile-file", "", "tệp hồ sơ ánh xạ JSON")
	unit := fs.String("unit", "", "mã đơn vị mà tệp báo cáo (ví dụ CT-CU)")
	locale := fs.String("locale", "", "cách viết số dạng chữ trong tệp: vi (7,5; 1.234) hoặc en (7.5; 1,234); mặc định theo hồ sơ, không có thì vi")
	dryRun := fs.Bool("dry-run", false, "chỉ xem trước, không ghi")
	asJSON := fs.Bool("json", false, "in bản xem trước dạng JSON")
	confirmNote := fs.String("confirm-note", "", "ghi chú xác nhận các cảnh báo về tính hợp lý, lưu trong nhật ký kiểm toán")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("cần đúng một TỆP .xlsx: chitieu import TỆP.xlsx [--db PATH]")
	}
	if *profileName != "" && *profileFile != "" {
		return usagef("chỉ dùng một trong --profile và --profile-file")
	}
	if *locale != "" && *locale != "vi" && *locale != "en" {
		return usagef("--locale phải là vi hoặc en")
	}
	opts := importers.Options{ProfileName: *profileName, Unit: *unit, Locale: indicators.Locale(*locale), ConfirmNote: *confirmNote}
	if *profileFile != "" {
		b, err := os.ReadFile(*profileFile)
		if err != nil {
			return usagef("không đọc được --profile-file: %v", err)
		}
		if opts.Profile, err = importers.ParseProfile(b); err != nil {
			return err
		}
	}
	db, err := a.openImports(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = asCLI(ctx)
	im := &importers.Importer{Store: db, Log: a.log}
	u, err := importers.ReceiveFile(fs.Arg(0), "", importers.Limits{})
	if err != nil {
		return err
	}
	defer u.Close()
	bar := newProgressBar(a.stderr, isTerminal(a.stderr), "dòng")
	opts.Progress = func(p importers.Progress) {
		if !p.Done {
			bar.update(int(p.Rows), int(p.Estimated))
		}
	}
	var res *importers.Result
	if *dryRun {
		res, err = im.Preview(ctx, u, opts)
	} else {
		res, err = im.Import(ctx, u, opts)
	}
	bar.finish()
	if res == nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(res); jerr != nil {
			return jerr
		}
	} else {
		printPreview(a.stdout, res)
	}
	if err != nil {
		return err
	}
	if *dryRun && res.Rejected > 0 {
		return indicators.FieldError(indicators.EINVALID, "", fmt.Sprintf("tệp có %d ô bị từ chối", res.Rejected),
			fmt.Sprintf("the file has %d rejected cells", res.Rejected))
	}
	if !*asJSON {
		printOutcome(a.stdout, res, *dryRun)
	}
	return nil
}

var typeNames = map[indicators.ValueType]string{
	indicators.OfficialValue: "thực hiện", indicators.EstimateValue: "ước thực hiện", indicators.PlanValue: "kế hoạch",
}

func vnum(x float64, high *float64) string {
	s := indicators.FormatTrim(x, 6, "vi")
	if high != nil {
		s += "–" + indicators.FormatTrim(*high, 6, "vi")
	}
	return s
}

// printPreview writes a preview as a planner reads it.
func printPreview(w io.Writer, r *importers.Result) {
	short := r.SHA256
	if len(short) > 12 {
		short = short[:12] + "…"
	}
	fmt.Fprintf(w, "Tệp:      %s (%s byte, SHA-256 %s)\n", r.File, indicators.FormatNumber(float64(r.Size), 0, "vi"), short)
	hr := ""
	if n := len(r.Header.Rows); n > 0 {
		hr = fmt.Sprintf(", tiêu đề dòng %d", r.Header.Rows[0])
		if n > 1 {
			hr += fmt.Sprintf("–%d", r.Header.Rows[n-1])
		}
	}
	fmt.Fprintf(w, "Trang:    %s%s; hồ sơ: %s (bảng %s)\n", r.Sheet, hr, r.Profile, map[importers.Shape]string{importers.Wide: "ngang", importers.Long: "dọc"}[r.Shape])
	unit := r.Unit
	if unit == "" {
		unit = "theo cột đơn vị"
	}
	fmt.Fprintf(w, "Đơn vị:   %s; kiểu số: %s; %s dòng đã đọc\n", unit, r.Locale, indicators.FormatNumber(float64(r.Rows), 0, "vi"))
	fmt.Fprintf(w, "Mới: %d   Thay đổi: %d   Không đổi: %d   Bị từ chối: %d\n", r.New, r.Changed, r.Unchanged, r.Rejected)
	if len(r.Changes) > 0 {
		fmt.Fprintln(w, "\nTHAY ĐỔI")
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, c := range r.Changes {
			old := "—"
			kind := "mới"
			if c.Old != nil {
				old, kind = vnum(*c.Old, c.OldHigh), "đổi"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s → %s\t%s!%s\n", kind, c.Indicator, c.Unit, c.Period, typeNames[c.Type],
				old, vnum(c.New, c.High), c.Sheet, c.Cell)
		}
		tw.Flush()
		if more := r.New + r.Changed - len(r.Changes); more > 0 {
			fmt.Fprintf(w, "  … và %s số liệu mới hoặc thay đổi khác\n", indicators.FormatNumber(float64(more), 0, "vi"))
		}
	}
	if len(r.Errors) > 0 {
		fmt.Fprintf(w, "\nÔ BỊ TỪ CHỐI (%d)\n", r.Rejected)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, e := range r.Errors {
			fmt.Fprintf(tw, "  %s!%s\t%q\t%s\n", e.Sheet, e.Cell, e.Text, e.Reason)
		}
		tw.Flush()
		if more := r.Rejected - len(r.Errors); more > 0 {
			fmt.Fprintf(w, "  … và %s ô khác\n", indicators.FormatNumber(float64(more), 0, "vi"))
		}
	}
	if len(r.Plausibility) > 0 {
		fmt.Fprintf(w, "\nCẢNH BÁO VỀ TÍNH HỢP LÝ (%d)\n", r.Implausible)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, p := range r.Plausibility {
			fmt.Fprintf(tw, "  %s!%s\t%s\t%s\t%s\t%s\n", p.Sheet, p.Cell, p.Indicator, p.Unit, p.Period, p.ReasonVI)
		}
		tw.Flush()
		if more := r.Implausible - len(r.Plausibility); more > 0 {
			fmt.Fprintf(w, "  … và %s cảnh báo khác\n", indicators.FormatNumber(float64(more), 0, "vi"))
		}
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintln(w, "\nLƯU Ý")
		for _, s := range r.Warnings {
			fmt.Fprintf(w, "  %s\n", s)
		}
	}
}

func printOutcome(w io.Writer, r *importers.Result, dryRun bool) {
	earlier := ""
	if len(r.EarlierBatches) > 0 {
		var ids []string
		for _, id := range r.EarlierBatches {
			ids = append(ids, "#"+strconv.FormatInt(id, 10))
		}
		earlier = " (tệp này đã được nhập ở lô " + strings.Join(ids, ", ") + ")"
	}
	fmt.Fprintln(w)
	switch {
	case r.NothingChanged() && r.Unchanged == 0:
		fmt.Fprintln(w, "Tệp không có số liệu nào để nhập; không ghi lô nào.")
	case r.NothingChanged():
		fmt.Fprintf(w, "Không có gì thay đổi: mọi giá trị trong tệp đều đã có%s; không ghi lô nào.\n", earlier)
	case dryRun:
		fmt.Fprintf(w, "Xem trước, chưa ghi gì. Chạy lại không có --dry-run để ghi%s.\n", earlier)
	case r.Batch != 0:
		fmt.Fprintf(w, "Đã ghi lô #%d: %s số liệu mới, %s thay đổi. Hoàn tác: chitieu import rollback %d\n", r.Batch,
			indicators.FormatNumber(float64(r.New), 0, "vi"), indicators.FormatNumber(float64(r.Changed), 0, "vi"), r.Batch)
	}
}

func cmdImportRollback(ctx context.Context, a *app, args []string) error {
	fs := a.flags("import rollback")
	dbPath := a.dbFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("cần đúng một số lô: chitieu import rollback LÔ [--db PATH]")
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(fs.Arg(0), "#"), 10, 64)
	if err != nil || id <= 0 {
		return usagef("số lô %q không hợp lệ", fs.Arg(0))
	}
	db, err := a.openImports(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	im := &importers.Importer{Store: db, Log: a.log}
	r, err := im.Rollback(asCLI(ctx), id)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Đã hoàn tác lô #%d (%s): rút %d số liệu; %d giá trị cũ trở lại, %d khóa không còn số liệu, %d khóa giữ số liệu của lô sau.\n",
		id, r.Batch.FileName, r.Retracted, r.Restored, r.Removed, r.Kept)
	return nil
}

func cmdImportList(ctx context.Context, a *app, args []string) error {
	fs := a.flags("import list")
	dbPath := a.dbFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	db, err := a.openImports(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	bs, err := db.Batches(ctx, indicators.BatchFilter{})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LÔ\tTRẠNG THÁI\tTỆP\tHỒ SƠ\tMỚI\tĐỔI\tKHÔNG ĐỔI\tNGƯỜI NHẬP\tLÚC")
	for _, b := range bs {
		fmt.Fprintf(tw, "#%d\t%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\n", b.ID, b.State, b.FileName, b.Profile, b.New, b.Changed, b.Unchanged,
			b.CreatedBy, b.CreatedAt.In(indicators.Vietnam).Format("02/01/2006 15:04"))
	}
	return tw.Flush()
}

func cmdImportFile(ctx context.Context, a *app, args []string) error {
	fs := a.flags("import file")
	dbPath := a.dbFlag(fs)
	out := fs.String("out", "", "tệp đích")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *out == "" {
		return usagef("chitieu import file LÔ --out TỆP [--db PATH]")
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(fs.Arg(0), "#"), 10, 64)
	if err != nil || id <= 0 {
		return usagef("số lô %q không hợp lệ", fs.Arg(0))
	}
	db, err := a.openImports(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	f, err := os.OpenFile(*out, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return usagef("không tạo được %s: %v", *out, err)
	}
	b, err := db.BatchFile(ctx, id, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(*out)
		return err
	}
	fmt.Fprintf(a.stdout, "Đã lưu tệp gốc của lô #%d (%s, SHA-256 %s) vào %s\n", id, b.FileName, b.SHA256, *out)
	return nil
}
