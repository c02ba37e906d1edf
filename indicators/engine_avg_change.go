package indicators

import (
	"fmt"
	"math"
)

// avgChange judges the average annual change of a rate in points, in the
// indicator's direction d, against lo ("tỷ lệ hộ nghèo giảm bình quân
// 1–1,5 %/năm" on a lower-is-better rate: a fall of at least 1 point a
// year): c = d·(v_t − v_b) over k = t − b years.
func (e *engine) avgChange() Progress {
	per := e.in.Target.Period
	n, T := per.Years(), per.To
	lo, _ := e.bound.Interval(e.tol)
	b, t, ok := e.baseAndLatest()
	if !ok {
		return e.noValues(per.BaseYear())
	}
	e.p.BaseYear, e.p.LatestYear = b, t
	if t == b {
		return e.oneYear(t)
	}
	e.use(b, t)
	d := e.dir.Sign()
	if d == 0 {
		d = 1
	}
	k := t - b
	c := d * (e.vals[t].Value - e.vals[b].Value)
	avg := c / float64(k)
	e.p.SoFar = fig(avg)
	moved, pace, bound := e.movement(b, t), e.unitChange((e.vals[t].Value-e.vals[b].Value)/float64(k)), e.changeBound(d)
	head := bilingual{
		fmt.Sprintf("Chỉ tiêu %s, bình quân %s", moved.vi, pace.vi),
		fmt.Sprintf("The value %s, an average %s", moved.en, pace.en),
	}
	if t == T {
		if e.meetsLo(avg) {
			return e.done(Achieved, "", bilingual{
				fmt.Sprintf("%s, đạt mục tiêu %s", head.vi, bound.vi),
				fmt.Sprintf("%s, meeting the target of %s", head.en, bound.en),
			})
		}
		return e.done(OffTrack, "", bilingual{
			fmt.Sprintf("%s, không đạt mục tiêu %s", head.vi, bound.vi),
			fmt.Sprintf("%s, missing the target of %s", head.en, bound.en),
		})
	}
	left := T - t
	if k+left != n {
		// The base moved after the period's start (its year had no
		// value): what is left is counted from t, the average over k.
		n = k + left
	}
	req := (float64(n)*lo - c) / float64(left)
	e.p.Required = fig(req)
	r := e.unitAmountPerYear(math.Abs(req))
	way := bilingual{"tăng", "rise"}
	if d < 0 {
		way = bilingual{"giảm", "fall"}
	}
	if req < 0 {
		way = bilingual{"có thể " + map[bool]string{true: "tăng", false: "giảm"}[d < 0] + " tối đa", "may move back at most"}
	}
	need := e.needed(t, left,
		bilingual{way.vi + " " + r.vi, "a " + way.en + " of " + r.en},
		bilingual{way.vi + " bình quân " + r.vi, "an average " + way.en + " of " + r.en})
	switch {
	case e.meetsLo(avg):
		return e.done(OnTrack, "", bilingual{
			fmt.Sprintf("%s, đạt mức mục tiêu %s; %s để giữ mục tiêu", head.vi, bound.vi, need.vi),
			fmt.Sprintf("%s, meeting the target of %s; %s to keep to it", head.en, bound.en, need.en),
		})
	case c < 0:
		return e.done(Regressing, "", bilingual{
			fmt.Sprintf("%s, đi ngược mục tiêu %s; %s mới đạt mục tiêu", head.vi, bound.vi, need.vi),
			fmt.Sprintf("%s, moving away from the target of %s; %s to meet it", head.en, bound.en, need.en),
		})
	}
	best, year, ok := e.bestChange(t, d)
	head = bilingual{
		fmt.Sprintf("%s, chưa đạt mục tiêu %s; %s", head.vi, bound.vi, need.vi),
		fmt.Sprintf("%s, short of the target of %s; %s", head.en, bound.en, need.en),
	}
	return e.judgeBest(head, req, best, year, ok, 1, func(x float64) bilingual { return e.unitChange(d * x) })
}

// changeBound writes an avg_change bound with its way: "giảm bình quân từ 1
// điểm %/năm trở lên".
func (e *engine) changeBound(d float64) bilingual {
	u := e.unitAmountPerYear(1) // "1 điểm %/năm": keep the unit part
	unitVI, unitEN := trimLeadingNumber(u.vi), trimLeadingNumber(u.en)
	w := boundWords(e.bound, unitVI, unitEN)
	if d < 0 {
		return bilingual{"giảm bình quân " + w.vi, "an average fall of " + w.en}
	}
	return bilingual{"tăng bình quân " + w.vi, "an average rise of " + w.en}
}

// bestChange is the best one-year change in direction d of the recent
// window: d·(v_y − v_{y−1}) for the years whose year before has a value.
func (e *engine) bestChange(t int, d float64) (float64, int, bool) {
	from, to := e.recentYears(t)
	best, by, ok := 0.0, 0, false
	for _, y := range e.vals.years(from, to) {
		prev, has := e.vals[y-1]
		if !has {
			continue
		}
		x := d * (e.vals[y].Value - prev.Value)
		if !ok || x > best {
			best, by, ok = x, y, true
		}
	}
	if ok {
		e.use(by - 1)
	}
	return best, by, ok
}
