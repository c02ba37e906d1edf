package reports

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// WriteTable writes one plain table as an .xlsx workbook to w: a sheet
// named sheet, a bold header row, then rows whose cells are strings or
// float64s. Strings are written as text, never as formulas; numbers as
// numbers. It serves small downloads such as a public indicator's values,
// built in full before the first byte goes to w.
func WriteTable(w io.Writer, sheet string, header []string, rows [][]any) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("reports: name the table sheet: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("reports: table header style: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("reports: stream the table: %w", err)
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("reports: freeze the table header: %w", err)
	}
	head := make([]any, len(header))
	for i, h := range header {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return fmt.Errorf("reports: table header: %w", err)
	}
	for i, r := range rows {
		row := make([]any, len(r))
		for j, v := range r {
			switch v := v.(type) {
			case float64:
				row[j] = v
			case string:
				row[j] = excelize.Cell{Value: v}
			default:
				return fmt.Errorf("reports: table cell %d,%d is a %T, not a string or a number", i+2, j+1, v)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return fmt.Errorf("reports: table row %d: %w", i+2, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("reports: flush the table: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("reports: write the table: %w", err)
	}
	return nil
}
