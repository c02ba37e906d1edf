package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"regexp"

	"chitieu/indicators"
)

// Uploaded files kept between a preview and its commit, in the same
// content-addressed table as the files of import batches.

var _ indicators.UploadKeeper = (*DB)(nil)

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// KeepUpload stores the file r under its SHA-256 sum, unless it is kept
// already, and appends ev to the audit trail in the same transaction.
func (db *DB) KeepUpload(ctx context.Context, sum string, r io.Reader, ev indicators.AuditEvent) error {
	if !sha256Hex.MatchString(sum) {
		return fmt.Errorf("sqlite: keep upload: %q is not a SHA-256", sum)
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if err := saveFile(ctx, tx, sum, r, db.now()); err != nil {
			return err
		}
		ev.FileHash = sum
		return db.audit(ctx, tx, ev)
	})
}

// Upload writes the kept file with SHA-256 sum to w, a chunk at a time.
func (db *DB) Upload(ctx context.Context, sum string, w io.Writer) error {
	if !sha256Hex.MatchString(sum) {
		return notFound("file", sum)
	}
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("sqlite: begin reading file: %w", err)
	}
	defer tx.Rollback()
	var chunks int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM file_chunks WHERE sha256 = ?`, sum).Scan(&chunks); err != nil {
		return fmt.Errorf("sqlite: file %s: %w", sum, err)
	}
	if chunks == 0 {
		return notFound("file", sum)
	}
	for seq := 0; seq < chunks; seq++ {
		var data []byte
		if err := tx.QueryRowContext(ctx, `SELECT data FROM file_chunks WHERE sha256 = ? AND seq = ?`, sum, seq).Scan(&data); err != nil {
			return fmt.Errorf("sqlite: chunk %d of file %s: %w", seq, sum, err)
		}
		if _, err := w.Write(data); err != nil {
			return fmt.Errorf("sqlite: write file %s: %w", sum, err)
		}
	}
	return nil
}
