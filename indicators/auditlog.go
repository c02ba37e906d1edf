package indicators

import (
	"context"
	"fmt"
	"time"
)

// ChainBroken names the first audit event at which the trail fails: an
// event whose content, link or order does not hold, or, when Missing is
// above zero, the events cut from the end of the trail (#ID to
// #ID+Missing−1), which only the heads recorded outside the database show.
type ChainBroken struct {
	ID       int64  // the first event that does not hold, or the first one missing
	Reason   string // what is wrong with it, in Vietnamese
	ReasonEN string // the same in English
	Missing  int64  // how many events were cut from the end
}

// English is Error in English.
func (c *ChainBroken) English() string {
	if c.Missing > 0 {
		return "the audit trail was cut: " + c.ReasonEN
	}
	if c.ID == 0 {
		return "the audit trail cannot be checked: " + c.ReasonEN
	}
	return fmt.Sprintf("the audit trail was changed at event #%d: %s", c.ID, c.ReasonEN)
}

// In is the reason in the language lang ("en" or Vietnamese), for a
// page.
func (c *ChainBroken) In(lang string) string {
	if lang == "en" && c.ReasonEN != "" {
		return c.ReasonEN
	}
	return c.Reason
}

func (c *ChainBroken) Error() string {
	if c.Missing > 0 {
		return "nhật ký kiểm toán bị cắt: " + c.Reason
	}
	if c.ID == 0 {
		return "nhật ký kiểm toán không kiểm được: " + c.Reason
	}
	return fmt.Sprintf("nhật ký kiểm toán bị thay đổi tại sự kiện #%d: %s", c.ID, c.Reason)
}

// AuditHead is the end of the audit chain: how many events it holds and
// the hash of the last. Written down outside chitieu, it also shows events
// cut from the end.
type AuditHead struct {
	Events int64
	LastID int64
	Hash   string
}

// String is the head as a report's cover and the verify command print it.
func (h AuditHead) String() string {
	if h.LastID == 0 {
		return "#0 (chưa có sự kiện)"
	}
	return fmt.Sprintf("#%d %s", h.LastID, h.Hash)
}

// RecordedHead is one line of the file of heads kept beside the database:
// the chain's end at a commit, at the switch to the key, at a backup, or
// at a restore.
type RecordedHead struct {
	At   time.Time
	Kind string // "commit", "key", "backup", "restore"
	Seq  int64
	Hash string
	Note string // the backup file, the restored file and the head it replaced, the key's fingerprint
}

// AuditCheck is the whole outcome of checking the trail: the chain with
// its key and against the heads recorded outside the database.
type AuditCheck struct {
	Head   AuditHead
	Broken *ChainBroken // nil when everything holds
	// KeyedFrom is the first event signed with the key; the events before
	// it were chained with plain SHA-256 before the key existed and are
	// checked as such. 1 when the whole trail is signed, 0 when empty.
	KeyedFrom int64
	HeadsFile string        // where the heads are recorded
	Recorded  *RecordedHead // the latest recorded head the trail was held against, if any
	Restores  []RecordedHead
}

// AuditLog reads the audit trail and checks its hash chain.
type AuditLog interface {
	AuditEvents(ctx context.Context, f AuditFilter) ([]AuditEvent, error)
	// AuditEvent returns one event, or ENOTFOUND.
	AuditEvent(ctx context.Context, id int64) (AuditEvent, error)
	// VerifyAudit returns the first event whose content, link or order does
	// not hold, or the events cut from the end, or nil when the trail is
	// whole.
	VerifyAudit(ctx context.Context) (*ChainBroken, error)
	// CheckAudit is VerifyAudit with what the check rested on.
	CheckAudit(ctx context.Context) (AuditCheck, error)
	AuditHead(ctx context.Context) (AuditHead, error)
}
