package indicators

import (
	"fmt"
	"strconv"
)

// Label writes a plan period as people write it: "2021–2025", or "2025"
// for a single year.
func (r YearRange) Label() string {
	if r.From == r.To {
		return strconv.Itoa(r.From)
	}
	return fmt.Sprintf("%d–%d", r.From, r.To)
}
