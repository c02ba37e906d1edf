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
	commands["plan"] = command{"sổ kế hoạch: xuất (export) và nhập (import) danh mục kế hoạch, chỉ tiêu, mục tiêu", cmdPlan}
	commands["target"] = command{"đọc nội dung mục tiêu như văn bản ghi (parse \"TEXT\")", cmdTarget}
}

func cmdPlan(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 {
		return usagef("cần lệnh con: chitieu plan export --out TỆP.xlsx | chitieu plan import TỆP.xlsx [--dry-run] [--json]")
	}
	switch args[0] {
	case "export":
		return cmdPlanExport(ctx, a, args[1:])
	case "import":
		return cmdPlanImport(ctx, a, args[1:])
	}
	return usagef("lệnh con không rõ %q (export, import)", args[0])
}

func cmdPlanExport(ctx context.Context, a *app, args []string) error {
	fs := a.flags("plan export")
	dbPath := a.dbFlag(fs)
	out := fs.String("out", "", "tệp .xlsx sẽ ghi")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if *out == "" || !strings.EqualFold(filepath.Ext(*out), ".xlsx") {
		return usagef("cần --out TỆP.xlsx")
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
	fmt.Fprintf(a.stdout, "đã xuất %d kế hoạch, %d nhóm nhiệm vụ, %d đơn vị, %d chỉ tiêu, %d nhiệm vụ, %d mục tiêu (%d dòng kể cả điều chỉnh) vào %s\n",
		len(cat.Plans), len(cat.Groups), len(cat.Units), len(cat.Indicators), len(cat.Tasks), len(cat.Targets), revisions, *out)
	return nil
}

func cmdPlanImport(ctx context.Context, a *app, args []string) error {
	fs := a.flags("plan import")
	dbPath := a.dbFlag(fs)
	dryRun := fs.Bool("dry-run", false, "chỉ xem trước, không ghi gì")
	asJSON := fs.Bool("json", false, "in bản xem trước dạng JSON")
	confirmNote := fs.String("confirm-note", "", "ghi chú xác nhận các cảnh báo về tính hợp lý của cận mục tiêu, lưu trong nhật ký kiểm toán")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("cần đúng một TỆP.xlsx: chitieu plan import TỆP.xlsx [--db PATH] [--dry-run] [--json] [--confirm-note GHICHÚ]")
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

var actionVI = map[indicators.ChangeAction]string{indicators.Create: "thêm", indicators.Update: "sửa", indicators.Revise: "điều chỉnh"}

var objectVI = map[string]string{indicators.ObjPlan: "kế hoạch", indicators.ObjTaskGroup: "nhóm nhiệm vụ",
	indicators.ObjUnit: "đơn vị", indicators.ObjIndicator: "chỉ tiêu", indicators.ObjTask: "nhiệm vụ", indicators.ObjTarget: "mục tiêu"}

func printPlanbookPreview(a *app, p importers.PlanbookPreview, dryRun bool) {
	fmt.Fprintf(a.stdout, "mới %d, thay đổi %d, không đổi %d, bị từ chối %d\n", p.New, p.Changed, p.Unchanged, p.Rejected)
	for _, c := range p.Changes {
		fmt.Fprintf(a.stdout, "  %s %s %s (%s, dòng %d)\n", actionVI[c.Action], objectVI[c.Object], c.Key, c.Sheet, c.Row)
		for _, f := range c.Fields {
			fmt.Fprintf(a.stdout, "      %s: %q → %q\n", f.Field, f.Before, f.After)
		}
	}
	for _, w := range p.Plausibility {
		fmt.Fprintf(a.stdout, "  cảnh báo %s!%s (%s, %s): %s\n", w.Sheet, w.Cell, w.Indicator, w.Unit, w.ReasonVI)
	}
	for _, e := range p.Errors {
		fmt.Fprintf(a.stdout, "  LỖI %s\n", e)
	}
	switch {
	case len(p.Errors) > 0:
	case p.Committed:
		fmt.Fprintln(a.stdout, "đã ghi vào cơ sở dữ liệu")
	case dryRun && len(p.Changes) > 0:
		fmt.Fprintln(a.stdout, "xem trước (--dry-run): chưa ghi gì")
	case len(p.Changes) == 0:
		fmt.Fprintln(a.stdout, "không có gì thay đổi")
	}
}

func cmdTarget(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 || args[0] != "parse" {
		return usagef("cách dùng: chitieu target parse \"NỘI DUNG MỤC TIÊU\"")
	}
	fs := a.flags("target parse")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("cần đúng một nội dung mục tiêu trong dấu nháy: chitieu target parse \"bình quân 7,5 - 8%%/năm\"")
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
