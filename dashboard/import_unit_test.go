package dashboard_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"testing"

	"chitieu/dashboard"
	"chitieu/dashboard/logintest"
	"chitieu/indicators"

	"github.com/xuri/excelize/v2"
)

// longTable writes a long table (indicator, unit, period, type, value).
func longTable(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	all := append([][]any{{"Mã chỉ tiêu", "Đơn vị", "Kỳ", "Loại số liệu", "Giá trị"}}, rows...)
	for i, r := range all {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The unit a batch records is the one its values went to, not the one the
// upload form named: a file whose rows all name CT-CU, sent with the form
// field unit=916, is a batch of CT-CU before and after its commit. A file
// whose blank units take the form's unit and whose other rows name CT-CU
// speaks for no single unit; it still commits as previewed, its blank
// rows read for 916.
func TestImportBatchUnitIsTheValuesUnit(t *testing.T) {
	t.Parallel()
	env := newImportEnv(t, dashboard.Config{})
	base := env.ts.URL
	hoa := logintest.Login(t, base, "hoa", "")
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		file []byte
		want string
		in   map[string]float64 // values in force after the commit
	}{
		{"forged unit", longTable(t, []any{"ECO-01", "CT-CU", 2021, "Thực hiện", 1.5}, []any{"SOC-01", "CT-CU", 2021, "Thực hiện", 71}),
			"CT-CU", map[string]float64{"ECO-01/CT-CU/2021/official": 1.5, "SOC-01/CT-CU/2021/official": 71}},
		{"default unit for blank rows", longTable(t, []any{"SOC-01", "", 2021, "Thực hiện", 64}, []any{"SOC-01", "CT-CU", 2022, "Thực hiện", 72}),
			"", map[string]float64{"SOC-01/916/2021/official": 64, "SOC-01/CT-CU/2022/official": 72}},
	} {
		loc := redirected(t, uploadFile(t, hoa, base, "dai.xlsx", tc.file, map[string]string{"unit": "916"}), "/imports/batches/")
		id := batchOf(t, loc)
		if b, err := env.db.Batch(ctx, id); err != nil || b.Unit != tc.want || b.State != indicators.Previewed {
			t.Errorf("%s: previewed batch = %+v %v, want unit %q", tc.name, b, err, tc.want)
		}
		redirected(t, logintest.Post(t, hoa, base, fmt.Sprintf("/imports/batches/%d/commit", id), url.Values{}), "/imports/batches/")
		if b, err := env.db.Batch(ctx, id); err != nil || b.Unit != tc.want || b.State != indicators.Committed {
			t.Errorf("%s: committed batch = %+v %v, want unit %q", tc.name, b, err, tc.want)
		}
		for key, want := range tc.in {
			if got, ok := env.inForce(t, key); !ok || got != want {
				t.Errorf("%s: %s = %v %v, want %v", tc.name, key, got, ok, want)
			}
		}
	}
}
