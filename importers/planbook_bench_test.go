package importers_test

import (
	"bytes"
	"context"
	"testing"

	"chitieu/importers"
	"chitieu/indicators"
)

// BenchmarkPlanbookPreview reads the exported built-in catalogue back and
// compares it with the store: the work of one "plan import --dry-run".
func BenchmarkPlanbookPreview(b *testing.B) {
	db, _ := store(b)
	cat, err := indicators.ReadCatalog(context.Background(), db)
	if err != nil {
		b.Fatal(err)
	}
	data := export(b, db)
	b.ReportAllocs()
	for b.Loop() {
		book, err := importers.ReadPlanbook(bytes.NewReader(data), "so-ke-hoach.xlsx")
		if err != nil {
			b.Fatal(err)
		}
		if p := importers.DiffPlanbook(book, cat); len(p.Changes) != 0 || len(p.Errors) != 0 {
			b.Fatalf("preview %+v", p)
		}
	}
	b.ReportMetric(float64(len(data)), "workbook-bytes")
}
