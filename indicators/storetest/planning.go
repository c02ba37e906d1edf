package storetest

// The catalogue as admins edit it, case for case as indicators/sqlite has
// long tested it, now for every store.

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
)

// PlanningStore is a store whose catalogue admins edit.
type PlanningStore interface {
	Store
	indicators.PlanEditor
}

func planningDB(t *testing.T, open Opener) (PlanningStore, *Clock, context.Context) {
	t.Helper()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "quantri", Role: indicators.Admin})
	c := &Clock{T: time.Date(2026, 1, 5, 2, 0, 0, 0, time.UTC)}
	h := withCatalog(t, open, c)
	db, ok := h.Store.(PlanningStore)
	if !ok {
		t.Fatalf("%T cannot edit the catalogue", h.Store)
	}
	return db, c, ctx
}

// Events returns the audit events after id, by action.
func Events(t *testing.T, db Store, after int64) map[string][]indicators.AuditEvent {
	t.Helper()
	all, err := db.AuditEvents(context.Background(), indicators.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]indicators.AuditEvent{}
	for _, ev := range all {
		if ev.ID > after {
			out[ev.Action] = append(out[ev.Action], ev)
		}
	}
	return out
}

// LastEventID is the id of the newest audit event, 0 when there is none.
func LastEventID(t *testing.T, db Store) int64 {
	t.Helper()
	all, err := db.AuditEvents(context.Background(), indicators.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		return 0
	}
	return all[len(all)-1].ID
}

func field(t *testing.T, body, name string) any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("audit body %q: %v", body, err)
	}
	return m[name]
}

func catalogueEditsAudited(t *testing.T, open Opener) {
	db, _, ctx := planningDB(t, open)
	mark := LastEventID(t, db)

	plan := indicators.Plan{Code: "274/NQ-HĐND", Issued: day("2025-12-10"), IssuingBody: "HĐND thành phố",
		TitleVI: "Nghị quyết về kế hoạch phát triển kinh tế - xã hội 5 năm 2026-2030", HorizonFrom: 2026, HorizonTo: 2030,
		Scope: indicators.MergedCity}
	must(t, db.CreatePlan(ctx, &plan))
	if plan.ID != "274-nq-hdnd-2025-12-10" || plan.Order != 4 {
		t.Errorf("new plan ID, order = %q, %d; want 274-nq-hdnd-2025-12-10, 4", plan.ID, plan.Order)
	}
	group := indicators.TaskGroup{Plan: plan.ID, Number: 1, NameVI: "Phát triển kinh tế"}
	must(t, db.CreateTaskGroup(ctx, group))
	agency := indicators.Unit{Code: "STC", NameVI: "Sở Tài chính", Kind: indicators.Agency}
	must(t, db.CreateUnit(ctx, agency))
	ind := indicators.Indicator{Code: "ECO-30", NameVI: "Thu ngân sách", Unit: "tỷ đồng", Decimals: 0,
		Direction: indicators.Up, Measure: indicators.Level, Rollup: indicators.RollupSum, Frequency: indicators.Yearly,
		LeadAgency: "STC"}
	must(t, db.CreateIndicator(ctx, ind))
	task := indicators.Task{Code: "KH-T01", Plan: plan.ID, Group: 1, NameVI: "Cao tốc Cần Thơ - Cà Mau",
		LeadAgency: "STC", Start: day("2026-01-01"), Deadline: day("2027-12-31")}
	must(t, db.CreateTask(ctx, &task))
	target := indicators.Target{Plan: plan.ID, Indicator: "ECO-30", Period: indicators.YearRange{From: 2026, To: 2030},
		Scope: indicators.MergedCity, Group: 1, TargetRevision: indicators.TargetRevision{Kind: indicators.LevelTarget,
			Bound: indicators.Bound{Op: indicators.OpAtLeast, A: 57000}, Text: "57 nghìn tỷ đồng", Act: plan.Code,
			ActDate: plan.Issued, Effective: plan.Issued}}
	must(t, db.CreateTarget(ctx, &target))

	plan.TitleEN = "Five-year plan 2026-2030"
	must(t, db.UpdatePlan(ctx, plan))
	group.NameEN = "Economy"
	must(t, db.UpdateTaskGroup(ctx, group))
	ind.NoteVI = "Số của thành phố sau hợp nhất"
	must(t, db.UpdateIndicator(ctx, ind))
	task.Deadline = day("2028-06-30")
	must(t, db.UpdateTask(ctx, task))
	agency.NameEN = "Department of Finance"
	must(t, db.UpdateUnit(ctx, agency))
	moved := target
	moved.Task = "KH-T01"
	must(t, db.UpdateTarget(ctx, moved))
	must(t, db.ReviseTarget(ctx, target.ID, indicators.TargetRevision{Kind: indicators.LevelTarget,
		Bound: indicators.Bound{Op: indicators.OpAtLeast, A: 60000}, Text: "60 nghìn tỷ đồng", Act: "300/NQ-HĐND",
		ActDate: day("2026-07-10"), Effective: day("2026-07-10"), Reason: "điều chỉnh dự toán"}))
	// An update that changes nothing writes nothing.
	must(t, db.UpdatePlan(ctx, plan))

	got := Events(t, db, mark)
	for _, tc := range []struct {
		action, object, beforeField, after string
	}{
		{"plan.create", "plan:274-nq-hdnd-2025-12-10", "", "TitleVI"},
		{"task_group.create", "task_group:274-nq-hdnd-2025-12-10/1", "", "NameVI"},
		{"unit.create", "unit:STC", "", "NameVI"},
		{"indicator.create", "indicator:ECO-30", "", "Unit"},
		{"task.create", "task:KH-T01", "", "Deadline"},
		{"target.create", "target:", "", "Text"},
		{"plan.update", "plan:274-nq-hdnd-2025-12-10", "TitleEN", "TitleEN"},
		{"task_group.update", "task_group:274-nq-hdnd-2025-12-10/1", "NameEN", "NameEN"},
		{"indicator.update", "indicator:ECO-30", "NoteVI", "NoteVI"},
		{"task.update", "task:KH-T01", "Deadline", "Deadline"},
		{"unit.update", "unit:STC", "NameEN", "NameEN"},
		{"target.update", "target:", "task", "task"},
		{"target.revise", "target:", "Text", "Text"},
	} {
		evs := got[tc.action]
		if len(evs) != 1 {
			t.Errorf("%s: %d events, want 1", tc.action, len(evs))
			continue
		}
		ev := evs[0]
		if !strings.HasPrefix(ev.Object, tc.object) || ev.User != "quantri" || ev.After == "" {
			t.Errorf("%s event = %+v, want object %s… by quantri with an after", tc.action, ev, tc.object)
		}
		if tc.beforeField == "" && ev.Before != "" {
			t.Errorf("%s: before = %s, want none for a creation", tc.action, ev.Before)
		}
		if tc.beforeField != "" {
			b, a := field(t, ev.Before, tc.beforeField), field(t, ev.After, tc.after)
			if b == nil || a == nil || b == a {
				t.Errorf("%s: before %s = %v, after %s = %v; want both, differing", tc.action, tc.beforeField, b, tc.after, a)
			}
		}
	}
	if n := len(got["plan.update"]); n != 1 {
		t.Errorf("plan.update events = %d; an update that changes nothing must not be audited", n)
	}
	broken, err := db.VerifyAudit(ctx)
	if err != nil || broken != nil {
		t.Errorf("audit chain = %v, %v", broken, err)
	}

	// What was stored reads back.
	stored, err := db.Target(ctx, target.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored.Revisions) != 2 || stored.Revisions[0].Bound.A != 57000 || stored.Revisions[1].Bound.A != 60000 ||
		stored.Task != "KH-T01" || stored.Revisions[0].EnteredBy != "quantri" {
		t.Errorf("stored target = %+v", stored)
	}
	if tk, err := db.Task(ctx, "KH-T01"); err != nil || !tk.Deadline.Equal(day("2028-06-30")) {
		t.Errorf("stored task = %+v, %v", tk, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func refusedEdits(t *testing.T, open Opener) {
	db, _, ctx := planningDB(t, open)
	plans, _ := db.Plans(ctx)
	r98 := plans[2].ID
	mark := LastEventID(t, db)
	target := func(mod func(*indicators.Target)) *indicators.Target {
		tg := &indicators.Target{Plan: r98, Indicator: "ECO-01", Period: indicators.YearRange{From: 2026, To: 2030},
			Scope: indicators.OldCity, TargetRevision: indicators.TargetRevision{Kind: indicators.AvgGrowthTarget,
				Bound: indicators.Bound{Op: indicators.OpRange, A: 7, B: 7.5}, Text: "7 - 7,5%/năm"}}
		mod(tg)
		return tg
	}
	for _, tc := range []struct {
		name  string
		err   error
		code  string
		field string
	}{
		{"plan without title", db.CreatePlan(ctx, &indicators.Plan{Code: "1/KH-UBND", Issued: day("2026-01-02")}), indicators.EINVALID, "title_vi"},
		{"plan twice", db.CreatePlan(ctx, &indicators.Plan{Code: "98/NQ-CP", Issued: day("2021-08-30"), TitleVI: "x"}), indicators.ECONFLICT, "id"},
		{"plan with unknown parent", db.CreatePlan(ctx, &indicators.Plan{Code: "2/KH", Issued: day("2026-01-02"), TitleVI: "x", Parent: "nope"}), indicators.EINVALID, "parent"},
		{"plan its own grandparent", db.UpdatePlan(ctx, func() indicators.Plan { p := plans[0]; p.Parent = r98; return p }()), indicators.EINVALID, "parent"},
		{"unknown plan", db.UpdatePlan(ctx, indicators.Plan{ID: "khong-co", Code: "x", Issued: day("2026-01-02"), TitleVI: "x"}), indicators.ENOTFOUND, "plan"},
		{"group of unknown plan", db.CreateTaskGroup(ctx, indicators.TaskGroup{Plan: "khong-co", Number: 1, NameVI: "x"}), indicators.EINVALID, "plan"},
		{"indicator with bad code", db.CreateIndicator(ctx, indicators.Indicator{Code: "eco1", NameVI: "x", Unit: "%",
			Direction: indicators.Up, Measure: indicators.Level, Rollup: indicators.RollupNone, Frequency: indicators.Yearly}), indicators.EINVALID, "code"},
		{"indicator with unknown agency", db.CreateIndicator(ctx, indicators.Indicator{Code: "ECO-40", NameVI: "x", Unit: "%",
			Direction: indicators.Up, Measure: indicators.Level, Rollup: indicators.RollupNone, Frequency: indicators.Yearly, LeadAgency: "SXX"}), indicators.EINVALID, "lead_agency"},
		{"target of unknown indicator", db.CreateTarget(ctx, target(func(t *indicators.Target) { t.Indicator = "XYZ-01" })), indicators.EINVALID, "indicator"},
		{"target in a missing group", db.CreateTarget(ctx, target(func(t *indicators.Target) { t.Group = 7 })), indicators.EINVALID, "group"},
		{"target with a reversed range", db.CreateTarget(ctx, target(func(t *indicators.Target) { t.Bound.B = 1 })), indicators.EINVALID, "bound"},
		{"target twice", db.CreateTarget(ctx, target(func(t *indicators.Target) { t.Period = indicators.YearRange{From: 2021, To: 2025} })), indicators.ECONFLICT, "target"},
		{"milestone without task", db.CreateTarget(ctx, target(func(t *indicators.Target) { t.Kind = indicators.MilestoneTarget })), indicators.EINVALID, "task"},
		{"task with unknown agency", db.CreateTask(ctx, &indicators.Task{Code: "T1", Plan: plans[0].ID, NameVI: "x", LeadAgency: "SXX"}), indicators.EINVALID, "lead_agency"},
		{"task ends before it starts", db.CreateTask(ctx, &indicators.Task{Code: "T1", Plan: plans[0].ID, NameVI: "x",
			Start: day("2026-05-01"), Deadline: day("2026-01-01")}), indicators.EINVALID, "deadline"},
		{"unit valid to before from", db.CreateUnit(ctx, indicators.Unit{Code: "X1", NameVI: "x", Kind: indicators.Commune,
			Scope: indicators.MergedCity, ValidFrom: day("2025-07-01"), ValidTo: day("2025-01-01")}), indicators.EINVALID, "valid_to"},
		{"agency with a scope", db.CreateUnit(ctx, indicators.Unit{Code: "SXD", NameVI: "Sở Xây dựng", Kind: indicators.Agency, Scope: indicators.MergedCity}), indicators.EINVALID, "scope"},
		{"revision without reason", db.ReviseTarget(ctx, 1, indicators.TargetRevision{Kind: indicators.LevelTarget, Text: "x",
			Act: "1/QĐ", ActDate: day("2026-01-01"), Effective: day("2026-01-01")}), indicators.EINVALID, "reason"},
		{"revision without act date", db.ReviseTarget(ctx, 1, indicators.TargetRevision{Kind: indicators.LevelTarget, Text: "x",
			Act: "1/QĐ", Effective: day("2026-01-01"), Reason: "r"}), indicators.EINVALID, "act_date"},
	} {
		if indicators.ErrorCode(tc.err) != tc.code || indicators.ErrorField(tc.err) != tc.field {
			t.Errorf("%s: err = %v (%s, field %q); want %s on %q", tc.name, tc.err, indicators.ErrorCode(tc.err),
				indicators.ErrorField(tc.err), tc.code, tc.field)
		}
	}
	if got := Events(t, db, mark); len(got) != 0 {
		t.Errorf("refused edits wrote audit events: %v", got)
	}
	after, _ := db.Plans(ctx)
	ts, _ := db.Targets(ctx, indicators.TargetFilter{})
	if len(after) != 3 || len(ts) != 1 || after[0].Parent != "" {
		t.Errorf("after refused edits: %d plans (root parent %q), %d targets; want 3, none, 1", len(after), after[0].Parent, len(ts))
	}
}

func taskProgress(t *testing.T, open Opener) {
	db, c, ctx := planningDB(t, open)
	plans, _ := db.Plans(ctx)
	root := plans[0].ID
	must(t, db.CreateUnit(ctx, indicators.Unit{Code: "SGTVT", NameVI: "Sở Giao thông vận tải", Kind: indicators.Agency}))
	task := indicators.Task{Code: "G0-T01", Plan: root, Group: 0, NameVI: "Cầu Cần Thơ 2", LeadAgency: "SGTVT",
		Start: day("2025-01-01"), Deadline: day("2026-12-31")}
	must(t, db.CreateTask(ctx, &task))

	as := func(a indicators.Actor) context.Context { return indicators.WithActor(context.Background(), a) }
	report := func(ctx context.Context, pct float64, date, note string) error {
		return db.AddTaskUpdate(ctx, &indicators.TaskUpdate{Task: task.ID, Percent: pct, Date: day(date), Note: note})
	}
	for _, tc := range []struct {
		who  indicators.Actor
		code string
	}{
		{indicators.Actor{User: "lanhdao", Role: indicators.Leader}, indicators.EFORBIDDEN},
		{indicators.Actor{User: "kiemtoan", Role: indicators.Auditor}, indicators.EFORBIDDEN},
		{indicators.Actor{User: "stc", Role: indicators.Planner, Units: []string{"STC"}}, indicators.EFORBIDDEN},
		{indicators.Actor{User: "nhom5", Role: indicators.Planner, Groups: []int{5}}, indicators.EFORBIDDEN},
	} {
		if err := report(as(tc.who), 40, "2026-01-04", "x"); indicators.ErrorCode(err) != tc.code {
			t.Errorf("%s reports: err = %v, want %s", tc.who.User, err, tc.code)
		}
	}
	planner := as(indicators.Actor{User: "gtvt", Role: indicators.Planner, Units: []string{"SGTVT"}, Groups: []int{0}})
	if err := report(planner, 140, "2026-01-04", ""); indicators.ErrorCode(err) != indicators.EINVALID {
		t.Errorf("140%% err = %v, want invalid", err)
	}
	if err := report(planner, 40, "2026-03-01", ""); indicators.ErrorField(err) != "date" {
		t.Errorf("future date err = %v, want invalid date", err)
	}
	c.T = time.Date(2026, 1, 5, 3, 0, 0, 0, time.UTC)
	must(t, report(planner, 30, "2025-12-31", "Đã thi công trụ tháp"))
	c.T = time.Date(2026, 2, 10, 3, 0, 0, 0, time.UTC)
	must(t, report(planner, 55, "2026-02-09", "Hợp long nhịp chính"))

	ups, err := db.TaskUpdates(ctx, task.ID)
	if err != nil || len(ups) != 2 || ups[0].Percent != 30 || ups[1].Percent != 55 || ups[1].EnteredBy != "gtvt" {
		t.Fatalf("updates = %+v, %v; want 30 then 55 by gtvt", ups, err)
	}
	evs := Events(t, db, 0)["task.progress"]
	if len(evs) != 2 || evs[1].User != "gtvt" || field(t, evs[1].Before, "Percent") != 30.0 || field(t, evs[1].After, "Percent") != 55.0 {
		t.Errorf("task.progress events = %+v", evs)
	}
	// The milestone rule reads the update known at each as-of date.
	tr := indicators.Tracker{Store: db}
	for _, tc := range []struct {
		asOf string
		want float64
	}{{"2026-01-20", 30}, {"2026-02-20", 55}} {
		groups, _, err := tr.Groups(ctx, root, nil, indicators.EndOfDay(day(tc.asOf)))
		if err != nil {
			t.Fatal(err)
		}
		var got *float64
		for _, g := range groups {
			for _, tp := range g.Tasks {
				if tp.Task.Code == "G0-T01" {
					got = tp.Progress.SoFar
				}
			}
		}
		if got == nil || *got != tc.want {
			t.Errorf("as of %s the task stands at %v, want %v", tc.asOf, got, tc.want)
		}
	}
}

func catalogChangesAllOrNothing(t *testing.T, open Opener) {
	db, _, ctx := planningDB(t, open)
	plans, _ := db.Plans(ctx)
	r98 := plans[2].ID
	newTarget := &indicators.Target{Plan: r98, Indicator: "ECO-01", Period: indicators.YearRange{From: 2026, To: 2030},
		Scope: indicators.OldCity, TargetRevision: indicators.TargetRevision{Kind: indicators.AvgGrowthTarget,
			Bound: indicators.Bound{Op: indicators.OpRange, A: 7, B: 7.5}, Text: "7 - 7,5%/năm", Act: "98/NQ-CP"}}
	revision := &indicators.Target{Plan: r98, Indicator: "ECO-01", Period: indicators.YearRange{From: 2026, To: 2030},
		Scope: indicators.OldCity, TargetRevision: indicators.TargetRevision{Kind: indicators.AvgGrowthTarget,
			Bound: indicators.Bound{Op: indicators.OpAtLeast, A: 10}, Text: "trên 10%/năm", Act: "274/NQ-HĐND",
			ActDate: day("2025-12-10"), Effective: day("2026-01-01"), Reason: "sau hợp nhất"}}
	bad := &indicators.Unit{Code: "X1", NameVI: "", Kind: indicators.Commune, Scope: indicators.MergedCity}
	changes := []indicators.CatalogChange{
		{Action: indicators.Create, Object: indicators.ObjTarget, Key: "t", Sheet: "Mục tiêu", Row: 5, Target: newTarget},
		{Action: indicators.Revise, Object: indicators.ObjTarget, Key: "t#1", Sheet: "Mục tiêu", Row: 6, Target: revision},
		{Action: indicators.Create, Object: indicators.ObjUnit, Key: "X1", Sheet: "Đơn vị", Row: 9, Unit: bad},
	}
	mark := LastEventID(t, db)
	err := db.ApplyCatalogChanges(ctx, changes, indicators.ChangeSource{FileName: "kh.xlsx", SHA256: strings.Repeat("ab", 32)})
	if indicators.ErrorCode(err) != indicators.EINVALID || !strings.Contains(err.Error(), "Đơn vị, dòng 9") {
		t.Fatalf("err = %v, want invalid naming Đơn vị, dòng 9", err)
	}
	if ts, _ := db.Targets(ctx, indicators.TargetFilter{}); len(ts) != 1 || len(Events(t, db, mark)) != 0 {
		t.Fatalf("a refused set stored %d targets and %d kinds of events", len(ts), len(Events(t, db, mark)))
	}

	bad.NameVI = "Phường Ninh Kiều"
	must(t, db.ApplyCatalogChanges(ctx, changes, indicators.ChangeSource{FileName: "kh.xlsx", SHA256: strings.Repeat("ab", 32)}))
	ts, _ := db.Targets(ctx, indicators.TargetFilter{Period: &indicators.YearRange{From: 2026, To: 2030}})
	if len(ts) != 1 || len(ts[0].Revisions) != 2 || ts[0].Revisions[0].Bound.A != 7 || ts[0].Revisions[1].Bound.A != 10 {
		t.Fatalf("targets = %+v, want one with the original and its revision", ts)
	}
	got := Events(t, db, mark)
	if len(got["target.create"]) != 1 || len(got["target.revise"]) != 1 || len(got["unit.create"]) != 1 || len(got["planbook.import"]) != 1 {
		t.Fatalf("events = %v", got)
	}
	for _, evs := range got {
		if evs[0].FileHash != strings.Repeat("ab", 32) {
			t.Errorf("%s carries file hash %q", evs[0].Action, evs[0].FileHash)
		}
	}
	if field(t, got["planbook.import"][0].After, "revised") != 1.0 {
		t.Errorf("import summary = %s", got["planbook.import"][0].After)
	}
}
