package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"chitieu/importers"
	"chitieu/indicators"
)

func init() {
	commands["import"] = command{"nhập số liệu từ tệp Excel .xlsx (xem trước, ghi, hoàn tác lô)",
		"import values from an Excel .xlsx file (preview, commit, roll a batch back)", cmdImport}
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
		fmt.Fprintln(a.stderr, a.say(`Cách dùng:
  chitieu import TỆP.xlsx [--profile TÊN | --profile-file HỒSƠ.json] [--unit MÃ] [--locale vi|en] [--dry-run] [--json] [--confirm-note GHICHÚ]
  chitieu import rollback LÔ      hoàn tác một lô đã ghi
  chitieu import list             liệt kê các lô nhập
  chitieu import file LÔ --out TỆP   lấy lại tệp gốc của một lô

Không có --dry-run, tệp được ghi khi bản xem trước không có ô nào bị từ chối;
khi có cảnh báo về tính hợp lý, cần --confirm-note (được lưu trong nhật ký kiểm toán).
Mã thoát: 0 đã ghi (hoặc xem trước không lỗi), 1 bị từ chối, 2 sai cách dùng.`, `Usage:
  chitieu import FILE.xlsx [--profile NAME | --profile-file PROFILE.json] [--unit CODE] [--locale vi|en] [--dry-run] [--json] [--confirm-note NOTE]
  chitieu import rollback BATCH      roll a committed batch back
  chitieu import list                list the import batches
  chitieu import file BATCH --out FILE   get a batch's original file back

Without --dry-run the file is committed when its preview has no rejected cell;
with plausibility warnings it needs --confirm-note (kept in the audit trail).
Exit codes: 0 committed (or a preview without errors), 1 refused, 2 wrong usage.`))
		a.printDefaults(a.stderr, fs)
	}
	dbPath := a.dbFlag(fs)
	profileName := fs.String("profile", "", a.say("tên hồ sơ ánh xạ đã lưu", "the name of a saved mapping profile"))
	profileFile := fs.String("profile-file", "", a.say("tệp hồ sơ ánh xạ JSON", "a mapping profile's JSON file"))
	unit := fs.String("unit", "", a.say("mã đơn vị mà tệp báo cáo (ví dụ CT-CU)", "the code of the unit the file reports for (e.g. CT-CU)"))
	locale := fs.String("locale", "", a.say("cách viết số dạng chữ trong tệp: vi (7,5; 1.234) hoặc en (7.5; 1,234); mặc định theo hồ sơ, không có thì vi",
		"how numbers written as text in the file read: vi (7,5; 1.234) or en (7.5; 1,234); by default the profile's, else vi"))
	dryRun := fs.Bool("dry-run", false, a.say("chỉ xem trước, không ghi", "preview only, commit nothing"))
	asJSON := fs.Bool("json", false, a.say("in bản xem trước dạng JSON", "print the preview as JSON"))
	confirmNote := fs.String("confirm-note", "", a.say("ghi chú xác nhận các cảnh báo về tính hợp lý, lưu trong nhật ký kiểm toán",
		"a note confirming the plausibility warnings, kept in the audit trail"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("cần đúng một TỆP .xlsx: chitieu import TỆP.xlsx [--db PATH]", "give exactly one .xlsx FILE: chitieu import FILE.xlsx [--db PATH]")
	}
	if *profileName != "" && *profileFile != "" {
		return usagef("chỉ dùng một trong --profile và --profile-file", "use only one of --profile and --profile-file")
	}
	if *locale != "" && *locale != "vi" && *locale != "en" {
		return usagef("--locale phải là vi hoặc en", "--locale must be vi or en")
	}
	opts := importers.Options{ProfileName: *profileName, Unit: *unit, Locale: indicators.Locale(*locale), ConfirmNote: *confirmNote}
	if *profileFile != "" {
		b, err := os.ReadFile(*profileFile)
		if err != nil {
			return usagef("không đọc được --profile-file: %v", "cannot read --profile-file: %v", err)
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
	bar := a.newProgressBar(a.stderr, isTerminal(a.stderr), a.say("dòng", "rows"))
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
		a.printPreview(res)
	}
	if err != nil {
		return err
	}
	if *dryRun && res.Rejected > 0 {
		return indicators.FieldError(indicators.EINVALID, "", fmt.Sprintf("tệp có %d ô bị từ chối", res.Rejected),
			fmt.Sprintf("the file has %d rejected cells", res.Rejected))
	}
	if !*asJSON {
		a.printOutcome(res, *dryRun)
	}
	return nil
}

// typeName is a value type as the preview lists it.
func (a *app) typeName(t indicators.ValueType) string {
	switch t {
	case indicators.OfficialValue:
		return a.say("thực hiện", "official")
	case indicators.EstimateValue:
		return a.say("ước thực hiện", "estimate")
	case indicators.PlanValue:
		return a.say("kế hoạch", "plan")
	}
	return string(t)
}

// value writes a value, or a range, in the operator's style of numbers.
func (a *app) value(x float64, high *float64) string {
	s := indicators.FormatTrim(x, 6, a.lang)
	if high != nil {
		s += "–" + indicators.FormatTrim(*high, 6, a.lang)
	}
	return s
}

// printPreview writes a preview as a planner reads it.
func (a *app) printPreview(r *importers.Result) {
	w := a.stdout
	short := r.SHA256
	if len(short) > 12 {
		short = short[:12] + "…"
	}
	fmt.Fprintf(w, a.say("Tệp:      %s (%s byte, SHA-256 %s)\n", "File:     %s (%s bytes, SHA-256 %s)\n"), r.File, a.num(r.Size), short)
	hr := ""
	if n := len(r.Header.Rows); n > 0 {
		hr = a.sayf(", tiêu đề dòng %d", ", header row %d", r.Header.Rows[0])
		if n > 1 {
			hr = a.sayf(", tiêu đề dòng %d–%d", ", header rows %d–%d", r.Header.Rows[0], r.Header.Rows[n-1])
		}
	}
	shape := map[importers.Shape]string{importers.Wide: a.say("ngang", "wide"), importers.Long: a.say("dọc", "long")}[r.Shape]
	fmt.Fprintf(w, a.say("Trang:    %s%s; hồ sơ: %s (bảng %s)\n", "Sheet:    %s%s; profile: %s (%s table)\n"), r.Sheet, hr, r.Profile, shape)
	unit := r.Unit
	if unit == "" {
		unit = a.say("theo cột đơn vị", "from the unit column")
	}
	fmt.Fprintf(w, a.say("Đơn vị:   %s; kiểu số: %s; %s dòng đã đọc\n", "Unit:     %s; numbers: %s; %s rows read\n"), unit, r.Locale, a.num(r.Rows))
	fmt.Fprintf(w, a.say("Mới: %d   Thay đổi: %d   Không đổi: %d   Bị từ chối: %d\n", "New: %d   Changed: %d   Unchanged: %d   Rejected: %d\n"),
		r.New, r.Changed, r.Unchanged, r.Rejected)
	if len(r.Changes) > 0 {
		fmt.Fprintln(w, a.say("\nTHAY ĐỔI", "\nCHANGES"))
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, c := range r.Changes {
			old := "—"
			kind := a.say("mới", "new")
			if c.Old != nil {
				old, kind = a.value(*c.Old, c.OldHigh), a.say("đổi", "changed")
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s → %s\t%s!%s\n", kind, c.Indicator, c.Unit, c.Period, a.typeName(c.Type),
				old, a.value(c.New, c.High), c.Sheet, c.Cell)
		}
		tw.Flush()
		if more := r.New + r.Changed - len(r.Changes); more > 0 {
			fmt.Fprintf(w, a.say("  … và %s số liệu mới hoặc thay đổi khác\n", "  … and %s more new or changed values\n"), a.num(int64(more)))
		}
	}
	if len(r.Errors) > 0 {
		fmt.Fprintf(w, a.say("\nÔ BỊ TỪ CHỐI (%d)\n", "\nREJECTED CELLS (%d)\n"), r.Rejected)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, e := range r.Errors {
			fmt.Fprintf(tw, "  %s!%s\t%q\t%s\n", e.Sheet, e.Cell, e.Text, e.ReasonIn(a.lang))
		}
		tw.Flush()
		if more := r.Rejected - len(r.Errors); more > 0 {
			fmt.Fprintf(w, a.say("  … và %s ô khác\n", "  … and %s more cells\n"), a.num(int64(more)))
		}
	}
	if len(r.Plausibility) > 0 {
		fmt.Fprintf(w, a.say("\nCẢNH BÁO VỀ TÍNH HỢP LÝ (%d)\n", "\nPLAUSIBILITY WARNINGS (%d)\n"), r.Implausible)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, p := range r.Plausibility {
			fmt.Fprintf(tw, "  %s!%s\t%s\t%s\t%s\t%s\n", p.Sheet, p.Cell, p.Indicator, p.Unit, p.Period, p.Reason(a.lang))
		}
		tw.Flush()
		if more := r.Implausible - len(r.Plausibility); more > 0 {
			fmt.Fprintf(w, a.say("  … và %s cảnh báo khác\n", "  … and %s more warnings\n"), a.num(int64(more)))
		}
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintln(w, a.say("\nLƯU Ý", "\nNOTES"))
		for _, n := range r.Warnings {
			fmt.Fprintf(w, "  %s\n", n.In(a.lang))
		}
	}
}

// printOutcome says what became of an import.
func (a *app) printOutcome(r *importers.Result, dryRun bool) {
	earlier := ""
	if len(r.EarlierBatches) > 0 {
		var ids []string
		for _, id := range r.EarlierBatches {
			ids = append(ids, "#"+strconv.FormatInt(id, 10))
		}
		earlier = a.sayf(" (tệp này đã được nhập ở lô %s)", " (this file was imported before in batch %s)", strings.Join(ids, ", "))
	}
	fmt.Fprintln(a.stdout)
	switch {
	case r.NothingChanged() && r.Unchanged == 0:
		a.printf("Tệp không có số liệu nào để nhập; không ghi lô nào.\n", "The file holds no values to import; no batch was made.\n")
	case r.NothingChanged():
		a.printf("Không có gì thay đổi: mọi giá trị trong tệp đều đã có%s; không ghi lô nào.\n",
			"Nothing changed: every value in the file is already stored%s; no batch was made.\n", earlier)
	case dryRun:
		a.printf("Xem trước, chưa ghi gì. Chạy lại không có --dry-run để ghi%s.\n",
			"A preview: nothing was stored. Run again without --dry-run to commit%s.\n", earlier)
	case r.Batch != 0:
		a.printf("Đã ghi lô #%d: %s số liệu mới, %s thay đổi. Hoàn tác: chitieu import rollback %d\n",
			"Committed batch #%d: %s new values, %s changed. To undo: chitieu import rollback %d\n",
			r.Batch, a.num(int64(r.New)), a.num(int64(r.Changed)), r.Batch)
	}
}

func cmdImportRollback(ctx context.Context, a *app, args []string) error {
	fs := a.flags("import rollback")
	dbPath := a.dbFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("cần đúng một số lô: chitieu import rollback LÔ [--db PATH]", "give exactly one batch number: chitieu import rollback BATCH [--db PATH]")
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(fs.Arg(0), "#"), 10, 64)
	if err != nil || id <= 0 {
		return usagef("số lô %q không hợp lệ", "batch number %q is not valid", fs.Arg(0))
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
	a.printf("Đã hoàn tác lô #%d (%s): rút %d số liệu; %d giá trị cũ trở lại, %d khóa không còn số liệu, %d khóa giữ số liệu của lô sau.\n",
		"Rolled batch #%d (%s) back: %d values withdrawn; %d old values back in force, %d keys left without a value, %d keys keep a later batch's value.\n",
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
	fmt.Fprintln(tw, a.say("LÔ\tTRẠNG THÁI\tTỆP\tHỒ SƠ\tMỚI\tĐỔI\tKHÔNG ĐỔI\tNGƯỜI NHẬP\tLÚC",
		"BATCH\tSTATE\tFILE\tPROFILE\tNEW\tCHANGED\tUNCHANGED\tBY\tAT"))
	for _, b := range bs {
		fmt.Fprintf(tw, "#%d\t%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\n", b.ID, b.State, b.FileName, b.Profile, b.New, b.Changed, b.Unchanged,
			b.CreatedBy, a.stamp(b.CreatedAt))
	}
	return tw.Flush()
}

func cmdImportFile(ctx context.Context, a *app, args []string) error {
	fs := a.flags("import file")
	dbPath := a.dbFlag(fs)
	out := fs.String("out", "", a.say("tệp đích", "the file to write"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *out == "" {
		return usagef("cách dùng: chitieu import file LÔ --out TỆP [--db PATH]", "usage: chitieu import file BATCH --out FILE [--db PATH]")
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(fs.Arg(0), "#"), 10, 64)
	if err != nil || id <= 0 {
		return usagef("số lô %q không hợp lệ", "batch number %q is not valid", fs.Arg(0))
	}
	db, err := a.openImports(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	f, err := os.OpenFile(*out, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return usagef("không tạo được %s: %v", "cannot create %s: %v", *out, err)
	}
	b, err := db.BatchFile(ctx, id, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(*out)
		return err
	}
	a.printf("Đã lưu tệp gốc của lô #%d (%s, SHA-256 %s) vào %s\n", "Saved the original file of batch #%d (%s, SHA-256 %s) to %s\n",
		id, b.FileName, b.SHA256, *out)
	return nil
}
