package reminders_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/postgres"
	"chitieu/indicators/postgres/pgtest"
	"chitieu/indicators/sqlite"
	"chitieu/indicators/storetest"
	"chitieu/reminders"
)

// leaseStore is what the test asks of a store: what the scheduler needs,
// the lease, and enough to set up obligations and users.
type leaseStore interface {
	indicators.ReminderStore
	indicators.ObligationStore
	reminders.Users
	reminders.Lease
	LoadCatalog(ctx context.Context, c *indicators.Catalog) (indicators.CatalogResult, error)
	CreateUser(ctx context.Context, u *indicators.User) error
}

// countingInbox counts one scheduler's inbox reads (a round reads an
// inbox per user with an address), and notes when it read the first.
type countingInbox struct {
	indicators.InboxSource
	reads atomic.Int64
	first atomic.Int64 // Unix nanoseconds
}

func (c *countingInbox) Inbox(ctx context.Context, u indicators.User, asOf time.Time) ([]indicators.InboxItem, error) {
	c.first.CompareAndSwap(0, time.Now().UnixNano())
	c.reads.Add(1)
	return c.InboxSource.Inbox(ctx, u, asOf)
}

// crashedLease is a lease whose holder never gives it up, as a server
// killed mid-work does not. It notes when the last call that took or
// renewed the lease began: the lease lasts at least its time from then.
type crashedLease struct {
	reminders.Lease
	renewed *atomic.Int64 // Unix nanoseconds
}

func (l crashedLease) TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	began := time.Now().UnixNano()
	ok, err := l.Lease.TryLease(ctx, name, holder, ttl)
	if ok {
		l.renewed.Store(began)
	}
	return ok, err
}

func (crashedLease) ReleaseLease(context.Context, string, string) error { return nil }

// TestOneSenderAtATimeSQLite and TestOneSenderAtATimePostgres run two
// schedulers on one store, as two servers on one database, with one mail
// server: only the holder of the sender's lease reads inboxes and sends,
// through many rounds; once it stops (killed: it never gives the lease
// up), the other takes over when the lease expires and sends what came
// due since, and nothing is sent twice.
func TestOneSenderAtATimeSQLite(t *testing.T) {
	t.Parallel()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "r.db"), sqlite.WithLogger(quiet()))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	oneSender(t, db)
}

func TestOneSenderAtATimePostgres(t *testing.T) {
	dsn := pgtest.Fresh(t)
	t.Parallel()
	db, err := postgres.Open(context.Background(), dsn, postgres.WithLogger(quiet()),
		postgres.WithAuditKey(filepath.Join(t.TempDir(), "chitieu.key")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	oneSender(t, db)
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func oneSender(t *testing.T, db leaseStore) {
	sys := indicators.WithActor(context.Background(), indicators.Actor{User: "system"})
	cat := storetest.SmallCatalog()
	if _, err := db.LoadCatalog(sys, cat); err != nil {
		t.Fatal(err)
	}
	// Q1 2025 of the city is due on 14 March: due soon on 10 March, one
	// item in each planner's inbox.
	o := indicators.Obligation{Plan: cat.Plans[0].ID, Unit: "CT", Indicators: []string{"ECO-01"}, Frequency: indicators.Quarterly, FromYear: 2025}
	if err := db.AddObligation(sys, &o); err != nil {
		t.Fatal(err)
	}
	const users = 6
	for i := range users {
		if err := db.CreateUser(sys, &indicators.User{Name: fmt.Sprintf("cv%d", i), Role: indicators.Planner,
			PasswordHash: "$argon2id$unused"}); err != nil {
			t.Fatal(err)
		}
	}
	address := func(i int) string { return fmt.Sprintf("cv%d@sotaichinh.cantho.gov.vn", i) }
	giveAddress := func(i int) {
		t.Helper()
		if err := db.SetUserEmail(sys, fmt.Sprintf("cv%d", i), address(i)); err != nil {
			t.Fatal(err)
		}
	}
	mail := startMailServer(t)
	now := func() time.Time { return time.Date(2025, 3, 10, 8, 0, 0, 0, indicators.Vietnam) }
	const ttl = 400 * time.Millisecond
	type server struct {
		sch     *reminders.Scheduler
		inbox   *countingInbox
		renewed atomic.Int64
		stop    context.CancelFunc
		done    chan struct{}
	}
	start := func(holder string) *server {
		m, err := reminders.NewSMTP(mail.ln.Addr().String(), holder+"@chitieu.test")
		if err != nil {
			t.Fatal(err)
		}
		inbox := &countingInbox{InboxSource: indicators.Calendar{Store: db}}
		s := &server{inbox: inbox, done: make(chan struct{})}
		s.sch = &reminders.Scheduler{Store: db, Users: db, Inbox: inbox, Mailer: m, Log: quiet(), Now: now,
			Every: 50 * time.Millisecond, Lease: crashedLease{Lease: db, renewed: &s.renewed}, Holder: holder, LeaseTTL: ttl}
		ctx, cancel := context.WithCancel(context.Background())
		s.stop = func() {
			cancel()
			<-s.done
		}
		go func() {
			defer close(s.done)
			s.sch.Run(ctx)
		}()
		t.Cleanup(s.stop)
		return s
	}
	servers := map[string]*server{"a": start("a"), "b": start("b")}
	waitFor := func(n int) []message {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			if msgs := mail.messages(); len(msgs) >= n {
				return msgs
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d messages within 20 s, want %d", len(mail.messages()), n)
			}
		}
	}
	// Addresses come in one by one across many rounds.
	for i := range 4 {
		giveAddress(i)
		waitFor(i + 1)
		time.Sleep(60 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // more rounds, with nothing new to send
	msgs := mail.messages()
	holder := msgs[0].from[:1]
	other := map[string]string{"a": "b", "b": "a"}[holder]
	for _, m := range msgs {
		if m.from != holder+"@chitieu.test" {
			t.Fatalf("a message came from %s while %s held the lease: %+v", m.from, holder, msgs)
		}
	}
	if got := servers[other].inbox.reads.Load(); got != 0 {
		t.Fatalf("server %s read %d inboxes while %s held the lease; want none", other, got, holder)
	}
	held := servers[holder].inbox.reads.Load()
	// At least the four rounds that sent, and rounds after them that read
	// every inbox and sent nothing.
	if held < 4+4 {
		t.Fatalf("the holder read %d inboxes; want the rounds of a third of a second and more", held)
	}
	t.Logf("holder %s: %d inbox reads, %d messages; %s: none", holder, held, len(msgs), other)

	// The holder is killed: it never gives the lease up, and the other
	// takes it once it has expired.
	servers[holder].stop()
	stopped := time.Now()
	after := servers[holder].inbox.reads.Load()
	giveAddress(4)
	giveAddress(5)
	var took time.Duration
	for deadline := stopped.Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if servers[other].inbox.reads.Load() > 0 {
			took = time.Since(stopped)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server %s did not take over within 20 s of %s's stop", other, holder)
		}
	}
	waitFor(users)
	time.Sleep(200 * time.Millisecond) // rounds that might send a seventh message
	msgs = mail.messages()
	t.Logf("server %s took over %v after %s stopped (lease %v, looked at every %v)", other, took, holder, ttl, ttl/4)
	// The other server read no inbox before the holder's lease expired —
	// its last renewal began at least the lease's time before — and took
	// over soon after, allowing generously for a busy machine.
	expired := time.Unix(0, servers[holder].renewed.Load()).Add(ttl)
	if first := time.Unix(0, servers[other].inbox.first.Load()); first.Before(expired) {
		t.Errorf("server %s read an inbox %v before the holder's lease expired", other, expired.Sub(first))
	}
	if took > 10*ttl {
		t.Errorf("server %s took over %v after the holder stopped; want about the lease's %v", other, took, ttl)
	}
	if got := servers[holder].inbox.reads.Load(); got != after {
		t.Errorf("the stopped server read %d inboxes after its stop", got-after)
	}
	var to []string
	for i, m := range msgs {
		to = append(to, m.to)
		want := holder
		if i >= 4 {
			want = other
		}
		if m.from != want+"@chitieu.test" {
			t.Errorf("message %d to %s came from %s; want %s", i, m.to, m.from, want)
		}
	}
	sort.Strings(to)
	if len(to) != users {
		t.Fatalf("%d messages, want one to each of %d planners: %v", len(to), users, to)
	}
	for i := range users {
		if to[i] != address(i) {
			t.Fatalf("messages went to %v; want one to each planner", to)
		}
	}
}

// signalLease tells when its holder has taken the lease.
type signalLease struct {
	reminders.Lease
	taken chan struct{}
}

func (l signalLease) TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	ok, err := l.Lease.TryLease(ctx, name, holder, ttl)
	if ok {
		select {
		case l.taken <- struct{}{}:
		default:
		}
	}
	return ok, err
}

// TestSchedulerGivesItsLeaseUp: a scheduler stopped as a server stops
// (not killed) gives the lease up, so that another server takes it at once
// rather than when it expires, an hour later here.
func TestSchedulerGivesItsLeaseUp(t *testing.T) {
	t.Parallel()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "r.db"), sqlite.WithLogger(quiet()))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	taken := make(chan struct{}, 1)
	sch := &reminders.Scheduler{Store: db, Users: db, Inbox: indicators.Calendar{Store: db}, Log: quiet(),
		Every: time.Hour, Lease: signalLease{Lease: db, taken: taken}, Holder: "a", LeaseTTL: time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sch.Run(ctx)
	}()
	select {
	case <-taken:
	case <-time.After(10 * time.Second):
		t.Fatal("the scheduler took no lease within 10 s")
	}
	if ok, err := db.TryLease(context.Background(), reminders.LeaseName, "b", time.Hour); err != nil || ok {
		t.Fatalf("while a runs, b's TryLease = %v, %v; want it refused", ok, err)
	}
	cancel()
	wg.Wait()
	if ok, err := db.TryLease(context.Background(), reminders.LeaseName, "b", time.Hour); err != nil || !ok {
		t.Fatalf("after a stopped, b's TryLease = %v, %v; want the lease at once", ok, err)
	}
}
