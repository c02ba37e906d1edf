package dashboard_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"chitieu/dashboard/logintest"
	"chitieu/indicators"
)

// A planner of a task's lead agency and task group records its progress
// from the task's page, reached from the task group's page; the report is
// kept, audited and shown in the history. A planner of another agency sees
// the task without the form and is refused when posting anyway.
func TestTaskProgressByScope(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	ctx := context.Background()
	logintest.AddUser(t, e.db, "sxd", indicators.Planner, "", []string{"SXD"}, []int{3})
	logintest.AddUser(t, e.db, "stc", indicators.Planner, "", []string{"STC"}, nil)
	logintest.AddUser(t, e.db, "lanh.dao", indicators.Leader, "", nil, nil)
	inScope := logintest.Login(t, e.ts.URL, "sxd", "")
	outScope := logintest.Login(t, e.ts.URL, "stc", "")
	leader := logintest.Login(t, e.ts.URL, "lanh.dao", "")
	task, err := e.db.Task(ctx, "G3-T07") // lead agency SXD, task group 3
	if err != nil {
		t.Fatal(err)
	}

	// The task group's page links the task's progress page for planners,
	// not for leaders.
	_, group := e.page(t, inScope, "/groups/3?plan="+r59+"&lang=vi")
	if !strings.Contains(group, `href="/tasks/G3-T07"`) {
		t.Error("the task group page offers the planner no link to report progress")
	}
	_, group = e.page(t, leader, "/groups/3?plan="+r59+"&lang=vi")
	if strings.Contains(group, `href="/tasks/G3-T07"`) {
		t.Error("the task group page offers a leader a link to report progress")
	}

	status, page := e.page(t, inScope, "/tasks/G3-T07?lang=vi")
	if status != 200 || !strings.Contains(page, `id="progress-form"`) {
		t.Fatalf("task page for the planner in scope = %d, no form:\n%.2000s", status, page)
	}
	today := time.Now().In(indicators.Vietnam).Format(indicators.DateLayout)
	if fieldValue(page, "date") != today {
		t.Errorf("the date field holds %q, want today %s", fieldValue(page, "date"), today)
	}

	// A mistake comes back next to its field with the input kept.
	before := e.lastEvent(t)
	status, _, page = e.post(t, inScope, "/tasks/G3-T07/progress?lang=vi", url.Values{"percent": {"120"}, "date": {today},
		"note": {"vượt kế hoạch?"}})
	if status != http.StatusBadRequest || !strings.Contains(fieldError(page, "percent"), "phải từ 0 đến 100") ||
		fieldValue(page, "note") != "vượt kế hoạch?" {
		t.Errorf("percent 120 = %d, %q", status, fieldError(page, "percent"))
	}

	status, loc, page := e.post(t, inScope, "/tasks/G3-T07/progress?lang=vi", url.Values{"percent": {"45,5"}, "date": {today},
		"note": {"Đã thông xe kỹ thuật nhánh chính"}})
	if status != http.StatusSeeOther || loc != "/tasks/G3-T07?done=task.progress_saved" {
		t.Fatalf("report = %d %q:\n%.1500s", status, loc, page)
	}
	ups, err := e.db.TaskUpdates(ctx, task.ID)
	if err != nil || len(ups) != 1 || ups[0].Percent != 45.5 || ups[0].EnteredBy != "sxd" || ups[0].Note != "Đã thông xe kỹ thuật nhánh chính" {
		t.Fatalf("updates = %+v, %v", ups, err)
	}
	if evs := e.eventsAfter(t, before, "task.progress"); len(evs) != 1 || evs[0].User != "sxd" {
		t.Errorf("audit = %+v", evs)
	}
	_, page = e.page(t, inScope, loc)
	hist := page[strings.Index(page, `id="task-history"`):]
	if !strings.Contains(page, "Đã ghi báo cáo tiến độ.") || !strings.Contains(hist, "45,5 %") || !strings.Contains(hist, "sxd") {
		t.Errorf("the task page does not show the report:\n%.1500s", hist)
	}

	// The task group's page shows the percent as reported, in the period of
	// that report: the task has no deadline, so it belongs to the period in
	// which its last progress was reported (DESIGN.md §3).
	y := time.Now().In(indicators.Vietnam).Year()
	from := 2021 + (y-2021)/5*5
	_, group = e.page(t, leader, fmt.Sprintf("/groups/3?plan=%s&lang=vi&period=%d-%d", r59, from, from+4))
	row := group[strings.Index(group, "G3-T07</span>"):]
	row = row[:strings.Index(row, "</tr>")]
	if !strings.Contains(row, "45,5 %") {
		t.Errorf("the task group page does not show the reported percent:\n%s", row)
	}

	// Out of scope: no form, and a refusal when posting all the same.
	status, page = e.page(t, outScope, "/tasks/G3-T07?lang=vi")
	if status != 200 || strings.Contains(page, `id="progress-form"`) || !strings.Contains(page, "ngoài phạm vi") {
		t.Errorf("task page out of scope = %d, form shown %v", status, strings.Contains(page, `id="progress-form"`))
	}
	before = e.lastEvent(t)
	status, _, page = e.post(t, outScope, "/tasks/G3-T07/progress?lang=vi", url.Values{"percent": {"90"}, "date": {today}})
	if status != http.StatusForbidden || !strings.Contains(page, "không được báo cáo tiến độ nhiệm vụ G3-T07") {
		t.Errorf("report out of scope = %d:\n%.1500s", status, page)
	}
	if ups, _ := e.db.TaskUpdates(ctx, task.ID); len(ups) != 1 || e.lastEvent(t) != before {
		t.Errorf("a refused report was stored: %+v", ups)
	}
	// A leader may not reach the page at all.
	if status, _ := e.page(t, leader, "/tasks/G3-T07"); status != http.StatusForbidden {
		t.Errorf("task page for a leader = %d, want 403", status)
	}
	// An admin may report on any task.
	if status, _, _ := e.post(t, e.admin, "/tasks/G2-T01/progress", url.Values{"percent": {"100"}, "date": {today}, "done": {"1"}}); status != http.StatusSeeOther {
		t.Errorf("admin report = %d", status)
	}
}
