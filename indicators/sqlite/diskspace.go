package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"chitieu/indicators"

	sqlite3 "modernc.org/sqlite"
)

// A full disk is said plainly: an import is refused before it starts when
// the database's folder has clearly too little room for it, and a write
// that runs out of room anyway (SQLITE_FULL, or ENOSPC from the WAL or a
// temporary file) is rolled back whole and reported as "đĩa đầy" with what
// was kept — nothing — instead of a bare internal error.

const (
	// bytesPerValue is what one stored value costs while its commit is
	// under way: its row and its audit event with their index entries in
	// the database, and the same pages again in the WAL until the
	// checkpoint. Measured about 1,060 bytes (AddValues of 50,000 values);
	// an import's events, with batch and file hash, are longer.
	bytesPerValue = 1536
	// spareBytes is kept free beyond the estimate, for the WAL's other
	// pages, sessions and the audit events of the commit itself.
	spareBytes = 16 << 20
	// bytesPerFileByte guesses the values of a workbook not previewed from
	// its size: a long table of plain numbers runs to about one value per
	// 25 bytes of .xlsx, a wide one to fewer bytes a value.
	bytesPerFileByte = 16
)

// FreeSpace is the room left on the file system of the database's folder,
// in bytes; -1 where the system cannot tell.
func (db *DB) FreeSpace() (int64, error) {
	n, err := freeBytes(filepath.Dir(db.path))
	if err != nil {
		return -1, fmt.Errorf("sqlite: free space of %s: %w", filepath.Dir(db.path), err)
	}
	return n, nil
}

// checkRoom refuses a commit of batch b that the database's folder
// has no room for, by the estimate of importSize.
func (db *DB) checkRoom(ctx context.Context, b indicators.StagedBatch) error {
	free, err := db.FreeSpace()
	if err != nil || free < 0 {
		return nil // unknown: the write itself will say if the disk fills
	}
	values, bySize := db.importSize(ctx, b)
	need := int64(values)*bytesPerValue + 2*b.Size + spareBytes
	if free >= need {
		return nil
	}
	how, howEN := "", ""
	if bySize {
		how, howEN = ", ước theo cỡ tệp", ", judged by the file's size"
	}
	return indicators.DiskFull("lô nhập "+b.FileName, "the batch "+b.FileName,
		fmt.Sprintf("khoảng %s số liệu%s: cần khoảng %s trống, thư mục của cơ sở dữ liệu chỉ còn %s",
			indicators.FormatNumber(float64(values), 0, "vi"), how, mib(need, "vi"), mib(free, "vi")),
		fmt.Sprintf("about %s values%s: they need about %s free and the database's folder has %s left",
			indicators.FormatNumber(float64(values), 0, "en"), howEN, mib(need, "en"), mib(free, "en")))
}

func mib(n int64, lang string) string {
	return indicators.FormatTrim(float64(n)/(1<<20), 1, lang) + " MB"
}

// sqliteFull is SQLite's result code SQLITE_FULL: "database or disk is
// full", the primary code of its extended forms.
const sqliteFull = 13

// isFull reports whether err is SQLite's or the system's "disk full".
func isFull(err error) bool {
	if err == nil {
		return false
	}
	var se *sqlite3.Error
	if errors.As(err, &se) && se.Code()&0xff == sqliteFull {
		return true
	}
	return indicators.IsDiskFull(err) || strings.Contains(err.Error(), "database or disk is full")
}

// diskFull turns a failure for lack of room into the domain's ENOSPACE
// error about what (Vietnamese, English); other errors pass unchanged.
func diskFull(err error, what, whatEN string) error {
	if !isFull(err) || indicators.ErrorCode(err) == indicators.ENOSPACE {
		return err
	}
	return fmt.Errorf("%w: %v", indicators.DiskFull(what, whatEN, "", ""), err)
}

// importSize estimates how many values an import stores: as previewed,
// for a batch staged first, else from the size of its file (bySize).
func (db *DB) importSize(ctx context.Context, b indicators.StagedBatch) (n int, bySize bool) {
	if b.ID != 0 {
		if err := db.read.QueryRowContext(ctx, `SELECT new_values + changed_values FROM batches WHERE id = ?`,
			b.ID).Scan(&n); err == nil {
			return n, false
		}
	}
	return int(b.Size / bytesPerFileByte), true
}
