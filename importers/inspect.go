package importers

import (
	"context"

	"chitieu/indicators"
)

// SheetInfo describes a sheet of an upload, for choosing or making a
// mapping profile: its header as detected and the first rows below it.
type SheetInfo struct {
	Name         string     `json:"name"`
	Hidden       bool       `json:"hidden"`
	DeclaredRows int        `json:"declared_rows"` // from the sheet's dimension, which may lie
	Header       Header     `json:"header"`
	Sample       [][]string `json:"sample"` // up to five rows below the header, by column of the header
	// SampleNumbers marks the sample's typed numbers (not dates), whose
	// text is Go's ("1.02"), for a page to show in its own format.
	SampleNumbers [][]bool `json:"sample_numbers,omitempty"`
}

// Inspect lists every sheet of a workbook with its detected header,
// reading only the first rows of each.
func Inspect(wb *Workbook) ([]SheetInfo, error) {
	h := newHeads(wb)
	var out []SheetInfo
	for _, s := range wb.Sheets {
		rows, err := h.of(s.Name)
		if err != nil {
			return nil, err
		}
		info := SheetInfo{Name: s.Name, Hidden: s.Hidden, DeclaredRows: h.declared[s.Name], Header: detectHeader(rows)}
		if p, ok := longHeader(rows); ok {
			info.Header = buildHeader(rows, p.HeaderRows)
		}
		if n := len(info.Header.Rows); n > 0 {
			last := info.Header.Rows[n-1]
			for i := range rows {
				if rows[i].Num <= last || len(info.Sample) == 5 {
					continue
				}
				var line []string
				var typed []bool
				for _, hc := range info.Header.Columns {
					cell, _ := rows[i].Get(hc.Col)
					line = append(line, cellText(cell))
					typed = append(typed, cell.Kind == CellNumber && !cell.Date)
				}
				info.Sample = append(info.Sample, line)
				info.SampleNumbers = append(info.SampleNumbers, typed)
			}
		}
		out = append(out, info)
	}
	return out, nil
}

// longHeader finds a row of long-table headings among rows.
func longHeader(rows []Row) (*Profile, bool) {
	for i := range rows {
		if p, ok := recogniseLong(&rows[i]); ok {
			return p, true
		}
	}
	return nil, false
}

// DraftOptions say what a draft profile is for.
type DraftOptions struct {
	Name   string
	Sheet  string // empty for the first visible sheet
	Unit   string // the unit the sheet speaks for
	Locale indicators.Locale
}

// The usual headings of a department's columns, by match key.
var draftLabels = map[string][]string{
	"code":    {"ma chi tieu", "ma", "ma so", "code", "indicator code"},
	"name":    {"chi tieu", "ten chi tieu", "noi dung", "noi dung chi tieu", "cac chi tieu", "indicator", "indicator name"},
	"measure": {"dvt", "don vi tinh", "unit of measure"},
	"note":    {"ghi chu", "note", "notes"},
}

// DraftProfile proposes a profile for an upload with none: the header as
// detected, the code, name, unit-of-measure and note columns by their usual
// headings, and for each indicator name the catalogue does not hold as
// written, its best suggestion. The planner checks the suggestions — the
// preview returned beside lists them with the alternatives — and saves the
// profile, which later uploads of the same shape then use on their own.
func (im *Importer) DraftProfile(ctx context.Context, u *Upload, o DraftOptions) (*Profile, *Result, error) {
	wb, err := OpenWorkbook(u, im.Limits)
	if err != nil {
		return nil, nil, err
	}
	sheet := o.Sheet
	if sheet == "" {
		for _, s := range wb.Sheets {
			if !s.Hidden {
				sheet = s.Name
				break
			}
		}
	}
	h := newHeads(wb)
	rows, err := h.of(sheet)
	wb.Close()
	if err != nil {
		return nil, nil, err
	}
	p := &Profile{Name: o.Name, Shape: Wide, Sheet: sheet, Unit: o.Unit, Locale: string(o.Locale)}
	if lp, ok := longHeader(rows); ok {
		lp.Name, lp.Sheet, lp.Unit, lp.Locale = o.Name, sheet, o.Unit, string(o.Locale)
		p = lp
	} else {
		hd := detectHeader(rows)
		p.HeaderRows = hd.Rows
		for _, hc := range hd.Columns {
			k := MatchKey(hc.Text)
			for field, words := range draftLabels {
				for _, w := range words {
					if k != w {
						continue
					}
					switch {
					case field == "code" && p.Columns.Code == "":
						p.Columns.Code = hc.Text
					case field == "name" && p.Columns.Name == "":
						p.Columns.Name = hc.Text
					case field == "measure" && p.Columns.Measure == "":
						p.Columns.Measure = hc.Text
					case field == "note" && p.Columns.Note == "":
						p.Columns.Note = hc.Text
					}
				}
			}
		}
		if p.Columns.Code == "" && p.Columns.Name == "" {
			return p, nil, indicators.FieldError(indicators.EINVALID, "profile",
				"không tìm thấy cột tên hay mã chỉ tiêu trong tiêu đề; hãy viết hồ sơ ánh xạ và ghi columns.name hoặc columns.code",
				"no indicator name or code column in the header")
		}
	}
	res, err := im.Preview(ctx, u, Options{Profile: p})
	if err != nil {
		return p, res, err
	}
	for _, um := range res.Unmatched {
		if len(um.Suggestions) > 0 {
			if p.Indicators == nil {
				p.Indicators = map[string]string{}
			}
			p.Indicators[um.Name] = um.Suggestions[0].Code
		}
	}
	return p, res, nil
}

// EstimateRows guesses, without inflating anything, how many rows the
// largest visible sheet of an upload holds: the rows its dimension claims,
// or, when it claims none (as excelize's stream writer leaves it), its
// unpacked size at about a hundred bytes a row. The web runs uploads over
// BackgroundRows rows as a Job.
func EstimateRows(u *Upload, lim Limits) (int, error) {
	wb, err := OpenWorkbook(u, lim)
	if err != nil {
		return 0, err
	}
	defer wb.Close()
	best := 0
	for _, s := range wb.Sheets {
		if s.Hidden {
			continue
		}
		n := int(wb.parts[s.part].UncompressedSize64 / 100)
		best = max(best, n)
	}
	h := newHeads(wb)
	for _, s := range wb.Sheets {
		if s.Hidden {
			continue
		}
		// A dimension is believed as far as the size allows: it may lie.
		if _, err := h.of(s.Name); err == nil && h.declared[s.Name] > 1 {
			best = max(best, min(h.declared[s.Name], best*4+headScan))
		}
	}
	return best, nil
}
