package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chitieu/indicators"
	"chitieu/indicators/catalog"
)

// chitieu target parse answers as the parser does for every target text of
// the built-in catalogue and for the forms of the issue, exit 1 for a text
// it cannot read.
func TestTargetParse(t *testing.T) {
	t.Parallel()
	cat, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"7,5 - 8%/năm", "bình quân 10 - 10,5%/năm trở lên", "trên 10%", "dưới 0,5%", "không quá 4%",
		"ít nhất 80%", "tối thiểu 0,78", "khoảng 215 triệu đồng", "đạt 76%", "6.200 - 6.800 USD",
		"đạt và vượt dự toán Trung ương giao", "100%", "top 15", "giảm 30% so với năm 2020", "gấp 1,5 lần so với năm 2020",
		"tỷ lệ hộ nghèo giảm bình quân 1%/năm", "5 năm đạt 1.200.000 tỷ đồng", "tăng 20% so với cùng kỳ", "gấp 2 lần"}
	for _, tg := range cat.Targets {
		texts = append(texts, tg.Text)
	}
	for _, text := range texts {
		code, out, stderr := chitieu(t, "target", "parse", text)
		want, perr := indicators.ParseTargetText(text)
		var got struct {
			Kind     string   `json:"kind"`
			Op       string   `json:"op"`
			A        *float64 `json:"a"`
			B        *float64 `json:"b"`
			Unit     string   `json:"unit"`
			BaseYear *int     `json:"base_year"`
			Words    []string `json:"words"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Errorf("target parse %q printed %q: %v", text, out, err)
			continue
		}
		wantOp := string(want.Bound.Op)
		if perr != nil {
			wantOp = "none"
		}
		switch {
		case perr != nil && (code != 1 || !strings.Contains(stderr, "không đọc được")):
			t.Errorf("target parse %q = exit %d %q; want 1 and a message", text, code, stderr)
		case perr == nil && code != 0:
			t.Errorf("target parse %q = exit %d %q; want 0", text, code, stderr)
		case got.Kind != string(want.Kind) || got.Op != wantOp || got.Unit != want.Unit:
			t.Errorf("target parse %q = %+v; want %s %s %q", text, got, want.Kind, wantOp, want.Unit)
		case perr == nil && (got.A == nil || *got.A != want.Bound.A):
			t.Errorf("target parse %q: a = %v, want %v", text, got.A, want.Bound.A)
		case want.Bound.Op == indicators.OpRange && (got.B == nil || *got.B != want.Bound.B):
			t.Errorf("target parse %q: b = %v, want %v", text, got.B, want.Bound.B)
		case want.BaseYear != 0 && (got.BaseYear == nil || *got.BaseYear != want.BaseYear),
			want.BaseYear == 0 && got.BaseYear != nil:
			t.Errorf("target parse %q: base_year = %v, want %d", text, got.BaseYear, want.BaseYear)
		case perr == nil && len(got.Words) == 0:
			t.Errorf("target parse %q names no words", text)
		}
	}
}

// The example of the issue, printed exactly.
func TestTargetParseRelative(t *testing.T) {
	code, out, stderr := chitieu(t, "target", "parse", "giảm 30% so với năm 2020")
	want := `{"kind":"relative","op":"<=","a":0.7,"b":null,"unit":"lần","base_year":2020,"direction":"down",` +
		`"words":["giảm","so với năm 2020","30","%"],"scale":1,"implicit":false}`
	if code != 0 || strings.TrimSpace(out) != want {
		t.Errorf("target parse = %d %s %q; want 0 %s", code, out, stderr, want)
	}
	code, _, stderr = chitieu(t, "target", "parse", "tăng 20% so với cùng kỳ")
	if code != 1 || !strings.Contains(stderr, "cùng kỳ") {
		t.Errorf("target parse of a same-period text = %d %q; want 1 and the reason", code, stderr)
	}
}

func TestPlanExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, book := filepath.Join(dir, "p.db"), filepath.Join(dir, "so-ke-hoach.xlsx")
	if code, out, stderr := chitieu(t, "plan", "export", "--db", db, "--out", book); code != 0 || !strings.Contains(out, "90 mục tiêu") {
		t.Fatalf("plan export = %d %q %q", code, out, stderr)
	}
	for _, args := range [][]string{
		{"plan", "import", book, "--db", db, "--dry-run", "--json"},
		{"plan", "import", book, "--db", db, "--json"},
	} {
		code, out, stderr := chitieu(t, args...)
		var p struct {
			New, Changed, Unchanged, Rejected int
			Committed                         bool
			Changes                           []any
			Errors                            []any
		}
		if err := json.Unmarshal([]byte(out), &p); err != nil {
			t.Fatalf("%v printed %q: %v", args, out, err)
		}
		if code != 0 || p.New != 0 || p.Changed != 0 || p.Rejected != 0 || p.Unchanged < 200 || p.Committed ||
			p.Changes == nil || len(p.Changes) != 0 || p.Errors == nil {
			t.Errorf("%v = %d %+v %s; want no change", args, code, p, stderr)
		}
	}
	code, out, _ := chitieu(t, "plan", "import", book, "--db", db)
	if code != 0 || !strings.Contains(out, "không có gì thay đổi") {
		t.Errorf("plan import = %d %q", code, out)
	}
}

func TestPlanCommandMistakes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	junk := filepath.Join(dir, "junk.xlsx")
	if err := os.WriteFile(junk, []byte("không phải bảng tính"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"plan"}, 2, "lệnh con"},
		{[]string{"plan", "frob"}, 2, "frob"},
		{[]string{"plan", "export", "--db", db}, 2, "--out"},
		{[]string{"plan", "export", "--db", db, "--out", filepath.Join(dir, "a.csv")}, 2, "--out"},
		{[]string{"plan", "import", "--db", db}, 2, "TỆP.xlsx"},
		{[]string{"plan", "import", filepath.Join(dir, "missing.xlsx"), "--db", db}, 1, "không mở được"},
		{[]string{"plan", "import", junk, "--db", db, "--json"}, 1, "không phải sổ làm việc Excel"},
		{[]string{"target"}, 2, "target parse"},
		{[]string{"target", "parse"}, 2, "một nội dung"},
	} {
		code, _, stderr := chitieu(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.err) {
			t.Errorf("chitieu %v = %d, %q; want %d and a message with %q", tc.args, code, stderr, tc.code, tc.err)
		}
	}
}

func TestTaskProgressAndHistory(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "t.db")
	if code, out, stderr := chitieu(t, "task", "progress", "G1-T02", "--db", db, "--percent", "40", "--date", "2025-06-30",
		"--note", "Đã họp phiên thứ hai"); code != 0 || !strings.Contains(out, "40%") {
		t.Fatalf("task progress = %d %q %q", code, out, stderr)
	}
	code, out, _ := chitieu(t, "task", "history", "G1-T02", "--db", db)
	if code != 0 || !strings.Contains(out, "2025-06-30") || !strings.Contains(out, "Đã họp phiên thứ hai") || !strings.Contains(out, "cli") {
		t.Errorf("task history = %d %q", code, out)
	}
	for _, tc := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"task", "progress", "G1-T02", "--db", db}, 2, "--percent"},
		{[]string{"task", "progress", "KHONG-CO", "--db", db, "--percent", "5"}, 1, "không tìm thấy nhiệm vụ"},
		{[]string{"task", "progress", "G1-T02", "--db", db, "--percent", "150"}, 1, "0 đến 100"},
		{[]string{"task", "history", "--db", db}, 2, "MÃ"},
	} {
		code, _, stderr := chitieu(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.err) {
			t.Errorf("chitieu %v = %d, %q; want %d and a message with %q", tc.args, code, stderr, tc.code, tc.err)
		}
	}
}
