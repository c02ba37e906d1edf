package dashboard_test

import (
	"os"
	"strings"
	"testing"

	"chitieu/dashboard"
	"chitieu/dashboard/logintest"
	"chitieu/internal/fixture"
)

// The profile page shows the sheet's typed numbers in the page's own
// format (1,02 on a Vietnamese page, where 1.02 would read as one thousand
// and two; 1.02 on an English one) and labels a suggestion's score as a
// likeness, not as a value of the indicator.
func TestImportProfilePageFormatsNumbersAndLikeness(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(fixture.Path(t, "dept/bieu-01-so-tai-chinh.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	env := newImportEnvWith(t, dashboard.Config{}, false)
	base := env.ts.URL
	c := logintest.Login(t, base, "hoa", "")
	loc := redirected(t, uploadFile(t, c, base, "bieu-01.xlsx", data, nil), "/imports/jobs/")
	profile := strings.SplitN(loc, "?", 2)[0]
	for _, tc := range []struct{ lang, number, wrong, likeness string }{
		{"vi", "<td>1,02</td>", "<td>1.02</td>", "(độ giống "},
		{"en", "<td>1.02</td>", "<td>1,02</td>", "(likeness "},
	} {
		code, body := getPage(t, c, base, profile+"?unit=CT-CU&locale=vi&name=bieu-01&lang="+tc.lang)
		if code != 200 {
			t.Fatalf("profile page (%s) = %d", tc.lang, code)
		}
		if !strings.Contains(body, tc.number) || strings.Contains(body, tc.wrong) {
			t.Errorf("%s: the sample does not show 2020's 1.02 as %s", tc.lang, tc.number)
		}
		if !strings.Contains(body, tc.likeness) {
			t.Errorf("%s: no suggestion labelled %q", tc.lang, tc.likeness)
		}
	}
}
