package reports

import (
	"context"
	"fmt"
	"strings"
	"time"

	"chitieu/indicators"

	"github.com/xuri/excelize/v2"
)

// Looks shared by the sheets.
var (
	titleStyle    = style{bold: true, size: 14, align: "center", wrap: true}
	subtitleStyle = style{italic: true, align: "center", wrap: true}
	headStyle     = style{bold: true, align: "center", wrap: true, border: true, fill: "D9E1F2"}
	groupStyle    = style{bold: true, border: true, fill: "EDF2F9", wrap: true}
	cellStyle     = style{border: true, wrap: true}
	centerStyle   = style{border: true, align: "center", wrap: true}
	noteStyle     = style{italic: true, wrap: true}
)

// report lays out the progress report: cover, table, charts, chart data
// and rules, in that order.
func (p *progress) report(generated time.Time, who string) *report {
	l := p.lang
	rep := &report{
		params: Params{Kind: KindProgress, Layout: layoutVersion, Lang: string(l), Plan: p.plan.ID,
			Period: p.period.String(), Group: p.group, Form: p.form.params(), AsOf: stamp(p.asOf)},
		lang:      l,
		name:      fmt.Sprintf("%s_%s_%s_%s.xlsx", l.pick("tien-do", "progress"), p.plan.ID, p.period, p.asOf.In(indicators.Vietnam).Format("2006-01-02")),
		title:     l.pick("Báo cáo tiến độ thực hiện mục tiêu", "Progress report") + " — " + p.plan.Code + " " + span(p.period),
		subject:   pickName(l, p.plan.TitleVI, p.plan.TitleEN),
		generated: generated,
		by:        who,
	}
	names := struct{ cover, table, annex, charts, data, rules string }{
		l.pick("Bìa", "Cover"), l.pick("Tiến độ", "Progress"), l.pick("Số liệu các năm", "Yearly figures"), l.pick("Biểu đồ", "Charts"),
		l.pick("Số liệu biểu đồ", "Chart data"), l.pick("Quy tắc", "Rules"),
	}
	headline := p.headline()
	rep.sheets = []*sheet{
		p.coverSheet(names.cover, rep),
		p.tableSheet(names.table, false),
		p.tableSheet(names.annex, true),
		p.chartSheet(names.charts, names.data, headline),
		p.chartDataSheet(names.data, headline),
		p.rulesSheet(names.rules),
	}
	return rep
}

// tableSheet lays out a table of targets under a title: the main table in
// the official annex form (the agency's header, the form's number, the
// report it goes with, the date and the signatures), or with annex set the
// annex of yearly figures, two lines a target.
func (p *progress) tableSheet(name string, annex bool) *sheet {
	l := p.lang
	cols, title := p.tableColumns(), l.pick("TỔNG HỢP TIẾN ĐỘ THỰC HIỆN CÁC MỤC TIÊU, CHỈ TIÊU", "PROGRESS TOWARDS THE TARGETS")
	if annex {
		cols, title = p.annexColumns(), l.pick("PHỤ LỤC: SỐ LIỆU CÁC NĂM CỦA CÁC CHỈ TIÊU", "ANNEX: THE YEARLY FIGURES OF THE INDICATORS")
	}
	last := len(cols)
	sub := fmt.Sprintf(l.pick("%s — giai đoạn %s — tính đến %s", "%s — period %s — as of %s"),
		p.planLine(), span(p.period), l.moment(p.asOf))
	// Every row is known before the first is written, so that the lines
	// that span the table can be merged.
	var top [][]cell
	if !annex {
		top = p.formHeader(last)
	}
	lines := []cell{text(title, titleStyle)}
	if !annex {
		lines = append(lines, text(p.formRef(), subtitleStyle))
	}
	lines = append(lines, text(sub, subtitleStyle), text(p.filters(), subtitleStyle))
	head := len(top) + len(lines) + 1 // the first heading row
	s := &sheet{name: name, hashed: true, headFrom: head, headTo: head + 1, widths: columnWidths(cols), freezeCols: 2,
		freezeRows: head + 1, print: true, fitRows: true}
	if !annex {
		s.merges = append(s.merges, formMerges(last, 1, 0, 0)...)
	}
	for i := range lines {
		top = append(top, p.line(last, lines[i]))
		s.merges = append(s.merges, [2]string{ref(1, len(top)), ref(last, len(top))})
	}
	top = append(top, heading(cols)...)
	s.merges = append(s.merges, headingMerges(cols, head)...)
	var body [][]cell
	total := 0
	for _, sec := range p.sections {
		body = append(body, p.groupRow(cols, sec))
		for i, r := range sec.rows {
			body = append(body, targetCells(cols, tableRow{targetRow: r, stt: i + 1}))
			if annex && p.hasPlans(r) {
				body = append(body, targetCells(cols, tableRow{targetRow: r, plan: true}))
			}
			total++
		}
	}
	var notes []string
	if total == 0 {
		notes = append(notes, l.pick("Không có mục tiêu nào của kế hoạch cho giai đoạn này tại thời điểm xét.",
			"The plan had no targets for this period at that moment."))
	}
	notes = append(notes, p.legend(annex)...)
	for _, note := range notes {
		body = append(body, p.line(last, text(note, noteStyle)))
		r := len(top) + len(body)
		s.merges = append(s.merges, [2]string{ref(1, r), ref(last, r)})
	}
	if !annex {
		footer := p.formFooter(last)
		s.merges = append(s.merges, formMerges(last, 0, len(top)+len(body), len(footer))...)
		body = append(body, footer...)
	}
	s.rows = func(ctx context.Context, emit func([]cell) error) error {
		for _, rows := range [][][]cell{top, body} {
			for _, row := range rows {
				if err := emit(row); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return s
}

// columnWidths are the widths of a table's columns.
func columnWidths(cols []progressColumn) []float64 {
	out := make([]float64, len(cols))
	for i, c := range cols {
		out[i] = c.width
	}
	return out
}

// headingMerges joins the two heading rows from row top of the columns
// without a group, and the top row over each run of columns of one group.
func headingMerges(cols []progressColumn, top int) [][2]string {
	var out [][2]string
	for i := 0; i < len(cols); {
		j := i + 1
		if cols[i].group == "" {
			out = append(out, [2]string{ref(i+1, top), ref(i+1, top+1)})
			i = j
			continue
		}
		for j < len(cols) && cols[j].group == cols[i].group {
			j++
		}
		if j-i > 1 {
			out = append(out, [2]string{ref(i+1, top), ref(j, top)})
		}
		i = j
	}
	return out
}

// heading is a table's two heading rows.
func heading(cols []progressColumn) [][]cell {
	top, bottom := make([]cell, len(cols)), make([]cell, len(cols))
	for i, c := range cols {
		switch {
		case c.group == "":
			top[i], bottom[i] = text(c.head, headStyle), empty(headStyle)
		case i > 0 && cols[i-1].group == c.group:
			top[i], bottom[i] = empty(headStyle), text(c.head, headStyle)
		default:
			top[i], bottom[i] = text(c.group, headStyle), text(c.head, headStyle)
		}
	}
	return [][]cell{top, bottom}
}

// targetCells is the table row of one target.
func targetCells(cols []progressColumn, r tableRow) []cell {
	row := make([]cell, len(cols))
	for i, c := range cols {
		row[i] = c.value(r)
	}
	return row
}

// column is the index of the column with key k, or -1.
func column(cols []progressColumn, k string) int {
	for i, c := range cols {
		if c.key == k {
			return i
		}
	}
	return -1
}

// line is a row whose first cell spans the table (the merge is declared
// on the sheet).
func (p *progress) line(width int, c cell) []cell {
	row := make([]cell, width)
	row[0] = c
	for i := 1; i < len(row); i++ {
		row[i] = empty(c.style)
	}
	return row
}

func (p *progress) planLine() string {
	l := p.lang
	s := l.pick("Kế hoạch ", "Plan ") + p.plan.Code
	if !p.plan.Issued.IsZero() {
		s += l.pick(" ngày ", " of ") + l.date(p.plan.Issued)
	}
	return s
}

func (p *progress) filters() string {
	l := p.lang
	g := l.pick("tất cả nhóm nhiệm vụ", "all task groups")
	if p.group != nil {
		g = fmt.Sprintf(l.pick("nhóm nhiệm vụ %d", "task group %d"), *p.group)
		for _, sec := range p.sections {
			if !sec.other && sec.group.Number == *p.group {
				g += " — " + pickName(l, sec.group.NameVI, sec.group.NameEN)
			}
		}
	}
	return l.pick("Phạm vi: ", "Covering: ") + g + l.pick("; gồm mục tiêu của kế hoạch và các văn bản cụ thể hóa",
		"; the targets of the plan and of the acts that make it concrete")
}

func (p *progress) groupRow(cols []progressColumn, sec section) []cell {
	l := p.lang
	row := make([]cell, len(cols))
	for i := range row {
		row[i] = empty(groupStyle)
	}
	name := l.pick("Mục tiêu chưa xếp nhóm", "Targets in no task group")
	if !sec.other {
		row[column(cols, colKeySTT)] = text(roman(sec.group.Number), style{bold: true, border: true, fill: "EDF2F9", align: "center"})
		name = pickName(l, sec.group.NameVI, sec.group.NameEN)
	}
	row[column(cols, colKeyName)] = text(name, groupStyle)
	if i := column(cols, colKeyExplain); i >= 0 {
		row[i] = text(p.rollText(p.sectionRoll(sec)), groupStyle)
	}
	return row
}

// sectionRoll is a task group's roll-up as the engine made it (its targets
// and tasks); for the targets of no listed group, theirs alone.
func (p *progress) sectionRoll(sec section) indicators.RollUp {
	if !sec.other {
		if r, ok := p.groupRolls[sec.group.Number]; ok {
			return r
		}
	}
	var st []indicators.Status
	for _, r := range sec.rows {
		st = append(st, r.tp.Progress.Status)
	}
	return indicators.Roll(st)
}

// rollText sums a roll-up up in words: "3 mục tiêu: 1 đã đạt, 2 chưa đủ số liệu".
func (p *progress) rollText(r indicators.RollUp) string {
	l := p.lang
	if r.Total == 0 {
		return l.pick("Không có mục tiêu trong giai đoạn", "No targets in the period")
	}
	var parts []string
	for _, st := range indicators.Statuses {
		if n := r.Counts[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, strings.ToLower(st.Label(string(l)))))
		}
	}
	s := fmt.Sprintf(l.pick("%d mục tiêu và nhiệm vụ: %s", "%d targets and tasks: %s"), r.Total, strings.Join(parts, ", "))
	if r.Score != nil {
		s += fmt.Sprintf(l.pick("; điểm %s", "; score %s"), l.number(*r.Score*100, 0)+"%")
	}
	return s
}

// targetText is the target as its act writes it, or its bound when the
// text is missing.
func targetText(l lang, t indicators.Target, decimals int) string {
	if strings.TrimSpace(t.Text) != "" {
		return t.Text
	}
	return t.Bound.Format(string(l), decimals)
}

// soFarSuffix says what the measure so far is when it is not a plain value
// of the indicator.
func (p *progress) soFarSuffix(k indicators.Kind, pr indicators.Progress) string {
	l := p.lang
	switch k {
	case indicators.AvgGrowthTarget:
		return l.pick(" %/năm", " %/yr")
	case indicators.CumulativeTarget:
		return l.pick(" (lũy kế)", " (total)")
	case indicators.AverageTarget:
		return l.pick(" (bình quân)", " (mean)")
	case indicators.MilestoneTarget:
		return "%"
	}
	if pr.LatestYear != 0 {
		return fmt.Sprintf(" (%d)", pr.LatestYear)
	}
	return ""
}

// requiredSuffix says whether the pace is a growth rate or an amount.
func (p *progress) requiredSuffix(k indicators.Kind, dir indicators.Direction) string {
	switch {
	case k == indicators.AvgGrowthTarget, k == indicators.LevelTarget && dir != indicators.Within:
		return p.lang.pick(" %/năm", " %/yr")
	}
	return ""
}

func (p *progress) legend(annex bool) []string {
	l := p.lang
	if annex {
		return []string{
			l.pick("Ghi chú: (*) Số ước thực hiện (ƯTH), chưa có số chính thức; số chính thức luôn được ưu tiên. Dòng \"Kế hoạch (KH)\" là chỉ tiêu kế hoạch của từng năm.",
				"Notes: (*) An estimate: no official figure yet; official figures always come first. The \"Plan\" line gives each year's planned figure."),
			fmt.Sprintf(l.pick("Chỉ tính số liệu đã nhập đến %s.", "Only values entered by %s count."), l.moment(p.asOf)),
		}
	}
	return []string{
		l.pick("Ghi chú:", "Notes:"),
		l.pick("(*) Số ước thực hiện (ƯTH), chưa có số chính thức; số chính thức luôn được ưu tiên.",
			"(*) An estimate: no official figure yet; official figures always come first."),
		fmt.Sprintf(l.pick("So với kế hoạch năm %d: vượt, đạt hoặc không đạt so với chỉ tiêu kế hoạch (KH) của năm; số liệu từng năm ở trang \"Số liệu các năm\".",
			"Against the plan for %d: exceeded, met or not met against the year's planned figure; the figures of every year are on the \"Yearly figures\" sheet."), p.year()),
		l.pick("Trạng thái đến năm cuối giai đoạn và tốc độ cần đạt theo các quy tắc ở trang \"Quy tắc\".",
			"Status by the end year and the pace required follow the rules on the \"Rules\" sheet."),
		fmt.Sprintf(l.pick("Chỉ tính mục tiêu, điều chỉnh và số liệu đã nhập đến %s.", "Only targets, revisions and values entered by %s count."), l.moment(p.asOf)),
	}
}

// coverSheet is the first page: what the report is, its moment, who made
// it and when, and its content hash.
func (p *progress) coverSheet(name string, rep *report) *sheet {
	l := p.lang
	info := [][2]string{
		{l.pick("Kế hoạch", "Plan"), p.plan.Code + " — " + pickName(l, p.plan.TitleVI, p.plan.TitleEN)},
		{l.pick("Cơ quan ban hành", "Issued by"), p.plan.IssuingBody},
		{l.pick("Ngày ban hành", "Issued on"), issuedText(l, p.plan)},
		{l.pick("Giai đoạn", "Period"), span(p.period)},
		{l.pick("Tính đến", "As of"), l.moment(p.asOf)},
		{l.pick("Lập lúc", "Generated at"), l.moment(rep.generated)},
		{l.pick("Người lập", "Generated by"), rep.by},
		{l.pick("Bộ lọc", "Filters"), p.filters() + l.pick("; ngôn ngữ: tiếng Việt", "; language: English")},
	}
	if gap := pickName(l, p.plan.Incomplete, p.plan.IncompleteEN); gap != "" {
		info = append(info, [2]string{l.pick("Chưa đầy đủ", "Incomplete"), gap})
	}
	groupRolls := make([]indicators.RollUp, len(p.sections))
	for i, sec := range p.sections {
		groupRolls[i] = p.sectionRoll(sec)
	}
	total := p.rollUp
	if p.group != nil && len(p.sections) > 0 {
		total = groupRolls[0]
	}
	info = append(info, [2]string{l.pick("Số mục tiêu và nhiệm vụ", "Targets and tasks"), p.rollText(total)})
	return coverSheet(name, l,
		l.pick("BÁO CÁO TIẾN ĐỘ THỰC HIỆN CÁC MỤC TIÊU, CHỈ TIÊU", "PROGRESS REPORT ON THE TARGETS"),
		pickName(l, p.plan.TitleVI, p.plan.TitleEN), info, rep, p.summary(groupRolls, total))
}

func issuedText(l lang, pl indicators.Plan) string {
	s := l.date(pl.Issued)
	if pl.IssuedNote != "" {
		s += " (" + pl.IssuedNote + ")"
	}
	return s
}

// summary is the status count of every task group, for the cover.
func (p *progress) summary(rolls []indicators.RollUp, total indicators.RollUp) [][]cell {
	l := p.lang
	head := []cell{text(l.pick("Nhóm nhiệm vụ", "Task group"), headStyle), text(l.pick("Số mục tiêu và nhiệm vụ", "Targets and tasks"), headStyle)}
	for _, st := range indicators.Statuses {
		head = append(head, text(st.Label(string(l)), style{bold: true, align: "center", wrap: true, border: true, fill: statusFill[st]}))
	}
	head = append(head, text(l.pick("Điểm (%)", "Score (%)"), headStyle))
	rows := [][]cell{head}
	line := func(name string, r indicators.RollUp, st style) []cell {
		row := []cell{text(name, st), number(float64(r.Total), centerStyle)}
		for _, s := range indicators.Statuses {
			row = append(row, number(float64(r.Counts[s]), centerStyle))
		}
		var score *float64
		if r.Score != nil {
			score = fig(100 * *r.Score)
		}
		return append(row, numberPtr(score, style{border: true, align: "center", numFmt: numFmt(l, 0, "")}))
	}
	for i, sec := range p.sections {
		name := l.pick("Chưa xếp nhóm", "No task group")
		if !sec.other {
			name = strings.TrimSpace(roman(sec.group.Number) + ". " + pickName(l, sec.group.NameVI, sec.group.NameEN))
			name = strings.TrimPrefix(name, ". ")
		}
		rows = append(rows, line(name, rolls[i], cellStyle))
	}
	return append(rows, line(l.pick("Tổng cộng", "Total"), total, style{bold: true, border: true}))
}

// coverSheet lays out a cover: title, subtitle, label–value lines (the
// value spanning the columns), the content hash and how to check it, then
// an optional table.
func coverSheet(name string, l lang, title, subtitle string, info [][2]string, rep *report, table [][]cell) *sheet {
	const span = 9 // value columns B–J
	s := &sheet{name: name, widths: []float64{34, 14, 12, 12, 12, 12, 12, 12, 12, 12}, deferred: true, print: true, fitRows: true}
	lastCol := span + 1
	row := 0
	next := func() int { row++; return row }
	r1, r2 := next(), next()
	s.merges = append(s.merges, [2]string{ref(1, r1), ref(lastCol, r1)}, [2]string{ref(1, r2), ref(lastCol, r2)})
	next()
	infoRows := make([]int, len(info)+3)
	for i := range infoRows {
		infoRows[i] = next()
		s.merges = append(s.merges, [2]string{ref(2, infoRows[i]), ref(lastCol, infoRows[i])})
	}
	s.rows = func(ctx context.Context, emit func([]cell) error) error {
		wide := func(c cell) []cell {
			out := []cell{c}
			for i := 1; i < lastCol; i++ {
				out = append(out, empty(c.style))
			}
			return out
		}
		label := style{bold: true, wrap: true}
		value := style{wrap: true}
		rows := [][]cell{wide(text(title, style{bold: true, size: 16, align: "center", wrap: true})),
			wide(text(subtitle, style{italic: true, size: 12, align: "center", wrap: true})), {}}
		for _, kv := range info {
			rows = append(rows, []cell{text(kv[0], label), text(kv[1], value)})
		}
		rows = append(rows,
			[]cell{text(coverHashLabel(l), label), text(rep.hash, style{bold: true})},
			[]cell{text(coverParamsLabel(l), label), text(rep.paramsJSON(), style{wrap: true, color: "595959"})},
			[]cell{text(l.pick("Kiểm tra lại", "To check"), label), text(fmt.Sprintf(
				l.pick("chitieu report verify \"%s\" --db <cơ sở dữ liệu> — tính lại mã từ cơ sở dữ liệu và so với các số trong tệp này",
					"chitieu report verify \"%s\" --db <database> — recomputes the hash from the database and compares the numbers in this file"),
				rep.name), value)},
			[]cell{text(l.pick("Đầu chuỗi nhật ký kiểm toán lúc lập", "Audit chain head when made"), label), text(rep.auditHead, value)},
			[]cell{})
		rows = append(rows, table...)
		for _, r := range rows {
			if err := emit(r); err != nil {
				return err
			}
		}
		return nil
	}
	return s
}

// rulesSheet lists the rules and thresholds the statuses rest on, with the
// values in force at the report's moment.
func (p *progress) rulesSheet(name string) *sheet {
	l, s := p.lang, p.settings
	sh := &sheet{name: name, hashed: true, headFrom: 1, headTo: 1, widths: []float64{42, 14, 90}, freezeRows: 1, print: true, fitRows: true}
	num := func(x float64, dec int) cell {
		return number(x, style{border: true, align: "center", numFmt: numFmt(l, dec, "")})
	}
	txt := func(s string) cell { return text(s, cellStyle) }
	rule := func(vi, en string, v cell, dvi, den string) []cell {
		return []cell{text(l.pick(vi, en), style{border: true, wrap: true, bold: true}), v, txt(l.pick(dvi, den))}
	}
	rows := [][]cell{
		{text(l.pick("Quy tắc, ngưỡng", "Rule or threshold"), headStyle), text(l.pick("Giá trị", "Value"), headStyle),
			text(l.pick("Ý nghĩa", "Meaning"), headStyle)},
		rule("Thời điểm xét", "Moment", txt(l.moment(p.asOf)),
			"Chỉ tính mục tiêu, các lần điều chỉnh mục tiêu (đã nhập và đã có hiệu lực) và số liệu đã nhập đến thời điểm này; số liệu bị thay thế hay rút lại sau đó vẫn được tính như lúc ấy. Ngưỡng dưới đây là ngưỡng có hiệu lực vào thời điểm này.",
			"Only targets, target revisions (entered and in force) and values entered by this moment count; values superseded or retracted later count as they stood. The thresholds below are those in force at this moment."),
		rule("Số liệu được dùng", "Values used", txt(""),
			"Số liệu của toàn thành phố, đúng phạm vi địa giới của mục tiêu (số của thành phố sau hợp nhất không tính cho mục tiêu của thành phố cũ); số chính thức được ưu tiên hơn số ước; cùng loại thì số nhập sau cùng được dùng.",
			"City-wide values of the target's territory (a figure of the merged city never counts towards a target of the old city); official beats estimate; of one type the newest wins."),
		rule("Ngưỡng đúng tiến độ (R)", "On-track ratio (R)", num(s.OnTrackRatio, 2),
			"Mục tiêu mức đạt: R = tăng trưởng bình quân thực tế ÷ tăng trưởng bình quân cần có (phương pháp Statistics Canada / Open SDG); R từ ngưỡng này trở lên: đúng tiến độ.",
			"Level targets: R = actual average growth ÷ required average growth (the Statistics Canada / Open SDG method); R at or above this: on track."),
		rule("Ngưỡng có nguy cơ (R)", "At-risk ratio (R)", num(s.AtRiskRatio, 2),
			"R từ ngưỡng này đến dưới ngưỡng đúng tiến độ: có nguy cơ; từ 0 đến dưới ngưỡng này: chậm, khó đạt; R âm: đi lùi.",
			"R from this up to the on-track ratio: at risk; from 0 up to this: off track; below 0: regressing."),
		rule("Dung sai \"khoảng\"", "\"About\" tolerance", num(s.AboutTolerance, 3),
			"Mục tiêu \"khoảng a\" được hiểu là trong khoảng a ± tỷ lệ này của a.",
			"A target of \"about a\" means within a ± this share of a."),
		rule("Giá trị thay cho số 0", "Zero substitute", num(s.ZeroSubstitute, 3),
			"Năm cơ sở hoặc mục tiêu bằng 0 được thay bằng giá trị này để tính tăng trưởng (như Open SDG).",
			"A zero baseline or target is replaced by this to compute growth (as Open SDG does)."),
		rule("Ngưỡng có nguy cơ của mục tiêu cộng dồn", "Cumulative at-risk share", num(s.CumulativeAtRisk, 2),
			"Mục tiêu cộng dồn: dự báo tổng cả giai đoạn đạt mục tiêu là đúng tiến độ; từ tỷ lệ này của mục tiêu trở lên là có nguy cơ.",
			"Cumulative targets: a projected total reaching the bound is on track; at or above this share of it, at risk."),
		rule("Ngưỡng đúng tiến độ của nhiệm vụ", "Milestone on-track ratio", num(s.MilestoneOnTrack, 2),
			"Nhiệm vụ có thời hạn: tỷ lệ hoàn thành ÷ tỷ lệ thời gian đã trôi qua từ ngưỡng này trở lên là đúng tiến độ.",
			"Milestones: percent complete ÷ share of time elapsed at or above this is on track."),
		rule("Ngưỡng có nguy cơ của nhiệm vụ", "Milestone at-risk ratio", num(s.MilestoneAtRisk, 2),
			"Từ ngưỡng này đến dưới ngưỡng đúng tiến độ là có nguy cơ; thấp hơn là chậm.",
			"From this up to the on-track ratio: at risk; below: off track."),
		rule("Số năm xét mức tốt nhất", "Years for the best recent rate", num(float64(s.BestRecentYears), 0),
			"Tăng trưởng bình quân: nếu tốc độ cần đạt không cao hơn mức tốt nhất của ngần này năm gần đây thì là có nguy cơ, cao hơn thì là chậm, khó đạt.",
			"Average growth: a required rate no higher than the best of this many recent years is at risk; higher is off track."),
		rule("Đánh giá so với kế hoạch năm", "Against the year's plan", txt(l.pick("vượt / đạt / không đạt", "exceeded / met / not met")),
			"Vượt: tốt hơn chỉ tiêu kế hoạch năm (vượt cận trên nếu kế hoạch là một khoảng); đạt: bằng chỉ tiêu hoặc trong khoảng; không đạt: kém hơn.",
			"Exceeded: better than the year's plan (past the top of a planned range); met: equal to it or within the range; not met: worse."),
		rule("Số liệu chưa phê duyệt", "Figures not yet approved", txt(notApprovedMark),
			"Số liệu đánh dấu † chưa được thủ trưởng đơn vị phê duyệt (khi cơ quan áp dụng quy trình gửi và phê duyệt); cột “Giải trình của đơn vị” ghi nguyên nhân, giải pháp do đơn vị nêu, bên cạnh “Đánh giá tự động”.",
			"Figures marked † were not yet approved by the head of their unit (once the office runs the approval cycle); the column “The unit's explanation” gives the unit's causes and remedies beside the “Automatic assessment”."),
	}
	for _, st := range indicators.Statuses {
		rows = append(rows, []cell{text(st.Label(string(l)), style{border: true, bold: true, fill: statusFill[st]}), txt(""), txt(statusMeaning(l, st))})
	}
	for _, k := range []indicators.Kind{indicators.LevelTarget, indicators.AvgGrowthTarget, indicators.AnnualTarget,
		indicators.CumulativeTarget, indicators.AverageTarget, indicators.MilestoneTarget} {
		rows = append(rows, []cell{text(l.pick("Loại mục tiêu: ", "Target kind: ")+kindLabel(l, k), style{border: true, bold: true, wrap: true}), txt(""), txt(kindMeaning(l, k))})
	}
	sh.rows = func(ctx context.Context, emit func([]cell) error) error {
		for _, r := range rows {
			if err := emit(r); err != nil {
				return err
			}
		}
		return nil
	}
	return sh
}

func statusMeaning(l lang, st indicators.Status) string {
	switch st {
	case indicators.Achieved:
		return l.pick("Đã đạt mục tiêu (năm cuối đã có số liệu và đạt).", "The target is met (the end year has a value and meets it).")
	case indicators.OnTrack:
		return l.pick("Với tốc độ hiện nay sẽ đạt mục tiêu vào năm cuối, hoặc đã đạt trước thời hạn.", "At the present pace the target is met by the end year, or it is met early.")
	case indicators.AtRisk:
		return l.pick("Có thể đạt nhưng cần tăng tốc.", "Reachable, but only by speeding up.")
	case indicators.OffTrack:
		return l.pick("Với tốc độ hiện nay khó đạt mục tiêu.", "Unlikely to be met at the present pace.")
	case indicators.Regressing:
		return l.pick("Đi ngược hướng mục tiêu.", "Moving away from the target.")
	case indicators.NoData:
		return l.pick("Chưa đủ số liệu để đánh giá (chưa có hai năm số liệu, hoặc mục tiêu chưa lượng hóa).", "Too little data to judge (fewer than two years, or an unquantified target).")
	}
	return ""
}

func kindMeaning(l lang, k indicators.Kind) string {
	switch k {
	case indicators.LevelTarget:
		return l.pick("Giá trị năm cuối giai đoạn đạt mức hoặc khoảng mục tiêu.", "The value in the end year reaches the bound or range.")
	case indicators.AvgGrowthTarget:
		return l.pick("Tăng trưởng bình quân năm cả giai đoạn (tính nhân) không thấp hơn cận dưới.", "The (geometric) average annual growth over the period is at least the lower end.")
	case indicators.AnnualTarget:
		return l.pick("Năm nào trong giai đoạn cũng đạt mức mục tiêu.", "Every year of the period meets the bound.")
	case indicators.CumulativeTarget:
		return l.pick("Tổng các năm trong giai đoạn đạt mức mục tiêu.", "The sum over the period reaches the bound.")
	case indicators.AverageTarget:
		return l.pick("Bình quân các năm trong giai đoạn đạt mức mục tiêu.", "The mean of the period's years meets the bound.")
	case indicators.MilestoneTarget:
		return l.pick("Nhiệm vụ hoàn thành đúng thời hạn.", "A task done by its deadline.")
	}
	return ""
}

// ref names the cell at column col, row row: ref(2, 5) is "B5".
func ref(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}
