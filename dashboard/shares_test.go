package dashboard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"chitieu/dashboard/logintest"
	"chitieu/importers"
	"chitieu/indicators"
	"chitieu/indicators/sqlite"
)

const dh1 = "nq-dh-i-dbtp-2025-09-28" // the 1st Congress of the merged city: SOC-01 ≥ 50 % in 2026–2030

// threeCommunes adds three communes of the merged city and their shares of
// the DH1 urbanisation target (≥ 40, ≥ 30, ≥ 60 %), and the values of the
// first: 35 % in 2025, 42 % in 2026.
func threeCommunes(t *testing.T, db *sqlite.DB) {
	t.Helper()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "quantri", Role: indicators.Admin})
	from, _ := indicators.ParseDate("d", "2025-07-01")
	for _, u := range []indicators.Unit{{Code: "XA", NameVI: "Phường An Bình"}, {Code: "XB", NameVI: "Xã Long Phú"},
		{Code: "XC", NameVI: "Xã Long Phú 1"}} {
		u.Kind, u.Scope, u.ValidFrom = indicators.Commune, indicators.MergedCity, from
		if err := db.CreateUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	for unit, a := range map[string]float64{"XA": 40, "XB": 30, "XC": 60} {
		tg := indicators.Target{Plan: dh1, Indicator: "SOC-01", Period: indicators.YearRange{From: 2026, To: 2030},
			Scope: indicators.MergedCity, Unit: unit, Group: 2, TargetRevision: indicators.TargetRevision{
				Kind: indicators.LevelTarget, Bound: indicators.Bound{Op: indicators.OpAtLeast, A: a}, Text: fmt.Sprintf("đạt %g%%", a)}}
		if err := db.CreateTarget(ctx, &tg); err != nil {
			t.Fatal(err)
		}
	}
	var vs []indicators.Value
	for y, v := range map[int]float64{2025: 35, 2026: 42} {
		vs = append(vs, indicators.Value{Key: indicators.Key{Indicator: "SOC-01", Unit: "XA", Period: indicators.YearPeriod(y),
			Type: indicators.OfficialValue}, Value: v, Scope: indicators.MergedCity, Source: "test", EnteredAt: time.Now()})
	}
	if err := db.AddValues(ctx, vs); err != nil {
		t.Fatal(err)
	}
}

// longUpload is a long table of rows, as a planner uploads it.
func longUpload(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	all := append([][]any{{"Mã chỉ tiêu", "Đơn vị", "Kỳ", "Loại số liệu", "Giá trị"}}, rows...)
	for i, r := range all {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A city target with three communes' shares: the API gives the city
// target with the shares in league order (status, then achievement), the
// indicator page draws the league with a link to each unit, a commune's
// template lists its own share and no other, and its planner's overview
// lists it first.
func TestUnitSharesLeagueAPIPageTemplate(t *testing.T) {
	t.Parallel()
	ts, _, db := newServerDB(t)
	threeCommunes(t, db)
	logintest.AddUser(t, db, "lanh-dao", indicators.Leader, "", nil, nil)
	logintest.AddUser(t, db, "xa-b", indicators.Planner, "", []string{"XB"}, nil)
	leader := logintest.Login(t, ts.URL, "lanh-dao", "")
	res, err := leader.Get(ts.URL + "/api/v1/plans/" + dh1 + "/targets")
	if err != nil {
		t.Fatal(err)
	}
	var targets []struct {
		Indicator string `json:"indicator"`
		ForUnit   string `json:"for_unit"`
		Shares    []struct {
			Rank        int      `json:"rank"`
			Unit        string   `json:"unit"`
			Achievement *float64 `json:"achievement_percent"`
			Progress    struct {
				Status string `json:"status"`
			} `json:"progress"`
		} `json:"shares"`
	}
	if err := json.NewDecoder(res.Body).Decode(&targets); err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	found := false
	for _, tg := range targets {
		if tg.ForUnit != "" {
			t.Errorf("a unit's share is listed as a city target: %+v", tg)
		}
		if tg.Indicator != "SOC-01" {
			continue
		}
		found = true
		// XA: 42 % in 2026 already meets its ≥ 40: on track, 42/40 = 105 %.
		// XB and XC have no values: no data, by code.
		var got []string
		for _, sh := range tg.Shares {
			got = append(got, sh.Unit+":"+sh.Progress.Status)
		}
		if strings.Join(got, " ") != "XA:on_track XB:no_data XC:no_data" || tg.Shares[0].Achievement == nil ||
			*tg.Shares[0].Achievement != 105 || tg.Shares[0].Rank != 1 || tg.Shares[2].Rank != 3 {
			t.Errorf("shares = %+v; want XA on track at 105 %%, then XB and XC without data", tg.Shares)
		}
	}
	if !found {
		t.Fatal("no SOC-01 target in the DH1 answer")
	}

	_, page := getPage(t, leader, ts.URL, "/indicators/SOC-01?plan="+dh1)
	for _, want := range []string{`class="league"`, `data-unit="XA"`, `indicator=SOC-01`, `#unit-XA"`, "Xã Long Phú 1"} {
		if !strings.Contains(page, want) {
			t.Errorf("the indicator page lacks %q", want)
		}
	}

	planner := logintest.Login(t, ts.URL, "xa-b", "")
	_, over := getPage(t, planner, ts.URL, "/?plan="+dh1+"&period=2026-2030")
	if i, j := strings.Index(over, `id="my-shares"`), strings.Index(over, `id="h-headline"`); i < 0 || j >= 0 && j < i ||
		!strings.Contains(over, "hạng 2/3") {
		t.Errorf("the planner's overview does not list their commune's share first (my-shares at %d, headline at %d)", i, j)
	}

	var buf bytes.Buffer
	if _, err := importers.WriteTemplate(context.Background(), db, importers.TemplateRequest{Plan: dh1,
		Period: indicators.YearRange{From: 2026, To: 2030}, Unit: "XB"}, &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(f.GetSheetList()[0])
	var soc string
	for _, r := range rows {
		if len(r) > 3 && r[0] == "SOC-01" {
			soc = r[3]
		}
	}
	if !strings.Contains(soc, "Phần giao cho đơn vị: đạt 30%") || strings.Contains(soc, "40%") || strings.Contains(soc, "60%") {
		t.Errorf("the commune's template shows SOC-01 targets %q; want its own share and no other commune's", soc)
	}
}

// The API's target answer carries a relative target's base year and an
// about-bound's own tolerance, and names the unit of a share.
func TestAPITargetBaseYearToleranceAndUnit(t *testing.T) {
	t.Parallel()
	ts, _, db := newServerDB(t)
	threeCommunes(t, db)
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "quantri", Role: indicators.Admin})
	rel := indicators.Target{Plan: dh1, Indicator: "SOC-04", Period: indicators.YearRange{From: 2031, To: 2035},
		Scope: indicators.MergedCity, Group: 6, TargetRevision: indicators.TargetRevision{Kind: indicators.RelativeTarget,
			Bound: indicators.Bound{Op: indicators.OpAtMost, A: 0.7}, BaseYear: 2030, Text: "giảm 30% so với năm 2030"}}
	about := indicators.Target{Plan: dh1, Indicator: "SOC-04", Period: indicators.YearRange{From: 2036, To: 2040},
		Scope: indicators.MergedCity, Unit: "XA", Group: 6, TargetRevision: indicators.TargetRevision{Kind: indicators.LevelTarget,
			Bound: indicators.Bound{Op: indicators.OpAbout, A: 0.5}, Tolerance: 0.1, Text: "khoảng 0,5%"}}
	for _, tg := range []*indicators.Target{&rel, &about} {
		if err := db.CreateTarget(ctx, tg); err != nil {
			t.Fatal(err)
		}
	}
	logintest.AddUser(t, db, "lanh-dao", indicators.Leader, "", nil, nil)
	c := logintest.Login(t, ts.URL, "lanh-dao", "")
	_, body := getPage(t, c, ts.URL, "/api/v1/indicators/SOC-04")
	var got struct {
		Targets []struct {
			Period    string  `json:"period"`
			BaseYear  int     `json:"base_year"`
			Tolerance float64 `json:"tolerance"`
			ForUnit   string  `json:"for_unit"`
			Kind      string  `json:"kind"`
		} `json:"targets"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("%v: %.500s", err, body)
	}
	seen := 0
	for _, tg := range got.Targets {
		switch tg.Period {
		case "2031-2035":
			seen++
			if tg.Kind != "relative" || tg.BaseYear != 2030 || tg.ForUnit != "" {
				t.Errorf("relative target = %+v", tg)
			}
		case "2036-2040":
			seen++
			if tg.Tolerance != 0.1 || tg.ForUnit != "XA" {
				t.Errorf("share with its tolerance = %+v", tg)
			}
		}
	}
	if seen != 2 {
		t.Errorf("found %d of the two targets in %.1000s", seen, body)
	}
}
