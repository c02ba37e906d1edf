package importers

import (
	"cmp"
	"context"
	"fmt"
	"slices"

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
// the first maxListed warnings in res, in file order, and counting them
// all. Every check compares a value with values of the same unit, so the
// candidates are checked a unit at a time, reading only that unit's values
// in force of the candidates' indicators and their related ones: never an
// indicator's whole history, and never more than one unit's values at once.
func (im *Importer) checkPlausibility(ctx context.Context, res *Result, cat *catalogue,
	cands []indicators.Candidate, maxListed int) error {
	res.Plausibility, res.Implausible = nil, 0
	if len(cands) == 0 {
		return nil
	}
	settings, err := im.Store.Settings(ctx)
	if err != nil {
		return err
	}
	ps := settings.Plausibility
	byUnit := map[string][]indicators.Candidate{}
	var units []string
	for _, c := range cands {
		if _, ok := byUnit[c.Unit]; !ok {
			units = append(units, c.Unit)
		}
		byUnit[c.Unit] = append(byUnit[c.Unit], c)
	}
	related := map[string][]string{}
	var found []indicators.PlausibilityWarning
	for _, unit := range units {
		group := byUnit[unit]
		read := map[string]bool{}
		var known []indicators.Value
		for _, c := range group {
			codes, ok := related[c.Indicator]
			if !ok {
				codes = ps.Related([]string{c.Indicator})
				related[c.Indicator] = codes
			}
			for _, code := range codes {
				if read[code] {
					continue
				}
				read[code] = true
				slots, err := im.Store.HeldValues(ctx, code, unit)
				if err != nil {
					return fmt.Errorf("importers: values of %s for %s for the plausibility checks: %w", code, unit, err)
				}
				for k, h := range slots {
					known = append(known, indicators.Value{Key: k, Value: h.Value})
				}
			}
		}
		// Each unit's first maxListed warnings include all of its
		// warnings among the file's first maxListed.
		ws, n := indicators.CheckPlausibility(group, known, cat.indicators, ps, maxListed)
		found = append(found, ws...)
		res.Implausible += n
		delete(byUnit, unit)
	}
	res.Plausibility = inFileOrder(found, cands, maxListed)
	return nil
}

// inFileOrder sorts warnings by the place of their candidate in the file
// (a candidate is one cell) and keeps the first limit.
func inFileOrder(ws []indicators.PlausibilityWarning, cands []indicators.Candidate, limit int) []indicators.PlausibilityWarning {
	place := make(map[[2]string]int, len(cands))
	for i, c := range cands {
		place[[2]string{c.Sheet, c.Cell}] = i
	}
	slices.SortStableFunc(ws, func(a, b indicators.PlausibilityWarning) int {
		return cmp.Compare(place[[2]string{a.Sheet, a.Cell}], place[[2]string{b.Sheet, b.Cell}])
	})
	if limit > 0 && len(ws) > limit {
		ws = ws[:limit]
	}
	return ws
}

// uncheckedNotice says on the preview that values beyond MaxChecked were
// not checked, so that they do not pass silently.
func uncheckedNotice(checked, unchecked int) Notice {
	return Notice{
		VI: fmt.Sprintf("chỉ %s số liệu mới hoặc thay đổi đầu tiên được kiểm tra tính hợp lý; %s số liệu sau đó không được kiểm tra — hãy chia tệp nếu cần kiểm tra hết",
			indicators.FormatNumber(float64(checked), 0, "vi"), indicators.FormatNumber(float64(unchecked), 0, "vi")),
		EN: fmt.Sprintf("only the first %s new or changed values were checked for plausibility; the %s after them were not — split the file to have them all checked",
			indicators.FormatNumber(float64(checked), 0, "en"), indicators.FormatNumber(float64(unchecked), 0, "en")),
	}
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
