package sqlite

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"

	"chitieu/indicators"
)

// A failure for lack of room becomes the domain's ENOSPACE error, which
// says "đĩa đầy" and "disk full" and that nothing was kept, whether it
// comes from the system (ENOSPC writing the WAL or a temporary file) or
// from SQLite (SQLITE_FULL); other failures pass unchanged.
func TestDiskFullMapping(t *testing.T) {
	t.Parallel()
	enospc := &os.PathError{Op: "write", Path: "/data/chitieu.db-wal", Err: syscall.ENOSPC}
	for _, tc := range []struct {
		name string
		err  error
		full bool
	}{
		{"ENOSPC", fmt.Errorf("sqlite: commit: %w", enospc), true},
		{"SQLITE_FULL", errors.New("database or disk is full (13)"), true},
		{"busy", errors.New("database is locked (5) (SQLITE_BUSY)"), false},
		{"domain", indicators.FieldError(indicators.EINVALID, "", "sai", "wrong"), false},
	} {
		got := diskFull(tc.err, "lô nhập a.xlsx", "the batch a.xlsx")
		if !tc.full {
			if got != tc.err {
				t.Errorf("%s: mapped to %v, want unchanged", tc.name, got)
			}
			continue
		}
		var de *indicators.Error
		if !errors.As(got, &de) || de.Code != indicators.ENOSPACE {
			t.Fatalf("%s: %v, want an ENOSPACE domain error", tc.name, got)
		}
		for _, want := range []string{"đĩa đầy", "lô nhập a.xlsx", "không có gì được lưu"} {
			if !strings.Contains(de.Message, want) {
				t.Errorf("%s: message %q lacks %q", tc.name, de.Message, want)
			}
		}
		if !strings.Contains(de.English, "disk full") || !strings.Contains(de.English, "nothing was kept") {
			t.Errorf("%s: English %q", tc.name, de.English)
		}
		if !errors.Is(got, syscall.ENOSPC) && tc.name == "ENOSPC" {
			// The cause is kept as text for the log; the chain ends at the
			// domain error, which is what every layer shows.
			if !strings.Contains(got.Error(), "no space left") {
				t.Errorf("%s: the cause is lost: %v", tc.name, got)
			}
		}
	}
}
