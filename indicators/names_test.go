package indicators

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// Every name a person types refuses NUL, other control characters and
// the characters that turn the direction of text, naming the field in
// both languages; the names the catalogue holds (with diacritics) pass.
func TestNamesRefuseControlAndBidiCharacters(t *testing.T) {
	bad := []rune{0, '\n', 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F}
	good := "Phường Ninh Kiều (Cần Thơ) – “mới”"
	okUnit := func(n string) error {
		u := Unit{Code: "CT-NK", NameVI: n, Kind: Commune, Scope: MergedCity}
		return u.Validate()
	}
	okPlan := func(n string) error {
		p := Plan{Code: "59-NQ/TW", TitleVI: n, Issued: time.Date(2020, 8, 5, 0, 0, 0, 0, time.UTC)}
		return p.Validate()
	}
	okGroup := func(n string) error { g := TaskGroup{Plan: "nq59", Number: 1, NameVI: n}; return g.Validate() }
	okTask := func(n string) error {
		tk := Task{Code: "G1-T01", Plan: "nq59", Group: 1, NameVI: n}
		return tk.Validate()
	}
	okUser := func(n string) error {
		u := User{Name: "hoa", FullName: n, Role: Planner, PasswordHash: "x"}
		return u.Validate()
	}
	okIndicator := func(n string) error {
		ind := Indicator{Code: "ECO-01", NameVI: n, Unit: "%", Direction: Up, Measure: GrowthRate,
			Rollup: RollupNone, Frequency: Yearly}
		return ind.Validate()
	}
	for _, tc := range []struct {
		what, field, vi string
		check           func(string) error
	}{
		{"unit", "name_vi", "tên đơn vị", okUnit},
		{"plan", "title_vi", "tên văn bản", okPlan},
		{"task group", "name_vi", "tên nhóm nhiệm vụ", okGroup},
		{"task", "name_vi", "tên nhiệm vụ", okTask},
		{"user", "full_name", "họ tên", okUser},
		{"indicator", "name_vi", "tên chỉ tiêu", okIndicator},
	} {
		if err := tc.check(good); err != nil {
			t.Errorf("%s named %q: %v", tc.what, good, err)
		}
		for _, r := range bad {
			err := tc.check("Ninh " + string(r) + "Kiều")
			var de *Error
			if !errors.As(err, &de) || de.Code != EINVALID || de.Field != tc.field || !strings.Contains(de.Message, tc.vi) ||
				!strings.Contains(de.Message, "không được phép") || !strings.Contains(de.English, "not allowed") {
				t.Errorf("%s named with %U: %v, want an invalid %s naming %q in both languages", tc.what, r, err, tc.field, tc.vi)
			}
		}
	}
}
