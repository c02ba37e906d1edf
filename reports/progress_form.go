package reports

import (
	"fmt"
	"strings"

	"chitieu/indicators"
)

// Form holds the fields of the official annex form (biểu mẫu) that the
// progress report's main table carries when it is attached to a document:
// the form's number, the reporting agency's header, the report it goes
// with, the place and date, and the signatories. Every field is optional;
// an empty one prints as dots to fill in by hand. The fields are user
// text, written as strings, never as formulas.
type Form struct {
	Number    string `json:"number,omitempty"`     // Biểu số: "01/TH"
	Authority string `json:"authority,omitempty"`  // cơ quan chủ quản: "UBND THÀNH PHỐ CẦN THƠ"
	Unit      string `json:"unit,omitempty"`       // đơn vị báo cáo: "SỞ TÀI CHÍNH"
	ReportRef string `json:"report_ref,omitempty"` // Kèm theo báo cáo số: "125/BC-STC"
	Place     string `json:"place,omitempty"`      // "Cần Thơ"
	Date      string `json:"date,omitempty"`       // the date signed, YYYY-MM-DD
	Preparer  string `json:"preparer,omitempty"`   // Người lập biểu
	Head      string `json:"head,omitempty"`       // Thủ trưởng đơn vị
	// Year is the year whose plan (KH) and result stand beside the
	// period's target; 0 means the year of the report's moment.
	Year int `json:"year,omitempty"`
}

// params is the form as a report's params keep it: nil when empty, so
// that a report without a form keeps the params it always had.
func (f Form) params() *Form {
	f = f.trimmed()
	if f == (Form{}) {
		return nil
	}
	return &f
}

func (f Form) trimmed() Form {
	for _, s := range []*string{&f.Number, &f.Authority, &f.Unit, &f.ReportRef, &f.Place, &f.Date, &f.Preparer, &f.Head} {
		*s = strings.TrimSpace(*s)
	}
	return f
}

// maxFormField bounds a field of the form.
const maxFormField = 200

// validate refuses a year outside the period, a date that is not one and
// a field too long to print.
func (f Form) validate(period indicators.YearRange) error {
	if f.Year != 0 && !period.Contains(f.Year) {
		return indicators.FieldError(indicators.EINVALID, "year",
			fmt.Sprintf("năm báo cáo %d không thuộc giai đoạn %s", f.Year, span(period)),
			fmt.Sprintf("the reporting year %d is not in the period %s", f.Year, span(period)))
	}
	if d := strings.TrimSpace(f.Date); d != "" {
		if _, err := indicators.ParseDate("date", d); err != nil {
			return err
		}
	}
	for _, fl := range []struct{ name, value string }{{"number", f.Number}, {"authority", f.Authority}, {"unit", f.Unit},
		{"report_ref", f.ReportRef}, {"place", f.Place}, {"preparer", f.Preparer}, {"head", f.Head}} {
		if n := len([]rune(fl.value)); n > maxFormField {
			return indicators.FieldError(indicators.EINVALID, fl.name,
				fmt.Sprintf("quá dài (%d ký tự, tối đa %d)", n, maxFormField),
				fmt.Sprintf("too long (%d characters, at most %d)", n, maxFormField))
		}
	}
	return nil
}

// dots stands for a field left to fill in by hand.
const dots = "……"

func orDots(s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return dots
	}
	return s
}

// formSpans are the columns of the form's left block (the agency, the
// preparer) and right block (the motto, the date, the head of the unit) on
// a table of width columns.
func formSpans(width int) (left, right [2]int) {
	l := min(4, width)
	r := max(l+1, width-5)
	return [2]int{1, l}, [2]int{r, width}
}

// formHeader is the rows above the table's title: the agency on the left
// and the national motto on the right, then the form's number.
func (p *progress) formHeader(width int) [][]cell {
	l, f := p.lang, p.form
	left, right := formSpans(width)
	row := func(a, b cell) []cell {
		out := make([]cell, width)
		for i := range out {
			out[i] = empty(style{})
		}
		out[left[0]-1], out[right[0]-1] = a, b
		return out
	}
	bold := style{bold: true, align: "center", wrap: true}
	return [][]cell{
		row(text(orDots(f.Authority), style{align: "center", wrap: true}),
			text(l.pick("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"), bold)),
		row(text(orDots(f.Unit), bold),
			text(l.pick("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"), bold)),
		row(text(l.pick("Biểu số: ", "Form No. ")+orDots(f.Number), style{italic: true, align: "center"}), empty(style{})),
	}
}

// formRef is the line under the title: the report the table goes with.
func (p *progress) formRef() string {
	return p.lang.pick("(Kèm theo báo cáo số ", "(Attached to report No. ") + orDots(p.form.ReportRef) + ")"
}

// formFooter is the rows under the table: place and date on the right,
// then the signatories, with room to sign.
func (p *progress) formFooter(width int) [][]cell {
	l, f := p.lang, p.form
	left, right := formSpans(width)
	row := func(a, b cell) []cell {
		out := make([]cell, width)
		out[left[0]-1], out[right[0]-1] = a, b
		return out
	}
	bold := style{bold: true, align: "center"}
	note := style{italic: true, align: "center"}
	return [][]cell{
		{},
		row(empty(style{}), text(p.placeDate(), note)),
		row(text(l.pick("NGƯỜI LẬP BIỂU", "PREPARED BY"), bold), text(l.pick("THỦ TRƯỞNG ĐƠN VỊ", "HEAD OF UNIT"), bold)),
		row(text(l.pick("(Ký, ghi rõ họ tên)", "(Signature and full name)"), note),
			text(l.pick("(Ký tên, đóng dấu)", "(Signature and seal)"), note)),
		{}, {}, {},
		row(text(strings.TrimSpace(f.Preparer), bold), text(strings.TrimSpace(f.Head), bold)),
	}
}

// placeDate is the place and date line: "Cần Thơ, ngày 15 tháng 12 năm
// 2025", with dots for what is not given.
func (p *progress) placeDate() string {
	l, f := p.lang, p.form
	place := orDots(f.Place)
	d, err := indicators.ParseDate("date", strings.TrimSpace(f.Date))
	if strings.TrimSpace(f.Date) == "" || err != nil {
		return place + l.pick(", ngày …… tháng …… năm ……", ", …… ")
	}
	if l == langEN {
		return place + ", " + d.Format("2 January 2006")
	}
	return fmt.Sprintf("%s, ngày %02d tháng %02d năm %d", place, d.Day(), int(d.Month()), d.Year())
}

// formMerges joins each block of the three header rows from row header
// (none when 0) and of the footer rows after row footer (footerRows of
// them, the first empty) across its columns.
func formMerges(width, header, footer, footerRows int) [][2]string {
	left, right := formSpans(width)
	var out [][2]string
	block := func(r int) {
		out = append(out, [2]string{ref(left[0], r), ref(left[1], r)}, [2]string{ref(right[0], r), ref(right[1], r)})
	}
	if header > 0 {
		for r := header; r < header+3; r++ {
			block(r)
		}
	}
	for r := footer + 2; r <= footer+footerRows; r++ {
		block(r)
	}
	return out
}
