package main

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chitieu/internal/fixture"
)

// longXLSX writes a minimal workbook with a long table: one row per value,
// every cell an inline string but the typed numbers given as float64.
func longXLSX(t *testing.T, rows ...[]any) string {
	t.Helper()
	return longXLSXDim(t, "", rows...)
}

// longXLSXDim is longXLSX with the sheet's dimension (A1:E1000000) set as
// given: a sheet may claim more rows than it holds.
func longXLSXDim(t *testing.T, dimension string, rows ...[]any) string {
	t.Helper()
	var data strings.Builder
	all := append([][]any{{"Mã chỉ tiêu", "Đơn vị", "Kỳ", "Loại số liệu", "Giá trị"}}, rows...)
	for i, r := range all {
		fmt.Fprintf(&data, `<row r="%d">`, i+1)
		for j, v := range r {
			ref := fmt.Sprintf("%c%d", 'A'+j, i+1)
			switch v := v.(type) {
			case float64:
				fmt.Fprintf(&data, `<c r="%s"><v>%v</v></c>`, ref, v)
			default:
				fmt.Fprintf(&data, `<c r="%s" t="inlineStr"><is><t>%v</t></is></c>`, ref, v)
			}
		}
		data.WriteString("</row>")
	}
	dim := ""
	if dimension != "" {
		dim = `<dimension ref="` + dimension + `"/>`
	}
	path := filepath.Join(t.TempDir(), "long.xlsx")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, p := range [][2]string{
		{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + dim +
			`<sheetData>` + data.String() + `</sheetData></worksheet>`},
	} {
		w, err := zw.Create(p[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(p[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportCommandLine(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	file := longXLSX(t, []any{"ECO-01", "CT-CU", "2019", "Thực hiện", 7.9}, []any{"ECO-01", "CT-CU", "2023", "Thực hiện", "5,8"})

	code, out, stderr := chitieu(t, "import", file, "--db", db, "--dry-run", "--json")
	if code != 0 {
		t.Fatalf("dry run exit %d: %s", code, stderr)
	}
	var preview map[string]any
	if err := json.Unmarshal([]byte(out), &preview); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	for _, k := range []string{"new", "changed", "unchanged", "rejected", "changes", "errors"} {
		if _, ok := preview[k]; !ok {
			t.Errorf("--json lacks %q", k)
		}
	}
	if preview["new"] != 1.0 || preview["changed"] != 1.0 || len(preview["changes"].([]any)) != 2 || len(preview["errors"].([]any)) != 0 {
		t.Errorf("preview = %v", preview)
	}

	code, out, stderr = chitieu(t, "import", file, "--db", db)
	if code != 0 || !strings.Contains(out, "Đã ghi lô #1") || !strings.Contains(out, "5,75 → 5,8") {
		t.Fatalf("import exit %d:\n%s\n%s", code, out, stderr)
	}
	code, out, _ = chitieu(t, "import", file, "--db", db)
	if code != 0 || !strings.Contains(out, "Không có gì thay đổi") || !strings.Contains(out, "lô #1") {
		t.Errorf("the same file again exit %d:\n%s", code, out)
	}
	code, out, _ = chitieu(t, "import", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "#1") || !strings.Contains(out, "committed") {
		t.Errorf("import list exit %d:\n%s", code, out)
	}
	kept := filepath.Join(dir, "kept.xlsx")
	if code, _, stderr = chitieu(t, "import", "file", "1", "--out", kept, "--db", db); code != 0 {
		t.Errorf("import file exit %d: %s", code, stderr)
	} else if a, b := mustRead(t, kept), mustRead(t, file); a != b {
		t.Error("the kept file differs from the upload")
	}
	code, out, stderr = chitieu(t, "import", "rollback", "1", "--db", db)
	if code != 0 || !strings.Contains(out, "rút 2 số liệu") {
		t.Errorf("rollback exit %d:\n%s\n%s", code, out, stderr)
	}
	if code, _, stderr = chitieu(t, "import", "rollback", "1", "--db", db); code != 1 || !strings.Contains(stderr, "trạng thái") {
		t.Errorf("second rollback exit %d: %s", code, stderr)
	}

	bad := longXLSX(t, []any{"ECO-01", "CT-CU", "2019", "Thực hiện", "7.9"}, []any{"XYZ-99", "CT-CU", "2019", "Thực hiện", 1.0})
	code, out, stderr = chitieu(t, "import", bad, "--db", db)
	if code != 1 || !strings.Contains(out, "Sheet1!E2") || !strings.Contains(out, "Sheet1!A3") || !strings.Contains(stderr, "2 ô bị từ chối") {
		t.Errorf("a file with bad cells exit %d:\n%s\n%s", code, out, stderr)
	}
	code, out, _ = chitieu(t, "import", bad, "--db", db, "--locale", "en", "--json")
	var refused map[string]any
	if err := json.Unmarshal([]byte(out), &refused); err != nil || code != 1 || refused["rejected"] != 1.0 {
		t.Errorf("--locale en --json exit %d: %v\n%s", code, err, out)
	}

	for _, tc := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"import", "--db", db}, 2, "TỆP"},
		{[]string{"import", file, "--db", db, "--profile", "a", "--profile-file", "b.json"}, 2, "--profile"},
		{[]string{"import", file, "--db", db, "--locale", "fr"}, 2, "--locale"},
		{[]string{"import", "rollback", "abc", "--db", db}, 2, "abc"},
		{[]string{"import", filepath.Join(dir, "missing.xlsx"), "--db", db}, 1, "không mở được"},
		{[]string{"import", file, "--db", db, "--profile", "none"}, 1, "không tìm thấy hồ sơ"},
		{[]string{"profile", "show", "none", "--db", db}, 1, "không tìm thấy hồ sơ"},
		{[]string{"profile", "frobnicate", "--db", db}, 2, "frobnicate"},
		{[]string{"template", "--db", db, "--plan", "98/NQ-CP"}, 2, "--period"},
	} {
		code, _, stderr := chitieu(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.err) {
			t.Errorf("chitieu %v = %d, %q; want %d and a message with %q", tc.args, code, stderr, tc.code, tc.err)
		}
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestProfileAndTemplateCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	profile := filepath.Join("..", "..", "importers", "testdata", "profiles", "bieu-01.json")
	if code, out, stderr := chitieu(t, "profile", "save", profile, "--db", db); code != 0 || !strings.Contains(out, "bieu-01") {
		t.Fatalf("profile save exit %d: %s %s", code, out, stderr)
	}
	if code, out, _ := chitieu(t, "profile", "list", "--db", db); code != 0 || !strings.Contains(out, "bieu-01") || !strings.Contains(out, "CT-CU") {
		t.Errorf("profile list exit %d:\n%s", code, out)
	}
	code, out, _ := chitieu(t, "profile", "show", "bieu-01", "--db", db)
	if code != 0 || !strings.Contains(out, `"Số bác sĩ/vạn dân": "SOC-02"`) {
		t.Errorf("profile show exit %d:\n%s", code, out)
	}

	tpl := filepath.Join(dir, "bieu.xlsx")
	code, out, stderr := chitieu(t, "template", "--db", db, "--plan", "98/NQ-CP", "--period", "2021-2025", "--unit", "CT-CU", "--out", tpl)
	if code != 0 || !strings.Contains(out, "chỉ tiêu của 98/NQ-CP") {
		t.Fatalf("template exit %d: %s %s", code, out, stderr)
	}
	code, out, _ = chitieu(t, "import", tpl, "--db", db, "--dry-run")
	if code != 0 || !strings.Contains(out, "biểu mẫu chitieu") || !strings.Contains(out, "không có số liệu nào") {
		t.Errorf("the empty template previews exit %d:\n%s", code, out)
	}

	bieu := fixture.Path(t, "dept/bieu-01-so-tai-chinh.xlsx")
	// The saved profile is picked by itself.
	code, out, stderr = chitieu(t, "import", bieu, "--db", db)
	if code != 0 || !strings.Contains(out, "hồ sơ: bieu-01") || !strings.Contains(out, "Đã ghi lô #1") {
		t.Errorf("import of Biểu 01 exit %d:\n%s\n%s", code, out, stderr)
	}
	code, out, stderr = chitieu(t, "profile", "suggest", bieu, "--unit", "CT-CU", "--name", "thu", "--db", db)
	if code != 0 || !strings.Contains(out, `"Số giường bệnh/vạn dân": "SOC-03"`) || !strings.Contains(stderr, "SOC-03") {
		t.Errorf("profile suggest exit %d:\n%s\n%s", code, out, stderr)
	}
}

// An import whose values look implausible lists the warnings and is
// refused without --confirm-note; with it the batch is stored.
func TestImportCommandLinePlausibility(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	// CT-CU's urbanisation was 74 % in 2023 (the catalogue).
	file := longXLSX(t, []any{"SOC-01", "CT-CU", "2024", "Thực hiện", 174.0})
	code, out, stderr := chitieu(t, "import", file, "--db", db)
	if code != 1 || !strings.Contains(out, "CẢNH BÁO VỀ TÍNH HỢP LÝ (2)") || !strings.Contains(out, "Sheet1!E2") ||
		!strings.Contains(stderr, "--confirm-note") && !strings.Contains(stderr, "xác nhận") {
		t.Fatalf("import without a note exit %d:\n%s\n%s", code, out, stderr)
	}
	// The refused attempt was withdrawn and left its batch previewed; the
	// confirmed one is the next batch.
	code, out, stderr = chitieu(t, "import", file, "--db", db, "--confirm-note", "số liệu sơ bộ")
	if code != 0 || !strings.Contains(out, "Đã ghi lô #2") {
		t.Fatalf("import with a note exit %d:\n%s\n%s", code, out, stderr)
	}
}
