package indicators

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Scope is the territory a target or a value speaks for. Can Tho changed on
// 1 July 2025, when it merged with Hau Giang and Soc Trang: a value of the
// merged city never counts towards a target set for the old one.
type Scope string

// The built-in scopes.
const (
	OldCity    Scope = "old_city"    // Can Tho until 30 June 2025
	MergedCity Scope = "merged_city" // Can Tho from 1 July 2025
)

var scopePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// Validate checks the scope is a lower-case identifier.
func (s Scope) Validate() error {
	if !scopePattern.MatchString(string(s)) {
		return FieldError(EINVALID, "scope",
			fmt.Sprintf("phạm vi %q không hợp lệ (ví dụ old_city, merged_city)", s),
			fmt.Sprintf("scope %q is not valid (e.g. old_city, merged_city)", s))
	}
	return nil
}

// UnitKind says what a unit is.
type UnitKind string

// Unit kinds.
const (
	City     UnitKind = "city"     // the city as a whole, in one of its scopes
	District UnitKind = "district" // quận, huyện (until 30 June 2025)
	Commune  UnitKind = "commune"  // xã, phường
	Agency   UnitKind = "agency"   // a department that reports indicators
)

// Unit is a territorial unit or a reporting agency (đơn vị). Territorial
// units carry validity dates so that history stays comparable.
type Unit struct {
	Code      string // GSO code for districts ("916"), "CT", "CT-CU", "STC"
	NameVI    string
	NameEN    string
	Kind      UnitKind
	Type      string // quận, huyện, sở …
	Parent    string // code of the unit it belongs to
	Scope     Scope  // the territory it belongs to; empty for agencies
	ValidFrom time.Time
	ValidTo   time.Time // zero while still in existence
	Source    string
	// OfficialCode is the unit's official administrative code (mã đơn vị
	// hành chính, Decision 124/2004/QĐ-TTg and its updates: 2 digits
	// for a province, 3 for a district, 5 for a commune), set by an admin
	// (SetUnitOfficialCode); empty until then: the catalogue invents none.
	OfficialCode string
}

var officialCodePattern = regexp.MustCompile(`^[0-9]{2,6}$`)

// ValidateOfficialCode checks an official unit code: empty (none), or 2
// to 6 digits.
func ValidateOfficialCode(code string) error {
	if code != "" && !officialCodePattern.MatchString(code) {
		return FieldError(EINVALID, "official_code",
			fmt.Sprintf("mã đơn vị hành chính %q không hợp lệ: cần 2 đến 6 chữ số (ví dụ 31117), hoặc để trống", code),
			fmt.Sprintf("official unit code %q is not valid: 2 to 6 digits (e.g. 31117), or empty", code))
	}
	return nil
}

var unitCodePattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{0,19}$`)

// Validate checks a unit.
func (u *Unit) Validate() error {
	switch {
	case !unitCodePattern.MatchString(u.Code):
		return FieldError(EINVALID, "code",
			fmt.Sprintf("mã đơn vị %q không hợp lệ (chữ in hoa, số, gạch nối)", u.Code),
			fmt.Sprintf("unit code %q is not valid (capitals, digits, hyphens)", u.Code))
	case strings.TrimSpace(u.NameVI) == "":
		return FieldError(EINVALID, "name_vi", "thiếu tên đơn vị", "the unit name is missing")
	case !u.ValidFrom.IsZero() && !u.ValidTo.IsZero() && u.ValidTo.Before(u.ValidFrom):
		return FieldError(EINVALID, "valid_to", "ngày hết hiệu lực trước ngày có hiệu lực", "valid to is before valid from")
	}
	if err := ValidateOfficialCode(u.OfficialCode); err != nil {
		return err
	}
	if err := checkNames(nameField{"name_vi", "tên đơn vị", "the unit name", u.NameVI},
		nameField{"name_en", "tên đơn vị (tiếng Anh)", "the unit's English name", u.NameEN},
		nameField{"type", "loại hình đơn vị", "the unit type", u.Type}); err != nil {
		return err
	}
	switch u.Kind {
	case City, District, Commune:
		return u.Scope.Validate()
	case Agency:
		if u.Scope != "" {
			return FieldError(EINVALID, "scope", "cơ quan báo cáo không có phạm vi lãnh thổ", "an agency has no territorial scope")
		}
		return nil
	}
	return FieldError(EINVALID, "kind", fmt.Sprintf("loại đơn vị %q không hợp lệ", u.Kind),
		fmt.Sprintf("unit kind %q is not valid", u.Kind))
}

// ValidOn reports whether the unit existed on day d.
func (u *Unit) ValidOn(d time.Time) bool {
	if !u.ValidFrom.IsZero() && d.Before(u.ValidFrom) {
		return false
	}
	return u.ValidTo.IsZero() || !d.After(EndOfDay(u.ValidTo))
}
