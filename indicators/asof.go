package indicators

import (
	"fmt"
	"time"
)

// NothingKnownYet is the sentence a page or an API answer gives instead of
// an empty list when, as of asOf, none of a plan's targets was known yet:
// before its act was issued, or before the sources the catalogue dates its
// targets by were published.
func NothingKnownYet(p Plan, asOf time.Time) (vi, en string) {
	day := asOf.In(Vietnam).Format("02/01/2006")
	vi = fmt.Sprintf("Tại ngày %s chưa có mục tiêu nào của %s có hiệu lực hoặc được công bố, nên chưa có gì để đánh giá.", day, p.Code)
	en = fmt.Sprintf("As of %s none of the targets of %s was in force or published yet, so there is nothing to judge.", day, p.Code)
	if !p.Issued.IsZero() && asOf.Before(p.Issued) {
		issued := p.Issued.In(Vietnam).Format("02/01/2006")
		vi += fmt.Sprintf(" Văn bản ban hành ngày %s.", issued)
		en += fmt.Sprintf(" The act was issued on %s.", issued)
	}
	return vi, en
}
