package indicators

import "context"

// AuditStream reads audit events one at a time, for the audit history of a
// long period: a trail of millions of events does not fit in memory.
type AuditStream interface {
	// EachAuditEvent calls fn with every event f selects, in f's order
	// (oldest first unless f.Newest), holding one event at a time. It
	// stops at the first error fn returns and returns it.
	EachAuditEvent(ctx context.Context, f AuditFilter, fn func(AuditEvent) error) error
}
