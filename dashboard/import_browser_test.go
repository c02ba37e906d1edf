package dashboard_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"chitieu/dashboard"
	"chitieu/dashboard/logintest"
	"chitieu/internal/fixture"
)

// A planner signs in through the login form, uploads a filled template,
// reads the preview, commits it and finds the batch in the history — once
// within the request, once as background jobs whose page follows their
// progress by script until they end.
func browserImport(t *testing.T) {
	cases := []struct {
		name       string
		background int
	}{
		{"within the request", 0},
		{"as background jobs", 10},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := newImportEnv(t, dashboard.Config{BackgroundRows: tc.background})
			ctx, seen := browser(t, 1280, 900)
			base := env.ts.URL
			file, cells := filledTemplate(t, env.db)
			path := filepath.Join(t.TempDir(), "bieu-nhap-so-lieu.xlsx")
			if err := os.WriteFile(path, file, 0o644); err != nil {
				t.Fatal(err)
			}
			shotName := "import-" + strings.ReplaceAll(tc.name, " ", "-")

			signInAs(t, ctx, base, "/imports", "hoa", logintest.Password)
			if err := chromedp.Run(ctx,
				chromedp.WaitVisible(`form[data-upload] input[type=file]`, chromedp.ByQuery),
				chromedp.SetUploadFiles(`form[data-upload] input[type=file]`, []string{path}, chromedp.ByQuery),
				chromedp.Click(`form[data-upload] button[type=submit]`, chromedp.ByQuery),
				chromedp.WaitVisible(`form[action$="/commit"] button`, chromedp.ByQuery), axeDone(),
			); err != nil {
				t.Fatalf("upload: %v", err)
			}
			counts := evalString(t, ctx, `[...document.querySelectorAll('.import-counts dd')].map(e => e.innerText).join(' ')`)
			if counts != "2 1 0 0" {
				t.Errorf("preview counts (new changed unchanged rejected) = %q, want 2 1 0 0", counts)
			}
			changes := evalString(t, ctx, `document.querySelector('table.import-changes').innerText`)
			for _, want := range []string{"Số liệu!" + cells["ECO-01/CT-CU/2021/official"], "-2,79", "Ước thực hiện (ƯTH)", "7,3"} {
				if !strings.Contains(changes, want) {
					t.Errorf("the changes table lacks %q:\n%s", want, changes)
				}
			}
			shot(t, ctx, shotName+"-preview")
			batch := regexp.MustCompile(`/imports/batches/(\d+)`).FindStringSubmatch(evalString(t, ctx, `location.pathname`))
			if batch == nil {
				t.Fatalf("the preview is at %s, want a batch page", evalString(t, ctx, `location.href`))
			}

			if err := chromedp.Run(ctx,
				chromedp.Click(`form[action$="/commit"] button`, chromedp.ByQuery),
				chromedp.WaitVisible(`h1 .import-st-committed`, chromedp.ByQuery), axeDone(),
			); err != nil {
				t.Fatalf("commit: %v", err)
			}
			if msg := evalString(t, ctx, `document.querySelector('p.notice').innerText`); !strings.Contains(msg, "Đã ghi lô") {
				t.Errorf("after the commit the page says %q", msg)
			}
			if v, _ := env.inForce(t, "ECO-01/CT-CU/2024/estimate"); v != 7.3 {
				t.Errorf("after the commit ECO-01 2024 estimate = %v, want 7.3", v)
			}

			open(t, ctx, base+"/imports")
			row := evalString(t, ctx, `(document.querySelector('table.import-history a[href="/imports/batches/`+batch[1]+`"]') || {closest: () => ({innerText: ''})}).closest('tr').innerText`)
			if !strings.Contains(row, "#"+batch[1]) || !strings.Contains(row, "Đã ghi") || !strings.Contains(row, "bieu-nhap-so-lieu.xlsx") ||
				!strings.Contains(row, "hoa") {
				t.Errorf("the history row of batch #%s = %q", batch[1], row)
			}
			shot(t, ctx, shotName+"-history")
			if d := seen.list(); len(d) > 0 {
				t.Errorf("the pages opened dialogs %q", d)
			}
			env.noCopiesLeft(t)
		})
	}
}

// signInAs opens path, which sends the browser to the login form, and signs
// in there as name; the form sends the browser back to path.
func signInAs(t *testing.T, ctx context.Context, base, path, name, pw string) {
	t.Helper()
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+path),
		chromedp.WaitVisible(`form[action="/login"] input[name=password]`, chromedp.ByQuery), axeDone(),
		chromedp.SendKeys(`form[action="/login"] input[name=name]`, name, chromedp.ByQuery),
		chromedp.SendKeys(`form[action="/login"] input[name=password]`, pw, chromedp.ByQuery),
		chromedp.Click(`form[action="/login"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`form[action="/login"]`, chromedp.ByQuery),
		chromedp.WaitReady(`main`, chromedp.ByQuery), axeDone(),
	); err != nil {
		t.Fatalf("sign in as %s: %v", name, err)
	}
	if got := evalString(t, ctx, `location.pathname`); got != path {
		t.Fatalf("after signing in the browser is at %s, want %s", got, path)
	}
}

// A planner makes a mapping profile for a department's own sheet in the
// browser: the page shows the header found, the unit is chosen from a list
// that applies itself, the suggested indicators are checked (and one
// corrected), and saving previews the file with the new profile.
func browserImportProfile(t *testing.T) {
	path := fixture.Path(t, "dept/bieu-01-so-tai-chinh.xlsx")
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	expected := readExpected(t, strings.TrimSuffix(path, ".xlsx")+".expected.json")
	env := newImportEnvWith(t, dashboard.Config{}, false)
	ctx, seen := browser(t, 1280, 900)
	signInAs(t, ctx, env.ts.URL, "/imports", "hoa", logintest.Password)
	if err := chromedp.Run(ctx,
		chromedp.SetUploadFiles(`form[data-upload] input[type=file]`, []string{abs}, chromedp.ByQuery),
		chromedp.Click(`form[data-upload] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`table.import-header`, chromedp.ByQuery), axeDone(),
	); err != nil {
		t.Fatalf("upload: %v", err)
	}
	header := evalString(t, ctx, `document.querySelector('table.import-header thead').innerText`)
	for _, want := range []string{"Chỉ tiêu", "ĐVT"} {
		if !strings.Contains(header, want) {
			t.Errorf("the header shown lacks %q:\n%s", want, header)
		}
	}
	if err := chromedp.Run(ctx,
		chromedp.SetValue(`form.import-profile-read select[name=unit]`, "CT-CU", chromedp.ByQuery),
		chromedp.WaitVisible(`select[name=match_code]`, chromedp.ByQuery), axeDone(),
	); err != nil {
		t.Fatalf("choose the unit: %v", err)
	}
	shot(t, ctx, "import-profile")
	want := map[string]string{"Số bác sĩ/vạn dân": "SOC-02", "Số giường bệnh/vạn dân": "SOC-03",
		"Tỷ lệ hộ nghèo (chuẩn mới)": "SOC-04", "Tỷ lệ hộ dân sử dụng nước sạch": "ENV-04"}
	rows := evalString(t, ctx, `[...document.querySelectorAll('table.import-matches tbody tr')].map(r =>
		r.querySelector('input[name=match_name]').value + '=' + r.querySelector('select').value).join('\n')`)
	listed := 0
	for i, line := range strings.Split(rows, "\n") {
		name, code, _ := strings.Cut(line, "=")
		w, ok := want[name]
		if !ok {
			if code == "" {
				t.Errorf("the page reads %q as no indicator", name)
			}
			continue
		}
		listed++
		if code != w {
			t.Logf("suggestion for %q is %s; choosing %s", name, code, w)
			sel := `table.import-matches tbody tr:nth-child(` + strconv.Itoa(i+1) + `) select`
			if err := chromedp.Run(ctx, chromedp.SetValue(sel, w, chromedp.ByQuery)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if listed != len(want) {
		t.Errorf("the page lists %d of the names %v:\n%s", listed, want, rows)
	}
	if err := chromedp.Run(ctx,
		chromedp.SetValue(`form[method=post] input[name=name]`, "Biểu 01 Sở Tài chính", chromedp.ByQuery),
		chromedp.Click(`form[method=post][action$="/profile"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[action$="/commit"] button`, chromedp.ByQuery), axeDone(),
	); err != nil {
		t.Fatalf("save the profile: %v", err)
	}
	counts := evalString(t, ctx, `[...document.querySelectorAll('.import-counts dd')].map(e => e.innerText.replace(/\./g, '')).join(' ')`)
	var parts [4]int
	fmt.Sscan(counts, &parts[0], &parts[1], &parts[2], &parts[3])
	if parts[0] != len(expected) || parts[3] != 0 {
		t.Errorf("preview with the new profile counts %q, want %d new values and nothing rejected", counts, len(expected))
	}
	if p := evalString(t, ctx, `document.querySelector('main').innerText`); !strings.Contains(p, "Biểu 01 Sở Tài chính (bảng ngang)") {
		t.Errorf("the preview does not name the new profile")
	}
	shot(t, ctx, "import-profile-preview")
	if d := seen.list(); len(d) > 0 {
		t.Errorf("the pages opened dialogs %q", d)
	}
	env.noCopiesLeft(t)
}
