package dashboard_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"chitieu/dashboard"
	"chitieu/dashboard/logintest"
	"chitieu/importers"
	"chitieu/indicators"

	"github.com/xuri/excelize/v2"
)

// entryPost sends the entry form for unit and period with values (code →
// text, typed official) and notes.
func entryPost(t *testing.T, c *http.Client, base, unit, period string, values, notes map[string]string) *http.Response {
	t.Helper()
	form := url.Values{"unit": {unit}, "period": {period}}
	for code, v := range values {
		form.Set("v."+code, v)
		form.Set("t."+code, "official")
	}
	for code, n := range notes {
		form.Set("n."+code, n)
	}
	return logintest.Post(t, c, base, "/entry", form)
}

// The form for CT-CU and 2023 lists the catalogue's yearly indicators
// with last period's value (SOC-01 2022: 73,05, official) and the plan
// value (SOC-01 2023 KH: 74) beside the input, the period written as
// people write it.
func TestEntryFormShowsLastAndPlanValues(t *testing.T) {
	t.Parallel()
	env := newImportEnv(t, dashboard.Config{})
	hoa := logintest.Login(t, env.ts.URL, "hoa", "")
	status, body := getPage(t, hoa, env.ts.URL, "/entry?unit=CT-CU&period=2023")
	if status != http.StatusOK {
		t.Fatalf("GET /entry = %d:\n%.2000s", status, textOf(body))
	}
	_, row, ok := strings.Cut(body, `id="row-SOC-01"`)
	if !ok {
		t.Fatalf("the form has no row for SOC-01:\n%.3000s", textOf(body))
	}
	row, _, _ = strings.Cut(row, "</tr>")
	for _, want := range []string{"73,05", "Thực hiện", "74,00", `name="v.SOC-01"`, `name="t.SOC-01"`, `name="n.SOC-01"`} {
		if !strings.Contains(row, want) {
			t.Errorf("the SOC-01 row lacks %q:\n%s", want, textOf(row))
		}
	}
	if !strings.Contains(body, "Kỳ trước (2022)") {
		t.Errorf("the form does not name last period as people write it:\n%.2000s", textOf(body))
	}
	// A quarter lists only indicators reported at least quarterly: the
	// yearly SOC-01 is not on it.
	_, body = getPage(t, hoa, env.ts.URL, "/entry?unit=CT-CU&period=2023-Q2")
	if strings.Contains(body, `id="row-SOC-01"`) || !strings.Contains(body, "Quý II/2023") {
		t.Errorf("the Q2 form lists the yearly SOC-01 or does not say Quý II/2023:\n%.2000s", textOf(body))
	}
}

// Values typed in Vietnamese style become a batch like any upload: the
// preview → commit path, the web form recorded as its source, its file
// kept as a workbook with the numbers as numbers and the notes as text
// (never a formula), its audit events; an ambiguous or ill-written number
// is refused beside its field, in the user's language, the form kept,
// nothing stored.
func TestEntryFormMakesABatch(t *testing.T) {
	t.Parallel()
	env := newImportEnv(t, dashboard.Config{})
	base := env.ts.URL
	hoa := logintest.Login(t, base, "hoa", "")

	res := entryPost(t, hoa, base, "CT-CU", "2024", map[string]string{"SOC-01": "75,2", "ECO-06": "1,234.5"}, map[string]string{"SOC-01": "ghi chú giữ lại"})
	body := read(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a number in English style on the Vietnamese form = %d, want 422:\n%.2000s", res.StatusCode, textOf(body))
	}
	for _, want := range []string{"ECO-06: “1,234.5” không đúng cách viết số kiểu Việt Nam", `value="75,2"`, `value="ghi chú giữ lại"`, `aria-invalid="true"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the refused form lacks %q:\n%.3000s", want, textOf(body))
		}
	}
	if len(env.batches(t)) != 0 {
		t.Fatalf("a refused form made a batch")
	}

	loc := redirected(t, entryPost(t, hoa, base, "CT-CU", "2024", map[string]string{"ECO-06": "11.950", "SOC-01": "75,2"},
		map[string]string{"SOC-01": "=1+1"}), "/imports/batches/")
	id := batchOf(t, loc)
	b, err := env.db.Batch(context.Background(), id)
	if err != nil || b.State != indicators.Previewed || b.Profile != importers.EntrySource || b.CreatedBy != "hoa" || b.New != 2 {
		t.Fatalf("batch #%d = %+v %v, want previewed, from the web form, by hoa, 2 new", id, b, err)
	}
	_, page := getPage(t, hoa, base, loc)
	for _, want := range []string{"11.950", "75,2", importers.EntrySource} {
		if !strings.Contains(textOf(page), want) {
			t.Errorf("the preview lacks %q:\n%.3000s", want, textOf(page))
		}
	}
	redirected(t, logintest.Post(t, hoa, base, fmt.Sprintf("/imports/batches/%d/commit", id), url.Values{}),
		fmt.Sprintf("/imports/batches/%d?done=import.committed", id))
	for key, want := range map[string]float64{"ECO-06/CT-CU/2024/official": 11950, "SOC-01/CT-CU/2024/official": 75.2} {
		if v, ok := env.inForce(t, key); !ok || v != want {
			t.Errorf("%s = %v %v after the commit, want %v", key, v, ok, want)
		}
	}
	// The kept file: what an auditor downloads.
	res, err = hoa.Get(fmt.Sprintf("%s/imports/batches/%d/file", base, id))
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(read(t, res))))
	if err != nil {
		t.Fatalf("the kept file is not a workbook: %v", err)
	}
	defer f.Close()
	rows, _ := f.GetRows(importers.EntrySheet)
	var soc []string
	for _, r := range rows {
		if len(r) > 0 && r[0] == "SOC-01" {
			soc = r
		}
	}
	if len(soc) < 7 || soc[5] != "75.2" || soc[6] != "=1+1" {
		t.Fatalf("SOC-01's row in the kept file = %q, want the value 75.2 and the note as written", soc)
	}
	for i, r := range rows {
		if len(r) > 6 && r[0] == "SOC-01" {
			if formula, _ := f.GetCellFormula(importers.EntrySheet, fmt.Sprintf("G%d", i+1)); formula != "" {
				t.Errorf("the note became a formula: %q", formula)
			}
		}
	}
	for _, action := range []string{"batch.preview", "batch.commit"} {
		evs, err := env.db.AuditEvents(context.Background(), indicators.AuditFilter{Action: action, Object: fmt.Sprintf("batch:%d", id)})
		if err != nil || len(evs) != 1 || evs[0].User != "hoa" {
			t.Errorf("%s events of batch #%d = %+v %v, want one by hoa", action, id, evs, err)
		}
	}
	// "7.5" is not 75 on the Vietnamese form: the dot groups thousands.
	res = entryPost(t, hoa, base, "CT-CU", "2024", map[string]string{"SOC-01": "7.5"}, nil)
	if body := read(t, res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "SOC-01: “7.5” không đúng cách viết số kiểu Việt Nam") {
		t.Errorf("7.5 on the Vietnamese form = %d:\n%.2000s", res.StatusCode, textOf(body))
	}
	// The same in English, where numbers are written the English way.
	res = logintest.Post(t, hoa, base, "/entry?lang=en", url.Values{"unit": {"CT-CU"}, "period": {"2024"}, "v.ECO-06": {"1.234,5"}, "t.ECO-06": {"official"}})
	if body := read(t, res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "ECO-06: “1.234,5” is not a number in English style") {
		t.Errorf("the English refusal = %d:\n%.2000s", res.StatusCode, textOf(body))
	}
}

// A planner of district 916 only gets no form for the city, and a value
// posted for it anyway is refused whole; the district's own form works.
func TestEntryFormKeepsToTheScope(t *testing.T) {
	t.Parallel()
	env := newImportEnv(t, dashboard.Config{})
	base := env.ts.URL
	lan := logintest.Login(t, base, "lan", "")
	_, body := getPage(t, lan, base, "/entry?unit=CT-CU&period=2024")
	if strings.Contains(body, `id="entry-form"`) || strings.Contains(body, `value="CT-CU"`) {
		t.Errorf("a planner of 916 is offered the city's form:\n%.2000s", textOf(body))
	}
	res := entryPost(t, lan, base, "CT-CU", "2024", map[string]string{"SOC-01": "75"}, nil)
	body = read(t, res)
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "ngoài phạm vi được giao") {
		t.Errorf("a value for the city from a planner of 916 = %d, want 403 naming the scope:\n%.2000s", res.StatusCode, textOf(body))
	}
	if len(env.batches(t)) != 0 {
		t.Fatalf("an out-of-scope form made a batch")
	}
	// The import's own checks answer on the form: district 916 ceased
	// on 30 June 2025, so its values for 2026 are refused beside their
	// field, the form kept, nothing stored.
	res = entryPost(t, lan, base, "916", "2026", map[string]string{"SOC-01": "75,5"}, nil)
	body = read(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-SOC-01"`) ||
		!strings.Contains(textOf(body), "chỉ có đến ngày 30/06/2025") || !strings.Contains(body, `value="75,5"`) {
		t.Errorf("a value of a unit no longer in being = %d:\n%.3000s", res.StatusCode, textOf(body))
	}
	if len(env.batches(t)) != 0 {
		t.Fatalf("a refused form made a batch")
	}
	loc := redirected(t, entryPost(t, lan, base, "916", "2024", map[string]string{"SOC-01": "75"}, nil), "/imports/batches/")
	if b, err := env.db.Batch(context.Background(), batchOf(t, loc)); err != nil || b.Unit != "916" {
		t.Errorf("the district's batch = %+v %v", b, err)
	}
	env.noCopiesLeft(t)
}

// The plausibility checks run on what the form sends, as on an upload,
// with the thresholds of the settings: each case is listed on the preview
// with its reason, and the batch cannot be committed without a confirming
// note.
func TestEntryFormPlausibility(t *testing.T) {
	t.Parallel()
	env := newImportEnv(t, dashboard.Config{})
	base := env.ts.URL
	hoa := logintest.Login(t, base, "hoa", "")
	for _, tc := range []struct {
		name, period string
		values       map[string]string
		want         []string // on the preview
	}{
		// SOC-01 (urbanisation, %) of CT-CU: 69,66 (2019), 70, 73,05 (2022), 74 (2023).
		{"rate outside 0–100", "2024", map[string]string{"SOC-01": "-3"}, []string{"nằm ngoài khoảng 0–100 %"}},
		{"74 → 174", "2024", map[string]string{"SOC-01": "174"}, []string{"nằm ngoài khoảng 0–100 %", "74 → 174"}},
		// ECO-06 (budget revenue) of CT-CU, official: 11.191 (2018), 11.420 (2022).
		// 1.234.567 − 11.420 = 1.223.147, far beyond 3 × 229 and 108 times the last value.
		{"11.420 → 1.234.567", "2023", map[string]string{"ECO-06": "1.234.567"}, []string{"11.420 → 1.234.567"}},
		// 10 + 30 + 50 + 6 = 96, 4 points short of 100.
		{"shares", "2023", map[string]string{"ECO-10": "10", "ECO-11": "30", "ECO-12": "50", "ECO-13": "6"},
			[]string{"cộng lại được 96 %, không phải 100 % (± 0,5)"}},
		// 12.000 ÷ 11.420 − 1 = 5,08 %, 4,92 points from the 10 % typed.
		{"growth against levels", "2023", map[string]string{"ECO-06": "12.000", "ECO-06g": "10"},
			[]string{"tăng trưởng ECO-06g năm 2023 là 10 %", "tức 5,08 %"}},
	} {
		loc := redirected(t, entryPost(t, hoa, base, "CT-CU", tc.period, tc.values, nil), "/imports/batches/")
		id := batchOf(t, loc)
		_, page := getPage(t, hoa, base, loc)
		text := textOf(page)
		for _, want := range append(tc.want, "Cảnh báo về tính hợp lý", importers.EntrySheet+"!F") {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the preview lacks %q:\n%.3000s", tc.name, want, text)
			}
		}
		res := logintest.Post(t, hoa, base, fmt.Sprintf("/imports/batches/%d/commit", id), url.Values{})
		if body := textOf(read(t, res)); res.StatusCode < 400 || !strings.Contains(body, "tính hợp lý") {
			t.Errorf("%s: commit without confirming = %d, want refused:\n%.1500s", tc.name, res.StatusCode, body)
		}
		if b, err := env.db.Batch(context.Background(), id); err != nil || b.State != indicators.Previewed {
			t.Errorf("%s: batch after the refused commit = %+v %v", tc.name, b, err)
		}
	}
	// A warning confirmed with a note: committed, the note in the audit trail.
	loc := redirected(t, entryPost(t, hoa, base, "CT-CU", "2024", map[string]string{"SOC-01": "74,5"}, nil), "/imports/batches/")
	_, page := getPage(t, hoa, base, loc)
	if strings.Contains(page, "import-plausibility") {
		t.Errorf("74 → 74,5 is warned about:\n%.2000s", textOf(page))
	}
	loc = redirected(t, entryPost(t, hoa, base, "CT-CU", "2023", map[string]string{"ECO-06": "1.234.567"}, nil), "/imports/batches/")
	id := batchOf(t, loc)
	note := "Đã đối chiếu với Sở Tài chính"
	redirected(t, logintest.Post(t, hoa, base, fmt.Sprintf("/imports/batches/%d/commit", id),
		url.Values{"confirm_plausibility": {"1"}, "plausibility_note": {note}}), fmt.Sprintf("/imports/batches/%d?done=import.committed", id))
	evs, err := env.db.AuditEvents(context.Background(), indicators.AuditFilter{Action: "batch.commit", Object: fmt.Sprintf("batch:%d", id)})
	if err != nil || len(evs) != 1 || !strings.Contains(evs[0].After, note) {
		t.Errorf("the commit event of the confirmed batch = %+v %v, want the note", evs, err)
	}
}
