package reports

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"testing"

	"chitieu/indicators"

	"github.com/xuri/excelize/v2"
)

func TestVerify(t *testing.T) {
	fx := newFixture(t)
	d := indicators.EndOfDay(day("2026-02-15"))
	fx.clock.at("2026-02-20")
	path := fx.progress(d, "vi")
	fx.clock.at("2026-03-01")
	// Later entries do not change a report as of 15 February.
	fx.add(indicators.Value{Key: key("ECO-01", "CT-CU", 2024, indicators.OfficialValue), Value: 7.45})

	v, err := fx.b.Verify(fx.ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if !v.Matches() || len(v.Differences) != 0 || v.Rows == 0 || v.Params.Plan != testPlanID() {
		t.Fatalf("untouched report: %+v", v)
	}

	// Someone edits a number in the file.
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows := rawRows(t, f, "Số liệu các năm")
	r := findRow(rows, colName, "(ECO-01,") + 1
	if err := f.SetCellValue("Số liệu các năm", ref(annexYear0+3, r), 9.99); err != nil {
		t.Fatal(err)
	}
	tampered := filepath.Join(t.TempDir(), "tampered.xlsx")
	if err := f.SaveAs(tampered); err != nil {
		t.Fatal(err)
	}
	f.Close()
	v, err = fx.b.Verify(fx.ctx, tampered)
	if err != nil {
		t.Fatal(err)
	}
	if v.Matches() || v.File == v.Stored || v.Database != v.Stored {
		t.Errorf("tampered file: stored %s file %s database %s; want only the file's hash to differ", v.Stored, v.File, v.Database)
	}
	want := Difference{Sheet: "Số liệu các năm", Cell: ref(annexYear0+3, r), File: "9.99", Database: "7.12"}
	if len(v.Differences) != 1 || v.Differences[0] != want {
		t.Errorf("differences = %+v, want %+v", v.Differences, want)
	}

	// Someone slips a value into the database with an entry time before
	// the report's moment.
	fx.clock.at("2026-02-10")
	fx.add(indicators.Value{Key: key("ECO-02", "CT-CU", 2021, indicators.OfficialValue), Value: 4400})
	v, err = fx.b.Verify(fx.ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if v.Matches() || v.File != v.Stored || v.Database == v.Stored || len(v.Differences) == 0 {
		t.Errorf("backdated value: %+v; want the database's hash to differ", v)
	}

	// A workbook chitieu did not make is refused.
	plain := excelize.NewFile()
	other := filepath.Join(t.TempDir(), "other.xlsx")
	if err := plain.SaveAs(other); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.b.Verify(fx.ctx, other); indicators.ErrorCode(err) != indicators.EINVALID {
		t.Errorf("verify a foreign workbook: %v, want invalid", err)
	}
}

type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n > 0 {
		return 0, errors.New("connection reset by peer")
	}
	w.n++
	return len(p), nil
}

// A cancelled export stops and leaves nothing; so does a client that goes
// away while the file is sent.
func TestCancelledExportsLeaveNothing(t *testing.T) {
	fx := newFixture(t)
	ctx, cancel := context.WithCancel(fx.ctx)
	cancel()
	if _, err := fx.b.Progress(ctx, ProgressRequest{Plan: testPlan.Code, Period: period}); !errors.Is(err, context.Canceled) {
		t.Errorf("progress with a cancelled context: %v", err)
	}
	ctx, cancel = context.WithCancel(fx.ctx)
	fx.b.OnProgress = func(done, total int) { cancel() }
	if _, err := fx.b.Data(ctx, DataRequest{}); !errors.Is(err, context.Canceled) {
		t.Errorf("data export cancelled mid-way: %v", err)
	}
	fx.b.OnProgress = nil
	if left := leftovers(t, fx.b.TempDir); len(left) > 0 {
		t.Errorf("cancelled exports left %v", left)
	}

	f, err := fx.b.Data(fx.ctx, DataRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Send(fx.ctx, &failingWriter{n: 1}); err == nil {
		t.Error("Send to a closed connection succeeded")
	}
	if left := leftovers(t, fx.b.TempDir); len(left) > 0 {
		t.Errorf("an export sent to a closed connection left %v", left)
	}
	if f, err = fx.b.Data(fx.ctx, DataRequest{}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel = context.WithCancel(fx.ctx)
	cancel()
	if err := f.Send(ctx, io.Discard); !errors.Is(err, context.Canceled) {
		t.Errorf("Send with a cancelled context: %v", err)
	}
	if left := leftovers(t, fx.b.TempDir); len(left) > 0 {
		t.Errorf("an export whose sending was cancelled left %v", left)
	}
	f.Close() // the folder is gone already: no error
}
