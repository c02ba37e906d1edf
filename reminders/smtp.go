// Package reminders sends e-mail reminders of what users are asked to do:
// a scheduler inside the server reads each user's inbox, claims every item
// not yet reminded in the database and sends one message for the items it
// claimed, through an SMTP server. A claim is never made twice, so no
// restart and no second server sends the same reminder again.
package reminders

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"
)

// Mailer sends one message.
type Mailer interface {
	Send(ctx context.Context, to, subject, body string) error
}

// NotSentError is a failure before the mail server took the message: it
// could not be reached, or refused the sender or the recipient. Sending
// again cannot deliver the message twice.
type NotSentError struct{ Err error }

func (e *NotSentError) Error() string { return "reminders: message not handed over: " + e.Err.Error() }
func (e *NotSentError) Unwrap() error { return e.Err }

// NotSent reports whether err left the message undelivered for sure.
func NotSent(err error) bool {
	var ns *NotSentError
	return errors.As(err, &ns)
}

// SMTP sends through a mail server, without authentication or TLS unless
// the server offers STARTTLS (a government intranet's relay).
type SMTP struct {
	Addr    string // host:port
	From    string // the sender's address
	Timeout time.Duration
	Now     func() time.Time
}

// NewSMTP checks the server's address and the sender.
func NewSMTP(addr, from string) (*SMTP, error) {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return nil, fmt.Errorf("reminders: SMTP server %q is not HOST:PORT: %w", addr, err)
	}
	a, err := mail.ParseAddress(from)
	if err != nil || strings.ContainsAny(from, "\r\n") {
		return nil, fmt.Errorf("reminders: sender %q is not an e-mail address", from)
	}
	return &SMTP{Addr: addr, From: a.Address, Timeout: 30 * time.Second}, nil
}

// Send delivers one plain-text message in UTF-8.
func (m *SMTP) Send(ctx context.Context, to, subject, body string) error {
	if strings.ContainsAny(to, "\r\n") {
		return &NotSentError{Err: fmt.Errorf("recipient %q holds a line break", to)}
	}
	msg, err := m.message(to, subject, body)
	if err != nil {
		return &NotSentError{Err: err}
	}
	d := net.Dialer{Timeout: m.Timeout}
	conn, err := d.DialContext(ctx, "tcp", m.Addr)
	if err != nil {
		return &NotSentError{Err: err}
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		conn.SetDeadline(deadline)
	} else {
		conn.SetDeadline(time.Now().Add(m.Timeout))
	}
	host, _, _ := net.SplitHostPort(m.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return &NotSentError{Err: err}
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(tlsConfig(host)); err != nil {
			return &NotSentError{Err: err}
		}
	}
	if err := c.Mail(m.From); err != nil {
		return &NotSentError{Err: err}
	}
	if err := c.Rcpt(to); err != nil {
		return &NotSentError{Err: err}
	}
	w, err := c.Data()
	if err != nil {
		return &NotSentError{Err: err}
	}
	if _, err := w.Write(msg); err != nil {
		return &NotSentError{Err: err}
	}
	// From here on the server may have taken the message: a failure is
	// reported, and the reminder is not sent again.
	if err := w.Close(); err != nil {
		return fmt.Errorf("reminders: end of message to %s: %w", to, err)
	}
	c.Quit()
	return nil
}

// message writes the headers and the quoted-printable body.
func (m *SMTP) message(to, subject, body string) ([]byte, error) {
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	id := make([]byte, 12)
	if _, err := rand.Read(id); err != nil {
		return nil, err
	}
	domain := "chitieu"
	if i := strings.LastIndex(m.From, "@"); i >= 0 {
		domain = m.From[i+1:]
	}
	var b bytes.Buffer
	for _, h := range [][2]string{
		{"From", m.From}, {"To", to}, {"Subject", mime.QEncoding.Encode("utf-8", subject)},
		{"Date", now().Format(time.RFC1123Z)}, {"Message-ID", "<" + hex.EncodeToString(id) + "@" + domain + ">"},
		{"MIME-Version", "1.0"}, {"Content-Type", "text/plain; charset=utf-8"}, {"Content-Transfer-Encoding", "quoted-printable"},
		{"Auto-Submitted", "auto-generated"},
	} {
		fmt.Fprintf(&b, "%s: %s\r\n", h[0], h[1])
	}
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(strings.ReplaceAll(body, "\n", "\r\n"))); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
