package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chitieu/indicators/sqlite"
	"chitieu/internal/fixture"
)

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// chitieu import on a disk with no room for the batch exits 1 saying
// "đĩa đầy" and that nothing was kept; the batch list stays empty.
func TestImportOnAFullDisk(t *testing.T) {
	dir := fixture.SmallFS(t, "40m")
	db := filepath.Join(dir, "c.db")
	file := longXLSX(t, []any{"ECO-01", "CT-CU", "2019", "Thực hiện", 7.9}, []any{"ECO-01", "CT-CU", "2023", "Thực hiện", "5,8"})
	if code, _, stderr := chitieu(t, "migrate", "--db", db); code != 0 {
		t.Fatal(stderr)
	}
	// Leave 4 MB free: less than a commit keeps spare.
	st, err := sqlite.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	free, err := st.FreeSpace()
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	ballast, err := os.Create(filepath.Join(dir, "ballast"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(ballast, zeros{}, free-4<<20); err != nil {
		t.Fatal(err)
	}
	ballast.Close()
	code, out, stderr := chitieu(t, "import", file, "--db", db)
	t.Logf("chitieu import on a full disk: exit %d\n%s%s", code, out, stderr)
	if code != 1 || !strings.Contains(stderr, "đĩa đầy") || !strings.Contains(stderr, "không có gì được lưu") {
		t.Errorf("import on a full disk: exit %d\n%s%s", code, out, stderr)
	}
	if code, out, _ := chitieu(t, "import", "list", "--db", db); code != 0 || strings.Contains(out, "#1") {
		t.Errorf("batches after the refused import (exit %d):\n%s", code, out)
	}
}
