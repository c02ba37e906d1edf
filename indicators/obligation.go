package indicators

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Obligation is a unit's duty under a plan to report some indicators at a
// frequency (nghĩa vụ báo cáo): "Sở Tài chính reports ECO-01 and ECO-02
// every quarter for 59-NQ/TW".
type Obligation struct {
	ID         int64
	Plan       string // plan ID
	Unit       string // unit code of who reports
	Indicators []string
	Frequency  Frequency
	// Figures is the unit whose figures make the report when it is not
	// the reporting unit itself: a department reports the city's figures
	// (Sở Tài chính sends Can Tho's budget revenue), a commune its own.
	Figures string
	// FromYear is the first year whose periods are owed, so that a new
	// obligation does not make every past period overdue; 0 means every
	// year.
	FromYear int
}

// FiguresUnit is the unit whose values make the obligation's reports.
func (o Obligation) FiguresUnit() string {
	if o.Figures != "" {
		return o.Figures
	}
	return o.Unit
}

// SuggestObligations proposes obligations for a plan from its own
// catalogue, inventing nothing: each indicator of targets (the plan's own,
// and those of the plans that make it concrete, as the caller chooses)
// is owed by its lead agency, at the indicator's frequency (yearly when
// none is given), with the figures of the city as it is now (the unit of
// kind City still in existence — after 1 July 2025 the merged city, even
// for a plan set for the old one, since the obligations are owed from now
// on — else the one of the plan's territory). Indicators without a lead
// agency, or whose agency is not a unit, are returned apart, for the admin
// to assign. Obligations the plan already has for an agency and frequency
// are left out.
func SuggestObligations(plan Plan, targets []Target, inds []Indicator, units []Unit, have []Obligation) (add []Obligation, unowned []string) {
	known := map[string]bool{}
	city, current := "", ""
	for _, u := range units {
		known[u.Code] = true
		switch {
		case u.Kind != City:
		case u.ValidTo.IsZero() && current == "":
			current = u.Code
		case u.Scope == plan.Scope && city == "":
			city = u.Code
		}
	}
	if current != "" {
		city = current // reports are owed from now on: of the city as it is
	}
	byCode := map[string]Indicator{}
	for _, ind := range inds {
		byCode[ind.Code] = ind
	}
	taken := map[string]bool{}
	for _, o := range have {
		taken[o.Unit+"/"+string(o.Frequency)] = true
	}
	at := map[string]int{}
	seen := map[string]bool{}
	for _, t := range targets {
		ind, ok := byCode[t.Indicator]
		if !ok || seen[t.Indicator] {
			continue
		}
		seen[t.Indicator] = true
		if ind.LeadAgency == "" || !known[ind.LeadAgency] {
			unowned = append(unowned, ind.Code)
			continue
		}
		f := ind.Frequency
		if f == "" {
			f = Yearly
		}
		key := ind.LeadAgency + "/" + string(f)
		if taken[key] {
			continue
		}
		i, ok := at[key]
		if !ok {
			i = len(add)
			at[key] = i
			figures := city
			if figures == ind.LeadAgency {
				figures = ""
			}
			add = append(add, Obligation{Plan: plan.ID, Unit: ind.LeadAgency, Frequency: f, Figures: figures})
		}
		add[i].Indicators = append(add[i].Indicators, ind.Code)
	}
	for i := range add {
		slices.Sort(add[i].Indicators)
	}
	slices.Sort(unowned)
	return add, unowned
}

// Validate checks an obligation's fields; the store checks that its plan,
// unit and indicators exist.
func (o *Obligation) Validate() error {
	switch {
	case o.Plan == "":
		return FieldError(EINVALID, "plan", "thiếu kế hoạch", "the plan is missing")
	case o.Unit == "":
		return FieldError(EINVALID, "unit", "thiếu đơn vị báo cáo", "the reporting unit is missing")
	case len(o.Indicators) == 0:
		return FieldError(EINVALID, "indicators", "cần ít nhất một chỉ tiêu phải báo cáo", "at least one indicator is needed")
	case o.FromYear != 0 && (o.FromYear < 1990 || o.FromYear > 2100):
		return FieldError(EINVALID, "from_year", "năm bắt đầu báo cáo phải từ 1990 đến 2100", "the first year must be 1990–2100")
	}
	if err := o.Frequency.validate(); err != nil {
		return err
	}
	for _, code := range o.Indicators {
		if !ValidCode(code) {
			return FieldError(EINVALID, "indicators", fmt.Sprintf("mã chỉ tiêu %q không hợp lệ", code),
				fmt.Sprintf("indicator code %q is not valid", code))
		}
	}
	return nil
}

func (f Frequency) validate() error {
	switch f {
	case Yearly, HalfYear, Quarterly, Monthly:
		return nil
	}
	return FieldError(EINVALID, "frequency", fmt.Sprintf("tần suất %q không hợp lệ (year, half, quarter, month)", f),
		fmt.Sprintf("frequency %q is not valid (year, half, quarter, month)", f))
}

// Frequencies lists the reporting frequencies from the longest.
var Frequencies = []Frequency{Yearly, HalfYear, Quarterly, Monthly}

// PeriodsOf lists the reporting periods of year y at frequency f, in order.
func PeriodsOf(f Frequency, y int) []Period {
	var kind PeriodKind
	var n int
	switch f {
	case HalfYear:
		kind, n = Half, 2
	case Quarterly:
		kind, n = Quarter, 4
	case Monthly:
		kind, n = Month, 12
	default:
		return []Period{YearPeriod(y)}
	}
	ps := make([]Period, n)
	for i := range ps {
		ps[i] = Period{Year: y, Kind: kind, N: i + 1}
	}
	return ps
}

// months is how many months a period of p's kind spans.
func (p Period) months() int {
	switch p.Kind {
	case Half:
		return 6
	case Quarter:
		return 3
	case Month:
		return 1
	case YearToDate:
		return p.N
	}
	return 12
}

// CutoffRule draws the data cut-off window and the deadline of the periods
// of one frequency. The window of a period closes on CutoffDay of the
// period's last month and opens the day after the window of the period
// before it closed, so that windows follow each other without gap or
// overlap. With the default CutoffDay of 14 this is Decree 09/2019/NĐ-CP
// Art. 12: a month runs from the 15th of the month before to the 14th; a
// quarter from the 15th of the month before it to the 14th of its last
// month; six months from 15 December to 14 June; a year from 15 December
// of the year before to 14 December. CutoffDay 0 means the month's last
// day (calendar periods).
//
// The Decree leaves the deadline for sending a report to each reporting
// regime, so the default deadline is the cut-off day itself
// (DeadlineDays 0); a plan whose regime gives the units more days sets
// them.
type CutoffRule struct {
	Frequency    Frequency
	CutoffDay    int // 1–28, or 0 for the month's last day
	DeadlineDays int // days after the cut-off that the report is due, 0–90
}

// DefaultCutoff is the Decree 09/2019 rule for frequency f.
func DefaultCutoff(f Frequency) CutoffRule {
	return CutoffRule{Frequency: f, CutoffDay: 14}
}

// Validate checks the rule's days.
func (r CutoffRule) Validate() error {
	if err := r.Frequency.validate(); err != nil {
		return err
	}
	switch {
	case r.CutoffDay < 0 || r.CutoffDay > 28:
		return FieldError(EINVALID, "cutoff_day", "ngày chốt số liệu phải từ 1 đến 28, hoặc 0 cho ngày cuối tháng",
			"the cut-off day must be 1–28, or 0 for the month's last day")
	case r.DeadlineDays < 0 || r.DeadlineDays > 90:
		return FieldError(EINVALID, "deadline_days", "số ngày gửi báo cáo sau ngày chốt phải từ 0 đến 90",
			"the days to send the report after the cut-off must be 0–90")
	}
	return nil
}

// Window is a period's data cut-off window and its deadline, as dates in
// Vietnam.
type Window struct {
	Period   Period
	From, To time.Time // first and last day of the data the report covers
	Deadline time.Time // the day the report is due, on or before its end
}

// DueAt is the last instant a report is on time: the end of the deadline.
func (w Window) DueAt() time.Time { return EndOfDay(w.Deadline) }

// closing is the day a window closes in month m of year y.
func (r CutoffRule) closing(y int, m time.Month) time.Time {
	if r.CutoffDay == 0 {
		return time.Date(y, m+1, 0, 0, 0, 0, 0, Vietnam)
	}
	return time.Date(y, m, r.CutoffDay, 0, 0, 0, 0, Vietnam)
}

// Window draws period p's window under the rule.
func (r CutoffRule) Window(p Period) Window {
	last := time.Month(p.Through())
	first := last - time.Month(p.months()) + 1
	to := r.closing(p.Year, last)
	// time.Date normalises month 0 to December of the year before.
	from := r.closing(p.Year, first-1).AddDate(0, 0, 1)
	return Window{Period: p, From: from, To: to, Deadline: to.AddDate(0, 0, r.DeadlineDays)}
}

// Schedule is a plan's cut-off rules: the ones the admin changed, the
// Decree's defaults for the others.
type Schedule struct {
	Plan  string
	Rules []CutoffRule // overrides only
}

// Rule is the rule in force for frequency f.
func (s Schedule) Rule(f Frequency) CutoffRule {
	for _, r := range s.Rules {
		if r.Frequency == f {
			return r
		}
	}
	return DefaultCutoff(f)
}

// ReportState is where one period's report of one obligation stands at an
// as-of moment.
type ReportState string

// Report states. A report is received when the unit's committed values for
// every indicator it owes for the period exist; it is on time when the
// latest of those commits is no later than the deadline's end.
const (
	ReportOnTime  ReportState = "on_time"
	ReportLate    ReportState = "late"
	ReportMissing ReportState = "missing" // due and not received: overdue
	ReportPending ReportState = "pending" // not yet due and not received
)

// ReceivedKey names one indicator's figure for a unit and period.
type ReceivedKey struct {
	Indicator, Unit string
	Period          Period
}

// Expectation is one report an obligation asks for: a unit's indicators
// for one period, with its window and where it stands.
type Expectation struct {
	Obligation Obligation
	Window     Window
	State      ReportState
	Received   time.Time // the latest of the commits that completed it; zero unless received
	Have       int       // indicators with a figure
}

// Due reports whether the deadline has passed at asOf: only due reports
// count in a reporting rate.
func (e Expectation) Due(asOf time.Time) bool { return asOf.After(e.Window.DueAt()) }

// Expect lists the reports the obligations ask for in year y and judges
// each at asOf. received holds, for each indicator, unit and period, the
// commit that first brought an estimate or official figure known at asOf
// (a plan figure is not a report of what happened).
func Expect(obs []Obligation, schedules map[string]Schedule, y int, received map[ReceivedKey]time.Time, asOf time.Time) []Expectation {
	var out []Expectation
	for _, o := range obs {
		if o.FromYear > y {
			continue
		}
		rule := schedules[o.Plan].Rule(o.Frequency) // a plan with no changes has the defaults
		for _, p := range PeriodsOf(o.Frequency, y) {
			e := Expectation{Obligation: o, Window: rule.Window(p)}
			var latest time.Time
			for _, code := range o.Indicators {
				at, ok := received[ReceivedKey{Indicator: code, Unit: o.FiguresUnit(), Period: p}]
				if !ok || at.After(asOf) {
					continue
				}
				e.Have++
				if at.After(latest) {
					latest = at
				}
			}
			switch {
			case e.Have == len(o.Indicators) && !latest.After(e.Window.DueAt()):
				e.State, e.Received = ReportOnTime, latest
			case e.Have == len(o.Indicators):
				e.State, e.Received = ReportLate, latest
			case e.Due(asOf):
				e.State = ReportMissing
			default:
				e.State = ReportPending
			}
			out = append(out, e)
		}
	}
	return out
}

// ReportingRate counts a unit's due reports: how many were expected, and
// of them how many came on time, late, or not at all. A report received
// before it is due counts once it is due, so that the rate of a period
// still open does not change as units report early.
type ReportingRate struct {
	Unit                            string
	Expected, OnTime, Late, Missing int
}

// Percent is the share received on time, or -1 when nothing was due.
func (r ReportingRate) Percent() float64 {
	if r.Expected == 0 {
		return -1
	}
	return 100 * float64(r.OnTime) / float64(r.Expected)
}

// RatesByUnit counts the due expectations per unit, units in order of
// their code, with the total last (Unit ""). The calendar page and its
// workbook both show these counts.
func RatesByUnit(es []Expectation, asOf time.Time) []ReportingRate {
	by := map[string]*ReportingRate{}
	var total ReportingRate
	for _, e := range es {
		if !e.Due(asOf) {
			continue
		}
		r := by[e.Obligation.Unit]
		if r == nil {
			r = &ReportingRate{Unit: e.Obligation.Unit}
			by[e.Obligation.Unit] = r
		}
		for _, c := range []*ReportingRate{r, &total} {
			c.Expected++
			switch e.State {
			case ReportOnTime:
				c.OnTime++
			case ReportLate:
				c.Late++
			default:
				c.Missing++
			}
		}
	}
	out := make([]ReportingRate, 0, len(by)+1)
	for _, r := range by {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b ReportingRate) int {
		switch {
		case a.Unit < b.Unit:
			return -1
		case a.Unit > b.Unit:
			return 1
		}
		return 0
	})
	return append(out, total)
}

// Owed is what a unit still owes at asOf: reports overdue, and those due
// within the next days, soonest first.
func Owed(es []Expectation, asOf time.Time, days int) (overdue, soon []Expectation) {
	horizon := EndOfDay(asOf.AddDate(0, 0, days))
	for _, e := range es {
		switch {
		case e.State == ReportMissing:
			overdue = append(overdue, e)
		case e.State == ReportPending && !e.Window.DueAt().After(horizon):
			soon = append(soon, e)
		}
	}
	byDeadline := func(a, b Expectation) int { return a.Window.Deadline.Compare(b.Window.Deadline) }
	slices.SortStableFunc(overdue, byDeadline)
	slices.SortStableFunc(soon, byDeadline)
	return overdue, soon
}

// ObligationFilter selects obligations; zero fields select all.
type ObligationFilter struct {
	Plan  string
	Units []string
}

// ObligationStore keeps the reporting obligations and each plan's cut-off
// rules. Every write appends to the audit trail in its transaction.
type ObligationStore interface {
	Obligations(ctx context.Context, f ObligationFilter) ([]Obligation, error)
	// AddObligation stores a new obligation and sets its ID.
	AddObligation(ctx context.Context, o *Obligation) error
	UpdateObligation(ctx context.Context, o Obligation) error
	RemoveObligation(ctx context.Context, id int64) error
	// Schedules returns every plan's changed cut-off rules by plan ID.
	Schedules(ctx context.Context) (map[string]Schedule, error)
	// SetCutoff stores a plan's rule for a frequency; the Decree's default
	// rule removes the change.
	SetCutoff(ctx context.Context, plan string, r CutoffRule) error
	// Received returns, for the units given (all when none) and year y,
	// the commit time of the first estimate or official figure of each
	// indicator, unit and period known at asOf and not rolled back by
	// then.
	Received(ctx context.Context, units []string, y int, asOf time.Time) (map[ReceivedKey]time.Time, error)
}
