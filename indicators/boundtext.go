package indicators

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TargetText is what ParseTargetText reads from a target as a Vietnamese act
// writes it ("bình quân 7,5 - 8%/năm", "không quá 4%", "giảm 30% so với
// năm 2020"). The numbers are those of the text, in the unit the text uses;
// Fit turns them into a bound in an indicator's unit. It is a suggestion
// that an admin confirms, never a value stored unseen.
type TargetText struct {
	Kind  Kind
	Bound Bound   // OpNone when the text holds no number to judge against
	Unit  string  // as written, scale word included: "%", "%/năm", "nghìn tỷ đồng", "USD"; "lần" for a relative target
	Scale float64 // what the unit's leading scale word multiplies by: nghìn 1e3, triệu 1e6, tỷ 1e9, nghìn tỷ 1e12; 1 without one
	// Implicit is true when the text names a number with no word saying how
	// to compare ("76%", "0,78"): read as "at least", which Fit turns into
	// "at most" when lower is better and "about" for a range-bound indicator.
	Implicit bool
	// BaseYear is the year a relative target compares with ("so với năm
	// 2020"); the bound is then a ratio to that year's value.
	BaseYear int
	// Direction is the direction the text itself states, when it does:
	// Down for "giảm" in a relative or avg_change target.
	Direction Direction
	// Words are the words of the text the reading rests on, in the order
	// they were used: the comparison, the numbers, the unit, the words that
	// set the kind ("bình quân", "so với năm 2020", "5 năm").
	Words []string
}

// Describe says in Vietnamese what was read and the words it rests on:
// "tương đối ≤ 0,7 lần so với năm 2020 (dựa trên: giảm; so với năm 2020; 30; %)".
func (t TargetText) Describe() string {
	s := t.Bound.Format("vi", 6)
	if t.Unit != "" && t.Bound.Quantified() {
		s += " " + t.Unit
	}
	if t.BaseYear != 0 {
		s += fmt.Sprintf(" năm %d", t.BaseYear)
	}
	s = string(t.Kind) + " " + s
	if t.Direction == Down {
		s += ", giảm là tốt"
	}
	if len(t.Words) > 0 {
		s += " (dựa trên: " + strings.Join(t.Words, "; ") + ")"
	}
	return s
}

// TargetReading is what the parser makes of text, as the plan workbook shows it
// beside the text: the reading and its words, or "không đọc được" and the
// reason; empty for an empty text.
func TargetReading(text string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	t, err := ParseTargetText(text)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return e.Message
		}
		return err.Error()
	}
	return t.Describe()
}

// unread is the error of a text that is not read, with its reason.
func unread(text, vi, en string) error {
	t := strings.TrimSpace(text)
	return FieldError(EINVALID, "text",
		fmt.Sprintf("không đọc được cận định lượng từ %q: %s; hãy nhập cận bằng tay", t, vi),
		fmt.Sprintf("no quantified bound can be read from %q: %s; enter the bound by hand", t, en))
}

// ParseTargetText reads the kind and the bound of a target from its text.
// It reads only what it is sure of: a text with a number it cannot place —
// a base that is not a year ("so với cùng kỳ", "so với dự toán"), "lần"
// without a base year, a second figure after "trong đó", several targets
// in one sentence, a duration it cannot tie to a sum — comes back with
// Bound.Op == OpNone, the kind it guessed, and an EINVALID error naming the
// reason: the target then keeps its text and the bound is entered by hand.
func ParseTargetText(text string) (TargetText, error) {
	full := normalizeTargetText(text)
	out := TargetText{Scale: 1}
	fail := func(vi, en string) (TargetText, error) {
		kind := out.Kind
		if kind == "" {
			kind = guessKind(full, "")
		}
		return TargetText{Kind: kind, Scale: 1, Words: out.Words}, unread(text, vi, en)
	}
	body := parenthesised.ReplaceAllString(full, " ")

	// "trong đó" opens a second target inside the first: its figure is
	// not the bound, and the sentence is not one target.
	if head, tail, ok := strings.Cut(body, "trong đó"); ok {
		if numberPattern.MatchString(stripYears(tail)) {
			out.Words = append(out.Words, "trong đó")
			return fail("có con số thứ hai sau «trong đó» (một mục tiêu con)",
				"a second figure follows \"trong đó\" (a sub-target)")
		}
		body = head
	}

	// A base: "so với năm 2020" makes the target relative; any other base
	// ("so với cùng kỳ", "so với dự toán", "so với kế hoạch") is not a year
	// the target can be resolved against.
	if m := timesYear.FindStringSubmatchIndex(body); m != nil {
		// "gấp 2 lần năm 2020": the year right after "lần" is the base.
		out.BaseYear, _ = strconv.Atoi(body[m[2]:m[3]])
		out.Words = append(out.Words, strings.TrimSpace(body[m[0]+len("lần"):m[1]]))
		body = body[:m[0]+len("lần")] + " " + body[m[1]:]
	} else if m := baseYearPattern.FindStringSubmatchIndex(body); m != nil {
		out.BaseYear, _ = strconv.Atoi(body[m[2]:m[3]])
		out.Words = append(out.Words, strings.TrimSpace(body[m[0]:m[1]]))
		body = body[:m[0]] + " " + body[m[1]:]
	} else if m := otherBase.FindStringIndex(body); m != nil {
		base := strings.TrimSpace(body[m[0]:m[1]])
		out.Words = append(out.Words, base)
		return fail(fmt.Sprintf("«%s» không phải một năm gốc cụ thể", base),
			fmt.Sprintf("\"%s\" is not a given base year", base))
	}
	body = stripYears(body)

	// A duration ("5 năm", "trong 5 năm") says over how long, never how much.
	duration := ""
	if m := durationPattern.FindStringIndex(body); m != nil {
		duration = strings.TrimSpace(body[m[0]:m[1]])
		body = body[:m[0]] + " " + body[m[1]:]
	}
	// "…, bằng 40% lực lượng lao động" restates the bound in other terms.
	if n := figures(body); len(n) > 0 {
		body = body[:n[0][1]] + restatement.ReplaceAllString(body[n[0][1]:], " ")
	}

	if m := rankPattern.FindStringSubmatch(body); m != nil {
		n, _ := strconv.Atoi(m[1])
		out.Kind, out.Bound, out.Unit = LevelTarget, Bound{Op: OpAtMost, A: float64(n)}, "hạng"
		out.Words = append(out.Words, strings.TrimSpace(m[0]))
		return out, nil
	}

	nums := figures(body)
	if len(nums) == 0 {
		if duration != "" {
			out.Words = append(out.Words, duration)
			return fail(fmt.Sprintf("chỉ có khoảng thời gian «%s», không có cận", duration),
				fmt.Sprintf("only a duration, \"%s\", and no bound", duration))
		}
		if out.BaseYear != 0 {
			return fail("có năm gốc nhưng không có mức tăng, giảm", "a base year but no rise or fall")
		}
		out.Kind = guessKind(full, "")
		return fail("không có con số nào", "it holds no number")
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
	figure := strings.TrimSpace(body[first[0]:last[1]])
	// Any other figure makes the sentence several targets, or one the
	// parser cannot place.
	rest := nums[1:]
	if ranged {
		rest = nums[2:]
	}
	if len(rest) > 0 {
		extra := make([]string, 0, len(rest))
		for _, n := range rest {
			extra = append(extra, body[n[0]:n[1]])
		}
		out.Words = append(out.Words, figure)
		out.Words = append(out.Words, extra...)
		return fail(fmt.Sprintf("có nhiều con số (%s và %s): nhiều mục tiêu trong một câu, hoặc một số không rõ vai trò", figure, strings.Join(extra, ", ")),
			fmt.Sprintf("several figures (%s and %s): several targets in one sentence, or a number of unclear role", figure, strings.Join(extra, ", ")))
	}

	prefix, after := body[:first[0]], body[last[1]:]
	cmpWords, op := comparisonBefore(prefix)
	if cmpWords != "" {
		out.Words = append(out.Words, cmpWords)
	}
	out.Words = append(out.Words, figure)
	unit := unitAfter(after)

	// Relative to a base year: "gấp 1,5 lần", "tăng 20%", "giảm 30%".
	times := strings.HasPrefix(strings.TrimSpace(after), "lần")
	if times || out.BaseYear != 0 {
		out.Kind = RelativeTarget
		if times {
			out.Words = append(out.Words, "lần")
		}
		return relative(text, full, prefix, after, op, cmpWords, ranged, times, out, fail)
	}

	out.Unit = asWritten(text, unit)
	out.Scale = unitScale(unit)
	if unit != "" {
		out.Words = append(out.Words, out.Unit)
	}
	out.Kind = guessKind(full, unit)

	// Points a year for a rate: "tỷ lệ hộ nghèo giảm bình quân 1%/năm".
	falls := hasWord(prefix, "giảm")
	if strings.HasPrefix(unit, "%/năm") || strings.HasPrefix(unit, "điểm") {
		points := strings.HasPrefix(unit, "điểm")
		rate := hasAny(full, "tỷ lệ", "tỷ trọng")
		relativeWord := strings.Contains(full, "tương đối")
		switch {
		case relativeWord && falls:
			// "giảm tương đối 2%/năm": a growth rate of at most −2 % a year.
			out.Kind, out.Direction = AvgGrowthTarget, Down
			out.Words = append(out.Words, "giảm", "tương đối")
			out.Bound = negate(out.Bound, ranged)
			return out, nil
		case points || falls || rate && hasWord(prefix, "tăng"):
			out.Kind = AvgChangeTarget
			out.Direction = Up
			if falls {
				out.Direction = Down
				out.Words = append(out.Words, "giảm")
			} else if hasWord(prefix, "tăng") {
				out.Words = append(out.Words, "tăng")
			}
			if rate && !points {
				out.Words = append(out.Words, "tỷ lệ")
			}
		}
	}

	// A rise or fall of a size with no base and no year: "giảm 1% tỷ lệ
	// hộ nghèo", "thu ngân sách tăng 20%" — of what, against when?
	bare := op == OpNone && out.Kind != AvgChangeTarget && out.Kind != AvgGrowthTarget && !ranged
	switch {
	case bare && falls:
		out.Words = append(out.Words, "giảm")
		return fail("«giảm» một mức mà không nói so với năm nào hay mỗi năm", "\"giảm\" (fall) by an amount with no base year and no \"per year\"")
	case bare && hasWord(prefix, "tăng") && !strings.Contains(prefix, "tăng trưởng") && strings.HasPrefix(unit, "%") && out.Kind == LevelTarget:
		out.Words = append(out.Words, "tăng")
		return fail("«tăng» một tỷ lệ phần trăm mà không nói so với năm nào hay mỗi năm", "\"tăng\" (rise) by a percentage with no base year and no \"per year\"")
	}

	switch {
	case duration != "" && out.Kind == AverageTarget:
		out.Words = append(out.Words, duration)
	case duration != "" && unit != "" && !strings.HasPrefix(unit, "%") && !strings.Contains(unit, "/"):
		out.Kind = CumulativeTarget
		out.Words = append(out.Words, duration)
	case duration != "" && out.Kind != CumulativeTarget:
		out.Words = append(out.Words, duration)
		return fail(fmt.Sprintf("không rõ «%s» gắn với %s %s thế nào (tổng, bình quân hay mức năm cuối)", duration, figure, unit),
			fmt.Sprintf("unclear how \"%s\" bears on %s %s (a sum, an average or the end-year level)", duration, figure, unit))
	}
	out.Words = append(out.Words, kindWords(full, out.Kind)...)

	switch {
	case strings.Contains(after, "trở lên"):
		out.Bound = Bound{Op: OpAtLeast, A: out.Bound.A}
		out.Words = append(out.Words, "trở lên")
	case strings.Contains(after, "trở xuống"):
		hi := out.Bound.A
		if ranged {
			hi = out.Bound.B
		}
		out.Bound = Bound{Op: OpAtMost, A: hi}
		out.Words = append(out.Words, "trở xuống")
	case ranged:
		// "khoảng 45–50%" is the range itself; a word before a range adds nothing.
	case op != OpNone:
		out.Bound.Op = op
	case out.Kind == AvgChangeTarget:
		// "giảm 1%/năm" already says which way: at least 1 point a year.
	default:
		out.Implicit = true
	}
	return out, nil
}

// relative reads a target against a base year's value: "gấp 1,5 lần",
// "tăng 1,5 lần", "tăng 20%", "giảm 30%" (so với năm B). The bound is a
// ratio to the base year's value: ≥ 1,5; ≥ 1,2; ≤ 0,7.
func relative(text, full, prefix, after string, op Op, cmpWords string, ranged, times bool, out TargetText,
	fail func(vi, en string) (TargetText, error)) (TargetText, error) {
	out.Kind, out.Unit = RelativeTarget, "lần"
	falls, rises := hasWord(prefix, "giảm"), hasAny(prefix, "tăng", "gấp")
	switch {
	case out.BaseYear == 0:
		return fail("«lần» mà không nói so với năm nào", "\"lần\" (times) with no base year")
	case falls == rises:
		return fail("so với năm gốc nhưng không nói tăng hay giảm", "against a base year without saying rise or fall")
	case !times && !strings.HasPrefix(strings.TrimSpace(after), "%"):
		return fail("mức tăng, giảm so với năm gốc không phải tỷ lệ phần trăm hay số lần",
			"the change against the base year is neither a percentage nor a number of times")
	}
	ratio := func(x float64) float64 {
		switch {
		case times && falls:
			return roundScaled(1 / x)
		case times:
			return x
		case falls:
			return roundScaled(1 - x/100)
		}
		return roundScaled(1 + x/100)
	}
	b := out.Bound
	out.Direction = Up
	verb := "tăng"
	if falls {
		out.Direction, verb = Down, "giảm"
	} else if hasWord(prefix, "gấp") {
		verb = "gấp"
	}
	out.Words = append([]string{verb}, out.Words...)
	if !times {
		out.Words = append(out.Words, "%")
	}
	if ranged {
		lo, hi := ratio(b.A), ratio(b.B)
		out.Bound = Bound{Op: OpRange, A: min(lo, hi), B: max(lo, hi)}
		return out, nil
	}
	out.Bound = Bound{A: ratio(b.A)}
	// A fall reverses the comparison of its size: "giảm ít nhất 30%" is a
	// ratio of at most 0,7; "giảm không quá 10%" at least 0,9.
	flip := map[Op]Op{OpAtLeast: OpAtMost, OpAbove: OpBelow, OpAtMost: OpAtLeast, OpBelow: OpAbove, OpAbout: OpAbout}
	switch {
	case op == OpNone && falls:
		out.Bound.Op = OpAtMost
	case op == OpNone:
		out.Bound.Op = OpAtLeast
	case falls:
		out.Bound.Op = flip[op]
	default:
		out.Bound.Op = op
	}
	_ = cmpWords
	return out, nil
}

// negate turns the size of a fall into the growth rate it is: "giảm 2%"
// is a growth of at most −2 %.
func negate(b Bound, ranged bool) Bound {
	if ranged {
		return Bound{Op: OpRange, A: -b.B, B: -b.A}
	}
	return Bound{Op: OpAtMost, A: -b.A}
}

// kindWords are the words of the text that set kind.
func kindWords(full string, kind Kind) []string {
	var w []string
	for _, k := range []struct {
		kind  Kind
		words []string
	}{
		{AvgGrowthTarget, []string{"bình quân", "%/năm"}},
		{AverageTarget, []string{"bình quân"}},
		{AnnualTarget, []string{"hằng năm", "hàng năm", "từng năm", "mỗi năm", "các năm"}},
		{CumulativeTarget, []string{"lũy kế", "cộng dồn", "tổng cộng", "giai đoạn"}},
	} {
		if k.kind != kind {
			continue
		}
		for _, word := range k.words {
			if strings.Contains(full, word) {
				w = append(w, word)
			}
		}
	}
	return w
}

// hasWord reports whether s holds word as a whole word.
func hasWord(s, word string) bool {
	return strings.Contains(" "+s+" ", " "+word+" ")
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
	// A base year: "so với năm 2020", "so với cuối năm 2020", "so với ước
	// thực hiện năm 2024".
	baseYearPattern = regexp.MustCompile(`so với\s+(?:(?:mức|kết quả|ước thực hiện|ước|thực hiện)\s+)?(?:(?:cuối|đầu)\s+)?(?:năm\s+)?((?:19|20)\d{2})\b`)
	// A base right after "lần": "gấp 2 lần năm 2020".
	timesYear = regexp.MustCompile(`lần\s+(?:so với\s+)?(?:năm\s+)((?:19|20)\d{2})\b`)
	// Any other base: "so với cùng kỳ", "so với dự toán", "so với kế hoạch".
	otherBase = regexp.MustCompile(`so với\s+\S+(?:\s+\S+)?`)
	// A duration: "5 năm", "trong 5 năm" — but not "%/năm" nor "10 năm 2025".
	durationPattern = regexp.MustCompile(`(?:trong\s+)?\b\d+\s+năm\b`)
	// A restatement of the bound in other terms: ", bằng 40% lực lượng …".
	restatement = regexp.MustCompile(`,?\s*(?:tương đương|bằng)\s+[\d.,]+\s*%?[^,;]*`)
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
	if i := strings.LastIndex(lower, unit); i >= 0 {
		return orig[i : i+len(unit)]
	}
	return unit
}

// figures finds the numbers of s, leaving out digits that are part of a
// word ("m2", "CO2", "S114").
func figures(s string) [][]int {
	var out [][]int
	for _, m := range numberPattern.FindAllStringIndex(s, -1) {
		if m[0] > 0 {
			r, _ := utf8.DecodeLastRuneInString(s[:m[0]])
			if unicode.IsLetter(r) {
				continue
			}
		}
		if m[1] < len(s) {
			r, _ := utf8.DecodeRuneInString(s[m[1]:])
			if unicode.IsLetter(r) {
				continue
			}
		}
		out = append(out, m)
	}
	return out
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
// longer ones first so that "không quá" is not read as "quá". "trên",
// "hơn", "vượt" are strict (> a); so is "dưới" (< a).
var comparisons = []struct {
	words string
	op    Op
}{
	{"không vượt quá", OpAtMost}, {"không cao hơn", OpAtMost}, {"không lớn hơn", OpAtMost}, {"không quá", OpAtMost},
	{"không dưới", OpAtLeast}, {"không thấp hơn", OpAtLeast}, {"không ít hơn", OpAtLeast},
	{"ít nhất", OpAtLeast}, {"tối thiểu", OpAtLeast}, {"cao hơn", OpAbove}, {"lớn hơn", OpAbove},
	{"nhiều hơn", OpAbove}, {"vượt", OpAbove}, {"trên", OpAbove}, {"hơn", OpAbove}, {"từ", OpAtLeast},
	{"tối đa", OpAtMost}, {"thấp hơn", OpBelow}, {"nhỏ hơn", OpBelow}, {"ít hơn", OpBelow}, {"dưới", OpBelow},
	{"giảm còn", OpAtMost}, {"giảm xuống", OpAtMost}, {"còn", OpAtMost},
	{"khoảng chừng", OpAbout}, {"khoảng", OpAbout}, {"xấp xỉ", OpAbout}, {"chừng", OpAbout}, {"gần", OpAbout},
}

// comparisonBefore finds the comparison word nearest the number among the
// last three words before it, so that "trên địa bàn … dưới 1%" reads
// "dưới". It returns the words found and their comparison.
func comparisonBefore(prefix string) (string, Op) {
	words := strings.Fields(prefix)
	if len(words) > 3 {
		words = words[len(words)-3:]
	}
	tail := " " + strings.Join(words, " ") + " "
	best, bestWords, bestEnd := OpNone, "", -1
	for _, c := range comparisons {
		i := strings.LastIndex(tail, " "+c.words+" ")
		if i < 0 {
			continue
		}
		// The word ending nearest the number wins; of two ending together
		// ("hơn", "thấp hơn") the longer.
		if end := i + len(c.words) + 1; end > bestEnd || end == bestEnd && len(c.words) > len(bestWords) {
			best, bestWords, bestEnd = c.op, c.words, end
		}
	}
	return bestWords, best
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
	for _, p := range []string{"điểm phần trăm/năm", "điểm %/năm", "điểm phần trăm", "điểm %"} {
		if strings.HasPrefix(s, p) {
			return "điểm phần trăm/năm"
		}
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
