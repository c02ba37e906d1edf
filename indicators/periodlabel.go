package indicators

import (
	"fmt"
	"strconv"
)

// Label writes a period as people write it, the one way every page and
// report shows it: "2025", "Quý I/2025", "6 tháng đầu năm 2025",
// "6 tháng cuối năm 2025", "Tháng 7/2025"; in English "2025", "Q1 2025",
// "H1 2025", "July 2025". Codes such as "2025-Q1" are for files and URLs.
func (p Period) Label(lang string) string {
	en := lang == "en"
	switch {
	case p.Kind == Half && en && (p.N == 1 || p.N == 2):
		return fmt.Sprintf("H%d %d", p.N, p.Year)
	case p.Kind == Half && p.N == 1:
		return fmt.Sprintf("6 tháng đầu năm %d", p.Year)
	case p.Kind == Half && p.N == 2:
		return fmt.Sprintf("6 tháng cuối năm %d", p.Year)
	case p.Kind == Quarter && p.N >= 1 && p.N <= 4 && en:
		return fmt.Sprintf("Q%d %d", p.N, p.Year)
	case p.Kind == Quarter && p.N >= 1 && p.N <= 4:
		return fmt.Sprintf("Quý %s/%d", []string{"I", "II", "III", "IV"}[p.N-1], p.Year)
	case p.Kind == Month && p.N >= 1 && p.N <= 12 && en:
		return fmt.Sprintf("%s %d", []string{"January", "February", "March", "April", "May", "June", "July",
			"August", "September", "October", "November", "December"}[p.N-1], p.Year)
	case p.Kind == Month && p.N >= 1 && p.N <= 12:
		return fmt.Sprintf("Tháng %d/%d", p.N, p.Year)
	}
	return strconv.Itoa(p.Year)
}

// Label writes a plan period as people write it: "2021–2025", or "2025"
// for a single year.
func (r YearRange) Label() string {
	if r.From == r.To {
		return strconv.Itoa(r.From)
	}
	return fmt.Sprintf("%d–%d", r.From, r.To)
}
