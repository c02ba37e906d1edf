package reminders

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"chitieu/indicators"
)

// Users finds a user by login name.
type Users interface {
	User(ctx context.Context, name string) (indicators.User, error)
}

// Scheduler sends the reminders: every Every, for each user with an
// address, the inbox items not yet reminded, in one message. Its state is
// the database's: a restarted server, or a second one, skips what was
// claimed before.
type Scheduler struct {
	Store  indicators.ReminderStore
	Users  Users
	Inbox  indicators.InboxSource
	Mailer Mailer
	Log    *slog.Logger
	Now    func() time.Time // nil means time.Now
	Every  time.Duration    // between rounds; 0 means an hour
}

// Run sends a round at once and then every Every until ctx ends.
func (s *Scheduler) Run(ctx context.Context) {
	every := s.Every
	if every <= 0 {
		every = time.Hour
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := s.Round(ctx); err != nil {
			s.log().Error("reminders round", "err", err)
		} else if n > 0 {
			s.log().Info("reminders sent", "messages", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Scheduler) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

func (s *Scheduler) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Round sends one message to each user with items not reminded yet, and
// returns how many messages went out. A message that never reached the
// mail server gives its claims up, for the next round; one that may have
// reached it is not sent again.
func (s *Scheduler) Round(ctx context.Context) (int, error) {
	emails, err := s.Store.UserEmails(ctx)
	if err != nil {
		return 0, err
	}
	names := make([]string, 0, len(emails))
	for n := range emails {
		names = append(names, n)
	}
	sort.Strings(names)
	asOf := indicators.EndOfDay(s.now())
	sent := 0
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		u, err := s.Users.User(ctx, name)
		if err != nil {
			s.log().Warn("reminders: user", "user", name, "err", err)
			continue
		}
		items, err := s.Inbox.Inbox(ctx, u, asOf)
		if err != nil {
			return sent, fmt.Errorf("reminders: inbox of %s: %w", name, err)
		}
		var claimed []indicators.InboxItem
		var keys []string
		for _, it := range items {
			key := name + "|" + it.Key
			ok, err := s.Store.ClaimReminder(ctx, key, name, emails[name])
			if err != nil {
				return sent, err
			}
			if ok {
				claimed, keys = append(claimed, it), append(keys, key)
			}
		}
		if len(claimed) == 0 {
			continue
		}
		subject, body := Message(u, claimed)
		sendErr := s.Mailer.Send(ctx, emails[name], subject, body)
		for _, k := range keys {
			var err error
			if sendErr != nil && NotSent(sendErr) {
				err = s.Store.ReleaseReminder(ctx, k)
			} else {
				err = s.Store.ReminderSent(ctx, k, sendErr)
			}
			if err != nil {
				return sent, err
			}
		}
		if sendErr != nil {
			s.log().Warn("reminders: send", "user", name, "items", len(claimed), "err", sendErr, "retry", NotSent(sendErr))
			continue
		}
		sent++
	}
	return sent, nil
}

// Message is the reminder of items for u: Vietnamese first, English below.
func Message(u indicators.User, items []indicators.InboxItem) (subject, body string) {
	subject = fmt.Sprintf("[chitieu] %d việc cần làm / %d items to do", len(items), len(items))
	var b strings.Builder
	who := u.FullName
	if who == "" {
		who = u.Name
	}
	fmt.Fprintf(&b, "Kính gửi %s,\n\nchitieu nhắc anh/chị những việc sau:\n\n", who)
	for _, it := range items {
		fmt.Fprintf(&b, "- %s: %s, %s", kindVI[it.Kind], it.Unit, it.Period.Label("vi"))
		if !it.Deadline.IsZero() {
			fmt.Fprintf(&b, ", hạn %s", it.Deadline.Format("02/01/2006"))
		}
		b.WriteString("\n")
	}
	b.WriteString("\nXem chi tiết tại trang Việc cần làm (/inbox).\n\n---\n\nYou have these items to do:\n\n")
	for _, it := range items {
		fmt.Fprintf(&b, "- %s: %s, %s", kindEN[it.Kind], it.Unit, it.Period.Label("en"))
		if !it.Deadline.IsZero() {
			fmt.Fprintf(&b, ", due %s", it.Deadline.Format("2 Jan 2006"))
		}
		b.WriteString("\n")
	}
	b.WriteString("\nSee the Inbox page (/inbox).\n")
	return subject, b.String()
}

var kindVI = map[indicators.InboxKind]string{
	indicators.InboxOverdue: "Quá hạn", indicators.InboxDueSoon: "Sắp đến hạn",
	indicators.InboxReturned: "Bị trả lại", indicators.InboxAwaiting: "Chờ phê duyệt",
}

var kindEN = map[indicators.InboxKind]string{
	indicators.InboxOverdue: "Overdue", indicators.InboxDueSoon: "Due soon",
	indicators.InboxReturned: "Returned", indicators.InboxAwaiting: "Awaiting approval",
}
