package main

import (
	"encoding/json"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// hasVietnamese reports whether s holds a letter that English never has.
func hasVietnamese(s string) bool {
	return strings.ContainsAny(strings.ToLower(s),
		"ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")
}

// The command line speaks Vietnamese by default and English with
// CHITIEU_LANG=en: its usage errors, the flag package's errors, the
// domain's errors, its result lines and its help.
func TestCommandLineSpeaksTheOperatorsLanguage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "l.db")
	for _, tc := range []struct {
		name       string
		args       []string
		code       int
		vi, en     string // in stdout or stderr
		notVI      string // the English run must not hold this Vietnamese
		fromStderr bool
	}{
		{"unknown command", []string{"frobnicate"}, 2, "lệnh không rõ \"frobnicate\"", "unknown command \"frobnicate\"", "lệnh không rõ", true},
		{"usage error", []string{"backup", "--db", db}, 2, "cần đúng một TỆP đích", "give exactly one target FILE", "cần đúng", true},
		{"flag error", []string{"status", "--db", db, "--nonsense"}, 2, "không có tham số -nonsense",
			"flag provided but not defined: -nonsense", "không có tham số", true},
		{"domain's refusal of a flag", []string{"status", "--db", db, "--period", "2025-2021"}, 2, "--period", "--period", "", true},
		{"domain error", []string{"status", "--db", db, "--plan", "1/NQ-XX"}, 1, "không tìm thấy kế hoạch \"1/NQ-XX\"",
			"plan \"1/NQ-XX\" not found", "không tìm thấy", true},
		{"result line", []string{"migrate", "--db", db}, 0, "lược đồ phiên bản", "schema version", "lược đồ", false},
		{"result line of a backup", []string{"backup", filepath.Join(dir, "b-LANG.db"), "--db", db}, 0, "đã sao lưu",
			"backed " + db + " up into", "đã sao lưu", false},
		{"help", []string{"help"}, 0, "Các lệnh:", "Commands:", "Các lệnh", false},
		{"a command's summary", []string{"help"}, 0, "nhập số liệu từ tệp Excel", "import values from an Excel .xlsx file", "nhập số liệu", false},
	} {
		for _, lang := range []string{"vi", "en"} {
			args := append([]string{}, tc.args...)
			for i := range args {
				args[i] = strings.ReplaceAll(args[i], "LANG", lang)
			}
			code, out, errs := chitieuIn(t, lang, args...)
			got := out
			if tc.fromStderr {
				got = errs
			}
			want := map[string]string{"vi": tc.vi, "en": tc.en}[lang]
			if code != tc.code || !strings.Contains(got, want) {
				t.Errorf("%s, CHITIEU_LANG=%s: chitieu %v = %d\n%s%s\nwant %d and %q", tc.name, lang, args, code, out, errs, tc.code, want)
			}
			if lang == "en" && tc.notVI != "" && strings.Contains(out+errs, tc.notVI) {
				t.Errorf("%s in English still says %q:\n%s%s", tc.name, tc.notVI, out, errs)
			}
		}
	}
}

// In English, the help of every command and every usage line holds no
// Vietnamese: a flag's help left untranslated shows here.
func TestEveryCommandsHelpInEnglish(t *testing.T) {
	t.Parallel()
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) < 15 {
		t.Fatalf("only %d commands: %v", len(names), names)
	}
	for _, n := range names {
		code, out, errs := chitieuIn(t, "en", n, "-h")
		if code != 0 && code != 2 {
			t.Errorf("chitieu %s -h = %d", n, code)
		}
		if hasVietnamese(out + errs) {
			t.Errorf("chitieu %s -h in English holds Vietnamese:\n%s%s", n, out, errs)
		}
		if _, out, errs := chitieuIn(t, "vi", n, "-h"); !hasVietnamese(out + errs) {
			t.Errorf("chitieu %s -h in Vietnamese holds none:\n%s%s", n, out, errs)
		}
	}
	// The help of the server's flags, the longest list, in both languages.
	_, _, vi := chitieuIn(t, "vi", "serve", "-h")
	_, _, en := chitieuIn(t, "en", "serve", "-h")
	for _, tc := range []struct{ text, want string }{
		{vi, "dung lượng tối đa của một tệp Excel tải lên"}, {vi, "(mặc định 50)"},
		{en, "the largest Excel file that may be uploaded, in MB"}, {en, "(default 50)"},
	} {
		if !strings.Contains(tc.text, tc.want) {
			t.Errorf("serve -h lacks %q:\n%s", tc.want, tc.text)
		}
	}
}

// CHITIEU_LANG takes vi or en, with a region or charset after it; any
// other value is a usage error said in both languages, since neither is
// known.
func TestChitieuLangValues(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lang string
		code int
		want []string
	}{
		{"en_US.UTF-8", 0, []string{"Commands:"}},
		{"vi_VN", 0, []string{"Các lệnh:"}},
		{"EN", 0, []string{"Commands:"}},
		{"fr", 2, []string{"CHITIEU_LANG=\"fr\" không hợp lệ", "CHITIEU_LANG=\"fr\" is not valid"}},
	} {
		code, out, errs := chitieuIn(t, tc.lang, "help")
		for _, w := range tc.want {
			if code != tc.code || !strings.Contains(out+errs, w) {
				t.Errorf("CHITIEU_LANG=%s: exit %d\n%s%s\nwant %d and %q", tc.lang, code, out, errs, tc.code, w)
			}
		}
	}
}

// status --lang en speaks English in its errors too, whatever
// CHITIEU_LANG says; --lang follows CHITIEU_LANG when not given.
func TestStatusLangSetsTheMessages(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "s.db")
	code, _, errs := chitieuIn(t, "vi", "status", "--db", db, "--plan", "1/NQ-XX", "--lang", "en")
	if code != 1 || !strings.Contains(errs, `plan "1/NQ-XX" not found`) {
		t.Errorf("status --lang en of a missing plan = %d %q, want the English refusal", code, errs)
	}
	code, out, errs := chitieuIn(t, "en", "status", "--db", db, "--plan", "98/NQ-CP", "--period", "2021-2025")
	if code != 0 || !strings.Contains(out, "Off track") || !strings.Contains(out, "as of") {
		t.Errorf("status with CHITIEU_LANG=en = %d\n%s%s\nwant the English table", code, out, errs)
	}
}

// The import preview's notes are in the operator's language, on the
// screen and in --json (which carries both, as the rejected cells'
// reasons do).
func TestImportPreviewNotesInBothLanguages(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "n.db")
	// The sheet claims a million rows and holds two: the preview says so.
	file := longXLSXDim(t, "A1:E1000000", []any{"ECO-01", "CT-CU", "2023", "Thực hiện", "5,8"})
	for _, tc := range []struct{ lang, want, heading string }{
		{"vi", "khai báo 1.000.000 dòng nhưng chỉ có 2 dòng", "LƯU Ý"},
		{"en", "declares 1,000,000 rows but only 2 rows have content", "NOTES"},
	} {
		code, out, errs := chitieuIn(t, tc.lang, "import", file, "--db", db, "--dry-run")
		if code != 0 || !strings.Contains(out, tc.heading) || !strings.Contains(out, tc.want) {
			t.Errorf("CHITIEU_LANG=%s: import --dry-run = %d\n%s%s\nwant %q under %s", tc.lang, code, out, errs, tc.want, tc.heading)
		}
	}
	code, out, errs := chitieuIn(t, "en", "import", file, "--db", db, "--dry-run", "--json")
	var res struct {
		Warnings []struct{ VI, EN string } `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil || len(res.Warnings) != 1 ||
		!strings.Contains(res.Warnings[0].VI, "khai báo 1.000.000 dòng") || !strings.Contains(res.Warnings[0].EN, "declares 1,000,000 rows") {
		t.Errorf("import --json = %d %v\n%s%s\nwant one note in both languages", code, err, out, errs)
	}
}

// A command's help shows the defaults its flags take from the
// environment, a database URL with its password hidden.
func TestHelpHidesThePasswordOfTheDefaultDatabase(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"vi", "en"} {
		code, out, errs := chitieuEnv(t, map[string]string{"CHITIEU_LANG": lang,
			"CHITIEU_DB": "postgres://chitieu:s3cret@db.example/chitieu"}, "serve", "-h")
		want := map[string]string{"vi": `(mặc định "postgres://chitieu:***@db.example/chitieu")`,
			"en": `(default "postgres://chitieu:***@db.example/chitieu")`}[lang]
		if code != 0 || strings.Contains(out+errs, "s3cret") || !strings.Contains(errs, want) {
			t.Errorf("CHITIEU_LANG=%s serve -h = %d\n%s%s\nwant %s and no password", lang, code, out, errs, want)
		}
	}
}
