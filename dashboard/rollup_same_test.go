package dashboard_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"chitieu/indicators"
)

// rollFigures are the counts and score of a roll-up as one of the three
// places shows them.
type rollFigures struct {
	counts  map[string]int
	total   int
	restsOn int
	score   int // percent, rounded; −1 when none is shown
}

func (r rollFigures) String() string {
	return fmt.Sprintf("%d items, %d on data, counts %v, score %d", r.total, r.restsOn, r.counts, r.score)
}

func (r rollFigures) equal(o rollFigures) bool {
	if r.total != o.total || r.restsOn != o.restsOn || r.score != o.score {
		return false
	}
	for _, st := range indicators.Statuses {
		if r.counts[string(st)] != o.counts[string(st)] {
			return false
		}
	}
	return true
}

var (
	overviewTotal  = regexp.MustCompile(`(?s)Toàn bộ chỉ tiêu và nhiệm vụ</h2>(.*?)</div>`)
	overviewCount  = regexp.MustCompile(`<span class="dot seg-([a-z_]+)"></span>[^<]*<b>(\d+)</b>`)
	overviewRests  = regexp.MustCompile(`dựa trên (\d+)/(\d+)`)
	overviewScore  = regexp.MustCompile(`<b>(\d+)</b>/100`)
	reportTotalRow = "Tổng cộng"
)

// TestOneRollUpEverywhere: for every plan and period of the catalogue, the
// overview's counts and score, the API's roll-up and the progress report's
// cover are the same figures.
func TestOneRollUpEverywhere(t *testing.T) {
	t.Parallel()
	env := newReportEnv(t, nil)
	ctx := context.Background()
	plans, err := env.db.Plans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	asof := reportNow.In(indicators.Vietnam).Format(indicators.DateLayout)
	periods := []string{"2021-2025", "2026-2030", "2021-2030"}
	compared := 0
	for _, p := range plans {
		for _, period := range periods {
			q := url.Values{"plan": {p.ID}, "period": {period}, "asof": {asof}}
			api := apiRoll(t, env, p.ID, period, asof)
			page := overviewRoll(t, env, q)
			cover := coverRoll(t, env, q)
			if !api.equal(page) || !api.equal(cover) {
				t.Errorf("%s %s:\n API      %s\n overview %s\n report   %s", p.Code, period, api, page, cover)
			}
			if api.total > 0 {
				compared++
			}
		}
	}
	if compared < 3 {
		t.Errorf("only %d plan periods had items; the catalogue should give more", compared)
	}
}

func apiRoll(t *testing.T, env *reportEnv, plan, period, asof string) rollFigures {
	t.Helper()
	res, body := env.download(t, indicators.Leader, "/api/v1/plans/"+url.PathEscape(plan)+"/groups?period="+period+"&asof="+asof)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("API groups of %s: %d %.300s", plan, res.StatusCode, body)
	}
	var out struct {
		RollUp struct {
			Counts  map[string]int `json:"counts"`
			Total   int            `json:"total"`
			RestsOn int            `json:"rests_on"`
			Score   *float64       `json:"score"`
		} `json:"rollup"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	r := rollFigures{counts: out.RollUp.Counts, total: out.RollUp.Total, restsOn: out.RollUp.RestsOn, score: -1}
	if out.RollUp.Score != nil {
		r.score = int(math.Round(100 * *out.RollUp.Score))
	}
	return r
}

func overviewRoll(t *testing.T, env *reportEnv, q url.Values) rollFigures {
	t.Helper()
	res, body := env.download(t, indicators.Leader, "/?"+q.Encode())
	if res.StatusCode != http.StatusOK {
		t.Fatalf("overview %s: %d", q.Encode(), res.StatusCode)
	}
	m := overviewTotal.FindSubmatch(body)
	if m == nil {
		t.Fatalf("overview %s: no total card", q.Encode())
	}
	card := string(m[1])
	r := rollFigures{counts: map[string]int{}, score: -1}
	for _, c := range overviewCount.FindAllStringSubmatch(card, -1) {
		n, _ := strconv.Atoi(c[2])
		r.counts[c[1]] = n
	}
	if rs := overviewRests.FindStringSubmatch(card); rs != nil {
		r.restsOn, _ = strconv.Atoi(rs[1])
		r.total, _ = strconv.Atoi(rs[2])
	}
	if sc := overviewScore.FindStringSubmatch(card); sc != nil {
		r.score, _ = strconv.Atoi(sc[1])
	}
	return r
}

func coverRoll(t *testing.T, env *reportEnv, q url.Values) rollFigures {
	t.Helper()
	f, _ := env.workbook(t, indicators.Auditor, "/reports/progress?"+q.Encode())
	rows := rowsOf(t, f, "Bìa")
	for i, row := range rows {
		if len(row) == 0 || strings.TrimSpace(row[0]) != reportTotalRow {
			continue
		}
		// The header row above: group, items, one column per status, score.
		r := rollFigures{counts: map[string]int{}, score: -1}
		r.total, _ = strconv.Atoi(cellAt(row, 2))
		for j, st := range indicators.Statuses {
			r.counts[string(st)], _ = strconv.Atoi(cellAt(row, 3+j))
		}
		r.restsOn = r.total - r.counts[string(indicators.NoData)]
		if s := cellAt(row, 3+len(indicators.Statuses)); s != "" {
			x, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("cover row %d: score %q", i+1, s)
			}
			r.score = int(math.Round(x))
		}
		return r
	}
	t.Fatalf("report %s: no %q row on the cover", q.Encode(), reportTotalRow)
	return rollFigures{}
}
