package importers

import (
	"fmt"
	"strconv"
	"strings"

	"chitieu/indicators"
)

// The words planners write in headers and cells, by match key.

var valueTypeWords = map[string]indicators.ValueType{
	"thuc hien": indicators.OfficialValue, "th": indicators.OfficialValue, "chinh thuc": indicators.OfficialValue,
	"so chinh thuc": indicators.OfficialValue, "thuc hien chinh thuc": indicators.OfficialValue,
	"official": indicators.OfficialValue, "actual": indicators.OfficialValue,
	"uoc th": indicators.EstimateValue, "uoc thuc hien": indicators.EstimateValue, "uth": indicators.EstimateValue,
	"uoc tinh": indicators.EstimateValue, "uoc": indicators.EstimateValue, "so uoc": indicators.EstimateValue,
	"estimate": indicators.EstimateValue, "estimated": indicators.EstimateValue, "est": indicators.EstimateValue,
	"ke hoach": indicators.PlanValue, "kh": indicators.PlanValue, "plan": indicators.PlanValue,
	"planned": indicators.PlanValue, "chi tieu ke hoach": indicators.PlanValue,
	"so cung ky": indicators.SamePeriodValue, "so voi cung ky": indicators.SamePeriodValue,
	"so cung ky %": indicators.SamePeriodValue, "so voi cung ky %": indicators.SamePeriodValue,
	"cung ky": indicators.SamePeriodValue, "same period": indicators.SamePeriodValue,
	"same period last year": indicators.SamePeriodValue, "yoy": indicators.SamePeriodValue,
}

// valueTypeOf reads a value type from text such as "Thực hiện", "Ước TH" or
// "KH"; extra holds a profile's own words, by match key.
func valueTypeOf(text string, extra map[string]indicators.ValueType) (indicators.ValueType, bool) {
	k := MatchKey(text)
	if t, ok := extra[k]; ok {
		return t, true
	}
	t, ok := valueTypeWords[k]
	return t, ok
}

// yearHeader reads a value column's header: a year, with optional words
// for the year ("Năm", "Year") and for the value type ("TH 2023", "Ước
// thực hiện năm 2024"). ok is false for anything else, such as "Mục tiêu
// NQ đến năm 2025", whose other words say it is not a year's values.
func yearHeader(text string, extra map[string]indicators.ValueType) (year int, typ indicators.ValueType, ok bool) {
	var rest []string
	for _, w := range strings.Fields(MatchKey(text)) {
		if n, err := strconv.Atoi(w); err == nil && len(w) == 4 && n >= 1900 && n <= 2200 && year == 0 {
			year = n
			continue
		}
		if w != "nam" && w != "year" {
			rest = append(rest, w)
		}
	}
	if year == 0 {
		return 0, "", false
	}
	if len(rest) == 0 {
		return year, "", true
	}
	typ, ok = valueTypeOf(strings.Join(rest, " "), extra)
	return year, typ, ok
}

// monthsHeader reads a year-to-date column header: "9 tháng", "9 tháng
// đầu năm 2025", "Ước TH 6 tháng", "Thực hiện 11 tháng 2025", "Lũy kế 9
// tháng"; year is 0 when the header names none (it then comes from a
// header above, "Năm 2025"), typ empty when it names no value type.
func monthsHeader(text string, extra map[string]indicators.ValueType) (months, year int, typ indicators.ValueType, ok bool) {
	words := strings.Fields(MatchKey(text))
	var rest []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		if n, err := strconv.Atoi(w); err == nil {
			switch {
			case len(w) == 4 && n >= 1900 && n <= 2200 && year == 0:
				year = n
				continue
			case n >= 1 && n <= 12 && months == 0 && i+1 < len(words) && (words[i+1] == "thang" || words[i+1] == "months"):
				months = n
				i++
				// "đầu năm", "first": the months run from January anyway.
				for i+1 < len(words) && (words[i+1] == "dau" || words[i+1] == "nam") {
					i++
				}
				continue
			}
		}
		switch w {
		case "luy", "ke", "first", "of", "nam", "year":
			continue
		}
		rest = append(rest, w)
	}
	if months == 0 {
		return 0, 0, "", false
	}
	if len(rest) == 0 {
		return months, year, "", true
	}
	typ, ok = valueTypeOf(strings.Join(rest, " "), extra)
	return months, year, typ, ok
}

var romanQuarter = map[string]int{"i": 1, "ii": 2, "iii": 3, "iv": 4}

// periodOf reads a period from a cell: a year typed as a number, a date
// (taken at the indicator's frequency), or text such as "2024", "2024-Q3",
// "Quý III/2024", "6 tháng đầu năm 2024", "Tháng 7/2024" or "Q3 2024".
func periodOf(c Cell, freq indicators.Frequency, date1904 bool) (indicators.Period, error) {
	switch c.Kind {
	case CellNumber:
		if c.Date {
			t := excelTime(c.Num, date1904)
			p := indicators.Period{Year: t.Year(), Kind: indicators.Year}
			switch freq {
			case indicators.Monthly:
				p.Kind, p.N = indicators.Month, int(t.Month())
			case indicators.Quarterly:
				p.Kind, p.N = indicators.Quarter, (int(t.Month())+2)/3
			case indicators.HalfYear:
				p.Kind, p.N = indicators.Half, (int(t.Month())+5)/6
			}
			return p, nil
		}
		if c.Num == float64(int(c.Num)) && c.Num >= 1900 && c.Num <= 2200 {
			return indicators.YearPeriod(int(c.Num)), nil
		}
		return indicators.Period{}, indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("%s không phải là năm hay kỳ báo cáo", c.Text), fmt.Sprintf("%s is not a year or a reporting period", c.Text))
	case CellText:
		return parsePeriodText(c.Text)
	}
	return indicators.Period{}, indicators.FieldError(indicators.EINVALID, "", "ô không chứa kỳ báo cáo", "the cell holds no reporting period")
}

func parsePeriodText(text string) (indicators.Period, error) {
	t := CleanText(text)
	if p, err := indicators.ParsePeriod(t); err == nil {
		return p, nil
	}
	bad := indicators.FieldError(indicators.EINVALID, "",
		fmt.Sprintf("“%s” không phải là kỳ báo cáo (ví dụ 2024, Quý III/2024, 6 tháng đầu năm 2024, 9 tháng 2024, Tháng 7/2024)", t),
		fmt.Sprintf("“%s” is not a reporting period (for example 2024, Quý III/2024 or Q3/2024, 6 tháng đầu năm 2024, 9 tháng 2024, Tháng 7/2024)", t))
	words := strings.Fields(MatchKey(t))
	year := 0
	var rest []string
	for _, w := range words {
		if n, err := strconv.Atoi(w); err == nil && len(w) == 4 && n >= 1900 && n <= 2200 && year == 0 {
			year = n
			continue
		}
		if w != "nam" && w != "year" {
			rest = append(rest, w)
		}
	}
	if year == 0 {
		return indicators.Period{}, bad
	}
	p := indicators.Period{Year: year, Kind: indicators.Year}
	num := func(w string) int {
		if n, ok := romanQuarter[w]; ok {
			return n
		}
		n, _ := strconv.Atoi(strings.TrimLeft(w, "qthQTH"))
		return n
	}
	r := strings.Join(rest, " ")
	switch {
	case r == "":
		return p, nil
	case r == "6 thang dau" || r == "6 thang dau nam" || r == "h1" || r == "nua dau" || r == "first half":
		p.Kind, p.N = indicators.Half, 1
	case r == "6 thang cuoi" || r == "6 thang cuoi nam" || r == "h2" || r == "nua cuoi" || r == "second half":
		p.Kind, p.N = indicators.Half, 2
	case len(rest) >= 2 && rest[1] == "thang" && (len(rest) == 2 || len(rest) == 3 && rest[2] == "dau"):
		// "9 tháng 2025", "9 tháng đầu năm 2025": January to September.
		n, err := strconv.Atoi(rest[0])
		if err != nil || n < 1 || n > 12 {
			return indicators.Period{}, bad
		}
		return indicators.YearToDatePeriod(year, n), nil
	case len(rest) == 2 && (rest[0] == "quy" || rest[0] == "q" || rest[0] == "quarter"):
		p.Kind, p.N = indicators.Quarter, num(rest[1])
	case len(rest) == 1 && strings.HasPrefix(rest[0], "q"):
		p.Kind, p.N = indicators.Quarter, num(rest[0])
	case len(rest) == 2 && (rest[0] == "thang" || rest[0] == "month"):
		p.Kind, p.N = indicators.Month, num(rest[1])
	case len(rest) == 1 && (strings.HasPrefix(rest[0], "t") || rest[0][0] >= '0' && rest[0][0] <= '9'):
		p.Kind, p.N = indicators.Month, num(rest[0])
	default:
		return indicators.Period{}, bad
	}
	if _, err := indicators.ParsePeriod(p.String()); err != nil || p.N == 0 {
		return indicators.Period{}, bad
	}
	return p, nil
}

// endOfTable reports whether a row's first text starts what follows a
// department's table: notes, sources, the place and date, signatures.
func endOfTable(first string) bool {
	t := strings.ToLower(CleanText(first))
	for _, p := range []string{"ghi chú:", "ghi chú :", "chú thích:", "nguồn:", "nguồn số liệu:", "(*)", "* ", "lưu ý:",
		"nơi nhận", "người lập", "thủ trưởng", "kt.", "kt ", "tm.", "t/m", "q. giám đốc", "note:", "notes:", "source:", "prepared by"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	switch t {
	case "giám đốc", "phó giám đốc", "chủ tịch", "phó chủ tịch", "lãnh đạo đơn vị", "người lập biểu", "thủ trưởng đơn vị":
		return true
	}
	// "Cần Thơ, ngày 15 tháng 01 năm 2025"
	return strings.Contains(t, "ngày") && strings.Contains(t, "tháng") && strings.Contains(t, "năm") && strings.Contains(t, ",")
}

// columnNumbers reports whether a row numbers the columns — "(1) (2) (3)"
// or "1 2 3" — rather than holding data.
func columnNumbers(r *Row) bool {
	if len(r.Cells) < 2 {
		return false
	}
	for _, c := range r.Cells {
		t := CleanText(c.Text)
		if c.Kind == CellNumber && !c.Date {
			if c.Num != float64(int(c.Num)) || c.Num < 0 || c.Num > 99 {
				return false
			}
			continue
		}
		if c.Kind != CellText {
			return false
		}
		inner := strings.TrimSuffix(strings.TrimPrefix(t, "("), ")")
		if inner == "" || len(inner) > 9 || strings.ContainsAny(inner, " ") {
			return false
		}
		if inner == t { // without parentheses: digits, or a formula of digits such as 3=1+2
			if strings.Trim(inner, "0123456789=+-*/") != "" {
				return false
			}
		}
	}
	return true
}

// sectionNumber reports whether text numbers a section of a department's
// table: a Roman numeral (I, II, IV) or a capital letter (A, B), with or
// without a dot. Items numbered 1., 2. or a), b) may be indicators.
func sectionNumber(text string) bool {
	t := strings.TrimRight(CleanText(text), ".)")
	if t == "" {
		return false
	}
	if strings.Trim(t, "IVXLC") == "" {
		return true
	}
	return len(t) == 1 && t[0] >= 'A' && t[0] <= 'Z'
}
