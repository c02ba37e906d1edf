package indicators

import (
	"context"
	"fmt"
)

// Report kinds that can be taken out of chitieu, as the audit trail names
// them.
const (
	ExportProgress = "progress" // the progress report of a plan
	ExportData     = "data"     // every value with its provenance
	ExportAudit    = "audit"    // the import batches and the audit trail
	ExportCalendar = "calendar" // the reporting rate per unit of a plan's year
)

// Export is one report handed to a user: what was asked for and what was
// handed over, so that an auditor can trace a file someone holds to a user
// and a time, and its content hash to the numbers it carries.
type Export struct {
	Kind   string            `json:"kind"`
	Params map[string]string `json:"params,omitempty"` // as asked: plan, period, asof, language …
	File   string            `json:"file"`             // the file name offered
	Format string            `json:"format"`           // xlsx or csv
	Hash   string            `json:"content_hash"`     // the report's content hash, hex SHA-256
	Size   int64             `json:"size"`             // bytes
}

// Validate checks an export record before it is stored.
func (e *Export) Validate() error {
	switch e.Kind {
	case ExportProgress, ExportData, ExportAudit, ExportCalendar:
	default:
		return FieldError(EINVALID, "kind", fmt.Sprintf("loại báo cáo %q không hợp lệ", e.Kind),
			fmt.Sprintf("report kind %q is not valid", e.Kind))
	}
	if e.File == "" {
		return FieldError(EINVALID, "file", "thiếu tên tệp báo cáo", "the report's file name is missing")
	}
	return nil
}

// ExportLog records the reports taken out of chitieu in the audit trail,
// as "report.export" events naming the actor of ctx.
type ExportLog interface {
	RecordExport(ctx context.Context, e Export) error
}
