package sqlite_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/sqlite"
	"chitieu/indicators/storetest"
)

// monthReadings are n readings of ECO-01 for CT-CU, one a month from
// January 2000, valued base + i.
func monthReadings(n int, base float64) []indicators.Reading {
	var rs []indicators.Reading
	for i := range n {
		p := indicators.Period{Year: 2000 + i/12, Kind: indicators.Month, N: i%12 + 1}
		rs = append(rs, indicators.Reading{Key: indicators.Key{Indicator: "ECO-01", Unit: "CT-CU", Period: p,
			Type: indicators.OfficialValue}, Value: base + float64(i), Sheet: "S", Cell: "C" + strconv.Itoa(i+2)})
	}
	return rs
}

func fileBatch(name string) indicators.StagedBatch {
	sum := sha256.Sum256([]byte(name))
	return indicators.StagedBatch{Batch: indicators.Batch{FileName: name, SHA256: hex.EncodeToString(sum[:])}}
}

// While a batch is written a chunk at a time, readers see none of it — not
// in the values, the counts, the values in force nor the data version —
// and short writes go on between its chunks; once finished, all of it is
// there at once.
func TestAPendingBatchIsInvisibleUntilFinished(t *testing.T) {
	t.Parallel()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan"})
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := open(t, filepath.Join(t.TempDir(), "p.db"), c)
	if _, err := db.LoadCatalog(ctx, smallCatalog()); err != nil {
		t.Fatal(err)
	}
	filter := indicators.ValueFilter{Indicator: "ECO-01", Units: []string{"CT-CU"}}
	before, _ := db.CountValues(ctx, filter)
	version, _ := db.DataVersion(ctx)
	changes := storetest.Classified(t, ctx, db, monthReadings(300, 1)...)
	b, err := db.BeginCommit(ctx, fileBatch("p.xlsx"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(changes); i += 100 {
		if err := db.WriteCommit(ctx, b, changes[i:i+100]); err != nil {
			t.Fatal(err)
		}
		// A short write between two chunks: a value from a form.
		if err := db.AddValues(ctx, []indicators.Value{{Key: key("ECO-01", "CT-CU", 2020+i/100, indicators.OfficialValue),
			Value: float64(i), Source: "form"}}); err != nil {
			t.Fatalf("a short write during the commit: %v", err)
		}
		if n, _ := db.CountValues(ctx, filter); n != before+1+i/100 {
			t.Fatalf("after chunk %d readers count %d values, want %d: the pending batch shows", i/100, n, before+1+i/100)
		}
		vs, _ := db.Values(ctx, filter)
		for _, v := range vs {
			if v.Batch == b.ID {
				t.Fatalf("a reader sees value %+v of the pending batch", v)
			}
		}
		held, _ := db.HeldValues(ctx, "ECO-01", "CT-CU")
		for k, h := range held {
			if k.Period.Kind == indicators.Month {
				t.Fatalf("value %d of the pending batch is in force for %s", h.ID, k)
			}
		}
	}
	// Another handle on the file, as the command line opens it while the
	// server commits: the commit of a process still at work is left alone.
	open(t, db.Path(), c).Close()
	if err := db.WriteCommit(ctx, b, changes[:0]); err != nil {
		t.Fatalf("opening the file again withdrew a commit under way: %v", err)
	}
	if v, _ := db.DataVersion(ctx); v.ID <= version.ID {
		t.Errorf("the form's writes left the data version at %d", v.ID)
	} else {
		version = v
	}
	b.New = len(changes)
	if b, err = db.FinishCommit(ctx, b); err != nil || b.State != indicators.Committed {
		t.Fatalf("finish = %+v, %v", b, err)
	}
	if n, _ := db.CountValues(ctx, indicators.ValueFilter{Batch: b.ID}); n != 300 {
		t.Errorf("the finished batch shows %d values, want 300", n)
	}
	if v, _ := db.DataVersion(ctx); v.ID <= version.ID {
		t.Errorf("finishing the batch left the data version at %d", v.ID)
	}
	if broken, err := db.VerifyAudit(ctx); err != nil || broken != nil {
		t.Errorf("audit chain = %v, %v", broken, err)
	}
}

// The helper process of TestKillNineInTheMiddleOfACommit: it commits a
// large batch a chunk at a time, says when half of it is written, and
// never finishes.
func TestHelperCommitForever(t *testing.T) {
	path := os.Getenv("CHITIEU_KILL_DB")
	if path == "" {
		t.Skip("the helper of TestKillNineInTheMiddleOfACommit")
	}
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan"})
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	changes := storetest.Classified(t, ctx, db, monthReadings(6000, 100)...)
	b, err := db.BeginCommit(ctx, fileBatch("k.xlsx"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i = (i + 500) % len(changes) {
		if i == 0 && b.New > 0 {
			// Every key once: begin a second batch so that writing never ends.
			if b, err = db.BeginCommit(ctx, fileBatch("k"+strconv.Itoa(b.New)+".xlsx"), nil); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.WriteCommit(ctx, b, changes[i:i+500]); err != nil {
			t.Fatal(err)
		}
		b.New += 500
		if b.New == 3000 {
			fmt.Println("HALF", b.ID)
		}
	}
}

// kill -9 in the middle of a commit loses nothing that was committed and
// leaves no half batch: the store withdraws the cut-off batch as it opens,
// says so in the audit trail, and the chain still verifies.
func TestKillNineInTheMiddleOfACommit(t *testing.T) {
	t.Parallel()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan"})
	path := filepath.Join(t.TempDir(), "k.db")
	db := open(t, path, &clock{t: time.Now()})
	if _, err := db.LoadCatalog(ctx, smallCatalog()); err != nil {
		t.Fatal(err)
	}
	kept, err := storetest.CommitAll(ctx, db, fileBatch("kept.xlsx"), nil, 100, storetest.Classified(t, ctx, db, monthReadings(200, 1)...), nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	cmd := exec.Command(os.Args[0], "-test.run", "^TestHelperCommitForever$", "-test.v")
	cmd.Env = append(os.Environ(), "CHITIEU_KILL_DB="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	half := false
	for sc.Scan() {
		if len(sc.Text()) > 4 && sc.Text()[:4] == "HALF" {
			half = true
			break
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if !half {
		t.Fatal("the helper never wrote half of its batch")
	}

	db, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	bs, err := db.Batches(ctx, indicators.BatchFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		n, _ := db.CountValues(ctx, indicators.ValueFilter{Batch: b.ID})
		switch {
		case b.ID == kept.ID && (b.State != indicators.Committed || n != 200):
			t.Errorf("the committed batch is %s with %d values, want committed with 200", b.State, n)
		case b.ID != kept.ID && (b.State != indicators.Previewed || n != 0):
			t.Errorf("the cut-off batch %d is %s with %d values, want previewed with none", b.ID, b.State, n)
		}
	}
	if len(bs) < 2 {
		t.Fatalf("%d batches, want the committed one and the cut-off one", len(bs))
	}
	evs, _ := db.AuditEvents(ctx, indicators.AuditFilter{Action: "batch.abort"})
	if len(evs) == 0 {
		t.Error("the audit trail does not say the cut-off batch was withdrawn")
	}
	if broken, err := db.VerifyAudit(ctx); err != nil || broken != nil {
		t.Errorf("audit chain = %v, %v", broken, err)
	}
	// The withdrawn batch can be committed again, whole.
	again, err := storetest.CommitAll(ctx, db, fileBatch("again.xlsx"), nil, 1000, storetest.Classified(t, ctx, db, monthReadings(3000, 7)...), nil)
	if err != nil || again.State != indicators.Committed {
		t.Fatalf("commit after the kill = %+v, %v", again, err)
	}
}
