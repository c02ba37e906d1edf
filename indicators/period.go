package indicators

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Vietnam is the time zone of every date users type: an as-of date D means
// the end of day D in Vietnam. Fixed at UTC+7 (no daylight saving) so that
// the domain needs no time-zone database.
var Vietnam = time.FixedZone("ICT", 7*3600)

// DateLayout is the wire form of dates (ISO 8601).
const DateLayout = "2006-01-02"

// ParseDate reads YYYY-MM-DD; field names the parameter for the error.
func ParseDate(field, s string) (time.Time, error) {
	d, err := time.ParseInLocation(DateLayout, strings.TrimSpace(s), Vietnam)
	if err != nil {
		return time.Time{}, FieldError(EINVALID, field,
			fmt.Sprintf("ngày %q không hợp lệ, cần dạng YYYY-MM-DD", s),
			fmt.Sprintf("date %q is not valid, expected YYYY-MM-DD", s))
	}
	return d, nil
}

// EndOfDay is the last instant of day d in Vietnam: what "as of d" means.
func EndOfDay(d time.Time) time.Time {
	y, m, day := d.In(Vietnam).Date()
	return time.Date(y, m, day+1, 0, 0, 0, 0, Vietnam).Add(-time.Nanosecond)
}

// PeriodKind tells how long a reporting period is.
type PeriodKind string

// Reporting period kinds.
const (
	Year    PeriodKind = "year"
	Half    PeriodKind = "half"
	Quarter PeriodKind = "quarter"
	Month   PeriodKind = "month"
	// YearToDate is January to the end of month N: "9 tháng đầu năm 2025",
	// "11 tháng 2025", reported cumulatively. The spans that have a name of
	// their own are kept under it — 3 months is Q1, 6 months H1, 12 the
	// year — so that one span has one key (see YearToDatePeriod).
	YearToDate PeriodKind = "ytd"
)

// Period is a reporting period of a value: a year, or a half, quarter or
// month of it, or the months from January to month N. Its text form is
// "2024", "2024-H1", "2024-Q3", "2024-07" or "2024-YTD09" (January to
// September).
type Period struct {
	Year int
	Kind PeriodKind
	N    int // the half, quarter or month; the last month of a year-to-date period; 0 for a year
}

// YearToDatePeriod is the period from January to the end of month n of
// year y: Q1 for n = 3, H1 for n = 6, the whole year for n = 12, else a
// year-to-date period.
func YearToDatePeriod(y, n int) Period {
	switch n {
	case 3:
		return Period{Year: y, Kind: Quarter, N: 1}
	case 6:
		return Period{Year: y, Kind: Half, N: 1}
	case 12:
		return YearPeriod(y)
	}
	return Period{Year: y, Kind: YearToDate, N: n}
}

// IsYearToDate reports whether p runs from January to before the year's
// end — "9 tháng đầu năm", and also Q1 ("3 tháng đầu năm") and H1 ("6
// tháng đầu năm") — so that a verdict on the year drawn from it is
// provisional: the year is not over.
func (p Period) IsYearToDate() bool {
	switch p.Kind {
	case YearToDate:
		return p.N < 12
	case Half, Quarter:
		return p.N == 1
	}
	return false
}

// Through is the last month p covers (12 for a year).
func (p Period) Through() int {
	switch p.Kind {
	case Half:
		return 6 * p.N
	case Quarter:
		return 3 * p.N
	case Month, YearToDate:
		return p.N
	}
	return 12
}

// SamePeriodBefore is the same period of the year before: what "so với
// cùng kỳ" compares with.
func (p Period) SamePeriodBefore() Period {
	p.Year--
	return p
}

// Label writes the period as people write it: "2025", "6 tháng đầu năm
// 2025", "Quý I/2025", "Tháng 7/2025", "9 tháng đầu năm 2025"; in English
// "H1 2025", "Q1 2025", "July 2025", "January–September 2025".
func (p Period) Label(lang string) string {
	en := lang == "en"
	roman := []string{"", "I", "II", "III", "IV"}
	months := []string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September",
		"October", "November", "December"}
	switch {
	case p.Kind == Half && en:
		return fmt.Sprintf("H%d %d", p.N, p.Year)
	case p.Kind == Half && p.N == 1:
		return fmt.Sprintf("6 tháng đầu năm %d", p.Year)
	case p.Kind == Half:
		return fmt.Sprintf("6 tháng cuối năm %d", p.Year)
	case p.Kind == Quarter && en:
		return fmt.Sprintf("Q%d %d", p.N, p.Year)
	case p.Kind == Quarter && p.N >= 1 && p.N <= 4:
		return fmt.Sprintf("Quý %s/%d", roman[p.N], p.Year)
	case p.Kind == Month && en && p.N >= 1 && p.N <= 12:
		return fmt.Sprintf("%s %d", months[p.N], p.Year)
	case p.Kind == Month:
		return fmt.Sprintf("Tháng %d/%d", p.N, p.Year)
	case p.Kind == YearToDate && en && p.N >= 1 && p.N <= 12:
		return fmt.Sprintf("January–%s %d", months[p.N], p.Year)
	case p.Kind == YearToDate:
		return fmt.Sprintf("%d tháng đầu năm %d", p.N, p.Year)
	}
	return strconv.Itoa(p.Year)
}

// YearPeriod is the period of a whole year.
func YearPeriod(y int) Period { return Period{Year: y, Kind: Year} }

// ParsePeriod reads the text form of a period.
func ParsePeriod(s string) (Period, error) {
	bad := FieldError(EINVALID, "period",
		fmt.Sprintf("kỳ %q không hợp lệ, cần dạng 2024, 2024-H1, 2024-Q3, 2024-07 hoặc 2024-YTD09 (9 tháng đầu năm)", s),
		fmt.Sprintf("period %q is not valid, expected 2024, 2024-H1, 2024-Q3, 2024-07 or 2024-YTD09 (January to September)", s))
	s = strings.TrimSpace(s)
	ys, rest, _ := strings.Cut(s, "-")
	y, err := strconv.Atoi(ys)
	if err != nil || len(ys) != 4 || y < 1900 || y > 2200 {
		return Period{}, bad
	}
	p := Period{Year: y, Kind: Year}
	switch {
	case rest == "" && !strings.Contains(s, "-"):
		return p, nil
	case len(rest) == 5 && strings.EqualFold(rest[:3], "YTD"):
		m, err := strconv.Atoi(rest[3:])
		if err != nil || m < 1 || m > 11 || m == 3 || m == 6 {
			// 3 and 6 months have their own keys, Q1 and H1.
			return Period{}, bad
		}
		p.Kind, p.N = YearToDate, m
	case len(rest) == 2 && (rest[0] == 'H' || rest[0] == 'h'):
		p.Kind, p.N = Half, int(rest[1]-'0')
		if p.N < 1 || p.N > 2 {
			return Period{}, bad
		}
	case len(rest) == 2 && (rest[0] == 'Q' || rest[0] == 'q'):
		p.Kind, p.N = Quarter, int(rest[1]-'0')
		if p.N < 1 || p.N > 4 {
			return Period{}, bad
		}
	case len(rest) == 2:
		m, err := strconv.Atoi(rest)
		if err != nil || m < 1 || m > 12 {
			return Period{}, bad
		}
		p.Kind, p.N = Month, m
	default:
		return Period{}, bad
	}
	return p, nil
}

func (p Period) String() string {
	switch p.Kind {
	case Half:
		return fmt.Sprintf("%04d-H%d", p.Year, p.N)
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", p.Year, p.N)
	case Month:
		return fmt.Sprintf("%04d-%02d", p.Year, p.N)
	case YearToDate:
		return fmt.Sprintf("%04d-YTD%02d", p.Year, p.N)
	}
	return fmt.Sprintf("%04d", p.Year)
}

// IsYear reports whether p is a whole year.
func (p Period) IsYear() bool { return p.Kind == Year || p.Kind == "" }

// YearRange is a plan period such as 2021–2025, both ends included.
type YearRange struct {
	From, To int
}

// ParseYearRange reads "2021-2025" (a hyphen or an en dash), or a single year
// "2025" as the range 2025–2025.
func ParseYearRange(field, s string) (YearRange, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), "–", "-")
	a, b, found := strings.Cut(t, "-")
	if !found {
		b = a
	}
	from, err1 := strconv.Atoi(strings.TrimSpace(a))
	to, err2 := strconv.Atoi(strings.TrimSpace(b))
	r := YearRange{From: from, To: to}
	if err1 != nil || err2 != nil || r.Validate() != nil {
		return YearRange{}, FieldError(EINVALID, field,
			fmt.Sprintf("giai đoạn %q không hợp lệ, cần dạng YYYY-YYYY", s),
			fmt.Sprintf("period %q is not valid, expected YYYY-YYYY", s))
	}
	return r, nil
}

// Validate checks that the range is ordered and within sensible years.
func (r YearRange) Validate() error {
	if r.From < 1900 || r.To > 2200 || r.From > r.To {
		return FieldError(EINVALID, "period",
			fmt.Sprintf("giai đoạn %d-%d không hợp lệ", r.From, r.To),
			fmt.Sprintf("period %d-%d is not valid", r.From, r.To))
	}
	return nil
}

func (r YearRange) String() string { return fmt.Sprintf("%d-%d", r.From, r.To) }

// Years is the number of years in the range.
func (r YearRange) Years() int { return r.To - r.From + 1 }

// BaseYear is the year before the range starts, the baseline of its targets.
func (r YearRange) BaseYear() int { return r.From - 1 }

// Contains reports whether year y lies in the range.
func (r YearRange) Contains(y int) bool { return y >= r.From && y <= r.To }
