package catalog

import (
	"strings"
	"testing"

	"chitieu/indicators"
)

// Each correction of the catalogue against the fact sheet
// (shared/reference/resolution59.md), with the line it rests on.
func TestCorrectionsAgainstTheFactSheet(t *testing.T) {
	c := load(t)
	ids := planIDs(t)
	cur := current(c)

	// Section d, GRDP per capita 2020: 97.2 [S43 S44] is the figure, 94.45
	// [S42, weak] the alternative. Official beats estimate, so 97.2 counts.
	if v := cur[key("ECO-03", "CT-CU", "2020", indicators.OfficialValue)]; !near(v.Value, 97.2) {
		t.Errorf("ECO-03 2020 official = %v, want 97.2", v.Value)
	}
	if v := cur[key("ECO-03", "CT-CU", "2020", indicators.EstimateValue)]; !near(v.Value, 94.45) || v.Source != "S42" {
		t.Errorf("ECO-03 2020 estimate = %v (%s), want the weak alternative 94.45 (S42)", v.Value, v.Source)
	}

	// Quarterly figures, 2025: H1 +7.87 % [S88] covers January–June 2025,
	// before the merged city existed: it is the old city's.
	for _, v := range c.Values {
		if v.Indicator == "ECO-01" && v.Period.String() == "2025-H1" && (v.Unit != "CT-CU" || v.Scope != indicators.OldCity) {
			t.Errorf("ECO-01 2025-H1 is stored on %s/%s, want the old city CT-CU", v.Unit, v.Scope)
		}
		// No value of the merged city for a period that ends before 1 July
		// 2025: the first half, its quarters and months.
		lastMonth := map[indicators.PeriodKind]int{indicators.Half: 6, indicators.Quarter: 3, indicators.Month: 1}[v.Period.Kind] * v.Period.N
		if v.Scope == indicators.MergedCity && v.Period.Year == 2025 && !v.Period.IsYear() && lastMonth <= 6 {
			t.Errorf("%s: a merged-city value for a period before the merger", v.Key)
		}
	}

	// Section d, GRDP at current prices 2023: one official value (119,377
	// [S55]); 119,271 [S120] was said in December 2023, before the year closed.
	n := 0
	for _, v := range c.Values {
		if v.Indicator == "ECO-16" && v.Unit == "CT-CU" && v.Period.String() == "2023" && v.Type == indicators.OfficialValue {
			n++
		}
	}
	if v := cur[key("ECO-16", "CT-CU", "2023", indicators.OfficialValue)]; n != 1 || !near(v.Value, 119377) {
		t.Errorf("ECO-16 2023: %d official values, current %v; want one, 119377", n, v.Value)
	}

	// Section d, new-rural communes: 36 and 11 are the first quarter of 2025
	// [S59], not the year.
	for _, ind := range []string{"RUR-01", "RUR-02"} {
		if _, ok := cur[key(ind, "CT-CU", "2025-Q1", indicators.OfficialValue)]; !ok {
			t.Errorf("%s: no official value for 2025-Q1", ind)
		}
		if _, ok := cur[key(ind, "CT-CU", "2025", indicators.OfficialValue)]; ok {
			t.Errorf("%s: an official value for the whole of 2025, which the source does not give", ind)
		}
	}

	// Section c, G5: accredited "in Dec 2025" [S102]; no day is invented.
	for _, task := range c.Tasks {
		if task.Code == "G5-T03" && (!task.Done.IsZero() || task.Percent == nil || *task.Percent != 100 ||
			!strings.Contains(task.StatusNote, "12/2025")) {
			t.Errorf("G5-T03: done %v, percent %v, note %q; want no day, 100 %% and December 2025 in the note",
				task.Done, task.Percent, task.StatusNote)
		}
	}

	// Table b3: the poverty programme and the airport plan make Resolution 59
	// concrete, so their targets are in its views.
	for _, p := range c.Plans {
		if (p.ID == ids["GN2125"] || p.ID == ids["CHK"]) && p.Parent != ids["R59"] {
			t.Errorf("plan %s: parent %q, want 59-NQ/TW", p.Code, p.Parent)
		}
	}

	// Tables b2–b4: "trên", "dưới" are strict; "không quá" is not.
	strict := 0
	for _, tg := range c.Targets {
		text := strings.ToLower(tg.Text)
		above, below := strings.HasPrefix(text, "trên "), strings.HasPrefix(text, "dưới ")
		switch {
		case above && tg.Bound.Op != indicators.OpAbove, below && tg.Bound.Op != indicators.OpBelow:
			t.Errorf("%s %s %q: bound %s, want strict", tg.Plan, tg.Indicator, tg.Text, tg.Bound.Op)
		case above || below:
			strict++
		case strings.HasPrefix(text, "không quá") && tg.Bound.Op != indicators.OpAtMost:
			t.Errorf("%s %s %q: bound %s, want <=", tg.Plan, tg.Indicator, tg.Text, tg.Bound.Op)
		}
	}
	if strict != 11 {
		t.Errorf("%d strict bounds, want the 11 of the fact sheet", strict)
	}

	// Table b5, SOC-13: more than 433,000 people (40 %), unemployment
	// insurance for more than 294,000 (100 % of those required) [S38].
	for k, want := range map[string]float64{"SOC-13": 40, "SOC-13a": 433000, "SOC-13b": 294000, "SOC-13c": 100} {
		if v, ok := cur[key(k, "CT", "2025", indicators.PlanValue)]; !ok || !near(v.Value, want) || v.Source != "S38" {
			t.Errorf("%s 2025 plan = %v (%v), want %v from S38", k, v.Value, ok, want)
		}
	}

	// Table b5: ECO-06 2025 "at least 20% above the estimate" [S36] and
	// ECO-20 2026 "more than 19,200 bn VND" [S63].
	found := false
	for _, tg := range c.Targets {
		if tg.Indicator == "ECO-06" && tg.Period.From == 2025 && tg.Period.To == 2025 {
			found = tg.Source == "S36" && tg.Bound.Op == indicators.OpNone && strings.Contains(tg.Text, "20%")
		}
	}
	if !found {
		t.Error("no ECO-06 target for 2025 of 20% above the estimate (S36)")
	}
	if v, ok := cur[key("ECO-20v", "CT", "2026", indicators.PlanValue)]; !ok || !near(v.Value, 19200) || v.Source != "S63" {
		t.Errorf("ECO-20v 2026 plan = %v (%v), want 19200 from S63", v.Value, ok)
	}

	// Register and tables b2, b4: the plans whose lists are not public in
	// full say so.
	for key, part := range map[string]string{"DH14": "Mục 10–20", "DH1": "28 chỉ tiêu", "NQ274": "Phụ lục",
		"QD3108": "Phụ lục", "QD3109": "Phụ lục", "KH32": "Nội dung"} {
		for _, p := range c.Plans {
			if p.ID == ids[key] && (!strings.Contains(p.Incomplete, part) || !strings.Contains(p.Incomplete, "chưa công bố đầy đủ") ||
				p.IncompleteEN == "") {
				t.Errorf("plan %s: incomplete %q / %q, want %q … chưa công bố đầy đủ", p.Code, p.Incomplete, p.IncompleteEN, part)
			}
		}
	}
}
