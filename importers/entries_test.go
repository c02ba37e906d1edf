package importers_test

import (
	"errors"
	"strings"
	"testing"

	"chitieu/importers"
	"chitieu/indicators"
)

// Values sent as JSON are read by the importer like an upload: a good
// value is previewed, each refused one names the field it came from by
// its JSON pointer, and the same values make the same file.
func TestEntriesArePreviewedWithPointers(t *testing.T) {
	t.Parallel()
	db := openStore(t)
	im := newImporter(t, db)
	req, err := importers.DecodeSentValues(strings.NewReader(`{"unit": "CT-CU", "values": [
		{"indicator": "ECO-01", "period": "2024", "type": "official", "value": 7.5, "note": "=SUM(A1)"},
		{"indicator": "ZZZ-99", "period": "2024", "type": "official", "value": 1},
		{"indicator": "ECO-01", "period": "năm ngoái", "type": "official", "value": 1},
		{"indicator": "ECO-01", "period": "2023", "type": "bịa", "value": 1}]}`))
	if err != nil {
		t.Fatal(err)
	}
	u, err := importers.ReceiveSentValues(req.Values, "api.xlsx", t.TempDir(), importers.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	res, err := im.Preview(planner(), u, importers.Options{Profile: importers.SentProfile(), Unit: req.Unit})
	if err != nil {
		t.Fatal(err)
	}
	// One value reads (row 2), three are refused (rows 3–5).
	if res.New+res.Changed+res.Unchanged != 1 || res.Rejected != 3 {
		t.Fatalf("preview = %d new, %d changed, %d unchanged, %d rejected; want 1 read, 3 rejected: %+v",
			res.New, res.Changed, res.Unchanged, res.Rejected, res.Errors)
	}
	want := []string{"/values/1/indicator", "/values/2/period", "/values/3/type"}
	for i, e := range res.Errors {
		p, ok := importers.SentPointer("values", e.Sheet, e.Cell)
		if !ok || p != want[i] {
			t.Errorf("error %d at %s!%s = pointer %q, want %q (%s)", i, e.Sheet, e.Cell, p, want[i], e.Reason)
		}
	}
	again, err := importers.ReceiveSentValues(req.Values, "api.xlsx", t.TempDir(), importers.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.SHA256 != u.SHA256 {
		t.Errorf("the same values made two files: %s, %s", u.SHA256, again.SHA256)
	}
}

// Bad JSON is refused with the pointer of where it went wrong.
func TestDecodeEntriesPointsAtTheFault(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ body, at, code string }{
		{`{"values": [{"indicator": "ECO-01", "period": "2024", "type": "official", "value": "7,5"}]}`, "/values/0/value", indicators.EINVALID},
		{`{"values": [{}, {"indicator": 12}]}`, "/values/1/indicator", indicators.EINVALID},
		{`{"values": [{"indicatr": "ECO-01"}]}`, "/values/0/indicatr", indicators.EINVALID},
		{`{"values": [{"value": 1,}]}`, "/values/0", indicators.EINVALID},
		{`{"values": [1]}`, "/values/0", indicators.EINVALID},
		{`{"values": []}`, "/values", indicators.EINVALID},
		{`{"unit": "CT-CU"}`, "/values", indicators.EINVALID},
		{`{"values": [{"value": 1e999}]}`, "/values/0/value", indicators.EINVALID},
		{`{"values": [{"value": 1}]} {}`, "", indicators.EINVALID},
		{`{"values": [{"value": 1}`, "/values", indicators.EINVALID},
		{`{"a/b": 1}`, "/a~1b", indicators.EINVALID},
	} {
		_, err := importers.DecodeSentValues(strings.NewReader(tc.body))
		var de *indicators.Error
		if !errors.As(err, &de) || de.Field != tc.at || de.Code != tc.code {
			t.Errorf("%s: error %v, want %s at %q", tc.body, err, tc.code, tc.at)
		}
	}
	req, err := importers.DecodeSentValues(strings.NewReader(`{"values": [{"indicator": "ECO-01", "unit": "CT-CU", "period": "Quý I/2025", "type": "plan", "value": 7, "high": 8, "note": "n"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	e := req.Values[0]
	if e.Indicator != "ECO-01" || e.Unit != "CT-CU" || e.Period != "Quý I/2025" || e.Type != "plan" || e.Value != 7 ||
		e.High == nil || *e.High != 8 || e.Note != "n" {
		t.Errorf("decoded %+v", e)
	}
}
