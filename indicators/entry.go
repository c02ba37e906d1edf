package indicators

import (
	"slices"
	"time"
)

// The web entry form asks a unit for its values of one period. Which
// indicators it lists is decided here, in one function, so that once
// reporting obligations exist (which unit owes which indicators for which
// period) the form can ask them instead without changing anything else.

// EntryIndicators returns the indicators a's form for unit and period
// lists, in catalogue order: the indicators of the targets that give the
// unit a share of their own when there are any, else every indicator of
// the catalogue; in both cases only those reported at least as often as
// the period (a monthly indicator is entered for a quarter, a yearly one
// only for a year) and within a's scope.
func EntryIndicators(inds []Indicator, targets []Target, unit string, p Period, a Actor) []Indicator {
	shared := map[string]bool{}
	for _, t := range targets {
		if t.Unit == unit {
			shared[t.Indicator] = true
		}
	}
	var out []Indicator
	for _, ind := range inds {
		if len(shared) > 0 && !shared[ind.Code] {
			continue
		}
		if !FrequencySuits(ind.Frequency, p) || !a.MayWrite(unit, ind.Group) {
			continue
		}
		out = append(out, ind)
	}
	return out
}

// OwedIndicators returns the indicators the obligations ask of unit's
// figures for period p, in the order first named: those of the
// obligations whose reports are made of unit's figures (or that unit
// reports), whose frequency has p among its periods and whose first year
// owed is not after p's. None when no obligation asks anything of it.
func OwedIndicators(obs []Obligation, unit string, p Period) []string {
	var out []string
	for _, o := range obs {
		if o.Unit != unit && o.FiguresUnit() != unit || o.FromYear > p.Year || !slices.Contains(PeriodsOf(o.Frequency, p.Year), p) {
			continue
		}
		for _, code := range o.Indicators {
			if !slices.Contains(out, code) {
				out = append(out, code)
			}
		}
	}
	return out
}

// FrequencySuits reports whether an indicator reported at frequency f has
// a value for period p: every indicator has one for a year; a half needs
// an indicator reported by halves or more often; a quarter (and the
// months from January, which add up months) by quarters or months; a month
// monthly.
func FrequencySuits(f Frequency, p Period) bool {
	rank := map[Frequency]int{Yearly: 1, HalfYear: 2, Quarterly: 3, Monthly: 4, "": 1}
	need := 1
	switch p.Kind {
	case Half:
		need = 2
	case Quarter:
		need = 3
	case Month, YearToDate:
		need = 4
	}
	return rank[f] >= need
}

// PreviousPeriod is the period before p of the same kind — the year
// before, the half, quarter or month before (across the turn of the year)
// — and, for the months from January ("9 tháng đầu năm"), the same months
// of the year before, which is how such figures are compared.
func PreviousPeriod(p Period) Period {
	switch p.Kind {
	case Half:
		if p.N == 1 {
			return Period{Year: p.Year - 1, Kind: Half, N: 2}
		}
		return Period{Year: p.Year, Kind: Half, N: 1}
	case Quarter:
		if p.N == 1 {
			return Period{Year: p.Year - 1, Kind: Quarter, N: 4}
		}
		return Period{Year: p.Year, Kind: Quarter, N: p.N - 1}
	case Month:
		if p.N == 1 {
			return Period{Year: p.Year - 1, Kind: Month, N: 12}
		}
		return Period{Year: p.Year, Kind: Month, N: p.N - 1}
	case YearToDate:
		return p.SamePeriodBefore()
	}
	return YearPeriod(p.Year - 1)
}

// ReportedValue returns, of values, the reported (official or estimate)
// value of unit for period p in force at asOf, by the engine's rule:
// official beats estimate, and of one type the newest wins.
func ReportedValue(values []Value, unit string, p Period, asOf time.Time) (Value, bool) {
	var best Value
	found := false
	for _, v := range Current(values, asOf) {
		if v.Unit != unit || v.Period != p || (v.Type != OfficialValue && v.Type != EstimateValue) {
			continue
		}
		if !found || betterReported(v, best) {
			best, found = v, true
		}
	}
	return best, found
}

// betterReported is series.add's rule for two values of one period.
func betterReported(v, w Value) bool {
	switch {
	case v.Type != w.Type:
		return v.Type == OfficialValue
	default:
		return v.Newer(&w)
	}
}

// PlannedValue returns the plan value (KH) of unit for period p in force
// at asOf: the newest entered.
func PlannedValue(values []Value, unit string, p Period, asOf time.Time) (Value, bool) {
	var best Value
	found := false
	for _, v := range Current(values, asOf) {
		if v.Unit == unit && v.Period == p && v.Type == PlanValue && (!found || v.Newer(&best)) {
			best, found = v, true
		}
	}
	return best, found
}

// EntryPeriods lists the periods the entry form offers, newest year
// first: for the current year (the periods begun by now) and the three
// before it, the year, its halves, quarters and months.
func EntryPeriods(now time.Time) []Period {
	var out []Period
	now = now.In(Vietnam)
	y, m := now.Year(), int(now.Month())
	begun := func(p Period) bool { return p.Year < y || PeriodStartMonth(p) <= m }
	for year := y; year > y-4; year-- {
		ps := []Period{YearPeriod(year)}
		for n := 1; n <= 2; n++ {
			ps = append(ps, Period{Year: year, Kind: Half, N: n})
		}
		for n := 1; n <= 4; n++ {
			ps = append(ps, Period{Year: year, Kind: Quarter, N: n})
		}
		for n := 1; n <= 12; n++ {
			ps = append(ps, Period{Year: year, Kind: Month, N: n})
		}
		for _, p := range ps {
			if begun(p) {
				out = append(out, p)
			}
		}
	}
	return slices.Clip(out)
}

// PeriodStartMonth is the first month p covers (1 for a year and for the
// months from January).
func PeriodStartMonth(p Period) int {
	switch p.Kind {
	case Half:
		return 6*(p.N-1) + 1
	case Quarter:
		return 3*(p.N-1) + 1
	case Month:
		return p.N
	}
	return 1
}

// PeriodOver reports whether p has ended at now: a value for it can be
// official; before, it is an estimate.
func PeriodOver(p Period, now time.Time) bool {
	end := time.Date(p.Year, time.Month(p.Through())+1, 1, 0, 0, 0, 0, Vietnam)
	return !now.Before(end)
}
