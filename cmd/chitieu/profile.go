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
	commands["profile"] = command{"hồ sơ ánh xạ cho bảng của các sở: save, list, show, suggest",
		"mapping profiles for the departments' tables: save, list, show, suggest", cmdProfile}
}

func cmdProfile(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 {
		return usagef("cần một lệnh con: chitieu profile save|list|show|suggest", "give a subcommand: chitieu profile save|list|show|suggest")
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
	return usagef("lệnh con không rõ %q: chitieu profile save|list|show|suggest", "unknown subcommand %q: chitieu profile save|list|show|suggest", args[0])
}

// cmdProfileSave stores a hand-written (or suggested) profile.
func cmdProfileSave(ctx context.Context, a *app, args []string) error {
	fs := a.flags("profile save")
	dbPath := a.dbFlag(fs)
	name := fs.String("name", "", a.say("tên lưu hồ sơ (mặc định: trường name trong tệp)", "the name to save the profile under (by default the file's name field)"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("cần đúng một tệp JSON: chitieu profile save HỒSƠ.json [--name TÊN] [--db PATH]",
			"give exactly one JSON file: chitieu profile save PROFILE.json [--name NAME] [--db PATH]")
	}
	b, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return usagef("không đọc được %s: %v", "cannot read %s: %v", fs.Arg(0), err)
	}
	p, err := importers.ParseProfile(b)
	if err != nil {
		return err
	}
	if *name != "" {
		p.Name = *name
	}
	if strings.TrimSpace(p.Name) == "" {
		return usagef("hồ sơ cần tên: ghi \"name\" trong tệp hoặc dùng --name", "the profile needs a name: give \"name\" in the file or use --name")
	}
	db, err := a.open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.SaveProfile(asCLI(ctx), indicators.ImportProfile{Name: p.Name, Shape: string(p.Shape), JSON: string(p.JSON())}); err != nil {
		return err
	}
	a.printf("Đã lưu hồ sơ ánh xạ %q (bảng %s).\n", "Saved the mapping profile %q (%s table).\n", p.Name, p.Shape)
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
	fmt.Fprintln(tw, a.say("TÊN\tDẠNG\tTRANG\tĐƠN VỊ\tSỬA BỞI\tLÚC\tMÔ TẢ", "NAME\tSHAPE\tSHEET\tUNIT\tBY\tAT\tDESCRIPTION"))
	for _, sp := range ps {
		var p importers.Profile
		_ = json.Unmarshal([]byte(sp.JSON), &p)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", sp.Name, sp.Shape, p.Sheet, p.Unit, sp.UpdatedBy,
			a.stamp(sp.UpdatedAt), p.Description)
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
		return usagef("cần đúng một tên hồ sơ: chitieu profile show TÊN [--db PATH]", "give exactly one profile name: chitieu profile show NAME [--db PATH]")
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
	name := fs.String("name", "", a.say("tên của hồ sơ", "the profile's name"))
	sheet := fs.String("sheet", "", a.say("trang tính (mặc định: trang đầu tiên)", "the sheet (by default the first)"))
	unit := fs.String("unit", "", a.say("mã đơn vị mà bảng báo cáo (ví dụ CT-CU)", "the code of the unit the table reports for (e.g. CT-CU)"))
	out := fs.String("out", "", a.say("ghi hồ sơ dự thảo vào tệp này (mặc định: in ra)", "write the draft profile to this file (by default print it)"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("cần đúng một TỆP .xlsx: chitieu profile suggest TỆP.xlsx --unit MÃ [--name TÊN] [--sheet TRANG] [--out HỒSƠ.json]",
			"give exactly one .xlsx FILE: chitieu profile suggest FILE.xlsx --unit CODE [--name NAME] [--sheet SHEET] [--out PROFILE.json]")
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
		fmt.Fprintln(a.stderr, a.say("Tên chỉ tiêu chưa có trong danh mục — hãy kiểm tra gợi ý trong \"indicators\" trước khi lưu:",
			"Indicator names the catalogue does not hold — check the suggestions in \"indicators\" before saving:"))
		for _, um := range res.Unmatched {
			var alts []string
			for _, s := range um.Suggestions {
				alts = append(alts, fmt.Sprintf("%s “%s” (%.0f%%)", s.Code, s.Name, s.Score*100))
			}
			if len(alts) == 0 {
				alts = []string{a.say("không có gợi ý: hãy tự ghi mã", "no suggestion: write the code yourself")}
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
	a.printf("Đã ghi hồ sơ dự thảo vào %s; kiểm tra rồi lưu: chitieu profile save %s\n",
		"Wrote the draft profile to %s; check it, then save it: chitieu profile save %s\n", *out, *out)
	return nil
}
