package indicators

import (
	"fmt"
	"math"
	"time"
)

// milestone judges a task against its deadline from what was known of it
// at AsOf.
func (e *engine) milestone() Progress {
	task := e.in.Task
	if task == nil {
		return e.done(NoData, "no_task", bilingual{
			"Mục tiêu mốc chưa gắn với nhiệm vụ nào nên chưa đánh giá được",
			"The milestone target is linked to no task, so it cannot be judged",
		})
	}
	name := bilingual{task.NameVI, task.NameEN}
	if name.en == "" {
		name.en = task.NameVI
	}
	deadline := task.Deadline
	percent, doneAt := e.taskState(task)
	if deadline.IsZero() && e.in.Target.Period.To == 0 {
		// A task judged on its own, with no deadline: nothing is late.
		if !doneAt.IsZero() {
			e.p.SoFar = fig(100)
			at := dateText(doneAt)
			return e.done(Achieved, "", bilingual{
				fmt.Sprintf("Nhiệm vụ “%s” hoàn thành ngày %s", name.vi, at.vi),
				fmt.Sprintf("The task “%s” was finished on %s", name.en, at.en),
			})
		}
		if percent != nil {
			e.p.SoFar = fig(*percent)
		}
		return e.done(NoData, "no_deadline", bilingual{
			fmt.Sprintf("Nhiệm vụ “%s” chưa có thời hạn hoàn thành nên chưa đánh giá được tiến độ", name.vi),
			fmt.Sprintf("The task “%s” has no deadline, so its pace cannot be judged", name.en),
		})
	}
	if deadline.IsZero() {
		// A task without its own deadline is due by the end of the target's period.
		deadline = time.Date(e.in.Target.Period.To, 12, 31, 0, 0, 0, 0, Vietnam)
	}
	due := EndOfDay(deadline)
	dl := dateText(deadline)
	if !doneAt.IsZero() {
		e.p.SoFar = fig(100)
		at := dateText(doneAt)
		if doneAt.After(due) {
			return e.done(Achieved, "late", bilingual{
				fmt.Sprintf("Nhiệm vụ “%s” hoàn thành ngày %s, trễ so với thời hạn %s", name.vi, at.vi, dl.vi),
				fmt.Sprintf("The task “%s” was finished on %s, late for its deadline of %s", name.en, at.en, dl.en),
			})
		}
		return e.done(Achieved, "", bilingual{
			fmt.Sprintf("Nhiệm vụ “%s” hoàn thành ngày %s, trong thời hạn %s", name.vi, at.vi, dl.vi),
			fmt.Sprintf("The task “%s” was finished on %s, within its deadline of %s", name.en, at.en, dl.en),
		})
	}
	if percent != nil {
		e.p.SoFar = fig(*percent)
	}
	if e.in.AsOf.After(due) {
		done := bilingual{"chưa có báo cáo tiến độ", "no progress was reported"}
		if percent != nil {
			p := pct(*percent)
			done = bilingual{"mới đạt " + p.vi, "it is " + p.en + " done"}
		}
		return e.done(OffTrack, "overdue", bilingual{
			fmt.Sprintf("Nhiệm vụ “%s” đã quá thời hạn %s mà chưa hoàn thành (%s)", name.vi, dl.vi, done.vi),
			fmt.Sprintf("The task “%s” is past its deadline of %s and not finished (%s)", name.en, dl.en, done.en),
		})
	}
	if percent == nil {
		return e.done(NoData, "no_progress", bilingual{
			fmt.Sprintf("Chưa có báo cáo tiến độ nào của nhiệm vụ “%s” (thời hạn %s)", name.vi, dl.vi),
			fmt.Sprintf("No progress of the task “%s” has been reported (deadline %s)", name.en, dl.en),
		})
	}

	start := task.Start
	if start.IsZero() {
		start = e.in.PlanIssued
	}
	if start.IsZero() {
		start = time.Date(e.in.Target.Period.From, 1, 1, 0, 0, 0, 0, Vietnam)
	}
	if !e.in.AsOf.After(start) {
		return e.done(OnTrack, "not_started", bilingual{
			fmt.Sprintf("Nhiệm vụ “%s” chưa đến ngày bắt đầu %s", name.vi, dateText(start).vi),
			fmt.Sprintf("The task “%s” is not due to start before %s", name.en, dateText(start).en),
		})
	}
	elapsed := float64(e.in.AsOf.Sub(start)) / float64(due.Sub(start))
	ratio := *percent / 100 / elapsed
	e.p.Ratio = fig(ratio)
	var st Status
	switch {
	case ratio >= e.s.MilestoneOnTrack:
		st = OnTrack
	case ratio >= e.s.MilestoneAtRisk:
		st = AtRisk
	default:
		st = OffTrack
	}
	p, el, r, label := pct(*percent), pct(100*elapsed), pct(math.Round(100*ratio)), statusLabel(st)
	return e.done(st, "", bilingual{
		fmt.Sprintf("Nhiệm vụ “%s” đạt %s khối lượng khi đã qua %s thời gian (từ %s đến thời hạn %s), tức là khoảng %s tiến độ cần có: %s",
			name.vi, p.vi, el.vi, dateText(start).vi, dl.vi, r.vi, label.vi),
		fmt.Sprintf("The task “%s” is %s done with %s of its time gone (%s to the deadline of %s), about %s of the pace needed: %s",
			name.en, p.en, el.en, dateText(start).en, dl.en, r.en, label.en),
	})
}

// taskState is the task's percent complete and completion date as known at
// AsOf: the latest update entered by then overrides the percent the task
// was loaded with, and a completion counts from its date.
func (e *engine) taskState(task *Task) (percent *float64, doneAt time.Time) {
	percent = task.Percent
	if !task.Done.IsZero() && !task.Done.After(e.in.AsOf) {
		doneAt = task.Done
	}
	for i := range e.in.TaskUpdates {
		u := &e.in.TaskUpdates[i]
		if u.EnteredAt.After(e.in.AsOf) {
			continue
		}
		if u.Done {
			at := u.Date
			if at.IsZero() {
				at = u.EnteredAt
			}
			if doneAt.IsZero() || at.Before(doneAt) {
				doneAt = at
			}
		}
	}
	if latest, ok := LatestUpdate(e.in.TaskUpdates, e.in.AsOf); ok {
		p := latest.Percent
		percent = &p
	}
	return percent, doneAt
}
