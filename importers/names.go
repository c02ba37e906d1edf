package importers

import (
	"regexp"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"chitieu/indicators"
)

// CleanText is text as it should be shown and compared: Unicode NFC (a
// Vietnamese letter typed as a base and combining marks becomes the one
// precomposed letter), every kind of space (no-break, thin, ideographic,
// tabs, line breaks) a plain space, zero-width characters gone, runs of
// spaces one, no space at either end.
func CleanText(s string) string {
	if isPlainASCII(s) {
		return s
	}
	return indicators.CleanSpaces(norm.NFC.String(s))
}

// isPlainASCII reports whether s is printable ASCII with single inner
// spaces and none at the ends: already clean.
func isPlainASCII(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || (c == ' ' && s[i+1] == ' ') {
			return false
		}
	}
	return true
}

// UnitKey is the form unit names are matched in: Unicode NFC, spaces
// collapsed, case folded — and nothing more. Communes differ by a digit or
// a tone mark ("Long Phú" and "Long Phú 1", "Vị Thanh" and "Vị Thanh 1"),
// so unit names are never matched loosely as indicator names are.
func UnitKey(s string) string {
	return unitFold.String(strings.Join(strings.Fields(norm.NFC.String(CleanText(s))), " "))
}

var unitFold = cases.Fold()

// MatchKey is the form names are matched in: cleaned, lower case, without
// diacritics (đ becomes d) and with punctuation as spaces, so that "Số bác
// sĩ/vạn dân" and "so bac si  van dan" match. It is for matching only;
// names are shown and stored as written.
func MatchKey(s string) string {
	s = norm.NFD.String(CleanText(s))
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
		case r == '%':
		default:
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

// similarity scores how alike two match keys are, from 0 to 1: the Dice
// coefficient of their words, blended with that of their letter pairs so
// that a small spelling difference still scores.
func similarity(a, b string) float64 {
	if a == b {
		return 1
	}
	return 0.6*dice(strings.Fields(a), strings.Fields(b)) + 0.4*dice(bigrams(a), bigrams(b))
}

func dice(a, b []string) float64 {
	if len(a)+len(b) == 0 {
		return 0
	}
	count := map[string]int{}
	for _, x := range a {
		count[x]++
	}
	common := 0
	for _, x := range b {
		if count[x] > 0 {
			count[x]--
			common++
		}
	}
	return 2 * float64(common) / float64(len(a)+len(b))
}

func bigrams(s string) []string {
	r := []rune(strings.ReplaceAll(s, " ", ""))
	out := make([]string, 0, len(r))
	for i := 0; i+1 < len(r); i++ {
		out = append(out, string(r[i:i+2]))
	}
	return out
}

// Suggestion is a catalogue indicator a name may mean.
type Suggestion struct {
	Code  string  `json:"code"`
	Name  string  `json:"name"`
	Score float64 `json:"score"`
	// ByCode: the name itself carries this indicator's code ("Tỷ lệ …
	// (ENV-01)"); it comes first, and when the most alike name is of
	// another indicator, both are offered for the planner to choose.
	ByCode bool `json:"by_code,omitempty"`
}

// codeInName finds an indicator code written in a name: ENV-01, SOC-4a.
var codeInName = regexp.MustCompile(`\b[A-Za-z]{2,6}-[0-9]{1,3}[a-z]?\b`)

// suggest returns up to three indicators whose names are most like name,
// after the one whose code the name carries, if any.
func suggest(name string, cands []nameEntry) []Suggestion {
	key := MatchKey(name)
	var out, byCode []Suggestion
	written := map[string]bool{}
	for _, m := range codeInName.FindAllString(name, -1) {
		written[strings.ToUpper(m)] = true
	}
	for _, c := range cands {
		sc := similarity(key, c.key)
		if written[strings.ToUpper(c.code)] {
			byCode = append(byCode, Suggestion{Code: c.code, Name: c.name, Score: float64(int(sc*100)) / 100, ByCode: true})
			continue
		}
		if sc >= 0.5 {
			out = append(out, Suggestion{Code: c.code, Name: c.name, Score: float64(int(sc*100)) / 100})
		}
	}
	// One entry per indicator written, the most alike of its names.
	sort.SliceStable(byCode, func(i, j int) bool { return byCode[i].Score > byCode[j].Score })
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Code < out[j].Code
	})
	// An indicator is suggested once, by its best name; those written in
	// the name first.
	seen := map[string]bool{}
	var kept []Suggestion
	for _, sg := range append(byCode, out...) {
		if !seen[sg.Code] && len(kept) < 3+len(byCode) {
			seen[sg.Code] = true
			kept = append(kept, sg)
		}
	}
	return kept
}

type nameEntry struct {
	key, code, name string
}
