package catalog

import (
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
)

func load(t *testing.T) *indicators.Catalog {
	t.Helper()
	c, err := Builtin()
	if err != nil {
		t.Fatalf("Builtin: %v", err)
	}
	return c
}

func planIDs(t *testing.T) map[string]string {
	t.Helper()
	ids, err := PlanIDs()
	if err != nil {
		t.Fatalf("PlanIDs: %v", err)
	}
	return ids
}

func day(s string) time.Time {
	d, err := indicators.ParseDate("test", s)
	if err != nil {
		panic(err)
	}
	return d
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestCounts(t *testing.T) {
	c := load(t)
	if got := len(c.Plans); got < 13 {
		t.Errorf("plans: got %d, want at least 13", got)
	}
	ids := planIDs(t)
	for _, key := range []string{"R59", "R98", "DH14", "CT25", "KH22", "QH1519", "DH1", "DHUB", "NQ274",
		"QD3108", "QD3109", "KH32", "QHADJ", "GN2125", "CHK"} {
		if ids[key] == "" {
			t.Errorf("plan %s is missing", key)
		}
	}

	numbers := map[int]bool{}
	for _, g := range c.Groups {
		if g.Plan == ids["R59"] {
			numbers[g.Number] = true
		}
	}
	if len(numbers) != 11 {
		t.Errorf("task groups of R59: got %d, want 11", len(numbers))
	}
	for n := 0; n <= 10; n++ {
		if !numbers[n] {
			t.Errorf("task group %d of R59 is missing", n)
		}
	}

	kinds := map[indicators.UnitKind]int{}
	for _, u := range c.Units {
		kinds[u.Kind]++
	}
	if kinds[indicators.City] != 2 || kinds[indicators.District] != 9 || kinds[indicators.Agency] != 13 {
		t.Errorf("units: got %d cities, %d districts, %d agencies; want 2, 9, 13",
			kinds[indicators.City], kinds[indicators.District], kinds[indicators.Agency])
	}
	// 2 cities, 9 districts, 13 agencies and the 103 communes and wards.
	if got := len(c.Units); got != 127 {
		t.Errorf("units: got %d, want 127", got)
	}
	// b1 4 + b2 21 + b3 27 + b4 37 rows, one target per plan, and the one
	// b5 row not quantified as a figure (ECO-06 2025, 20% above the estimate).
	if got := len(c.Targets); got != 90 {
		t.Errorf("targets: got %d, want 90", got)
	}
	if len(c.Tasks) == 0 || len(c.Indicators) == 0 || len(c.Values) == 0 {
		t.Errorf("tasks %d, indicators %d, values %d: none may be empty", len(c.Tasks), len(c.Indicators), len(c.Values))
	}
}

func TestPlans(t *testing.T) {
	c := load(t)
	ids := planIDs(t)
	byID := map[string]indicators.Plan{}
	for i, p := range c.Plans {
		if _, dup := byID[p.ID]; dup {
			t.Errorf("plan ID %s appears twice", p.ID)
		}
		byID[p.ID] = p
		if p.Order != i+1 {
			t.Errorf("plan %s: order %d, want %d", p.ID, p.Order, i+1)
		}
		if want := indicators.PlanID(p.Code, p.Issued); p.ID != want {
			t.Errorf("plan %s: ID is not PlanID(code, issued) = %s", p.ID, want)
		}
		if p.Parent != "" {
			if _, ok := byID[p.Parent]; !ok {
				t.Errorf("plan %s: parent %s is not an earlier plan", p.ID, p.Parent)
			}
		}
		if p.Issued.IsZero() && p.IssuedNote == "" {
			t.Errorf("plan %s: no date and no note saying so", p.ID)
		}
		if p.Source == "" {
			t.Errorf("plan %s: no source", p.ID)
		}
	}
	r59 := byID[ids["R59"]]
	if r59.ID != "59-nq-tw-2020-08-05" || r59.Code != "59-NQ/TW" || !r59.Issued.Equal(day("2020-08-05")) ||
		r59.Scope != indicators.OldCity || r59.HorizonFrom != 2021 || r59.HorizonTo != 2045 || r59.Parent != "" {
		t.Errorf("R59: got %+v", r59)
	}
	r98 := byID[ids["R98"]]
	if r98.Code != "98/NQ-CP" || !r98.Issued.Equal(day("2021-08-30")) || r98.Parent != r59.ID {
		t.Errorf("R98: got %+v", r98)
	}
	for key, want := range map[string]indicators.Scope{
		"R59": indicators.OldCity, "R98": indicators.OldCity, "DH14": indicators.OldCity, "CT25": indicators.OldCity,
		"KH22": indicators.OldCity, "QH1519": indicators.OldCity, "GN2125": indicators.OldCity, "CHK": indicators.OldCity,
		"DH1": indicators.MergedCity, "DHUB": indicators.MergedCity, "NQ274": indicators.MergedCity,
		"QD3108": indicators.MergedCity, "QD3109": indicators.MergedCity, "KH32": indicators.MergedCity,
		"QHADJ": indicators.MergedCity,
	} {
		if got := byID[ids[key]].Scope; got != want {
			t.Errorf("plan %s: scope %q, want %q", key, got, want)
		}
	}
	for key, date := range map[string]string{"DH14": "2020-09-25", "CT25": "2022-02-28", "KH22": "2022-08-19",
		"QH1519": "2023-12-02", "DH1": "2025-09-28", "DHUB": "2025-08-15", "NQ274": "2025-12-10",
		"QD3108": "2025-12-18", "QD3109": "2025-12-18", "KH32": "2026-01-22", "QHADJ": "2025-12-30"} {
		if p := byID[ids[key]]; !p.Issued.Equal(day(date)) {
			t.Errorf("plan %s: issued %s, want %s", key, p.Issued.Format(indicators.DateLayout), date)
		}
	}
	for _, key := range []string{"CT25", "KH22", "GN2125", "CHK"} {
		if byID[ids[key]].IssuedNote == "" {
			t.Errorf("plan %s: the date is not the act's own, but there is no note", key)
		}
	}
	for _, key := range []string{"GN2125", "CHK"} {
		if !byID[ids[key]].Issued.IsZero() {
			t.Errorf("plan %s: the sources give no date, but one is set", key)
		}
	}
}

func TestUnits(t *testing.T) {
	c := load(t)
	units := map[string]indicators.Unit{}
	for _, u := range c.Units {
		units[u.Code] = u
	}
	old, merged := units["CT-CU"], units["CT"]
	if old.Kind != indicators.City || old.Scope != indicators.OldCity ||
		!old.ValidFrom.Equal(day("2004-01-01")) || !old.ValidTo.Equal(day("2025-06-30")) {
		t.Errorf("CT-CU: got %+v", old)
	}
	if merged.Kind != indicators.City || merged.Scope != indicators.MergedCity ||
		!merged.ValidFrom.Equal(day("2025-07-01")) || !merged.ValidTo.IsZero() {
		t.Errorf("CT: got %+v", merged)
	}
	districts := map[string]string{"916": "quận", "917": "quận", "918": "quận", "919": "quận", "923": "quận",
		"924": "huyện", "925": "huyện", "926": "huyện", "927": "huyện"}
	for code, typ := range districts {
		u, ok := units[code]
		if !ok {
			t.Errorf("district %s is missing", code)
			continue
		}
		if u.Kind != indicators.District || u.Type != typ || u.Parent != "CT-CU" || u.Scope != indicators.OldCity ||
			!u.ValidTo.Equal(day("2025-06-30")) || !u.ValidFrom.IsZero() {
			t.Errorf("district %s: got %+v", code, u)
		}
	}
	for _, code := range []string{"STC", "TK", "SYT", "SGDDT", "SNV", "SNNMT", "SXD", "SCT", "SVHTTDL", "SKHCN",
		"SDTTG", "SNGV", "BQL-KCN"} {
		if u := units[code]; u.Kind != indicators.Agency || u.NameVI == "" || u.NameEN == "" {
			t.Errorf("agency %s: got %+v", code, u)
		}
	}
	for _, u := range c.Units {
		if u.Parent != "" && units[u.Parent].Code == "" {
			t.Errorf("unit %s: parent %s does not exist", u.Code, u.Parent)
		}
	}
}

func TestR98GrowthTarget(t *testing.T) {
	c := load(t)
	ids := planIDs(t)
	var found []indicators.Target
	for _, tg := range c.Targets {
		if tg.Plan == ids["R98"] && tg.Indicator == "ECO-01" && tg.Period == (indicators.YearRange{From: 2021, To: 2025}) {
			found = append(found, tg)
		}
	}
	if len(found) != 1 {
		t.Fatalf("R98 ECO-01 2021–2025: got %d targets, want 1", len(found))
	}
	tg := found[0]
	if tg.Kind != indicators.AvgGrowthTarget {
		t.Errorf("kind: got %q, want avg_growth", tg.Kind)
	}
	if tg.Bound != (indicators.Bound{Op: indicators.OpRange, A: 7.5, B: 8}) {
		t.Errorf("bound: got %+v, want range [7.5, 8]", tg.Bound)
	}
	if tg.Scope != indicators.OldCity {
		t.Errorf("scope: got %q, want old_city", tg.Scope)
	}
	if !strings.Contains(" "+tg.Source+" ", " S08 ") {
		t.Errorf("source: got %q, want S08", tg.Source)
	}
	if tg.Act != "98/NQ-CP" || !tg.ActDate.Equal(day("2021-08-30")) || !tg.Effective.Equal(day("2021-08-30")) ||
		tg.EnteredBy != EnteredBy || tg.Seq != 0 || tg.Group != 0 || tg.Text != "7,5–8%/năm" {
		t.Errorf("revision: got %+v", tg.TargetRevision)
	}
	// The XIV Congress sets the same figure: a target of its own.
	n := 0
	for _, tg := range c.Targets {
		if tg.Indicator == "ECO-01" && tg.Period == (indicators.YearRange{From: 2021, To: 2025}) {
			n++
		}
	}
	if n != 2 {
		t.Errorf("ECO-01 2021–2025 targets: got %d, want 2 (R98 and DH14)", n)
	}
}

// findTarget returns the one target of the plan key, indicator and period.
func findTarget(t *testing.T, c *indicators.Catalog, planKey, ind, period string) indicators.Target {
	t.Helper()
	ids := planIDs(t)
	r, err := indicators.ParseYearRange("period", period)
	if err != nil {
		t.Fatal(err)
	}
	var found []indicators.Target
	for _, tg := range c.Targets {
		if tg.Plan == ids[planKey] && tg.Indicator == ind && tg.Period == r {
			found = append(found, tg)
		}
	}
	if len(found) != 1 {
		t.Fatalf("target %s/%s/%s: got %d, want 1", planKey, ind, period, len(found))
	}
	return found[0]
}

func TestTargetKindsAndBounds(t *testing.T) {
	c := load(t)
	cases := []struct {
		plan, ind, period string
		kind              indicators.Kind
		bound             indicators.Bound
		dir               indicators.Direction
	}{
		{"DH14", "ECO-07", "2021-2025", indicators.AverageTarget, indicators.Bound{Op: indicators.OpRange, A: 12, B: 14}, ""},
		{"DH14", "ECO-06", "2021-2025", indicators.AnnualTarget, indicators.Bound{}, ""},
		{"R98", "ECO-06", "2021-2025", indicators.AnnualTarget, indicators.Bound{}, ""},
		{"DH14", "ECO-09", "2021-2025", indicators.AnnualTarget, indicators.Bound{Op: indicators.OpRange, A: 11, B: 15}, ""},
		{"DH14", "ECO-08", "2021-2025", indicators.LevelTarget, indicators.Bound{Op: indicators.OpAtLeast, A: 297.18}, ""},
		{"DH14", "SOC-04", "2021-2025", indicators.LevelTarget, indicators.Bound{Op: indicators.OpBelow, A: 0.5}, ""},
		{"DH14", "ECO-12", "2021-2025", indicators.LevelTarget, indicators.Bound{Op: indicators.OpRange, A: 54.1, B: 54.75}, ""},
		{"QH1519", "ECO-12+13", "2021-2030", indicators.LevelTarget, indicators.Bound{Op: indicators.OpAbout, A: 58.2}, ""},
		{"QH1519", "SOC-09g", "2021-2030", indicators.AvgGrowthTarget, indicators.Bound{Op: indicators.OpAbout, A: 0.67}, ""},
		{"CT25", "SOC-05", "2021-2030", indicators.LevelTarget, indicators.Bound{Op: indicators.OpRange, A: 85, B: 90}, ""},
		{"CT25", "SOC-18", "2026-2030", indicators.CumulativeTarget, indicators.Bound{Op: indicators.OpAtLeast, A: 277000}, ""},
		{"CT25", "SOC-19", "2021-2025", indicators.LevelTarget, indicators.Bound{Op: indicators.OpAtMost, A: 4}, ""},
		{"GN2125", "SOC-04", "2021-2025", indicators.LevelTarget, indicators.Bound{Op: indicators.OpAtMost, A: 0.15}, ""},
		{"CHK", "INF-01", "2021-2030", indicators.LevelTarget, indicators.Bound{Op: indicators.OpAtLeast, A: 7}, ""},
		{"CHK", "INF-01", "2031-2050", indicators.LevelTarget, indicators.Bound{Op: indicators.OpAtLeast, A: 12}, ""},
		{"KH22", "ECO-02", "2026-2030", indicators.LevelTarget, indicators.Bound{Op: indicators.OpRange, A: 9400, B: 11000}, ""},
		{"DH1", "ECO-01", "2026-2030", indicators.AvgGrowthTarget, indicators.Bound{Op: indicators.OpAtLeast, A: 10}, ""},
		{"DH1", "ECO-16", "2026-2030", indicators.LevelTarget, indicators.Bound{Op: indicators.OpAtLeast, A: 717000}, ""},
		{"DH1", "ECO-03", "2026-2030", indicators.LevelTarget, indicators.Bound{Op: indicators.OpAbout, A: 215}, ""},
		{"DH1", "ECO-06", "2026-2030", indicators.LevelTarget, indicators.Bound{Op: indicators.OpAtLeast, A: 57000}, ""},
		{"QHADJ", "ECO-06", "2026-2030", indicators.LevelTarget, indicators.Bound{Op: indicators.OpAbout, A: 57000}, ""},
		{"DH1", "ECO-05", "2026-2030", indicators.LevelTarget, indicators.Bound{Op: indicators.OpAtLeast, A: 286000}, ""},
		{"DH1", "ECO-17", "2026-2030", indicators.LevelTarget, indicators.Bound{Op: indicators.OpAtLeast, A: 8200}, ""},
		{"DH1", "ECO-10", "2026-2030", indicators.LevelTarget, indicators.Bound{Op: indicators.OpBelow, A: 16}, indicators.Down},
		{"DH1", "ECO-11", "2026-2030", indicators.LevelTarget, indicators.Bound{Op: indicators.OpAbove, A: 35}, indicators.Up},
		{"DH1", "ECO-21", "2026-2030", indicators.LevelTarget, indicators.Bound{Op: indicators.OpAtMost, A: 15}, ""},
		{"DH1", "ECO-20", "2026-2030", indicators.AnnualTarget, indicators.Bound{Op: indicators.OpAtLeast, A: 100}, ""},
		{"DH1", "SOC-09", "2026-2030", indicators.LevelTarget, indicators.Bound{Op: indicators.OpAbout, A: 3300000}, ""},
		{"DH1", "SOC-01", "2026-2030", indicators.LevelTarget, indicators.Bound{Op: indicators.OpAtLeast, A: 50}, ""},
		{"DHUB", "SOC-01", "2026-2030", indicators.LevelTarget, indicators.Bound{Op: indicators.OpRange, A: 50, B: 55}, ""},
		{"QHADJ", "SOC-01", "2026-2030", indicators.LevelTarget, indicators.Bound{Op: indicators.OpAtLeast, A: 50}, ""},
		{"NQ274", "ECO-01", "2026-2030", indicators.AvgGrowthTarget, indicators.Bound{Op: indicators.OpAtLeast, A: 10}, ""},
	}
	for _, tc := range cases {
		tg := findTarget(t, c, tc.plan, tc.ind, tc.period)
		if tg.Kind != tc.kind || tg.Bound != tc.bound || tg.Direction != tc.dir {
			t.Errorf("%s/%s/%s: got %s %+v %q, want %s %+v %q", tc.plan, tc.ind, tc.period,
				tg.Kind, tg.Bound, tg.Direction, tc.kind, tc.bound, tc.dir)
		}
	}
	// ECO-21 is a rank: lower is better, so the target needs no override.
	for _, ind := range c.Indicators {
		if ind.Code == "ECO-21" && ind.Direction != indicators.Down {
			t.Errorf("ECO-21: direction %q, want down", ind.Direction)
		}
	}
	// Only the plans named in a row carry its target: DHUB mirrors DH1 but
	// only where a source says so.
	ids := planIDs(t)
	for _, tg := range c.Targets {
		if tg.Plan == ids["DHUB"] {
			switch tg.Indicator {
			case "ECO-01", "ECO-03", "ECO-06g", "SOC-01":
			default:
				t.Errorf("DHUB has a target for %s, which no source gives", tg.Indicator)
			}
		}
		if tg.Plan == ids["R59"] || tg.Plan == ids["QD3108"] || tg.Plan == ids["QD3109"] || tg.Plan == ids["KH32"] {
			t.Errorf("plan %s has a target for %s, but no figure of it was found", tg.Plan, tg.Indicator)
		}
	}
}

func TestTargetsConsistent(t *testing.T) {
	c := load(t)
	plans := map[string]indicators.Plan{}
	for _, p := range c.Plans {
		plans[p.ID] = p
	}
	inds := map[string]bool{}
	for _, ind := range c.Indicators {
		inds[ind.Code] = true
	}
	groups := map[int]bool{}
	for _, g := range c.Groups {
		groups[g.Number] = true
	}
	seen := map[string]bool{}
	for _, tg := range c.Targets {
		key := tg.Plan + "/" + tg.Indicator + "/" + tg.Period.String() + "/" + string(tg.Scope)
		p, ok := plans[tg.Plan]
		switch {
		case !ok:
			t.Errorf("target %s: plan does not exist", key)
		case !inds[tg.Indicator]:
			t.Errorf("target %s: indicator does not exist", key)
		case !groups[tg.Group]:
			t.Errorf("target %s: group %d does not exist", key, tg.Group)
		case seen[key]:
			t.Errorf("target %s: listed twice", key)
		case strings.TrimSpace(tg.Source) == "":
			t.Errorf("target %s: no source", key)
		case strings.TrimSpace(tg.Text) == "":
			t.Errorf("target %s: no text", key)
		case tg.Scope != p.Scope:
			t.Errorf("target %s: scope %q differs from its plan's %q", key, tg.Scope, p.Scope)
		case tg.Act != p.Code || !tg.ActDate.Equal(p.Issued) || !tg.Effective.Equal(p.Issued):
			t.Errorf("target %s: act %q of %v, want the plan's %q of %v", key, tg.Act, tg.ActDate, p.Code, p.Issued)
		case tg.EnteredBy != EnteredBy:
			t.Errorf("target %s: entered by %q", key, tg.EnteredBy)
		case tg.Scope == indicators.MergedCity && tg.Period.From < 2025:
			// The merged city exists from 1 July 2025; the statistics office
			// reports the whole of 2025 for its territory.
			t.Errorf("target %s: a merged-city target cannot start before 2025", key)
		case tg.Period.To > p.HorizonTo:
			t.Errorf("target %s: ends after its plan's horizon %d", key, p.HorizonTo)
		}
		seen[key] = true
		if err := tg.Validate(); err != nil {
			t.Errorf("target %s: %v", key, err)
		}
	}
}

// current returns the value of each key that a store would hold as current
// after loading the catalogue's values in order.
func current(c *indicators.Catalog) map[indicators.Key]indicators.Value {
	vs := make([]indicators.Value, len(c.Values))
	copy(vs, c.Values)
	for i := range vs {
		vs[i].ID = int64(i + 1)
	}
	out := map[indicators.Key]indicators.Value{}
	for _, v := range indicators.Current(vs, time.Now()) {
		out[v.Key] = v
	}
	return out
}

func key(ind, unit, period string, typ indicators.ValueType) indicators.Key {
	p, err := indicators.ParsePeriod(period)
	if err != nil {
		panic(err)
	}
	return indicators.Key{Indicator: ind, Unit: unit, Period: p, Type: typ}
}

func TestGRDPGrowthValues(t *testing.T) {
	c := load(t)
	cur := current(c)
	for year, want := range map[string]float64{"2021": -2.79, "2022": 12.64, "2023": 5.75, "2024": 7.12} {
		v, ok := cur[key("ECO-01", "CT-CU", year, indicators.OfficialValue)]
		if !ok || !near(v.Value, want) || v.Scope != indicators.OldCity {
			t.Errorf("ECO-01 CT-CU %s official: got %v %s (found %v), want %v old_city", year, v.Value, v.Scope, ok, want)
		}
	}
	off, ok := cur[key("ECO-01", "CT", "2025", indicators.OfficialValue)]
	if !ok || !near(off.Value, 7.23) || off.Scope != indicators.MergedCity {
		t.Errorf("ECO-01 CT 2025 official: got %v %s (found %v), want 7.23 merged_city", off.Value, off.Scope, ok)
	}
	est, ok := cur[key("ECO-01", "CT", "2025", indicators.EstimateValue)]
	if !ok || !near(est.Value, 8.3) || est.Scope != indicators.MergedCity {
		t.Errorf("ECO-01 CT 2025 estimate: got %v %s (found %v), want 8.3 merged_city", est.Value, est.Scope, ok)
	}
	if _, ok := cur[key("ECO-01", "CT-CU", "2025", indicators.OfficialValue)]; ok {
		t.Error("ECO-01: the old city has no full-year 2025 figure, but one is stored")
	}
	// Sub-annual figures keep their period.
	for period, want := range map[string]float64{"2024-Q1": 4.8, "2024-Q4": 8.87, "2022-H1": 8.04, "2025-Q1": 7.15, "2020-H1": 1.43} {
		if v := cur[key("ECO-01", "CT-CU", period, indicators.OfficialValue)]; !near(v.Value, want) {
			t.Errorf("ECO-01 CT-CU %s: got %v, want %v", period, v.Value, want)
		}
	}
	if v := cur[key("ECO-01", "CT", "2026-01", indicators.EstimateValue)]; !near(v.Value, 7.2) || !strings.Contains(v.Note, "hơn") {
		t.Errorf("ECO-01 CT 2026-01: got %v %q, want 7.2 estimate noting \"hơn\"", v.Value, v.Note)
	}
	// Nine months, period averages and derived cells are not values.
	for _, v := range c.Values {
		if v.Indicator == "ECO-01" && v.Period.Kind == indicators.Month && v.Period.Year < 2026 {
			t.Errorf("ECO-01: unexpected monthly value %s", v.Key)
		}
	}
}

func TestPlanValues(t *testing.T) {
	c := load(t)
	cur := current(c)
	check := func(ind, unit, period string, want float64, high *float64) {
		t.Helper()
		v, ok := cur[key(ind, unit, period, indicators.PlanValue)]
		switch {
		case !ok:
			t.Errorf("plan value %s %s %s is missing", ind, unit, period)
		case !near(v.Value, want):
			t.Errorf("plan value %s %s %s: got %v, want %v", ind, unit, period, v.Value, want)
		case (high == nil) != (v.High == nil) || (high != nil && !near(*high, *v.High)):
			t.Errorf("plan value %s %s %s: high %v, want %v", ind, unit, period, v.High, high)
		}
	}
	eight, tenHalf := 8.0, 10.5
	check("ECO-01", "CT-CU", "2020", 7.82, nil)
	check("ECO-01", "CT-CU", "2024", 7.5, &eight)
	check("ECO-01", "CT-CU", "2025", 9.5, nil)
	check("ECO-01", "CT", "2025", 10, nil)
	check("ECO-01", "CT", "2026", 10, &tenHalf)
	check("ECO-04", "CT", "2025", 15, nil)
	check("SOC-04", "CT", "2025", 0.63, nil)
	check("SOC-04", "CT-CU", "2023", 0.32, nil)
	check("RUR-02", "CT-CU", "2025", 10, nil)
	check("SOC-14a", "CT", "2025", 99.5, nil)
	// Figures that are not in the indicator's unit are skipped.
	for _, v := range c.Values {
		if v.Type != indicators.PlanValue {
			continue
		}
		if v.Indicator == "ECO-06" {
			t.Errorf("ECO-06 plan value %s: \"at least 20%% above the estimate\" is not in tỷ đồng", v.Key)
		}
		if v.Indicator == "ECO-20" && v.Period.Year == 2026 {
			t.Errorf("ECO-20 plan value %s: 19,200 bn VND allocated is not a disbursement rate", v.Key)
		}
	}
}

func TestNotFoundCells(t *testing.T) {
	c := load(t)
	for _, v := range c.Values {
		y := v.Period.Year
		switch {
		case v.Indicator == "ECO-02" && y >= 2021:
			t.Errorf("%s: no GRDP per capita in USD was found after 2020", v.Key)
		case v.Indicator == "SOC-02" && y > 2020:
			t.Errorf("%s: no doctors per 10,000 figure was found after 2020", v.Key)
		case v.Indicator == "ECO-03" && (y == 2021 || y == 2022 || y == 2019):
			t.Errorf("%s: that cell is derived or not found", v.Key)
		case v.Indicator == "SOC-04" && (y == 2019 || y == 2020 || y == 2021):
			t.Errorf("%s: that cell is derived or not found", v.Key)
		case v.Indicator == "ECO-05" && (y == 2020 || y == 2024):
			t.Errorf("%s: 2016–2020 is a period total and 2024 an eight-month figure", v.Key)
		case v.Indicator == "ECO-12+13":
			t.Errorf("%s: the sum of two shares would be derived", v.Key)
		case (v.Indicator == "ECO-10" || v.Indicator == "ECO-11") && y == 2022:
			t.Errorf("%s: the 2022 structure is derived", v.Key)
		case v.Indicator == "SOC-03" && y != 2023:
			t.Errorf("%s: beds per 10,000 were found for 2023 only", v.Key)
		case v.Indicator == "ECO-06" && y == 2024:
			t.Errorf("%s: 2024 budget revenue was not found (only a part-year figure)", v.Key)
		}
	}
}

func TestPreferredValueIsLast(t *testing.T) {
	c := load(t)
	cur := current(c)
	cases := []struct {
		k    indicators.Key
		want float64
	}{
		// Poverty 2023: 0.21 (UBND chairman) is official, 0.32 an estimate.
		{key("SOC-04", "CT-CU", "2023", indicators.OfficialValue), 0.21},
		{key("SOC-04", "CT-CU", "2023", indicators.EstimateValue), 0.32},
		{key("ECO-03", "CT", "2025", indicators.OfficialValue), 94.94},
		{key("ECO-03", "CT-CU", "2023", indicators.OfficialValue), 94.12},
		// ECO-03 2020: 97.2 is the fact sheet's figure (section d), 94.45 its
		// weak alternative.
		{key("ECO-03", "CT-CU", "2020", indicators.OfficialValue), 97.2},
		{key("ECO-03", "CT-CU", "2020", indicators.EstimateValue), 94.45},
		{key("ECO-16", "CT-CU", "2023", indicators.OfficialValue), 119377},
		{key("ECO-16", "CT-CU", "2023", indicators.EstimateValue), 118870},
		{key("SOC-18", "CT-CU", "2021", indicators.OfficialValue), 43498},
		{key("SOC-09", "CT", "2025", indicators.OfficialValue), 3207000},
	}
	for _, tc := range cases {
		v, ok := cur[tc.k]
		if !ok || !near(v.Value, tc.want) {
			t.Errorf("%s: current is %v (found %v), want %v", tc.k, v.Value, ok, tc.want)
		}
	}
	// Both conflicting 2023 poverty figures are kept.
	n := 0
	for _, v := range c.Values {
		if v.Key.Indicator == "SOC-04" && v.Unit == "CT-CU" && v.Period.Year == 2023 && v.Type != indicators.PlanValue {
			n++
		}
	}
	if n != 2 {
		t.Errorf("SOC-04 CT-CU 2023: got %d reported values, want 2 (0.21 and 0.32)", n)
	}
}

func TestValuesConsistent(t *testing.T) {
	c := load(t)
	units := map[string]indicators.Unit{}
	for _, u := range c.Units {
		units[u.Code] = u
	}
	inds := map[string]bool{}
	for _, ind := range c.Indicators {
		inds[ind.Code] = true
	}
	for _, v := range c.Values {
		u, ok := units[v.Unit]
		switch {
		case !inds[v.Indicator]:
			t.Errorf("%s: indicator does not exist", v.Key)
		case !ok:
			t.Errorf("%s: unit does not exist", v.Key)
		case u.Kind != indicators.City:
			t.Errorf("%s: the catalogue holds city figures only, unit is a %s", v.Key, u.Kind)
		case v.Scope != u.Scope:
			t.Errorf("%s: scope %q differs from its unit's %q", v.Key, v.Scope, u.Scope)
		case strings.TrimSpace(v.Source) == "":
			t.Errorf("%s: no source", v.Key)
		case v.EnteredBy != EnteredBy:
			t.Errorf("%s: entered by %q", v.Key, v.EnteredBy)
		case v.Scope == indicators.MergedCity && v.Period.Year < 2025:
			t.Errorf("%s: the merged city has no figures before 2025", v.Key)
		case v.Scope == indicators.OldCity && v.Period.Year > 2025:
			t.Errorf("%s: the old city has no figures after 2025", v.Key)
		case v.Period.Year < 2018:
			t.Errorf("%s: the sheet starts in 2018", v.Key)
		}
		if err := v.Validate(); err != nil {
			t.Errorf("%s: %v", v.Key, err)
		}
		if strings.Contains(strings.ToLower(v.Note), "hơn") && v.Type == indicators.OfficialValue {
			t.Errorf("%s: a \"more than\" figure must be an estimate", v.Key)
		}
	}
}

var sourceCode = regexp.MustCompile(`^S([0-9]{2,3})$`)

// TestSourceCodes checks every source code names an entry of the sheet's
// source key, S01–S131.
func TestSourceCodes(t *testing.T) {
	c := load(t)
	check := func(what, src string) {
		t.Helper()
		for _, code := range strings.Fields(src) {
			m := sourceCode.FindStringSubmatch(code)
			if m == nil {
				t.Errorf("%s: %q is not a source code", what, code)
				continue
			}
			if n, _ := strconv.Atoi(m[1]); n < 1 || n > 131 {
				t.Errorf("%s: source %s is not in the key", what, code)
			}
		}
	}
	for _, p := range c.Plans {
		check("plan "+p.ID, p.Source)
	}
	for _, tk := range c.Tasks {
		if tk.Source == "" {
			t.Errorf("task %s: no source", tk.Code)
		}
		check("task "+tk.Code, tk.Source)
	}
	for _, u := range c.Units {
		check("unit "+u.Code, u.Source)
	}
	for _, tg := range c.Targets {
		check("target "+tg.Plan+"/"+tg.Indicator, tg.Source)
	}
	for _, v := range c.Values {
		check("value "+v.Key.String(), v.Source)
	}
}

func TestIndicators(t *testing.T) {
	c := load(t)
	byCode := map[string]indicators.Indicator{}
	for _, ind := range c.Indicators {
		byCode[ind.Code] = ind
	}
	units := map[string]indicators.Unit{}
	for _, u := range c.Units {
		units[u.Code] = u
	}
	used := map[string]bool{}
	for _, tg := range c.Targets {
		used[tg.Indicator] = true
	}
	for _, v := range c.Values {
		used[v.Indicator] = true
	}
	for _, ind := range c.Indicators {
		if !used[ind.Code] {
			t.Errorf("indicator %s: no target or value uses it", ind.Code)
		}
		if ind.WeightBy != "" && byCode[ind.WeightBy].Code == "" {
			t.Errorf("indicator %s: weight %s does not exist", ind.Code, ind.WeightBy)
		}
		if ind.LeadAgency != "" && units[ind.LeadAgency].Kind != indicators.Agency {
			t.Errorf("indicator %s: lead agency %s is not an agency", ind.Code, ind.LeadAgency)
		}
		if ind.UnitEN == "" || ind.NameEN == "" {
			t.Errorf("indicator %s: English name or unit missing", ind.Code)
		}
	}
	for _, code := range []string{"ECO-01", "ECO-04", "ECO-09", "ECO-19", "ECO-06g", "SOC-09g"} {
		if byCode[code].Measure != indicators.GrowthRate {
			t.Errorf("%s: measure %q, want growth_rate", code, byCode[code].Measure)
		}
	}
	for _, code := range []string{"ECO-10", "ECO-11", "ECO-12", "ECO-13", "ECO-12+13"} {
		if ind := byCode[code]; ind.Measure != indicators.Share || ind.Direction != indicators.Within || ind.WeightBy != "ECO-16" {
			t.Errorf("%s: got %s/%s weighted by %q, want share/within weighted by ECO-16", code, ind.Measure, ind.Direction, ind.WeightBy)
		}
	}
	for code, unit := range map[string]string{"ECO-06": "tỷ đồng", "ECO-16": "tỷ đồng", "ECO-05": "tỷ đồng",
		"ECO-17": "triệu USD", "SOC-09": "người", "SOC-02": "bác sĩ/vạn dân", "ECO-03": "triệu đồng/người"} {
		if byCode[code].Unit != unit {
			t.Errorf("%s: unit %q, want %q", code, byCode[code].Unit, unit)
		}
	}
	if ind := byCode["SOC-04"]; ind.Direction != indicators.Down || ind.NoteVI == "" || ind.NoteEN == "" {
		t.Errorf("SOC-04: want direction down and a note on the series break, got %+v", ind)
	}
	if byCode["ECO-05"].NoteVI == "" {
		t.Error("ECO-05: the change of investment basis needs a note")
	}
}

func TestTasks(t *testing.T) {
	c := load(t)
	ids := planIDs(t)
	units := map[string]indicators.Unit{}
	for _, u := range c.Units {
		units[u.Code] = u
	}
	groups := map[int]bool{}
	for _, g := range c.Groups {
		if g.Plan == ids["R59"] {
			groups[g.Number] = true
		}
	}
	tasks := map[string]indicators.Task{}
	codePattern := regexp.MustCompile(`^G([0-9]{1,2})-T[0-9]{2}$`)
	for _, tk := range c.Tasks {
		m := codePattern.FindStringSubmatch(tk.Code)
		switch {
		case m == nil:
			t.Errorf("task %s: code is not of the form G3-T01", tk.Code)
		case m[1] != strconv.Itoa(tk.Group):
			t.Errorf("task %s: in group %d", tk.Code, tk.Group)
		case tk.Plan != ids["R59"] || !groups[tk.Group]:
			t.Errorf("task %s: plan %s group %d", tk.Code, tk.Plan, tk.Group)
		case tk.LeadAgency != "" && units[tk.LeadAgency].Kind != indicators.Agency:
			t.Errorf("task %s: lead agency %q is not an agency", tk.Code, tk.LeadAgency)
		case tk.StatusNote == "" || tk.Source == "":
			t.Errorf("task %s: status note or source missing", tk.Code)
		}
		if _, dup := tasks[tk.Code]; dup {
			t.Errorf("task %s: listed twice", tk.Code)
		}
		tasks[tk.Code] = tk
		if err := tk.Validate(); err != nil {
			t.Errorf("task %s: %v", tk.Code, err)
		}
	}
	expressway := tasks["G3-T01"]
	if !expressway.Start.Equal(day("2023-01-01")) || !expressway.Deadline.Equal(day("2025-12-19")) || !expressway.Done.IsZero() {
		t.Errorf("G3-T01 Cần Thơ–Cà Mau: got start %v deadline %v done %v", expressway.Start, expressway.Deadline, expressway.Done)
	}
	if tk := tasks["G3-T03"]; !tk.Deadline.Equal(day("2023-12-31")) || !tk.Done.IsZero() {
		t.Errorf("G3-T03 Mỹ Thuận–Cần Thơ: the actual opening was not found, got %+v", tk)
	}
	if tk := tasks["G3-T09"]; !tk.Deadline.Equal(day("2028-12-31")) {
		t.Errorf("G3-T09 resilience project: deadline %v, want 2028-12-31", tk.Deadline)
	}
	for code, done := range map[string]string{"G1-T01": "2020-09-08", "G2-T01": "2023-12-02", "G2-T02": "2025-12-30",
		"G6-T02": "2025-06-30", "G10-T01": "2025-07-01"} {
		if tk := tasks[code]; !tk.Done.Equal(day(done)) {
			t.Errorf("task %s: done %v, want %s", code, tk.Done, done)
		}
	}
}

// mutate parses the embedded file, lets change alter it and parses it again.
func mutate(t *testing.T, change func(f *file)) error {
	t.Helper()
	f, err := decode(resolution59)
	if err != nil {
		t.Fatal(err)
	}
	change(f)
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	_, err = parse(data)
	return err
}

func TestErrorsNameTheItem(t *testing.T) {
	cases := []struct {
		name   string
		change func(f *file)
		prefix string
	}{
		{"bad kind", func(f *file) { f.Targets[0].Kind = "bogus" }, "catalog: target R98/ECO-01/2021-2025: "},
		{"duplicate target", func(f *file) { f.Targets = append(f.Targets, f.Targets[0]) }, "catalog: target R98/ECO-01/2021-2025: "},
		{"unknown indicator", func(f *file) { f.Targets[0].Indicator = "ECO-99" }, "catalog: target R98/ECO-99/2021-2025: "},
		{"no source", func(f *file) { f.Targets[0].Source = "" }, "catalog: target R98/ECO-01/2021-2025: "},
		{"wrong scope", func(f *file) { f.Values[0].Scope = "merged_city" }, "catalog: value ECO-01/CT-CU/2018/estimate: "},
		{"unknown unit", func(f *file) { f.Values[0].Unit = "XX" }, "catalog: value ECO-01/XX/2018/estimate: "},
		{"range on official", func(f *file) { h := 9.0; f.Values[0].High = &h }, "catalog: value ECO-01/CT-CU/2018/estimate: "},
		{"bad weight", func(f *file) { f.Indicators[0].Rollup = "weighted_mean"; f.Indicators[0].WeightBy = "" }, "catalog: indicator ECO-01: "},
		{"bad plan", func(f *file) { f.Plans[1].TitleVI = "" }, "catalog: plan R98: "},
		{"bad agency", func(f *file) { f.Tasks[0].LeadAgency = "916" }, "catalog: task G1-T01: "},
		{"unknown field", func(f *file) {}, ""},
	}
	for _, tc := range cases {
		err := mutate(t, tc.change)
		if tc.prefix == "" {
			if err != nil {
				t.Errorf("%s: round trip failed: %v", tc.name, err)
			}
			continue
		}
		if err == nil || !strings.HasPrefix(err.Error(), tc.prefix) {
			t.Errorf("%s: got error %v, want one starting %q", tc.name, err, tc.prefix)
		}
	}
	if _, err := parse([]byte(`{"plans": [], "surprise": 1}`)); err == nil {
		t.Error("an unknown field in the file must be an error")
	}
}

func TestBuiltinReturnsFreshCopies(t *testing.T) {
	a, b := load(t), load(t)
	a.Values[0].Value = -1
	a.Plans[0].Code = "changed"
	if b.Values[0].Value == -1 || b.Plans[0].Code == "changed" {
		t.Error("Builtin shares state between calls")
	}
}
