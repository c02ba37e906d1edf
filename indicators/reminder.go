package indicators

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
)

// ReminderStore keeps where each user wants e-mail reminders and which
// reminders were sent. A reminder is claimed under its key before it is
// sent, in one transaction, so that neither a restart nor a second server
// sends it twice.
type ReminderStore interface {
	// UserEmail is the address a user set; "" when none.
	UserEmail(ctx context.Context, user string) (string, error)
	// SetUserEmail sets (or, with "", removes) a user's address, audited.
	SetUserEmail(ctx context.Context, user, address string) error
	// UserEmails lists the users with an address, by login name.
	UserEmails(ctx context.Context) (map[string]string, error)
	// ClaimReminder records the reminder key for user at address; false
	// when it was claimed before.
	ClaimReminder(ctx context.Context, key, user, address string) (bool, error)
	// ReminderSent records how sending a claimed reminder ended: a nil
	// error marks it sent.
	ReminderSent(ctx context.Context, key string, err error) error
	// ReleaseReminder gives up a claim whose message never reached the
	// mail server (it could not be reached, or refused the sender or the
	// recipient), so that the next round tries again.
	ReleaseReminder(ctx context.Context, key string) error
}

// CheckEmail checks an e-mail address a user typed: one plain address,
// no name, no line breaks.
func CheckEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 || strings.ContainsAny(s, "\r\n") {
		return "", FieldError(EINVALID, "email", fmt.Sprintf("địa chỉ thư điện tử %q không hợp lệ", clip(s, 80)),
			fmt.Sprintf("the e-mail address %q is not valid", clip(s, 80)))
	}
	return s, nil
}
