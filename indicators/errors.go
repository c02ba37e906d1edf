// Package indicators is chitieu's domain: plans, task groups, tasks,
// indicators, targets with their revisions, territorial units, values with
// their provenance, and the progress engine that judges every target at an
// as-of date. It imports only the standard library; storage, spreadsheets and
// HTTP live in the packages around it and depend on this one.
package indicators

import (
	"errors"
	"fmt"
	"syscall"
)

// Error codes shared by every layer. The web layer maps them to HTTP
// statuses and the command line to exit codes.
const (
	EINVALID      = "invalid"      // the input breaks a rule of the domain
	ENOTFOUND     = "not_found"    // the thing asked for does not exist
	ECONFLICT     = "conflict"     // the change clashes with what is stored
	EFORBIDDEN    = "forbidden"    // the user may not do this
	EUNAUTHORIZED = "unauthorized" // no valid session
	ETOOLARGE     = "too_large"    // an upload or request exceeds a limit
	ENOSPACE      = "no_space"     // the disk is full: the write was undone
	EINTERNAL     = "internal"     // a failure the user cannot act on
)

// Error is a domain error: a code for machines, a message for people
// (Vietnamese, the interface's first language, with the English beside it)
// and, where one input is to blame, the field or parameter that holds it.
type Error struct {
	Code    string
	Field   string
	Message string // Vietnamese
	English string // the same message in English, when known
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Message)
	}
	return e.Message
}

// FieldError builds an *Error that names the field or parameter at fault
// ("" when no one input is to blame), with the message in Vietnamese and
// English. It is the one way to make a message a user may see: there is
// no Vietnamese-only constructor, so that an English page, API client or
// operator is never shown Vietnamese (errors_style_test.go keeps it so).
func FieldError(code, field, vi, en string) *Error {
	return &Error{Code: code, Field: field, Message: vi, English: en}
}

// In returns the error as Error does, in lang: English for "en" when the
// error has it, else Vietnamese.
func (e *Error) In(lang string) string {
	msg := e.Message
	if lang == "en" && e.English != "" {
		msg = e.English
	}
	if e.Field != "" {
		return e.Field + ": " + msg
	}
	return msg
}

// DiskFull is the error of a write the disk had no room for: what was
// being written (Vietnamese, English), and what was kept of it — nothing,
// since the write is undone whole.
func DiskFull(what, whatEN, why, whyEN string) *Error {
	e := &Error{Code: ENOSPACE,
		Message: "đĩa đầy: không ghi được " + what,
		English: "disk full: " + whatEN + " could not be written"}
	if why != "" {
		e.Message += " (" + why + ")"
		e.English += " (" + whyEN + ")"
	}
	e.Message += "; không có gì được lưu, dữ liệu đã có vẫn nguyên vẹn. Hãy giải phóng chỗ trống trên đĩa rồi thử lại."
	e.English += "; nothing was kept and the data already stored are unchanged. Free some disk space and try again."
	return e
}

// IsDiskFull reports whether err comes from a full disk: a domain
// ENOSPACE error, or the operating system's ENOSPC.
func IsDiskFull(err error) bool {
	return ErrorCode(err) == ENOSPACE || errors.Is(err, syscall.ENOSPC)
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message a user may see, in Vietnamese: the
// domain message, or a generic one for internal failures, whose details
// belong in the log only.
func ErrorMessage(err error) string { return ErrorMessageIn(err, "vi") }

// ErrorMessageIn is ErrorMessage in lang ("en", else Vietnamese).
func ErrorMessageIn(err error, lang string) string {
	var e *Error
	if errors.As(err, &e) {
		return e.In(lang)
	}
	if lang == "en" {
		return "System error: please try again or tell the administrator."
	}
	return "Lỗi hệ thống, vui lòng thử lại hoặc báo quản trị viên."
}

// ErrorField returns the field named by the first *Error in err's chain.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
