package sqlite_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
)

// smallFS mounts a tmpfs of the given size (e.g. "20m") for the test and
// returns its folder. Mounting needs root; where it cannot be done the
// test is skipped with the reason, and under CI=true it fails with it.
func smallFS(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput()
	if err != nil {
		msg := "cannot make a small file system for the disk-full test (mount -t tmpfs -o size=" + size +
			" needs root): " + strings.TrimSpace(string(out)) + " " + err.Error()
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	return dir
}

// On a 20 MB file system an import too large for it is refused before a
// byte is written, with the room it needs and the room there is; a write
// that fills the disk anyway is rolled back whole and said to be "đĩa
// đầy", and the database afterwards is whole: integrity, the values as
// before, the audit chain verified.
func TestDiskFullOnASmallFileSystem(t *testing.T) {
	dir := smallFS(t, "20m")
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "admin"})
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := open(t, filepath.Join(dir, "s.db"), c)
	if _, err := db.LoadCatalog(ctx, smallCatalog()); err != nil {
		t.Fatal(err)
	}
	free, err := db.FreeSpace()
	if err != nil || free <= 0 || free > 20<<20 {
		t.Fatalf("free space on the 20 MB file system = %d, %v", free, err)
	}

	// A 50 MB workbook not previewed: about 3.3 million values by its
	// size, some 5 GB of room; refused up front.
	readings := make(chan []indicators.Reading)
	close(readings)
	_, err = db.ApplyImport(ctx, &indicators.ImportRequest{Readings: readings,
		Batch: indicators.StagedBatch{Batch: indicators.Batch{FileName: "lon.xlsx", Size: 50 << 20}}})
	if indicators.ErrorCode(err) != indicators.ENOSPACE || !strings.Contains(err.Error(), "đĩa đầy") ||
		!strings.Contains(err.Error(), "lô nhập lon.xlsx") || !strings.Contains(err.Error(), "cần khoảng") ||
		!strings.Contains(err.Error(), "chỉ còn") {
		t.Fatalf("import too large for the disk: %v, want a refusal saying đĩa đầy with the room needed", err)
	}
	t.Logf("refused up front: %s", indicators.ErrorMessage(err))

	before, err := db.Check(ctx)
	if err != nil || len(before.Problems) > 0 {
		t.Fatalf("check before: %+v %v", before, err)
	}

	// A small file that turns out to hold 100,000 values passes the
	// estimate and fills the disk half-way through its commit: rolled
	// back, and said to be a full disk.
	ch := make(chan []indicators.Reading, 1)
	go func() {
		defer close(ch)
		for b := range 100 {
			rs := make([]indicators.Reading, 1000)
			for i := range rs {
				rs[i] = indicators.Reading{Key: key("ECO-01", "CT-CU", 1000+b*1000+i, indicators.OfficialValue),
					Value: float64(i), Sheet: "Biểu 01", Cell: "F12"}
			}
			ch <- rs
		}
	}()
	sum := sha256.Sum256([]byte("xlsx"))
	_, err = db.ApplyImport(ctx, &indicators.ImportRequest{Readings: ch, File: bytes.NewReader([]byte("xlsx")),
		Batch: indicators.StagedBatch{Batch: indicators.Batch{FileName: "nho.xlsx", SHA256: hex.EncodeToString(sum[:]), Size: 4}}})
	for range ch {
	}
	if indicators.ErrorCode(err) != indicators.ENOSPACE || !strings.Contains(indicators.ErrorMessage(err), "lô nhập nho.xlsx") {
		t.Fatalf("a commit that fills the disk: %v, want ENOSPACE naming the batch", err)
	}
	t.Logf("the commit that filled the disk: %s", indicators.ErrorMessage(err))
	if bs, _ := db.Batches(ctx, indicators.BatchFilter{}); len(bs) != 0 {
		t.Errorf("%d batches stored by a commit that failed", len(bs))
	}
	// 100,000 values need some 100 MB: the write runs out of room.
	var vs []indicators.Value
	for i := range 100_000 {
		vs = append(vs, indicators.Value{Key: key("ECO-01", "CT-CU", 1000+i, indicators.OfficialValue),
			Value: float64(i) * 1.37, Source: "S46", Sheet: "Biểu 01", Cell: "F12"})
	}
	err = db.AddValues(ctx, vs)
	if indicators.ErrorCode(err) != indicators.ENOSPACE {
		t.Fatalf("writing 100,000 values on a 20 MB disk: %v, want ENOSPACE", err)
	}
	msg := indicators.ErrorMessage(err)
	if !strings.Contains(msg, "đĩa đầy") || !strings.Contains(msg, "không có gì được lưu") {
		t.Errorf("message %q", msg)
	}
	t.Logf("the write that filled the disk: %s", msg)
	after, err := db.Check(ctx)
	if err != nil || len(after.Problems) > 0 {
		t.Fatalf("check after the full disk: problems %v, %v", after.Problems, err)
	}
	for i := range before.Counts {
		if before.Counts[i] != after.Counts[i] {
			t.Errorf("%s: %d before, %d after the failed write", before.Counts[i].What, before.Counts[i].N, after.Counts[i].N)
		}
	}
}
