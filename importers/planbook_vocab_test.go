package importers_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"chitieu/importers"
	"chitieu/indicators"

	"github.com/xuri/excelize/v2"
)

// The plan workbook shows people labels, not codes: every coded cell
// (scope, kind, direction, measure, roll-up, frequency, unit kind) holds a
// Vietnamese label of the one vocabulary, with the labels offered as a
// drop-down list. Read back, a label in either language or the code itself
// gives the same item (a workbook written with codes, with English labels
// in capitals, imports as no change); a changed direction shows in the
// preview as labels; a text the vocabulary does not know is refused at
// its cell.
func TestWorkbookShowsLabelsAndReadsLabelsOrCodes(t *testing.T) {
	t.Parallel()
	db, ctx := store(t)
	data := export(t, db)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, g := range []string{"kind", "scope", "direction", "measure", "rollup", "frequency", "unit_kind"} {
		for _, c := range indicators.VocabularyCodes(g) {
			codes[c] = true
		}
	}
	for _, sheet := range indicators.PlanbookSheets {
		if !slices.ContainsFunc(sheet.Columns, func(c indicators.Column) bool { return c.Vocab != "" }) {
			continue // a sheet without coded columns, such as the metadata
		}
		rows, err := f.GetRows(sheet.Name)
		if err != nil || len(rows) < 2 {
			t.Fatalf("sheet %s: %d rows, %v", sheet.Name, len(rows), err)
		}
		dvs, _ := f.GetDataValidations(sheet.Name)
		for i, col := range sheet.Columns {
			if col.Vocab == "" {
				continue
			}
			labels := map[string]bool{}
			for _, l := range indicators.VocabularyLabels(col.Vocab, "vi") {
				labels[l] = true
			}
			filled := 0
			for n, r := range rows[1:] {
				if i >= len(r) || r[i] == "" {
					continue
				}
				filled++
				if !labels[r[i]] || codes[r[i]] {
					t.Errorf("%s!%s row %d shows %q, want a Vietnamese label of %s", sheet.Name, col.Header, n+2, r[i], col.Vocab)
				}
			}
			if filled == 0 && col.Required {
				t.Errorf("%s column %s is empty", sheet.Name, col.Header)
			}
			letters, _ := excelize.ColumnNumberToName(i + 1)
			listed := false
			for _, dv := range dvs {
				if strings.HasPrefix(dv.Sqref, letters+"2:") && dv.Type == "list" &&
					strings.Contains(dv.Formula1, indicators.VocabularyLabels(col.Vocab, "vi")[0]) {
					listed = true
				}
			}
			if !listed {
				t.Errorf("%s column %s offers no list of its labels (%d lists)", sheet.Name, col.Header, len(dvs))
			}
		}
	}
	f.Close()

	// Codes on even rows, English labels in capitals on odd ones.
	recoded := edit(t, data, func(f *excelize.File) {
		for _, sheet := range indicators.PlanbookSheets {
			rows, _ := f.GetRows(sheet.Name)
			for i, col := range sheet.Columns {
				if col.Vocab == "" {
					continue
				}
				for n, r := range rows[1:] {
					if i >= len(r) || r[i] == "" {
						continue
					}
					code, ok := indicators.VocabularyCode(col.Vocab, r[i])
					if !ok {
						t.Fatalf("%s row %d: %q does not read back", sheet.Name, n+2, r[i])
					}
					text := code
					if n%2 == 1 {
						text = strings.ToUpper(indicators.Label(col.Vocab, code, "en"))
					}
					addr, _ := excelize.CoordinatesToCellName(i+1, n+2)
					f.SetCellStr(sheet.Name, addr, text)
				}
			}
		}
	})
	p, err := importers.ImportPlanbook(ctx, db, bytes.NewReader(recoded), "ma-va-nhan.xlsx", false)
	if err != nil || p.New != 0 || p.Changed != 0 || p.Rejected != 0 {
		t.Errorf("codes and English labels: new %d, changed %d, rejected %d, %v, errors %v", p.New, p.Changed, p.Rejected, err, p.Errors)
	}

	// A changed direction is shown as labels; an unknown unit kind is refused at its cell.
	s, u := indicators.IndicatorsSheet.Name, indicators.UnitsSheet.Name
	var bad string
	changed := edit(t, data, func(f *excelize.File) {
		r := rowOf(t, f, s, "Chiều", "càng cao càng tốt")
		f.SetCellStr(s, cell(t, f, s, "Chiều", r), "Càng thấp càng tốt")
		bad = cell(t, f, u, "Loại", 2)
		f.SetCellStr(u, bad, "làng")
	})
	p, _ = importers.ImportPlanbook(ctx, db, bytes.NewReader(changed), "sua-chieu.xlsx", false)
	found := false
	for _, c := range p.Changes {
		for _, fc := range c.Fields {
			if fc.Field == "Chiều" {
				found = fc.Before == "càng cao càng tốt" && fc.After == "càng thấp càng tốt"
				if !found {
					t.Errorf("the direction's change shows %q → %q, want the labels", fc.Before, fc.After)
				}
			}
		}
	}
	if p.Changed != 1 || !found {
		t.Errorf("changed %d, changes %+v; want the direction's change", p.Changed, p.Changes)
	}
	refused := false
	for _, e := range p.Errors {
		if e.Sheet == u && e.Cell == bad {
			refused = true
		}
	}
	if !refused {
		t.Errorf("the unit kind «làng» was not refused at %s!%s: %v", u, bad, p.Errors)
	}
}
