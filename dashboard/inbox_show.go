package dashboard

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// Each user's inbox: what they are asked to do — the reports of their
// units overdue or due within a week, from the calendar, and whatever
// other source registers with AddInboxSource (submission and approval:
// submissions returned to a planner, awaiting an approver) — with a count
// in the header of every page, and the address they want reminders at.

// setupCalendar builds the calendar and the inbox on the store: the
// calendar's reports and the submissions returned or awaiting approval.
func (s *Server) setupCalendar(cfg Config) {
	s.calendarBook = indicators.Calendar{Store: cfg.Store}
	s.inbox = indicators.Inboxes{s.calendarBook, indicators.SubmissionInbox{Submissions: cfg.Store}}
	s.reminders = cfg.Store
	s.smtpOn = cfg.Reminders
}

// AddInboxSource adds a source of inbox items, to the page, the header's
// count and, through Inbox, the e-mail reminders.
func (s *Server) AddInboxSource(src indicators.InboxSource) { s.inbox = append(s.inbox, src) }

// Inbox is every source of inbox items of the server, for the reminders.
func (s *Server) Inbox() indicators.InboxSource { return s.inbox }

// inboxItems are the user's items as of now, from the cache while the
// store is unchanged and the day the same.
func (s *Server) inboxItems(ctx context.Context, u indicators.User) ([]indicators.InboxItem, error) {
	asOf := indicators.EndOfDay(s.now())
	v, err := s.cached(ctx, "inbox|"+u.Name+"|"+string(u.Role)+"|"+dayParam(asOf), func(ctx context.Context) (any, error) {
		return s.inbox.Inbox(ctx, u, asOf)
	})
	if err != nil {
		return nil, err
	}
	return v.([]indicators.InboxItem), nil
}

// inboxCount is the number the header shows; a failure to count shows
// nothing rather than failing the page.
func (s *Server) inboxCount(c echo.Context, u *indicators.User) int {
	if u == nil {
		return 0
	}
	items, err := s.inboxItems(c.Request().Context(), *u)
	if err != nil {
		s.log.Warn("inbox count", "user", u.Name, "err", err, "request_id", c.Get("request_id"))
		return 0
	}
	return len(items)
}

// inboxRow is one item as the page shows it.
type inboxRow struct {
	Kind, KindLabel, Plan, Unit, UnitName, Period, Deadline, Note, Link string
	Indicators                                                          int
}

type inboxData struct {
	Groups []inboxGroup
	Email  string
	CSRF   string
	Error  string
	Notice string
	SMTP   bool
}

type inboxGroup struct {
	Kind, Title string
	Rows        []inboxRow
}

// inboxKinds are the groups of the page, in order.
var inboxKinds = []indicators.InboxKind{indicators.InboxOverdue, indicators.InboxDueSoon, indicators.InboxReturned,
	indicators.InboxAwaiting}

// inboxPage lists the user's items by kind.
func (s *Server) inboxPage(c echo.Context) error {
	return s.showInbox(c, "", nil)
}

func (s *Server) showInbox(c echo.Context, typed string, failure error) error {
	ctx := c.Request().Context()
	lang := langOf(c)
	u, _ := currentUser(c)
	items, err := s.inboxItems(ctx, u)
	if err != nil {
		return err
	}
	names, err := s.unitNames(ctx, lang)
	if err != nil {
		return err
	}
	d := inboxData{CSRF: s.csrfToken(c), SMTP: s.smtpOn}
	if d.Email, err = s.reminders.UserEmail(ctx, u.Name); err != nil {
		return err
	}
	status := http.StatusOK
	if failure != nil {
		de, msg, ok := domainError(lang, failure)
		if !ok || de.Code != indicators.EINVALID {
			return failure
		}
		d.Error, d.Email, status = msg, typed, http.StatusUnprocessableEntity
	} else if c.QueryParam("done") == "inbox.email_saved" {
		d.Notice = s.msgs.translate(lang, "inbox.email_saved")
	}
	for _, k := range inboxKinds {
		g := inboxGroup{Kind: string(k), Title: s.msgs.translate(lang, "inbox.kind."+string(k))}
		for _, it := range items {
			if it.Kind != k {
				continue
			}
			g.Rows = append(g.Rows, inboxRow{Kind: string(k), Plan: it.Plan, Unit: it.Unit, UnitName: names[it.Unit],
				Period: it.Period.Label(lang), Deadline: formatDate(lang, it.Deadline), Note: it.Note,
				Indicators: len(it.Indicators), Link: inboxLink(it)})
		}
		if len(g.Rows) > 0 || slices.Contains([]indicators.InboxKind{indicators.InboxOverdue, indicators.InboxDueSoon}, k) {
			d.Groups = append(d.Groups, g)
		}
	}
	return s.render(c, status, "inbox", d)
}

// inboxEmail sets the signed-in user's address for reminders; an empty
// one stops them.
func (s *Server) inboxEmail(c echo.Context) error {
	u, _ := currentUser(c)
	typed := c.FormValue("email")
	if err := s.reminders.SetUserEmail(c.Request().Context(), u.Name, typed); err != nil {
		return s.showInbox(c, typed, err)
	}
	return seeOther(c, "/inbox", "inbox.email_saved")
}

// inboxLink is where an item is dealt with: a submission returned or
// awaiting approval on the submissions page of its unit and period, a
// report owed on the calendar of its year.
func inboxLink(it indicators.InboxItem) string {
	if it.Kind == indicators.InboxReturned || it.Kind == indicators.InboxAwaiting {
		return "/submissions?" + url.Values{"plan": {it.Plan}, "unit": {it.Unit}, "term": {it.Period.String()}}.Encode()
	}
	return "/calendar?plan=" + url.QueryEscape(it.Plan) + "&year=" + strconv.Itoa(it.Period.Year)
}
