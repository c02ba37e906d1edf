package reports

import (
	"fmt"

	"chitieu/indicators"
)

// Form holds the fields of the official annex form (biểu mẫu) that the
// progress report's table carries when it is attached to a document. Every
// field is optional; an empty one prints as dots to fill in by hand.
type Form struct {
	// Year is the year whose plan (KH) and result stand beside the
	// period's target; 0 means the year of the report's moment.
	Year int `json:"year,omitempty"`
}

// params is the form as a report's params keep it: nil when empty, so
// that a report without a form keeps the params it always had.
func (f Form) params() *Form {
	if f == (Form{}) {
		return nil
	}
	return &f
}

// validate refuses a year outside the period.
func (f Form) validate(period indicators.YearRange) error {
	if f.Year != 0 && !period.Contains(f.Year) {
		return indicators.FieldError(indicators.EINVALID, "year",
			fmt.Sprintf("năm báo cáo %d không thuộc giai đoạn %s", f.Year, span(period)),
			fmt.Sprintf("the reporting year %d is not in the period %s", f.Year, span(period)))
	}
	return nil
}
