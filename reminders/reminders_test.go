package reminders_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"mime/quotedprintable"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/sqlite"
	"chitieu/internal/testdb"
	"chitieu/reminders"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

// mailServer is a tiny SMTP server speaking what net/smtp needs: it
// keeps every message it accepts.
type mailServer struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []message
}

type message struct {
	from, to string
	data     string
}

func startMailServer(t *testing.T) *mailServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &mailServer{ln: ln}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(conn)
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return s
}

func (s *mailServer) serve(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	say := func(line string) { io.WriteString(conn, line+"\r\n") }
	say("220 localhost ESMTP test")
	var m message
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.TrimRight(line, "\r\n")
		upper := strings.ToUpper(cmd)
		switch {
		case strings.HasPrefix(upper, "EHLO"), strings.HasPrefix(upper, "HELO"):
			say("250-localhost")
			say("250 8BITMIME")
		case strings.HasPrefix(upper, "MAIL FROM:"):
			m = message{from: angle(cmd)}
			say("250 OK")
		case strings.HasPrefix(upper, "RCPT TO:"):
			m.to = angle(cmd)
			say("250 OK")
		case upper == "DATA":
			say("354 go on")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(strings.TrimPrefix(l, "."))
			}
			m.data = b.String()
			s.mu.Lock()
			s.msgs = append(s.msgs, m)
			s.mu.Unlock()
			say("250 queued")
		case upper == "QUIT":
			say("221 bye")
			return
		default:
			say("250 OK")
		}
	}
}

// angle is the address between < and > of a MAIL or RCPT command.
func angle(cmd string) string {
	_, rest, _ := strings.Cut(cmd, "<")
	addr, _, _ := strings.Cut(rest, ">")
	return addr
}

func (s *mailServer) messages() []message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]message(nil), s.msgs...)
}

// body decodes a message's quoted-printable body.
func body(t *testing.T, m message) string {
	t.Helper()
	_, raw, _ := strings.Cut(m.data, "\r\n\r\n")
	b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(raw)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestReminderSentOnceAcrossARestart sends the reminders of a planner
// who owes a commune's monthly report, then runs a new scheduler on the
// reopened database — as after a restart — and checks that nothing is
// sent twice, while an item that comes due later is sent once.
func TestReminderSentOnceAcrossARestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := testdb.Path(t, false)
	clock := time.Date(2025, 3, 10, 8, 0, 0, 0, indicators.Vietnam)
	now := func() time.Time { return clock }
	open := func() *sqlite.DB {
		db, err := sqlite.Open(ctx, path, sqlite.WithClock(now))
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	db := open()
	units, _ := db.Units(ctx)
	commune := ""
	for _, u := range units {
		if u.Kind == indicators.Commune {
			commune = u.Code
			break
		}
	}
	inds, _ := db.Indicators(ctx)
	plans, _ := db.Plans(ctx)
	sys := indicators.WithActor(ctx, indicators.Actor{User: "system"})
	o := indicators.Obligation{Plan: plans[0].ID, Unit: commune, Indicators: []string{inds[0].Code}, Frequency: indicators.Monthly, FromYear: 2025}
	if err := db.AddObligation(sys, &o); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUser(ctx, &indicators.User{Name: "hoa", FullName: "Nguyễn Thị Hoa", Role: indicators.Planner,
		Units: []string{commune}, PasswordHash: "$argon2id$unused"}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetUserEmail(sys, "hoa", "hoa@sotaichinh.cantho.gov.vn"); err != nil {
		t.Fatal(err)
	}
	mail := startMailServer(t)
	smtpc, err := reminders.NewSMTP(mail.ln.Addr().String(), "chitieu@cantho.gov.vn")
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	scheduler := func(db *sqlite.DB, m reminders.Mailer) *reminders.Scheduler {
		return &reminders.Scheduler{Store: db, Users: db, Inbox: indicators.Calendar{Store: db}, Mailer: m, Log: quiet, Now: now}
	}

	// 10 March: January and February overdue (due 14 Jan, 14 Feb), March
	// due on the 14th, within a week: one message of three items.
	n, err := scheduler(db, smtpc).Round(ctx)
	if err != nil || n != 1 {
		t.Fatalf("first round: %d messages, %v; want 1", n, err)
	}
	msgs := mail.messages()
	if len(msgs) != 1 || msgs[0].to != "hoa@sotaichinh.cantho.gov.vn" || msgs[0].from != "chitieu@cantho.gov.vn" {
		t.Fatalf("messages: %+v", msgs)
	}
	text := body(t, msgs[0])
	for _, want := range []string{"Nguyễn Thị Hoa", "Quá hạn: " + commune + ", Tháng 1/2025", "Quá hạn: " + commune + ", Tháng 2/2025",
		"Sắp đến hạn: " + commune + ", Tháng 3/2025, hạn 14/03/2025", "Due soon"} {
		if !strings.Contains(text, want) {
			t.Errorf("the message lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(msgs[0].data, "Subject: =?utf-8?q?") {
		t.Errorf("the subject is not encoded: %.200s", msgs[0].data)
	}

	// A restart: the database closed and opened again, a new scheduler.
	db.Close()
	db = open()
	defer db.Close()
	if n, err := scheduler(db, smtpc).Round(ctx); err != nil || n != 0 {
		t.Fatalf("after the restart: %d messages, %v; want none", n, err)
	}
	// 15 March: March is now overdue — a new item, reminded once.
	clock = time.Date(2025, 3, 15, 8, 0, 0, 0, indicators.Vietnam)
	if n, err := scheduler(db, smtpc).Round(ctx); err != nil || n != 1 {
		t.Fatalf("15 March: %d messages, %v; want 1", n, err)
	}
	if n, _ := scheduler(db, smtpc).Round(ctx); n != 0 {
		t.Fatalf("15 March again: %d messages, want none", n)
	}
	msgs = mail.messages()
	if len(msgs) != 2 {
		t.Fatalf("got %d messages in all, want 2", len(msgs))
	}
	text = body(t, msgs[1])
	if !strings.Contains(text, "Quá hạn: "+commune+", Tháng 3/2025") || strings.Contains(text, "Tháng 1/2025") {
		t.Errorf("the second message is not only March overdue:\n%s", text)
	}
}

// TestReminderRetriedWhenTheServerIsDown gives up the claims of a message
// the mail server never took, and sends it in the next round.
func TestReminderRetriedWhenTheServerIsDown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := time.Date(2025, 3, 10, 8, 0, 0, 0, indicators.Vietnam)
	db, err := sqlite.Open(ctx, testdb.Path(t, false), sqlite.WithClock(func() time.Time { return clock }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	plans, _ := db.Plans(ctx)
	inds, _ := db.Indicators(ctx)
	sys := indicators.WithActor(ctx, indicators.Actor{User: "system"})
	o := indicators.Obligation{Plan: plans[0].ID, Unit: "CT", Indicators: []string{inds[0].Code}, Frequency: indicators.Quarterly, FromYear: 2025}
	if err := db.AddObligation(sys, &o); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUser(ctx, &indicators.User{Name: "lan", Role: indicators.Planner, PasswordHash: "$argon2id$unused"}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetUserEmail(sys, "lan", "lan@example.vn"); err != nil {
		t.Fatal(err)
	}
	// A port nobody listens on.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := ln.Addr().String()
	ln.Close()
	down, _ := reminders.NewSMTP(dead, "chitieu@example.vn")
	down.Timeout = 2 * time.Second
	sch := &reminders.Scheduler{Store: db, Users: db, Inbox: indicators.Calendar{Store: db}, Mailer: down,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return clock }}
	if n, err := sch.Round(ctx); err != nil || n != 0 {
		t.Fatalf("server down: %d messages, %v", n, err)
	}
	mail := startMailServer(t)
	sch.Mailer, _ = reminders.NewSMTP(mail.ln.Addr().String(), "chitieu@example.vn")
	// Q1 is due 14 March: due soon on 10 March.
	if n, err := sch.Round(ctx); err != nil || n != 1 || len(mail.messages()) != 1 {
		t.Fatalf("server up: %d messages, %v; want the one not sent before", n, err)
	}
}
