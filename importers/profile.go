package importers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"chitieu/indicators"
)

// Shape is how a table lays its values out.
type Shape string

// Shapes.
const (
	// Wide: indicators down, years (and value types) across — the
	// departments' own sheets and chitieu's template.
	Wide Shape = "wide"
	// Long: one row per indicator × unit × period (× type).
	Long Shape = "long"
)

// Profile says how a sheet maps onto indicators: where the header is, which
// columns hold what, which unit the sheet speaks for and what its indicator
// names mean. It is a JSON document a planner can write by hand; columns
// are named by their header text, never by letter, so that an inserted
// column does not shift the mapping.
type Profile struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Shape       Shape  `json:"shape"`
	// Sheet is the sheet's name; empty means the first sheet whose header
	// fits the profile.
	Sheet string `json:"sheet,omitempty"`
	// HeaderRows are the 1-based rows of the header (two for a two-row
	// merged header); empty means found by the column names below.
	HeaderRows []int `json:"header_rows,omitempty"`
	// Locale reads numbers written as text: vi (default), en or auto.
	Locale string `json:"locale,omitempty"`
	// Unit is the code of the unit (đơn vị) the sheet speaks for, when no
	// column names one.
	Unit string `json:"unit,omitempty"`
	// DefaultType is the value type of a value column whose header names
	// none, and of long rows without a type column.
	DefaultType indicators.ValueType `json:"default_type,omitempty"`
	Columns     Columns              `json:"columns"`
	// Periods maps a value column's header, as written, to its period,
	// for headers that are not a plain year ("Quý III/2024" works without).
	Periods map[string]string `json:"periods,omitempty"`
	// ValueTypes adds words for value types to the built-in ones (Thực
	// hiện, Ước TH, Ước thực hiện, Kế hoạch, KH …).
	ValueTypes map[string]indicators.ValueType `json:"value_types,omitempty"`
	// Indicators maps an indicator name as the sheet writes it to a
	// catalogue code: the names the planner confirmed. Names the
	// catalogue holds exactly need no entry.
	Indicators map[string]string `json:"indicators,omitempty"`
	// Units maps a unit as written in a unit column to a unit code.
	Units map[string]string `json:"units,omitempty"`
	// OtherUnits says what to do with rows of units that are neither in
	// Units nor in the catalogue: "reject" (default) or "skip".
	OtherUnits string `json:"other_units,omitempty"`
	// Years keeps only the values of the years from Years[0] to Years[1]
	// (0 for an open end); the rest of the table is left out.
	Years []int `json:"years,omitempty"`
	// Values maps, for long tables with one value column per indicator,
	// each value column's header to its indicator code.
	Values map[string]string `json:"values,omitempty"`
}

// Columns names the header of each column that matters.
type Columns struct {
	Code    string `json:"code,omitempty"`    // indicator code
	Name    string `json:"name,omitempty"`    // indicator name
	Measure string `json:"measure,omitempty"` // unit of measure (ĐVT), shown in warnings only
	Unit    string `json:"unit,omitempty"`    // long: reporting unit (đơn vị)
	Period  string `json:"period,omitempty"`  // long: year or period
	Type    string `json:"type,omitempty"`    // long: value type
	Value   string `json:"value,omitempty"`   // long: the value
	High    string `json:"high,omitempty"`    // long: upper end of a planned range
	Note    string `json:"note,omitempty"`    // a note kept with the values of the row
}

// ParseProfile reads a profile from JSON, refusing unknown fields so that
// a misspelt key in a hand-written profile is caught.
func ParseProfile(b []byte) (*Profile, error) {
	var p Profile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, indicators.FieldError(indicators.EINVALID, "profile",
			fmt.Sprintf("hồ sơ ánh xạ không đọc được: %v", err), fmt.Sprintf("the mapping profile cannot be read: %v", err))
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// JSON writes the profile as indented JSON.
func (p *Profile) JSON() []byte {
	b, _ := json.MarshalIndent(p, "", "  ")
	return append(b, '\n')
}

func profileError(name, vi, en string) error {
	if name != "" {
		vi, en = fmt.Sprintf("hồ sơ %q: %s", name, vi), fmt.Sprintf("profile %q: %s", name, en)
	}
	return indicators.FieldError(indicators.EINVALID, "profile", vi, en)
}

// Validate checks that the profile can be applied.
func (p *Profile) Validate() error {
	switch p.Shape {
	case Wide:
		if p.Columns.Code == "" && p.Columns.Name == "" {
			return profileError(p.Name, "bảng ngang cần cột mã (columns.code) hoặc cột tên chỉ tiêu (columns.name)",
				"a wide table needs a code or a name column")
		}
	case Long:
		if p.Columns.Period == "" {
			return profileError(p.Name, "bảng dọc cần cột kỳ (columns.period)", "a long table needs a period column")
		}
		if p.Columns.Value == "" && len(p.Values) == 0 {
			return profileError(p.Name, "bảng dọc cần cột giá trị (columns.value) hoặc các cột giá trị theo chỉ tiêu (values)",
				"a long table needs a value column or value columns per indicator")
		}
		if p.Columns.Value != "" && p.Columns.Code == "" && p.Columns.Name == "" {
			return profileError(p.Name, "bảng dọc cần cột mã hoặc tên chỉ tiêu", "a long table needs an indicator column")
		}
	default:
		return profileError(p.Name, fmt.Sprintf("dạng bảng %q không hợp lệ (wide hoặc long)", p.Shape),
			fmt.Sprintf("shape %q is not valid (wide or long)", p.Shape))
	}
	if _, err := indicators.ParseLocale(p.Locale); err != nil {
		return err
	}
	if p.DefaultType != "" {
		if err := p.DefaultType.Validate(); err != nil {
			return err
		}
	}
	for w, t := range p.ValueTypes {
		if err := t.Validate(); err != nil {
			return profileError(p.Name, fmt.Sprintf("value_types[%q]: %s", w, indicators.ErrorMessage(err)), err.Error())
		}
	}
	for name, code := range p.Indicators {
		if !indicators.ValidCode(code) {
			return profileError(p.Name, fmt.Sprintf("indicators[%q]: mã chỉ tiêu %q không hợp lệ", name, code),
				fmt.Sprintf("indicators[%q]: code %q is not valid", name, code))
		}
	}
	for h, code := range p.Values {
		if !indicators.ValidCode(code) {
			return profileError(p.Name, fmt.Sprintf("values[%q]: mã chỉ tiêu %q không hợp lệ", h, code),
				fmt.Sprintf("values[%q]: code %q is not valid", h, code))
		}
	}
	for h, s := range p.Periods {
		if _, err := parsePeriodText(s); err != nil {
			return profileError(p.Name, fmt.Sprintf("periods[%q]: %v", h, err), fmt.Sprintf("periods[%q]: %v", h, err))
		}
	}
	for i, r := range p.HeaderRows {
		if r < 1 || (i > 0 && r != p.HeaderRows[i-1]+1) || i > 2 {
			return profileError(p.Name, "header_rows phải là một đến ba dòng liền nhau, đánh số từ 1",
				"header_rows must be one to three consecutive rows, from 1")
		}
	}
	if len(p.Years) != 0 && (len(p.Years) != 2 || (p.Years[1] != 0 && p.Years[1] < p.Years[0])) {
		return profileError(p.Name, "years phải là [năm đầu, năm cuối], 0 là không giới hạn", "years must be [from, to], 0 for open")
	}
	switch p.OtherUnits {
	case "", "reject", "skip":
	default:
		return profileError(p.Name, `other_units phải là "reject" hoặc "skip"`, `other_units must be "reject" or "skip"`)
	}
	return nil
}

// labels lists the column headers the profile names, for finding the
// header and for telling whether a sheet fits the profile.
func (p *Profile) labels() []string {
	c := p.Columns
	var out []string
	for _, l := range []string{c.Code, c.Name, c.Measure, c.Unit, c.Period, c.Type, c.Value, c.High, c.Note} {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	for h := range p.Values {
		out = append(out, h)
	}
	return out
}

// keyed returns a map re-keyed by match key.
func keyed[V any](m map[string]V) map[string]V {
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[MatchKey(k)] = v
	}
	return out
}
