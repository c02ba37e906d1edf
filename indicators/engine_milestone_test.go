package indicators

import (
	"testing"
	"time"
)

func TestEvaluateMilestone(t *testing.T) {
	start := time.Date(2021, 1, 1, 0, 0, 0, 0, Vietnam)
	deadline := time.Date(2025, 12, 31, 0, 0, 0, 0, Vietnam)
	// 3 July 2023 is 913 of the 1 826 days from 1 Jan 2021 to the end of
	// 31 Dec 2025: half the time has gone.
	halfway := time.Date(2023, 7, 3, 0, 0, 0, 0, Vietnam)
	task := func(percent *float64, done time.Time) *Task {
		return &Task{ID: 7, Code: "G3-T01", NameVI: "Cao tốc Cần Thơ – Cà Mau", NameEN: "Can Tho – Ca Mau expressway",
			Start: start, Deadline: deadline, Percent: percent, Done: done}
	}
	ms := func(tk *Task, at time.Time, updates ...TaskUpdate) Input {
		in := input(MilestoneTarget, Bound{}, nil, asOf(at))
		in.Target.Task, in.Task, in.TaskUpdates = "G3-T01", tk, updates
		return in
	}
	cases := []evalCase{
		{"on pace", ms(task(fp(50), time.Time{}), halfway),
			// 50 % done ÷ 50 % of the time = 1.0 ≥ 0.9
			want{status: OnTrack, soFar: fp(50), ratio: fp(1), vi: "đạt 50 % khối lượng khi đã qua 50 % thời gian", en: "50 % done with 50 % of its time gone"}},
		{"at risk", ms(task(fp(40), time.Time{}), halfway),
			// 40 ÷ 50 = 0.8 ∈ [0.7, 0.9)
			want{status: AtRisk, soFar: fp(40), ratio: fp(0.8), vi: "có nguy cơ chậm"}},
		{"behind", ms(task(fp(30), time.Time{}), halfway),
			// 30 ÷ 50 = 0.6 < 0.7
			want{status: OffTrack, soFar: fp(30), ratio: fp(0.6)}},
		{"an update overrides the loaded percent", ms(task(fp(30), time.Time{}), halfway,
			TaskUpdate{Task: 7, Percent: 45, Date: halfway.AddDate(0, 0, -10), EnteredAt: halfway.AddDate(0, 0, -9)}),
			// 45 ÷ 50 = 0.9
			want{status: OnTrack, soFar: fp(45), ratio: fp(0.9)}},
		{"the plan's issue date stands in for a missing start", func() Input {
			tk := task(fp(50), time.Time{})
			tk.Start = time.Time{}
			in := ms(tk, halfway)
			in.PlanIssued = start
			return in
		}(),
			// same dates as "on pace": 50 ÷ 50 = 1.0
			want{status: OnTrack, soFar: fp(50), ratio: fp(1)}},
		{"done on time", ms(task(fp(60), time.Time{}), judgedAt,
			TaskUpdate{Task: 7, Percent: 100, Done: true, Date: time.Date(2025, 6, 30, 0, 0, 0, 0, Vietnam), EnteredAt: time.Date(2025, 7, 1, 0, 0, 0, 0, Vietnam)}),
			want{status: Achieved, soFar: fp(100), vi: "hoàn thành ngày 30/06/2025, trong thời hạn 31/12/2025", en: "within its deadline"}},
		{"done late", ms(task(fp(100), time.Date(2026, 2, 1, 0, 0, 0, 0, Vietnam)), judgedAt),
			// finished 1 Feb 2026, after 31 Dec 2025
			want{status: Achieved, reason: "late", soFar: fp(100), vi: "trễ so với thời hạn 31/12/2025", en: "late for its deadline of 31 Dec 2025"}},
		{"overdue", ms(task(fp(80), time.Time{}), judgedAt),
			// 1 Mar 2026 is past 31 Dec 2025 and the task is not done
			want{status: OffTrack, reason: "overdue", soFar: fp(80), vi: "đã quá thời hạn 31/12/2025", en: "past its deadline"}},
		{"nothing known", ms(task(nil, time.Time{}), halfway),
			want{status: NoData, reason: "no_progress", vi: "Chưa có báo cáo tiến độ", en: "No progress"}},
		{"an update entered after the as-of date is ignored", ms(task(nil, time.Time{}), halfway,
			TaskUpdate{Task: 7, Percent: 90, Done: true, Date: halfway.AddDate(0, 0, -1), EnteredAt: halfway.AddDate(0, 0, 1)}),
			// entered the day after AsOf: nothing was known
			want{status: NoData, reason: "no_progress"}},
		{"a completion after the as-of date is not yet known", ms(task(fp(50), time.Date(2024, 1, 1, 0, 0, 0, 0, Vietnam)), halfway),
			// Done = 1 Jan 2024 lies after AsOf 3 July 2023: judged on 50 %
			want{status: OnTrack, soFar: fp(50), ratio: fp(1)}},
		{"no task", ms(nil, halfway),
			want{status: NoData, reason: "no_task"}},
		{"a task judged on its own with no deadline is never overdue", func() Input {
			tk := task(fp(10), time.Time{})
			tk.Deadline = time.Time{}
			in := ms(tk, judgedAt)
			in.Target.Period = YearRange{}
			return in
		}(),
			want{status: NoData, reason: "no_deadline", soFar: fp(10), vi: "chưa có thời hạn", en: "has no deadline"}},
		{"a task with no deadline, done", func() Input {
			tk := task(nil, time.Date(2025, 6, 30, 0, 0, 0, 0, Vietnam))
			tk.Deadline = time.Time{}
			in := ms(tk, judgedAt)
			in.Target.Period = YearRange{}
			return in
		}(),
			want{status: Achieved, soFar: fp(100), vi: "hoàn thành ngày 30/06/2025"}},
	}
	runEvalCases(t, cases)
}
