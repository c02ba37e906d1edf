package dashboard_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"chitieu/indicators"
	"chitieu/indicators/sqlite"
)

// TestYearVerdictShown: a year's plan value (KH) and its official figure
// give the administrative verdict computed by the engine, the same on the
// indicator page, the task group page and in the API. ECO-03 2024: official
// 104,6 against a plan of 100 → vượt; 2023: official 94,12 (which beats the
// estimates) against 96 → không đạt.
func TestYearVerdictShown(t *testing.T) {
	t.Parallel()
	env := newReportEnv(t, func(ctx context.Context, db *sqlite.DB) {
		plan := func(y int, v float64) indicators.Value {
			return indicators.Value{Key: indicators.Key{Indicator: "ECO-03", Unit: "CT-CU", Period: indicators.YearPeriod(y), Type: indicators.PlanValue},
				Value: v, Source: "Kế hoạch năm", Sheet: "KH", Cell: "C4"}
		}
		if err := db.AddValues(ctx, []indicators.Value{plan(2024, 100), plan(2023, 96)}); err != nil {
			t.Fatal(err)
		}
	})
	q := "?plan=" + url.QueryEscape("59-NQ/TW") + "&period=2021-2025&lang=vi"
	for _, path := range []string{"/indicators/ECO-03" + q, "/groups/0" + q} {
		res, body := env.download(t, indicators.Leader, path)
		page := string(body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", path, res.StatusCode)
		}
		for _, want := range []string{"So với kế hoạch năm", "2024: vượt (TH 104,6 / KH 100)", "2023: không đạt (TH 94,12 / KH 96)"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s does not show %q", path, want)
			}
		}
	}

	var targets []struct {
		Indicator string `json:"indicator"`
		Period    string `json:"period"`
		Plan      string `json:"plan_code"`
		Progress  struct {
			YearVerdicts []struct {
				Year    int      `json:"year"`
				Plan    float64  `json:"plan"`
				Actual  *float64 `json:"actual"`
				Verdict string   `json:"verdict"`
				Label   string   `json:"verdict_vi"`
			} `json:"year_verdicts"`
		} `json:"progress"`
	}
	res, body := env.download(t, indicators.Leader, "/api/v1/plans/"+url.PathEscape("59-NQ/TW")+"/targets?period=2021-2025")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("API targets = %d", res.StatusCode)
	}
	if err := json.Unmarshal(body, &targets); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, tg := range targets {
		if tg.Indicator != "ECO-03" {
			continue
		}
		found = true
		got := map[int]string{}
		for _, yv := range tg.Progress.YearVerdicts {
			got[yv.Year] = yv.Verdict + " " + yv.Label
		}
		if got[2024] != "vuot vượt" || got[2023] != "khong_dat không đạt" {
			t.Errorf("API %s ECO-03 %s verdicts %v, want 2024 vượt and 2023 không đạt", tg.Plan, tg.Period, got)
		}
	}
	if !found {
		t.Fatal("the API lists no ECO-03 target for 2021–2025")
	}
}
