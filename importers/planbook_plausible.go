package importers

import (
	"context"
	"fmt"
	"strings"
	"time"

	"chitieu/indicators"
)

// checkPlanbook runs the plausibility checks over the bounds of the
// targets a plan workbook creates or revises (indicators.
// CheckTargetPlausibility), against the values in force of their units,
// with the thresholds of the settings, and puts the warnings on p.
func checkPlanbook(ctx context.Context, s indicators.Store, p *PlanbookPreview, cat *indicators.Catalog) error {
	p.Plausibility, p.Implausible = nil, 0
	inds := append([]indicators.Indicator(nil), cat.Indicators...)
	units := append([]indicators.Unit(nil), cat.Units...)
	// Items the workbook itself adds count as if stored.
	for _, ch := range p.Changes {
		if ch.Indicator != nil {
			inds = append(inds, *ch.Indicator)
		}
		if ch.Unit != nil && ch.Action == indicators.Create {
			units = append(units, *ch.Unit)
		}
	}
	byCode := map[string]*indicators.Indicator{}
	for i := range inds {
		byCode[inds[i].Code] = &inds[i]
	}
	points, ends := indicators.TargetCandidates(p.Changes, byCode, units)
	if len(ends) == 0 {
		return nil
	}
	settings, err := s.Settings(ctx)
	if err != nil {
		return err
	}
	codeSet, unitSet := map[string]bool{}, map[string]bool{}
	for _, c := range append(points, ends...) {
		codeSet[c.Indicator], unitSet[c.Unit] = true, true
	}
	codes, unitList := keysOf(codeSet), keysOf(unitSet)
	var known []indicators.Value
	for _, code := range settings.Plausibility.Related(codes) {
		vs, err := s.Values(ctx, indicators.ValueFilter{Indicator: code, Units: unitList})
		if err != nil {
			return fmt.Errorf("importers: history of %s for the plan workbook's plausibility checks: %w", code, err)
		}
		known = append(known, indicators.Current(vs, time.Now())...)
	}
	p.Plausibility, p.Implausible = indicators.CheckTargetPlausibility(p.Changes, known, inds, units, settings.Plausibility, 1000)
	return nil
}

func keysOf(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// errPlanbookUnconfirmed refuses a plan workbook whose plausibility
// warnings were not confirmed with a note.
func errPlanbookUnconfirmed(n int) error {
	return indicators.FieldError(indicators.EINVALID, "confirm_plausibility",
		fmt.Sprintf("sổ kế hoạch có %d cảnh báo về tính hợp lý của các cận mục tiêu: hãy xác nhận và ghi chú lý do, hoặc sửa các ô được nêu rồi tải lên lại; chưa có gì được ghi", n),
		fmt.Sprintf("the plan workbook has %d plausibility warnings on its targets' bounds: confirm them with a note, or fix the cells named and upload again; nothing was stored", n))
}

// confirmed checks that a preview with warnings comes with a note.
func (p *PlanbookPreview) confirmed(note string) error {
	if p.Implausible > 0 && strings.TrimSpace(note) == "" {
		return errPlanbookUnconfirmed(p.Implausible)
	}
	return nil
}
