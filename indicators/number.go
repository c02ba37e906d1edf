package indicators

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Locale says how a number written as text is read. It is the one rule for
// numbers typed as text anywhere in chitieu: the data importers, the plan
// workbook's number cells, the admin forms and the targets' text.
type Locale string

// Locales.
const (
	Vietnamese Locale = "vi"   // 1.234.567,5 and 12,5%
	English    Locale = "en"   // 1,234,567.5 and 12.5%
	AutoLocale Locale = "auto" // unknown: what only one way of reading allows, else an error
)

// ParseLocale reads a locale name; empty means Vietnamese, the default.
func ParseLocale(s string) (Locale, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "vi":
		return Vietnamese, nil
	case "en":
		return English, nil
	case "auto":
		return AutoLocale, nil
	}
	return "", FieldError(EINVALID, "locale",
		fmt.Sprintf("kiểu số %q không hợp lệ (vi, en hoặc auto)", s),
		fmt.Sprintf("locale %q is not valid (vi, en or auto)", s))
}

// noValue lists what planners write for "no figure".
var noValue = map[string]bool{"": true, "-": true, "–": true, "—": true, "x": true, "X": true, "…": true,
	"...": true, "..": true, ".": true, "_": true}

// NoValue reports whether text means "no value" rather than a number.
func NoValue(text string) bool { return noValue[CleanSpaces(text)] }

// CleanSpaces trims text, drops the invisible characters spreadsheets
// carry (zero-width spaces, soft hyphens, byte-order marks) and turns every
// run of spaces, non-breaking and narrow ones included, into one space.
func CleanSpaces(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff' || r == '\u00ad':
			continue
		case unicode.IsSpace(r) || r == '\u00a0' || r == '\u2007' || r == '\u202f':
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ParseNumber reads a number written as text in the given locale: "7,5",
// "-2,79", "1.234.567", "12,5%" and "1.234,5" in Vietnamese. A percentage
// is read in percent points, as indicators in % are stored: "12,5%" is 12.5.
// present is false for text that means "no value" ("-", "x", "…", empty).
// A text the locale does not allow, or that an unknown locale could read
// two ways ("1.234"), is an EINVALID error whose message says why, in
// Vietnamese and English; the caller names the cell or field.
func ParseNumber(text string, loc Locale) (x float64, present bool, err error) {
	t := CleanSpaces(text)
	if noValue[t] {
		return 0, false, nil
	}
	s := strings.Map(func(r rune) rune {
		switch r {
		case ' ':
			return -1 // "1 234 567": spaces between digit groups
		case '−', '‒':
			return '-'
		}
		return r
	}, t)
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	s = strings.TrimSuffix(s, "%")
	if s == "" || strings.IndexFunc(s, func(r rune) bool { return !(r >= '0' && r <= '9' || r == '.' || r == ',') }) >= 0 ||
		s[0] < '0' || s[0] > '9' {
		return 0, false, notANumber(t)
	}
	var intPart, frac string
	switch loc {
	case English:
		intPart, frac, err = splitNumber(s, ',', '.', t)
	case AutoLocale:
		intPart, frac, err = splitAuto(s, t)
	default:
		intPart, frac, err = splitNumber(s, '.', ',', t)
	}
	if err != nil {
		return 0, false, err
	}
	num := intPart
	if frac != "" {
		num += "." + frac
	}
	x, perr := strconv.ParseFloat(num, 64)
	if perr != nil {
		return 0, false, notANumber(t)
	}
	if neg {
		x = -x
	}
	return x, true, nil
}

func notANumber(shown string) error {
	return FieldError(EINVALID, "",
		fmt.Sprintf("“%s” không phải là số", shown),
		fmt.Sprintf("“%s” is not a number", shown))
}

// splitNumber splits s written with the given group and decimal marks into
// its digits before and after the decimal mark, checking the groups.
func splitNumber(s string, group, point byte, shown string) (intPart, frac string, err error) {
	if i := strings.IndexByte(s, point); i >= 0 {
		s, frac = s[:i], s[i+1:]
		if frac == "" || strings.ContainsAny(frac, ".,") {
			return "", "", badMarks(shown, group)
		}
	}
	if strings.IndexByte(s, group) < 0 {
		return s, frac, nil
	}
	parts := strings.Split(s, string(group))
	if len(parts[0]) < 1 || len(parts[0]) > 3 {
		return "", "", badMarks(shown, group)
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return "", "", badMarks(shown, group)
		}
	}
	return strings.Join(parts, ""), frac, nil
}

func badMarks(shown string, group byte) error {
	if group == '.' {
		return FieldError(EINVALID, "",
			fmt.Sprintf("“%s” không đúng cách viết số kiểu Việt Nam (dấu chấm ngăn nhóm nghìn, dấu phẩy trước phần thập phân, ví dụ 1.234,5 hoặc 7,5)", shown),
			fmt.Sprintf("“%s” is not a number in Vietnamese style (dots between thousands, a comma before decimals, e.g. 1.234,5 or 7,5)", shown))
	}
	return FieldError(EINVALID, "",
		fmt.Sprintf("“%s” không đúng cách viết số kiểu tiếng Anh (dấu phẩy ngăn nhóm nghìn, dấu chấm trước phần thập phân, ví dụ 1,234.5 hoặc 7.5)", shown),
		fmt.Sprintf("“%s” is not a number in English style (commas between thousands, a point before decimals, e.g. 1,234.5 or 7.5)", shown))
}

// splitAuto reads a number whose locale is unknown, where only one reading
// is possible; "1.234" and "1,234" could be either and are refused.
func splitAuto(s, shown string) (intPart, frac string, err error) {
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	switch {
	case dots == 0 && commas == 0:
		return s, "", nil
	case dots > 0 && commas > 0:
		if strings.LastIndexByte(s, ',') > strings.LastIndexByte(s, '.') {
			return splitNumber(s, '.', ',', shown)
		}
		return splitNumber(s, ',', '.', shown)
	case dots > 1:
		return splitNumber(s, '.', ',', shown)
	case commas > 1:
		return splitNumber(s, ',', '.', shown)
	}
	mark := byte('.')
	if commas == 1 {
		mark = ','
	}
	i := strings.IndexByte(s, mark)
	if len(s)-i-1 == 3 && i <= 3 && i > 0 {
		return "", "", FieldError(EINVALID, "",
			fmt.Sprintf("“%s” đọc được hai cách (%c là dấu ngăn nhóm nghìn hay dấu thập phân?); hãy chọn kiểu số vi hoặc en cho tệp, hoặc nhập ô dưới dạng số", shown, mark),
			fmt.Sprintf("“%s” can be read two ways (is %c a thousands separator or the decimal mark?); choose the number style vi or en for the file, or enter the cell as a number", shown, mark))
	}
	if mark == ',' {
		return splitNumber(s, '.', ',', shown)
	}
	return splitNumber(s, ',', '.', shown)
}

// ParseRange reads a planned range such as "7,5 – 8" or "7,5-8%" into its
// two ends; ok is false when text is not a range.
func ParseRange(text string, loc Locale) (lo, hi float64, ok bool, err error) {
	t := CleanSpaces(text)
	for i, r := range t {
		if i == 0 || (r != '-' && r != '–' && r != '—') {
			continue
		}
		left, right := strings.TrimSpace(t[:i]), strings.TrimSpace(t[i+len(string(r)):])
		if left == "" || right == "" || !endsInDigit(left) {
			continue
		}
		a, okA, errA := ParseNumber(left, loc)
		b, okB, errB := ParseNumber(right, loc)
		if errA != nil || errB != nil || !okA || !okB {
			continue
		}
		if b < a {
			return 0, 0, false, FieldError(EINVALID, "",
				fmt.Sprintf("khoảng “%s” có cận trên nhỏ hơn cận dưới", t),
				fmt.Sprintf("the range “%s” has its upper end below its lower end", t))
		}
		return a, b, true, nil
	}
	return 0, 0, false, nil
}

func endsInDigit(s string) bool {
	s = strings.TrimSuffix(s, "%")
	return s != "" && s[len(s)-1] >= '0' && s[len(s)-1] <= '9'
}
