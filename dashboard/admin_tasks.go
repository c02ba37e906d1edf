package dashboard

import (
	"net/http"
	"net/url"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// Tasks and key projects (nhiệm vụ, công trình trọng điểm), for admins.
// Their progress is recorded on the task page (task_progress.go).

func taskValues(t indicators.Task, lang string) formValues {
	v := formValues{"code": t.Code, "plan": t.Plan, "group": inputInt(t.Group, false), "name_vi": t.NameVI,
		"name_en": t.NameEN, "lead_agency": t.LeadAgency, "start": inputDate(t.Start), "deadline": inputDate(t.Deadline),
		"done": inputDate(t.Done), "status_note": t.StatusNote, "source": t.Source}
	if t.Percent != nil {
		v["percent"] = inputNumber(lang, *t.Percent)
	}
	return v
}

func parseTask(lang string, v formValues) (indicators.Task, error) {
	t := indicators.Task{Code: v["code"], Plan: v["plan"], NameVI: v["name_vi"], NameEN: v["name_en"],
		LeadAgency: v["lead_agency"], StatusNote: v["status_note"], Source: v["source"]}
	var err error
	if t.Group, err = v.integer("group"); err != nil {
		return t, err
	}
	if t.Start, err = v.date("start"); err != nil {
		return t, err
	}
	if t.Deadline, err = v.date("deadline"); err != nil {
		return t, err
	}
	if t.Done, err = v.date("done"); err != nil {
		return t, err
	}
	x, ok, err := v.number(lang, "percent")
	if err != nil {
		return t, err
	}
	if ok {
		t.Percent = &x
	}
	return t, t.Validate()
}

func (s *Server) taskForm(c echo.Context, action, submit string, edit bool, v formValues) (*adminForm, error) {
	lang := langOf(c)
	ctx := c.Request().Context()
	plans, err := s.store.Plans(ctx)
	if err != nil {
		return nil, err
	}
	units, err := s.store.Units(ctx)
	if err != nil {
		return nil, err
	}
	f := newForm(action, submit, s.csrfToken(c), v)
	f.ID = "task-form"
	f.add(formField{Name: "code", Label: "admin.task.code", Help: "admin.task.code_help", Required: true, ReadOnly: edit})
	f.add(formField{Name: "plan", Label: "admin.plan", Kind: selectField, Options: planOptions(lang, plans)})
	f.add(formField{Name: "group", Label: "admin.task_group", Kind: integerField})
	f.add(formField{Name: "name_vi", Label: "admin.name_vi", Kind: areaField, Required: true, Wide: true})
	f.add(formField{Name: "name_en", Label: "admin.name_en", Kind: areaField, Wide: true})
	f.add(formField{Name: "lead_agency", Label: "admin.lead_agency", Help: "admin.task.lead_help", Kind: selectField,
		Options: withBlank(s.msgs.translate(lang, "admin.none"), agencyOptions(lang, units))})
	f.add(formField{Name: "start", Label: "admin.task.start", Kind: dateField})
	f.add(formField{Name: "deadline", Label: "admin.task.deadline", Kind: dateField})
	f.add(formField{Name: "percent", Label: "admin.task.percent", Help: "admin.task.percent_help", Kind: numberField})
	f.add(formField{Name: "done", Label: "admin.task.done", Kind: dateField})
	f.add(formField{Name: "status_note", Label: "admin.task.status_note", Kind: areaField, Wide: true})
	f.add(formField{Name: "source", Label: "admin.source", Help: "admin.source_help"})
	return f, nil
}

type adminTaskData struct {
	adminPage
	Form     *adminForm
	Progress string // link to the task's progress page; empty for a new task
}

// showTaskForm draws the form of a new task (stored empty) or a stored one.
func (s *Server) showTaskForm(c echo.Context, stored string, v formValues, failure error) error {
	lang := langOf(c)
	action, submit := "/admin/tasks", "admin.create"
	if stored != "" {
		action, submit = "/admin/tasks/"+url.PathEscape(stored), "admin.save"
	}
	f, err := s.taskForm(c, action, submit, stored != "", v)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if failure != nil {
		if status, err = f.fail(lang, failure, nil); err != nil {
			return err
		}
	}
	d := adminTaskData{adminPage: s.newAdminPage(c, "admin.tasks.new"), Form: f}
	if stored != "" {
		d.adminPage = s.newAdminPage(c, "admin.tasks.one", stored)
		d.Progress = "/tasks/" + url.PathEscape(stored)
	}
	d.crumb("/admin/plans", s.msgs.translate(lang, "admin.plans.title"))
	if p, err := s.store.Plan(c.Request().Context(), v["plan"]); err == nil {
		d.crumb("/admin/plans/"+url.PathEscape(p.ID), p.Code)
	}
	return s.render(c, status, "admin_task", d)
}

// adminTaskNew shows the form for a new task of the plan in ?plan=.
func (s *Server) adminTaskNew(c echo.Context) error {
	v := formValues{"plan": c.QueryParam("plan"), "group": "0"}
	if v["plan"] == "" {
		plans, err := s.store.Plans(c.Request().Context())
		if err != nil {
			return err
		}
		if len(plans) > 0 {
			v["plan"] = plans[0].ID
		}
	}
	return s.showTaskForm(c, "", v, nil)
}

// adminTaskCreate stores a new task.
func (s *Server) adminTaskCreate(c echo.Context) error {
	v, err := readValues(c)
	if err != nil {
		return err
	}
	t, err := parseTask(langOf(c), v)
	if err == nil {
		err = s.editor.CreateTask(c.Request().Context(), &t)
	}
	if err != nil {
		return s.showTaskForm(c, "", v, err)
	}
	return seeOther(c, "/admin/tasks/"+url.PathEscape(t.Code), "admin.tasks.created")
}

// adminTask shows a task's form.
func (s *Server) adminTask(c echo.Context) error {
	t, err := s.editor.Task(c.Request().Context(), pathParam(c, "task"))
	if err != nil {
		return err
	}
	return s.showTaskForm(c, t.Code, taskValues(t, langOf(c)), nil)
}

// adminTaskUpdate changes a task; its code stays.
func (s *Server) adminTaskUpdate(c echo.Context) error {
	ctx := c.Request().Context()
	stored, err := s.editor.Task(ctx, pathParam(c, "task"))
	if err != nil {
		return err
	}
	v, err := readValues(c)
	if err != nil {
		return err
	}
	v["code"] = stored.Code
	t, err := parseTask(langOf(c), v)
	if err == nil {
		err = s.editor.UpdateTask(ctx, t)
	}
	if err != nil {
		return s.showTaskForm(c, stored.Code, v, err)
	}
	return seeOther(c, "/admin/tasks/"+url.PathEscape(t.Code), "admin.saved")
}
