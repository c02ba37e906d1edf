package reports_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/reports"

	"github.com/xuri/excelize/v2"
)

// TestCalendarWorkbook writes the rates it is given, the total last, and
// a unit name that looks like a formula as text.
func TestCalendarWorkbook(t *testing.T) {
	t.Parallel()
	asOf := indicators.EndOfDay(time.Date(2025, 4, 20, 0, 0, 0, 0, indicators.Vietnam))
	obs := []indicators.Obligation{{Plan: "p", Unit: "X1", Indicators: []string{"ECO-01"}, Frequency: indicators.Monthly}}
	m := func(n int) indicators.Period { return indicators.Period{Year: 2025, Kind: indicators.Month, N: n} }
	received := map[indicators.ReceivedKey]time.Time{
		{Indicator: "ECO-01", Unit: "X1", Period: m(1)}: time.Date(2025, 1, 3, 0, 0, 0, 0, indicators.Vietnam),
		{Indicator: "ECO-01", Unit: "X1", Period: m(2)}: time.Date(2025, 2, 20, 0, 0, 0, 0, indicators.Vietnam),
	}
	es := indicators.Expect(obs, nil, 2025, received, asOf)
	b := reports.New(nil)
	f, err := b.Calendar(context.Background(), reports.CalendarRequest{
		Plan: indicators.Plan{ID: "p", Code: "59-NQ/TW", TitleVI: "Nghị quyết 59"}, Year: 2025, AsOf: asOf,
		Rates: indicators.RatesByUnit(es, asOf), Reports: es, Lang: "vi",
		UnitNames: map[string]string{"X1": `=HYPERLINK("http://x","y")`}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Send(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows("Tỷ lệ theo đơn vị")
	// Due by 20 April: January (on time), February (late), March and
	// April (missing): 4 = 1 + 1 + 2, 25 % on time.
	if len(rows) != 3 || rows[1][0] != "X1" || rows[1][2] != "4" || rows[1][3] != "1" || rows[1][4] != "1" || rows[1][5] != "2" ||
		rows[2][1] != "Tổng cộng" {
		t.Fatalf("rates sheet: %q", rows)
	}
	if fo, _ := x.GetCellFormula("Tỷ lệ theo đơn vị", "B2"); fo != "" || rows[1][1] != `=HYPERLINK("http://x","y")` {
		t.Errorf("the unit's name became a formula %q or changed: %q", fo, rows[1][1])
	}
	due, _ := x.GetRows("Các kỳ đến hạn")
	if len(due) != 5 || due[1][2] != "Tháng 1/2025" {
		t.Errorf("reports sheet: %q", due)
	}
}
