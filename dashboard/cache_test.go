package dashboard_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"chitieu/dashboard"
	"chitieu/indicators"
)

// Pages are cached by the store's data version: a write shows on the next
// request, with no stale page in between, when requests wait for the page
// to be recomputed (as they do while that takes less than StaleAfter).
func TestWritesShowAtOnce(t *testing.T) {
	t.Parallel()
	ts, _, db := newServerDB(t, func(c *dashboard.Config) { c.StaleAfter = -1 })
	path := ts.URL + "/indicators/SOC-02"
	_, before := get(t, nil, path, 200)
	_, again := get(t, nil, path, 200)
	if strings.Contains(before, "Biểu 07") || strings.Contains(again, "Biểu 07") {
		t.Fatal("the value is there before it was written")
	}
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "minh"})
	k := indicators.Key{Indicator: "SOC-02", Unit: "CT-CU", Period: indicators.YearPeriod(2024), Type: indicators.OfficialValue}
	if err := db.AddValues(ctx, []indicators.Value{{Key: k, Value: 18.2, Source: "test", Sheet: "Biểu 07", Cell: "E4"}}); err != nil {
		t.Fatal(err)
	}
	_, after := get(t, nil, path, 200)
	if !strings.Contains(after, "Biểu 07!E4") || !strings.Contains(after, "minh") {
		t.Errorf("the page does not show the value written after it was cached")
	}
	// The overview's verdicts move too: SOC-02 had one year, now two.
	_, overview := get(t, nil, ts.URL+"/groups/5?period=2021-2025", 200)
	if !strings.Contains(overview, "18,2") {
		t.Errorf("the task group page does not show the new latest value 18,2")
	}
}

// An indicator reported every month for years, and revised again and
// again, still makes a page of bounded size: the table lists the latest
// periods, at most 20 values of one key, and says how many values only
// the download holds.
func TestIndicatorPageBoundsItsValueTable(t *testing.T) {
	t.Parallel()
	ts, _, db := newServerDB(t)
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "minh"})
	k := indicators.Key{Indicator: "SOC-02", Unit: "CT-CU", Period: indicators.YearPeriod(2024), Type: indicators.OfficialValue}
	for i := 1; i <= 30; i++ { // 30 versions of one key, each superseding the one before
		if err := db.AddValues(ctx, []indicators.Value{{Key: k, Value: 5000 + float64(i), Source: "test"}}); err != nil {
			t.Fatal(err)
		}
	}
	var monthly []indicators.Value
	for m := 0; m < 300; m++ { // January 2000 to December 2024
		p, err := indicators.ParsePeriod(fmt.Sprintf("%04d-%02d", 2000+m/12, m%12+1))
		if err != nil {
			t.Fatal(err)
		}
		monthly = append(monthly, indicators.Value{Key: indicators.Key{Indicator: "SOC-02", Unit: "CT-CU", Period: p,
			Type: indicators.OfficialValue}, Value: float64(m), Source: "test"})
	}
	if err := db.AddValues(ctx, monthly); err != nil {
		t.Fatal(err)
	}
	all, err := db.Values(ctx, indicators.ValueFilter{Indicator: "SOC-02", UnitKind: indicators.City})
	if err != nil {
		t.Fatal(err)
	}

	_, page := get(t, nil, ts.URL+"/indicators/SOC-02", 200)
	rows := strings.Count(page, `id="value-`)
	if rows < 300 || rows >= 320 {
		t.Errorf("the table lists %d values, want 300 to 319 (whole keys up to 300)", rows)
	}
	// Of the key revised 30 times, the 20 newest versions are listed.
	if !strings.Contains(page, ">5.030</td>") || !strings.Contains(page, ">5.011</td>") || strings.Contains(page, ">5.010</td>") {
		t.Errorf("the revised key should list its versions 5.030 down to 5.011 and no older one")
	}
	omitted := indicators.FormatNumber(float64(len(all)-rows), 0, "vi")
	if !strings.Contains(page, `id="values-omitted"`) || !strings.Contains(page, omitted+" số liệu khác") {
		t.Errorf("the page does not say that %s of the %d values are in the download only", omitted, len(all))
	}
}
