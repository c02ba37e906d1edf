package importers

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"chitieu/indicators"
)

// panicky is a table whose parsing fails the worst way.
type panicky struct{}

func (panicky) mapRow(*Row, *collector) { panic("index out of range") }

func (panicky) skippedUnits() int { return 0 }

// A panic while parsing becomes a failed upload with a plain message; the
// pipeline still closes its output, so the store and the server go on.
func TestAPanicWhileParsingIsAFailedUpload(t *testing.T) {
	t.Parallel()
	var logged strings.Builder
	im := &Importer{Log: slog.New(slog.NewTextHandler(&logged, nil))}
	pl := &pipeline{}
	in := make(chan *rowChunk, 1)
	out := make(chan []indicators.Reading, 1)
	in <- &rowChunk{rows: []Row{{Num: 12, Cells: []Cell{{Col: 2, Kind: CellText, Text: "Tốc độ tăng trưởng GRDP"}}}}}
	close(in)
	col := newCollector(newCatalogue(nil, nil), indicators.Actor{}, "Biểu 01", indicators.Vietnamese, false, 10)
	pl.wg.Add(1)
	go im.mapRows(context.Background(), pl, panicky{}, col, in, out)
	for range out {
	}
	pl.wg.Wait()
	err := pl.failure()
	if indicators.ErrorCode(err) != indicators.EINVALID || !strings.Contains(indicators.ErrorMessage(err), "không đọc được tệp") {
		t.Fatalf("err = %v, want a failed upload", err)
	}
	if strings.Contains(indicators.ErrorMessage(err), "index out of range") {
		t.Errorf("the user sees the panic: %v", err)
	}
	if !strings.Contains(logged.String(), "index out of range") {
		t.Errorf("the log lacks the panic: %s", logged.String())
	}
}
