package indicators

import (
	"fmt"
	"regexp"
	"strings"
)

// Direction says which way is better for an indicator.
type Direction string

// Directions.
const (
	Up     Direction = "up"     // higher is better (↑)
	Down   Direction = "down"   // lower is better (↓)
	Within Direction = "within" // must land inside a range (↔), e.g. sector shares
)

// Sign is +1 when higher is better and −1 when lower is better (d of the
// progress rules); 0 for Within.
func (d Direction) Sign() float64 {
	switch d {
	case Up:
		return 1
	case Down:
		return -1
	}
	return 0
}

// Validate checks the direction is one of the three.
func (d Direction) Validate() error {
	switch d {
	case Up, Down, Within:
		return nil
	}
	return FieldError(EINVALID, "direction",
		fmt.Sprintf("chiều %q không hợp lệ (up, down, within)", d),
		fmt.Sprintf("direction %q is not valid (up, down, within)", d))
}

// Measure says what kind of quantity an indicator is.
type Measure string

// Measures.
const (
	Level      Measure = "level"       // an amount: GRDP, revenue, population
	Rate       Measure = "rate"        // a ratio per people or of a total: doctors per 10,000
	Share      Measure = "share"       // a share of a whole in percent: sector shares of GRDP
	GrowthRate Measure = "growth_rate" // a year-on-year change in percent
	Count      Measure = "count"       // a number of things: communes, jobs
)

// Validate checks the measure is known.
func (m Measure) Validate() error {
	switch m {
	case Level, Rate, Share, GrowthRate, Count:
		return nil
	}
	return FieldError(EINVALID, "measure",
		fmt.Sprintf("loại đại lượng %q không hợp lệ", m),
		fmt.Sprintf("measure %q is not valid", m))
}

// Rollup says how values of territorial units add up to the city.
type Rollup string

// Roll-up methods.
const (
	RollupSum      Rollup = "sum"           // the city is the sum of its units
	RollupWeighted Rollup = "weighted_mean" // mean weighted by another indicator
	RollupNone     Rollup = "none"          // not additive: reported for the city only
)

// Frequency is how often an indicator is reported.
type Frequency string

// Frequencies.
const (
	Yearly    Frequency = "year"
	HalfYear  Frequency = "half"
	Quarterly Frequency = "quarter"
	Monthly   Frequency = "month"
)

// Indicator is a measured quantity with a stable code (chỉ tiêu): ECO-01.
type Indicator struct {
	Code       string
	NameVI     string
	NameEN     string
	Unit       string // as Vietnamese reports write it: "%", "tỷ đồng", "triệu đồng/người"
	UnitEN     string
	Decimals   int
	Direction  Direction
	Measure    Measure
	Rollup     Rollup
	WeightBy   string // indicator code of the weight, for RollupWeighted
	LeadAgency string // unit code of the agency that reports it
	Frequency  Frequency
	Group      int    // task group (0 for overall) in the built-in plan
	NoteVI     string // caveats: a change of basis, a weak source
	NoteEN     string
}

var codePattern = regexp.MustCompile(`^[A-Z]{2,5}-[0-9]{2}[a-z]?(\+[0-9]{2})?$`)

// ValidCode reports whether s has the form of an indicator code (ECO-01,
// ECO-01a, ECO-12+13).
func ValidCode(s string) bool { return codePattern.MatchString(s) }

// Validate checks an indicator.
func (ind *Indicator) Validate() error {
	switch {
	case !ValidCode(ind.Code):
		return FieldError(EINVALID, "code",
			fmt.Sprintf("mã chỉ tiêu %q không đúng dạng (ví dụ ECO-01)", ind.Code),
			fmt.Sprintf("indicator code %q is not of the form ECO-01", ind.Code))
	case strings.TrimSpace(ind.NameVI) == "":
		return FieldError(EINVALID, "name_vi", "thiếu tên chỉ tiêu (tiếng Việt)", "the Vietnamese name is missing")
	case strings.TrimSpace(ind.Unit) == "":
		return FieldError(EINVALID, "unit", "thiếu đơn vị tính", "the unit is missing")
	case ind.Decimals < 0 || ind.Decimals > 6:
		return FieldError(EINVALID, "decimals", "số chữ số thập phân phải từ 0 đến 6", "decimals must be 0–6")
	case ind.Rollup == RollupWeighted && ind.WeightBy == "":
		return FieldError(EINVALID, "weight_by", "bình quân gia quyền cần chỉ tiêu trọng số", "a weighted mean needs a weight indicator")
	case ind.WeightBy != "" && (!ValidCode(ind.WeightBy) || ind.WeightBy == ind.Code):
		return FieldError(EINVALID, "weight_by",
			fmt.Sprintf("chỉ tiêu trọng số %q không hợp lệ", ind.WeightBy),
			fmt.Sprintf("weight indicator %q is not valid", ind.WeightBy))
	case ind.Group < 0 || ind.Group > 99:
		return FieldError(EINVALID, "group", "số thứ tự nhóm phải từ 0 đến 99", "the group number must be 0–99")
	}
	if err := checkNames(nameField{"name_vi", "tên chỉ tiêu", "the indicator name", ind.NameVI},
		nameField{"name_en", "tên chỉ tiêu (tiếng Anh)", "the indicator's English name", ind.NameEN},
		nameField{"unit", "đơn vị tính", "the unit of measure", ind.Unit}); err != nil {
		return err
	}
	if err := ind.Direction.Validate(); err != nil {
		return err
	}
	if err := ind.Measure.Validate(); err != nil {
		return err
	}
	switch ind.Rollup {
	case RollupSum, RollupWeighted, RollupNone:
	default:
		return FieldError(EINVALID, "rollup", fmt.Sprintf("cách cộng dồn %q không hợp lệ", ind.Rollup),
			fmt.Sprintf("roll-up %q is not valid", ind.Rollup))
	}
	switch ind.Frequency {
	case Yearly, HalfYear, Quarterly, Monthly:
	default:
		return FieldError(EINVALID, "frequency", fmt.Sprintf("tần suất %q không hợp lệ", ind.Frequency),
			fmt.Sprintf("frequency %q is not valid", ind.Frequency))
	}
	return nil
}
