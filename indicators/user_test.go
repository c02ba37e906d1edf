package indicators

import (
	"strings"
	"testing"
)

func TestMayWrite(t *testing.T) {
	for _, tc := range []struct {
		actor Actor
		unit  string
		group int
		want  bool
	}{
		{Actor{User: "system"}, "CT", 1, true},
		{Actor{User: "root", Role: Admin}, "CT", 1, true},
		{Actor{User: "hoa", Role: Planner}, "CT", 1, true},
		{Actor{User: "hoa", Role: Planner, Units: []string{"916"}}, "916", 4, true},
		{Actor{User: "hoa", Role: Planner, Units: []string{"916"}}, "CT", 4, false},
		{Actor{User: "hoa", Role: Planner, Groups: []int{2, 3}}, "CT", 3, true},
		{Actor{User: "hoa", Role: Planner, Groups: []int{2, 3}}, "CT", 1, false},
		{Actor{User: "hoa", Role: Planner, Units: []string{"916"}, Groups: []int{2}}, "916", 1, false},
		{Actor{User: "hoa", Role: Planner, Units: []string{"916"}, Groups: []int{2}}, "917", 2, false},
		{Actor{User: "lan", Role: Leader}, "CT", 1, false},
		{Actor{User: "kt", Role: Auditor}, "CT", 1, false},
		{Actor{User: "x", Role: "boss"}, "CT", 1, false},
	} {
		if got := tc.actor.MayWrite(tc.unit, tc.group); got != tc.want {
			t.Errorf("%+v.MayWrite(%s, %d) = %v, want %v", tc.actor, tc.unit, tc.group, got, tc.want)
		}
	}
}

func TestValidatePassword(t *testing.T) {
	for _, tc := range []struct {
		pw string
		ok bool
	}{
		{"1234567", false},
		{"12345678", true},
		{"mậtkhẩu1", true}, // eight characters, more bytes
		{"ạ" + strings.Repeat("a", 1023), true},
		{strings.Repeat("a", 1025), false},
		{"hoa.nguyen", false}, // the login name
		{"HOA.NGUYEN", false},
		{"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8", false},
	} {
		err := ValidatePassword("hoa.nguyen", tc.pw)
		if (err == nil) != tc.ok || (err != nil && ErrorCode(err) != EINVALID) {
			t.Errorf("ValidatePassword(%.20q) = %v, want ok %v", tc.pw, err, tc.ok)
		}
	}
}

func TestUserValidate(t *testing.T) {
	ok := User{Name: "hoa.nguyen", FullName: "Nguyễn Thị Hoa", Role: Planner, Units: []string{"916"}, Groups: []int{1}, PasswordHash: "h"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		change func(u *User)
		field  string
	}{
		{func(u *User) { u.Name = "h" }, "name"},
		{func(u *User) { u.Name = "Hoa" }, "name"},
		{func(u *User) { u.Name = "hoa\nlevel=ERROR" }, "name"},
		{func(u *User) { u.FullName = "Hoa\r\nX" }, "full_name"},
		{func(u *User) { u.Role = "root" }, "role"},
		{func(u *User) { u.Role = Leader }, "units"},
		{func(u *User) { u.Units = []string{"ct 1"} }, "units"},
		{func(u *User) { u.Role, u.Groups = Approver, nil; u.Units = nil }, "units"}, // an approver heads a unit
		{func(u *User) { u.Role = Approver }, "groups"},                              // by units, not groups
		{func(u *User) { u.Groups = []int{-1} }, "groups"},
		{func(u *User) { u.PasswordHash = "" }, "password"},
	} {
		u := ok
		tc.change(&u)
		if err := u.Validate(); ErrorField(err) != tc.field {
			t.Errorf("Validate(%+v) = %v, want an error on %s", u, err, tc.field)
		}
	}
	head := User{Name: "tam", Role: Approver, Units: []string{"916"}, PasswordHash: "h"}
	if err := head.Validate(); err != nil {
		t.Errorf("an approver of unit 916: %v", err)
	}
	if got := ok.ScopeText("vi"); got != "đơn vị 916; nhóm 1" {
		t.Errorf("ScopeText = %q", got)
	}
}
