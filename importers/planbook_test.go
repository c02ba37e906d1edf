package importers_test

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"chitieu/importers"
	"chitieu/indicators"
	"chitieu/indicators/sqlite"
	"chitieu/internal/testdb"
	"chitieu/reports"

	"github.com/xuri/excelize/v2"
)

// store opens a fresh database holding the built-in catalogue.
func store(t testing.TB) (*sqlite.DB, context.Context) {
	t.Helper()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "quantri", Role: indicators.Admin})
	return testdb.Builtin(t), ctx
}

func export(t testing.TB, db *sqlite.DB) []byte {
	t.Helper()
	cat, err := indicators.ReadCatalog(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := reports.WritePlanbook(&buf, cat, time.Now()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// edit opens a workbook with excelize, lets fn change it and returns the
// new bytes.
func edit(t *testing.T, data []byte, fn func(f *excelize.File)) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fn(f)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// cell is the address of the column headed header in row n of sheet.
func cell(t *testing.T, f *excelize.File, sheet, header string, n int) string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) == 0 {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	for i, h := range rows[0] {
		if h == header {
			col, _ := excelize.ColumnNumberToName(i + 1)
			return col + strconv.Itoa(n)
		}
	}
	t.Fatalf("sheet %s has no column %q", sheet, header)
	return ""
}

// lastRow is the number of the last row of a sheet.
func lastRow(t *testing.T, f *excelize.File, sheet string) int {
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return len(rows)
}

// rowOf finds the row of sheet whose cells under the headers hold the
// values given, as header, value pairs.
func rowOf(t *testing.T, f *excelize.File, sheet string, pairs ...string) int {
	t.Helper()
	rows, _ := f.GetRows(sheet)
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for n, r := range rows[1:] {
		ok := true
		for i := 0; i < len(pairs); i += 2 {
			c := col[pairs[i]]
			if c >= len(r) || r[c] != pairs[i+1] {
				ok = false
			}
		}
		if ok {
			return n + 2
		}
	}
	t.Fatalf("no row of %s with %v", sheet, pairs)
	return 0
}

func planCounts(t *testing.T, db *sqlite.DB) (targets, revisions, events int) {
	t.Helper()
	ts, err := db.Targets(context.Background(), indicators.TargetFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range ts {
		revisions += len(tg.Revisions)
	}
	evs, err := db.AuditEvents(context.Background(), indicators.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(ts), revisions, len(evs)
}

func TestExportThenImportChangesNothing(t *testing.T) {
	t.Parallel()
	db, ctx := store(t)
	data := export(t, db)
	cat, _ := indicators.ReadCatalog(ctx, db)
	rows := len(cat.Plans) + len(cat.Groups) + len(cat.Units) + len(cat.Indicators) + len(cat.Tasks)
	for _, tg := range cat.Targets {
		rows += len(tg.Revisions)
	}
	_, _, before := planCounts(t, db)
	p, err := importers.ImportPlanbook(ctx, db, bytes.NewReader(data), "so-ke-hoach.xlsx", true)
	if err != nil {
		t.Fatalf("import: %v; errors %v", err, p.Errors)
	}
	if p.New != 0 || p.Changed != 0 || p.Rejected != 0 || p.Unchanged != rows || len(p.Changes) != 0 {
		t.Errorf("preview = new %d, changed %d, unchanged %d (want %d), rejected %d, changes %+v",
			p.New, p.Changed, p.Unchanged, rows, p.Rejected, p.Changes)
	}
	if _, _, after := planCounts(t, db); after != before {
		t.Errorf("audit events %d → %d; an import that changes nothing writes nothing", before, after)
	}
	// And the store exports the same workbook content again.
	again, _ := indicators.ReadCatalog(ctx, db)
	if len(again.Targets) != len(cat.Targets) || len(again.Plans) != len(cat.Plans) {
		t.Errorf("catalogue changed: %d/%d targets, %d/%d plans", len(again.Targets), len(cat.Targets), len(again.Plans), len(cat.Plans))
	}
}

func TestWorkbookAddsATargetAndRevisesAnother(t *testing.T) {
	t.Parallel()
	db, ctx := store(t)
	data := edit(t, export(t, db), func(f *excelize.File) {
		s := indicators.TargetsSheet.Name
		n := lastRow(t, f, s) + 1
		// ECO-16 of the 5-year plan 2026–2030, entered by its text only.
		set := func(row int, header string, v any) {
			if err := f.SetCellValue(s, cell(t, f, s, header, row), v); err != nil {
				t.Fatal(err)
			}
		}
		set(n, "Mã kế hoạch", "98-nq-cp-2021-08-30")
		set(n, "Mã chỉ tiêu", "ECO-16")
		set(n, "Giai đoạn", "2021-2025")
		set(n, "Phạm vi", "old_city")
		set(n, "Nhóm nhiệm vụ", 0)
		set(n, "Mục tiêu như văn bản ghi", "Ít nhất 320 nghìn tỷ đồng")
		set(n, "Nguồn", "văn bản lưu trữ")
		// A revision of the 98/NQ-CP GRDP target.
		set(n+1, "Mã kế hoạch", "98-nq-cp-2021-08-30")
		set(n+1, "Mã chỉ tiêu", "ECO-01")
		set(n+1, "Giai đoạn", "2021-2025")
		set(n+1, "Phạm vi", "old_city")
		set(n+1, "Nhóm nhiệm vụ", 0)
		set(n+1, "Mục tiêu như văn bản ghi", "bình quân 6,5 - 7%/năm")
		set(n+1, "Văn bản", "15/NQ-CP")
		set(n+1, "Ngày văn bản", "20/03/2023")
		set(n+1, "Ngày hiệu lực", "2023-03-20")
		set(n+1, "Lý do, ghi chú", "điều chỉnh sau đại dịch")
	})
	_, revsBefore, _ := planCounts(t, db)
	p, err := importers.ImportPlanbook(ctx, db, bytes.NewReader(data), "bo-sung.xlsx", true)
	if err != nil {
		t.Fatalf("import: %v; errors %v", err, p.Errors)
	}
	if p.New != 2 || p.Changed != 0 || !p.Committed || len(p.Changes) != 2 {
		t.Fatalf("preview = %+v", p)
	}
	ts, _ := db.Targets(ctx, indicators.TargetFilter{Plan: "98-nq-cp-2021-08-30"})
	var added, revised *indicators.Target
	for i := range ts {
		switch ts[i].Indicator {
		case "ECO-16":
			added = &ts[i]
		case "ECO-01":
			revised = &ts[i]
		}
	}
	if added == nil || added.Kind != indicators.LevelTarget || added.Bound != (indicators.Bound{Op: ">=", A: 320000}) ||
		added.Act != "98/NQ-CP" || added.EnteredBy != "quantri" {
		t.Errorf("added target = %+v, want level >= 320000 (tỷ đồng) under 98/NQ-CP by quantri", added)
	}
	if revised == nil || len(revised.Revisions) != 2 || revised.Revisions[0].Bound != (indicators.Bound{Op: "range", A: 7.5, B: 8}) ||
		revised.Revisions[1].Bound != (indicators.Bound{Op: "range", A: 6.5, B: 7}) || revised.Revisions[1].Act != "15/NQ-CP" ||
		revised.Revisions[1].Effective.Format("2006-01-02") != "2023-03-20" {
		t.Errorf("revised target = %+v, want the original 7,5–8 kept and 6,5–7 from 15/NQ-CP effective 2023-03-20", revised)
	}
	if _, revsAfter, _ := planCounts(t, db); revsAfter != revsBefore+2 {
		t.Errorf("revisions %d → %d, want two more", revsBefore, revsAfter)
	}
	evs, _ := db.AuditEvents(ctx, indicators.AuditFilter{From: time.Now().Add(-time.Minute)})
	byAction := map[string]indicators.AuditEvent{}
	for _, ev := range evs {
		byAction[ev.Action] = ev
	}
	rev, imp := byAction["target.revise"], byAction["planbook.import"]
	if !strings.Contains(rev.Before, `"A":7.5`) || !strings.Contains(rev.After, `"A":6.5`) || rev.FileHash == "" || rev.User != "quantri" {
		t.Errorf("revise event = %+v, want before 7.5, after 6.5, the file hash and the user", rev)
	}
	if byAction["target.create"].After == "" || !strings.Contains(imp.After, "bo-sung.xlsx") || imp.FileHash != rev.FileHash {
		t.Errorf("create event %+v, import event %+v", byAction["target.create"], imp)
	}
	// Importing the same workbook again changes nothing: the rows now match.
	again, err := importers.ImportPlanbook(ctx, db, bytes.NewReader(export(t, db)), "lai.xlsx", true)
	if err != nil || again.New != 0 || again.Changed != 0 {
		t.Errorf("re-import of the export = %+v, %v", again, err)
	}
}

func TestBadWorkbooksAreRefusedCellByCellAndStoreNothing(t *testing.T) {
	t.Parallel()
	db, ctx := store(t)
	good := export(t, db)
	wrongSheet := func() []byte {
		f := excelize.NewFile()
		defer f.Close()
		f.SetCellValue("Sheet1", "A1", "Mã chỉ tiêu")
		f.SetCellValue("Sheet1", "B1", "2025")
		var buf bytes.Buffer
		f.Write(&buf)
		return buf.Bytes()
	}()
	for _, tc := range []struct {
		name string
		data []byte
		want func(f *excelize.File) map[string]string // "Sheet!Cell" → part of the reason
	}{
		{"wrong sheet", wrongSheet, func(*excelize.File) map[string]string {
			return map[string]string{"Sheet1!A1": "không thuộc sổ kế hoạch"}
		}},
		{"bad date and unknown indicator", nil, nil},
		{"missing column", edit(t, good, func(f *excelize.File) {
			f.SetCellValue(indicators.IndicatorsSheet.Name, cell(t, f, indicators.IndicatorsSheet.Name, "Đơn vị tính", 1), "ĐVT")
		}), func(*excelize.File) map[string]string {
			return map[string]string{"Chỉ tiêu!A1": "thiếu cột bắt buộc «Đơn vị tính»"}
		}},
	} {
		data, expect := tc.data, map[string]string{}
		if tc.name == "bad date and unknown indicator" {
			data = edit(t, good, func(f *excelize.File) {
				s := indicators.TargetsSheet.Name
				r := rowOf(t, f, s, "Mã chỉ tiêu", "ECO-01", "Mã kế hoạch", "98-nq-cp-2021-08-30")
				f.SetCellValue(s, cell(t, f, s, "Ngày hiệu lực", r), "31/02/2026")
				expect[s+"!"+cell(t, f, s, "Ngày hiệu lực", r)] = "ngày không hợp lệ"
				n := lastRow(t, f, s) + 1
				for h, v := range map[string]string{"Mã kế hoạch": "98-nq-cp-2021-08-30", "Mã chỉ tiêu": "XYZ-99",
					"Giai đoạn": "2021-2025", "Phạm vi": "old_city", "Mục tiêu như văn bản ghi": "trên 10%"} {
					f.SetCellValue(s, cell(t, f, s, h, n), v)
				}
				expect[s+"!"+cell(t, f, s, "Mã chỉ tiêu", n)] = "không có chỉ tiêu mã \"XYZ-99\""
				// An edit of a stored revision is refused too: revise, never overwrite.
				r2 := rowOf(t, f, s, "Mã chỉ tiêu", "ECO-02", "Mã kế hoạch", "98-nq-cp-2021-08-30")
				f.SetCellValue(s, cell(t, f, s, "Cận A", r2), 6000)
				expect[s+"!"+cell(t, f, s, "Cận A", r2)] = "không được sửa"
				// A new plan that is fine on its own is not stored either.
				p := indicators.PlansSheet.Name
				m := lastRow(t, f, p) + 1
				f.SetCellValue(p, cell(t, f, p, "Số hiệu", m), "3108/QĐ-UBND")
				f.SetCellValue(p, cell(t, f, p, "Ngày ban hành", m), "2025-12-30")
				f.SetCellValue(p, cell(t, f, p, "Tên (tiếng Việt)", m), "Kế hoạch phát triển kinh tế - xã hội 2026")
			})
		} else {
			f, _ := excelize.OpenReader(bytes.NewReader(data))
			expect = tc.want(f)
			f.Close()
		}
		targets, revs, events := planCounts(t, db)
		plans, _ := db.Plans(ctx)
		p, err := importers.ImportPlanbook(ctx, db, bytes.NewReader(data), tc.name+".xlsx", true)
		if indicators.ErrorCode(err) != indicators.EINVALID || p.Committed {
			t.Errorf("%s: err = %v, committed %v; want refused", tc.name, err, p.Committed)
		}
		got := map[string]string{}
		for _, e := range p.Errors {
			got[e.Sheet+"!"+e.Cell] = e.Reason
		}
		for where, reason := range expect {
			if !strings.Contains(got[where], reason) {
				t.Errorf("%s: error at %s = %q, want one saying %q (all: %v)", tc.name, where, got[where], reason, p.Errors)
			}
		}
		if len(got) != len(expect) || p.Rejected != len(expect) {
			t.Errorf("%s: %d errors, %d rejected rows, want %d: %v", tc.name, len(got), p.Rejected, len(expect), p.Errors)
		}
		t2, r2, e2 := planCounts(t, db)
		plans2, _ := db.Plans(ctx)
		if t2 != targets || r2 != revs || e2 != events || len(plans2) != len(plans) {
			t.Errorf("%s: stored %d→%d targets, %d→%d revisions, %d→%d events, %d→%d plans; want nothing",
				tc.name, targets, t2, revs, r2, events, e2, len(plans), len(plans2))
		}
	}
}

func TestNotAWorkbook(t *testing.T) {
	t.Parallel()
	db, ctx := store(t)
	for _, tc := range []struct {
		name, data, want string
	}{
		{"legacy.xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", ".xlsx"},
		{"notes.txt", "Mã chỉ tiêu;ECO-01", "không phải sổ làm việc Excel"},
		{"broken.xlsx", "PK\x03\x04 not really a zip", "hỏng"},
	} {
		_, err := importers.ImportPlanbook(ctx, db, strings.NewReader(tc.data), tc.name, true)
		if indicators.ErrorCode(err) != indicators.EINVALID || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want invalid saying %q", tc.name, err, tc.want)
		}
	}
}

// The comparison itself is pure: a workbook's rows against a catalogue.
func TestDiffPlanbookIsPure(t *testing.T) {
	t.Parallel()
	day := func(s string) time.Time { d, _ := indicators.ParseDate("d", s); return d }
	plan := indicators.Plan{ID: "kh-2026", Code: "1/KH", Issued: day("2026-01-05"), TitleVI: "Kế hoạch 2026"}
	cur := &indicators.Catalog{
		Plans:  []indicators.Plan{plan},
		Groups: []indicators.TaskGroup{{Plan: "kh-2026", Number: 0, NameVI: "Chung"}},
		Indicators: []indicators.Indicator{{Code: "ECO-16", NameVI: "Quy mô GRDP", Unit: "tỷ đồng", Direction: indicators.Up,
			Measure: indicators.Level, Rollup: indicators.RollupSum, Frequency: indicators.Yearly}},
		Targets: []indicators.Target{{ID: 1, Plan: "kh-2026", Indicator: "ECO-16", Period: indicators.YearRange{From: 2026, To: 2026},
			Scope: "merged_city", TargetRevision: indicators.TargetRevision{Kind: indicators.LevelTarget,
				Bound: indicators.Bound{Op: ">=", A: 150000}, Text: "150 nghìn tỷ đồng", Act: "1/KH", ActDate: day("2026-01-05"),
				Effective: day("2026-01-05")}}},
	}
	cur.Targets[0].Revisions = []indicators.TargetRevision{cur.Targets[0].TargetRevision}
	key := map[string]string{"plan": "kh-2026", "indicator": "ECO-16", "scope": "merged_city", "group": "0"}
	row := func(n int, extra map[string]string) importers.BookRow {
		rec := map[string]string{}
		for k, v := range key {
			rec[k] = v
		}
		for k, v := range extra {
			rec[k] = v
		}
		return importers.BookRow{Sheet: indicators.TargetsSheet.Name, Num: n, Record: rec}
	}
	book := &importers.Planbook{Sheets: map[string][]importers.BookRow{indicators.TargetsSheet.Name: {
		row(2, indicators.RevisionRecord(cur.Targets[0], cur.Targets[0].TargetRevision)),
		row(3, map[string]string{"period": "2026-2026", "text": "khoảng 160 nghìn tỷ đồng", "act": "2/KH",
			"act_date": "2026-06-01", "effective": "2026-07-01", "reason": "điều chỉnh giữa năm"}),
		row(4, map[string]string{"period": "2027-2027", "text": "Ít nhất 175 nghìn tỷ đồng"}),
		row(5, map[string]string{"period": "2028-2028", "text": "tăng trưởng cao"}),
	}}}
	p := importers.DiffPlanbook(book, cur)
	// A text the parser cannot read is refused at its row until the bound
	// is entered by hand (or marked not quantified).
	if len(p.Errors) != 1 || p.Unchanged != 1 || p.New != 2 || len(p.Changes) != 2 || p.Errors[0].Cell != "A5" ||
		!strings.Contains(p.Errors[0].Reason, "không đọc được") || !strings.Contains(p.Errors[0].Reason, "bằng tay") ||
		!strings.Contains(p.Errors[0].ReasonIn("en"), "by hand") {
		t.Fatalf("preview = %+v", p)
	}
	// The preview shows the reading beside the text.
	if f := p.Changes[1].Fields; len(f) != 2 || f[0].After != "Ít nhất 175 nghìn tỷ đồng" || !strings.Contains(f[1].After, "≥ 175") ||
		!strings.Contains(f[1].After, "ít nhất") {
		t.Errorf("preview fields of a new target = %+v; want the text and its reading", f)
	}
	book.Sheets[indicators.TargetsSheet.Name][3].Record["op"] = indicators.OpNoneText
	p = importers.DiffPlanbook(book, cur)
	if len(p.Errors) != 0 || p.Unchanged != 1 || p.New != 3 || len(p.Changes) != 3 {
		t.Fatalf("preview = %+v", p)
	}
	rev, add, unread := p.Changes[0], p.Changes[1], p.Changes[2]
	if rev.Action != indicators.Revise || rev.Target.Bound != (indicators.Bound{Op: "about", A: 160000}) || rev.Target.Seq != 1 {
		t.Errorf("revision = %+v %+v", rev, rev.Target.TargetRevision)
	}
	if add.Action != indicators.Create || add.Target.Act != "1/KH" || add.Target.Effective != day("2026-01-05") ||
		add.Target.Bound != (indicators.Bound{Op: ">=", A: 175000}) {
		t.Errorf("new target = %+v %+v, want >= 175000 under 1/KH from 2026-01-05", add, add.Target.TargetRevision)
	}
	if unread.Target.Bound.Op != indicators.OpNone || unread.Target.Text != "tăng trưởng cao" {
		t.Errorf("a text the parser cannot read stays as written with no bound: %+v", unread.Target.TargetRevision)
	}
	// A row that edits the stored original is refused at its cell.
	book.Sheets[indicators.TargetsSheet.Name][0].Record["a"] = "140000"
	p = importers.DiffPlanbook(book, cur)
	if len(p.Errors) != 1 || p.Errors[0].Cell != "A2" || !strings.Contains(p.Errors[0].Reason, "không được sửa") ||
		!strings.Contains(p.Errors[0].ReasonIn("en"), "may not be edited") {
		t.Errorf("edit of a stored revision: errors = %+v", p.Errors)
	}
}

// New items that refer to other new items of the same workbook are
// applied after them, whatever the row order; unknown references are
// refused at their cells.
func TestDiffPlanbookOrdersReferencesAndRefusesUnknownOnes(t *testing.T) {
	t.Parallel()
	r := func(sheet indicators.Sheet, n int, rec map[string]string) importers.BookRow {
		return importers.BookRow{Sheet: sheet.Name, Num: n, Record: rec}
	}
	ind := func(code, weight, agency string) map[string]string {
		return map[string]string{"code": code, "name_vi": "Chỉ tiêu " + code, "unit": "%", "decimals": "1", "direction": "up",
			"measure": "share", "rollup": "weighted_mean", "weight_by": weight, "lead_agency": agency, "frequency": "year", "group": "0"}
	}
	book := &importers.Planbook{Sheets: map[string][]importers.BookRow{
		indicators.PlansSheet.Name: {
			r(indicators.PlansSheet, 2, map[string]string{"code": "2/KH", "issued": "2026-02-01", "title_vi": "Kế hoạch con", "parent": "1-kh-2026-01-05"}),
			r(indicators.PlansSheet, 3, map[string]string{"code": "1/KH", "issued": "2026-01-05", "title_vi": "Kế hoạch mẹ"}),
			r(indicators.PlansSheet, 4, map[string]string{"code": "3/KH", "issued": "2026-03-01", "title_vi": "Mồ côi", "parent": "khong-co"}),
		},
		indicators.GroupsSheet.Name: {r(indicators.GroupsSheet, 2, map[string]string{"plan": "1-kh-2026-01-05", "number": "0", "name_vi": "Chung"})},
		indicators.UnitsSheet.Name:  {r(indicators.UnitsSheet, 2, map[string]string{"code": "STC", "name_vi": "Sở Tài chính", "kind": "agency"})},
		indicators.IndicatorsSheet.Name: {
			r(indicators.IndicatorsSheet, 2, ind("ECO-51", "ECO-52", "STC")),
			r(indicators.IndicatorsSheet, 3, ind("ECO-52", "ECO-53", "")),
			r(indicators.IndicatorsSheet, 4, ind("ECO-53", "", "SXX")),
		},
	}}
	book.Sheets[indicators.IndicatorsSheet.Name][2].Record["rollup"] = "sum"
	p := importers.DiffPlanbook(book, &indicators.Catalog{})
	var order []string
	for _, c := range p.Changes {
		order = append(order, c.Key)
	}
	got := strings.Join(order, " ")
	if got != "1-kh-2026-01-05 2-kh-2026-02-01 1-kh-2026-01-05/0 STC" {
		t.Errorf("changes = %s; want the parent plan first, then its child, the group and the unit; "+
			"the indicators refused", got)
	}
	want := map[string]string{"Kế hoạch!A4": "không có kế hoạch cha", "Chỉ tiêu!A4": "không có cơ quan mã \"SXX\"",
		"Chỉ tiêu!A3": "không có chỉ tiêu trọng số \"ECO-53\""}
	errs := map[string]string{}
	for _, e := range p.Errors {
		errs[e.Sheet+"!"+e.Cell] = e.Reason
	}
	for where, reason := range want {
		if !strings.Contains(errs[where], reason) {
			t.Errorf("error at %s = %q, want %q (all %v)", where, errs[where], reason, p.Errors)
		}
	}
}

func TestWorkbookUpdatesShowTheirFields(t *testing.T) {
	t.Parallel()
	db, ctx := store(t)
	data := edit(t, export(t, db), func(f *excelize.File) {
		p := indicators.PlansSheet.Name
		f.SetCellValue(p, cell(t, f, p, "Tên (tiếng Anh)", rowOf(t, f, p, "Số hiệu", "98/NQ-CP")), "Action programme for Resolution 59")
		k := indicators.TasksSheet.Name
		f.SetCellValue(k, cell(t, f, k, "Tỷ lệ hoàn thành (%)", rowOf(t, f, k, "Mã nhiệm vụ", "G1-T02")), "12,5")
	})
	p, err := importers.ImportPlanbook(ctx, db, bytes.NewReader(data), "sua.xlsx", true)
	if err != nil || p.Changed != 2 || p.New != 0 || !p.Committed {
		t.Fatalf("preview = %+v, %v", p, err)
	}
	got := map[string]indicators.FieldChange{}
	for _, c := range p.Changes {
		if len(c.Fields) != 1 {
			t.Errorf("%s %s changes %+v, want one field", c.Object, c.Key, c.Fields)
			continue
		}
		got[c.Key] = c.Fields[0]
	}
	if f := got["98-nq-cp-2021-08-30"]; f.Field != "Tên (tiếng Anh)" || f.After != "Action programme for Resolution 59" || f.Before == "" {
		t.Errorf("plan change = %+v", f)
	}
	if f := got["G1-T02"]; f.Field != "Tỷ lệ hoàn thành (%)" || f.Before != "" || f.After != "12.5" {
		t.Errorf("task change = %+v", f)
	}
	task, _ := db.Task(ctx, "G1-T02")
	plan, _ := db.Plan(ctx, "98-nq-cp-2021-08-30")
	if task.Percent == nil || *task.Percent != 12.5 || plan.TitleEN != "Action programme for Resolution 59" {
		t.Errorf("stored task %+v, plan %+v", task, plan)
	}
	evs, _ := db.AuditEvents(ctx, indicators.AuditFilter{Action: "plan.update"})
	if len(evs) != 1 || !strings.Contains(evs[0].Before, "Government Resolution") || !strings.Contains(evs[0].After, "Action programme") {
		t.Errorf("plan.update events = %+v", evs)
	}
}

// TestWorkbookNumberCellsAreReadByTheOneParser: a number typed as text in
// the workbook is read in Vietnamese style by indicators.ParseNumber, as
// every importer reads it: "6.200" is six thousand two hundred, and "7.5",
// which the old reader took for seven and a half, is refused at its cell.
func TestWorkbookNumberCellsAreReadByTheOneParser(t *testing.T) {
	t.Parallel()
	db, ctx := store(t)
	s := indicators.TargetsSheet.Name
	var grouped, bad string
	data := edit(t, export(t, db), func(f *excelize.File) {
		col := cell(t, f, s, "Cận A", 1)
		col = strings.TrimRight(col, "0123456789")
		for n, last := 2, lastRow(t, f, s); n <= last; n++ {
			raw, err := f.GetCellValue(s, col+strconv.Itoa(n), excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			x, err := strconv.Atoi(raw)
			switch {
			case err != nil:
			case grouped == "" && x >= 1000 && x < 1000000:
				// A stored bound written again as text in Vietnamese style:
				// the same number, so nothing changes and nothing is refused.
				grouped = col + strconv.Itoa(n)
				f.SetCellStr(s, grouped, strconv.Itoa(x/1000)+"."+fmt.Sprintf("%03d", x%1000))
			case bad == "" && x < 1000:
				bad = col + strconv.Itoa(n)
				f.SetCellStr(s, bad, "7.5")
			}
		}
	})
	if grouped == "" || bad == "" {
		t.Fatalf("the catalogue has no target bound to rewrite (grouped %q, bad %q)", grouped, bad)
	}
	p, err := importers.ImportPlanbook(ctx, db, bytes.NewReader(data), "so.xlsx", false)
	if indicators.ErrorCode(err) != indicators.EINVALID {
		t.Fatalf("ImportPlanbook error = %v, want EINVALID for the cell %s", err, bad)
	}
	if len(p.Errors) != 1 || p.Errors[0].Sheet != s || p.Errors[0].Cell != bad || !strings.Contains(p.Errors[0].Reason, "kiểu Việt Nam") ||
		p.Errors[0].ReasonEN == "" || p.Errors[0].ReasonEN == p.Errors[0].Reason {
		t.Errorf("errors = %+v; want one at %s!%s saying the text is not in Vietnamese style (and none at %s)", p.Errors, s, bad, grouped)
	}
}

// A target of every kind and bound — relative with its base year, points a
// year, strict bounds, an about-bound with its own tolerance, not
// quantified — and a unit's share of a city target leave the plan workbook
// as they went in: export, then import, reports no change.
func TestEveryKindAndAUnitShareRoundTrip(t *testing.T) {
	db, ctx := store(t)
	cat, err := indicators.ReadCatalog(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	base := cat.Targets[0]
	var unit indicators.Unit
	for _, u := range cat.Units {
		if u.Kind != indicators.City && u.Kind != indicators.Agency && u.Scope == base.Scope {
			unit = u
			break
		}
	}
	if unit.Code == "" {
		t.Fatalf("the catalogue has no unit in scope %s", base.Scope)
	}
	admin := indicators.WithActor(ctx, indicators.Actor{User: "admin", Role: indicators.Admin})
	revs := []indicators.TargetRevision{
		{Kind: indicators.LevelTarget, Bound: indicators.Bound{Op: indicators.OpAbove, A: 95}, Text: "trên 95%"},
		{Kind: indicators.LevelTarget, Bound: indicators.Bound{Op: indicators.OpBelow, A: 0.5}, Text: "dưới 0,5%"},
		{Kind: indicators.LevelTarget, Bound: indicators.Bound{Op: indicators.OpAbout, A: 215}, Tolerance: 0.1, Text: "khoảng 215"},
		{Kind: indicators.RelativeTarget, Bound: indicators.Bound{Op: indicators.OpAtMost, A: 0.7}, BaseYear: 2020,
			Direction: indicators.Down, Text: "giảm 30% so với năm 2020"},
		{Kind: indicators.AvgGrowthTarget, Bound: indicators.Bound{Op: indicators.OpRange, A: 7.5, B: 8}, Text: "bình quân 7,5–8%/năm"},
		{Kind: indicators.AvgChangeTarget, Bound: indicators.Bound{Op: indicators.OpAtLeast, A: 1}, Direction: indicators.Down,
			Text: "tỷ lệ hộ nghèo giảm bình quân 1%/năm"},
		{Kind: indicators.AverageTarget, Bound: indicators.Bound{Op: indicators.OpAtLeast, A: 30}, Text: "bình quân giai đoạn đạt 30%"},
		{Kind: indicators.AnnualTarget, Bound: indicators.Bound{Op: indicators.OpAtLeast, A: 100}, Text: "hằng năm đạt 100%"},
		{Kind: indicators.CumulativeTarget, Bound: indicators.Bound{Op: indicators.OpAtLeast, A: 1200000}, Text: "5 năm đạt 1.200.000 tỷ đồng"},
		{Kind: indicators.LevelTarget, Text: "đạt và vượt dự toán Trung ương giao"},
	}
	for i, r := range revs {
		tg := indicators.Target{Plan: base.Plan, Indicator: base.Indicator, Scope: base.Scope, Group: base.Group,
			Period: indicators.YearRange{From: 2101 + i, To: 2105 + i}, TargetRevision: r}
		if err := db.CreateTarget(admin, &tg); err != nil {
			t.Fatalf("%s: %v", r.Text, err)
		}
	}
	milestone := indicators.Target{Plan: base.Plan, Indicator: base.Indicator, Scope: base.Scope, Group: base.Group,
		Period: indicators.YearRange{From: 2120, To: 2125}, Task: cat.Tasks[0].Code,
		TargetRevision: indicators.TargetRevision{Kind: indicators.MilestoneTarget, Text: "hoàn thành"}}
	share := indicators.Target{Plan: base.Plan, Indicator: base.Indicator, Scope: base.Scope, Group: base.Group,
		Period: base.Period, Unit: unit.Code, TargetRevision: indicators.TargetRevision{Kind: indicators.LevelTarget,
			Bound: indicators.Bound{Op: indicators.OpAtLeast, A: 12}, Text: "12%"}}
	for _, tg := range []*indicators.Target{&milestone, &share} {
		if err := db.CreateTarget(admin, tg); err != nil {
			t.Fatalf("%s: %v", tg.Text, err)
		}
	}
	p, err := importers.ImportPlanbook(ctx, db, bytes.NewReader(export(t, db)), "moi-loai.xlsx", true)
	if err != nil {
		t.Fatalf("import: %v; errors %v", err, p.Errors)
	}
	if p.New != 0 || p.Changed != 0 || p.Rejected != 0 || len(p.Changes) != 0 {
		t.Errorf("round trip: new %d, changed %d, rejected %d, changes %+v, errors %v", p.New, p.Changed, p.Rejected, p.Changes, p.Errors)
	}
	// The share came back as the unit's, beside the city's target.
	unitCode := unit.Code
	ts, err := db.Targets(ctx, indicators.TargetFilter{Plan: base.Plan, Indicator: base.Indicator, Unit: &unitCode})
	if err != nil || len(ts) != 1 || ts[0].Bound.A != 12 {
		t.Errorf("unit share after the round trip: %+v, %v", ts, err)
	}
}

// A new row's base year, tolerance and unit come from its cells; a text
// read as relative fills the base year itself; an unknown unit is refused
// at its cell.
func TestWorkbookReadsBaseYearToleranceAndUnit(t *testing.T) {
	plan := indicators.Plan{ID: "kh", Code: "1/KH", TitleVI: "Kế hoạch"}
	cur := &indicators.Catalog{
		Plans:  []indicators.Plan{plan},
		Groups: []indicators.TaskGroup{{Plan: "kh", Number: 0, NameVI: "Chung"}},
		Units:  []indicators.Unit{{Code: "X01", NameVI: "Xã Một", Kind: indicators.Commune, Scope: indicators.MergedCity}},
		Indicators: []indicators.Indicator{{Code: "SOC-04", NameVI: "Tỷ lệ hộ nghèo", Unit: "%", Direction: indicators.Down,
			Measure: indicators.Rate, Rollup: indicators.RollupNone, Frequency: indicators.Yearly}},
	}
	row := func(n int, rec map[string]string) importers.BookRow {
		base := map[string]string{"plan": "kh", "indicator": "SOC-04", "scope": "merged_city", "period": "2026-2030", "group": "0"}
		for k, v := range rec {
			base[k] = v
		}
		return importers.BookRow{Sheet: indicators.TargetsSheet.Name, Num: n, Record: base}
	}
	book := &importers.Planbook{Sheets: map[string][]importers.BookRow{indicators.TargetsSheet.Name: {
		row(2, map[string]string{"text": "giảm 30% so với năm 2020"}),
		row(3, map[string]string{"unit": "X01", "text": "khoảng 0,5%", "tolerance": "0.1"}),
		row(4, map[string]string{"unit": "X99", "text": "dưới 1%"}),
		row(5, map[string]string{"period": "2031-2035", "kind": "relative", "op": "<=", "a": "0.5", "base_year": "2025", "text": "gấp 2 lần"}),
	}}}
	p := importers.DiffPlanbook(book, cur)
	if len(p.Errors) != 1 || !strings.Contains(p.Errors[0].Reason, "X99") || !strings.Contains(p.Errors[0].ReasonEN, `there is no unit "X99"`) ||
		len(p.Changes) != 3 {
		t.Fatalf("preview = %+v", p)
	}
	rel, share, byHand := p.Changes[0].Target, p.Changes[1].Target, p.Changes[2].Target
	if rel.Kind != indicators.RelativeTarget || rel.BaseYear != 2020 || rel.Bound != (indicators.Bound{Op: "<=", A: 0.7}) {
		t.Errorf("relative from its text = %+v", rel.TargetRevision)
	}
	if share.Unit != "X01" || share.Tolerance != 0.1 || share.Bound.Op != indicators.OpAbout {
		t.Errorf("unit share = %+v", share)
	}
	if byHand.BaseYear != 2025 || byHand.Bound.A != 0.5 {
		t.Errorf("bound entered by hand = %+v", byHand.TargetRevision)
	}
}
