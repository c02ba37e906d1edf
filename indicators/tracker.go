package indicators

import (
	"context"
	"fmt"
	"time"
)

// TargetProgress is a target as it stood at a moment, with the engine's
// verdict on it.
type TargetProgress struct {
	Target    Target // its TargetRevision is the one in force at the moment
	Indicator Indicator
	Progress  Progress
}

// TaskProgress is a task with the engine's milestone verdict on it.
type TaskProgress struct {
	Task     Task
	Progress Progress
}

// GroupProgress is a task group with its targets, its tasks and their roll-up.
type GroupProgress struct {
	Group   TaskGroup
	Targets []TargetProgress
	Tasks   []TaskProgress
	RollUp  RollUp
}

// Tracker judges the targets of plans against the store's values.
type Tracker struct {
	Store Store
}

// Family returns the plan and the plans that make it concrete (their
// Parent is the plan): Resolution 59 sets no figures of its own, so its
// targets are those of the plans beneath it.
func (tr Tracker) Family(ctx context.Context, planID string) ([]Plan, error) {
	plan, err := tr.Store.Plan(ctx, planID)
	if err != nil {
		return nil, err
	}
	all, err := tr.Store.Plans(ctx)
	if err != nil {
		return nil, err
	}
	family := []Plan{plan}
	for _, p := range all {
		if p.Parent == plan.ID {
			family = append(family, p)
		}
	}
	return family, nil
}

// Targets judges every target of the plan's family for the period (all
// periods when nil) at moment asOf. Targets not yet set at asOf (entered or
// in force later) are left out.
func (tr Tracker) Targets(ctx context.Context, planID string, period *YearRange, asOf time.Time) ([]TargetProgress, error) {
	family, err := tr.Family(ctx, planID)
	if err != nil {
		return nil, err
	}
	settings, err := tr.Store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	inds, err := tr.indicatorMap(ctx)
	if err != nil {
		return nil, err
	}
	tasks, err := tr.taskMap(ctx)
	if err != nil {
		return nil, err
	}
	values := map[string][]Value{} // city-level values by indicator, fetched once each
	var out []TargetProgress
	for _, p := range family {
		// The city's own targets; units' shares are judged by Shares.
		city := ""
		targets, err := tr.Store.Targets(ctx, TargetFilter{Plan: p.ID, Period: period, Unit: &city})
		if err != nil {
			return nil, err
		}
		for _, t := range targets {
			rev, ok := InForce(t.Revisions, asOf)
			if !ok {
				continue
			}
			t.TargetRevision = rev
			ind, ok := inds[t.Indicator]
			if !ok {
				return nil, fmt.Errorf("indicators: target %d names unknown indicator %s", t.ID, t.Indicator)
			}
			vs, ok := values[t.Indicator]
			if !ok {
				vs, err = tr.Store.Values(ctx, ValueFilter{Indicator: t.Indicator, UnitKind: City})
				if err != nil {
					return nil, err
				}
				values[t.Indicator] = vs
			}
			in := Input{Target: t, Indicator: ind, Values: vs, PlanIssued: p.Issued, AsOf: asOf}
			if t.Kind == MilestoneTarget {
				if task, ok := tasks[t.Task]; ok {
					in.Task = &task
					if in.TaskUpdates, err = tr.Store.TaskUpdates(ctx, task.ID); err != nil {
						return nil, err
					}
				}
			}
			out = append(out, TargetProgress{Target: t, Indicator: ind, Progress: Evaluate(in, settings)})
		}
	}
	return out, nil
}

// PlanProgress is a plan's items for a period judged at a moment, and their
// one roll-up: what the overview, the task group pages, the API and the
// progress report's cover all show, so that their counts and scores agree.
type PlanProgress struct {
	// Groups are the task groups the plan files its items under (its
	// parent's when it has none of its own), each with its roll-up.
	Groups []GroupProgress
	// Targets are every target of the plan's family for the period, each
	// once, in the store's order; those of no listed group are in Targets
	// and in RollUp but in no group.
	Targets []TargetProgress
	// Tasks are the plan's own tasks of the period that no milestone
	// target tracks (a target that tracks a task is that one item).
	Tasks  []TaskProgress
	RollUp RollUp
}

// Progress judges the items of a plan for a period (all periods when nil)
// at moment asOf and rolls them up (DESIGN.md §3): an item is a target or a
// task, each counted once, a milestone target and the task it tracks as
// one; the plan's own targets (and those of the plans that make it
// concrete) and the tasks of the plan itself, never its parent's; a task
// belongs to the period of its deadline, or without one to the period of
// its last progress reported by asOf.
func (tr Tracker) Progress(ctx context.Context, planID string, period *YearRange, asOf time.Time) (PlanProgress, error) {
	var out PlanProgress
	targets, err := tr.Targets(ctx, planID, period, asOf)
	if err != nil {
		return out, err
	}
	plan, err := tr.Store.Plan(ctx, planID)
	if err != nil {
		return out, err
	}
	groups, err := tr.Store.TaskGroups(ctx, plan.ID)
	if err != nil {
		return out, err
	}
	if len(groups) == 0 && plan.Parent != "" {
		// Filed under the parent's groups, where Resolution 59's ten live;
		// the parent's tasks are not this plan's and are not counted.
		if groups, err = tr.Store.TaskGroups(ctx, plan.Parent); err != nil {
			return out, err
		}
	}
	settings, err := tr.Store.Settings(ctx)
	if err != nil {
		return out, err
	}
	tasks, err := tr.Store.Tasks(ctx, plan.ID)
	if err != nil {
		return out, err
	}
	byNumber := map[int]int{}
	out.Groups = make([]GroupProgress, len(groups))
	for i, g := range groups {
		out.Groups[i].Group = g
		byNumber[g.Number] = i
	}
	var all []Status
	tracked := map[string]bool{}
	for _, tp := range targets {
		if tp.Target.Kind == MilestoneTarget && tp.Target.Task != "" {
			tracked[tp.Target.Task] = true
		}
	}
	for _, tp := range targets {
		if i, ok := byNumber[tp.Target.Group]; ok {
			out.Groups[i].Targets = append(out.Groups[i].Targets, tp)
		}
		out.Targets = append(out.Targets, tp)
		all = append(all, tp.Progress.Status)
	}
	for _, task := range tasks {
		if tracked[task.Code] || task.Plan != plan.ID {
			continue
		}
		updates, err := tr.Store.TaskUpdates(ctx, task.ID)
		if err != nil {
			return out, err
		}
		if period != nil && !period.Contains(TaskYear(task, updates, asOf, plan.HorizonFrom)) {
			continue
		}
		tp := judgeTask(task, updates, plan.Issued, asOf, settings)
		if i, ok := byNumber[task.Group]; ok {
			out.Groups[i].Tasks = append(out.Groups[i].Tasks, tp)
		}
		out.Tasks = append(out.Tasks, tp)
		all = append(all, tp.Progress.Status)
	}
	for i := range out.Groups {
		out.Groups[i].RollUp = out.Groups[i].Roll()
	}
	out.RollUp = Roll(all)
	return out, nil
}

// Roll is the group's roll-up: its targets and its tasks, each once.
func (g GroupProgress) Roll() RollUp {
	var st []Status
	for _, tp := range g.Targets {
		st = append(st, tp.Progress.Status)
	}
	for _, tp := range g.Tasks {
		st = append(st, tp.Progress.Status)
	}
	return Roll(st)
}

// TaskYear is the year a task belongs to: its deadline's; without one, the
// year of the last progress reported by asOf (the latest update, else its
// completion); with neither, the first year of its plan (first, when set;
// else the year of asOf), as a commitment made for the plan's first period.
// A conference held in 2020 is not an item of 2026–2030.
func TaskYear(task Task, updates []TaskUpdate, asOf time.Time, first int) int {
	if !task.Deadline.IsZero() {
		return task.Deadline.In(Vietnam).Year()
	}
	if u, ok := LatestUpdate(updates, asOf); ok {
		at := u.Date
		if at.IsZero() {
			at = u.EnteredAt
		}
		return at.In(Vietnam).Year()
	}
	if !task.Done.IsZero() && !task.Done.After(asOf) {
		return task.Done.In(Vietnam).Year()
	}
	if first != 0 {
		return first
	}
	return asOf.In(Vietnam).Year()
}

// Groups judges the plan's items and rolls them up by task group; see
// Progress.
func (tr Tracker) Groups(ctx context.Context, planID string, period *YearRange, asOf time.Time) ([]GroupProgress, RollUp, error) {
	pp, err := tr.Progress(ctx, planID, period, asOf)
	if err != nil {
		return nil, RollUp{}, err
	}
	return pp.Groups, pp.RollUp, nil
}

// judgeTask runs the milestone rule on a task as a target of its own.
func judgeTask(task Task, updates []TaskUpdate, planIssued, asOf time.Time, s Settings) TaskProgress {
	t := Target{Plan: task.Plan, Task: task.Code, Group: task.Group,
		TargetRevision: TargetRevision{Kind: MilestoneTarget, Text: task.NameVI}}
	in := Input{Target: t, Task: &task, TaskUpdates: updates, PlanIssued: planIssued, AsOf: asOf}
	return TaskProgress{Task: task, Progress: Evaluate(in, s)}
}

func (tr Tracker) indicatorMap(ctx context.Context) (map[string]Indicator, error) {
	list, err := tr.Store.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]Indicator, len(list))
	for _, i := range list {
		m[i.Code] = i
	}
	return m, nil
}

func (tr Tracker) taskMap(ctx context.Context) (map[string]Task, error) {
	list, err := tr.Store.Tasks(ctx, "")
	if err != nil {
		return nil, err
	}
	m := make(map[string]Task, len(list))
	for _, t := range list {
		m[t.Code] = t
	}
	return m, nil
}
