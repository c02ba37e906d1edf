package indicators

import (
	"fmt"
	"unicode"
)

// CheckName refuses a name a person typed — of a user, a unit, a plan, a
// task group, a task, an indicator, a mapping profile — that holds a
// character no name needs and that can deceive whoever reads it: NUL and
// the other control characters (line breaks, tabs), and the characters that
// change the direction of the text around them (U+202A–U+202E,
// U+2066–U+2069, U+200E, U+200F, U+061C), with which "gpj.exe" can be made
// to read "exe.jpg". field is the form field; whatVI and whatEN name it for
// people ("họ tên", "the full name").
func CheckName(field, whatVI, whatEN, s string) error {
	for _, r := range s {
		if !unicode.IsControl(r) && !bidiControl(r) {
			continue
		}
		return FieldError(EINVALID, field,
			fmt.Sprintf("%s chứa ký tự không được phép (%U, ký tự điều khiển hoặc đảo chiều văn bản); hãy gõ lại, không dán từ nguồn khác", whatVI, r),
			fmt.Sprintf("%s holds a character that is not allowed (%U, a control or text-direction character); type it again rather than pasting it", whatEN, r))
	}
	return nil
}

// bidiControl reports whether r is one of Unicode's explicit
// bidirectional formatting characters or marks.
func bidiControl(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	}
	return false
}

// nameField is a name of a record with its form field and what people call
// it, for CheckNames.
type nameField struct {
	field, vi, en, value string
}

// checkNames runs CheckName over the fields in order.
func checkNames(fields ...nameField) error {
	for _, f := range fields {
		if err := CheckName(f.field, f.vi, f.en, f.value); err != nil {
			return err
		}
	}
	return nil
}
