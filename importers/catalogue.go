package importers

import (
	"context"
	"fmt"
	"strings"
	"time"

	"chitieu/indicators"
)

// catalogue is what an import checks readings against: the indicators and
// units the store knows, found by code or by name.
type catalogue struct {
	indicators []indicators.Indicator
	units      []indicators.Unit
	byCode     map[string]int // indicator code, upper case → index
	byName     map[string][]int
	names      []nameEntry // for suggestions
	unitByCode map[string]int
	unitByName map[string][]int // by UnitKey; two units of one name match neither
}

func loadCatalogue(ctx context.Context, st indicators.Store) (*catalogue, error) {
	inds, err := st.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	units, err := st.Units(ctx)
	if err != nil {
		return nil, err
	}
	return newCatalogue(inds, units), nil
}

func newCatalogue(inds []indicators.Indicator, units []indicators.Unit) *catalogue {
	c := &catalogue{indicators: inds, units: units, byCode: map[string]int{}, byName: map[string][]int{},
		unitByCode: map[string]int{}, unitByName: map[string][]int{}}
	for i, ind := range inds {
		c.byCode[strings.ToUpper(ind.Code)] = i
		for _, n := range []string{ind.NameVI, ind.NameEN} {
			if k := MatchKey(n); k != "" {
				c.byName[k] = appendUnique(c.byName[k], i)
				c.names = append(c.names, nameEntry{key: k, code: ind.Code, name: ind.NameVI})
			}
		}
	}
	for i, u := range units {
		c.unitByCode[strings.ToUpper(u.Code)] = i
		for _, n := range []string{u.NameVI, u.NameEN} {
			if k := UnitKey(n); k != "" {
				c.unitByName[k] = appendUnique(c.unitByName[k], i)
			}
		}
	}
	return c
}

func appendUnique(xs []int, x int) []int {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// indicator finds an indicator by its code.
func (c *catalogue) indicator(code string) (int, bool) {
	i, ok := c.byCode[strings.ToUpper(strings.TrimSpace(CleanText(code)))]
	return i, ok
}

// indicatorByName finds the one indicator whose name matches exactly (after
// folding); two with the same name are not a match.
func (c *catalogue) indicatorByName(name string) (int, bool) {
	is := c.byName[MatchKey(name)]
	if len(is) != 1 {
		return 0, false
	}
	return is[0], true
}

// unit finds a unit by code or by name.
func (c *catalogue) unit(text string) (int, bool) {
	t := CleanText(text)
	if i, ok := c.unitByCode[strings.ToUpper(t)]; ok {
		return i, true
	}
	if is := c.unitByName[UnitKey(t)]; len(is) == 1 {
		return is[0], true
	}
	return 0, false
}

// unitCovers reports whether unit u existed at some time in period p, and
// says so in Vietnamese and English when it did not.
func unitCovers(u *indicators.Unit, p indicators.Period) error {
	from, to := periodSpan(p)
	if !u.ValidFrom.IsZero() && to.Before(u.ValidFrom) {
		return indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("đơn vị %s (%s) chỉ có từ ngày %s, sau kỳ %s", u.Code, u.NameVI, u.ValidFrom.Format("02/01/2006"), p),
			fmt.Sprintf("unit %s (%s) exists only from %s, after period %s", u.Code, unitNameEN(u), u.ValidFrom.Format("2006-01-02"), p))
	}
	if !u.ValidTo.IsZero() && from.After(indicators.EndOfDay(u.ValidTo)) {
		return indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("đơn vị %s (%s) chỉ có đến ngày %s, trước kỳ %s", u.Code, u.NameVI, u.ValidTo.Format("02/01/2006"), p),
			fmt.Sprintf("unit %s (%s) exists only until %s, before period %s", u.Code, unitNameEN(u), u.ValidTo.Format("2006-01-02"), p))
	}
	return nil
}

// periodSpan returns the first and last day of a period, in Vietnam.
func periodSpan(p indicators.Period) (time.Time, time.Time) {
	first := func(m int) time.Time { return time.Date(p.Year, time.Month(m), 1, 0, 0, 0, 0, indicators.Vietnam) }
	switch p.Kind {
	case indicators.Half:
		return first(6*p.N - 5), first(6*p.N+1).AddDate(0, 0, -1)
	case indicators.Quarter:
		return first(3*p.N - 2), first(3*p.N+1).AddDate(0, 0, -1)
	case indicators.Month:
		return first(p.N), first(p.N+1).AddDate(0, 0, -1)
	case indicators.YearToDate:
		return first(1), first(p.N+1).AddDate(0, 0, -1)
	}
	return first(1), first(13).AddDate(0, 0, -1)
}

// unitNameEN is a unit's English name, or its Vietnamese one when it has
// none.
func unitNameEN(u *indicators.Unit) string {
	if u.NameEN != "" {
		return u.NameEN
	}
	return u.NameVI
}
