package sqlite_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/internal/fixture"
)

// On a 20 MB file system an import too large for it is refused before a
// byte is written, with the room it needs and the room there is; a write
// that fills the disk anyway is rolled back whole and said to be "đĩa
// đầy", and the database afterwards is whole: integrity, the values as
// before, the audit chain verified.
func TestDiskFullOnASmallFileSystem(t *testing.T) {
	t.Parallel()
	dir := fixture.SmallFS(t, "20m")
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
	_, err = db.BeginCommit(ctx, indicators.StagedBatch{Batch: indicators.Batch{FileName: "lon.xlsx", Size: 50 << 20}}, nil)
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
	sum := sha256.Sum256([]byte("xlsx"))
	b, err := db.BeginCommit(ctx, indicators.StagedBatch{Batch: indicators.Batch{FileName: "nho.xlsx",
		SHA256: hex.EncodeToString(sum[:]), Size: 4}}, bytes.NewReader([]byte("xlsx")))
	if err != nil {
		t.Fatalf("begin the small commit: %v", err)
	}
	for c := 0; c < 100 && err == nil; c++ {
		cs := make([]indicators.Change, 1000)
		for i := range cs {
			cs[i] = indicators.Change{Kind: indicators.NewValue, Reading: indicators.Reading{
				Key:   key("ECO-01", "CT-CU", 1000+c*1000+i, indicators.OfficialValue),
				Value: float64(i), Sheet: "Biểu 01", Cell: "F12"}}
		}
		err = db.WriteCommit(ctx, b, cs)
	}
	if err == nil {
		_, err = db.FinishCommit(ctx, b)
	}
	if err != nil {
		// The importer withdraws a commit that failed; on a disk this
		// full even that may find no room, and the chunks written stay
		// pending, seen by no reader, until there is room again.
		if aerr := db.AbortCommit(context.WithoutCancel(ctx), b.ID, err.Error()); aerr != nil {
			t.Logf("withdraw on the full disk: %v", aerr)
		}
	}
	if indicators.ErrorCode(err) != indicators.ENOSPACE {
		t.Fatalf("a commit that fills the disk: %v, want ENOSPACE", err)
	}
	t.Logf("the commit that filled the disk: %s", indicators.ErrorMessage(err))
	if n, _ := db.CountValues(ctx, indicators.ValueFilter{Batch: b.ID}); n != 0 {
		t.Errorf("%d values of a commit that failed are seen", n)
	}
	// Room again (the file system grows), and the withdrawal completes:
	// the values are as they were before the commit.
	if out, err := exec.Command("mount", "-o", "remount,size=40m", dir).CombinedOutput(); err != nil {
		t.Fatalf("grow the file system: %v %s", err, out)
	}
	if err := db.AbortCommit(context.WithoutCancel(ctx), b.ID, "room again"); err != nil &&
		indicators.ErrorCode(err) != indicators.ECONFLICT {
		t.Fatalf("withdraw with room again: %v", err)
	}
	mid, err := db.Check(ctx)
	if err != nil || len(mid.Problems) > 0 {
		t.Fatalf("check after the withdrawal: %+v %v", mid, err)
	}
	for i := range before.Counts {
		if before.Counts[i].What == "values" && before.Counts[i].N != mid.Counts[i].N {
			t.Errorf("values: %d before, %d after the withdrawn commit", before.Counts[i].N, mid.Counts[i].N)
		}
	}
	before = mid
	// 100,000 values need some 100 MB: the write runs out of room on the
	// 40 MB file system.
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
