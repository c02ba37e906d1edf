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
)

// Period is a reporting period of a value: a year, or a half, quarter or
// month of it. Its text form is "2024", "2024-H1", "2024-Q3" or "2024-07".
type Period struct {
	Year int
	Kind PeriodKind
	N    int // the half, quarter or month; 0 for a year
}

// YearPeriod is the period of a whole year.
func YearPeriod(y int) Period { return Period{Year: y, Kind: Year} }

// ParsePeriod reads the text form of a period.
func ParsePeriod(s string) (Period, error) {
	bad := FieldError(EINVALID, "period",
		fmt.Sprintf("kỳ %q không hợp lệ, cần dạng 2024, 2024-H1, 2024-Q3 hoặc 2024-07", s),
		fmt.Sprintf("period %q is not valid, expected 2024, 2024-H1, 2024-Q3 or 2024-07", s))
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
