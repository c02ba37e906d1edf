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

// Groups judges the plan family's targets and tasks and rolls them up by
// task group. A plan without groups of its own uses its parent's, where
// Resolution 59's ten groups live.
func (tr Tracker) Groups(ctx context.Context, planID string, period *YearRange, asOf time.Time) ([]GroupProgress, RollUp, error) {
	targets, err := tr.Targets(ctx, planID, period, asOf)
	if err != nil {
		return nil, RollUp{}, err
	}
	plan, err := tr.Store.Plan(ctx, planID)
	if err != nil {
		return nil, RollUp{}, err
	}
	groupPlan := plan.ID
	groups, err := tr.Store.TaskGroups(ctx, groupPlan)
	if err != nil {
		return nil, RollUp{}, err
	}
	if len(groups) == 0 && plan.Parent != "" {
		groupPlan = plan.Parent
		if groups, err = tr.Store.TaskGroups(ctx, groupPlan); err != nil {
			return nil, RollUp{}, err
		}
	}
	settings, err := tr.Store.Settings(ctx)
	if err != nil {
		return nil, RollUp{}, err
	}
	tasks, err := tr.Store.Tasks(ctx, groupPlan)
	if err != nil {
		return nil, RollUp{}, err
	}
	byNumber := map[int]int{}
	out := make([]GroupProgress, len(groups))
	for i, g := range groups {
		out[i].Group = g
		byNumber[g.Number] = i
	}
	var all []Status
	for _, tp := range targets {
		if i, ok := byNumber[tp.Target.Group]; ok {
			out[i].Targets = append(out[i].Targets, tp)
		}
		all = append(all, tp.Progress.Status)
	}
	for _, task := range tasks {
		if period != nil && !task.Deadline.IsZero() && !period.Contains(task.Deadline.Year()) {
			continue
		}
		tp, err := tr.judgeTask(ctx, task, plan.Issued, asOf, settings)
		if err != nil {
			return nil, RollUp{}, err
		}
		if i, ok := byNumber[task.Group]; ok {
			out[i].Tasks = append(out[i].Tasks, tp)
		}
		all = append(all, tp.Progress.Status)
	}
	for i := range out {
		var st []Status
		for _, tp := range out[i].Targets {
			st = append(st, tp.Progress.Status)
		}
		for _, tp := range out[i].Tasks {
			st = append(st, tp.Progress.Status)
		}
		out[i].RollUp = Roll(st)
	}
	return out, Roll(all), nil
}

// judgeTask runs the milestone rule on a task as a target of its own.
func (tr Tracker) judgeTask(ctx context.Context, task Task, planIssued, asOf time.Time, s Settings) (TaskProgress, error) {
	updates, err := tr.Store.TaskUpdates(ctx, task.ID)
	if err != nil {
		return TaskProgress{}, err
	}
	t := Target{Plan: task.Plan, Task: task.Code, Group: task.Group,
		TargetRevision: TargetRevision{Kind: MilestoneTarget, Text: task.NameVI}}
	in := Input{Target: t, Task: &task, TaskUpdates: updates, PlanIssued: planIssued, AsOf: asOf}
	return TaskProgress{Task: task, Progress: Evaluate(in, s)}, nil
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
