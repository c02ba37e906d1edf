package importers_test

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"chitieu/importers"
	"chitieu/indicators"
	"chitieu/indicators/sqlite"
	"chitieu/internal/testdb"
)

// openStoreNoValues opens a store with the built-in catalogue but none of
// its values, so that every value of an upload is new and listed.
func openStoreNoValues(t *testing.T) *sqlite.DB {
	t.Helper()
	return testdb.BuiltinNoValues(t)
}

type expectedValue struct {
	Code  string  `json:"code"`
	Year  int     `json:"year"`
	Value float64 `json:"value"`
	Type  string  `json:"type"`
	Cell  string  `json:"cell"`
	Sheet string  `json:"sheet"`
}

func valueLine(code string, year int, v float64, typ, sheet, cell string) string {
	return code + " " + strconv.Itoa(year) + " " + strconv.FormatFloat(v, 'g', -1, 64) + " " + typ + " " + sheet + "!" + cell
}

// The department's own workbook through its mapping profile gives exactly
// the values listed beside it, and nothing from its title, sections,
// footnotes or signatures.
func TestBieu01ThroughItsProfile(t *testing.T) {
	t.Parallel()
	xlsx := shared(t, "dept/bieu-01-so-tai-chinh.xlsx")
	raw, err := os.ReadFile(shared(t, "dept/bieu-01-so-tai-chinh.expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var exp struct {
		Values []expectedValue `json:"values"`
	}
	if err := json.Unmarshal(raw, &exp); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, v := range exp.Values {
		want = append(want, valueLine(v.Code, v.Year, v.Value, v.Type, v.Sheet, v.Cell))
	}
	sort.Strings(want)

	db := openStoreNoValues(t)
	im := newImporter(t, db)
	res, err := im.Preview(planner(), receive(t, xlsx), importers.Options{Profile: loadProfile(t, "testdata/profiles/bieu-01.json")})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range res.Changes {
		y, _ := strconv.Atoi(c.Period)
		if c.Unit != "CT-CU" || c.Kind != indicators.NewValue {
			t.Errorf("change %+v: want a new value of CT-CU", c)
		}
		got = append(got, valueLine(c.Indicator, y, c.New, string(c.Type), c.Sheet, c.Cell))
	}
	sort.Strings(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("values read:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if res.New != len(want) || res.Rejected != 0 || len(res.Errors) != 0 {
		t.Errorf("preview counts new %d rejected %d (%v), want %d and 0", res.New, res.Rejected, res.Errors, len(want))
	}
	if got := res.Header.Rows; len(got) != 2 || got[0] != 7 || got[1] != 8 {
		t.Errorf("header rows = %v, want [7 8]", got)
	}
}

// Saved once, the profile is picked by itself for the next file of the
// same shape, and without the confirmed names the preview says which names
// are unknown and suggests the right indicators.
func TestBieu01ProfileIsPickedAutomaticallyAndSuggestsNames(t *testing.T) {
	t.Parallel()
	xlsx := shared(t, "dept/bieu-01-so-tai-chinh.xlsx")
	db := openStoreNoValues(t)
	im := newImporter(t, db)
	ctx := planner()
	p := loadProfile(t, "testdata/profiles/bieu-01.json")
	if err := db.SaveProfile(ctx, indicators.ImportProfile{Name: "bieu-01", Shape: string(p.Shape), JSON: string(p.JSON())}); err != nil {
		t.Fatal(err)
	}
	res, err := im.Preview(ctx, receive(t, xlsx), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Profile != "bieu-01" || res.New != 17 {
		t.Errorf("auto preview used %q with %d new values, want bieu-01 with 17", res.Profile, res.New)
	}

	p.Indicators = nil
	res, err = im.Preview(ctx, receive(t, xlsx), importers.Options{Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	suggested := map[string]string{}
	for _, u := range res.Unmatched {
		if len(u.Suggestions) > 0 {
			suggested[u.Name] = u.Suggestions[0].Code
		}
	}
	for name, code := range map[string]string{"Số bác sĩ/vạn dân": "SOC-02", "Số giường bệnh/vạn dân": "SOC-03",
		"Tỷ lệ hộ nghèo (chuẩn mới)": "SOC-04"} {
		if suggested[name] != code {
			t.Errorf("suggestion for %q = %q, want %s (unmatched: %+v)", name, suggested[name], code, res.Unmatched)
		}
	}
	if res.Rejected != 3 {
		t.Errorf("rejected = %d, want the 3 unknown names (%+v)", res.Rejected, res.Errors)
	}
	for _, e := range res.Errors {
		if e.Sheet != "Biểu 01" || !strings.HasPrefix(e.Cell, "B") || !strings.Contains(e.Reason, "không nhận ra chỉ tiêu") {
			t.Errorf("error %+v: want the name cell and why", e)
		}
	}
}

// The Maddison Project's workbook is read: every sheet listed, its header
// found, and a long mapping of "Full data" previewed.
func TestMaddisonIsReadAndItsLongTablePreviewed(t *testing.T) {
	t.Parallel()
	path := shared(t, "real/maddison_18_raw.xlsx")
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	u := receive(t, path)
	wb, err := importers.OpenWorkbook(u, importers.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	sheets, err := importers.Inspect(wb)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range sheets {
		names = append(names, s.Name)
	}
	if want := x.GetSheetList(); strings.Join(names, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets = %v, want %v", names, want)
	}
	rows, err := x.GetRows("Full data")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sheets {
		if len(s.Header.Columns) == 0 {
			t.Errorf("sheet %q: no header detected", s.Name)
		}
		if s.Name != "Full data" {
			continue
		}
		var got []string
		for _, c := range s.Header.Columns {
			got = append(got, c.Text)
		}
		if len(s.Header.Rows) != 1 || s.Header.Rows[0] != 1 || strings.Join(got, "|") != strings.Join(rows[0], "|") {
			t.Errorf("Full data header = rows %v %v, want row 1 %v", s.Header.Rows, got, rows[0])
		}
	}

	// Vietnam's GDP per head and population since 1990, as the statistics
	// office's (TK) figures.
	p := &importers.Profile{Name: "maddison", Shape: importers.Long, Sheet: "Full data", Locale: "en",
		Columns: importers.Columns{Unit: "countrycode", Period: "year"},
		Values:  map[string]string{"cgdppc": "ECO-02", "pop": "SOC-09"},
		Units:   map[string]string{"VNM": "TK"}, OtherUnits: "skip", DefaultType: indicators.OfficialValue,
		Years: []int{1990, 0}}
	db := openStoreNoValues(t)
	res, err := newImporter(t, db).Preview(planner(), u, importers.Options{Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, r := range rows[1:] {
		if len(r) < 6 || r[0] != "VNM" {
			continue
		}
		y, err := strconv.Atoi(r[2])
		if err != nil || y < 1990 {
			continue
		}
		for _, i := range []int{3, 5} {
			if strings.TrimSpace(r[i]) != "" {
				want++
			}
		}
	}
	if want == 0 || res.New != want || res.Rejected != 0 {
		t.Errorf("preview: %d new, %d rejected (%v); want %d new and none rejected", res.New, res.Rejected, res.Errors, want)
	}
	if res.Rows < int64(len(rows)) {
		t.Errorf("rows read = %d, want all %d", res.Rows, len(rows))
	}
	bs, _ := db.Batches(context.Background(), indicators.BatchFilter{})
	if len(bs) != 0 {
		t.Errorf("a preview stored %d batches", len(bs))
	}
	for _, c := range res.Changes {
		if c.Indicator == "ECO-02" && c.Period == "2016" && math.Abs(c.New-6062) > 1000 {
			t.Errorf("Vietnam's GDP per head in 2016 read as %v", c.New)
		}
	}
}

// A legacy .xls is refused with the message telling how to save it as .xlsx.
func TestLegacyXLSIsRefused(t *testing.T) {
	t.Parallel()
	db := openStore(t)
	_, err := newImporter(t, db).Preview(planner(), receive(t, shared(t, "real/adb_key_19862003.xls")), importers.Options{})
	if indicators.ErrorCode(err) != indicators.EINVALID || !strings.Contains(err.Error(), "Excel 97–2003 (.xls)") ||
		!strings.Contains(err.Error(), "Lưu thành (Save As)") || !strings.Contains(err.Error(), ".xlsx") {
		t.Fatalf("err = %v, want the save-as-.xlsx message", err)
	}
}
