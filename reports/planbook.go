// Package reports turns what the store holds into Excel workbooks, written
// with excelize's StreamWriter.
package reports

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"chitieu/indicators"

	"github.com/xuri/excelize/v2"
)

// WritePlanbook writes the catalogue c as a plan workbook (sổ kế hoạch) to
// w: an instructions sheet, then one sheet per kind of item in the layout
// of indicators.PlanbookSheets, one row per item (per revision for
// targets). Text from users is always written as a string, never as a
// formula. The workbook is built in full before the first byte goes to w,
// so that a failure can still be reported.
func WritePlanbook(w io.Writer, c *indicators.Catalog, made time.Time) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", indicators.InstructionsSheet); err != nil {
		return fmt.Errorf("reports: name the instructions sheet: %w", err)
	}
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("reports: header style: %w", err)
	}
	if err := writeInstructions(f, header, made); err != nil {
		return err
	}
	for _, sheet := range indicators.PlanbookSheets {
		if err := writeSheet(f, sheet, header, planbookRecords(sheet.Name, c)); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	if err := f.Write(w); err != nil {
		return fmt.Errorf("reports: write the plan workbook: %w", err)
	}
	return nil
}

// planbookRecords lists the rows of one sheet in the catalogue's order.
func planbookRecords(sheet string, c *indicators.Catalog) []map[string]string {
	var out []map[string]string
	switch sheet {
	case indicators.PlansSheet.Name:
		for _, p := range c.Plans {
			out = append(out, p.Record())
		}
	case indicators.GroupsSheet.Name:
		for _, g := range c.Groups {
			out = append(out, g.Record())
		}
	case indicators.UnitsSheet.Name:
		for _, u := range c.Units {
			out = append(out, u.Record())
		}
	case indicators.IndicatorsSheet.Name:
		for _, ind := range c.Indicators {
			out = append(out, ind.Record())
		}
	case indicators.MetadataSheet.Name:
		for _, m := range c.Metadata {
			out = append(out, m.Record())
		}
	case indicators.TasksSheet.Name:
		for _, t := range c.Tasks {
			out = append(out, t.Record())
		}
	case indicators.TargetsSheet.Name:
		for _, t := range c.Targets {
			revs := t.Revisions
			if len(revs) == 0 {
				revs = []indicators.TargetRevision{t.TargetRevision}
			}
			for _, r := range revs {
				out = append(out, indicators.RevisionRecord(t, r))
			}
		}
	}
	return out
}

// writeSheet streams one data sheet: widths and the frozen header first,
// then the rows in order.
func writeSheet(f *excelize.File, sheet indicators.Sheet, header int, records []map[string]string) error {
	if _, err := f.NewSheet(sheet.Name); err != nil {
		return fmt.Errorf("reports: add sheet %s: %w", sheet.Name, err)
	}
	// The stream writer takes the sheet's settings as it starts and
	// rewrites the sheet when flushed: the lists go in first.
	if err := vocabularyLists(f, sheet, len(records)); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet.Name)
	if err != nil {
		return fmt.Errorf("reports: stream sheet %s: %w", sheet.Name, err)
	}
	for i, col := range sheet.Columns {
		if err := sw.SetColWidth(i+1, i+1, col.Width); err != nil {
			return fmt.Errorf("reports: width of %s column %d: %w", sheet.Name, i+1, err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("reports: panes of %s: %w", sheet.Name, err)
	}
	row := make([]any, len(sheet.Columns))
	for i, col := range sheet.Columns {
		row[i] = excelize.Cell{StyleID: header, Value: col.Header}
	}
	if err := sw.SetRow("A1", row, excelize.RowOpts{Height: 30}); err != nil {
		return fmt.Errorf("reports: header of %s: %w", sheet.Name, err)
	}
	for n, rec := range records {
		row := make([]any, len(sheet.Columns))
		for i, col := range sheet.Columns {
			row[i] = cellValue(col, rec[col.Key])
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(cell, row); err != nil {
			return fmt.Errorf("reports: %s row %d: %w", sheet.Name, n+2, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("reports: flush %s: %w", sheet.Name, err)
	}
	return nil
}

// vocabularyLists offers the labels of each coded column as a drop-down
// list down to planbookListRows rows below the data. The list only
// suggests: another text is let through (with a warning) because a code
// of the field's own, such as a scope of another territory, is valid and
// the import checks every cell anyway.
func vocabularyLists(f *excelize.File, sheet indicators.Sheet, records int) error {
	for i, col := range sheet.Columns {
		if col.Vocab == "" {
			continue
		}
		letters, _ := excelize.ColumnNumberToName(i + 1)
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s2:%s%d", letters, letters, records+planbookListRows))
		if err := dv.SetDropList(indicators.VocabularyLabels(col.Vocab, "vi")); err != nil {
			return fmt.Errorf("reports: list of %s column %s: %w", sheet.Name, col.Header, err)
		}
		dv.SetError(excelize.DataValidationErrorStyleWarning, col.Header,
			"Nên chọn trong danh sách; chương trình cũng nhận mã tương ứng.")
		if err := f.AddDataValidation(sheet.Name, dv); err != nil {
			return fmt.Errorf("reports: list of %s column %s: %w", sheet.Name, col.Header, err)
		}
	}
	return nil
}

// planbookListRows is how many empty rows below the data also offer the
// lists, for items added by hand.
const planbookListRows = 500

// cellValue is what a cell of col holds for the record text s: numbers as
// numbers, a coded field as its Vietnamese label, everything else — dates
// included, as YYYY-MM-DD — as strings.
func cellValue(col indicators.Column, s string) any {
	if s == "" {
		return nil
	}
	if col.Vocab != "" {
		return indicators.Label(col.Vocab, s, "vi")
	}
	switch col.Type {
	case indicators.NumberColumn, indicators.IntegerColumn:
		if x, err := strconv.ParseFloat(s, 64); err == nil {
			return x
		}
	}
	return s
}

// instructions is the text of the instructions sheet, one line a row.
var instructions = []string{
	"SỔ KẾ HOẠCH — danh mục kế hoạch, nhóm nhiệm vụ, đơn vị, chỉ tiêu, nhiệm vụ và mục tiêu của chitieu",
	"",
	"Mỗi trang chứa một loại dữ liệu, mỗi dòng một mục; dòng đầu là tiêu đề cột, chương trình tìm cột theo tên nên có thể đổi thứ tự cột nhưng không đổi tên.",
	"Mã là khóa: Mã kế hoạch, Mã đơn vị, Mã chỉ tiêu, Mã nhiệm vụ; nhóm nhiệm vụ theo Mã kế hoạch và Số thứ tự; mục tiêu theo Mã kế hoạch, Mã chỉ tiêu, Giai đoạn, Phạm vi và Đơn vị được giao.",
	"Dòng có mã chưa có trong hệ thống là mục mới; dòng có mã đã có mà nội dung khác là sửa đổi; dòng giống hệt được bỏ qua. Xóa dòng khỏi sổ không xóa gì trong hệ thống.",
	"Khi nhập, chương trình hiện bản xem trước (mới, thay đổi, không đổi, bị từ chối kèm trang và ô). Chỉ cần một ô lỗi là cả sổ không được ghi; mọi thay đổi được ghi vào nhật ký kiểm toán.",
	"",
	"SIÊU DỮ LIỆU (trang Siêu dữ liệu) — mỗi dòng là phiếu siêu dữ liệu của một chỉ tiêu (Mã chỉ tiêu phải có ở trang Chỉ tiêu hoặc trong hệ thống): khái niệm, phương pháp tính, đơn vị tính, cơ quan cung cấp số liệu, kỳ công bố, phân tổ chủ yếu, ghi chú về tính so sánh. Để trống một ô là xóa nội dung đó.",
	"",
	"MỤC TIÊU (trang Mục tiêu) — mỗi dòng là một lần ban hành hoặc điều chỉnh của một mục tiêu:",
	"• Thêm mục tiêu: thêm một dòng với khóa mới; để trống hoặc ghi 0 ở cột Lần điều chỉnh.",
	"• Điều chỉnh mục tiêu: KHÔNG sửa dòng cũ. Thêm một dòng mới cùng khóa, để trống cột Lần điều chỉnh, ghi Văn bản điều chỉnh, Ngày văn bản, Ngày hiệu lực và Lý do. Mục tiêu gốc được giữ nguyên; trước ngày hiệu lực tiến độ vẫn tính theo mục tiêu cũ.",
	"• Đơn vị được giao: để trống cho mục tiêu của cả thành phố; ghi Mã đơn vị (sở, ngành, xã, phường) cho phần mục tiêu giao cho đơn vị đó.",
	"• Mục tiêu như văn bản ghi: chép nguyên văn (ví dụ: bình quân 7,5 - 8%/năm; không quá 4%; giảm 30% so với năm 2020). Nếu để trống Phép so sánh, chương trình tự đọc loại mục tiêu và cận từ nội dung này; cột Đọc từ nội dung cho biết chương trình đọc được gì và dựa trên những chữ nào. Nội dung không đọc chắc chắn được (ví dụ «gấp 2 lần» không nói năm gốc, «trong đó …», nhiều con số trong một câu) bị từ chối cho đến khi Phép so sánh và Cận được điền bằng tay.",
	"• Phép so sánh: >= (ít nhất, không dưới), > (trên, hơn, vượt), <= (không quá, tối đa), < (dưới), about (khoảng), range (từ Cận A đến Cận B), none (chưa lượng hóa được, giữ nguyên văn).",
	"• Loại mục tiêu (chọn trong danh sách): mức đạt vào năm cuối; so với năm gốc (Cận là tỷ số với giá trị năm gốc, ví dụ giảm 30% so với năm 2020 là <= 0,7 và Năm gốc 2020); tăng bình quân giai đoạn (%/năm); thay đổi bình quân mỗi năm (của một tỷ lệ, tính bằng điểm phần trăm/năm); bình quân các năm; hằng năm; cộng dồn cả giai đoạn; mốc hoàn thành (nhiệm vụ hoàn thành đúng hạn, cần Mã nhiệm vụ).",
	"• Năm gốc: chỉ cho mục tiêu so với năm gốc. Dung sai: cho phép so sánh about, tỷ lệ của |Cận A| (0,1 là ±10%); để trống dùng mức chung (5%).",
	"• Cận A, Cận B tính theo đơn vị tính của chỉ tiêu (ví dụ chỉ tiêu tính bằng tỷ đồng thì 57 nghìn tỷ đồng ghi 57000).",
	"• Người nhập và Thời điểm nhập chỉ để xem, không được nhập lại.",
	"",
	"GIÁ TRỊ HỢP LỆ",
	"• Ngày: YYYY-MM-DD (ví dụ 2025-07-01), DD/MM/YYYY hoặc ô ngày của Excel. Giai đoạn: 2021-2025.",
	"• Số: gõ số trong Excel, hoặc chữ kiểu Việt Nam (7,5; 1.700.000).",
	"• Các cột Phạm vi, Loại, Chiều, Loại đại lượng, Cách tổng hợp, Kỳ báo cáo, Loại mục tiêu và Chiều riêng có danh sách để chọn; chương trình nhận tên trong danh sách bằng tiếng Việt hoặc tiếng Anh, không phân biệt chữ hoa, chữ thường.",
	"• Phạm vi: TP Cần Thơ cũ (trước 1/7/2025), TP sau hợp nhất (từ 1/7/2025), hoặc mã phạm vi khác viết thường.",
	"• Cách tổng hợp «bình quân có trọng số» cần Chỉ tiêu trọng số. Loại đơn vị «Xã, phường» cần Phạm vi; «Cơ quan báo cáo» không có Phạm vi.",
	"",
	"Mọi nội dung được ghi dưới dạng chữ; công thức Excel không được tính.",
}

func writeInstructions(f *excelize.File, header int, made time.Time) error {
	sw, err := f.NewStreamWriter(indicators.InstructionsSheet)
	if err != nil {
		return fmt.Errorf("reports: stream the instructions: %w", err)
	}
	if err := sw.SetColWidth(1, 1, 140); err != nil {
		return fmt.Errorf("reports: width of the instructions: %w", err)
	}
	lines := append([]string{}, instructions...)
	lines = append(lines, "", "Xuất lúc "+made.In(indicators.Vietnam).Format("15:04 ngày 02/01/2006")+" (giờ Việt Nam).")
	for i, line := range lines {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		var v any = line
		if i == 0 {
			v = excelize.Cell{StyleID: header, Value: line}
		}
		if err := sw.SetRow(cell, []any{v}); err != nil {
			return fmt.Errorf("reports: instructions row %d: %w", i+1, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("reports: flush the instructions: %w", err)
	}
	return nil
}
