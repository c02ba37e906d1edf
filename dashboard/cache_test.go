package dashboard_test

import (
	"context"
	"strings"
	"testing"

	"chitieu/dashboard"
	"chitieu/indicators"
)

// Pages are cached by the store's data version: a write shows on the next
// request, with no stale page in between, when requests wait for the page
// to be recomputed (as they do while that takes less than StaleAfter).
func TestWritesShowAtOnce(t *testing.T) {
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
