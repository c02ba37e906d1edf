package sqlite_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"chitieu/indicators"
	"chitieu/indicators/sqlite"
	"chitieu/indicators/storetest"
)

// vietnameseLetter reports whether s holds a letter outside ASCII, as every
// Vietnamese sentence does and no English one of the store's should.
func vietnameseLetter(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r > unicode.MaxASCII && unicode.IsLetter(r) }) >= 0
}

// The refusals a user meets from the store — a batch in the wrong state, a
// backup over an existing file, a file that is no backup — carry their
// message in Vietnamese and in English, so that an English page or API
// client is shown English; the Vietnamese one is what Error() prints.
func TestStoreRefusalsSpeakBothLanguages(t *testing.T) {
	t.Parallel()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan"})
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	dir := t.TempDir()
	db := open(t, filepath.Join(dir, "e.db"), c)
	if _, err := db.LoadCatalog(ctx, smallCatalog()); err != nil {
		t.Fatal(err)
	}
	b, err := storetest.CommitAll(ctx, db, fileBatch("a.xlsx"), []byte("a.xlsx"), 10,
		storetest.Classified(t, ctx, db, reading(2024, 7.1, "F12")), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.RollbackBatch(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	_, rollbackAgain := db.RollbackBatch(ctx, b.ID)

	taken := filepath.Join(dir, "taken.db")
	if err := os.WriteFile(taken, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, backupOver := db.Backup(ctx, taken)
	_, restoreMissing := sqlite.Restore(ctx, filepath.Join(dir, "none.db"), filepath.Join(dir, "r1.db"))
	notes := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notes, []byte(strings.Repeat("not a database\n", 300)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, restoreNotes := sqlite.Restore(ctx, notes, filepath.Join(dir, "r2.db"))

	for _, tc := range []struct {
		name   string
		err    error
		code   string
		vi, en string
	}{
		{"rollback twice", rollbackAgain, indicators.ECONFLICT, "đang ở trạng thái đã hoàn tác", "is rolled back: only a committed batch"},
		{"backup over a file", backupOver, indicators.ECONFLICT, "đã tồn tại, không ghi đè", "exists and is not overwritten"},
		{"restore a missing file", restoreMissing, indicators.EINVALID, "không mở được tệp sao lưu", "cannot open the backup"},
		{"restore a text file", restoreNotes, indicators.EINVALID, "không phải bản sao lưu của chitieu", "is not a chitieu backup"},
	} {
		var de *indicators.Error
		if !errors.As(tc.err, &de) {
			t.Errorf("%s: %v, want a domain error", tc.name, tc.err)
			continue
		}
		if de.Code != tc.code || !strings.Contains(de.Message, tc.vi) || !strings.Contains(de.English, tc.en) {
			t.Errorf("%s: %s %q / %q; want %s, %q / %q", tc.name, de.Code, de.Message, de.English, tc.code, tc.vi, tc.en)
		}
		if vietnameseLetter(de.English) {
			t.Errorf("%s: the English message %q holds Vietnamese", tc.name, de.English)
		}
		if tc.err.Error() != de.Error() || !strings.Contains(tc.err.Error(), tc.vi) {
			t.Errorf("%s: Error() = %q, want the Vietnamese message", tc.name, tc.err.Error())
		}
	}
}
