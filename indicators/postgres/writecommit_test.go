package postgres_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"chitieu/indicators"
	"chitieu/indicators/postgres"
	"chitieu/indicators/postgres/pgtest"
	"chitieu/indicators/storetest"
)

// TestWriteCommitPlannerScopeAndEvents commits chunks as planners: one
// outside their task groups is refused, naming the indicator, and stores
// nothing; one inside is stored with an event per value whose JSON names
// the value's ID, cell and number, in a chain that verifies. The task
// groups of a chunk are read in one query and the events built beside the
// values' COPY: this checks that neither changed what is written.
func TestWriteCommitPlannerScopeAndEvents(t *testing.T) {
	dir := t.TempDir()
	admin := indicators.WithActor(context.Background(), indicators.Actor{User: "root", Role: indicators.Admin})
	db, err := postgres.Open(admin, pgtest.Fresh(t), postgres.WithLogger(quiet),
		postgres.WithAuditKey(filepath.Join(dir, "chitieu.key")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.LoadCatalog(admin, storetest.SmallCatalog()); err != nil {
		t.Fatal(err)
	}
	var changes []indicators.Change
	for i := range 5 {
		high := float64(i) + 0.5
		c := indicators.Change{Kind: indicators.NewValue, Reading: indicators.Reading{Key: indicators.Key{Indicator: "ECO-01",
			Unit: "CT-CU", Period: indicators.Period{Year: 2010 + i}, Type: indicators.PlanValue},
			Value: float64(i) / 3, High: &high, Sheet: "Biểu <1>", Cell: "F" + strconv.Itoa(12+i)}}
		if i == 4 {
			c.Kind, c.OldID, c.Old = indicators.ChangedValue, 99, 1e-7
		}
		changes = append(changes, c)
	}
	stage := func(ctx context.Context) indicators.StagedBatch {
		b, err := db.BeginCommit(ctx, indicators.StagedBatch{Batch: indicators.Batch{FileName: "b.xlsx",
			SHA256: strings.Repeat("0", 64)}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	outside := indicators.WithActor(context.Background(), indicators.Actor{User: "lan", Role: indicators.Planner,
		Units: []string{"CT-CU"}, Groups: []int{5}})
	b := stage(outside)
	err = db.WriteCommit(outside, b, changes)
	if indicators.ErrorCode(err) != indicators.EFORBIDDEN || !strings.Contains(err.Error(), "ECO-01") {
		t.Fatalf("a chunk outside the planner's task groups: err = %v, want forbidden naming ECO-01", err)
	}
	if err := db.AbortCommit(outside, b.ID, "refused"); err != nil {
		t.Fatal(err)
	}

	inside := indicators.WithActor(context.Background(), indicators.Actor{User: "lan", Role: indicators.Planner,
		Units: []string{"CT-CU"}, Groups: []int{0}})
	b = stage(inside)
	if err := db.WriteCommit(inside, b, changes); err != nil {
		t.Fatalf("a chunk inside the planner's scope: %v", err)
	}
	b.New, b.Changed = 4, 1
	if _, err := db.FinishCommit(inside, b); err != nil {
		t.Fatal(err)
	}
	vals, err := db.Values(admin, indicators.ValueFilter{Indicator: "ECO-01"})
	if err != nil {
		t.Fatal(err)
	}
	byCell := map[string]indicators.Value{}
	for _, v := range vals {
		if v.Batch == b.ID {
			byCell[v.Cell] = v
		}
	}
	if len(byCell) != len(changes) {
		t.Fatalf("batch %d stored %d values, want %d", b.ID, len(byCell), len(changes))
	}
	evs, err := db.AuditEvents(admin, indicators.AuditFilter{Action: "value.add"})
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, ev := range evs {
		if ev.Batch != b.ID {
			continue
		}
		seen++
		var after struct {
			ID    int64    `json:"id"`
			Cell  string   `json:"cell"`
			Sheet string   `json:"sheet"`
			Value float64  `json:"value"`
			High  *float64 `json:"high"`
			Batch int64    `json:"batch"`
		}
		if err := json.Unmarshal([]byte(ev.After), &after); err != nil {
			t.Fatalf("event #%d after %q: %v", ev.ID, ev.After, err)
		}
		v, ok := byCell[after.Cell]
		switch {
		case !ok:
			t.Errorf("event #%d names cell %q, which the batch did not store", ev.ID, after.Cell)
		case after.ID != v.ID || after.Value != v.Value || after.High == nil || *after.High != *v.High ||
			after.Sheet != "Biểu <1>" || after.Batch != b.ID || ev.User != "lan":
			t.Errorf("event #%d = %s by %s; value stored = %+v", ev.ID, ev.After, ev.User, v)
		case !strings.HasPrefix(ev.Object, "value:"+strconv.FormatInt(v.ID, 10)+":ECO-01/CT-CU/"):
			t.Errorf("event #%d object %q does not name value %d", ev.ID, ev.Object, v.ID)
		}
		if after.Cell == "F16" && ev.Before != `{"id":99,"value":1e-7}` {
			t.Errorf("event of the changed value: before = %q, want the replaced value", ev.Before)
		}
	}
	if seen != len(changes) {
		t.Errorf("%d value events for batch %d, want %d", seen, b.ID, len(changes))
	}
	if broken, err := db.VerifyAudit(admin); err != nil || broken != nil {
		t.Errorf("VerifyAudit = %+v, %v", broken, err)
	}
}
