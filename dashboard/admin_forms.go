package dashboard

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// The admin pages share one way of drawing and reading forms. A form is
// built in Go as a list of fields (formField), each holding the text the
// user typed or the stored value written in their notation; the
// "admin-form" partial draws it. A POST reads the fields as typed
// (formValues), parses them into the domain's types, and lets the domain
// and the store validate them. On an error the same form is drawn again
// with the input kept and the message next to the field it names, in the
// user's language; after a success the handler redirects with a notice.

// Field kinds: how a field is drawn.
const (
	textField     = "text"
	numberField   = "number"  // a decimal number in the user's notation ("7,5" or "7.5")
	integerField  = "integer" // a whole number
	dateField     = "date"    // YYYY-MM-DD, the browser's date picker
	selectField   = "select"
	areaField     = "textarea"
	checkboxField = "checkbox"
	hiddenField   = "hidden"
	fileField     = "file" // an .xlsx to upload
	// parsedField shows, beside a target's text, the kind and bound read
	// from it; a script updates it as the admin types.
	parsedField = "parsed"
)

// formField is one field of an admin form as drawn.
type formField struct {
	Name     string // form field name; the element's id is "f-" + Name
	Label    string // message key
	Help     string // message key, or empty
	Kind     string
	Value    string
	Options  []formOption // for select fields
	Required bool
	ReadOnly bool
	Wide     bool   // spans the whole width of the form
	Error    string // the message of the last attempt, in the user's language
}

// formOption is one choice of a select field, its label in the user's
// language.
type formOption struct {
	Value, Label string
}

// adminForm is a form as drawn: where it posts, its fields in order, its
// submit button, and a message that belongs to no one field.
type adminForm struct {
	ID        string // the form element's id, for scripts and tests; may be empty
	Action    string
	Submit    string // message key
	CSRF      string
	Multipart bool
	Fields    []*formField
	Error     string // in the user's language
	Notice    string // in the user's language: what the server read and asks to confirm
	values    formValues
}

// newForm starts a form whose fields take their values from v.
func newForm(action, submit, csrf string, v formValues) *adminForm {
	if v == nil {
		v = formValues{}
	}
	return &adminForm{Action: action, Submit: submit, CSRF: csrf, values: v}
}

// add appends a field, its value taken from the form's values.
func (f *adminForm) add(ff formField) *formField {
	if ff.Kind == "" {
		ff.Kind = textField
	}
	ff.Value = f.values[ff.Name]
	f.Fields = append(f.Fields, &ff)
	return &ff
}

// field returns the field named name, or nil.
func (f *adminForm) field(name string) *formField {
	for _, ff := range f.Fields {
		if ff.Name == name {
			return ff
		}
	}
	return nil
}

// fail shows err on the form — next to the field it names, through
// aliases where the domain names a field differently ("horizon" for
// horizon_from), else above the form — and returns the status it calls
// for. An error that is not the domain's is returned for the error
// handler to log; a missing item (404) too, for the error page.
func (f *adminForm) fail(lang string, err error, aliases map[string]string) (int, error) {
	de, msg, ok := domainError(lang, err)
	if !ok || de.Code == indicators.ENOTFOUND {
		return 0, err
	}
	name := de.Field
	if a, ok := aliases[name]; ok {
		name = a
	}
	if ff := f.field(name); ff != nil && ff.Kind != hiddenField {
		ff.Error = msg
	} else {
		f.Error = msg
	}
	return statusOf(de.Code), nil
}

// domainError finds the domain's error in err and its message in lang; ok
// is false for any other error.
func domainError(lang string, err error) (de *indicators.Error, msg string, ok bool) {
	if !errors.As(err, &de) {
		return nil, "", false
	}
	msg = de.Message
	if lang == "en" && de.English != "" {
		msg = de.English
	}
	return de, msg, true
}

// formValues are the fields of a form as the user typed them, trimmed.
type formValues map[string]string

// readValues reads every field of the posted form.
func readValues(c echo.Context) (formValues, error) {
	params, err := c.FormParams()
	if err != nil {
		return nil, indicators.FieldError(indicators.EINVALID, "form", "không đọc được biểu mẫu gửi lên", "the form sent cannot be read")
	}
	v := formValues{}
	for k, vs := range params {
		if len(vs) > 0 && k != "csrf_token" {
			v[k] = strings.TrimSpace(vs[0])
		}
	}
	return v, nil
}

// integer reads a whole number; empty is 0.
func (v formValues) integer(field string) (int, error) {
	s := v[field]
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, indicators.FieldError(indicators.EINVALID, field,
			fmt.Sprintf("%q không phải là số nguyên", s), fmt.Sprintf("%q is not a whole number", s))
	}
	return n, nil
}

// date reads a day written YYYY-MM-DD, as date inputs send it; empty is
// the zero time.
func (v formValues) date(field string) (time.Time, error) {
	if v[field] == "" {
		return time.Time{}, nil
	}
	return indicators.ParseDate(field, v[field])
}

// number reads a decimal number in the notation of lang: "7,5" and
// "1.234,5" in Vietnamese, "7.5" and "1,234.5" in English. ok is false
// when the field is empty.
func (v formValues) number(lang, field string) (x float64, ok bool, err error) {
	s := v[field]
	if s == "" {
		return 0, false, nil
	}
	loc, example := indicators.Vietnamese, "7,5 hoặc 1.234,5"
	if lang == "en" {
		loc, example = indicators.English, "7.5 or 1,234.5"
	}
	x, present, err := indicators.ParseNumber(s, loc)
	if err != nil || !present {
		return 0, false, indicators.FieldError(indicators.EINVALID, field,
			fmt.Sprintf("%q không phải là số (ví dụ đúng: %s)", s, example),
			fmt.Sprintf("%q is not a number (write it as %s)", s, example))
	}
	return x, true, nil
}

// inputNumber writes x for an input field in the notation of lang,
// without thousands separators: "7,5" or "7.5".
func inputNumber(lang string, x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// inputDate writes a day for a date input; empty for the zero time.
func inputDate(t time.Time) string { return indicators.CellDate(t) }

// inputInt writes n, or empty for zero when blankZero.
func inputInt(n int, blankZero bool) string {
	if n == 0 && blankZero {
		return ""
	}
	return strconv.Itoa(n)
}

// crumb is one step of the way back from an admin page.
type crumb struct {
	URL, Label string
}

// adminPage is what every admin page draws around its content: its
// title, the way back, the notice of the redirect that led to it and the
// message of an error that belongs to no form.
type adminPage struct {
	Title  string // in the user's language
	Crumbs []crumb
	Notice string // in the user's language
	Error  string // in the user's language
	CSRF   string
	Nonce  string // of the Content-Security-Policy, for the page's own script
}

// newAdminPage starts an admin page titled by the message key title, with
// the notice a redirect carried in ?done= when it is one of the admin or
// task messages.
func (s *Server) newAdminPage(c echo.Context, title string, args ...any) adminPage {
	lang := langOf(c)
	p := adminPage{Title: s.msgs.translate(lang, title, args...), CSRF: s.csrfToken(c), Nonce: nonceOf(c),
		Crumbs: []crumb{{URL: "/admin", Label: s.msgs.translate(lang, "admin.title")}}}
	if k := c.QueryParam("done"); (strings.HasPrefix(k, "admin.") || strings.HasPrefix(k, "task.")) && s.msgs.has(k) {
		p.Notice = s.msgs.translate(lang, k)
	}
	return p
}

// crumb adds a step to the way back.
func (p *adminPage) crumb(url, label string) {
	p.Crumbs = append(p.Crumbs, crumb{URL: url, Label: label})
}

// options builds select options from message keys: value → key prefix + value.
func (s *Server) options(lang, prefix string, values ...string) []formOption {
	out := make([]formOption, len(values))
	for i, v := range values {
		out[i] = formOption{Value: v, Label: s.msgs.translate(lang, prefix+v)}
	}
	return out
}

// withBlank puts a first choice with an empty value before opts.
func withBlank(label string, opts []formOption) []formOption {
	return append([]formOption{{Value: "", Label: label}}, opts...)
}
