package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"chitieu/importers"
	"chitieu/indicators"
	"chitieu/reports"
)

func init() {
	commands["plan"] = command{"sổ kế hoạch: xuất (export) và nhập (import) danh mục kế hoạch, chỉ tiêu, mục tiêu",
		"the plan workbook: export and import the catalogue of plans, indicators, targets", cmdPlan}
	commands["target"] = command{"đọc nội dung mục tiêu như văn bản ghi (parse \"TEXT\")",
		"read a target as an act words it (parse \"TEXT\")", cmdTarget}
}

func cmdPlan(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 {
		return usagef("cần lệnh con: chitieu plan export --out TỆP.xlsx | chitieu plan import TỆP.xlsx [--dry-run] [--json]",
			"give a subcommand: chitieu plan export --out FILE.xlsx | chitieu plan import FILE.xlsx [--dry-run] [--json]")
	}
	switch args[0] {
	case "export":
		return cmdPlanExport(ctx, a, args[1:])
	case "import":
		return cmdPlanImport(ctx, a, args[1:])
	}
	return usagef("lệnh con không rõ %q (export, import)", "unknown subcommand %q (export, import)", args[0])
}

func cmdPlanExport(ctx context.Context, a *app, args []string) error {
	fs := a.flags("plan export")
	dbPath := a.dbFlag(fs)
	out := fs.String("out", "", a.say("tệp .xlsx sẽ ghi", "the .xlsx file to write"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if *out == "" || !strings.EqualFold(filepath.Ext(*out), ".xlsx") {
		return usagef("cần --out TỆP.xlsx", "give --out FILE.xlsx")
	}
	db, err := a.open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	cat, err := indicators.ReadCatalog(ctx, db)
	if err != nil {
		return err
	}
	// Written beside the target and renamed, so that a failure leaves no
	// half-written workbook under the name asked for.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".chitieu-planbook-*.xlsx")
	if err != nil {
		return fmt.Errorf("chitieu: plan export: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := reports.WritePlanbook(tmp, cat, time.Now()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("chitieu: plan export: %w", err)
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return fmt.Errorf("chitieu: plan export: %w", err)
	}
	revisions := 0
	for _, t := range cat.Targets {
		revisions += len(t.Revisions)
	}
	a.printf("đã xuất %d kế hoạch, %d nhóm nhiệm vụ, %d đơn vị, %d chỉ tiêu, %d nhiệm vụ, %d mục tiêu (%d dòng kể cả điều chỉnh) vào %s\n",
		"exported %d plans, %d task groups, %d units, %d indicators, %d tasks, %d targets (%d rows with their revisions) to %s\n",
		len(cat.Plans), len(cat.Groups), len(cat.Units), len(cat.Indicators), len(cat.Tasks), len(cat.Targets), revisions, *out)
	return nil
}

func cmdPlanImport(ctx context.Context, a *app, args []string) error {
	fs := a.flags("plan import")
	dbPath := a.dbFlag(fs)
	dryRun := fs.Bool("dry-run", false, a.say("chỉ xem trước, không ghi gì", "preview only, store nothing"))
	asJSON := fs.Bool("json", false, a.say("in bản xem trước dạng JSON", "print the preview as JSON"))
	confirmNote := fs.String("confirm-note", "", a.say("ghi chú xác nhận các cảnh báo về tính hợp lý của cận mục tiêu, lưu trong nhật ký kiểm toán",
		"a note confirming the plausibility warnings on the targets' bounds, kept in the audit trail"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("cần đúng một TỆP.xlsx: chitieu plan import TỆP.xlsx [--db PATH] [--dry-run] [--json] [--confirm-note GHICHÚ]",
			"give exactly one FILE.xlsx: chitieu plan import FILE.xlsx [--db PATH] [--dry-run] [--json] [--confirm-note NOTE]")
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return indicators.FieldError(indicators.EINVALID, "file", fmt.Sprintf("không mở được tệp %s", path),
			fmt.Sprintf("cannot open %s", path))
	}
	defer f.Close()
	db, err := a.open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = indicators.WithActor(ctx, indicators.Actor{User: "cli"})
	preview, err := importers.ImportPlanbookConfirmed(ctx, db, f, filepath.Base(path), !*dryRun, *confirmNote)
	if *asJSON {
		if preview.Changes != nil || preview.Errors != nil || err == nil {
			enc := json.NewEncoder(a.stdout)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			if e := enc.Encode(preview); e != nil {
				return e
			}
		}
	} else {
		printPlanbookPreview(a, preview, *dryRun)
	}
	return err
}

// actionNames and objectNames are the plan workbook's changes as the
// preview lists them, in Vietnamese and English.
var actionNames = map[indicators.ChangeAction][2]string{indicators.Create: {"thêm", "add"}, indicators.Update: {"sửa", "update"},
	indicators.Revise: {"điều chỉnh", "revise"}}

var objectNames = map[string][2]string{indicators.ObjPlan: {"kế hoạch", "plan"}, indicators.ObjTaskGroup: {"nhóm nhiệm vụ", "task group"},
	indicators.ObjUnit: {"đơn vị", "unit"}, indicators.ObjIndicator: {"chỉ tiêu", "indicator"}, indicators.ObjTask: {"nhiệm vụ", "task"},
	indicators.ObjTarget: {"mục tiêu", "target"}}

func printPlanbookPreview(a *app, p importers.PlanbookPreview, dryRun bool) {
	a.printf("mới %d, thay đổi %d, không đổi %d, bị từ chối %d\n", "new %d, changed %d, unchanged %d, rejected %d\n",
		p.New, p.Changed, p.Unchanged, p.Rejected)
	for _, c := range p.Changes {
		action, object := actionNames[c.Action], objectNames[c.Object]
		a.printf("  %s %s %s (%s, dòng %d)\n", "  %s %s %s (%s, row %d)\n", a.say(action[0], action[1]), a.say(object[0], object[1]),
			c.Key, c.Sheet, c.Row)
		for _, f := range c.Fields {
			fmt.Fprintf(a.stdout, "      %s: %q → %q\n", f.Field, f.Before, f.After)
		}
	}
	for _, w := range p.Plausibility {
		a.printf("  cảnh báo %s!%s (%s, %s): %s\n", "  warning %s!%s (%s, %s): %s\n", w.Sheet, w.Cell, w.Indicator, w.Unit, w.Reason(a.lang))
	}
	for _, e := range p.Errors {
		a.printf("  LỖI %s\n", "  ERROR %s\n", e.In(a.lang))
	}
	switch {
	case len(p.Errors) > 0:
	case p.Committed:
		a.printf("đã ghi vào cơ sở dữ liệu\n", "stored in the database\n")
	case dryRun && len(p.Changes) > 0:
		a.printf("xem trước (--dry-run): chưa ghi gì\n", "a preview (--dry-run): nothing stored\n")
	case len(p.Changes) == 0:
		a.printf("không có gì thay đổi\n", "nothing changed\n")
	}
}

func cmdTarget(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 || args[0] != "parse" {
		return usagef("cách dùng: chitieu target parse \"NỘI DUNG MỤC TIÊU\"", "usage: chitieu target parse \"TARGET TEXT\"")
	}
	fs := a.flags("target parse")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("cần đúng một nội dung mục tiêu trong dấu nháy: chitieu target parse \"bình quân 7,5 - 8%%/năm\"",
			"give exactly one target text in quotes: chitieu target parse \"bình quân 7,5 - 8%%/năm\"")
	}
	t, err := indicators.ParseTargetText(fs.Arg(0))
	// base_year is set for a relative target, whose op, a and b bound the
	// ratio to the base year's value; words are what the reading rests on.
	out := struct {
		Kind      string   `json:"kind"`
		Op        string   `json:"op"`
		A         *float64 `json:"a"`
		B         *float64 `json:"b"`
		Unit      string   `json:"unit"`
		BaseYear  *int     `json:"base_year"`
		Direction string   `json:"direction,omitempty"`
		Words     []string `json:"words"`
		Scale     float64  `json:"scale"`
		Implicit  bool     `json:"implicit"`
	}{Kind: string(t.Kind), Op: string(t.Bound.Op), Unit: t.Unit, Direction: string(t.Direction), Words: t.Words,
		Scale: t.Scale, Implicit: t.Implicit}
	if out.Words == nil {
		out.Words = []string{}
	}
	if t.BaseYear != 0 {
		out.BaseYear = &t.BaseYear
	}
	switch t.Bound.Op {
	case indicators.OpNone:
		out.Op = indicators.OpNoneText
	case indicators.OpRange:
		out.A, out.B = &t.Bound.A, &t.Bound.B
	default:
		out.A = &t.Bound.A
	}
	enc := json.NewEncoder(a.stdout)
	enc.SetEscapeHTML(false)
	if e := enc.Encode(out); e != nil {
		return e
	}
	return err
}
