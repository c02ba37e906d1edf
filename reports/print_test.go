package reports

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The print test renders reports with LibreOffice (Debian's
// libreoffice-calc-nogui, which .ci/run installs) and reads the PDF with
// poppler's pdfinfo and pdftotext. Without them the test skips on a
// developer's machine and fails under CI=true.

// printTools returns soffice's path, or skips (fails under CI).
func printTools(t *testing.T) string {
	t.Helper()
	var office string
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			office = p
			break
		}
	}
	_, errInfo := exec.LookPath("pdfinfo")
	_, errText := exec.LookPath("pdftotext")
	if office == "" || errInfo != nil || errText != nil {
		msg := "the print test needs LibreOffice (soffice) and poppler-utils (pdfinfo, pdftotext)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return office
}

// officeConvert runs LibreOffice headless once on srcs, converting each
// to format ("pdf", "xlsx") in a folder of its own, with a profile of its
// own so that tests do not wait on each other's lock; it returns the new
// files in the order of srcs.
func officeConvert(t *testing.T, office, format string, srcs ...string) []string {
	t.Helper()
	dir := t.TempDir()
	profile := "file://" + filepath.ToSlash(filepath.Join(dir, "profile"))
	out := filepath.Join(dir, "out")
	args := []string{"-env:UserInstallation=" + profile, "--headless", "--norestore", "--convert-to", format, "--outdir", out}
	cmd := exec.Command(office, append(args, srcs...)...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice --convert-to %s: %v\n%s", format, err, b)
	}
	paths := make([]string, len(srcs))
	for i, src := range srcs {
		base := strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))
		paths[i] = filepath.Join(out, base+"."+format)
		if _, err := os.Stat(paths[i]); err != nil {
			t.Fatalf("soffice made no %s: %v", paths[i], err)
		}
	}
	return paths
}

// pdfPage is one printed page: its size in points and its text.
type pdfPage struct {
	width, height float64
	text          string
	// minFont is the printed size in points of the smallest type on the
	// page: LibreOffice gives a word of Liberation Serif (its Times New
	// Roman) at s points a box 1.3·s high (measured: 14.30 for 11 pt at
	// 100 %).
	minFont float64
}

var pageSize = regexp.MustCompile(`(?m)^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts`)
var wordBox = regexp.MustCompile(`<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>`)

// pdfPages reads the pages of a PDF.
func pdfPages(t *testing.T, pdf string) []pdfPage {
	t.Helper()
	info, err := exec.Command("pdfinfo", "-f", "1", "-l", "1000", pdf).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", pdf, err)
	}
	var pages []pdfPage
	for _, m := range pageSize.FindAllStringSubmatch(string(info), -1) {
		w, _ := strconv.ParseFloat(m[2], 64)
		h, _ := strconv.ParseFloat(m[3], 64)
		pages = append(pages, pdfPage{width: w, height: h})
	}
	txt, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", pdf, err)
	}
	for i, s := range strings.Split(string(txt), "\f") {
		if i < len(pages) {
			pages[i].text = s
		}
	}
	box, err := exec.Command("pdftotext", "-bbox", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox %s: %v", pdf, err)
	}
	for i, page := range strings.Split(string(box), "<page ")[1:] {
		if i >= len(pages) {
			break
		}
		for _, m := range wordBox.FindAllStringSubmatch(page, -1) {
			y0, _ := strconv.ParseFloat(m[1], 64)
			y1, _ := strconv.ParseFloat(m[2], 64)
			if h := (y1 - y0) / 1.3; pages[i].minFont == 0 || h < pages[i].minFont {
				pages[i].minFont = h
			}
		}
	}
	return pages
}

// pageWith returns the first page whose text contains s, or -1.
func pageWith(pages []pdfPage, s string) int {
	for i, p := range pages {
		if strings.Contains(p.text, s) {
			return i
		}
	}
	return -1
}

// Every report prints on A4 landscape, each sheet one page wide (the first
// and the last column heading on the same page: no column is cut), the
// progress report at 8 pt or more, in a bounded number of pages.
func TestReportsPrintOnA4Landscape(t *testing.T) {
	office := printTools(t)
	fx := newFixture(t)
	fx.clock.at("2026-02-01")
	files := []string{fx.progress(time.Time{}, "vi"), fx.save(fx.b.Data(fx.ctx, DataRequest{})),
		fx.save(fx.b.Audit(fx.ctx, AuditRequest{}))}
	pdfs := officeConvert(t, office, "pdf", files...)
	for _, tc := range []struct {
		name            string
		minPages, pages int
		minFont         float64
		firstLast       [][2]string // a sheet's first and last column headings
	}{
		// Cover, table, annex, charts, chart data, rules: a page each.
		{"progress", 6, 8, 8, [][2]string{{"STT", "Đánh giá, giải trình"}, {"PHỤ LỤC", "Nguồn"}, {"Chuỗi số liệu", "2025"},
			{"Quy tắc, ngưỡng", "Ý nghĩa"}, {"BÁO CÁO TIẾN ĐỘ", "Mã kiểm tra nội dung"}}},
		// The exports' long rows (the codes sheet's first column heading,
		// "Loại", is also a word of the cover: its third stands for it)
		// are fitted to the width in type of 7 pt (6.9 allows for the
		// measure's rounding; they printed at 3.6–4.7 pt before their long
		// texts and hashes wrapped in narrower columns). Headings wrap
		// too: "Mã chỉ" stands for "Mã chỉ tiêu", "hoàn tác" for "Người
		// hoàn tác".
		{"data", 2, 5, 6.9, [][2]string{{"Mã chỉ", "Ghi chú"}, {"ĐVT / loại đơn vị", "Phạm vi"}}},
		{"audit", 2, 5, 6.9, [][2]string{{"SHA-256", "hoàn tác"}, {"Thời điểm", "Mã băm trước"}}},
	} {
		i := map[string]int{"progress": 0, "data": 1, "audit": 2}[tc.name]
		pages := pdfPages(t, pdfs[i])
		if len(pages) < tc.minPages || len(pages) > tc.pages {
			t.Errorf("%s: %d pages, want %d to %d", tc.name, len(pages), tc.minPages, tc.pages)
		}
		small := 0.0
		for n, p := range pages {
			if small == 0 || p.minFont < small {
				small = p.minFont
			}
			if p.width <= p.height || p.width < 841 || p.width > 843 {
				t.Errorf("%s page %d: %.1f × %.1f pt, want A4 landscape (841.9 × 595.3)", tc.name, n+1, p.width, p.height)
			}
			if strings.Contains(p.text, "###") {
				t.Errorf("%s page %d prints ### for a number or date its column is too narrow for", tc.name, n+1)
			}
			if p.minFont < tc.minFont {
				t.Errorf("%s page %d: type of %.2f pt, want at least %v", tc.name, n+1, p.minFont, tc.minFont)
			}
		}
		t.Logf("%s: %d pages, smallest type %.2f pt", tc.name, len(pages), small)
		for _, fl := range tc.firstLast {
			n := pageWith(pages, fl[0])
			if n < 0 {
				t.Errorf("%s: no page shows %q", tc.name, fl[0])
				continue
			}
			if !strings.Contains(pages[n].text, fl[1]) {
				t.Errorf("%s page %d shows %q but not the last column %q: a column is cut", tc.name, n+1, fl[0], fl[1])
			}
		}
	}
}
