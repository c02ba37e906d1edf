package importers

import "chitieu/indicators"

// seenKeys are the keys an import has met, each with the cell it came
// from, so that a second cell with the same key is refused naming the
// first. A file of a million values meets a million keys, all kept to the
// end: per indicator and unit, a map from the period and type packed in 32
// bits to the cell packed in 32 bits (its row, and its column's place
// among the value columns met), which costs half of one map of 64-bit keys
// and cells (13 MB rather than 26 MB for a million). A key or a cell that
// does not pack is kept whole, aside.
type seenKeys struct {
	pairs   map[uint32]map[uint32]uint32 // indicator << 16 | unit → slot → cell
	cols    []int                        // the value columns met, by place
	colAt   map[int]uint32               // the place of each
	lastCol int                          // the column of the last cell, and its place
	lastAt  uint32
	wide    map[wideKey][2]int // key → column and row, for what does not pack
}

// wideKey is a key in full.
type wideKey struct {
	ind, unit int
	period    indicators.Period
	typ       indicators.ValueType
}

func newSeenKeys() *seenKeys {
	return &seenKeys{pairs: map[uint32]map[uint32]uint32{}, colAt: map[int]uint32{}, lastCol: -1}
}

// seenKinds and seenTypes number the kinds of period and the types of
// value for seenSlot.
var (
	seenKinds = map[indicators.PeriodKind]uint32{indicators.Year: 0, indicators.Half: 1, indicators.Quarter: 2,
		indicators.Month: 3, indicators.YearToDate: 4}
	seenTypes = map[indicators.ValueType]uint32{indicators.OfficialValue: 0, indicators.EstimateValue: 1,
		indicators.PlanValue: 2, indicators.SamePeriodValue: 3}
)

// seenSlot packs a period and a type: the year in the high 16 bits, the
// kind in bits 8–10, N (≤ 12) in bits 2–5, the type in bits 0–1.
func seenSlot(p indicators.Period, t indicators.ValueType) (uint32, bool) {
	kind, ok1 := seenKinds[p.Kind]
	typ, ok2 := seenTypes[t]
	if !ok1 || !ok2 || p.Year < 0 || p.Year > 0xffff || p.N < 0 || p.N > 0xf {
		return 0, false
	}
	return uint32(p.Year)<<16 | kind<<8 | uint32(p.N)<<2 | typ, true
}

// packCell packs a cell as its row and the place of its column: rows
// below 2²⁴ (Excel's last is 2²⁰), up to 256 value columns.
func (s *seenKeys) packCell(col, row int) (uint32, bool) {
	if row < 0 || row >= 1<<24 {
		return 0, false
	}
	if col != s.lastCol {
		at, ok := s.colAt[col]
		if !ok {
			if len(s.cols) > 0xff {
				return 0, false
			}
			at = uint32(len(s.cols))
			s.cols = append(s.cols, col)
			s.colAt[col] = at
		}
		s.lastCol, s.lastAt = col, at
	}
	return uint32(row)<<8 | s.lastAt, true
}

// add records the cell of a key, unless the key was met before: then it
// returns the first cell's column and row, and dup.
func (s *seenKeys) add(ind, unit int, p indicators.Period, t indicators.ValueType, col, row int) (firstCol, firstRow int, dup bool) {
	slot, packed := seenSlot(p, t)
	packed = packed && ind >= 0 && ind <= 0xffff && unit >= 0 && unit <= 0xffff
	var slots map[uint32]uint32
	if packed {
		pair := uint32(ind)<<16 | uint32(unit)
		if slots = s.pairs[pair]; slots == nil {
			slots = map[uint32]uint32{}
			s.pairs[pair] = slots
		}
		if c, ok := slots[slot]; ok {
			return s.cols[c&0xff], int(c >> 8), true
		}
	}
	wk := wideKey{ind, unit, p, t}
	if len(s.wide) > 0 {
		if c, ok := s.wide[wk]; ok {
			return c[0], c[1], true
		}
	}
	if packed {
		if c, ok := s.packCell(col, row); ok {
			slots[slot] = c
			return 0, 0, false
		}
	}
	if s.wide == nil {
		s.wide = map[wideKey][2]int{}
	}
	s.wide[wk] = [2]int{col, row}
	return 0, 0, false
}
