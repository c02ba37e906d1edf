package importers

import (
	"context"
	"fmt"
	"time"

	"chitieu/indicators"
)

// errUnconfirmed refuses a commit whose plausibility warnings were not
// confirmed with a note.
func errUnconfirmed(n int) error {
	return indicators.FieldError(indicators.EINVALID, "confirm_note",
		fmt.Sprintf("lô có %d cảnh báo về tính hợp lý của số liệu; hãy xác nhận và ghi chú lý do, hoặc sửa các ô được nêu rồi tải lên lại", n),
		fmt.Sprintf("the batch has %d plausibility warnings; confirm them with a note, or fix the cells named and upload again", n))
}

// checkPlausibility runs the plausibility checks over the new and changed
// values of an import against the values in force of their units, listing
// the first maxListed warnings in res and counting them all.
func (im *Importer) checkPlausibility(ctx context.Context, res *Result, cat *catalogue, cands []indicators.Candidate, maxListed int) error {
	res.Plausibility, res.Implausible = nil, 0
	if len(cands) == 0 {
		return nil
	}
	settings, err := im.Store.Settings(ctx)
	if err != nil {
		return err
	}
	ps := settings.Plausibility
	codes, units := map[string]bool{}, map[string]bool{}
	for _, c := range cands {
		codes[c.Indicator], units[c.Unit] = true, true
	}
	unitList := make([]string, 0, len(units))
	for u := range units {
		unitList = append(unitList, u)
	}
	codeList := make([]string, 0, len(codes))
	for c := range codes {
		codeList = append(codeList, c)
	}
	var known []indicators.Value
	for _, code := range ps.Related(codeList) {
		vs, err := im.Store.Values(ctx, indicators.ValueFilter{Indicator: code, Units: unitList})
		if err != nil {
			return fmt.Errorf("importers: history of %s for the plausibility checks: %w", code, err)
		}
		known = append(known, indicators.Current(vs, time.Now())...)
	}
	res.Plausibility, res.Implausible = indicators.CheckPlausibility(cands, known, cat.indicators, ps, maxListed)
	return nil
}

// uncheckedNotice says on the preview that values beyond MaxChecked were
// not checked, so that they do not pass silently.
func uncheckedNotice(checked, unchecked int) string {
	return fmt.Sprintf("chỉ %s số liệu mới hoặc thay đổi đầu tiên được kiểm tra tính hợp lý; %s số liệu sau đó không được kiểm tra — hãy chia tệp nếu cần kiểm tra hết",
		indicators.FormatNumber(float64(checked), 0, "vi"), indicators.FormatNumber(float64(unchecked), 0, "vi"))
}

// candidates gathers the new and changed values of an import for the
// plausibility checks, up to the settings' MaxChecked; the rest are only
// counted, and the preview says so.
type candidates struct {
	max       int
	list      []indicators.Candidate
	unchecked int
}

func (im *Importer) newCandidates(ctx context.Context) *candidates {
	n := indicators.DefaultPlausibility().MaxChecked
	if s, err := im.Store.Settings(ctx); err == nil && s.Plausibility.MaxChecked > 0 {
		n = s.Plausibility.MaxChecked
	}
	return &candidates{max: n}
}

func (cs *candidates) add(c indicators.Change) {
	if c.Kind == indicators.UnchangedValue {
		return
	}
	if len(cs.list) < cs.max {
		cs.list = append(cs.list, indicators.Candidate{Key: c.Key, Value: c.Value, Sheet: c.Sheet, Cell: c.Cell})
	} else {
		cs.unchecked++
	}
}
