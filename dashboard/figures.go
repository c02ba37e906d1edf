package dashboard

import (
	"context"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// Approved figures. Leaders read the figures the heads of units approved
// (and those the built-in catalogue took from published sources); the
// switch ?figures=all shows every figure entered. The engine's choice of
// values stays its one rule: the pages only filter the values fed to it,
// through indicators.ApprovedStore. Approving writes an audit event, which
// moves the data version, so the page caches follow.

// approvals returns what tells approved values from the others, cached
// until the store changes.
func (s *Server) approvals(ctx context.Context) (indicators.Approvals, error) {
	v, err := s.cached(ctx, "approvals", func(ctx context.Context) (any, error) {
		return s.submissions.Approvals(ctx)
	})
	if err != nil {
		return indicators.Approvals{}, err
	}
	return v.(indicators.Approvals), nil
}

// readFigures reads ?figures= into st, or sets the default.
func (s *Server) readFigures(c echo.Context, st *pageState) error {
	switch v := c.QueryParam("figures"); v {
	case "approved", "all":
		st.Figures, st.figuresSet = v, true
		return nil
	case "":
	default:
		return indicators.FieldError(indicators.EINVALID, "figures",
			"tham số figures chỉ nhận approved (số liệu đã phê duyệt) hoặc all (mọi số liệu đã nhập)",
			"figures takes approved or all")
	}
	ap, err := s.approvals(c.Request().Context())
	if err != nil {
		return err
	}
	st.Figures = "all"
	if ap.InUse() {
		st.Figures = "approved"
	}
	return nil
}

// trackerOf is the engine fed with the figures st counts.
func (s *Server) trackerOf(ctx context.Context, st pageState) (indicators.Tracker, error) {
	if st.Figures != "approved" {
		return s.tracker, nil
	}
	ap, err := s.approvals(ctx)
	if err != nil {
		return indicators.Tracker{}, err
	}
	return indicators.Tracker{Store: indicators.ApprovedStore{Store: s.store, Approvals: ap}}, nil
}

// figuresOf keeps of vs the values st counts.
func (s *Server) figuresOf(ctx context.Context, st pageState, vs []indicators.Value) ([]indicators.Value, error) {
	if st.Figures != "approved" {
		return vs, nil
	}
	ap, err := s.approvals(ctx)
	if err != nil {
		return nil, err
	}
	return ap.Keep(vs), nil
}

// explainedView is a unit's explanation as the pages show it.
type explainedView struct {
	Target                      int64
	Unit, Period, Cause, Remedy string
}

// explained returns, for each target, the latest explanation any unit
// wrote of it (the latest period's, then the latest written), cached until
// the store changes.
func (s *Server) explained(ctx context.Context, lang string) (map[int64]*explainedView, error) {
	v, err := s.cached(ctx, "explained|"+lang, func(ctx context.Context) (any, error) {
		es, err := s.explanations.Explanations(ctx, indicators.ExplanationFilter{})
		if err != nil {
			return nil, err
		}
		out := map[int64]*explainedView{}
		latest := map[int64]indicators.Explanation{}
		for _, e := range es {
			if l, ok := latest[e.Target]; ok && (l.Period.Year > e.Period.Year ||
				l.Period.Year == e.Period.Year && l.EnteredAt.After(e.EnteredAt)) {
				continue
			}
			latest[e.Target] = e
			out[e.Target] = &explainedView{Target: e.Target, Unit: e.Unit, Period: e.Period.Label(lang), Cause: e.Cause, Remedy: e.Remedy}
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(map[int64]*explainedView), nil
}

// publicTracker is the engine the public view reads: the approved figures
// only, once the office runs the approval cycle (DESIGN §5: a public view
// of approved figures); every figure before that, as the pages do.
func (s *Server) publicTracker(ctx context.Context) (indicators.Tracker, error) {
	ap, err := s.approvals(ctx)
	if err != nil {
		return indicators.Tracker{}, err
	}
	if !ap.InUse() {
		return s.tracker, nil
	}
	return indicators.Tracker{Store: indicators.ApprovedStore{Store: s.store, Approvals: ap}}, nil
}

// publicFigures keeps of vs what the public view shows: see publicTracker.
func (s *Server) publicFigures(ctx context.Context, vs []indicators.Value) ([]indicators.Value, error) {
	ap, err := s.approvals(ctx)
	if err != nil || !ap.InUse() {
		return vs, err
	}
	return ap.Keep(vs), nil
}
