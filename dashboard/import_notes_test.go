package dashboard_test

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"chitieu/dashboard"
	"chitieu/dashboard/logintest"
)

// claimingXLSX is a long table of one value whose sheet claims a million
// rows: a preview notes that it read the rows that are there.
func claimingXLSX(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, v := range []any{"Mã chỉ tiêu", "Đơn vị", "Kỳ", "Loại số liệu", "Giá trị", "ECO-01", "CT-CU", "2023", "Thực hiện", 5.8} {
		cell, _ := excelize.CoordinatesToCellName(i%5+1, i/5+1)
		f.SetCellValue("Sheet1", cell, v)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	dim := regexp.MustCompile(`<dimension ref="[^"]*"\s*(/>|></dimension>)`)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		r, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(zf.Name, "sheet1.xml") {
			if !dim.Match(body) {
				t.Fatalf("no dimension in %s", body)
			}
			body = dim.ReplaceAll(body, []byte(`<dimension ref="A1:E1000000"/>`))
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// The preview page shows its notes in the page's language.
func TestImportPreviewNotesInThePagesLanguage(t *testing.T) {
	t.Parallel()
	env := newImportEnv(t, dashboard.Config{})
	base := env.ts.URL
	c := logintest.Login(t, base, "hoa", "")
	loc := redirected(t, uploadFile(t, c, base, "trieu-dong.xlsx", claimingXLSX(t), nil), "/imports/batches/")
	sep := "?"
	if strings.Contains(loc, "?") {
		sep = "&"
	}
	for _, tc := range []struct{ lang, want, other string }{
		{"vi", "khai báo 1.000.000 dòng nhưng chỉ có 2 dòng có nội dung", "declares 1,000,000 rows"},
		{"en", "declares 1,000,000 rows but only 2 rows have content", "khai báo 1.000.000 dòng"},
	} {
		code, body := getPage(t, c, base, loc+sep+"lang="+tc.lang)
		text := htmlUnescape(textOf(body))
		if code != 200 || !strings.Contains(text, tc.want) || strings.Contains(text, tc.other) {
			t.Errorf("%s preview = %d, want the note %q and not %q:\n%.3000s", tc.lang, code, tc.want, tc.other, text)
		}
	}
}
