package importers

import (
	"strconv"
	"strings"

	"chitieu/indicators"
)

// headScan is how many rows from the top of a sheet are searched for its
// header: department sheets put a title block of a few rows above it.
const headScan = 40

// Header is a table's header as found: the rows it spans and, per column,
// its text. In a two-row header a group heading spanning several columns
// ("Năm 2024" over "KH", "Ước TH", "TH") is given to each of them.
type Header struct {
	Rows    []int          `json:"rows"`
	Columns []HeaderColumn `json:"columns"`
}

// HeaderColumn is one column of a header.
type HeaderColumn struct {
	Col    int      `json:"col"`
	Letter string   `json:"letter"`
	Text   string   `json:"text"`  // the parts joined: "Năm 2020 / Thực hiện"
	Parts  []string `json:"parts"` // the text of each header row
}

// cellText is the text of a cell as a header or a name: numbers as written.
func cellText(c Cell) string {
	switch c.Kind {
	case CellText:
		return CleanText(c.Text)
	case CellNumber:
		if c.Num == float64(int64(c.Num)) && !c.Date {
			return strconv.FormatInt(int64(c.Num), 10)
		}
		return c.Text
	}
	return CleanText(c.Text)
}

// copyRow copies a row out of the reader's reused storage.
func copyRow(r *Row) Row {
	return Row{Num: r.Num, Cells: append([]Cell(nil), r.Cells...)}
}

// buildHeader reads the header in the given rows.
func buildHeader(rows []Row, headerRows []int) Header {
	h := Header{Rows: headerRows}
	texts := make([]map[int]string, len(headerRows))
	maxCol := 0
	for i, n := range headerRows {
		texts[i] = map[int]string{}
		for _, r := range rows {
			if r.Num != n {
				continue
			}
			for _, c := range r.Cells {
				if t := cellText(c); t != "" {
					texts[i][c.Col] = t
					maxCol = max(maxCol, c.Col)
				}
			}
		}
	}
	// A blank cell in an upper row over non-blank cells below belongs to
	// the group heading on its left, when that heading too stands over
	// non-blank cells (a horizontally merged cell keeps its text only in
	// its first cell).
	for i := 0; i+1 < len(texts); i++ {
		below := func(col int) bool {
			for j := i + 1; j < len(texts); j++ {
				if texts[j][col] != "" {
					return true
				}
			}
			return false
		}
		group, groupCol := "", 0
		for col := 1; col <= maxCol; col++ {
			t := texts[i][col]
			switch {
			case t != "":
				group, groupCol = t, col
				if !below(col) {
					group = ""
				}
			case group != "" && below(col) && groupCol < col:
				texts[i][col] = group
			default:
				group = ""
			}
		}
	}
	for col := 1; col <= maxCol; col++ {
		var parts []string
		any := false
		for i := range texts {
			parts = append(parts, texts[i][col])
			any = any || texts[i][col] != ""
		}
		if !any {
			continue
		}
		var nonEmpty []string
		for _, p := range parts {
			if p != "" && (len(nonEmpty) == 0 || nonEmpty[len(nonEmpty)-1] != p) {
				nonEmpty = append(nonEmpty, p)
			}
		}
		h.Columns = append(h.Columns, HeaderColumn{Col: col, Letter: ColumnName(col), Text: strings.Join(nonEmpty, " / "), Parts: parts})
	}
	return h
}

// find returns the column whose header matches label: its joined text or
// any one of its parts, compared by match key.
func (h *Header) find(label string) (HeaderColumn, bool) {
	k := MatchKey(label)
	if k == "" {
		return HeaderColumn{}, false
	}
	for _, c := range h.Columns {
		if MatchKey(c.Text) == k {
			return c, true
		}
	}
	for _, c := range h.Columns {
		for _, p := range c.Parts {
			if MatchKey(p) == k {
				return c, true
			}
		}
	}
	return HeaderColumn{}, false
}

// rowMatches counts how many labels a row's cells match.
func rowMatches(r *Row, labels []string) int {
	keys := map[string]bool{}
	for _, c := range r.Cells {
		keys[MatchKey(cellText(c))] = true
	}
	n := 0
	for _, l := range labels {
		if keys[MatchKey(l)] {
			n++
		}
	}
	return n
}

// findHeaderRow returns the first row among rows matching the most labels,
// and how many it matches.
func findHeaderRow(rows []Row, labels []string) (int, int) {
	best, bestN := 0, 0
	for i := range rows {
		if n := rowMatches(&rows[i], labels); n > bestN {
			best, bestN = rows[i].Num, n
		}
	}
	return best, bestN
}

// rowByNum returns the buffered row with number n.
func rowByNum(rows []Row, n int) (*Row, bool) {
	for i := range rows {
		if rows[i].Num == n {
			return &rows[i], true
		}
	}
	return nil, false
}

// subHeader reports whether row n, just below a header, continues it: it
// names value types or years ("Thực hiện", "Ước TH", "2024") and holds no
// typed number.
func subHeader(rows []Row, n int, extra map[string]indicators.ValueType) bool {
	r, ok := rowByNum(rows, n)
	if !ok || columnNumbers(r) {
		return false
	}
	words := 0
	for _, c := range r.Cells {
		if c.Kind != CellText {
			if c.Kind == CellNumber && c.Num >= 1900 && c.Num <= 2200 && c.Num == float64(int(c.Num)) {
				words++
				continue
			}
			return false
		}
		t := cellText(c)
		if _, ok := valueTypeOf(t, extra); ok {
			words++
		} else if _, _, ok := yearHeader(t, extra); ok {
			words++
		} else if _, _, _, ok := monthsHeader(t, extra); ok {
			words++
		}
	}
	return words > 0
}

// detectHeader guesses a sheet's header with no profile: the first row with
// at least two cells, mostly text; and the row below it too when that row
// continues it (value types or years), or is all text above a row of data
// while the header row leaves gaps it fills.
func detectHeader(rows []Row) Header {
	for i := range rows {
		r := &rows[i]
		text, other := 0, 0
		for _, c := range r.Cells {
			if c.Kind == CellText && CleanText(c.Text) != "" {
				text++
			} else {
				other++
			}
		}
		if text < 2 || text < 2*other {
			continue
		}
		hr := []int{r.Num}
		if subHeader(rows, r.Num+1, nil) {
			hr = append(hr, r.Num+1)
		}
		return buildHeader(rows, hr)
	}
	return Header{}
}
