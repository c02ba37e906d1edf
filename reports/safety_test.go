package reports

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"

	"github.com/xuri/excelize/v2"
)

// Text a spreadsheet would run as a formula if it were written as one.
var payloads = []string{`=HYPERLINK("http://x","y")`, `@SUM(1+1)`, `+cmd|' /C calc'!A0`, `-2+3`}

// injected loads an indicator, a target, a batch and a value whose every
// text came from a user and is a formula-like payload, with a negative
// number, entered by a user whose name is one too.
func injected(t *testing.T) *fixture {
	t.Helper()
	fx := newFixture(t)
	cat := testCatalog()
	cat.Indicators = append(cat.Indicators, indicators.Indicator{Code: "INJ-01", NameVI: payloads[0], NameEN: payloads[0],
		Unit: payloads[1], Direction: indicators.Up, Measure: indicators.Level, Rollup: indicators.RollupNone,
		Frequency: indicators.Yearly, Decimals: 1})
	cat.Targets = append(cat.Targets, indicators.Target{Plan: testPlanID(), Indicator: "INJ-01", Period: period,
		Scope: indicators.OldCity, Group: 1, TargetRevision: indicators.TargetRevision{Kind: indicators.LevelTarget,
			Bound: indicators.Bound{Op: indicators.OpAtLeast, A: 1}, Text: payloads[2], Source: payloads[3],
			Act: testPlan.Code, Effective: testPlan.Issued, EnteredBy: "catalog"}})
	if _, err := fx.db.LoadCatalog(fx.ctx, cat); err != nil {
		t.Fatal(err)
	}
	fx.clock.at("2026-01-10")
	fx.insertBatch(indicators.Batch{ID: 7, FileName: payloads[0] + ".xlsx", SHA256: strings.Repeat("ab", 32), Size: 1234,
		State: indicators.Committed, CreatedBy: payloads[3], CreatedAt: fx.clock.now(), CommittedAt: fx.clock.now(), New: 2})
	fx.ctx = indicators.WithActor(context.Background(), indicators.Actor{User: payloads[3], Addr: payloads[1]})
	fx.add(
		indicators.Value{Key: key("INJ-01", "CT-CU", 2021, indicators.OfficialValue), Value: -2.5, Batch: 7,
			Sheet: payloads[1], Cell: payloads[2], Note: payloads[3]},
		indicators.Value{Key: key("INJ-01", "CT-CU", 2022, indicators.OfficialValue), Value: -0.75, Source: payloads[2]},
	)
	return fx
}

var formulaElement = regexp.MustCompile(`<f[ >]`)

// noFormulas fails when any worksheet of the workbook holds a formula.
func noFormulas(t *testing.T, path string) {
	t.Helper()
	for name, body := range zipParts(t, path) {
		if strings.HasPrefix(name, "xl/worksheets/") && formulaElement.MatchString(body) {
			t.Errorf("%s: %s holds a formula", path, name)
		}
	}
}

// textCell checks that the cell holding s is text: no formula, a string type.
func textCell(t *testing.T, f *excelize.File, sheet, s string) {
	t.Helper()
	rows := rawRows(t, f, sheet)
	for r, row := range rows {
		for c, v := range row {
			if v != s && !strings.HasPrefix(v, s) {
				continue
			}
			cell := ref(c+1, r+1)
			formula, err := f.GetCellFormula(sheet, cell)
			if err != nil || formula != "" {
				t.Errorf("%s!%s: formula %q, %v", sheet, cell, formula, err)
			}
			typ, err := f.GetCellType(sheet, cell)
			if err != nil || (typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString) {
				t.Errorf("%s!%s (%q): type %v, want text", sheet, cell, v, typ)
			}
			return
		}
	}
	t.Errorf("%s: no cell holds %q", sheet, s)
}

// numberCell checks that the cell holding raw value s is a number.
func numberCell(t *testing.T, f *excelize.File, sheet, s string) {
	t.Helper()
	rows := rawRows(t, f, sheet)
	for r, row := range rows {
		for c, v := range row {
			if v != s {
				continue
			}
			typ, err := f.GetCellType(sheet, ref(c+1, r+1))
			if err != nil || typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString ||
				typ == excelize.CellTypeFormula {
				t.Errorf("%s!%s (%q): type %v, want a number", sheet, ref(c+1, r+1), v, typ)
			}
			return
		}
	}
	t.Errorf("%s: no cell holds %s", sheet, s)
}

func TestUserTextIsNeverAFormula(t *testing.T) {
	fx := injected(t)
	fx.clock.at("2026-02-01")

	data := fx.save(fx.b.Data(fx.ctx, DataRequest{}))
	noFormulas(t, data)
	f := book(t, data)
	for _, p := range payloads {
		textCell(t, f, "Số liệu", p)
	}
	numberCell(t, f, "Số liệu", "-2.5")
	numberCell(t, f, "Số liệu", "-0.75")

	progress := fx.save(fx.b.Progress(fx.ctx, ProgressRequest{Plan: testPlan.Code, Period: period}))
	noFormulas(t, progress)
	f = book(t, progress)
	for _, p := range payloads[:3] {
		textCell(t, f, "Tiến độ", p)
	}
	numberCell(t, f, "Tiến độ", "-2.5")
	textCell(t, f, "Bìa", payloads[3]) // the author, a user name
	audit := fx.save(fx.b.Audit(fx.ctx, AuditRequest{}))
	noFormulas(t, audit)
	f = book(t, audit)
	textCell(t, f, "Lô nhập", payloads[0]+".xlsx")
	textCell(t, f, "Lô nhập", payloads[3])
	textCell(t, f, "Nhật ký", payloads[3])
	textCell(t, f, "Nhật ký", payloads[1])

	// The same file verifies: the text read back is the text written.
	for _, p := range []string{data, progress, audit} {
		if v, err := fx.b.Verify(fx.ctx, p); err != nil || !v.Matches() {
			t.Errorf("verify %s: %+v, %v", p, v, err)
		}
	}
}

func TestCSVDefusesFormulas(t *testing.T) {
	fx := injected(t)
	path := fx.save(fx.b.Data(fx.ctx, DataRequest{Format: "csv"}))
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var fields []string
	for _, r := range recs {
		fields = append(fields, r...)
	}
	for _, p := range payloads {
		found := false
		for _, f := range fields {
			if strings.HasPrefix(f, p) || strings.HasPrefix(strings.TrimPrefix(f, "'"), p) {
				found = true
				if f != "'"+strings.TrimPrefix(f, "'") || !strings.HasPrefix(f, "'") {
					t.Errorf("csv field %q is not defused", f)
				}
			}
		}
		if !found {
			t.Errorf("csv lacks %q", p)
		}
	}
	for _, want := range []string{"-2.5", "-0.75"} {
		found := false
		for _, f := range fields {
			found = found || f == want
		}
		if !found {
			t.Errorf("csv lacks the plain number %s", want)
		}
	}
}

func TestCells(t *testing.T) {
	for _, tc := range []struct {
		c         cell
		canonical string
		csv       string
	}{
		{text("=1+1", style{}), "=1+1", "'=1+1"},
		{text("-2+3", style{}), "-2+3", "'-2+3"},
		{text("＝1", style{}), "＝1", "'＝1"},
		{text("Cần Thơ", style{}), "Cần Thơ", "Cần Thơ"},
		{text("a\r\nb\rc\x01", style{}), "a\nb\nc\uFFFD", "a\nb\nc\uFFFD"},
		{text("\xff", style{}), "\uFFFD", "\uFFFD"},
		{number(-2.79, style{}), "-2.79", "-2.79"},
		{number(1e-7, style{}), "0.0000001", "0.0000001"},
		{numberPtr(nil, style{}), "", ""},
		{moment(time.Date(2026, 1, 1, 5, 0, 0, 0, time.UTC), style{}), "46023.5", "2026-01-01 12:00:00"},
	} {
		if got := tc.c.canonical(); got != tc.canonical {
			t.Errorf("canonical(%+v) = %q, want %q", tc.c, got, tc.canonical)
		}
		if got := tc.c.csv(); got != tc.csv {
			t.Errorf("csv(%+v) = %q, want %q", tc.c, got, tc.csv)
		}
	}
	long := strings.Repeat("ạ", maxCellChars+10)
	if got := text(long, style{}).s; utf16Len(got) != maxCellChars {
		t.Errorf("long text kept %d characters, want %d", utf16Len(got), maxCellChars)
	}
}
