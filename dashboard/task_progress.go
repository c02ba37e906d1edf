package dashboard

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// A task's page for the people who report on it: its facts, the history
// of its progress reports, and the form to add one. Planners may report on
// the tasks of the agencies and task groups of their scope; the store
// checks it, and the page offers the form only to them and to admins.
// Reports are kept, never replaced: the dashboards and the engine read the
// latest one known at their as-of date.

// updateRow is one progress report in the history.
type updateRow struct {
	Date, Note, By, At string
	Percent            float64
	Done               bool
}

type taskPageData struct {
	adminPage
	Code, Name, Plan, Lead, Start, Deadline, Done, StatusNote string
	Group                                                     int
	Percent                                                   *float64
	Latest                                                    *updateRow
	History                                                   []updateRow
	Form                                                      *adminForm // nil when the user may not report on the task
	GroupLink, EditLink                                       string
}

// findTask returns the task named in the path.
func (s *Server) findTask(c echo.Context) (indicators.Task, error) {
	return s.editor.Task(c.Request().Context(), pathParam(c, "task"))
}

// taskPage shows a task, its progress reports and the form to add one.
func (s *Server) taskPage(c echo.Context) error {
	t, err := s.findTask(c)
	if err != nil {
		return err
	}
	today := s.now().In(indicators.Vietnam).Format(indicators.DateLayout)
	return s.showTask(c, t, formValues{"date": today}, nil)
}

func (s *Server) showTask(c echo.Context, t indicators.Task, v formValues, failure error) error {
	ctx := c.Request().Context()
	lang := langOf(c)
	p, err := s.store.Plan(ctx, t.Plan)
	if err != nil {
		return err
	}
	units, err := s.unitNames(c.Request().Context(), lang)
	if err != nil {
		return err
	}
	updates, err := s.store.TaskUpdates(ctx, t.ID)
	if err != nil {
		return err
	}
	d := taskPageData{adminPage: s.newAdminPage(c, "task.page_title", t.Code), Code: t.Code, Name: pick(lang, t.NameVI, t.NameEN),
		Plan: p.Code, Group: t.Group, Lead: units[t.LeadAgency], Start: formatDate(lang, t.Start),
		Deadline: formatDate(lang, t.Deadline), Done: formatDate(lang, t.Done), StatusNote: t.StatusNote, Percent: t.Percent,
		GroupLink: "/groups/" + strconv.Itoa(t.Group) + "?" + url.Values{"plan": {p.ID}}.Encode()}
	if d.Lead == "" {
		d.Lead = t.LeadAgency
	}
	// The way back is the task group on the dashboards, for planners too.
	d.Crumbs = []crumb{{URL: d.GroupLink, Label: s.msgs.translate(lang, "group.heading", t.Group)}}
	u, _ := currentUser(c)
	if u.Role == indicators.Admin {
		d.EditLink = "/admin/tasks/" + url.PathEscape(t.Code)
	}
	for _, x := range updates {
		d.History = append(d.History, updateRow{Date: formatDate(lang, x.Date), Note: x.Note, By: indicators.AuthorName(x.EnteredBy, lang),
			At: formatDateTime(lang, x.EnteredAt), Percent: x.Percent, Done: x.Done})
	}
	// Newest first: the latest report by its date, then by entry.
	slices.Reverse(d.History)
	if last, ok := indicators.LatestUpdate(updates, s.now()); ok {
		d.Latest = &updateRow{Date: formatDate(lang, last.Date), Note: last.Note, By: indicators.AuthorName(last.EnteredBy, lang),
			At: formatDateTime(lang, last.EnteredAt), Percent: last.Percent, Done: last.Done}
	}
	status := http.StatusOK
	if indicators.ActorFrom(ctx).MayReport(t) {
		f := newForm("/tasks/"+url.PathEscape(t.Code)+"/progress", "task.record", s.csrfToken(c), v)
		f.ID = "progress-form"
		f.add(formField{Name: "percent", Label: "task.percent_field", Help: "task.percent_help", Kind: numberField, Required: true})
		f.add(formField{Name: "date", Label: "task.date", Help: "task.date_help", Kind: dateField, Required: true})
		f.add(formField{Name: "done", Label: "task.done_field", Kind: checkboxField})
		f.add(formField{Name: "note", Label: "task.note", Kind: areaField, Wide: true})
		if failure != nil {
			if status, err = f.fail(lang, failure, map[string]string{"task": "percent"}); err != nil {
				return err
			}
		}
		d.Form = f
	} else if failure != nil {
		de, msg, ok := domainError(lang, failure)
		if !ok || de.Code == indicators.ENOTFOUND {
			return failure
		}
		d.Error, status = msg, statusOf(de.Code)
	}
	return s.render(c, status, "task", d)
}

// taskProgress records a progress report on a task.
func (s *Server) taskProgress(c echo.Context) error {
	t, err := s.findTask(c)
	if err != nil {
		return err
	}
	lang := langOf(c)
	v, err := readValues(c)
	if err != nil {
		return err
	}
	u := indicators.TaskUpdate{Task: t.ID, Note: v["note"], Done: v["done"] != ""}
	x, ok, err := v.number(lang, "percent")
	if err == nil && !ok {
		err = indicators.FieldError(indicators.EINVALID, "percent", "thiếu tỷ lệ hoàn thành", "percent complete is missing")
	}
	if err != nil {
		return s.showTask(c, t, v, err)
	}
	u.Percent = x
	if u.Date, err = v.date("date"); err != nil {
		return s.showTask(c, t, v, err)
	}
	if err := s.editor.AddTaskUpdate(c.Request().Context(), &u); err != nil {
		return s.showTask(c, t, v, err)
	}
	return seeOther(c, "/tasks/"+url.PathEscape(t.Code), "task.progress_saved")
}
