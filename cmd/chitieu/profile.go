package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"chitieu/importers"
	"chitieu/indicators"
)

func init() {
	commands["profile"] = command{"hồ sơ ánh xạ cho bảng của các sở: save, list, show, suggest", cmdProfile}
}

func cmdProfile(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 {
		return usagef("cần một lệnh con: chitieu profile save|list|show|suggest")
	}
	switch args[0] {
	case "save":
		return cmdProfileSave(ctx, a, args[1:])
	case "list":
		return cmdProfileList(ctx, a, args[1:])
	case "show":
		return cmdProfileShow(ctx, a, args[1:])
	case "suggest":
		return cmdProfileSuggest(ctx, a, args[1:])
	}
	return usagef("lệnh con không rõ %q: chitieu profile save|list|show|suggest", args[0])
}

// cmdProfileSave stores a hand-written (or suggested) profile.
func cmdProfileSave(ctx context.Context, a *app, args []string) error {
	fs := a.flags("profile save")
	dbPath := a.dbFlag(fs)
	name := fs.String("name", "", "tên lưu hồ sơ (mặc định: trường name trong tệp)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("cần đúng một tệp JSON: chitieu profile save HỒSƠ.json [--name TÊN] [--db PATH]")
	}
	b, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return usagef("không đọc được %s: %v", fs.Arg(0), err)
	}
	p, err := importers.ParseProfile(b)
	if err != nil {
		return err
	}
	if *name != "" {
		p.Name = *name
	}
	if strings.TrimSpace(p.Name) == "" {
		return usagef("hồ sơ cần tên: ghi \"name\" trong tệp hoặc dùng --name")
	}
	db, err := a.open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.SaveProfile(asCLI(ctx), indicators.ImportProfile{Name: p.Name, Shape: string(p.Shape), JSON: string(p.JSON())}); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Đã lưu hồ sơ ánh xạ %q (bảng %s).\n", p.Name, p.Shape)
	return nil
}

func cmdProfileList(ctx context.Context, a *app, args []string) error {
	fs := a.flags("profile list")
	dbPath := a.dbFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	db, err := a.open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ps, err := db.Profiles(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TÊN\tDẠNG\tTRANG\tĐƠN VỊ\tSỬA BỞI\tLÚC\tMÔ TẢ")
	for _, sp := range ps {
		var p importers.Profile
		_ = json.Unmarshal([]byte(sp.JSON), &p)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", sp.Name, sp.Shape, p.Sheet, p.Unit, sp.UpdatedBy,
			sp.UpdatedAt.In(indicators.Vietnam).Format("02/01/2006 15:04"), p.Description)
	}
	return tw.Flush()
}

func cmdProfileShow(ctx context.Context, a *app, args []string) error {
	fs := a.flags("profile show")
	dbPath := a.dbFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("cần đúng một tên hồ sơ: chitieu profile show TÊN [--db PATH]")
	}
	db, err := a.open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	sp, err := db.Profile(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(a.stdout, sp.JSON)
	return err
}

// cmdProfileSuggest drafts a profile for a department's sheet, with the
// catalogue indicators its names most likely mean, for the planner to check
// and then save.
func cmdProfileSuggest(ctx context.Context, a *app, args []string) error {
	fs := a.flags("profile suggest")
	dbPath := a.dbFlag(fs)
	name := fs.String("name", "", "tên của hồ sơ")
	sheet := fs.String("sheet", "", "trang tính (mặc định: trang đầu tiên)")
	unit := fs.String("unit", "", "mã đơn vị mà bảng báo cáo (ví dụ CT-CU)")
	out := fs.String("out", "", "ghi hồ sơ dự thảo vào tệp này (mặc định: in ra)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("cần đúng một TỆP .xlsx: chitieu profile suggest TỆP.xlsx --unit MÃ [--name TÊN] [--sheet TRANG] [--out HỒSƠ.json]")
	}
	db, err := a.open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := importers.ReceiveFile(fs.Arg(0), "", importers.Limits{})
	if err != nil {
		return err
	}
	defer u.Close()
	im := &importers.Importer{Store: db, Log: a.log}
	p, res, err := im.DraftProfile(asCLI(ctx), u, importers.DraftOptions{Name: *name, Sheet: *sheet, Unit: *unit})
	if err != nil {
		return err
	}
	if len(res.Unmatched) > 0 {
		fmt.Fprintln(a.stderr, "Tên chỉ tiêu chưa có trong danh mục — hãy kiểm tra gợi ý trong \"indicators\" trước khi lưu:")
		for _, um := range res.Unmatched {
			var alts []string
			for _, s := range um.Suggestions {
				alts = append(alts, fmt.Sprintf("%s “%s” (%.0f%%)", s.Code, s.Name, s.Score*100))
			}
			if len(alts) == 0 {
				alts = []string{"không có gợi ý: hãy tự ghi mã"}
			}
			fmt.Fprintf(a.stderr, "  %s “%s”: %s\n", um.Cell, um.Name, strings.Join(alts, "; "))
		}
	}
	if *out == "" {
		_, err = a.stdout.Write(p.JSON())
		return err
	}
	if err := os.WriteFile(*out, p.JSON(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Đã ghi hồ sơ dự thảo vào %s; kiểm tra rồi lưu: chitieu profile save %s\n", *out, *out)
	return nil
}
