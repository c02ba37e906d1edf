package dashboard

import (
	"context"
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"
	"time"

	"chitieu/indicators"
)

// indicator returns an indicator of the catalogue by code, cached until
// the store changes: every indicator page asks for it.
func (s *Server) indicator(ctx context.Context, code string) (indicators.Indicator, error) {
	v, err := s.cached(ctx, "indicator|"+code, func(ctx context.Context) (any, error) {
		return s.store.Indicator(ctx, code)
	})
	if err != nil {
		return indicators.Indicator{}, err
	}
	return v.(indicators.Indicator), nil
}

// cityValues returns every value of an indicator for the city as a whole
// (both scopes, all types, superseded ones included) as they stood at the
// end of day asOf, from the cache when the store has not changed.
func (s *Server) cityValues(ctx context.Context, code string, asOf time.Time) ([]indicators.Value, error) {
	key := "city|" + code + "|" + asOf.Format(indicators.DateLayout)
	v, err := s.cached(ctx, key, func(ctx context.Context) (any, error) {
		return s.store.Values(ctx, indicators.ValueFilter{Indicator: code, UnitKind: indicators.City, EnteredBy: asOf})
	})
	if err != nil {
		return nil, err
	}
	return v.([]indicators.Value), nil
}

// sparkline draws a target's yearly values — the series the engine counts
// for its territory — from year from to year to as a small SVG line;
// numbers only, so nothing from the data reaches the markup as text.
func sparkline(series []indicators.UsedValue, from, to int, label string) template.HTML {
	var pts []indicators.UsedValue
	for _, v := range series {
		if v.Year >= from && v.Year <= to {
			pts = append(pts, v)
		}
	}
	if len(pts) < 2 {
		return ""
	}
	sort.Slice(pts, func(i, j int) bool { return pts[i].Year < pts[j].Year })
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range pts {
		lo, hi = math.Min(lo, v.Value), math.Max(hi, v.Value)
	}
	if hi == lo {
		hi, lo = hi+1, lo-1
	}
	const w, h, pad = 120.0, 32.0, 3.0
	var coords []string
	var last [2]float64
	for _, v := range pts {
		x := pad + (w-2*pad)*float64(v.Year-from)/float64(max(to-from, 1))
		yy := h - pad - (h-2*pad)*(v.Value-lo)/(hi-lo)
		coords = append(coords, fmt.Sprintf("%.1f,%.1f", x, yy))
		last = [2]float64{x, yy}
	}
	return template.HTML(fmt.Sprintf(`<svg class="spark" viewBox="0 0 %g %g" role="img" aria-label="%s"><polyline points="%s"/><circle cx="%.1f" cy="%.1f" r="2"/></svg>`,
		w, h, template.HTMLEscapeString(label), strings.Join(coords, " "), last[0], last[1]))
}
