package reports

import (
	"html"
	"strconv"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"

	"github.com/xuri/excelize/v2"
)

// Columns of the main table of the 2021–2025 report, and of its annex of
// yearly figures.
const (
	colSTT, colName, colUnit, colTarget, colBase = 1, 2, 3, 4, 5
	colPlanYear                                  = 6 // the reporting year's plan (KH)
	colResultYear                                = 7
	colVerdict                                   = 8
	colLatest                                    = 9
	colAchieved                                  = 10
	colStatus                                    = 11
	colRequired                                  = 12
	colExplain                                   = 13

	annexKind   = 4 // result or plan line
	annexBase   = 5
	annexYear0  = 6 // 2021
	annexSource = 11
)

// expectedYears gives, from the store, the value a year column of a
// target must show as of asOf: the city's official value of the target's
// territory, else its estimate, the newest of each known at that moment.
func expectedYears(t *testing.T, fx *fixture, ind string, asOf time.Time) map[int]indicators.Value {
	t.Helper()
	vs, err := fx.db.Values(fx.ctx, indicators.ValueFilter{Indicator: ind, Units: []string{"CT-CU"}, EnteredBy: asOf})
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]indicators.Value{}
	for _, v := range vs {
		if v.Superseded || v.Type == indicators.PlanValue {
			continue
		}
		if w, ok := out[v.Period.Year]; ok && w.Type == indicators.OfficialValue {
			continue
		}
		out[v.Period.Year] = v
	}
	return out
}

// checkTable compares every target row of the table with the store and
// the tracker as of asOf.
func checkTable(t *testing.T, fx *fixture, path string, asOf time.Time, lang string) [][]string {
	t.Helper()
	f := book(t, path)
	sheet := map[string]string{"vi": "Tiến độ", "en": "Progress"}[lang]
	rows := rawRows(t, f, sheet)
	annex := rawRows(t, f, map[string]string{"vi": "Số liệu các năm", "en": "Yearly figures"}[lang])
	tps, err := indicators.Tracker{Store: fx.db}.Targets(fx.ctx, testPlanID(), &period, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if len(tps) != 3 {
		t.Fatalf("tracker gives %d targets, want 3", len(tps))
	}
	for _, tp := range tps {
		code := tp.Target.Indicator
		i := findRow(rows, colName, "("+code+", "+testPlan.Code+")")
		if i < 0 {
			t.Fatalf("%s: no row for %s", path, code)
		}
		row := rows[i]
		j := findRow(annex, colName, "("+code+", "+testPlan.Code+")")
		if j < 0 {
			t.Fatalf("%s: no annex row for %s", path, code)
		}
		want := expectedYears(t, fx, code, asOf)
		for y := period.From; y <= period.To; y++ {
			got := at(annex[j], annexYear0+y-period.From)
			w := ""
			if v, ok := want[y]; ok {
				w = strconv.FormatFloat(v.Value, 'f', -1, 64)
			}
			if got != w {
				t.Errorf("%s %d: cell %q, store %q", code, y, got, w)
			}
		}
		if v, ok := want[period.BaseYear()]; ok && (at(row, colBase) != strconv.FormatFloat(v.Value, 'f', -1, 64) ||
			at(annex[j], annexBase) != at(row, colBase)) {
			t.Errorf("%s baseline: cell %q, annex %q, store %v", code, at(row, colBase), at(annex[j], annexBase), v.Value)
		}
		y := min(max(asOf.In(indicators.Vietnam).Year(), period.From), period.To)
		w := ""
		if v, ok := want[y]; ok {
			w = strconv.FormatFloat(v.Value, 'f', -1, 64)
		}
		if got := at(row, colResultYear); got != w {
			t.Errorf("%s result of %d: cell %q, store %q", code, y, got, w)
		}
		if got, w := at(row, colStatus), tp.Progress.Status.Label(lang); got != w {
			t.Errorf("%s status: cell %q, tracker %q", code, got, w)
		}
		if got, w := at(row, colTarget), tp.Target.Text; got != w {
			t.Errorf("%s target: cell %q, in force %q", code, got, w)
		}
		explain := tp.Progress.ExplanationVI
		if lang == "en" {
			explain = tp.Progress.ExplanationEN
		}
		if got := at(row, colExplain); got != explain {
			t.Errorf("%s explanation: cell %q, tracker %q", code, got, explain)
		}
		if tp.Progress.SoFar != nil {
			got, err := strconv.ParseFloat(at(row, colLatest), 64)
			if err != nil || abs(got-*tp.Progress.SoFar) > 1e-6 {
				t.Errorf("%s latest: cell %q, tracker %v", code, at(row, colLatest), *tp.Progress.SoFar)
			}
		}
	}
	return rows
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestProgressTableMatchesTheStore(t *testing.T) {
	fx := newFixture(t)
	fx.clock.at("2026-02-01")
	for _, lang := range []string{"vi", "en"} {
		path := fx.progress(time.Time{}, lang)
		rows := checkTable(t, fx, path, fx.clock.now(), lang)
		// Groups carry Roman numerals (the overall group none), targets
		// are numbered within their group.
		for _, tc := range []struct {
			col  int
			text string
			stt  string
		}{
			{colName, map[string]string{"vi": "Mục tiêu tổng quát", "en": "Overall targets"}[lang], ""},
			{colName, map[string]string{"vi": "Kinh tế", "en": "Economy"}[lang], "I"},
			{colName, map[string]string{"vi": "Xã hội", "en": "Society"}[lang], "II"},
		} {
			i := findRow(rows, tc.col, tc.text)
			if i < 0 || at(rows[i], colSTT) != tc.stt {
				t.Errorf("%s: group %q at row %d with STT %q, want %q", lang, tc.text, i+1, at(rows[max(i, 0)], colSTT), tc.stt)
			}
		}
		eco1 := rows[findRow(rows, colName, "(ECO-01,")]
		soc1 := rows[findRow(rows, colName, "(SOC-01,")]
		if at(eco1, colSTT) != "1" || at(soc1, colSTT) != "1" {
			t.Errorf("%s: STT of ECO-01 %q, of SOC-01 %q; want 1 each", lang, at(eco1, colSTT), at(soc1, colSTT))
		}
		// The district's 2024 figure (6.0) is not the city's.
		annex := rawRows(t, book(t, path), map[string]string{"vi": "Số liệu các năm", "en": "Yearly figures"}[lang])
		a := findRow(annex, colName, "(ECO-01,")
		if at(annex[a], annexYear0+3) != "7.12" {
			t.Errorf("%s: ECO-01 2024 = %q, want the city's 7.12", lang, at(annex[a], annexYear0+3))
		}
		// The plan line under it: 2024's plan of 7,5–8, a range as text.
		if plan := annex[a+1]; at(plan, annexKind) != map[string]string{"vi": "Kế hoạch (KH)", "en": "Plan"}[lang] ||
			at(plan, annexYear0+3) != map[string]string{"vi": "7,5–8", "en": "7.5–8"}[lang] || at(plan, colName) != "" {
			t.Errorf("%s: ECO-01 plan line = %q, want the 2024 plan 7,5–8", lang, plan)
		}
		// The main table reports on 2026's moment year clamped to the
		// period, 2025: no plan for 2025, so no verdict.
		if at(eco1, colVerdict) != "" || at(eco1, colPlanYear) != "" || at(eco1, colResultYear) != "8" {
			t.Errorf("%s: ECO-01 2025 plan %q, result %q, verdict %q; want none, 8, none", lang,
				at(eco1, colPlanYear), at(eco1, colResultYear), at(eco1, colVerdict))
		}
		// Achievement of the average growth so far against 7.5.
		so, _ := strconv.ParseFloat(at(eco1, colLatest), 64)
		ach, _ := strconv.ParseFloat(at(eco1, colAchieved), 64)
		if abs(ach-100*so/7.5) > 1e-4 {
			t.Errorf("%s: ECO-01 achievement %v, want %v", lang, ach, 100*so/7.5)
		}
	}
}

// A report as of a past day shows the value that stood then, not the one
// that superseded it later, and the target before its later revision; two
// reports as of that day made on different days share their content hash.
func TestProgressAsOfPastDay(t *testing.T) {
	fx := newFixture(t)
	d := indicators.EndOfDay(day("2026-02-15"))
	fx.clock.at("2026-02-20")
	first := fx.progress(d, "vi")

	fx.clock.at("2026-03-01")
	fx.add(indicators.Value{Key: key("ECO-01", "CT-CU", 2024, indicators.OfficialValue), Value: 7.5, Note: "số liệu điều chỉnh"})
	eco2 := fx.target("ECO-02")
	if err := fx.db.ReviseTarget(fx.ctx, eco2.ID, indicators.TargetRevision{Kind: indicators.LevelTarget,
		Bound: indicators.Bound{Op: indicators.OpAtLeast, A: 7000}, Text: "7.000 USD", Act: "02/NQ-TEST", ActDate: day("2026-02-25"),
		Effective: day("2026-03-01"), Reason: "điều chỉnh"}); err != nil {
		t.Fatal(err)
	}
	fx.clock.at("2026-04-01")
	again := fx.progress(d, "vi")
	now := fx.progress(time.Time{}, "vi")

	for _, path := range []string{first, again} {
		rows := checkTable(t, fx, path, d, "vi")
		annex := rawRows(t, book(t, path), "Số liệu các năm")
		if got := at(annex[findRow(annex, colName, "(ECO-01,")], annexYear0+3); got != "7.12" {
			t.Errorf("as of 15 Feb, ECO-01 2024 = %q, want 7.12 (superseded on 1 March)", got)
		}
		if got := at(rows[findRow(rows, colName, "(ECO-02,")], colTarget); got != "6.200 USD" {
			t.Errorf("as of 15 Feb, ECO-02 target = %q, want the original 6.200 USD", got)
		}
	}
	rows := checkTable(t, fx, now, fx.clock.now(), "vi")
	annex := rawRows(t, book(t, now), "Số liệu các năm")
	if got := at(annex[findRow(annex, colName, "(ECO-01,")], annexYear0+3); got != "7.5" {
		t.Errorf("now, ECO-01 2024 = %q, want 7.5", got)
	}
	if got := at(rows[findRow(rows, colName, "(ECO-02,")], colTarget); got != "7.000 USD" {
		t.Errorf("now, ECO-02 target = %q, want the revised 7.000 USD", got)
	}

	h1, h2, h3 := storedHash(t, first), storedHash(t, again), storedHash(t, now)
	if h1 == "" || h1 != h2 {
		t.Errorf("two reports as of 15 Feb made on different days: hashes %q and %q, want equal", h1, h2)
	}
	if h3 == h1 {
		t.Errorf("the report as of now has the hash of the one as of 15 Feb: %s", h3)
	}
	// The cover prints the hash, and says when and by whom it was made.
	cover := rawRows(t, book(t, again), "Bìa")
	i := findRow(cover, 1, "Mã kiểm tra nội dung")
	if i < 0 || at(cover[i], 2) != h2 {
		t.Errorf("cover hash row %d = %q, want %s", i+1, at(cover[max(i, 0)], 2), h2)
	}
	if j := findRow(cover, 1, "Lập lúc"); j < 0 || !strings.Contains(at(cover[j], 2), "01/04/2026") {
		t.Errorf("cover does not say it was made on 1 April 2026")
	}
	if j := findRow(cover, 1, "Người lập"); j < 0 || at(cover[j], 2) != "lan" {
		t.Errorf("cover does not name the author lan")
	}
	if j := findRow(cover, 1, "Tính đến"); j < 0 || !strings.Contains(at(cover[j], 2), "15/02/2026") {
		t.Errorf("cover does not give the as-of day 15/02/2026")
	}
	// And the audit chain's head when it was made (nothing is written
	// after the last report), which the heads file beside the database
	// can be held against; outside the content hash, which matched above.
	head, err := fx.db.AuditHead(fx.ctx)
	if err != nil || head.LastID == 0 {
		t.Fatalf("audit head %+v, %v", head, err)
	}
	cover = rawRows(t, book(t, now), "Bìa")
	if j := findRow(cover, 1, "Đầu chuỗi nhật ký kiểm toán"); j < 0 || at(cover[j], 2) != head.String() {
		t.Errorf("cover audit head row = %v, want %q", cover[max(j, 0)], head.String())
	}
}

func storedHash(t *testing.T, path string) string {
	t.Helper()
	props, err := book(t, path).GetCustomProps()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range props {
		if p.Name == propHash {
			s, _ := p.Value.(string)
			return s
		}
	}
	return ""
}

// The rules sheet lists the thresholds in force at the report's moment,
// and the statuses were judged with them.
func TestRulesAreThoseInForceAsOf(t *testing.T) {
	fx := newFixture(t)
	s := indicators.DefaultSettings()
	s.OnTrackRatio = 0.8
	fx.clock.at("2026-03-01")
	if err := fx.db.SaveSettings(fx.ctx, s); err != nil {
		t.Fatal(err)
	}
	fx.clock.at("2026-04-01")
	for _, tc := range []struct {
		asOf time.Time
		want string
	}{
		{indicators.EndOfDay(day("2026-02-15")), "0.95"},
		{time.Time{}, "0.8"},
	} {
		rows := rawRows(t, book(t, fx.progress(tc.asOf, "vi")), "Quy tắc")
		i := findRow(rows, 1, "Ngưỡng đúng tiến độ (R)")
		if i < 0 || at(rows[i], 2) != tc.want {
			t.Errorf("as of %v: on-track ratio %q, want %s", tc.asOf, at(rows[max(i, 0)], 2), tc.want)
		}
	}
}

// The table is set up for reading and printing: frozen heading, A4
// landscape fitted to the width with the heading repeated on every page,
// status colours, estimates marked by their number format.
func TestProgressLayout(t *testing.T) {
	fx := newFixture(t)
	f := book(t, fx.progress(time.Time{}, "vi"))
	const sheet = "Tiến độ"
	if got := f.GetSheetList(); strings.Join(got, "|") != "Bìa|Tiến độ|Số liệu các năm|Biểu đồ|Số liệu biểu đồ|Quy tắc" {
		t.Errorf("sheets = %q", got)
	}
	panes, err := f.GetPanes(sheet)
	// Three rows of the form's header, the title, the report it goes
	// with, two lines of what it covers, then the two heading rows.
	if err != nil || !panes.Freeze || panes.YSplit != 9 || panes.XSplit != 2 {
		t.Errorf("panes = %+v, %v; want the form's header and the heading (9 rows) and 2 columns frozen", panes, err)
	}
	pl, err := f.GetPageLayout(sheet)
	if err != nil || pl.Orientation == nil || *pl.Orientation != "landscape" || pl.Size == nil || *pl.Size != 9 ||
		pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
		t.Errorf("page layout = %+v, %v; want A4 landscape, one page wide", pl, err)
	}
	props, err := f.GetSheetProps(sheet)
	if err != nil || props.FitToPage == nil || !*props.FitToPage {
		t.Errorf("sheet properties = %+v, %v; want fit to page", props, err)
	}
	titles := false
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && dn.Scope == sheet && strings.HasSuffix(dn.RefersTo, "!$8:$9") {
			titles = true
		}
	}
	if !titles {
		t.Errorf("no print titles $8:$9 on %s: %+v", sheet, f.GetDefinedName())
	}
	rows := rawRows(t, f, sheet)
	style := func(row, col int) *excelize.Style {
		id, err := f.GetCellStyle(sheet, ref(col, row))
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	eco1 := findRow(rows, colName, "(ECO-01,") + 1
	tps, _ := indicators.Tracker{Store: fx.db}.Targets(fx.ctx, testPlanID(), &period, fx.clock.now())
	for _, tp := range tps {
		r := findRow(rows, colName, "("+tp.Target.Indicator+",") + 1
		st := style(r, colStatus)
		if len(st.Fill.Color) == 0 || st.Fill.Color[0] != statusFill[tp.Progress.Status] {
			t.Errorf("%s status %s filled %v, want %s", tp.Target.Indicator, tp.Progress.Status, st.Fill.Color, statusFill[tp.Progress.Status])
		}
	}
	// 2025 of ECO-01 is an estimate: marked with an asterisk in its format.
	if st := style(eco1, colResultYear); st.CustomNumFmt == nil || !strings.HasSuffix(*st.CustomNumFmt, `"*"`) || !st.Font.Italic {
		t.Errorf("estimate cell style = %+v, want an italic number marked *", st)
	}
	if st := style(eco1, colBase); st.CustomNumFmt == nil || *st.CustomNumFmt != "[$-42A]#,##0.00" {
		t.Errorf("official cell format = %v, want [$-42A]#,##0.00 (two decimals, Vietnamese)", st.CustomNumFmt)
	}
}

// The charts sheet holds native Excel line charts, one per headline target,
// drawn from the chart data sheet, with the target as a line of its own.
func TestChartsAreNativeExcelCharts(t *testing.T) {
	fx := newFixture(t)
	path := fx.progress(time.Time{}, "vi")
	parts := zipParts(t, path)
	var charts []string
	for name := range parts {
		if strings.HasPrefix(name, "xl/charts/chart") && strings.HasSuffix(name, ".xml") {
			charts = append(charts, name)
		}
	}
	// ECO-01 and ECO-02 are the overall group's targets.
	if len(charts) != 2 {
		t.Fatalf("chart parts = %v, want 2", charts)
	}
	for _, name := range charts {
		x := html.UnescapeString(parts[name])
		for _, want := range []string{"<lineChart>", "<f>'Số liệu biểu đồ'!$B$1:$K$1</f>", `<a:prstDash val="dash"`} {
			if !strings.Contains(x, want) {
				t.Errorf("%s lacks %s", name, want)
			}
		}
		if n := strings.Count(x, "<ser>"); n < 2 {
			t.Errorf("%s has %d series, want the history and the target", name, n)
		}
	}
	if !strings.Contains(parts["[Content_Types].xml"], "drawingml.chart+xml") {
		t.Error("content types do not declare the charts")
	}
	// The target line of ECO-02 (≥ 6 200) runs over the period's years.
	rows := rawRows(t, book(t, path), "Số liệu biểu đồ")
	i := findRow(rows, 1, "ECO-02 · 01/NQ-TEST · mục tiêu")
	if i < 0 {
		t.Fatalf("no target line for ECO-02: %q", rows)
	}
	for c := 2; c <= 11; c++ {
		year := 2016 + c - 2
		want := ""
		if period.Contains(year) {
			want = "6200"
		}
		if got := at(rows[i], c); got != want {
			t.Errorf("ECO-02 target line %d = %q, want %q", year, got, want)
		}
	}
	hist := findRow(rows, 1, "ECO-02 · 01/NQ-TEST · thực hiện")
	if got := at(rows[hist], 2+2024-2016); got != "5400" {
		t.Errorf("ECO-02 history 2024 = %q, want 5400", got)
	}
}

func TestProgressRefusesBadRequests(t *testing.T) {
	fx := newFixture(t)
	for _, tc := range []struct {
		req  ProgressRequest
		code string
	}{
		{ProgressRequest{Plan: "9/NQ-XX", Period: period}, indicators.ENOTFOUND},
		{ProgressRequest{Plan: testPlan.Code, Period: indicators.YearRange{From: 2025, To: 2021}}, indicators.EINVALID},
		{ProgressRequest{Plan: testPlan.Code, Period: period, Lang: "fr"}, indicators.EINVALID},
	} {
		if _, err := fx.b.Progress(fx.ctx, tc.req); indicators.ErrorCode(err) != tc.code {
			t.Errorf("Progress(%+v) = %v, want %s", tc.req, err, tc.code)
		}
	}
	if left := leftovers(t, fx.b.TempDir); len(left) > 0 {
		t.Errorf("refused requests left %v behind", left)
	}
}

// The main table is the official annex form: the fields given for it
// appear in their cells, as text even when they look like formulas; the
// fields left out print as dots to fill in by hand.
func TestProgressAnnexForm(t *testing.T) {
	fx := newFixture(t)
	fx.clock.at("2026-02-01")
	form := Form{Number: "01/TH", Authority: "UBND THÀNH PHỐ CẦN THƠ", Unit: "=SỞ TÀI CHÍNH", ReportRef: "125/BC-STC ngày 20/01/2026",
		Place: "Cần Thơ", Date: "2026-01-20", Preparer: "Nguyễn Văn A", Head: "@Trần Thị B", Year: 2024}
	path := fx.save(fx.b.Progress(fx.ctx, ProgressRequest{Plan: testPlan.Code, Period: period, Lang: "vi", Form: form}))
	f := book(t, path)
	rows := rawRows(t, f, "Tiến độ")
	for _, tc := range []struct{ cell, want string }{
		{"A1", "UBND THÀNH PHỐ CẦN THƠ"},
		{"H1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"},
		{"A2", "=SỞ TÀI CHÍNH"},
		{"H2", "Độc lập - Tự do - Hạnh phúc"},
		{"A3", "Biểu số: 01/TH"},
		{"A4", "TỔNG HỢP TIẾN ĐỘ THỰC HIỆN CÁC MỤC TIÊU, CHỈ TIÊU"},
		{"A5", "(Kèm theo báo cáo số 125/BC-STC ngày 20/01/2026)"},
		{"F8", "Kế hoạch năm 2024"},
		{"G8", "Thực hiện năm 2024 (* ước)"},
		{"H8", "So với KH năm 2024"},
	} {
		if got, _ := f.GetCellValue("Tiến độ", tc.cell); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.cell, got, tc.want)
		}
	}
	// The year's plan of ECO-01 is 7,5–8 and its result 7,12: not met.
	eco1 := rows[findRow(rows, colName, "(ECO-01,")]
	if at(eco1, colPlanYear) != "7,5–8" || at(eco1, colResultYear) != "7.12" || at(eco1, colVerdict) != "không đạt" {
		t.Errorf("ECO-01 2024: plan %q, result %q, verdict %q; want 7,5–8, 7.12, không đạt",
			at(eco1, colPlanYear), at(eco1, colResultYear), at(eco1, colVerdict))
	}
	date := findRow(rows, 8, "Cần Thơ, ngày 20 tháng 01 năm 2026")
	if date < 0 || findRow(rows, colName, "(SOC-01,") > date {
		t.Fatalf("no place and date line under the table: %q", rows)
	}
	if at(rows[date+1], 1) != "NGƯỜI LẬP BIỂU" || at(rows[date+1], 8) != "THỦ TRƯỞNG ĐƠN VỊ" {
		t.Errorf("signature titles = %q", rows[date+1])
	}
	names := rows[len(rows)-1]
	if at(names, 1) != "Nguyễn Văn A" || at(names, 8) != "@Trần Thị B" {
		t.Errorf("signatories = %q, want Nguyễn Văn A and @Trần Thị B", names)
	}
	textCell(t, f, "Tiến độ", "=SỞ TÀI CHÍNH")
	textCell(t, f, "Tiến độ", "@Trần Thị B")
	noFormulas(t, path)
	// The form is part of what the report was asked for: Verify re-creates
	// it, and a report without it has another hash.
	if v, err := fx.b.Verify(fx.ctx, path); err != nil || !v.Matches() || v.Params.Form == nil || *v.Params.Form != form {
		t.Errorf("verify the report with a form: %+v, %v", v, err)
	}
	if plain := fx.progress(time.Time{}, "vi"); storedHash(t, plain) == storedHash(t, path) {
		t.Error("a report without the form has the hash of the one with it")
	}

	// Without the fields: dots to fill in.
	rows = rawRows(t, book(t, fx.progress(time.Time{}, "vi")), "Tiến độ")
	if at(rows[0], 1) != "……" || at(rows[2], 1) != "Biểu số: ……" || at(rows[4], 1) != "(Kèm theo báo cáo số ……)" ||
		findRow(rows, 8, "……, ngày …… tháng …… năm ……") < 0 {
		t.Errorf("empty form = %q", rows[:5])
	}
	for _, bad := range []Form{{Year: 2019}, {Date: "20/13/2026"}, {Head: strings.Repeat("x", 201)}} {
		_, err := fx.b.Progress(fx.ctx, ProgressRequest{Plan: testPlan.Code, Period: period, Form: bad})
		if indicators.ErrorCode(err) != indicators.EINVALID {
			t.Errorf("form %+v: %v, want invalid", bad, err)
		}
	}
}
