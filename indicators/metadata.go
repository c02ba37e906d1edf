package indicators

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// IndicatorMetadata is an indicator's metadata sheet (siêu dữ liệu), of
// the kind national SDG platforms show on every indicator and Vietnam's
// statistical indicator system writes for each of its indicators: what it
// means, how it is computed, who supplies it and what limits comparing it.
// It is written in the office's words, one text per field.
type IndicatorMetadata struct {
	Indicator      string
	Definition     string // khái niệm, định nghĩa
	Method         string // phương pháp tính
	Unit           string // đơn vị tính, with its basis: "tỷ đồng, giá so sánh 2010"
	Source         string // cơ quan cung cấp số liệu
	Frequency      string // kỳ công bố: "hằng năm; ước 6 tháng"
	Disaggregation string // phân tổ chủ yếu
	Comparability  string // ghi chú về tính so sánh
	UpdatedAt      time.Time
	UpdatedBy      string
}

// MetadataField is one field of the metadata sheet: its key in forms, the
// API and workbooks, and its label.
type MetadataField struct {
	Key    string
	VI, EN string
	get    func(m *IndicatorMetadata) *string
}

// Text is the field's text in m.
func (f MetadataField) Text(m *IndicatorMetadata) string { return *f.get(m) }

// Set puts text into the field of m.
func (f MetadataField) Set(m *IndicatorMetadata, text string) { *f.get(m) = text }

// MetadataFields lists the fields of the sheet in the order every page,
// form, answer and workbook shows them: the one table of them.
var MetadataFields = []MetadataField{
	{"definition", "Khái niệm, định nghĩa", "Definition", func(m *IndicatorMetadata) *string { return &m.Definition }},
	{"method", "Phương pháp tính", "Method of computation", func(m *IndicatorMetadata) *string { return &m.Method }},
	{"unit", "Đơn vị tính", "Unit of measure", func(m *IndicatorMetadata) *string { return &m.Unit }},
	{"source", "Cơ quan cung cấp số liệu", "Source agency", func(m *IndicatorMetadata) *string { return &m.Source }},
	{"frequency", "Kỳ công bố", "Frequency", func(m *IndicatorMetadata) *string { return &m.Frequency }},
	{"disaggregation", "Phân tổ chủ yếu", "Disaggregation", func(m *IndicatorMetadata) *string { return &m.Disaggregation }},
	{"comparability", "Ghi chú về tính so sánh", "Comparability notes", func(m *IndicatorMetadata) *string { return &m.Comparability }},
}

// MaxMetadataText bounds each field: a sheet is read on a page, not a
// report of its own.
const MaxMetadataText = 4000

// Empty reports whether no field of the sheet is written.
func (m *IndicatorMetadata) Empty() bool {
	for _, f := range MetadataFields {
		if f.Text(m) != "" {
			return false
		}
	}
	return true
}

// Record is the sheet as a row of the plan workbook's metadata sheet.
func (m *IndicatorMetadata) Record() map[string]string {
	r := map[string]string{"code": m.Indicator}
	for _, f := range MetadataFields {
		r[f.Key] = f.Text(m)
	}
	return r
}

// MetadataFrom builds a sheet from a row of the plan workbook.
func MetadataFrom(r map[string]string) IndicatorMetadata {
	m := IndicatorMetadata{Indicator: r["code"]}
	for _, f := range MetadataFields {
		f.Set(&m, r[f.Key])
	}
	return m
}

// Validate trims the fields and checks their length.
func (m *IndicatorMetadata) Validate() error {
	if !ValidCode(m.Indicator) {
		return FieldError(EINVALID, "code", fmt.Sprintf("mã chỉ tiêu %q không đúng dạng (ví dụ ECO-01)", m.Indicator),
			fmt.Sprintf("indicator code %q is not of the form ECO-01", m.Indicator))
	}
	for _, f := range MetadataFields {
		t := strings.TrimSpace(strings.ReplaceAll(f.Text(m), "\r\n", "\n"))
		f.Set(m, t)
		if n := utf8.RuneCountInString(t); n > MaxMetadataText {
			return FieldError(EINVALID, f.Key, fmt.Sprintf("%s dài %d ký tự, tối đa %d", f.VI, n, MaxMetadataText),
				fmt.Sprintf("%s is %d characters long, at most %d", f.EN, n, MaxMetadataText))
		}
	}
	return nil
}

// MetadataStore keeps the indicators' metadata sheets.
type MetadataStore interface {
	// IndicatorMetadata returns an indicator's sheet: empty (with the
	// code) when none is written; ENOTFOUND for an unknown indicator.
	IndicatorMetadata(ctx context.Context, code string) (IndicatorMetadata, error)
	// SetIndicatorMetadata replaces a sheet, audited with what it was.
	SetIndicatorMetadata(ctx context.Context, m IndicatorMetadata) error
}
