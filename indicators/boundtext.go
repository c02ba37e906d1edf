package indicators

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// TargetText is what ParseTargetText reads from a target as a Vietnamese act
// writes it ("bình quân 7,5 - 8%/năm", "không quá 4%", "khoảng 215 triệu
// đồng"). The numbers are those of the text, in the unit the text uses; Fit
// turns them into a bound in an indicator's unit. It is a suggestion that an
// admin confirms, never a value stored unseen.
type TargetText struct {
	Kind  Kind
	Bound Bound   // OpNone when the text holds no number to judge against
	Unit  string  // as written, scale word included: "%", "%/năm", "nghìn tỷ đồng", "USD"
	Scale float64 // what the unit's leading scale word multiplies by: nghìn 1e3, triệu 1e6, tỷ 1e9, nghìn tỷ 1e12; 1 without one
	// Implicit is true when the text names a number with no word saying how
	// to compare ("76%", "0,78"): read as "at least", which Fit turns into
	// "at most" when lower is better and "about" for a range-bound indicator.
	Implicit bool
}

// ParseTargetText reads the kind and the bound of a target from its text.
// A text it cannot put in numbers ("đạt và vượt dự toán Trung ương giao")
// comes back with Bound.Op == OpNone, the kind it guessed, and an EINVALID
// error: the target then keeps its text and the bound is entered by hand.
func ParseTargetText(text string) (TargetText, error) {
	full := normalizeTargetText(text)
	out := TargetText{Scale: 1}
	body := stripYears(parenthesised.ReplaceAllString(full, " "))

	if m := rankPattern.FindStringSubmatch(body); m != nil {
		n, _ := strconv.Atoi(m[1])
		out.Kind, out.Bound, out.Unit = LevelTarget, Bound{Op: OpAtMost, A: float64(n)}, "hạng"
		return out, nil
	}

	nums := numberPattern.FindAllStringIndex(body, -1)
	if len(nums) == 0 {
		out.Kind = guessKind(full, "")
		return out, FieldError(EINVALID, "text",
			fmt.Sprintf("không đọc được cận định lượng từ %q; hãy nhập cận bằng tay", strings.TrimSpace(text)),
			fmt.Sprintf("no quantified bound can be read from %q; enter the bound by hand", strings.TrimSpace(text)))
	}
	first := nums[0]
	a, err := targetNumber(text, body[first[0]:first[1]])
	if err != nil {
		out.Kind = guessKind(full, "")
		return out, err
	}
	last := first
	out.Bound = Bound{Op: OpAtLeast, A: a}
	ranged := false
	if len(nums) > 1 {
		second := nums[1]
		if rangeGap(body[first[1]:second[0]]) {
			b, err := targetNumber(text, body[second[0]:second[1]])
			if err != nil {
				out.Kind, out.Bound = guessKind(full, ""), Bound{}
				return out, err
			}
			if b >= a {
				out.Bound = Bound{Op: OpRange, A: a, B: b}
				last, ranged = second, true
			}
		}
	}
	unit := unitAfter(body[last[1]:])
	out.Unit = asWritten(text, unit)
	out.Scale = unitScale(unit)
	out.Kind = guessKind(full, unit)

	after := body[last[1]:]
	switch op := comparisonBefore(body[:first[0]]); {
	case strings.Contains(after, "trở lên"):
		out.Bound = Bound{Op: OpAtLeast, A: out.Bound.A}
	case strings.Contains(after, "trở xuống"):
		hi := out.Bound.A
		if ranged {
			hi = out.Bound.B
		}
		out.Bound = Bound{Op: OpAtMost, A: hi}
	case ranged:
		// "khoảng 45–50%" is the range itself; a word before a range adds nothing.
	case op != OpNone:
		out.Bound.Op = op
	default:
		out.Implicit = true
	}
	return out, nil
}

// Fit returns the bound in the unit of an indicator whose direction is d:
// an implicit bound becomes "at most" when lower is better and "about"
// for an indicator that must land within a range; a number written with
// another scale word of the same unit ("717 nghìn tỷ đồng" for an indicator
// in "tỷ đồng") is rescaled. converted is false when the units differ by
// more than a scale word and the numbers were left as written.
func (t TargetText) Fit(d Direction, unit string) (b Bound, converted bool) {
	b = t.Bound
	if b.Op == OpNone {
		return b, true
	}
	if t.Implicit {
		switch d {
		case Down:
			b.Op = OpAtMost
		case Within:
			b.Op = OpAbout
		}
	}
	have, want := normalizeTargetText(t.Unit), normalizeTargetText(unit)
	if have == "" || have == want {
		return b, true
	}
	from, to := unitScale(have), unitScale(want)
	if from == to {
		return b, true
	}
	if !sameBase(baseUnit(have), baseUnit(want)) {
		return b, false
	}
	r := from / to
	b.A = roundScaled(b.A * r)
	if b.Op == OpRange {
		b.B = roundScaled(b.B * r)
	}
	return b, true
}

// targetNumber reads one number of a target's text as a Vietnamese act
// writes it ("7,5", "1.700.000", "297,18"), through the one number parser;
// a number written otherwise ("0.78") is an EINVALID error naming the text,
// so the bound is entered by hand rather than guessed.
func targetNumber(text, num string) (float64, error) {
	x, _, err := ParseNumber(num, Vietnamese)
	if err != nil {
		return 0, FieldError(EINVALID, "text",
			fmt.Sprintf("không đọc được số “%s” trong %q (số viết kiểu Việt Nam: 7,5 hoặc 1.700.000); hãy nhập cận bằng tay", num, strings.TrimSpace(text)),
			fmt.Sprintf("cannot read the number “%s” in %q (numbers in Vietnamese style: 7,5 or 1.700.000); enter the bound by hand", num, strings.TrimSpace(text)))
	}
	return x, nil
}

var (
	numberPattern = regexp.MustCompile(`\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?`)
	parenthesised = regexp.MustCompile(`\([^)]*\)`)
	// Years name the period, not the bound: "đến năm 2025", "giai đoạn
	// 2021-2025", "2026-2030".
	yearMention = regexp.MustCompile(`(?:giai đoạn|đến năm|từ năm|cuối năm|đầu năm|trước năm|sau năm|vào năm|năm)\s+(?:19|20)\d{2}(?:\s*-\s*(?:19|20)\d{2})?|\b(?:19|20)\d{2}\s*-\s*(?:19|20)\d{2}\b`)
	// Ranks: "top 15", "tốp 10", "thuộc nhóm 15 địa phương …".
	rankPattern = regexp.MustCompile(`(?:^|\s)(?:top|tốp|nhóm)\s+(\d+)(?:\s|$)`)
	spaces      = regexp.MustCompile(`\s+`)
)

func normalizeTargetText(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("–", "-", "—", "-", "−", "-", "…", " ", "\u00a0", " ", "tỉ", "tỷ", "ngàn", "nghìn",
		"% / năm", "%/năm", "%/ năm", "%/năm", "% /năm", "%/năm", "% mỗi năm", "%/năm", "% một năm", "%/năm").Replace(s)
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}

// asWritten finds unit, read from the lower-cased text, in the original
// text so that it keeps its capitals ("tỷ USD"); it stays lower case where
// the text spelled it otherwise.
func asWritten(text, unit string) string {
	orig := strings.TrimSpace(spaces.ReplaceAllString(strings.NewReplacer("–", "-", "—", "-", "−", "-", "\u00a0", " ").Replace(text), " "))
	lower := strings.ToLower(orig)
	if unit == "" || len(lower) != len(orig) {
		return unit
	}
	if i := strings.Index(lower, unit); i >= 0 {
		return orig[i : i+len(unit)]
	}
	return unit
}

func stripYears(s string) string { return yearMention.ReplaceAllString(s, " ") }

// rangeGap reports whether the text between two numbers joins them into a
// range: "7,5 - 8", "7,5% - 8%", "10 đến 12".
func rangeGap(gap string) bool {
	g := strings.TrimSpace(gap)
	g = strings.TrimSpace(strings.TrimPrefix(g, "%"))
	switch g {
	case "-", "đến", "tới", "~":
		return true
	}
	return false
}

// comparisons maps the words that set the comparison before a number, the
// longer ones first so that "không quá" is not read as "quá".
var comparisons = []struct {
	words string
	op    Op
}{
	{"không vượt quá", OpAtMost}, {"không cao hơn", OpAtMost}, {"không lớn hơn", OpAtMost}, {"không quá", OpAtMost},
	{"không dưới", OpAtLeast}, {"không thấp hơn", OpAtLeast}, {"không ít hơn", OpAtLeast},
	{"ít nhất", OpAtLeast}, {"tối thiểu", OpAtLeast}, {"cao hơn", OpAtLeast}, {"lớn hơn", OpAtLeast},
	{"nhiều hơn", OpAtLeast}, {"vượt", OpAtLeast}, {"trên", OpAtLeast}, {"hơn", OpAtLeast}, {"từ", OpAtLeast},
	{"tối đa", OpAtMost}, {"thấp hơn", OpAtMost}, {"nhỏ hơn", OpAtMost}, {"ít hơn", OpAtMost}, {"dưới", OpAtMost},
	{"giảm còn", OpAtMost}, {"còn", OpAtMost},
	{"khoảng chừng", OpAbout}, {"khoảng", OpAbout}, {"xấp xỉ", OpAbout}, {"chừng", OpAbout}, {"gần", OpAbout},
}

// comparisonBefore finds the comparison word nearest the number among the
// last three words before it, so that "trên địa bàn … dưới 1%" reads "dưới".
func comparisonBefore(prefix string) Op {
	words := strings.Fields(prefix)
	if len(words) > 3 {
		words = words[len(words)-3:]
	}
	tail := " " + strings.Join(words, " ") + " "
	best, bestEnd, bestLen := OpNone, -1, 0
	for _, c := range comparisons {
		i := strings.LastIndex(tail, " "+c.words+" ")
		if i < 0 {
			continue
		}
		// The word ending nearest the number wins; of two ending together
		// ("hơn", "thấp hơn") the longer.
		if end := i + len(c.words) + 1; end > bestEnd || end == bestEnd && len(c.words) > bestLen {
			best, bestEnd, bestLen = c.op, end, len(c.words)
		}
	}
	return best
}

// unitStops end the unit written after a number.
var unitStops = []string{"(", ",", ";", " trở ", " so với", " giai đoạn", " vào ", " đến ", " trong ", " của ", " theo ", " trên ", " và "}

// unitAfter is the unit written after the last number of the bound: "%",
// "%/năm", or the words up to the next clause ("triệu đồng/người/năm").
func unitAfter(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "%/năm") {
		return "%/năm"
	}
	if strings.HasPrefix(s, "%") {
		return "%"
	}
	s = " " + s + " "
	cut := len(s)
	for _, stop := range unitStops {
		if i := strings.Index(s, stop); i >= 0 && i < cut {
			cut = i
		}
	}
	words := strings.Fields(s[:cut])
	if len(words) > 5 {
		words = words[:5]
	}
	return strings.Join(words, " ")
}

// scaleWords are the leading words that multiply a unit, longest first.
var scaleWords = []struct {
	word  string
	scale float64
}{
	{"nghìn tỷ", 1e12}, {"triệu", 1e6}, {"nghìn", 1e3}, {"tỷ", 1e9}, {"trăm", 1e2},
}

func unitScale(unit string) float64 {
	u := normalizeTargetText(unit)
	for _, w := range scaleWords {
		if u == w.word || strings.HasPrefix(u, w.word+" ") {
			return w.scale
		}
	}
	return 1
}

// baseUnit is the unit without its leading scale word.
func baseUnit(unit string) string {
	u := normalizeTargetText(unit)
	for _, w := range scaleWords {
		if u == w.word {
			return ""
		}
		if strings.HasPrefix(u, w.word+" ") {
			return strings.TrimSpace(u[len(w.word):])
		}
	}
	return u
}

// sameBase reports whether two base units measure the same thing: equal,
// or equal before the first "/" ("USD" and "USD/người").
func sameBase(a, b string) bool {
	if a == b {
		return true
	}
	a, _, _ = strings.Cut(a, "/")
	b, _, _ = strings.Cut(b, "/")
	return strings.TrimSpace(a) == strings.TrimSpace(b) && a != ""
}

// roundScaled drops the binary noise of rescaling (8,2 × 1000 is not
// exactly 8200 in floating point).
func roundScaled(x float64) float64 {
	return math.Round(x*1e9) / 1e9
}

// guessKind tells the kind of a target from the words of its text and the
// unit of its bound.
func guessKind(text, unit string) Kind {
	t := strings.ReplaceAll(text, "bình quân đầu người", "")
	averaged := strings.Contains(t, "bình quân")
	switch {
	case unit == "%/năm" && !hasAny(t, "hằng năm", "hàng năm", "từng năm") || averaged && unit == "%" && strings.Contains(t, "tăng"):
		return AvgGrowthTarget
	case hasAny(t, "hằng năm", "hàng năm", "từng năm", "mỗi năm", "các năm"):
		return AnnualTarget
	case averaged:
		return AverageTarget
	case hasAny(t, "lũy kế", "cộng dồn", "tổng cộng"),
		cumulativeSpan.MatchString(t) && unit != "" && !strings.HasPrefix(unit, "%") && !strings.Contains(unit, "/"):
		return CumulativeTarget
	}
	return LevelTarget
}

// cumulativeSpan is a count over a stretch of years: "(giai đoạn
// 2021-2025)", "trong 5 năm".
var cumulativeSpan = regexp.MustCompile(`giai đoạn\s+(?:19|20)\d{2}\s*-\s*(?:19|20)\d{2}|trong\s+\d+\s+năm`)

func hasAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
