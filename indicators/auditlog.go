package indicators

import (
	"context"
	"fmt"
)

// ChainBroken names the first audit event at which the hash chain fails.
type ChainBroken struct {
	ID     int64  // the first event that does not hold
	Reason string // what is wrong with it, in Vietnamese
}

func (c *ChainBroken) Error() string {
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

// AuditLog reads the audit trail and checks its hash chain.
type AuditLog interface {
	AuditEvents(ctx context.Context, f AuditFilter) ([]AuditEvent, error)
	// AuditEvent returns one event, or ENOTFOUND.
	AuditEvent(ctx context.Context, id int64) (AuditEvent, error)
	// VerifyAudit returns the first event whose content, link or order does
	// not hold, or nil when the chain is whole.
	VerifyAudit(ctx context.Context) (*ChainBroken, error)
	AuditHead(ctx context.Context) (AuditHead, error)
}
