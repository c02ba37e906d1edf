package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPostgresIsRefusedClearly: until the PostgreSQL store has all the
// server needs, --db postgres://… (or CHITIEU_DB) stops every command with
// a sentence saying what is missing, prints no password, and leaves no
// SQLite file named after the URL behind.
func TestPostgresIsRefusedClearly(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	url := "postgres://chitieu:s3cret@db.example:5432/chitieu"
	for _, args := range [][]string{
		{"status", "--db", url},
		{"serve", "--db", url, "--addr", "127.0.0.1:0"},
		{"restore", filepath.Join(dir, "x.bak"), "--db", url},
		{"user", "list", "--db", url},
	} {
		code, _, stderr := chitieu(t, args...)
		if code != 1 || !strings.Contains(stderr, "cannot run on PostgreSQL yet") || !strings.Contains(stderr, "imports") ||
			!strings.Contains(stderr, "BeginCommit") || strings.Contains(stderr, "s3cret") || !strings.Contains(stderr, "chitieu:***@") {
			t.Errorf("chitieu %v = %d, %q; want 1 and a refusal naming what is missing, without the password", args, code, stderr)
		}
	}
	if _, err := os.Stat("postgres:"); err == nil {
		t.Errorf("a file named postgres: was made")
	}
	missing, needed := postgresGaps()
	if len(missing) == 0 || len(missing) >= needed {
		t.Errorf("postgresGaps = %d of %d; want some but not all of the server's methods missing", len(missing), needed)
	}
}
