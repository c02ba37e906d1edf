package indicators

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// PlausibilitySettings are the thresholds of the plausibility checks that
// run before values are committed (DESIGN §4). Their findings are warnings
// which the planner confirms with a note or fixes; none blocks on its own.
type PlausibilitySettings struct {
	// JumpFactor: a change from the unit's previous value larger than this
	// many times the largest change between consecutive past values of
	// the same series is a jump (3).
	JumpFactor float64
	// JumpFloor: … provided the change is also larger than this share of
	// the previous value (0.10), so that a flat history (largest past
	// change 0) does not flag every small move.
	JumpFloor float64
	// GrowthJumpFloor replaces JumpFloor for growth rates, in points
	// (20): a share of a rate near zero means nothing, and a recovery
	// such as −2,79 → 12,64 % (Can Tho, 2021 → 2022) is real.
	GrowthJumpFloor float64
	// JumpRatio: a new value more than this many times the previous one,
	// or less than its inverse, is a jump even without a history of
	// changes (3). Growth rates are exempt: 0,5 → 7 % is ordinary.
	JumpRatio float64
	// ShareTolerance is how many points the parts of a whole may miss 100
	// by (0.5).
	ShareTolerance float64
	// GrowthTolerance is how many points a growth rate may differ from the
	// growth its levels imply (1).
	GrowthTolerance float64
	// Wholes lists groups of share indicators that together make 100 %
	// of a whole. The catalogue does not mark such groups, so they are
	// declared here; DefaultPlausibility names Resolution 59's.
	Wholes [][]string
	// MaxChecked is how many new and changed values of one import are
	// checked (100,000: a year of monthly reports of 103 communes × 62
	// indicators is 76,632); the preview says so when a file holds more.
	MaxChecked int
	// GrowthOf maps a growth-rate indicator to the level indicator whose
	// year-on-year change it is, in the same prices. The catalogue does
	// not link them, so they are declared here too.
	GrowthOf map[string]string
}

// DefaultPlausibility returns the default thresholds, with the groups and
// links of the built-in catalogue: the four sector shares of GRDP
// (ECO-10…13) make a whole; budget revenue growth is the growth of budget
// revenue (ECO-06g → ECO-06), social investment growth of social
// investment (ECO-04 → ECO-05) and population growth of the average
// population (SOC-09g → SOC-09). GRDP growth (ECO-01) is at constant
// prices and GRDP (ECO-16) at current ones, so they are not linked.
func DefaultPlausibility() PlausibilitySettings {
	return PlausibilitySettings{
		JumpFactor:      3,
		JumpFloor:       0.10,
		GrowthJumpFloor: 20,
		JumpRatio:       3,
		ShareTolerance:  0.5,
		GrowthTolerance: 1,
		MaxChecked:      100000,
		Wholes:          [][]string{{"ECO-10", "ECO-11", "ECO-12", "ECO-13"}},
		GrowthOf:        map[string]string{"ECO-06g": "ECO-06", "ECO-04": "ECO-05", "SOC-09g": "SOC-09"},
	}
}

// Plausibility check names, as a warning carries them.
const (
	CheckRange  = "range"  // a percentage outside 0–100
	CheckJump   = "jump"   // far beyond the unit's usual change
	CheckWhole  = "whole"  // parts of a whole not summing to 100
	CheckGrowth = "growth" // a growth rate against its levels
)

// Candidate is a value about to be committed, with the cell it came from.
type Candidate struct {
	Key
	Value float64
	Sheet string
	Cell  string
}

// PlausibilityWarning is one finding of the plausibility checks: which
// value, from which cell, and why it looks wrong, in both languages.
type PlausibilityWarning struct {
	Check     string `json:"check"`
	Indicator string `json:"indicator"`
	Unit      string `json:"unit"`
	Period    string `json:"period"`
	Type      string `json:"type"`
	Sheet     string `json:"sheet"`
	Cell      string `json:"cell"`
	ReasonVI  string `json:"reason_vi"`
	ReasonEN  string `json:"reason_en"`
}

// Reason returns the reason in lang ("en", else Vietnamese).
func (w PlausibilityWarning) Reason(lang string) string {
	if lang == "en" {
		return w.ReasonEN
	}
	return w.ReasonVI
}

// CheckPlausibility checks the candidates against what is known: known
// are the values in force (of the candidates' units, their indicators and
// those grouped or linked with them), inds the catalogue's indicators. A
// candidate replaces the known value of its key. It returns the first
// limit warnings (all when limit ≤ 0), in the candidates' order, and how
// many there are in all, so that a file of random numbers does not hold a
// warning per value in memory.
func CheckPlausibility(cands []Candidate, known []Value, inds []Indicator, s PlausibilitySettings, limit int) ([]PlausibilityWarning, int) {
	byCode := make(map[string]*Indicator, len(inds))
	for i := range inds {
		byCode[inds[i].Code] = &inds[i]
	}
	// The values as they would stand after the commit.
	after := make(map[Key]float64, len(known)+len(cands))
	for _, v := range known {
		after[v.Key] = v.Value
	}
	for _, c := range cands {
		after[c.Key] = c.Value
	}
	p := plausibility{s: s, byCode: byCode, after: after, series: map[seriesKey][]Period{}}
	for k := range after {
		sk := seriesKey{k.Indicator, k.Unit, k.Type, k.Period.Kind}
		p.series[sk] = append(p.series[sk], k.Period)
	}
	for _, ps := range p.series {
		sort.Slice(ps, func(i, j int) bool { return ps[i].before(ps[j]) })
	}
	var out []PlausibilityWarning
	n := 0
	for _, c := range cands {
		ind := byCode[c.Indicator]
		if ind == nil {
			continue
		}
		// Once the list is full the rest are only counted: their reasons
		// are not written, which for a file of random numbers is most of
		// the time and memory of the checks.
		p.counting = limit > 0 && len(out) >= limit
		ws := p.check(c, ind)
		n += len(ws)
		if limit > 0 && len(out)+len(ws) > limit {
			ws = ws[:max(0, limit-len(out))]
		}
		out = append(out, ws...)
	}
	return out, n
}

type seriesKey struct {
	Indicator, Unit string
	Type            ValueType
	Kind            PeriodKind
}

type plausibility struct {
	s      PlausibilitySettings
	byCode map[string]*Indicator
	after  map[Key]float64
	series map[seriesKey][]Period // periods with a value, in order
	// counting: warnings are counted, not described.
	counting bool
}

func (p Period) before(q Period) bool {
	if p.Year != q.Year {
		return p.Year < q.Year
	}
	return p.N < q.N
}

func (p *plausibility) check(c Candidate, ind *Indicator) []PlausibilityWarning {
	var out []PlausibilityWarning
	warn := func(check, vi, en string) {
		if p.counting {
			out = append(out, PlausibilityWarning{Check: check})
			return
		}
		out = append(out, PlausibilityWarning{Check: check, Indicator: c.Indicator, Unit: c.Unit, Period: c.Period.String(),
			Type: string(c.Type), Sheet: c.Sheet, Cell: c.Cell, ReasonVI: vi, ReasonEN: en})
	}
	num := func(x float64, lang string) string {
		if p.counting {
			return ""
		}
		return FormatTrim(x, max(ind.Decimals, 2), lang)
	}
	percent := (ind.Measure == Rate || ind.Measure == Share) && strings.HasPrefix(strings.TrimSpace(ind.Unit), "%")
	if percent && (c.Value < 0 || c.Value > 100) {
		warn(CheckRange,
			fmt.Sprintf("%s là tỷ lệ phần trăm nhưng giá trị %s nằm ngoài khoảng 0–100 %%", c.Indicator, num(c.Value, "vi")),
			fmt.Sprintf("%s is a percentage but %s lies outside 0–100 %%", c.Indicator, num(c.Value, "en")))
	}
	if vi, en, ok := p.jump(c, ind, num); ok {
		warn(CheckJump, vi, en)
	}
	for _, whole := range p.s.Wholes {
		if !containsCode(whole, c.Indicator) {
			continue
		}
		sum, all := 0.0, true
		for _, code := range whole {
			v, ok := p.after[Key{code, c.Unit, c.Period, c.Type}]
			if !ok {
				all = false
				break
			}
			sum += v
		}
		// 0,5 points of rounding across four parts is usual; more is not.
		if all && math.Abs(sum-100) > p.s.ShareTolerance+1e-9 {
			parts := strings.Join(whole, " + ")
			warn(CheckWhole,
				fmt.Sprintf("các phần %s cộng lại được %s %%, không phải 100 %% (± %s)", parts, num(sum, "vi"), num(p.s.ShareTolerance, "vi")),
				fmt.Sprintf("the parts %s add up to %s %%, not 100 %% (± %s)", parts, num(sum, "en"), num(p.s.ShareTolerance, "en")))
		}
	}
	for growth, level := range p.s.GrowthOf {
		switch c.Indicator {
		case growth:
			p.growth(growth, level, c.Unit, c.Type, c.Period, warn, num)
		case level:
			// A level is the end of one year's growth and the start of the next's.
			p.growth(growth, level, c.Unit, c.Type, c.Period, warn, num)
			next := c.Period
			next.Year++
			p.growth(growth, level, c.Unit, c.Type, next, warn, num)
		}
	}
	return out
}

// jump compares a candidate with the previous value of its series (the
// same indicator, unit, type and kind of period; official values when its
// own type has none before it).
func (p *plausibility) jump(c Candidate, ind *Indicator, num func(float64, string) string) (vi, en string, ok bool) {
	ps := p.series[seriesKey{c.Indicator, c.Unit, c.Type, c.Period.Kind}]
	typ := c.Type
	if i := sort.Search(len(ps), func(i int) bool { return !ps[i].before(c.Period) }); i == 0 && c.Type != OfficialValue {
		ps, typ = p.series[seriesKey{c.Indicator, c.Unit, OfficialValue, c.Period.Kind}], OfficialValue
	}
	var past []float64 // values before the candidate's period, in order
	for _, q := range ps {
		if !q.before(c.Period) {
			break
		}
		past = append(past, p.after[Key{c.Indicator, c.Unit, q, typ}])
	}
	if len(past) == 0 {
		return "", "", false
	}
	prev := past[len(past)-1]
	delta := math.Abs(c.Value - prev)
	largest := 0.0
	for i := 1; i < len(past); i++ {
		largest = max(largest, math.Abs(past[i]-past[i-1]))
	}
	floor := p.s.JumpFloor * math.Abs(prev)
	if ind.Measure == GrowthRate {
		floor = p.s.GrowthJumpFloor
	}
	byHistory := len(past) >= 2 && delta > p.s.JumpFactor*largest && delta > floor
	byRatio := ind.Measure != GrowthRate && prev != 0 && p.s.JumpRatio > 0 &&
		(c.Value/prev > p.s.JumpRatio || c.Value/prev < 1/p.s.JumpRatio)
	switch {
	case byHistory:
		return fmt.Sprintf("%s → %s: thay đổi %s, gấp hơn %s lần mức thay đổi lớn nhất trước đây của đơn vị (%s)",
				num(prev, "vi"), num(c.Value, "vi"), num(delta, "vi"), num(p.s.JumpFactor, "vi"), num(largest, "vi")),
			fmt.Sprintf("%s → %s: a change of %s, more than %s times the unit's largest past change (%s)",
				num(prev, "en"), num(c.Value, "en"), num(delta, "en"), num(p.s.JumpFactor, "en"), num(largest, "en")), true
	case byRatio:
		return fmt.Sprintf("%s → %s: gấp %s lần giá trị kỳ trước của đơn vị (ngưỡng %s lần)",
				num(prev, "vi"), num(c.Value, "vi"), num(c.Value/prev, "vi"), num(p.s.JumpRatio, "vi")),
			fmt.Sprintf("%s → %s: %s times the unit's previous value (threshold %s times)",
				num(prev, "en"), num(c.Value, "en"), num(c.Value/prev, "en"), num(p.s.JumpRatio, "en")), true
	}
	return "", "", false
}

// growth compares the growth rate of period y with the growth its levels
// imply, (L_y ÷ L_{y−1} − 1) × 100, when all three values are known.
func (p *plausibility) growth(growth, level, unit string, typ ValueType, y Period, warn func(check, vi, en string), num func(float64, string) string) {
	if !y.IsYear() {
		return
	}
	prevY := y
	prevY.Year--
	g, ok1 := p.after[Key{growth, unit, y, typ}]
	l, ok2 := p.after[Key{level, unit, y, typ}]
	l0, ok3 := p.after[Key{level, unit, prevY, typ}]
	if !ok3 && typ != OfficialValue {
		l0, ok3 = p.after[Key{level, unit, prevY, OfficialValue}]
	}
	if !ok1 || !ok2 || !ok3 || l0 == 0 {
		return
	}
	implied := (l/l0 - 1) * 100
	if math.Abs(g-implied) <= p.s.GrowthTolerance+1e-9 {
		return
	}
	warn(CheckGrowth,
		fmt.Sprintf("tăng trưởng %s năm %d là %s %% nhưng %s tăng từ %s lên %s, tức %s %% (lệch quá %s điểm)",
			growth, y.Year, num(g, "vi"), level, num(l0, "vi"), num(l, "vi"), num(implied, "vi"), num(p.s.GrowthTolerance, "vi")),
		fmt.Sprintf("growth %s for %d is %s %% but %s went from %s to %s, which is %s %% (more than %s points apart)",
			growth, y.Year, num(g, "en"), level, num(l0, "en"), num(l, "en"), num(implied, "en"), num(p.s.GrowthTolerance, "en")))
}

func containsCode(codes []string, code string) bool {
	for _, c := range codes {
		if c == code {
			return true
		}
	}
	return false
}

// Related returns the indicators whose values the checks of codes read:
// the codes themselves, the other parts of their wholes and the indicators
// linked to them by growth.
func (s PlausibilitySettings) Related(codes []string) []string {
	set := map[string]bool{}
	for _, c := range codes {
		set[c] = true
		for _, whole := range s.Wholes {
			if containsCode(whole, c) {
				for _, w := range whole {
					set[w] = true
				}
			}
		}
		for g, l := range s.GrowthOf {
			if c == g || c == l {
				set[g], set[l] = true, true
			}
		}
	}
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
