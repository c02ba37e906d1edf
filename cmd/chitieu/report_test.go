package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestReportCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	progress, data, csv, audit := filepath.Join(dir, "p.xlsx"), filepath.Join(dir, "d.xlsx"), filepath.Join(dir, "d.csv"), filepath.Join(dir, "a.xlsx")
	for _, args := range [][]string{
		{"report", "progress", "--db", db, "--plan", "98/NQ-CP", "--period", "2021-2025", "--out", progress,
			"--form-unit", "=SỞ TÀI CHÍNH", "--form-number", "01/TH", "--form-date", "2026-01-20", "--form-place", "Cần Thơ",
			"--form-year", "2024"},
		{"report", "data", "--db", db, "--out", data},
		{"report", "data", "--db", db, "--asof", "2099-01-01", "--out", csv},
		{"report", "audit", "--db", db, "--from", "2020-01-01", "--to", "2030-12-31", "--out", audit},
	} {
		code, out, stderr := chitieu(t, args...)
		if code != 0 || !strings.Contains(out, "mã kiểm tra nội dung") {
			t.Fatalf("chitieu %v = %d\n%s\n%s", args, code, out, stderr)
		}
	}
	for _, p := range []string{progress, data, csv, audit} {
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", p, err)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "chitieu-report-*")); len(left) > 0 {
		t.Errorf("temporary folders left beside the reports: %v", left)
	}
	csvBody, _ := os.ReadFile(csv)
	if !bytes.HasPrefix(csvBody, []byte("\xEF\xBB\xBF")) {
		t.Error("the CSV lacks its byte order mark")
	}

	for _, p := range []string{progress, data, audit} {
		code, out, stderr := chitieu(t, "report", "verify", p, "--db", db)
		if code != 0 || !strings.Contains(out, "KHỚP") {
			t.Errorf("verify %s = %d\n%s%s", p, code, out, stderr)
		}
	}

	// A number changed in the file: verify says so and exits 1.
	f, err := excelize.OpenFile(progress)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Tiến độ")
	// The official form's fields from the flags, user text as text.
	if a2, _ := f.GetCellValue("Tiến độ", "A2"); a2 != "=SỞ TÀI CHÍNH" {
		t.Errorf("--form-unit: A2 = %q", a2)
	}
	if formula, _ := f.GetCellFormula("Tiến độ", "A2"); formula != "" {
		t.Errorf("--form-unit became the formula %q", formula)
	}
	if a3, _ := f.GetCellValue("Tiến độ", "A3"); a3 != "Biểu số: 01/TH" {
		t.Errorf("--form-number: A3 = %q", a3)
	}
	if f6, _ := f.GetCellValue("Tiến độ", "F8"); f6 != "Kế hoạch năm 2024" {
		t.Errorf("--form-year: F8 = %q, want Kế hoạch năm 2024", f6)
	}
	if !slices.ContainsFunc(rows, func(r []string) bool { return slices.Contains(r, "Cần Thơ, ngày 20 tháng 01 năm 2026") }) {
		t.Error("--form-place and --form-date: no place and date line")
	}
	cell := ""
	for i, r := range rows {
		if len(r) > 1 && strings.Contains(r[1], "(ECO-01, 98/NQ-CP)") {
			cell = "H" + strconv.Itoa(i+1) // 2023
		}
	}
	if cell == "" {
		t.Fatal("no ECO-01 row")
	}
	if err := f.SetCellValue("Tiến độ", cell, 99.9); err != nil {
		t.Fatal(err)
	}
	tampered := filepath.Join(dir, "tampered.xlsx")
	if err := f.SaveAs(tampered); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, out, stderr := chitieu(t, "report", "verify", tampered, "--db", db)
	if code != 1 || !strings.Contains(out, "KHÔNG KHỚP") || !strings.Contains(out, "Tiến độ!"+cell) {
		t.Errorf("verify tampered = %d\n%s%s", code, out, stderr)
	}
}

func TestReportUsageErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "u.db")
	for _, tc := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"report"}, 2, "loại báo cáo"},
		{[]string{"report", "weekly"}, 2, "không rõ"},
		{[]string{"report", "progress", "--db", db, "--plan", "98/NQ-CP", "--period", "2021-2025"}, 2, "--out"},
		{[]string{"report", "progress", "--db", db, "--period", "2021-2025", "--out", "x.xlsx"}, 2, "--plan"},
		{[]string{"report", "progress", "--db", db, "--plan", "98/NQ-CP", "--period", "2025", "--out", "x.pdf"}, 2, ".xlsx"},
		{[]string{"report", "progress", "--db", db, "--plan", "98/NQ-CP", "--period", "2025-2021", "--out", "x.xlsx"}, 2, "--period"},
		{[]string{"report", "progress", "--db", db, "--plan", "1/NQ-XX", "--period", "2021-2025", "--out", filepath.Join(dir, "x.xlsx")}, 1, "không tìm thấy kế hoạch"},
		{[]string{"report", "data", "--db", db, "--asof", "2026-02-30", "--out", "x.csv"}, 2, "--asof"},
		{[]string{"report", "data", "--db", db, "--lang", "fr", "--out", "x.csv"}, 2, "--lang"},
		{[]string{"report", "audit", "--db", db, "--from", "2026-05-01", "--to", "2026-04-01", "--out", "a.xlsx"}, 2, "--from"},
		{[]string{"report", "verify", "--db", db}, 2, "TỆP"},
		{[]string{"report", "verify", filepath.Join(dir, "missing.xlsx"), "--db", db}, 1, "không mở được"},
	} {
		code, _, stderr := chitieu(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.err) {
			t.Errorf("chitieu %v = %d, %q; want %d and %q", tc.args, code, stderr, tc.code, tc.err)
		}
	}
}

func TestProgressBar(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		done, total int
		want        string
	}{
		{0, 1000, "số liệu [>         ]   0% 0/1.000"},
		{450, 1000, "số liệu [====>     ]  45% 450/1.000"},
		{1000, 1000, "số liệu [==========] 100% 1.000/1.000"},
		{0, 0, "số liệu [==========] 100% 0/0"},
	} {
		if got := barLine("số liệu", tc.done, tc.total, 10); got != tc.want {
			t.Errorf("barLine(%d, %d) = %q, want %q", tc.done, tc.total, got, tc.want)
		}
	}
	var buf bytes.Buffer
	bar := newProgressBar(&buf, true, "số liệu")
	bar.update(5, 10)
	bar.update(6, 10) // within a tenth of a second: not drawn
	bar.update(10, 10)
	bar.finish()
	if got := buf.String(); strings.Count(got, "\r") != 2 || !strings.HasSuffix(got, "10/10\n") {
		t.Errorf("bar drew %q", got)
	}
	buf.Reset()
	off := newProgressBar(&buf, false, "số liệu")
	off.update(1, 2)
	off.finish()
	if buf.Len() != 0 {
		t.Errorf("a bar off a terminal drew %q", buf.String())
	}
}
