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

// yearly picks, for each year, the value in force of one scope: official
// beats estimate, and a plan value only when asked for. Only whole-year
// periods count.
func yearly(vs []indicators.Value, scope indicators.Scope, types ...indicators.ValueType) map[int]indicators.Value {
	rank := map[indicators.ValueType]int{}
	for i, t := range types {
		rank[t] = i + 1
	}
	out := map[int]indicators.Value{}
	for _, v := range vs {
		if v.Superseded || !v.Period.IsYear() || (scope != "" && v.Scope != scope) || rank[v.Type] == 0 {
			continue
		}
		if cur, ok := out[v.Period.Year]; !ok || rank[v.Type] > rank[cur.Type] {
			out[v.Period.Year] = v
		}
	}
	return out
}

// sparkline draws the yearly values of one scope from year from to year to
// as a small SVG line; numbers only, so nothing from the data reaches the
// markup as text.
func sparkline(vs []indicators.Value, scope indicators.Scope, from, to int, label string) template.HTML {
	ys := yearly(vs, scope, indicators.EstimateValue, indicators.OfficialValue)
	var years []int
	for y := range ys {
		if y >= from && y <= to {
			years = append(years, y)
		}
	}
	if len(years) < 2 {
		return ""
	}
	sort.Ints(years)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, y := range years {
		lo, hi = math.Min(lo, ys[y].Value), math.Max(hi, ys[y].Value)
	}
	if hi == lo {
		hi, lo = hi+1, lo-1
	}
	const w, h, pad = 120.0, 32.0, 3.0
	var pts []string
	var last [2]float64
	for _, y := range years {
		x := pad + (w-2*pad)*float64(y-from)/float64(max(to-from, 1))
		yy := h - pad - (h-2*pad)*(ys[y].Value-lo)/(hi-lo)
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, yy))
		last = [2]float64{x, yy}
	}
	return template.HTML(fmt.Sprintf(`<svg class="spark" viewBox="0 0 %g %g" role="img" aria-label="%s"><polyline points="%s"/><circle cx="%.1f" cy="%.1f" r="2"/></svg>`,
		w, h, template.HTMLEscapeString(label), strings.Join(pts, " "), last[0], last[1]))
}
