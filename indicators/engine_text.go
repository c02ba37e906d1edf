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

func num(x float64) bilingual {
	return bilingual{FormatTrim(x, 2, "vi"), FormatTrim(x, 2, "en")}
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

// boundText writes the target's bound in the indicator's unit.
func (e *engine) boundText() bilingual {
	u := e.units()
	return e.boundTextUnit(u.vi, u.en)
}

// boundTextUnit writes the bound with FormatTrim ("7,5–8 %/năm") rather than
// Bound.Format, whose fixed decimals would print "7,50–8,00".
func (e *engine) boundTextUnit(unitVI, unitEN string) bilingual {
	b := e.in.Target.Bound
	a, hi := num(b.A), num(b.B)
	var m bilingual
	switch b.Op {
	case OpAtLeast:
		m = bilingual{"≥ " + a.vi, "≥ " + a.en}
	case OpAtMost:
		m = bilingual{"≤ " + a.vi, "≤ " + a.en}
	case OpAbout:
		m = bilingual{"khoảng " + a.vi, "about " + a.en}
	case OpRange:
		m = bilingual{a.vi + "–" + hi.vi, a.en + "–" + hi.en}
	default:
		return bilingual{"chưa lượng hóa", "not quantified"}
	}
	if unitVI != "" {
		m.vi += " " + unitVI
	}
	if unitEN != "" {
		m.en += " " + unitEN
	}
	return m
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
