package reports

import (
	"context"

	"chitieu/indicators"
)

// notApprovedMark follows a figure the head of its unit has not approved.
const notApprovedMark = "†"

// readCycle reads what the report says of the reporting cycle as of its
// moment: approvals decided by then, and the latest explanation of each
// target written by then.
func (p *progress) readCycle(ctx context.Context, src Source) error {
	ap, err := src.Approvals(ctx)
	if err != nil {
		return err
	}
	p.approvals = ap.DecidedBy(p.asOf)
	es, err := src.Explanations(ctx, indicators.ExplanationFilter{})
	if err != nil {
		return err
	}
	p.explained = map[int64]indicators.Explanation{}
	for _, e := range es {
		if e.EnteredAt.After(p.asOf) {
			continue
		}
		if l, ok := p.explained[e.Target]; ok && (l.Period.Year > e.Period.Year ||
			l.Period.Year == e.Period.Year && l.EnteredAt.After(e.EnteredAt)) {
			continue
		}
		p.explained[e.Target] = e
	}
	return nil
}

// explainText is the engine's sentence on a target and, when the unit
// explained it, the unit's account after it, each under its name:
// "Đánh giá tự động: …" then "Giải trình của đơn vị (CT-CU, 2024):
// Nguyên nhân: …; Giải pháp: …". The unit's words never replace the
// engine's.
func (p *progress) explainText(target int64, sentence string) string {
	e, ok := p.explained[target]
	if !ok {
		return sentence
	}
	l := p.lang
	return l.pick("Đánh giá tự động: ", "Automatic assessment: ") + sentence + "\n" +
		l.pick("Giải trình của đơn vị (", "The unit's explanation (") + e.Unit + ", " + e.Period.Label(string(l)) + "): " +
		l.pick("Nguyên nhân: ", "Cause: ") + e.Cause + "; " + l.pick("Giải pháp: ", "Remedy: ") + e.Remedy
}
