package indicators

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ValueType says how final a value is.
type ValueType string

// Value types, from least to most final.
const (
	PlanValue     ValueType = "plan"     // kế hoạch (KH): what the year's plan asks
	EstimateValue ValueType = "estimate" // ước thực hiện (ƯTH): before the year closes
	OfficialValue ValueType = "official" // thực hiện, chính thức (TH)
	// SamePeriodValue is not a figure but the comparison reported beside
	// one: the period's value as a percentage of the same period of the
	// year before ("so cùng kỳ (%)", 107,4 for a rise of 7,4 %). Kept as the
	// department reported it; no progress status rests on it.
	SamePeriodValue ValueType = "same_period"
)

// Validate checks the value type.
func (t ValueType) Validate() error {
	switch t {
	case PlanValue, EstimateValue, OfficialValue, SamePeriodValue:
		return nil
	}
	return FieldError(EINVALID, "type",
		fmt.Sprintf("loại số liệu %q không hợp lệ (plan, estimate, official, same_period)", t),
		fmt.Sprintf("value type %q is not valid (plan, estimate, official, same_period)", t))
}

// Key identifies what a value measures; a newer value with the same key
// supersedes the older, which stays on record.
type Key struct {
	Indicator string
	Unit      string
	Period    Period
	Type      ValueType
}

func (k Key) String() string {
	return fmt.Sprintf("%s/%s/%s/%s", k.Indicator, k.Unit, k.Period, k.Type)
}

// Value is one number with its provenance (số liệu). Values are never
// changed or deleted: a newer one for the same key supersedes it, and a
// rolled-back batch retracts its values from that moment on.
type Value struct {
	ID int64
	Key
	Value float64
	High  *float64 // upper end of a planned range, for plan values ("7,5–8%")
	Scope Scope    // the territory of the unit
	Note  string   // a caveat: a weak source, a change of basis

	// Provenance: a source code of the reference sheet, or an import batch
	// with its sheet and cell; always who entered it and when.
	Source    string
	Batch     int64
	File      string // name of the uploaded file, when from a batch
	Sheet     string
	Cell      string
	EnteredBy string
	EnteredAt time.Time

	RetractedAt time.Time // when its batch was rolled back; zero otherwise
	Superseded  bool      // a newer value for the key exists (as of the query)
}

// Validate checks a value before it is stored.
func (v *Value) Validate() error {
	switch {
	case !ValidCode(v.Indicator):
		return FieldError(EINVALID, "indicator", fmt.Sprintf("mã chỉ tiêu %q không hợp lệ", v.Indicator),
			fmt.Sprintf("indicator code %q is not valid", v.Indicator))
	case v.Unit == "":
		return FieldError(EINVALID, "unit", "thiếu đơn vị báo cáo", "the reporting unit is missing")
	case math.IsNaN(v.Value) || math.IsInf(v.Value, 0):
		return FieldError(EINVALID, "value", "giá trị không phải là số", "the value is not a number")
	case v.High != nil && (v.Type != PlanValue || *v.High < v.Value):
		return FieldError(EINVALID, "high", "chỉ số liệu kế hoạch mới có khoảng, và cận trên không nhỏ hơn cận dưới",
			"only plan values carry a range, whose top is not below its bottom")
	case v.Source == "" && v.Batch == 0:
		return FieldError(EINVALID, "source", "số liệu cần nguồn hoặc lô nhập", "a value needs a source or a batch")
	}
	return v.Type.Validate()
}

// KnownAt reports whether the value counted at moment t: entered by then and
// not yet retracted.
func (v *Value) KnownAt(t time.Time) bool {
	if v.EnteredAt.After(t) {
		return false
	}
	return v.RetractedAt.IsZero() || v.RetractedAt.After(t)
}

// Newer reports whether v was entered after w (ties broken by ID, the order
// of storing).
func (v *Value) Newer(w *Value) bool {
	if !v.EnteredAt.Equal(w.EnteredAt) {
		return v.EnteredAt.After(w.EnteredAt)
	}
	return v.ID > w.ID
}

// Current returns, for each key, the value in force at moment t: the newest
// one entered by t and not retracted at t. The result keeps the input order
// of first appearance.
func Current(values []Value, t time.Time) []Value {
	best := map[Key]int{}
	var order []Key
	for i := range values {
		v := &values[i]
		if !v.KnownAt(t) {
			continue
		}
		j, ok := best[v.Key]
		if !ok {
			order = append(order, v.Key)
		}
		if !ok || v.Newer(&values[j]) {
			best[v.Key] = i
		}
	}
	out := make([]Value, 0, len(order))
	for _, k := range order {
		out = append(out, values[best[k]])
	}
	return out
}

// FormatNumber writes x with the given decimals the way the language writes
// numbers: 1.234,5 in Vietnamese, 1,234.5 in English.
func FormatNumber(x float64, decimals int, lang string) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	s := strconv.FormatFloat(math.Abs(x), 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	thousands, point := ".", ","
	if lang == "en" {
		thousands, point = ",", "."
	}
	var b strings.Builder
	if x < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(thousands)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(point)
		b.WriteString(frac)
	}
	return b.String()
}

// FormatTrim writes x like FormatNumber with at most max decimals, dropping
// trailing zeros: 7,5 rather than 7,50.
func FormatTrim(x float64, max int, lang string) string {
	for d := 0; d < max; d++ {
		if math.Abs(x-roundTo(x, d)) < 1e-9 {
			return FormatNumber(x, d, lang)
		}
	}
	return FormatNumber(x, max, lang)
}

func roundTo(x float64, d int) float64 {
	p := math.Pow10(d)
	return math.Round(x*p) / p
}
