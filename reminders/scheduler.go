package reminders

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strings"
	"time"

	"chitieu/indicators"
)

// Users finds a user by login name.
type Users interface {
	User(ctx context.Context, name string) (indicators.User, error)
}

// Lease keeps one sender among the servers of a database: a lease in the
// database that one holder has at a time, until it expires unrenewed.
type Lease interface {
	// TryLease takes the lease name for holder, or renews it, for ttl;
	// true when holder holds it now.
	TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	// ReleaseLease gives up holder's lease, so that another may take it.
	ReleaseLease(ctx context.Context, name, holder string) error
}

// LeaseName is the lease the reminders' sender holds.
const LeaseName = "reminders"

// Scheduler sends the reminders: every Every, for each user with an
// address, the inbox items not yet reminded, in one message. Its state is
// the database's: a restarted server, or a second one, skips what was
// claimed before. With a Lease, only the server holding it runs rounds, so
// that of several servers on one database one reads the inboxes and talks
// to the mail server; the others take over within about LeaseTTL of the
// holder's stopping.
type Scheduler struct {
	Store  indicators.ReminderStore
	Users  Users
	Inbox  indicators.InboxSource
	Mailer Mailer
	Log    *slog.Logger
	Now    func() time.Time // nil means time.Now
	Every  time.Duration    // between rounds; 0 means an hour

	Lease    Lease         // nil: every round runs (one server)
	Holder   string        // this server in the lease; "" means a name made up at Run
	LeaseTTL time.Duration // how long the lease lasts unrenewed; 0 means a minute

	renewed time.Time // when the lease was last taken or renewed (Run's goroutine)
}

// leaseTTL is the lease's time, and look how often a server renews the
// lease it holds or tries to take it: four times within its time, so that
// a renewal late by a beat or two does not lose it, and a server takes
// over at most a beat after the lease expires.
func (s *Scheduler) leaseTTL() (ttl, look time.Duration) {
	ttl = s.LeaseTTL
	if ttl <= 0 {
		ttl = time.Minute
	}
	return ttl, ttl / 4
}

// Run sends rounds until ctx ends: a round at once and then every Every
// or, with a Lease, while this server holds it: it renews the lease or
// tries to take it every quarter of LeaseTTL, runs a round when it has it
// and none ran within Every, and gives it up when ctx ends.
func (s *Scheduler) Run(ctx context.Context) {
	every := s.Every
	if every <= 0 {
		every = time.Hour
	}
	if s.Lease == nil {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			s.runRound(ctx)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}
	if s.Holder == "" {
		s.Holder = holderName()
	}
	_, look := s.leaseTTL()
	t := time.NewTicker(min(look, every))
	defer t.Stop()
	defer s.release(ctx)
	var last time.Time // this server's last round while holding the lease
	for {
		held := s.take(ctx)
		switch {
		case !held:
			last = time.Time{} // a lease taken back later starts with a round
		case last.IsZero() || time.Since(last) >= every:
			last = time.Now()
			s.runRound(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// runRound runs a round and logs how it went.
func (s *Scheduler) runRound(ctx context.Context) {
	if n, err := s.Round(ctx); err != nil && !errors.Is(err, errLeaseLost) && ctx.Err() == nil {
		s.log().Error("reminders round", "err", err)
	} else if n > 0 {
		s.log().Info("reminders sent", "messages", n)
	}
}

// take takes or renews the lease, saying in the log when this server
// starts or stops being the sender.
func (s *Scheduler) take(ctx context.Context) bool {
	had := !s.renewed.IsZero()
	ttl, _ := s.leaseTTL()
	ok, err := s.Lease.TryLease(ctx, LeaseName, s.Holder, ttl)
	if err != nil {
		if ctx.Err() == nil {
			s.log().Warn("reminders: could not take or renew the sender's lease", "holder", s.Holder, "err", err)
		}
		ok = false
	}
	switch {
	case ok && !had:
		s.log().Info("reminders: this server sends the reminders now", "holder", s.Holder)
	case !ok && had:
		s.log().Info("reminders: another server sends the reminders now", "holder", s.Holder)
	}
	if ok {
		s.renewed = time.Now()
	} else {
		s.renewed = time.Time{}
	}
	return ok
}

// errLeaseLost stops a round whose server no longer holds the lease.
var errLeaseLost = errors.New("reminders: the sender's lease was lost; another server sends the reminders")

// keep reports whether this server may go on with a round: without a
// lease always; with one, while it holds it, renewed when a quarter of its
// time has gone since the last renewal, so that a long round (many users,
// a slow mail server) neither loses it midway nor runs on after another
// server has taken it.
func (s *Scheduler) keep(ctx context.Context) bool {
	if s.Lease == nil {
		return true
	}
	if _, look := s.leaseTTL(); !s.renewed.IsZero() && time.Since(s.renewed) < look {
		return true
	}
	return s.take(ctx)
}

// release gives the lease up as the server stops, so that another server
// takes over at its next look rather than when the lease expires.
func (s *Scheduler) release(ctx context.Context) {
	if s.renewed.IsZero() {
		return
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := s.Lease.ReleaseLease(rctx, LeaseName, s.Holder); err != nil {
		s.log().Warn("reminders: could not give up the sender's lease; another server takes it when it expires", "err", err)
	}
	s.renewed = time.Time{}
}

// holderName names this server in the lease: its host and process, and a
// random part, since two schedulers may run in one process (tests).
func holderName() string {
	host, _ := os.Hostname()
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("reminders: no randomness: " + err.Error()) // crypto/rand does not fail on supported systems
	}
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b[:]))
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
		if !s.keep(ctx) {
			return sent, errLeaseLost
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
