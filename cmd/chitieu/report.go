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
	commands["report"] = command{"xuất báo cáo Excel (progress, data, audit) và kiểm tra lại (verify)",
		"export Excel reports (progress, data, audit) and check one again (verify)", cmdReport}
}

const reportUsage = `Cách dùng:
  chitieu report progress --db PATH --plan MÃ --period YYYY-YYYY [--asof YYYY-MM-DD] [--group N] [--lang vi|en] --out TỆP.xlsx
  chitieu report data     --db PATH [--asof YYYY-MM-DD] [--indicator MÃ] [--lang vi|en] --out TỆP.xlsx|.csv
  chitieu report audit    --db PATH [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--lang vi|en] --out TỆP.xlsx
  chitieu report verify   TỆP.xlsx --db PATH`

const reportUsageEN = `Usage:
  chitieu report progress --db PATH --plan CODE --period YYYY-YYYY [--asof YYYY-MM-DD] [--group N] [--lang vi|en] --out FILE.xlsx
  chitieu report data     --db PATH [--asof YYYY-MM-DD] [--indicator CODE] [--lang vi|en] --out FILE.xlsx|.csv
  chitieu report audit    --db PATH [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--lang vi|en] --out FILE.xlsx
  chitieu report verify   FILE.xlsx --db PATH`

func cmdReport(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 {
		return usagef("cần một loại báo cáo\n%s", "give a kind of report\n%s", a.say(reportUsage, reportUsageEN))
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
		fmt.Fprintln(a.stdout, a.say(reportUsage, reportUsageEN))
		return flag.ErrHelp
	}
	return usagef("loại báo cáo không rõ %q\n%s", "unknown kind of report %q\n%s", args[0], a.say(reportUsage, reportUsageEN))
}

// reportFlags are the flags every export shares.
type reportFlags struct {
	db, out, lang *string
}

func (a *app) reportFlags(fs *flag.FlagSet) reportFlags {
	return reportFlags{
		db:   a.dbFlag(fs),
		out:  fs.String("out", "", a.say("tệp kết quả", "the file to write")),
		lang: a.langFlag(fs),
	}
}

// check validates the shared flags: an output file with one of the
// extensions allowed, and a language, which becomes the messages' too.
func (f reportFlags) check(a *app, exts ...string) (string, error) {
	if err := a.setLang(*f.lang); err != nil {
		return "", err
	}
	if *f.out == "" {
		return "", usagef("thiếu --out TỆP", "--out FILE is missing")
	}
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(*f.out), "."))
	for _, e := range exts {
		if ext == e {
			return ext, nil
		}
	}
	return "", usagef("--out %q: tệp phải có đuôi .%s", "--out %q: the file must end in .%s", *f.out,
		strings.Join(exts, a.say(" hoặc .", " or .")))
}

// day parses a --asof, --from or --to date; end picks the end of the day.
func day(flagName, s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := indicators.ParseDate(flagName, s)
	if err != nil {
		return time.Time{}, usageOf(err)
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
	a.printf("đã ghi %s (%s byte)\nmã kiểm tra nội dung (SHA-256): %s\n", "wrote %s (%s bytes)\ncontent check code (SHA-256): %s\n", out,
		a.num(f.Size), f.Hash)
	return nil
}

func reportProgress(ctx context.Context, a *app, args []string) error {
	fs := a.flags("report progress")
	rf := a.reportFlags(fs)
	planRef := fs.String("plan", "", a.say("kế hoạch: số hiệu (98/NQ-CP) hoặc mã", "the plan: its number (98/NQ-CP) or ID"))
	periodText := fs.String("period", "", a.say("giai đoạn YYYY-YYYY", "the period YYYY-YYYY"))
	asOfText := fs.String("asof", "", a.say("ngày xét YYYY-MM-DD (mặc định: bây giờ)", "the as-of date YYYY-MM-DD (by default now)"))
	groupText := fs.String("group", "", a.say("chỉ một nhóm nhiệm vụ (số)", "only one task group (its number)"))
	var form reports.Form
	fs.StringVar(&form.Number, "form-number", "", a.say("biểu mẫu: Biểu số (ví dụ 01/TH)", "form: the form number (e.g. 01/TH)"))
	fs.StringVar(&form.Authority, "form-authority", "", a.say("biểu mẫu: cơ quan chủ quản", "form: the governing body"))
	fs.StringVar(&form.Unit, "form-unit", "", a.say("biểu mẫu: đơn vị báo cáo", "form: the reporting unit"))
	fs.StringVar(&form.ReportRef, "form-ref", "", a.say("biểu mẫu: kèm theo báo cáo số", "form: attached to report number"))
	fs.StringVar(&form.Place, "form-place", "", a.say("biểu mẫu: địa danh (ví dụ Cần Thơ)", "form: the place (e.g. Cần Thơ)"))
	fs.StringVar(&form.Date, "form-date", "", a.say("biểu mẫu: ngày ký YYYY-MM-DD", "form: the date of signing YYYY-MM-DD"))
	fs.StringVar(&form.Preparer, "form-preparer", "", a.say("biểu mẫu: người lập biểu", "form: who prepared it"))
	fs.StringVar(&form.Head, "form-head", "", a.say("biểu mẫu: thủ trưởng đơn vị", "form: the head of the unit"))
	fs.IntVar(&form.Year, "form-year", 0, a.say("năm so với kế hoạch (KH) trong bảng (mặc định: năm của ngày xét)",
		"the year compared with its plan (KH) in the table (by default the as-of date's year)"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if _, err := rf.check(a, "xlsx"); err != nil {
		return err
	}
	if *planRef == "" || *periodText == "" {
		return usagef("cần --plan và --period", "give --plan and --period")
	}
	period, err := indicators.ParseYearRange("--period", *periodText)
	if err != nil {
		return usageOf(err)
	}
	asOf, err := day("--asof", *asOfText, true)
	if err != nil {
		return err
	}
	var group *int
	if *groupText != "" {
		n, err := strconv.Atoi(*groupText)
		if err != nil || n < 0 {
			return usagef("--group %q phải là số thứ tự nhóm nhiệm vụ", "--group %q must be a task group's number", *groupText)
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
	asOfText := fs.String("asof", "", a.say("ngày xét YYYY-MM-DD (mặc định: bây giờ)", "the as-of date YYYY-MM-DD (by default now)"))
	indicator := fs.String("indicator", "", a.say("chỉ một chỉ tiêu (mã, ví dụ ECO-01)", "only one indicator (its code, e.g. ECO-01)"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	format, err := rf.check(a, "xlsx", "csv")
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
	bar := a.newProgressBar(a.stderr, isTerminal(a.stderr), a.say("số liệu", "values"))
	b.OnProgress = bar.update
	f, err := b.Data(ctx, reports.DataRequest{AsOf: asOf, Indicator: *indicator, Format: format, Lang: *rf.lang, By: a.reporter()})
	bar.finish()
	return a.deliver(ctx, f, err, *rf.out)
}

func reportAudit(ctx context.Context, a *app, args []string) error {
	fs := a.flags("report audit")
	rf := a.reportFlags(fs)
	fromText := fs.String("from", "", a.say("từ ngày YYYY-MM-DD (mặc định: từ đầu)", "from the date YYYY-MM-DD (by default from the start)"))
	toText := fs.String("to", "", a.say("đến hết ngày YYYY-MM-DD (mặc định: bây giờ)", "to the end of the date YYYY-MM-DD (by default now)"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if _, err := rf.check(a, "xlsx"); err != nil {
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
		return usagef("--from sau --to", "--from is after --to")
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
		return usagef("cần đúng một TỆP: chitieu report verify TỆP.xlsx --db PATH", "give exactly one FILE: chitieu report verify FILE.xlsx --db PATH")
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
		what = a.sayf("tiến độ, kế hoạch %s, giai đoạn %s", "progress, plan %s, period %s", p.Plan, p.Period)
	case reports.KindData:
		what = a.say("số liệu", "values")
	case reports.KindAudit:
		what = a.say("lô nhập và nhật ký", "import batches and audit trail")
	}
	asOf := p.AsOf
	if t, err := time.Parse(time.RFC3339Nano, p.AsOf); err == nil {
		asOf = t.In(indicators.Vietnam).Format(a.say("15:04:05 02/01/2006", "2006-01-02 15:04:05"))
	}
	a.printf("báo cáo:                  %s, tính đến %s\n", "report:                   %s, as of %s\n", what, asOf)
	if v.Check == reports.CheckCover {
		a.printf("cách kiểm tra:            theo mã và tham số in trên trang bìa (tệp đã mất thuộc tính, có lẽ đã được lưu lại bằng chương trình khác)\n",
			"checked by:               the code and parameters printed on the cover (the file lost its properties, perhaps saved again by another program)\n")
	} else {
		a.printf("cách kiểm tra:            theo mã và tham số trong thuộc tính của tệp\n",
			"checked by:               the code and parameters in the file's properties\n")
	}
	a.printf("mã ghi trong tệp:         %s\n", "code stored in the file:  %s\n", v.Stored)
	a.printf("mã tính từ nội dung tệp:  %s\n", "code of the file's cells: %s\n", v.File)
	a.printf("mã tính từ cơ sở dữ liệu: %s\n", "code of the database:     %s\n", v.Database)
	a.printf("số dòng đã so:            %d\n", "rows compared:            %d\n", v.Rows)
	if v.Matches() {
		a.printf("KHỚP: các số trong tệp đúng như cơ sở dữ liệu cho tại thời điểm của báo cáo.\n",
			"MATCH: the figures in the file are those the database gives for the report's moment.\n")
		return nil
	}
	switch {
	case v.File != v.Stored:
		a.printf("KHÔNG KHỚP: nội dung tệp đã bị sửa sau khi được tạo.\n", "NO MATCH: the file's content was changed after it was made.\n")
	default:
		a.printf("KHÔNG KHỚP: cơ sở dữ liệu không còn cho ra các số này.\n", "NO MATCH: the database no longer gives these figures.\n")
	}
	for _, d := range v.Differences {
		a.printf("  %s!%s: tệp %q, cơ sở dữ liệu %q\n", "  %s!%s: file %q, database %q\n", d.Sheet, d.Cell, d.File, d.Database)
	}
	return indicators.FieldError(indicators.EINVALID, "",
		fmt.Sprintf("tệp %s không khớp với cơ sở dữ liệu", path), fmt.Sprintf("%s does not match the database", path))
}
