package dashboard

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"chitieu/importers"
	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// plausibilityNoteMax bounds the note confirming plausibility warnings.
const plausibilityNoteMax = 2000

// plausibilityNote reads the confirmation of a commit's plausibility
// warnings: the box ticked and a note written. A held preview with
// warnings and no confirmation is refused here, before any work; when the
// server no longer holds the preview, the importer, which checks again at
// commit, refuses a batch with warnings and no note.
func plausibilityNote(c echo.Context, preview *importers.Result) (string, error) {
	warnings := 0
	if preview != nil {
		warnings = preview.Implausible
	}
	return confirmedNote(c, warnings)
}

// confirmedNote reads the confirmation of a number of plausibility
// warnings, as plausibilityNote does: for an upload's batch, a plan
// workbook or the entry form's batch alike.
func confirmedNote(c echo.Context, warnings int) (string, error) {
	ticked := c.FormValue("confirm_plausibility") == "1"
	note := strings.TrimSpace(c.FormValue("plausibility_note"))
	switch {
	case utf8.RuneCountInString(note) > plausibilityNoteMax:
		return "", indicators.FieldError(indicators.EINVALID, "plausibility_note",
			fmt.Sprintf("ghi chú xác nhận dài quá %d ký tự", plausibilityNoteMax),
			fmt.Sprintf("the confirming note is longer than %d characters", plausibilityNoteMax))
	case ticked && note == "":
		return "", indicators.FieldError(indicators.EINVALID, "plausibility_note",
			"hãy ghi chú lý do xác nhận các cảnh báo về tính hợp lý; ghi chú được lưu trong nhật ký kiểm toán",
			"write a note saying why the plausibility warnings are confirmed; it is kept in the audit trail")
	case warnings > 0 && !ticked:
		return "", indicators.FieldError(indicators.EINVALID, "confirm_plausibility",
			fmt.Sprintf("bản xem trước có %d cảnh báo về tính hợp lý: hãy đánh dấu xác nhận và ghi chú lý do, hoặc sửa các ô được nêu rồi tải lên lại; chưa số liệu nào được ghi", warnings),
			fmt.Sprintf("the preview has %d plausibility warnings: tick the confirmation and write a note, or fix the cells named and upload again; nothing was stored", warnings))
	case !ticked:
		return "", nil
	}
	return note, nil
}
