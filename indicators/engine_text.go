package indicators

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// bilingual is one phrase in Vietnamese and in English.
type bilingual struct{ vi, en string }

// scopeNote adds why values of the period that belong to another territory
// were left out: a leader who has seen the merged city's 2025 figure must
// learn why it does not count.
func (e *engine) scopeNote(m bilingual) bilingual {
	byScope := map[Scope][]int{}
	var scopes []Scope
	for _, x := range e.p.Excluded {
		if !e.in.Target.Period.Contains(x.Year) {
			continue
		}
		if byScope[x.Scope] == nil {
			scopes = append(scopes, x.Scope)
		}
		byScope[x.Scope] = append(byScope[x.Scope], x.Year)
	}
	for _, sc := range scopes {
		name := scopeName(sc)
		ys := joinYears(byScope[sc])
		m.vi += fmt.Sprintf(", và số liệu năm %s thuộc %s nên không được tính", ys, name.vi)
		if len(byScope[sc]) == 1 {
			m.en += fmt.Sprintf(", and the %s figure is for %s, so it does not count", ys, name.en)
		} else {
			m.en += fmt.Sprintf(", and the %s figures are for %s, so they do not count", ys, name.en)
		}
	}
	return m
}

func scopeName(s Scope) bilingual {
	switch s {
	case OldCity:
		return bilingual{"thành phố trước hợp nhất", "the city before the merger"}
	case MergedCity:
		return bilingual{"thành phố sau hợp nhất", "the merged city"}
	case "":
		return bilingual{"phạm vi chưa xác định", "no stated territory"}
	}
	return bilingual{"phạm vi " + string(s), "scope " + string(s)}
}

// statusLabel names a status inside a sentence.
func statusLabel(st Status) bilingual {
	switch st {
	case OnTrack:
		return bilingual{"đúng tiến độ", "on track"}
	case AtRisk:
		return bilingual{"có nguy cơ chậm", "at risk"}
	case OffTrack:
		return bilingual{"chậm tiến độ", "off track"}
	case Regressing:
		return bilingual{"đi ngược hướng mục tiêu", "moving away from the target"}
	}
	return bilingual{string(st), string(st)}
}

// fig rounds a figure to 4 decimals against float noise; nil when it is not
// a number.
func fig(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	r := math.Round(x*1e4) / 1e4
	if r == 0 {
		r = 0 // no "-0"
	}
	return &r
}

// num writes a figure for a sentence with at most two decimals and a true
// minus sign: "−12", not "-12".
func num(x float64) bilingual {
	minus := func(s string) string {
		if strings.HasPrefix(s, "-") {
			return "−" + s[1:]
		}
		return s
	}
	return bilingual{minus(FormatTrim(x, 2, "vi")), minus(FormatTrim(x, 2, "en"))}
}

func pct(x float64) bilingual {
	n := num(x)
	return bilingual{n.vi + " %", n.en + " %"}
}

func perYear(x float64) bilingual {
	n := num(x)
	return bilingual{n.vi + " %/năm", n.en + " %/yr"}
}

// growthPhrase writes a rate in percent per year with its way: "tăng 3,1
// %/năm" / "rise of 3.1 %/yr", "giảm 2 %/năm" / "fall of 2 %/yr".
func growthPhrase(x float64) bilingual {
	p := perYear(math.Abs(x))
	if x < 0 {
		return bilingual{"giảm " + p.vi, "fall of " + p.en}
	}
	return bilingual{"tăng " + p.vi, "rise of " + p.en}
}

// units are the indicator's unit in each language, "" when it has none.
func (e *engine) units() bilingual {
	u := bilingual{e.in.Indicator.Unit, e.in.Indicator.UnitEN}
	if u.en == "" {
		u.en = u.vi
	}
	return u
}

// amount writes x in the indicator's unit: "6.500 USD".
func (e *engine) amount(x float64) bilingual {
	n, u := num(x), e.units()
	if u.vi == "" {
		return n
	}
	return bilingual{n.vi + " " + u.vi, n.en + " " + u.en}
}

// unitChange writes a change per year in the indicator's unit with its
// way; a change of a percentage is in percentage points.
func (e *engine) unitChange(x float64) bilingual {
	p := e.unitAmountPerYear(math.Abs(x))
	if x < 0 {
		return bilingual{"giảm " + p.vi, "fall of " + p.en}
	}
	return bilingual{"tăng " + p.vi, "rise of " + p.en}
}

func (e *engine) unitAmountPerYear(x float64) bilingual {
	n, u := num(x), e.units()
	switch u.vi {
	case "%":
		return bilingual{n.vi + " điểm %/năm", n.en + " pp/yr"}
	case "":
		return bilingual{n.vi + "/năm", n.en + "/yr"}
	}
	return bilingual{n.vi + " " + u.vi + "/năm", n.en + " " + u.en + "/yr"}
}

// shareOf writes x as a percentage of whole: "93 %".
func shareOf(x, whole float64) bilingual {
	if whole == 0 {
		return bilingual{"–", "–"}
	}
	return pct(100 * x / whole)
}

// boundText writes the bound judged in the indicator's unit, in words: "từ
// 161,05 tỷ đồng trở lên", "không quá 4 %"; a relative target's with the
// ratio it comes from: "ít nhất gấp 1,5 lần năm 2020 = 145,3 tỷ đồng".
func (e *engine) boundText() bilingual {
	u := e.units()
	if e.in.Target.Kind == RelativeTarget && e.p.Band != nil && e.p.Band.Ratio != nil {
		r := e.ratioText(e.p.Band.BaseYear)
		lvl := boundWords(Bound{Op: OpRange, A: e.bound.A, B: e.bound.B}, u.vi, u.en)
		if e.bound.Op != OpRange {
			a := e.amount(e.bound.A)
			lvl = a
		}
		return bilingual{r.vi + " = " + lvl.vi, r.en + " = " + lvl.en}
	}
	return boundWords(e.bound, u.vi, u.en)
}

// boundTextUnit writes the bound in another unit ("%/năm" for growth).
func (e *engine) boundTextUnit(unitVI, unitEN string) bilingual {
	return boundWords(e.bound, unitVI, unitEN)
}

// boundWords writes a bound in words with FormatTrim ("7,5–8 %/năm")
// rather than Bound.Format, whose fixed decimals would print "7,50–8,00".
func boundWords(b Bound, unitVI, unitEN string) bilingual {
	a, hi := num(b.A), num(b.B)
	with := func(x bilingual) bilingual {
		if unitVI != "" {
			x.vi += " " + unitVI
		}
		if unitEN != "" {
			x.en += " " + unitEN
		}
		return x
	}
	switch b.Op {
	case OpAtLeast:
		x := with(a)
		return bilingual{"từ " + x.vi + " trở lên", "at least " + x.en}
	case OpAbove:
		x := with(a)
		return bilingual{"trên " + x.vi, "above " + x.en}
	case OpAtMost:
		x := with(a)
		return bilingual{"không quá " + x.vi, "at most " + x.en}
	case OpBelow:
		x := with(a)
		return bilingual{"dưới " + x.vi, "below " + x.en}
	case OpAbout:
		x := with(a)
		return bilingual{"khoảng " + x.vi, "about " + x.en}
	case OpRange:
		return with(bilingual{a.vi + "–" + hi.vi, a.en + "–" + hi.en})
	}
	return bilingual{"chưa lượng hóa", "not quantified"}
}

// ratioText writes a relative target's ratio to its base year: "ít nhất gấp
// 1,5 lần năm 2020", "không quá 0,7 lần năm 2020".
func (e *engine) ratioText(base int) bilingual {
	r := e.in.Target.Bound
	a, b := num(r.A), num(r.B)
	var w bilingual
	switch r.Op {
	case OpAtLeast:
		w = bilingual{"ít nhất gấp " + a.vi, "at least " + a.en}
	case OpAbove:
		w = bilingual{"hơn " + a.vi, "more than " + a.en}
	case OpAtMost:
		w = bilingual{"không quá " + a.vi, "at most " + a.en}
	case OpBelow:
		w = bilingual{"dưới " + a.vi, "less than " + a.en}
	case OpAbout:
		w = bilingual{"khoảng " + a.vi, "about " + a.en}
	default:
		w = bilingual{"gấp " + a.vi + "–" + b.vi, a.en + "–" + b.en}
	}
	return bilingual{fmt.Sprintf("%s lần năm %d", w.vi, base), fmt.Sprintf("%s times the %d value", w.en, base)}
}

// directionText names the indicator's direction inside a sentence.
func (e *engine) directionText() bilingual {
	switch e.dir {
	case Down:
		return bilingual{"càng thấp càng tốt", "lower is better"}
	case Within:
		return bilingual{"cần nằm trong khoảng", "must land within a range"}
	}
	return bilingual{"càng cao càng tốt", "higher is better"}
}

// movement writes how a value went from one year to another, signs right
// for negative series: "tăng từ −20 năm 2020 lên −12 năm 2022".
func (e *engine) movement(b, t int) bilingual {
	vb, vt := e.vals[b].Value, e.vals[t].Value
	ab, at := e.amount(vb), e.amount(vt)
	switch {
	case vt > vb+eps:
		return bilingual{fmt.Sprintf("tăng từ %s năm %d lên %s năm %d", ab.vi, b, at.vi, t),
			fmt.Sprintf("rose from %s in %d to %s in %d", ab.en, b, at.en, t)}
	case vt < vb-eps:
		return bilingual{fmt.Sprintf("giảm từ %s năm %d xuống %s năm %d", ab.vi, b, at.vi, t),
			fmt.Sprintf("fell from %s in %d to %s in %d", ab.en, b, at.en, t)}
	}
	return bilingual{fmt.Sprintf("giữ ở mức %s từ năm %d đến năm %d", at.vi, b, t),
		fmt.Sprintf("stayed at %s from %d to %d", at.en, b, t)}
}

func (e *engine) asOfDate() bilingual { return dateText(e.in.AsOf) }

// dateText writes a day the way each language does: 31/12/2025, 31 Dec 2025.
func dateText(t time.Time) bilingual {
	t = t.In(Vietnam)
	return bilingual{t.Format("02/01/2006"), t.Format("2 Jan 2006")}
}

// span writes a run of years: "2021–2024", or "2024" alone.
func span(from, to int) string {
	if from == to {
		return fmt.Sprint(from)
	}
	return fmt.Sprintf("%d–%d", from, to)
}

func joinYears(ys []int) string {
	parts := make([]string, len(ys))
	for i, y := range ys {
		parts[i] = fmt.Sprint(y)
	}
	return strings.Join(parts, ", ")
}

// trimLeadingNumber drops the figure from "1 điểm %/năm", keeping its unit.
func trimLeadingNumber(s string) string {
	_, rest, ok := strings.Cut(s, " ")
	if !ok {
		return ""
	}
	return rest
}

// yearRuns writes years with runs joined: "2021–2024, 2026".
func yearRuns(ys []int) string {
	var parts []string
	for i := 0; i < len(ys); {
		j := i
		for j+1 < len(ys) && ys[j+1] == ys[j]+1 {
			j++
		}
		parts = append(parts, span(ys[i], ys[j]))
		i = j + 1
	}
	return strings.Join(parts, ", ")
}
