package dashboard_test

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"chitieu/indicators"
)

func getJSON(t *testing.T, url string, status int, into any) {
	t.Helper()
	res, err := clientFor(t, url).Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != status {
		t.Fatalf("GET %s = %d %s, want %d", url, res.StatusCode, body, status)
	}
	if err := json.Unmarshal(body, into); err != nil {
		t.Fatalf("GET %s: %v in %s", url, err, body)
	}
}

func TestPlansCarryCodeAndDate(t *testing.T) {
	t.Parallel()
	ts, _ := newServer(t)
	var plans []map[string]any
	getJSON(t, ts.URL+"/api/v1/plans", 200, &plans)
	found := map[string]string{}
	for _, p := range plans {
		code, _ := p["code"].(string)
		issued, _ := p["issued"].(string)
		found[code] = issued
		if id, _ := p["id"].(string); id == "" || strings.ContainsAny(id, "/ ") {
			t.Errorf("plan %v has id %q, want a URL-safe one", code, id)
		}
	}
	if found["59-NQ/TW"] != "2020-08-05" || found["98/NQ-CP"] != "2021-08-30" {
		t.Errorf("plans = %v, want 59-NQ/TW of 2020-08-05 and 98/NQ-CP of 2021-08-30", found)
	}
}

type targetOut struct {
	Indicator string `json:"indicator"`
	Plan      string `json:"plan"`
	Period    string `json:"period"`
	Kind      string `json:"kind"`
	Scope     string `json:"scope"`
	Source    string `json:"source"`
	Bound     struct {
		Op string   `json:"op"`
		A  *float64 `json:"a"`
		B  *float64 `json:"b"`
	} `json:"bound"`
	Progress struct {
		Status        string   `json:"status"`
		SoFar         *float64 `json:"so_far"`
		Required      *float64 `json:"required"`
		ExplanationVI string   `json:"explanation_vi"`
		ExplanationEN string   `json:"explanation_en"`
	} `json:"progress"`
}

// The 98/NQ-CP GRDP target for 2021–2025 is off track: 5.53 % so far,
// 15.74 % required, because the only 2025 value is the merged city's.
func TestGRDPTargetOffTrackByTheScopeRule(t *testing.T) {
	t.Parallel()
	ts, _ := newServer(t)
	var targets []targetOut
	getJSON(t, ts.URL+"/api/v1/plans/98-nq-cp-2021-08-30/targets?period=2021-2025", 200, &targets)
	var grdp *targetOut
	for i := range targets {
		if targets[i].Indicator == "ECO-01" {
			grdp = &targets[i]
		}
		if targets[i].Period != "2021-2025" || targets[i].Source == "" || targets[i].Scope == "" || targets[i].Kind == "" {
			t.Errorf("target %+v lacks its period, kind, scope or source", targets[i])
		}
	}
	if grdp == nil {
		t.Fatalf("no ECO-01 target among %d", len(targets))
	}
	p := grdp.Progress
	if grdp.Kind != "avg_growth" || grdp.Bound.Op != "range" || *grdp.Bound.A != 7.5 || *grdp.Bound.B != 8 || grdp.Scope != "old_city" {
		t.Errorf("GRDP target = %+v", grdp)
	}
	if p.Status != "off_track" || p.SoFar == nil || p.Required == nil ||
		fmtf(*p.SoFar) != "5.53" || fmtf(*p.Required) != "15.74" {
		t.Errorf("GRDP progress = %+v, want off_track with 5.53 so far and 15.74 required", p)
	}
	if !strings.Contains(p.ExplanationVI, "2025") || !strings.Contains(strings.ToLower(p.ExplanationEN), "merged") {
		t.Errorf("explanation does not say the 2025 value is the merged city's:\nvi: %s\nen: %s", p.ExplanationVI, p.ExplanationEN)
	}
}

func fmtf(x float64) string { return indicators.FormatNumber(x, 2, "en") }

func TestBadParametersAndUnknownCodes(t *testing.T) {
	t.Parallel()
	ts, _ := newServer(t)
	for _, tc := range []struct {
		path, field string
		status      int
	}{
		{"/api/v1/plans/98-nq-cp-2021-08-30/targets?asof=31-12-2025", "asof", 400},
		{"/api/v1/plans/98-nq-cp-2021-08-30/targets?period=2025", "", 200},
		{"/api/v1/plans/98-nq-cp-2021-08-30/targets?period=20x1-2025", "period", 400},
		{"/api/v1/plans/98-nq-cp-2021-08-30/groups?asof=yesterday", "asof", 400},
		{"/api/v1/plans/nope", "plan", 404},
		{"/api/v1/plans/59-NQ%2FTW/targets", "", 200}, // a code carried by one plan finds it
		{"/api/v1/indicators/XYZ-99", "indicator", 404},
		{"/api/v1/indicators/ECO-01?asof=2025-02-30", "asof", 400},
	} {
		var body struct {
			Error struct {
				Code    string `json:"code"`
				Field   string `json:"field"`
				Message string `json:"message"`
			} `json:"error"`
		}
		if tc.status == 200 {
			var any []any
			getJSON(t, ts.URL+tc.path, 200, &any)
			continue
		}
		getJSON(t, ts.URL+tc.path, tc.status, &body)
		if body.Error.Field != tc.field || body.Error.Message == "" {
			t.Errorf("GET %s error = %+v, want field %q and a message", tc.path, body.Error, tc.field)
		}
	}
}

func TestIndicatorValuesKeepSupersededWithProvenance(t *testing.T) {
	t.Parallel()
	ts, db := newServer(t)
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "hoa"})
	k := indicators.Key{Indicator: "SOC-02", Unit: "CT-CU", Period: indicators.YearPeriod(2020), Type: indicators.OfficialValue}
	if err := db.AddValues(ctx, []indicators.Value{{Key: k, Value: 16.9, Source: "test", Sheet: "Biểu 05", Cell: "D9"}}); err != nil {
		t.Fatal(err)
	}
	var ind struct {
		Values []struct {
			Period     string  `json:"period"`
			Value      float64 `json:"value"`
			Superseded bool    `json:"superseded"`
			Source     string  `json:"source"`
			Sheet      string  `json:"sheet"`
			Cell       string  `json:"cell"`
			EnteredBy  string  `json:"entered_by"`
		} `json:"values"`
	}
	getJSON(t, ts.URL+"/api/v1/indicators/SOC-02", 200, &ind)
	var old, cur int
	for _, v := range ind.Values {
		if v.Period != "2020" {
			continue
		}
		switch {
		case v.Value == 16.7 && v.Superseded && v.Source != "" && v.EnteredBy == "catalog":
			old++
		case v.Value == 16.9 && !v.Superseded && v.Sheet == "Biểu 05" && v.Cell == "D9" && v.EnteredBy == "hoa":
			cur++
		}
	}
	if old != 1 || cur != 1 {
		t.Errorf("2020 values = %+v, want 16.7 superseded (catalogue) and 16.9 current (Biểu 05!D9 by hoa)", ind.Values)
	}
}
