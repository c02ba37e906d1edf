package dashboard

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// auditPageSize is how many events one page of the trail shows.
const auditPageSize = 100

// auditKinds are the action prefixes the kind filter offers.
var auditKinds = []string{"login", "logout", "user", "value", "batch", "catalog", "planbook", "plan", "task_group", "task",
	"indicator", "target", "unit", "settings", "profile", "report", "db"}

// auditFilterForm is the filter as typed, kept on the page.
type auditFilterForm struct {
	User, Object, Kind, From, To string
}

type auditData struct {
	Filter auditFilterForm
	Kinds  []string
	Events []indicators.AuditEvent
	Older  string // link to the next page, if any
	Export string // download of the batch and audit history of the page's period
}

// auditPage lists audit events, newest first, filtered by user, object,
// kind and period.
func (s *Server) auditPage(c echo.Context) error {
	form := auditFilterForm{User: c.QueryParam("user"), Object: c.QueryParam("object"), Kind: c.QueryParam("kind"),
		From: c.QueryParam("from"), To: c.QueryParam("to")}
	f := indicators.AuditFilter{User: form.User, Object: form.Object, Action: form.Kind, Newest: true, Limit: auditPageSize + 1}
	if form.From != "" {
		d, err := indicators.ParseDate("from", form.From)
		if err != nil {
			return err
		}
		f.From = d
	}
	if form.To != "" {
		d, err := indicators.ParseDate("to", form.To)
		if err != nil {
			return err
		}
		f.To = indicators.EndOfDay(d)
	}
	if b := c.QueryParam("before"); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n < 1 {
			return indicators.FieldError(indicators.EINVALID, "before", "tham số before phải là số sự kiện",
				"before must be an event number")
		}
		f.Before = n
	}
	events, err := s.audit.AuditEvents(c.Request().Context(), f)
	if err != nil {
		return err
	}
	data := auditData{Filter: form, Kinds: auditKinds, Events: events, Export: auditExportLink(f.From, f.To)}
	if len(events) > auditPageSize {
		data.Events = events[:auditPageSize]
		q := url.Values{}
		for k, v := range map[string]string{"user": form.User, "object": form.Object, "kind": form.Kind, "from": form.From, "to": form.To} {
			if v != "" {
				q.Set(k, v)
			}
		}
		q.Set("before", strconv.FormatInt(data.Events[auditPageSize-1].ID, 10))
		data.Older = "/audit?" + q.Encode()
	}
	return s.render(c, http.StatusOK, "audit", data)
}

// auditExportLink is the address of the batch and audit history of the
// days from–to (either zero: open on that side). The history takes only a
// period: the user, object and kind filters of the page do not apply.
func auditExportLink(from, to time.Time) string {
	q := url.Values{}
	if d := dayParam(from); d != "" {
		q.Set("from", d)
	}
	if d := dayParam(to); d != "" {
		q.Set("to", d)
	}
	if len(q) == 0 {
		return "/audit/export"
	}
	return "/audit/export?" + q.Encode()
}

type auditEventData struct {
	Event      indicators.AuditEvent
	Prev, Next int64
}

// auditEvent shows one event with its before and after.
func (s *Server) auditEvent(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return indicators.FieldError(indicators.EINVALID, "id", "số sự kiện không hợp lệ", "the event number is not valid")
	}
	ev, err := s.audit.AuditEvent(c.Request().Context(), id)
	if err != nil {
		return err
	}
	data := auditEventData{Event: ev, Next: id + 1}
	if id > 1 {
		data.Prev = id - 1
	}
	return s.render(c, http.StatusOK, "audit_event", data)
}

type auditVerifyData struct {
	Broken *indicators.ChainBroken
	Head   indicators.AuditHead
	At     time.Time
}

// auditVerify walks the hash chain and names the first broken event. It
// reads only, so it is a GET.
func (s *Server) auditVerify(c echo.Context) error {
	ctx := c.Request().Context()
	broken, err := s.audit.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	head, err := s.audit.AuditHead(ctx)
	if err != nil {
		return err
	}
	if broken != nil {
		s.log.Error("audit chain broken", "event", broken.ID, "reason", broken.Reason, "by", c.Get("user_name"))
	}
	return s.render(c, http.StatusOK, "audit_verify", auditVerifyData{Broken: broken, Head: head, At: s.now()})
}
