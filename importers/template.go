package importers

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"chitieu/indicators"
)

// The template chitieu hands out: a data sheet with indicator codes and
// names locked, a drop-down value type over each year and number-only
// cells below; an instructions sheet; and a hidden sheet saying what the
// template is for, so that a filled template imports with no mapping.
const (
	templateDataSheet = "Số liệu"
	templateHelpSheet = "Hướng dẫn"
	templateMetaSheet = "_chitieu"
	templateMarker    = "chitieu-template"
	templateHeaderRow = 5 // and the value types on the row below
)

var templateColumns = Columns{Code: "Mã chỉ tiêu", Name: "Tên chỉ tiêu", Measure: "Đơn vị tính", Note: "Ghi chú"}

const templateTargetHeader = "Mục tiêu (tham khảo)"

// TemplateRequest says what a template is for.
type TemplateRequest struct {
	Plan   string // plan ID or code
	Period indicators.YearRange
	Unit   string // unit code
	// YearToDate, when set, adds two columns after the years for a report
	// to the People's Council: this year-to-date period ("9 tháng đầu năm
	// 2025") and the same period of the year before, which "so với cùng
	// kỳ" compares with. It must run from January to before the year's end,
	// in a year of the period.
	YearToDate indicators.Period
}

// TemplateInfo describes a written template.
type TemplateInfo struct {
	Plan       indicators.Plan
	Unit       indicators.Unit
	Indicators int
	Years      []int
	YearToDate []indicators.Period // the year-to-date columns, the same period before first
}

// templateYearToDate checks a request's year-to-date period and lists its
// columns: the same period of the year before, then the period.
func templateYearToDate(req TemplateRequest) ([]indicators.Period, error) {
	p := req.YearToDate
	if p == (indicators.Period{}) {
		return nil, nil
	}
	if !p.IsYearToDate() || p.Year < req.Period.From || p.Year > req.Period.To {
		return nil, indicators.FieldError(indicators.EINVALID, "ytd",
			fmt.Sprintf("kỳ lũy kế %s phải tính từ đầu năm đến trước cuối năm (ví dụ 9 tháng đầu năm %d), trong giai đoạn %s",
				p.Label("vi"), req.Period.To, req.Period),
			fmt.Sprintf("the year-to-date period %s must run from January to before the year's end (e.g. January–September %d), within %s",
				p.Label("en"), req.Period.To, req.Period))
	}
	return []indicators.Period{p.SamePeriodBefore(), p}, nil
}

// WriteTemplate writes the input template for a plan, a period and a unit:
// one row per indicator with a target of the plan (or of the plans that
// make it concrete) in the period, one column per year from the base year
// to the end of the period.
func WriteTemplate(ctx context.Context, st indicators.Store, req TemplateRequest, w io.Writer) (TemplateInfo, error) {
	var info TemplateInfo
	if err := req.Period.Validate(); err != nil {
		return info, err
	}
	ytd, err := templateYearToDate(req)
	if err != nil {
		return info, err
	}
	plan, err := st.FindPlan(ctx, req.Plan)
	if err != nil {
		return info, err
	}
	unit, err := st.Unit(ctx, req.Unit)
	if err != nil {
		return info, err
	}
	plans, err := st.Plans(ctx)
	if err != nil {
		return info, err
	}
	family := planFamily(plan.ID, plans)
	targets, err := st.Targets(ctx, indicators.TargetFilter{Period: &req.Period})
	if err != nil {
		return info, err
	}
	inds, err := st.Indicators(ctx)
	if err != nil {
		return info, err
	}
	groups, err := st.TaskGroups(ctx, rootPlan(plan.ID, plans))
	if err != nil {
		return info, err
	}
	byCode := map[string]indicators.Indicator{}
	for _, in := range inds {
		byCode[in.Code] = in
	}
	codeOf := map[string]string{}
	for _, p := range plans {
		codeOf[p.ID] = p.Code
	}
	texts := map[string][]string{}
	var codes []string
	for _, t := range targets {
		// A unit's template lists the city's targets and that unit's own
		// shares of them, never another unit's.
		if !family[t.Plan] || t.Kind == indicators.MilestoneTarget || t.Unit != "" && t.Unit != unit.Code {
			continue
		}
		if _, ok := texts[t.Indicator]; !ok {
			codes = append(codes, t.Indicator)
		}
		text := t.Text
		if text == "" {
			text = t.Bound.Format("vi", byCode[t.Indicator].Decimals)
		}
		if t.Plan != plan.ID {
			text += " (" + codeOf[t.Plan] + ")"
		}
		if t.Unit != "" {
			text = "Phần giao cho đơn vị: " + text
		}
		if !slices.Contains(texts[t.Indicator], text) {
			texts[t.Indicator] = append(texts[t.Indicator], text)
		}
	}
	if len(codes) == 0 {
		return info, indicators.FieldError(indicators.ENOTFOUND, "period",
			fmt.Sprintf("kế hoạch %s không có mục tiêu nào cho giai đoạn %s", plan.Code, req.Period),
			fmt.Sprintf("plan %s has no target for %s", plan.Code, req.Period))
	}
	slices.SortFunc(codes, func(a, b string) int {
		if ga, gb := byCode[a].Group, byCode[b].Group; ga != gb {
			return ga - gb
		}
		return strings.Compare(a, b)
	})
	groupName := map[int]string{}
	for _, g := range groups {
		groupName[g.Number] = g.NameVI
	}
	years := make([]int, 0, req.Period.Years()+1)
	for y := req.Period.BaseYear(); y <= req.Period.To; y++ {
		years = append(years, y)
	}
	info = TemplateInfo{Plan: plan, Unit: unit, Indicators: len(codes), Years: years, YearToDate: ytd}

	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", templateDataSheet); err != nil {
		return info, fmt.Errorf("importers: template: %w", err)
	}
	tw := &templateWriter{f: f}
	tw.data(plan, unit, req.Period, years, ytd, codes, byCode, texts, groupName)
	tw.help(plan, unit, req.Period)
	tw.meta(plan, unit, req.Period)
	if tw.err != nil {
		return info, fmt.Errorf("importers: template: %w", tw.err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return info, fmt.Errorf("importers: write template: %w", err)
	}
	return info, nil
}

// planFamily is a plan and every plan that makes it concrete, at any depth.
func planFamily(id string, plans []indicators.Plan) map[string]bool {
	fam := map[string]bool{id: true}
	for changed := true; changed; {
		changed = false
		for _, p := range plans {
			if !fam[p.ID] && fam[p.Parent] {
				fam[p.ID], changed = true, true
			}
		}
	}
	return fam
}

// rootPlan is the plan at the top of id's parents, which holds the groups.
func rootPlan(id string, plans []indicators.Plan) string {
	parent := map[string]string{}
	for _, p := range plans {
		parent[p.ID] = p.Parent
	}
	for i := 0; i < len(plans) && parent[id] != ""; i++ {
		id = parent[id]
	}
	return id
}

// templateWriter writes the template's sheets, keeping the first error.
type templateWriter struct {
	f   *excelize.File
	err error
}

func (tw *templateWriter) do(err error) {
	if tw.err == nil {
		tw.err = err
	}
}

// str writes text: what comes from the catalogue is always a string, never
// a formula.
func (tw *templateWriter) str(sheet, cell, s string) { tw.do(tw.f.SetCellStr(sheet, cell, s)) }

func (tw *templateWriter) style(s *excelize.Style) int {
	id, err := tw.f.NewStyle(s)
	tw.do(err)
	return id
}

// templateTypes are the choices over a year column: the year's value
// types, and the year-to-date figures reported to the People's Council
// ("Thực hiện 9 tháng": January to September of that year). Excel caps a
// list at 255 characters.
var templateTypes = []string{"Thực hiện", "Ước thực hiện", "Kế hoạch", "Thực hiện 6 tháng", "Ước thực hiện 6 tháng",
	"Thực hiện 9 tháng", "Ước thực hiện 9 tháng", "Ước thực hiện 11 tháng"}

func (tw *templateWriter) data(plan indicators.Plan, unit indicators.Unit, period indicators.YearRange, years []int,
	ytd []indicators.Period, codes []string, byCode map[string]indicators.Indicator, texts map[string][]string, groupName map[int]string) {
	f, sh := tw.f, templateDataSheet
	border := []excelize.Border{{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1}}
	title := tw.style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	head := tw.style(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE7F0"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	pick := tw.style(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "1F4E79"}, Border: border,
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}},
		Alignment: &excelize.Alignment{Horizontal: "center"}, Protection: &excelize.Protection{Locked: false}})
	locked := tw.style(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	section := tw.style(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}})
	input := tw.style(&excelize.Style{Border: border, Protection: &excelize.Protection{Locked: false},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFFFFF"}}})

	tw.str(sh, "A1", "BIỂU NHẬP SỐ LIỆU CHỈ TIÊU")
	tw.do(f.SetCellStyle(sh, "A1", "A1", title))
	tw.str(sh, "A2", fmt.Sprintf("Kế hoạch: %s — %s; giai đoạn %d–%d", plan.Code, plan.TitleVI, period.From, period.To))
	tw.str(sh, "A3", fmt.Sprintf("Đơn vị báo cáo: %s — %s", unit.Code, unit.NameVI))

	hr, tr := templateHeaderRow, templateHeaderRow+1
	// The figure columns: a year each, then the year-to-date ones, headed
	// as people write them ("9 tháng đầu năm 2025"), which the wide reader
	// reads as their periods.
	figures := len(years) + len(ytd)
	lastCol := 4 + figures + 1
	headers := []string{templateColumns.Code, templateColumns.Name, templateColumns.Measure, templateTargetHeader}
	for _, y := range years {
		headers = append(headers, strconv.Itoa(y))
	}
	for _, p := range ytd {
		headers = append(headers, p.Label("vi"))
	}
	headers = append(headers, templateColumns.Note)
	for i, h := range headers {
		tw.str(sh, CellName(i+1, hr), h)
		if i < 4 || i == len(headers)-1 {
			tw.do(f.MergeCell(sh, CellName(i+1, hr), CellName(i+1, tr)))
		}
	}
	tw.do(f.SetCellStyle(sh, CellName(1, hr), CellName(lastCol, tr), head))
	thisYear := time.Now().In(indicators.Vietnam).Year()
	for i, y := range years {
		t := "Thực hiện"
		switch {
		case y == thisYear:
			t = "Ước thực hiện"
		case y > thisYear:
			t = "Kế hoạch"
		}
		tw.str(sh, CellName(5+i, tr), t)
	}
	for i, p := range ytd {
		t := "Thực hiện"
		if p.Year >= thisYear {
			t = "Ước thực hiện"
		}
		tw.str(sh, CellName(5+len(years)+i, tr), t)
	}
	tw.do(f.SetCellStyle(sh, CellName(5, tr), CellName(4+figures, tr), pick))
	dv := excelize.NewDataValidation(true)
	dv.Sqref = CellName(5, tr) + ":" + CellName(4+figures, tr)
	tw.do(dv.SetDropList(templateTypes))
	dv.SetError(excelize.DataValidationErrorStyleStop, "Loại số liệu",
		"Chọn một trong: Thực hiện, Ước thực hiện, Kế hoạch, hoặc số lũy kế từ đầu năm (Thực hiện 9 tháng, Ước thực hiện 6 tháng …).")
	tw.do(f.AddDataValidation(sh, dv))

	row := tr + 1
	group := -1
	for _, code := range codes {
		in := byCode[code]
		if in.Group != group {
			group = in.Group
			name := groupName[group]
			if name == "" {
				name = "Chỉ tiêu chung"
			}
			tw.str(sh, CellName(2, row), fmt.Sprintf("Nhóm %d. %s", group, name))
			tw.do(f.SetCellStyle(sh, CellName(1, row), CellName(lastCol, row), section))
			row++
		}
		tw.str(sh, CellName(1, row), in.Code)
		tw.str(sh, CellName(2, row), in.NameVI)
		tw.str(sh, CellName(3, row), in.Unit)
		tw.str(sh, CellName(4, row), strings.Join(texts[code], "; "))
		tw.do(f.SetCellStyle(sh, CellName(1, row), CellName(4, row), locked))
		tw.do(f.SetCellStyle(sh, CellName(5, row), CellName(lastCol, row), input))
		row++
	}
	last := row - 1
	num := excelize.NewDataValidation(true)
	num.Sqref = CellName(5, tr+1) + ":" + CellName(4+figures, last)
	tw.do(num.SetRange(-1e12, 1e12, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween))
	num.SetError(excelize.DataValidationErrorStyleStop, "Chỉ nhận số",
		"Ô này chỉ nhận số (ví dụ 7,5 hoặc 1.234,5). Để trống nếu chưa có số liệu.")
	tw.do(f.AddDataValidation(sh, num))

	for col, width := range map[string]float64{"A": 12, "B": 48, "C": 16, "D": 24} {
		tw.do(f.SetColWidth(sh, col, col, width))
	}
	tw.do(f.SetColWidth(sh, ColumnName(5), ColumnName(4+len(years)), 12))
	if len(ytd) > 0 {
		tw.do(f.SetColWidth(sh, ColumnName(5+len(years)), ColumnName(4+figures), 16))
	}
	tw.do(f.SetColWidth(sh, ColumnName(lastCol), ColumnName(lastCol), 30))
	tw.do(f.SetPanes(sh, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: tr, TopLeftCell: CellName(3, tr+1), ActivePane: "bottomRight"}))
	tw.do(f.ProtectSheet(sh, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true,
		FormatColumns: true, FormatRows: true}))
}

func (tw *templateWriter) help(plan indicators.Plan, unit indicators.Unit, period indicators.YearRange) {
	sh := templateHelpSheet
	if _, err := tw.f.NewSheet(sh); err != nil {
		tw.do(err)
		return
	}
	lines := []string{
		"HƯỚNG DẪN NHẬP SỐ LIỆU",
		"",
		fmt.Sprintf("Biểu này dành cho đơn vị %s (%s), kế hoạch %s, giai đoạn %d–%d.", unit.Code, unit.NameVI, plan.Code, period.From, period.To),
		"1. Nhập số liệu vào trang “Số liệu”, mỗi dòng một chỉ tiêu, mỗi cột một năm. Mã, tên, đơn vị tính và mục tiêu đã khóa, không sửa được.",
		"2. Ở dòng ngay dưới tiêu đề năm, chọn loại số liệu của cột: Thực hiện (số chính thức), Ước thực hiện (số ước khi năm chưa khép lại) hoặc Kế hoạch.",
		"3. Nhập số đúng đơn vị tính của chỉ tiêu, không kèm chữ. Phần trăm nhập 12,5 cho 12,5%. Có thể nhập số theo kiểu Việt Nam (7,5; 1.234,5).",
		"4. Để trống ô chưa có số liệu. Không dùng dấu “-” hay “x” thay cho số 0: số 0 phải ghi là 0.",
		"5. Ghi chú (nguồn, cách tính, lý do điều chỉnh) ghi ở cột “Ghi chú” cuối dòng. Cột lũy kế từ đầu năm (ví dụ “9 tháng đầu năm 2025”), nếu có, nhận số của những tháng đó, bên cạnh cùng kỳ năm trước để so sánh; khi năm chưa có số cả năm, chitieu tạm tính năm từ số lũy kế và ghi rõ kết luận là tạm thời.",
		"6. Không thêm, xóa hay đổi tên trang, không đổi thứ tự cột. Có thể thêm dòng trống, nhưng chỉ những dòng có mã chỉ tiêu mới được nhập.",
		"7. Lưu tệp dạng .xlsx rồi tải lên chitieu. chitieu hiện bản xem trước (số mới, số thay đổi, ô bị từ chối và lý do) trước khi ghi.",
		"8. Một lô đã ghi có thể được hoàn tác; số liệu cũ sẽ trở lại như trước.",
	}
	for i, l := range lines {
		tw.str(sh, CellName(1, i+1), l)
	}
	tw.do(tw.f.SetColWidth(sh, "A", "A", 120))
	bold, err := tw.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	tw.do(err)
	tw.do(tw.f.SetCellStyle(sh, "A1", "A1", bold))
}

func (tw *templateWriter) meta(plan indicators.Plan, unit indicators.Unit, period indicators.YearRange) {
	sh := templateMetaSheet
	if _, err := tw.f.NewSheet(sh); err != nil {
		tw.do(err)
		return
	}
	for i, kv := range [][2]string{
		{templateMarker, "1"}, {"plan", plan.ID}, {"period", period.String()}, {"unit", unit.Code},
		{"sheet", templateDataSheet}, {"header_row", strconv.Itoa(templateHeaderRow)},
		{"generated", time.Now().UTC().Format(time.RFC3339)},
	} {
		tw.str(sh, CellName(1, i+1), kv[0])
		tw.str(sh, CellName(2, i+1), kv[1])
	}
	tw.do(tw.f.SetSheetVisible(sh, false, true))
	tw.f.SetActiveSheet(0)
}

// templateProfile recognises a filled template by its hidden sheet and
// returns the profile that reads it.
func templateProfile(wb *Workbook) (*Profile, bool, error) {
	found := false
	for _, s := range wb.Sheets {
		found = found || s.Name == templateMetaSheet
	}
	if !found {
		return nil, false, nil
	}
	sr, err := wb.OpenSheet(templateMetaSheet)
	if err != nil {
		return nil, false, err
	}
	defer sr.Close()
	meta := map[string]string{}
	for sr.Next() && len(meta) < 50 {
		r := sr.Row()
		if len(r.Cells) >= 2 && r.Cells[0].Col == 1 && r.Cells[1].Col == 2 {
			meta[cellText(r.Cells[0])] = cellText(r.Cells[1])
		}
	}
	if err := sr.Err(); err != nil {
		return nil, false, err
	}
	if meta[templateMarker] == "" {
		return nil, false, nil
	}
	hr, err := strconv.Atoi(meta["header_row"])
	if err != nil || hr < 1 {
		hr = templateHeaderRow
	}
	sheet := meta["sheet"]
	if sheet == "" {
		sheet = templateDataSheet
	}
	return &Profile{Name: "", Description: fmt.Sprintf("biểu mẫu chitieu: kế hoạch %s, giai đoạn %s", meta["plan"], meta["period"]),
		Shape: Wide, Sheet: sheet, HeaderRows: []int{hr, hr + 1}, Unit: meta["unit"], Columns: templateColumns}, true, nil
}
