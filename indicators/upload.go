package indicators

import (
	"context"
	"io"
)

// UploadKeeper keeps uploaded files under their SHA-256 between a preview
// and its commit, so that what is committed is exactly the file that was
// previewed, and the audit trail can name it. The plan workbook uses it;
// data imports keep their files with their batches.
type UploadKeeper interface {
	// KeepUpload stores the file r, whose SHA-256 is sum, unless a file
	// with that hash is kept already, and appends ev to the audit trail,
	// in one transaction. The hash is checked against the bytes.
	KeepUpload(ctx context.Context, sum string, r io.Reader, ev AuditEvent) error
	// Upload writes the kept file with SHA-256 sum to w; ENOTFOUND when no
	// such file is kept.
	Upload(ctx context.Context, sum string, w io.Writer) error
}
