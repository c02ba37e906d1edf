package importers_test

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"chitieu/importers"
	"chitieu/indicators"
)

// A preview classifies every value and stores nothing at all.
func TestPreviewStoresNothing(t *testing.T) {
	t.Parallel()
	db := openStore(t)
	v0, b0, e0 := counts(t, db)
	path := longFile(t, "a.xlsx",
		[]any{"ECO-01", "CT-CU", 2019, "Thực hiện", 7.9},      // the catalogue has an estimate, not an official value
		[]any{"ECO-01", "CT-CU", 2022, "official", 12.64},     // as in the catalogue
		[]any{"ECO-01", "CT-CU", 2023, "Thực hiện", "5,8"},    // the catalogue says 5,75
		[]any{"SOC-01", "CT-CU", "2020", "Ước thực hiện", 70}, // new
	)
	res, err := newImporter(t, db).Preview(planner(), receive(t, path), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 2 || res.Changed != 1 || res.Unchanged != 1 || res.Rejected != 0 {
		t.Errorf("preview = new %d changed %d unchanged %d rejected %d, want 2 1 1 0", res.New, res.Changed, res.Unchanged, res.Rejected)
	}
	var changed *importers.Change
	for i := range res.Changes {
		if res.Changes[i].Kind == indicators.ChangedValue {
			changed = &res.Changes[i]
		}
	}
	if changed == nil || changed.Old == nil || *changed.Old != 5.75 || changed.New != 5.8 || changed.Cell != "E4" || changed.Sheet != "Sheet1" {
		t.Errorf("changed value = %+v, want 5,75 → 5,8 at Sheet1!E4", changed)
	}
	if v, b, e := counts(t, db); v != v0 || b != b0 || e != e0 {
		t.Errorf("after a preview: %d values, %d batches, %d events; want %d, %d, %d", v, b, e, v0, b0, e0)
	}
}

// A commit stores the batch in one go, with one audit event for the batch
// and one per stored value, and keeps the file; the same file again, or
// the same values in another file, changes nothing and says so.
func TestCommitThenTheSameAgainChangesNothing(t *testing.T) {
	t.Parallel()
	db := openStore(t)
	ctx := planner()
	im := newImporter(t, db)
	path := longFile(t, "a.xlsx",
		[]any{"ECO-01", "CT-CU", 2019, "Thực hiện", 7.9},
		[]any{"ECO-01", "CT-CU", 2023, "Thực hiện", "5,8"},
		[]any{"ECO-01", "CT-CU", 2022, "Thực hiện", 12.64},
	)
	_, _, e0 := counts(t, db)
	res, err := im.Import(ctx, receive(t, path), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Batch == 0 || res.State != indicators.Committed || res.New != 1 || res.Changed != 1 || res.Unchanged != 1 {
		t.Fatalf("import = batch %d %s, new %d changed %d unchanged %d", res.Batch, res.State, res.New, res.Changed, res.Unchanged)
	}
	cur := current(t, db, "ECO-01", "CT-CU")
	if want := "7.9@" + itoa(res.Batch); cur["2019/official"] != want {
		t.Errorf("ECO-01 2019 official = %s, want %s", cur["2019/official"], want)
	}
	if want := "5.8@" + itoa(res.Batch); cur["2023/official"] != want {
		t.Errorf("ECO-01 2023 official = %s, want %s", cur["2023/official"], want)
	}
	if !strings.HasSuffix(cur["2022/official"], "@0") {
		t.Errorf("the unchanged 2022 value was stored again: %s", cur["2022/official"])
	}
	evs, err := db.AuditEvents(ctx, indicators.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var adds, commits int
	for _, ev := range evs[e0:] {
		switch {
		case ev.Action == "value.add" && ev.Batch == res.Batch && ev.FileHash == res.SHA256 && ev.User == "lan":
			adds++
		case ev.Action == "batch.commit" && ev.Batch == res.Batch:
			commits++
		default:
			t.Errorf("unexpected audit event %+v", ev)
		}
	}
	if adds != 2 || commits != 1 {
		t.Errorf("audit: %d value events and %d batch events, want 2 and 1", adds, commits)
	}
	if broken, err := db.VerifyAudit(ctx); err != nil || broken != nil {
		t.Errorf("audit chain after the import: %v, %v", broken, err)
	}
	var kept bytes.Buffer
	if _, err := db.BatchFile(ctx, res.Batch, &kept); err != nil {
		t.Fatal(err)
	}
	if orig, _ := os.ReadFile(path); !bytes.Equal(kept.Bytes(), orig) {
		t.Errorf("the kept file differs from the upload (%d bytes, want %d)", kept.Len(), len(orig))
	}

	v1, b1, e1 := counts(t, db)
	again, err := im.Import(ctx, receive(t, path), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !again.NothingChanged() || again.Batch != 0 || again.Unchanged != 3 || len(again.EarlierBatches) != 1 || again.EarlierBatches[0] != res.Batch {
		t.Errorf("same file again = %+v, want nothing changed and the earlier batch named", again)
	}
	// The same values, in another order and another file.
	other := longFile(t, "b.xlsx",
		[]any{"ECO-01", "CT-CU", "2022", "official", "12,64"},
		[]any{"ECO-01", "CT-CU", 2019, "TH", 7.9},
		[]any{"ECO-01", "CT-CU", 2023, "Thực hiện", 5.8},
	)
	same, err := im.Import(ctx, receive(t, other), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !same.NothingChanged() || same.Batch != 0 || len(same.EarlierBatches) != 0 {
		t.Errorf("the same values again = %+v, want nothing changed", same)
	}
	if v, b, e := counts(t, db); v != v1 || b != b1 || e != e1 {
		t.Errorf("after the same data again: %d values, %d batches, %d events; want %d, %d, %d", v, b, e, v1, b1, e1)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Two cells for the same key reject the batch, naming both cells, and
// nothing is stored.
func TestTwoCellsForOneKeyRejectTheBatch(t *testing.T) {
	t.Parallel()
	db := openStore(t)
	v0, b0, e0 := counts(t, db)
	path := longFile(t, "dup.xlsx",
		[]any{"SOC-01", "CT-CU", 2020, "Thực hiện", 70},
		[]any{"ECO-01", "CT-CU", 2024, "Thực hiện", 7.2},
		[]any{"SOC-01", "Thành phố Cần Thơ (trước hợp nhất)", "2020", "TH", "70,5"},
	)
	res, err := newImporter(t, db).Import(planner(), receive(t, path), importers.Options{})
	if indicators.ErrorCode(err) != indicators.EINVALID || res == nil {
		t.Fatalf("err = %v, want the batch refused", err)
	}
	if res.Rejected != 1 || len(res.Errors) != 1 {
		t.Fatalf("errors = %+v, want one", res.Errors)
	}
	e := res.Errors[0]
	if e.Cell != "E4" || !strings.Contains(e.Reason, "Sheet1!E2") || !strings.Contains(e.Reason, "trùng") {
		t.Errorf("error = %+v, want E4 naming Sheet1!E2", e)
	}
	if res.Batch != 0 {
		t.Errorf("a refused import made batch %d", res.Batch)
	}
	if v, b, ev := counts(t, db); v != v0 || b != b0 || ev != e0 {
		t.Errorf("after a refused import: %d values, %d batches, %d events; want %d, %d, %d", v, b, ev, v0, b0, e0)
	}
}

// Rolling back a batch brings back exactly the values it replaced; a key
// it added is empty again; a later batch's value stays in force.
func TestRollbackRestoresWhatTheBatchReplaced(t *testing.T) {
	t.Parallel()
	db := openStore(t)
	ctx := planner()
	im := newImporter(t, db)
	before := current(t, db, "ECO-01", "CT-CU")
	first, err := im.Import(ctx, receive(t, longFile(t, "1.xlsx",
		[]any{"ECO-01", "CT-CU", 2023, "Thực hiện", 5.8},
		[]any{"ECO-01", "CT-CU", 2024, "Thực hiện", 7.2},
		[]any{"ECO-01", "CT-CU", 2019, "Thực hiện", 7.9},
	)), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	afterFirst := current(t, db, "ECO-01", "CT-CU")
	second, err := im.Import(ctx, receive(t, longFile(t, "2.xlsx",
		[]any{"ECO-01", "CT-CU", 2023, "Thực hiện", 5.9},
		[]any{"ECO-01", "CT-CU", 2022, "Thực hiện", 12.7},
		[]any{"ECO-01", "CT-CU", 2020, "Ước thực hiện", 1.5},
	)), importers.Options{ConfirmNote: "12,7 % năm 2022 là số liệu thử"}) // a jump the plausibility checks flag
	if err != nil {
		t.Fatal(err)
	}
	if second.Changed != 2 || second.New != 1 {
		t.Fatalf("second import: changed %d new %d, want 2 and 1", second.Changed, second.New)
	}
	r, err := im.Rollback(ctx, second.Batch)
	if err != nil {
		t.Fatal(err)
	}
	if r.Retracted != 3 || r.Restored != 2 || r.Removed != 1 || r.Kept != 0 {
		t.Errorf("rollback = %+v, want 3 retracted, 2 restored, 1 removed", r)
	}
	if got := current(t, db, "ECO-01", "CT-CU"); !sameMap(got, afterFirst) {
		t.Errorf("after rolling back the second batch:\n%v\nwant as after the first:\n%v", got, afterFirst)
	}
	if _, err := im.Rollback(ctx, second.Batch); indicators.ErrorCode(err) != indicators.ECONFLICT {
		t.Errorf("a second rollback err = %v, want conflict", err)
	}

	// A later batch overwrites 2024; undoing the first keeps that value.
	third, err := im.Import(ctx, receive(t, longFile(t, "3.xlsx", []any{"ECO-01", "CT-CU", 2024, "Thực hiện", 7.3})), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err = im.Rollback(ctx, first.Batch)
	if err != nil {
		t.Fatal(err)
	}
	if r.Retracted != 3 || r.Kept != 1 || r.Restored != 1 || r.Removed != 1 {
		t.Errorf("rollback of the first = %+v, want 3 retracted: 1 kept, 1 restored, 1 removed", r)
	}
	want := map[string]string{}
	for k, v := range before {
		want[k] = v
	}
	want["2024/official"] = "7.3@" + itoa(third.Batch)
	if got := current(t, db, "ECO-01", "CT-CU"); !sameMap(got, want) {
		t.Errorf("after rolling back the first batch:\n%v\nwant:\n%v", got, want)
	}
	b, err := db.Batch(ctx, first.Batch)
	if err != nil || b.State != indicators.RolledBack || b.RolledBackBy != "lan" {
		t.Errorf("batch after rollback = %+v, %v", b, err)
	}
	evs, _ := db.AuditEvents(ctx, indicators.AuditFilter{Action: "value.retract"})
	if len(evs) != 6 {
		t.Errorf("%d retract events, want 6 (one per retracted value)", len(evs))
	}
	if broken, err := db.VerifyAudit(ctx); err != nil || broken != nil {
		t.Errorf("audit chain: %v, %v", broken, err)
	}
}

func sameMap(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// A planner limited to some units or task groups has the other rows
// rejected in the preview.
func TestPlannerOutsideTheirScopeIsRejected(t *testing.T) {
	t.Parallel()
	db := openStore(t)
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "minh", Role: indicators.Planner,
		Units: []string{"CT-CU"}, Groups: []int{2}})
	path := longFile(t, "scope.xlsx",
		[]any{"SOC-01", "CT-CU", 2020, "Thực hiện", 70},  // group 2, own unit
		[]any{"ECO-01", "CT-CU", 2019, "Thực hiện", 7.9}, // group 0
		[]any{"SOC-01", "916", 2020, "Thực hiện", 99},    // another unit
	)
	res, err := newImporter(t, db).Import(ctx, receive(t, path), importers.Options{})
	if err == nil || res == nil || res.Rejected != 2 || res.Batch != 0 {
		t.Fatalf("import = %+v, %v; want two rejected cells and nothing stored", res, err)
	}
	for _, e := range res.Errors {
		if !strings.Contains(e.Reason, "ngoài phạm vi") {
			t.Errorf("error %+v, want it to say out of scope", e)
		}
	}
	if res.Errors[0].Cell != "E3" || res.Errors[1].Cell != "E4" {
		t.Errorf("rejected cells = %s, %s; want E3, E4", res.Errors[0].Cell, res.Errors[1].Cell)
	}
}

// A staged batch commits as previewed; should the values in force change
// in between, the commit is refused.
func TestStagedBatchCommitsAsPreviewed(t *testing.T) {
	t.Parallel()
	db := openStore(t)
	ctx := planner()
	im := newImporter(t, db)
	path := longFile(t, "s.xlsx", []any{"ECO-01", "CT-CU", 2023, "Thực hiện", 5.8})
	staged, err := im.Stage(ctx, receive(t, path), importers.Options{})
	if err != nil || staged.Batch == 0 || staged.State != indicators.Previewed {
		t.Fatalf("stage = %+v, %v", staged, err)
	}
	if cur := current(t, db, "ECO-01", "CT-CU"); cur["2023/official"] != "5.75@0" {
		t.Errorf("staging stored a value: %s", cur["2023/official"])
	}
	if _, err := im.Import(ctx, receive(t, longFile(t, "o.xlsx", []any{"ECO-01", "CT-CU", 2023, "Thực hiện", 5.7})), importers.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := im.CommitStaged(ctx, staged.Batch, nil); indicators.ErrorCode(err) != indicators.ECONFLICT {
		t.Fatalf("commit after a change err = %v, want conflict", err)
	}
	again, err := im.Stage(ctx, receive(t, path), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := im.CommitStaged(ctx, again.Batch, nil)
	if err != nil || res.Batch != again.Batch || res.State != indicators.Committed {
		t.Fatalf("commit staged = %+v, %v", res, err)
	}
	if cur := current(t, db, "ECO-01", "CT-CU"); cur["2023/official"] != "5.8@"+itoa(again.Batch) {
		t.Errorf("after the commit 2023 = %s", cur["2023/official"])
	}
}
