package dashboard_test

import (
	"archive/zip"
	"bytes"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"chitieu/dashboard/logintest"
	"chitieu/indicators"

	"github.com/xuri/excelize/v2"
)

// verifyUpload posts a file to /reports/verify as role and returns the
// status and the page.
func (env *reportEnv) verifyUpload(t *testing.T, role indicators.Role, name string, body []byte) (int, string) {
	t.Helper()
	return env.verifyUploadIn(t, role, "", name, body)
}

// verifyUploadIn is verifyUpload with the page in the language lang ("" for
// the user's own).
func (env *reportEnv) verifyUploadIn(t *testing.T, role indicators.Role, lang, name string, body []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.WriteField("csrf_token", logintest.Token(t, env.users[role], env.ts.URL)); err != nil {
		t.Fatal(err)
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(body)
	mw.Close()
	target := env.ts.URL + "/reports/verify"
	if lang != "" {
		target += "?lang=" + lang
	}
	req, err := http.NewRequest(http.MethodPost, target, &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", env.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := env.users[role].Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	page, _ := io.ReadAll(res.Body)
	return res.StatusCode, html.UnescapeString(string(page))
}

// customRef is the reference to the custom properties' part.
var customRef = regexp.MustCompile(`<(Relationship|Override) [^>]*custom\.xml"[^>]*/>`)

// withoutProperties rewrites a workbook without its custom properties, as
// a program that drops them would save it.
func withoutProperties(t *testing.T, body []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name == "docProps/custom.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		s := string(b)
		s = customRef.ReplaceAllString(s, "")
		w, _ := zw.Create(f.Name)
		w.Write([]byte(s))
	}
	zw.Close()
	return out.Bytes()
}

// /reports/verify answers an auditor "khớp" for a report as downloaded,
// names the first cell that differs in a changed one, and for a file that
// lost its properties checks it by the hash on its cover and says so.
func TestReportVerifyPage(t *testing.T) {
	t.Parallel()
	env := newReportEnv(t, nil)
	path := "/reports/progress?plan=59-NQ%2FTW&period=2021-2025&group=0"
	res, body := env.download(t, indicators.Auditor, path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", path, res.StatusCode)
	}
	status, page := env.verifyUpload(t, indicators.Auditor, "tien-do.xlsx", body)
	if status != http.StatusOK || !strings.Contains(page, "<strong>Khớp</strong>") ||
		!strings.Contains(page, "theo mã kiểm tra và tham số lưu trong thuộc tính của tệp") {
		t.Fatalf("untouched report: %d\n%s", status, page)
	}

	// A changed cell: the first differing cell with both values.
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	rows := rowsOf(t, f, "Số liệu các năm")
	cell := ""
	for i, r := range rows {
		if strings.Contains(cellAt(r, pName), "(ECO-02,") && cell == "" {
			cell, _ = excelize.CoordinatesToCellName(pYear0+2, i+1) // 2023
		}
	}
	was, _ := f.GetCellValue("Số liệu các năm", cell, excelize.Options{RawCellValue: true})
	f.SetCellValue("Số liệu các năm", cell, 123456.5)
	var changed bytes.Buffer
	if err := f.Write(&changed); err != nil {
		t.Fatal(err)
	}
	status, page = env.verifyUpload(t, indicators.Auditor, "tien-do.xlsx", changed.Bytes())
	want := "Ô khác đầu tiên: Số liệu các năm!" + cell + " — trong tệp là «123456.5»; theo cơ sở dữ liệu là «" + was + "»."
	if status != http.StatusOK || !strings.Contains(page, "Không khớp.") || !strings.Contains(page, want) {
		t.Errorf("changed cell: %d, want %q in\n%s", status, want, page)
	}

	// Saved again by a program that drops the properties: the cover's
	// hash and params stand in, and the page says so.
	stripped := withoutProperties(t, body)
	if g, err := excelize.OpenReader(bytes.NewReader(stripped)); err != nil {
		t.Fatal(err)
	} else if props, _ := g.GetCustomProps(); len(props) != 0 {
		t.Fatalf("the stripped file still has %v", props)
	}
	status, page = env.verifyUpload(t, indicators.Auditor, "tien-do.xlsx", stripped)
	if status != http.StatusOK || !strings.Contains(page, "<strong>Khớp</strong>") ||
		!strings.Contains(page, "in trên trang bìa") {
		t.Errorf("file without properties: %d\n%s", status, page)
	}

	// Saved again by LibreOffice (under CI it must be there).
	if office, err := exec.LookPath("soffice"); err == nil {
		dir := t.TempDir()
		src := filepath.Join(dir, "in.xlsx")
		os.WriteFile(src, body, 0o644)
		out := filepath.Join(dir, "out")
		cmd := exec.Command(office, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless",
			"--norestore", "--convert-to", "xlsx", "--outdir", out, src)
		cmd.Env = append(os.Environ(), "HOME="+dir)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice: %v\n%s", err, b)
		}
		saved, err := os.ReadFile(filepath.Join(out, "in.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(saved, body) {
			t.Fatal("LibreOffice wrote the same bytes")
		}
		status, page = env.verifyUpload(t, indicators.Auditor, "tien-do.xlsx", saved)
		if status != http.StatusOK || !strings.Contains(page, "<strong>Khớp</strong>") {
			t.Errorf("file saved again by LibreOffice: %d\n%s", status, page)
		}
	} else if os.Getenv("CI") == "true" {
		t.Fatal("the verify test needs LibreOffice (soffice) under CI")
	}

	// Not a report, and not for every role.
	status, page = env.verifyUpload(t, indicators.Admin, "notes.xlsx", []byte("not a zip"))
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, "không đọc được tệp notes.xlsx như một tệp .xlsx") {
		t.Errorf("a file that is no workbook: %d\n%.2000s", status, page)
	}
	// The same refusal on an English page is in English only.
	status, page = env.verifyUploadIn(t, indicators.Admin, "en", "notes.xlsx", []byte("not a zip"))
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, "notes.xlsx cannot be read as an .xlsx file") ||
		strings.Contains(page, "không đọc được") {
		t.Errorf("a file that is no workbook, in English: %d\n%.2000s", status, page)
	}
	status, page = env.verifyUploadIn(t, indicators.Admin, "vi", "notes.xlsx", []byte("not a zip"))
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, "không đọc được tệp notes.xlsx") {
		t.Errorf("a file that is no workbook, back in Vietnamese: %d\n%.2000s", status, page)
	}
	if status, _ := env.verifyUpload(t, indicators.Planner, "tien-do.xlsx", body); status != http.StatusForbidden {
		t.Errorf("planner: %d, want 403", status)
	}
}
