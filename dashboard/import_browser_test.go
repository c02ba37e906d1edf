package dashboard_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"chitieu/dashboard"
	"chitieu/dashboard/logintest"
)

// A planner signs in through the login form, uploads a filled template,
// reads the preview, commits it and finds the batch in the history — once
// within the request, once as background jobs whose page follows their
// progress by script until they end.
func TestBrowserImport(t *testing.T) {
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

			signIn(t, ctx, base, "/imports", "hoa", logintest.Password)
			if err := chromedp.Run(ctx,
				chromedp.WaitVisible(`form[data-upload] input[type=file]`, chromedp.ByQuery),
				chromedp.SetUploadFiles(`form[data-upload] input[type=file]`, []string{path}, chromedp.ByQuery),
				chromedp.Click(`form[data-upload] button[type=submit]`, chromedp.ByQuery),
				chromedp.WaitVisible(`form[action$="/commit"] button`, chromedp.ByQuery),
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
				chromedp.WaitVisible(`h1 .import-st-committed`, chromedp.ByQuery),
			); err != nil {
				t.Fatalf("commit: %v", err)
			}
			if msg := evalString(t, ctx, `document.querySelector('.import-flash.ok').innerText`); !strings.Contains(msg, "Đã ghi lô") {
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

// signIn opens path, which sends the browser to the login form, and signs
// in there as name; the form sends the browser back to path.
func signIn(t *testing.T, ctx context.Context, base, path, name, pw string) {
	t.Helper()
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+path),
		chromedp.WaitVisible(`form[action="/login"] input[name=password]`, chromedp.ByQuery),
		chromedp.SendKeys(`form[action="/login"] input[name=name]`, name, chromedp.ByQuery),
		chromedp.SendKeys(`form[action="/login"] input[name=password]`, pw, chromedp.ByQuery),
		chromedp.Click(`form[action="/login"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`form[action="/login"]`, chromedp.ByQuery),
		chromedp.WaitReady(`main`, chromedp.ByQuery),
	); err != nil {
		t.Fatalf("sign in as %s: %v", name, err)
	}
	if got := evalString(t, ctx, `location.pathname`); got != path {
		t.Fatalf("after signing in the browser is at %s, want %s", got, path)
	}
}
