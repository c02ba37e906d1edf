package indicators

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Kind says how a target is judged.
type Kind string

// Target kinds.
const (
	LevelTarget      Kind = "level"      // the value in the end year reaches the bound
	AvgGrowthTarget  Kind = "avg_growth" // average annual growth over the period
	AnnualTarget     Kind = "annual"     // every year of the period meets the bound
	CumulativeTarget Kind = "cumulative" // the sum over the period reaches the bound
	MilestoneTarget  Kind = "milestone"  // a task done by its deadline
	AverageTarget    Kind = "average"    // the mean of the yearly values over the period
	RelativeTarget   Kind = "relative"   // the end-year value against a base year's value
	AvgChangeTarget  Kind = "avg_change" // average annual change of a rate, in points
)

// Validate checks the kind is known.
func (k Kind) Validate() error {
	switch k {
	case LevelTarget, AvgGrowthTarget, AnnualTarget, CumulativeTarget, MilestoneTarget, AverageTarget,
		RelativeTarget, AvgChangeTarget:
		return nil
	}
	return FieldError(EINVALID, "kind",
		fmt.Sprintf("loại mục tiêu %q không hợp lệ (level, relative, avg_growth, avg_change, average, annual, cumulative, milestone)", k),
		fmt.Sprintf("target kind %q is not valid (level, relative, avg_growth, avg_change, average, annual, cumulative, milestone)", k))
}

// Op is the comparison of a bound.
type Op string

// Bound operators. OpNone marks a target whose text could not be put in
// numbers ("đạt và vượt dự toán Trung ương giao"): it is kept as written and
// judged no_data until someone enters a bound.
const (
	OpNone    Op = ""
	OpAtLeast Op = ">="
	OpAtMost  Op = "<="
	OpAbove   Op = ">"     // trên, hơn, vượt: met only strictly
	OpBelow   Op = "<"     // dưới: met only strictly
	OpAbout   Op = "about" // khoảng a: within a tolerance of a
	OpRange   Op = "range" // [a, b]
)

// Bound is what a target requires of a value.
type Bound struct {
	Op Op
	A  float64
	B  float64 // upper end, for OpRange
}

// Validate checks the bound is well formed.
func (b Bound) Validate() error {
	switch b.Op {
	case OpNone, OpAtLeast, OpAtMost, OpAbove, OpBelow, OpAbout:
	case OpRange:
		if b.B < b.A {
			return FieldError(EINVALID, "bound",
				fmt.Sprintf("khoảng [%v, %v] có cận trên nhỏ hơn cận dưới", b.A, b.B),
				fmt.Sprintf("range [%v, %v] has its upper end below its lower end", b.A, b.B))
		}
	default:
		return FieldError(EINVALID, "bound", fmt.Sprintf("toán tử %q không hợp lệ (>=, >, <=, <, about, range)", b.Op),
			fmt.Sprintf("operator %q is not valid (>=, >, <=, <, about, range)", b.Op))
	}
	if math.IsNaN(b.A) || math.IsInf(b.A, 0) || math.IsNaN(b.B) || math.IsInf(b.B, 0) {
		return FieldError(EINVALID, "bound", "cận không phải là số", "the bound is not a number")
	}
	return nil
}

// Quantified reports whether the bound holds a number to judge against.
func (b Bound) Quantified() bool { return b.Op != OpNone }

// Interval returns the bound as an interval; an open end is ±Inf. "about a"
// becomes [a−tol·|a|, a+tol·|a|].
func (b Bound) Interval(tol float64) (lo, hi float64) {
	switch b.Op {
	case OpAtLeast, OpAbove:
		return b.A, math.Inf(1)
	case OpAtMost, OpBelow:
		return math.Inf(-1), b.A
	case OpAbout:
		return b.A - tol*math.Abs(b.A), b.A + tol*math.Abs(b.A)
	case OpRange:
		return b.A, b.B
	}
	return math.Inf(-1), math.Inf(1)
}

// Met reports whether v satisfies the bound; a strict bound is met only
// strictly ("trên 95%" is not met by 95).
func (b Bound) Met(v, tol float64) bool {
	lo, hi := b.Interval(tol)
	switch b.Op {
	case OpAbove:
		return v > lo+1e-9
	case OpBelow:
		return v < hi-1e-9
	}
	return v >= lo-1e-9 && v <= hi+1e-9
}

// Binding is the end of the bound that matters for direction d: the lower
// end when higher is better, the upper end when lower is better.
func (b Bound) Binding(d Direction, tol float64) float64 {
	lo, hi := b.Interval(tol)
	if d == Down {
		return hi
	}
	return lo
}

// Format writes the bound in the given language with at most the given
// decimals: "7,5–8", "≥ 80".
func (b Bound) Format(lang string, decimals int) string {
	n := func(x float64) string { return FormatTrim(x, decimals, lang) }
	switch b.Op {
	case OpAtLeast:
		return "≥ " + n(b.A)
	case OpAtMost:
		return "≤ " + n(b.A)
	case OpAbove:
		return "> " + n(b.A)
	case OpBelow:
		return "< " + n(b.A)
	case OpAbout:
		if lang == "en" {
			return "about " + n(b.A)
		}
		return "khoảng " + n(b.A)
	case OpRange:
		return n(b.A) + "–" + n(b.B)
	}
	if lang == "en" {
		return "not quantified"
	}
	return "chưa lượng hóa"
}

// Target is what a plan asks of an indicator over a period (mục tiêu). Its
// identity — plan, indicator, period, scope — never changes; what it asks is
// held in revisions, of which the one in force at a date is used.
type Target struct {
	ID        int64
	Plan      string // plan ID
	Indicator string
	Period    YearRange
	Scope     Scope
	Unit      string // the unit whose share this is (a department, a commune); empty for the territory as a whole
	Group     int    // task group; 0 for overall targets
	Task      string // task code, for milestone targets
	TargetRevision
	Revisions []TargetRevision // history, oldest first, when loaded
}

// TargetRevision is one version of what a target asks. The first is the
// target as its plan set it; each later one carries the act that changed it.
type TargetRevision struct {
	Seq       int // 0 for the original
	Kind      Kind
	Bound     Bound
	Direction Direction // overrides the indicator's direction when set
	BaseYear  int       // the base year of a relative target: "so với năm 2020"
	Tolerance float64   // the tolerance of "about a" as a share of |a|; 0 means the setting
	Text      string    // the target as the act writes it: "7,5 - 8%/năm"
	Source    string    // source codes: "S08"
	Act       string    // the act that set or changed it: "98/NQ-CP"
	ActDate   time.Time
	Effective time.Time // in force from this day
	Reason    string
	EnteredBy string
	EnteredAt time.Time
}

// Validate checks a target's identity and its revision.
func (t *Target) Validate() error {
	switch {
	case t.Plan == "":
		return FieldError(EINVALID, "plan", "thiếu kế hoạch của mục tiêu", "the target's plan is missing")
	case !ValidCode(t.Indicator):
		return FieldError(EINVALID, "indicator",
			fmt.Sprintf("mã chỉ tiêu %q không hợp lệ", t.Indicator),
			fmt.Sprintf("indicator code %q is not valid", t.Indicator))
	}
	if err := t.Period.Validate(); err != nil {
		return err
	}
	if err := t.Scope.Validate(); err != nil {
		return err
	}
	if t.Kind == MilestoneTarget && t.Task == "" {
		return FieldError(EINVALID, "task", "mục tiêu mốc cần nhiệm vụ", "a milestone target needs a task")
	}
	return t.TargetRevision.Validate()
}

// Validate checks one revision of a target.
func (r *TargetRevision) Validate() error {
	if err := r.Kind.Validate(); err != nil {
		return err
	}
	if err := r.Bound.Validate(); err != nil {
		return err
	}
	if r.Direction != "" {
		if err := r.Direction.Validate(); err != nil {
			return err
		}
	}
	if r.Kind == RelativeTarget && r.Bound.Quantified() && (r.BaseYear < 1900 || r.BaseYear > 2200) {
		return FieldError(EINVALID, "base_year", "mục tiêu so với năm gốc cần năm gốc (ví dụ 2020)",
			"a target relative to a base year needs that year (e.g. 2020)")
	}
	if r.Kind != RelativeTarget && r.BaseYear != 0 {
		return FieldError(EINVALID, "base_year", "chỉ mục tiêu so với năm gốc mới có năm gốc",
			"only a target relative to a base year has a base year")
	}
	if r.Tolerance < 0 || r.Tolerance >= 1 || math.IsNaN(r.Tolerance) {
		return FieldError(EINVALID, "tolerance", fmt.Sprintf("dung sai %v không hợp lệ: cần một tỷ lệ từ 0 đến dưới 1 (0,05 là 5%%)", r.Tolerance),
			fmt.Sprintf("tolerance %v is not valid: a share from 0 to below 1 (0.05 is 5%%)", r.Tolerance))
	}
	if strings.TrimSpace(r.Text) == "" && !r.Bound.Quantified() {
		return FieldError(EINVALID, "text", "cần nội dung mục tiêu hoặc cận định lượng",
			"a target needs its text or a bound")
	}
	if r.Seq > 0 {
		switch {
		case strings.TrimSpace(r.Act) == "":
			return FieldError(EINVALID, "act", "điều chỉnh mục tiêu cần số văn bản điều chỉnh", "a revision needs the act that makes it")
		case r.ActDate.IsZero():
			return FieldError(EINVALID, "act_date", "điều chỉnh mục tiêu cần ngày của văn bản điều chỉnh", "a revision needs the date of its act")
		case r.Effective.IsZero():
			return FieldError(EINVALID, "effective", "điều chỉnh mục tiêu cần ngày có hiệu lực", "a revision needs its effective date")
		case strings.TrimSpace(r.Reason) == "":
			return FieldError(EINVALID, "reason", "điều chỉnh mục tiêu cần lý do", "a revision needs its reason")
		}
	}
	return nil
}

// InForce returns the revision in force at moment asOf: the latest one that
// was both entered and effective by then. ok is false when none was.
func InForce(revs []TargetRevision, asOf time.Time) (rev TargetRevision, ok bool) {
	for _, r := range revs {
		if r.EnteredAt.After(asOf) || (!r.Effective.IsZero() && r.Effective.After(asOf)) {
			continue
		}
		if !ok || r.Effective.After(rev.Effective) || (r.Effective.Equal(rev.Effective) && r.Seq > rev.Seq) {
			rev, ok = r, true
		}
	}
	return rev, ok
}
