package importers_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"chitieu/importers"
	"chitieu/indicators"
)

// zipOf writes the named entries into a zip.
func zipOf(t *testing.T, entries map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range entries {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rewriteZip copies a zip, passing each entry through edit.
func rewriteZip(t *testing.T, data []byte, edit func(name string, body []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range zr.File {
		rc, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(rc)
		rc.Close()
		w, err := zw.Create(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(edit(e.Name, body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// declaringGigabytes is a zip whose directory says its worksheet unpacks to
// 5 GB, around a few real bytes.
func declaringGigabytes(t *testing.T) []byte {
	t.Helper()
	var raw bytes.Buffer
	fw, _ := flate.NewWriter(&raw, flate.BestCompression)
	fw.Write([]byte("<worksheet/>"))
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("[Content_Types].xml")
	w.Write([]byte("<Types/>"))
	hdr := &zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE([]byte("<worksheet/>")),
		CompressedSize64: uint64(raw.Len()), UncompressedSize64: 5 << 30}
	rw, err := zw.CreateRaw(hdr)
	if err != nil {
		t.Fatal(err)
	}
	rw.Write(raw.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Each kind of bad file gets a clear message in well under a second, no
// value or batch is stored and no temporary file is left behind.
func TestBadFilesAreRefusedClearly(t *testing.T) {
	t.Parallel()
	good, err := os.ReadFile(longFile(t, "good.xlsx",
		[]any{"ECO-01", "CT-CU", 2019, "Thực hiện", 7.9}, []any{"SOC-01", "CT-CU", 2021, "Thực hiện", 71}))
	if err != nil {
		t.Fatal(err)
	}
	protected := filepath.Join(t.TempDir(), "protected.xlsx")
	f := excelize.NewFile()
	f.SetCellStr("Sheet1", "A1", "Mã chỉ tiêu")
	if err := f.SaveAs(protected, excelize.Options{Password: "matkhau"}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	protectedBytes, _ := os.ReadFile(protected)
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 4088)...)
	// 8 MB of zeros packs at a ratio near a thousand, five times the 200
	// allowed: refused from the zip's directory before anything inflates.
	bomb := zipOf(t, map[string][]byte{"[Content_Types].xml": []byte("<Types/>"), "xl/worksheets/sheet1.xml": make([]byte, 8<<20)})
	docx := zipOf(t, map[string][]byte{"word/document.xml": []byte("<w:document/>"), "mimetype": []byte("x")})

	for _, tc := range []struct {
		name string
		data []byte
		code string
		msg  string
	}{
		{"empty", nil, indicators.EINVALID, "tệp rỗng"},
		{"legacy .xls", ole, indicators.EINVALID, "Lưu thành (Save As)"},
		{"CSV renamed", []byte("Mã chỉ tiêu;Đơn vị;Kỳ;Giá trị\nECO-01;CT-CU;2024;7,12\n"), indicators.EINVALID, "văn bản (CSV)"},
		{"HTML renamed", []byte("\uFEFF<html><body><table><tr><td>ECO-01</td></tr></table></body></html>"), indicators.EINVALID, "trang HTML"},
		{"truncated", good[:len(good)/2], indicators.EINVALID, "cắt cụt"},
		{"password-protected", protectedBytes, indicators.EINVALID, "mật khẩu"},
		{"zip bomb", bomb, indicators.ETOOLARGE, "bom zip"},
		{"declares gigabytes", declaringGigabytes(t), indicators.ETOOLARGE, "khai báo 5 GB"},
		{"a zip but not a workbook", docx, indicators.EINVALID, "không phải sổ làm việc Excel"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openStore(t)
			v0, b0, e0 := counts(t, db)
			path := filepath.Join(t.TempDir(), "upload.xlsx")
			if err := os.WriteFile(path, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			tmp := t.TempDir()
			im := &importers.Importer{Store: db, TempDir: tmp}
			start := time.Now()
			u, err := importers.ReceiveFile(path, tmp, importers.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			res, err := im.Import(planner(), u, importers.Options{Unit: "CT-CU"})
			u.Close()
			if took := time.Since(start); took > time.Second {
				t.Errorf("took %v, want well under a second", took)
			}
			if res != nil || indicators.ErrorCode(err) != tc.code || !strings.Contains(indicators.ErrorMessage(err), tc.msg) {
				t.Errorf("err = %v (code %s), want %s with %q", err, indicators.ErrorCode(err), tc.code, tc.msg)
			}
			if v, b, e := counts(t, db); v != v0 || b != b0 || e != e0 {
				t.Errorf("stored %d values, %d batches, %d events; want %d, %d, %d", v, b, e, v0, b0, e0)
			}
			if left, _ := os.ReadDir(tmp); len(left) != 0 {
				t.Errorf("temporary files left behind: %v", left)
			}
		})
	}
}

// A sheet whose dimension claims a million rows around ten real ones is
// read by its content, fast, and the preview says the claim was wrong.
func TestADimensionClaimingAMillionRows(t *testing.T) {
	t.Parallel()
	var rows [][]any
	for y := 2015; y < 2024; y++ {
		rows = append(rows, []any{"ECO-05", "CT-CU", y, "Thực hiện", float64(y - 2000)})
	}
	good, err := os.ReadFile(longFile(t, "ten.xlsx", rows...))
	if err != nil {
		t.Fatal(err)
	}
	dim := regexp.MustCompile(`<dimension ref="[^"]*"\s*(/>|></dimension>)`)
	lying := rewriteZip(t, good, func(name string, body []byte) []byte {
		if strings.HasSuffix(name, "sheet1.xml") {
			if !dim.Match(body) {
				t.Fatalf("no dimension in %s", body)
			}
			return dim.ReplaceAll(body, []byte(`<dimension ref="A1:XFD1000000"/>`))
		}
		return body
	})
	path := filepath.Join(t.TempDir(), "lying.xlsx")
	os.WriteFile(path, lying, 0o600)
	db := openStore(t)
	v0, b0, _ := counts(t, db)
	start := time.Now()
	res, err := newImporter(t, db).Preview(planner(), receive(t, path), importers.Options{})
	if took := time.Since(start); took > time.Second {
		t.Errorf("took %v, want well under a second", took)
	}
	if err != nil {
		t.Fatal(err)
	}
	if res.New+res.Changed+res.Unchanged != 9 || res.Rows != 10 {
		t.Errorf("preview read %d rows with %d values, want 10 and 9", res.Rows, res.New+res.Changed+res.Unchanged)
	}
	if !strings.Contains(notices(res.Warnings, "vi"), "khai báo 1.000.000 dòng nhưng chỉ có 10 dòng") ||
		!strings.Contains(notices(res.Warnings, "en"), "declares 1,000,000 rows but only 10 rows") {
		t.Errorf("warnings = %+v, want the dimension's claim named in both languages", res.Warnings)
	}
	if v, b, _ := counts(t, db); v != v0 || b != b0 {
		t.Errorf("a preview stored %d values and %d batches", v-v0, b-b0)
	}
}

// An upload over the size limit is refused before it is parsed.
func TestUploadOverTheLimit(t *testing.T) {
	t.Parallel()
	_, err := importers.Receive(bytes.NewReader(make([]byte, 2048)), "big.xlsx", t.TempDir(), importers.Limits{MaxBytes: 1024})
	if indicators.ErrorCode(err) != indicators.ETOOLARGE || !strings.Contains(err.Error(), "giới hạn") {
		t.Errorf("err = %v, want too large", err)
	}
}
