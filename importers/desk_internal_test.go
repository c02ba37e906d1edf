package importers

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"chitieu/indicators"
	"chitieu/indicators/catalog"
	"chitieu/indicators/sqlite"
)

// With every worker busy, an upload waits in the queue, its state saying
// its place, and is previewed and staged once a worker is free.
func TestDeskQueuesUploadsBeyondItsWorkers(t *testing.T) {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan", Role: indicators.Planner})
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cat, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.LoadCatalog(ctx, cat); err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Mã chỉ tiêu", "Đơn vị", "Kỳ", "Loại số liệu", "Giá trị"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"ECO-01", "CT-CU", 2019, "Thực hiện", 7.9})
	path := filepath.Join(t.TempDir(), "q.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()

	d := NewDesk(DeskConfig{Importer: &Importer{Store: db, TempDir: t.TempDir()}, Limit: 1 << 20, Workers: 1})
	defer d.Close()
	if d.Workers() != 1 {
		t.Fatalf("workers = %d, want 1", d.Workers())
	}
	var busy Ticket
	if err := d.workers.Wait(ctx, &busy); err != nil {
		t.Fatal(err)
	}
	up, err := ReceiveFile(path, t.TempDir(), d.Limits())
	if err != nil {
		t.Fatal(err)
	}
	task := &Task{User: "lan", Kind: PreviewTask, File: up.Name, Upload: up}
	if err := d.Add(task); err != nil {
		t.Fatal(err)
	}
	d.StartPreview(ctx, task)
	var st TaskState
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if st = d.State(task); st.Progress.Queued > 0 {
			break
		}
	}
	if !st.Running || st.Progress.Queued != 1 || st.Batch != 0 {
		t.Fatalf("state with every worker busy = %+v, want running, first in the queue, nothing staged", st)
	}
	d.workers.Leave(&busy)
	if !d.Wait(ctx, task) {
		t.Fatal("the queued preview did not end")
	}
	if st = d.State(task); st.Err != nil || st.Batch == 0 || st.Progress.Queued != 0 {
		t.Fatalf("state once a worker was free = %+v", st)
	}
}
