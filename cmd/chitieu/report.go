package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/postgres"
	"chitieu/reports"
)

func init() {
	commands["report"] = command{"xuất báo cáo Excel (progress, data, audit) và kiểm tra lại (verify)", cmdReport}
}

const reportUsage = `Cách dùng:
  chitieu report progress --db PATH --plan MÃ --period YYYY-YYYY [--asof YYYY-MM-DD] [--group N] [--lang vi|en] --out TỆP.xlsx
  chitieu report data     --db PATH [--asof YYYY-MM-DD] [--indicator MÃ] [--lang vi|en] --out TỆP.xlsx|.csv
  chitieu report audit    --db PATH [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--lang vi|en] --out TỆP.xlsx
  chitieu report verify   TỆP.xlsx --db PATH`

func cmdReport(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 {
		return usagef("cần một loại báo cáo\n%s", reportUsage)
	}
	switch args[0] {
	case "progress":
		return reportProgress(ctx, a, args[1:])
	case "data":
		return reportData(ctx, a, args[1:])
	case "audit":
		return reportAudit(ctx, a, args[1:])
	case "verify":
		return reportVerify(ctx, a, args[1:])
	case "-h", "--help", "help":
		fmt.Fprintln(a.stdout, reportUsage)
		return flag.ErrHelp
	}
	return usagef("loại báo cáo không rõ %q\n%s", args[0], reportUsage)
}

// reportFlags are the flags every export shares.
type reportFlags struct {
	db, out, lang *string
}

func (a *app) reportFlags(fs *flag.FlagSet) reportFlags {
	return reportFlags{
		db:   a.dbFlag(fs),
		out:  fs.String("out", "", "tệp kết quả"),
		lang: fs.String("lang", "vi", "ngôn ngữ: vi hoặc en"),
	}
}

// check validates the shared flags: an output file with one of the
// extensions allowed, and a language.
func (f reportFlags) check(exts ...string) (string, error) {
	if *f.lang != "vi" && *f.lang != "en" {
		return "", usagef("--lang phải là vi hoặc en")
	}
	if *f.out == "" {
		return "", usagef("thiếu --out TỆP")
	}
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(*f.out), "."))
	for _, e := range exts {
		if ext == e {
			return ext, nil
		}
	}
	return "", usagef("--out %q: tệp phải có đuôi .%s", *f.out, strings.Join(exts, " hoặc ."))
}

// day parses a --asof, --from or --to date; end picks the end of the day.
func day(flagName, s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := indicators.ParseDate(flagName, s)
	if err != nil {
		return time.Time{}, usagef("%s", indicators.ErrorMessage(err))
	}
	if end {
		return indicators.EndOfDay(d), nil
	}
	return d, nil
}

// builder opens the store and makes a report builder that works beside
// the output file, so that the finished report is renamed into place.
func (a *app) builder(ctx context.Context, dbPath, out string) (*reports.Builder, func(), error) {
	var db interface {
		reports.Source
		Close() error
	}
	var err error
	if postgres.IsURL(dbPath) {
		db, _, err = a.openPostgres(ctx, dbPath, migrationBackup{})
	} else {
		db, err = a.open(ctx, dbPath)
	}
	if err != nil {
		return nil, nil, err
	}
	b := reports.New(db)
	if out != "" {
		b.TempDir = filepath.Dir(out)
	}
	return b, func() { db.Close() }, nil
}

// reporter is who the command line names as the author of a report.
func (a *app) reporter() string {
	if u := a.getenv("USER"); u != "" {
		return "cli:" + u
	}
	return "cli"
}

// deliver saves a finished report to out and says where it went.
func (a *app) deliver(ctx context.Context, f *reports.File, err error, out string) error {
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Save(ctx, out); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "đã ghi %s (%s byte)\nmã kiểm tra nội dung (SHA-256): %s\n", out,
		indicators.FormatNumber(float64(f.Size), 0, "vi"), f.Hash)
	return nil
}

func reportProgress(ctx context.Context, a *app, args []string) error {
	fs := a.flags("report progress")
	rf := a.reportFlags(fs)
	planRef := fs.String("plan", "", "kế hoạch: số hiệu (98/NQ-CP) hoặc mã")
	periodText := fs.String("period", "", "giai đoạn YYYY-YYYY")
	asOfText := fs.String("asof", "", "ngày xét YYYY-MM-DD (mặc định: bây giờ)")
	groupText := fs.String("group", "", "chỉ một nhóm nhiệm vụ (số)")
	var form reports.Form
	fs.StringVar(&form.Number, "form-number", "", "biểu mẫu: Biểu số (ví dụ 01/TH)")
	fs.StringVar(&form.Authority, "form-authority", "", "biểu mẫu: cơ quan chủ quản")
	fs.StringVar(&form.Unit, "form-unit", "", "biểu mẫu: đơn vị báo cáo")
	fs.StringVar(&form.ReportRef, "form-ref", "", "biểu mẫu: kèm theo báo cáo số")
	fs.StringVar(&form.Place, "form-place", "", "biểu mẫu: địa danh (ví dụ Cần Thơ)")
	fs.StringVar(&form.Date, "form-date", "", "biểu mẫu: ngày ký YYYY-MM-DD")
	fs.StringVar(&form.Preparer, "form-preparer", "", "biểu mẫu: người lập biểu")
	fs.StringVar(&form.Head, "form-head", "", "biểu mẫu: thủ trưởng đơn vị")
	fs.IntVar(&form.Year, "form-year", 0, "năm so với kế hoạch (KH) trong bảng (mặc định: năm của ngày xét)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if _, err := rf.check("xlsx"); err != nil {
		return err
	}
	if *planRef == "" || *periodText == "" {
		return usagef("cần --plan và --period")
	}
	period, err := indicators.ParseYearRange("--period", *periodText)
	if err != nil {
		return usagef("%s", indicators.ErrorMessage(err))
	}
	asOf, err := day("--asof", *asOfText, true)
	if err != nil {
		return err
	}
	var group *int
	if *groupText != "" {
		n, err := strconv.Atoi(*groupText)
		if err != nil || n < 0 {
			return usagef("--group %q phải là số thứ tự nhóm nhiệm vụ", *groupText)
		}
		group = &n
	}
	b, done, err := a.builder(ctx, *rf.db, *rf.out)
	if err != nil {
		return err
	}
	defer done()
	f, err := b.Progress(ctx, reports.ProgressRequest{Plan: *planRef, Period: period, AsOf: asOf, Group: group,
		Lang: *rf.lang, By: a.reporter(), Form: form})
	return a.deliver(ctx, f, err, *rf.out)
}

func reportData(ctx context.Context, a *app, args []string) error {
	fs := a.flags("report data")
	rf := a.reportFlags(fs)
	asOfText := fs.String("asof", "", "ngày xét YYYY-MM-DD (mặc định: bây giờ)")
	indicator := fs.String("indicator", "", "chỉ một chỉ tiêu (mã, ví dụ ECO-01)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	format, err := rf.check("xlsx", "csv")
	if err != nil {
		return err
	}
	asOf, err := day("--asof", *asOfText, true)
	if err != nil {
		return err
	}
	b, done, err := a.builder(ctx, *rf.db, *rf.out)
	if err != nil {
		return err
	}
	defer done()
	bar := newProgressBar(a.stderr, isTerminal(a.stderr), "số liệu")
	b.OnProgress = bar.update
	f, err := b.Data(ctx, reports.DataRequest{AsOf: asOf, Indicator: *indicator, Format: format, Lang: *rf.lang, By: a.reporter()})
	bar.finish()
	return a.deliver(ctx, f, err, *rf.out)
}

func reportAudit(ctx context.Context, a *app, args []string) error {
	fs := a.flags("report audit")
	rf := a.reportFlags(fs)
	fromText := fs.String("from", "", "từ ngày YYYY-MM-DD (mặc định: từ đầu)")
	toText := fs.String("to", "", "đến hết ngày YYYY-MM-DD (mặc định: bây giờ)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if _, err := rf.check("xlsx"); err != nil {
		return err
	}
	from, err := day("--from", *fromText, false)
	if err != nil {
		return err
	}
	to, err := day("--to", *toText, true)
	if err != nil {
		return err
	}
	if !from.IsZero() && !to.IsZero() && from.After(to) {
		return usagef("--from sau --to")
	}
	b, done, err := a.builder(ctx, *rf.db, *rf.out)
	if err != nil {
		return err
	}
	defer done()
	f, err := b.Audit(ctx, reports.AuditRequest{From: from, To: to, Lang: *rf.lang, By: a.reporter()})
	return a.deliver(ctx, f, err, *rf.out)
}

func reportVerify(ctx context.Context, a *app, args []string) error {
	fs := a.flags("report verify")
	dbPath := a.dbFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("cần đúng một TỆP: chitieu report verify TỆP.xlsx --db PATH")
	}
	path := fs.Arg(0)
	if _, err := os.Stat(path); err != nil {
		return indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("không mở được tệp %s: %v", path, err), fmt.Sprintf("cannot open %s: %v", path, err))
	}
	b, done, err := a.builder(ctx, *dbPath, "")
	if err != nil {
		return err
	}
	defer done()
	v, err := b.Verify(ctx, path)
	if err != nil {
		return err
	}
	p := v.Params
	what := p.Kind
	switch p.Kind {
	case reports.KindProgress:
		what = fmt.Sprintf("tiến độ, kế hoạch %s, giai đoạn %s", p.Plan, p.Period)
	case reports.KindData:
		what = "số liệu"
	case reports.KindAudit:
		what = "lô nhập và nhật ký"
	}
	w := a.stdout
	asOf := p.AsOf
	if t, err := time.Parse(time.RFC3339Nano, p.AsOf); err == nil {
		asOf = t.In(indicators.Vietnam).Format("15:04:05 02/01/2006")
	}
	fmt.Fprintf(w, "báo cáo:                  %s, tính đến %s\n", what, asOf)
	if v.Check == reports.CheckCover {
		fmt.Fprintln(w, "cách kiểm tra:            theo mã và tham số in trên trang bìa (tệp đã mất thuộc tính, có lẽ đã được lưu lại bằng chương trình khác)")
	} else {
		fmt.Fprintln(w, "cách kiểm tra:            theo mã và tham số trong thuộc tính của tệp")
	}
	fmt.Fprintf(w, "mã ghi trong tệp:         %s\n", v.Stored)
	fmt.Fprintf(w, "mã tính từ nội dung tệp:  %s\n", v.File)
	fmt.Fprintf(w, "mã tính từ cơ sở dữ liệu: %s\n", v.Database)
	fmt.Fprintf(w, "số dòng đã so:            %d\n", v.Rows)
	if v.Matches() {
		fmt.Fprintln(w, "KHỚP: các số trong tệp đúng như cơ sở dữ liệu cho tại thời điểm của báo cáo.")
		return nil
	}
	switch {
	case v.File != v.Stored:
		fmt.Fprintln(w, "KHÔNG KHỚP: nội dung tệp đã bị sửa sau khi được tạo.")
	default:
		fmt.Fprintln(w, "KHÔNG KHỚP: cơ sở dữ liệu không còn cho ra các số này.")
	}
	for _, d := range v.Differences {
		fmt.Fprintf(w, "  %s!%s: tệp %q, cơ sở dữ liệu %q\n", d.Sheet, d.Cell, d.File, d.Database)
	}
	return indicators.FieldError(indicators.EINVALID, "",
		fmt.Sprintf("tệp %s không khớp với cơ sở dữ liệu", path), fmt.Sprintf("%s does not match the database", path))
}
