package reports

import (
	"testing"

	"chitieu/indicators"
)

// The data export carries each indicator's metadata sheet on a sheet of
// its own, as text (a formula-looking text stays text), only the
// exported indicator's when the export is of one; an indicator without a
// sheet has no row.
func TestDataExportCarriesTheMetadata(t *testing.T) {
	fx := newFixture(t)
	m := indicators.IndicatorMetadata{Indicator: "ECO-01", Definition: "=1+1 tốc độ tăng GRDP", Method: "theo giá so sánh 2010",
		Source: "Cục Thống kê"}
	if err := fx.db.SetIndicatorMetadata(fx.ctx, m); err != nil {
		t.Fatal(err)
	}
	all := fx.save(fx.b.Data(fx.ctx, DataRequest{}))
	rows := rawRows(t, book(t, all), "Siêu dữ liệu")
	if len(rows) != 2 || at(rows[0], 3) != "Khái niệm, định nghĩa" || at(rows[1], 1) != "ECO-01" ||
		at(rows[1], 3) != m.Definition || at(rows[1], 4) != m.Method || at(rows[1], 6) != m.Source {
		t.Errorf("metadata sheet = %q", rows)
	}
	only := fx.save(fx.b.Data(fx.ctx, DataRequest{Indicator: "SOC-01"}))
	if rows := rawRows(t, book(t, only), "Siêu dữ liệu"); len(rows) != 1 {
		t.Errorf("SOC-01's export lists other indicators' metadata: %q", rows)
	}
	en := fx.save(fx.b.Data(fx.ctx, DataRequest{Lang: "en"}))
	if rows := rawRows(t, book(t, en), "Metadata"); len(rows) != 2 || at(rows[0], 4) != "Method of computation" {
		t.Errorf("English metadata sheet = %q", rows)
	}
}
