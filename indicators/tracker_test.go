package indicators

import (
	"context"
	"testing"
	"time"
)

// fakeStore holds a small catalogue in memory; the methods the tracker
// does not call are the embedded nil Store's and would panic.
type fakeStore struct {
	Store
	plans   []Plan
	groups  []TaskGroup
	tasks   []Task
	updates map[int64][]TaskUpdate
	targets []Target
	values  []Value
}

func (f *fakeStore) Plans(context.Context) ([]Plan, error) { return f.plans, nil }
func (f *fakeStore) Plan(_ context.Context, id string) (Plan, error) {
	for _, p := range f.plans {
		if p.ID == id {
			return p, nil
		}
	}
	return Plan{}, FieldError(ENOTFOUND, "plan", "không tìm thấy kế hoạch "+id, "plan "+id+" not found")
}
func (f *fakeStore) Settings(context.Context) (Settings, error) { return DefaultSettings(), nil }
func (f *fakeStore) Indicators(context.Context) ([]Indicator, error) {
	return []Indicator{{Code: "ECO-01", NameVI: "Chỉ tiêu thử", Unit: "tỷ đồng", Direction: Up, Measure: Level}}, nil
}
func (f *fakeStore) TaskGroups(_ context.Context, plan string) ([]TaskGroup, error) {
	var out []TaskGroup
	for _, g := range f.groups {
		if g.Plan == plan {
			out = append(out, g)
		}
	}
	return out, nil
}
func (f *fakeStore) Tasks(_ context.Context, plan string) ([]Task, error) {
	var out []Task
	for _, t := range f.tasks {
		if plan == "" || t.Plan == plan {
			out = append(out, t)
		}
	}
	return out, nil
}
func (f *fakeStore) TaskUpdates(_ context.Context, id int64) ([]TaskUpdate, error) {
	return f.updates[id], nil
}
func (f *fakeStore) Targets(_ context.Context, tf TargetFilter) ([]Target, error) {
	var out []Target
	for _, t := range f.targets {
		if t.Plan == tf.Plan && (tf.Period == nil || *tf.Period == t.Period) {
			out = append(out, t)
		}
	}
	return out, nil
}
func (f *fakeStore) Values(context.Context, ValueFilter) ([]Value, error) { return f.values, nil }

// rollupStore: Resolution 59 with two groups and four tasks, its action
// programme (no groups of its own) with two targets, one of them a
// milestone that tracks task T1.
func rollupStore() *fakeStore {
	d := func(y, m, dd int) time.Time { return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, Vietnam) }
	p := func(x float64) *float64 { return &x }
	rev := func(k Kind, b Bound) []TargetRevision {
		return []TargetRevision{{Kind: k, Bound: b, Text: "thử", EnteredAt: d(2021, 1, 1)}}
	}
	per := YearRange{From: 2021, To: 2025}
	return &fakeStore{
		plans:  []Plan{{ID: "r59", Code: "59-NQ/TW", Issued: d(2020, 8, 5)}, {ID: "r98", Code: "98/NQ-CP", Issued: d(2021, 8, 30), Parent: "r59"}},
		groups: []TaskGroup{{Plan: "r59", Number: 1, NameVI: "Nhóm 1"}, {Plan: "r59", Number: 2, NameVI: "Nhóm 2"}},
		tasks: []Task{
			{ID: 1, Code: "T1", Plan: "r59", Group: 1, NameVI: "Cao tốc", Start: d(2021, 1, 1), Deadline: d(2025, 12, 31), Percent: p(50)},
			{ID: 2, Code: "T2", Plan: "r59", Group: 1, NameVI: "Cầu", Start: d(2021, 1, 1), Deadline: d(2024, 6, 30), Done: d(2024, 5, 1)},
			{ID: 3, Code: "T3", Plan: "r59", Group: 2, NameVI: "Hội nghị 2020", Done: d(2020, 11, 1)},
			{ID: 4, Code: "T4", Plan: "r59", Group: 2, NameVI: "Đề án", Percent: p(30)},
		},
		updates: map[int64][]TaskUpdate{4: {{Task: 4, Percent: 30, Date: d(2027, 3, 1), EnteredAt: d(2027, 3, 2)}}},
		targets: []Target{
			{ID: 1, Plan: "r98", Indicator: "ECO-01", Period: per, Scope: OldCity, Group: 1, TargetRevision: rev(LevelTarget, Bound{Op: OpAtLeast, A: 200})[0],
				Revisions: rev(LevelTarget, Bound{Op: OpAtLeast, A: 200})},
			{ID: 2, Plan: "r98", Indicator: "ECO-01", Period: per, Scope: OldCity, Group: 1, Task: "T1", TargetRevision: rev(MilestoneTarget, Bound{})[0],
				Revisions: rev(MilestoneTarget, Bound{})},
		},
		values: []Value{yv(2020, 100), yv(2025, 210)},
	}
}

func TestTrackerRollUp(t *testing.T) {
	ctx := context.Background()
	tr := Tracker{Store: rollupStore()}
	asOf := time.Date(2028, 1, 1, 0, 0, 0, 0, Vietnam)
	per := YearRange{From: 2021, To: 2025}

	// 59-NQ/TW, 2021–2025: its family's two targets (the level one achieved,
	// 210 ≥ 200; the milestone tracking T1, overdue at 50 %: off track) and
	// its own tasks of the period: T1 is the milestone target's item already,
	// T2 (deadline 2024, done) achieved; T3 (no deadline, done in 2020) is of
	// no plan period; T4 (no deadline, last progress 2027) is of 2026–2030.
	// Items: 2 targets + 1 task = 3; score (1 + 0 + 1)/3 = 0.6667.
	pp, err := tr.Progress(ctx, "r59", &per, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if len(pp.Targets) != 2 || len(pp.Tasks) != 1 || pp.Tasks[0].Task.Code != "T2" {
		t.Fatalf("59: %d targets, tasks %v; want 2 targets and task T2 only", len(pp.Targets), taskCodes(pp.Tasks))
	}
	r := pp.RollUp
	if r.Total != 3 || r.Counts[Achieved] != 2 || r.Counts[OffTrack] != 1 || r.Score == nil || *r.Score != 0.6667 {
		t.Errorf("59 roll-up = %+v, want 3 items: 2 achieved, 1 off track, score 2/3", r)
	}
	if g := pp.Groups[0]; g.RollUp.Total != 3 || len(g.Tasks) != 1 {
		t.Errorf("group 1 roll-up = %+v with tasks %v, want the 3 items", g.RollUp, taskCodes(g.Tasks))
	}

	// 2026–2030: T4, whose last progress (1 March 2027) falls in it; never T3.
	later := YearRange{From: 2026, To: 2030}
	pp, err = tr.Progress(ctx, "r59", &later, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if got := taskCodes(pp.Tasks); len(got) != 1 || got[0] != "T4" {
		t.Errorf("59 in 2026–2030: tasks %v, want T4 only", got)
	}

	// 98/NQ-CP: its own two targets, filed under 59's groups, and none of 59's tasks.
	pp, err = tr.Progress(ctx, "r98", &per, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if len(pp.Tasks) != 0 || pp.RollUp.Total != 2 || len(pp.Groups) != 2 || len(pp.Groups[0].Targets) != 2 {
		t.Errorf("98: tasks %v, roll-up %+v, %d groups; want 2 targets under 59's groups and no task", taskCodes(pp.Tasks), pp.RollUp, len(pp.Groups))
	}
}

func taskCodes(tps []TaskProgress) []string {
	var out []string
	for _, tp := range tps {
		out = append(out, tp.Task.Code)
	}
	return out
}

func TestRollCoverage(t *testing.T) {
	// 2 on track and 4 without data: 2 of 6 rest on data, fewer than half: no score (not 100).
	r := Roll([]Status{OnTrack, OnTrack, NoData, NoData, NoData, NoData})
	if r.Score != nil || r.RestsOn != 2 || r.NoData != 4 || r.Total != 6 {
		t.Errorf("Roll = %+v, want 2 of 6 on data and no score", r)
	}
	// 2 on track and 2 without data: half rest on data, score (2)/2 = 1.
	r = Roll([]Status{OnTrack, OnTrack, NoData, NoData})
	if r.Score == nil || *r.Score != 1 {
		t.Errorf("Roll = %+v, want score 1 at half coverage", r)
	}
}
