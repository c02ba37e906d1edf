package importers

import (
	"testing"

	"chitieu/indicators"
)

// Every key is told apart from every other — each kind of period, half,
// quarter, month and year-to-date N, type, indicator and unit — and a key
// met again names the cell it was first met in, whether its key and cell
// pack or not: a row beyond 2²⁴, more than 256 value columns, a year that
// does not fit 16 bits.
func TestSeenKeysTellKeysApartAndNameTheFirstCell(t *testing.T) {
	t.Parallel()
	type key struct {
		ind, unit int
		p         indicators.Period
		t         indicators.ValueType
	}
	var keys []key
	for _, typ := range []indicators.ValueType{indicators.OfficialValue, indicators.EstimateValue, indicators.PlanValue, indicators.SamePeriodValue} {
		for _, y := range []int{1900, 2024, 2200, 70000} {
			for _, iu := range [][2]int{{0, 0}, {0, 1}, {1, 0}, {70000, 3}} {
				add := func(p indicators.Period) { keys = append(keys, key{iu[0], iu[1], p, typ}) }
				add(indicators.YearPeriod(y))
				for n := 1; n <= 12; n++ {
					add(indicators.Period{Year: y, Kind: indicators.Month, N: n})
					add(indicators.Period{Year: y, Kind: indicators.YearToDate, N: n})
				}
				for n := 1; n <= 4; n++ {
					add(indicators.Period{Year: y, Kind: indicators.Quarter, N: n})
				}
				for n := 1; n <= 2; n++ {
					add(indicators.Period{Year: y, Kind: indicators.Half, N: n})
				}
			}
		}
	}
	// Each key's cell: one of 300 columns, rows past 2²⁴ for some.
	cell := func(i int) (col, row int) {
		row = i + 2
		if i%7 == 0 {
			row += 1 << 24
		}
		return 5 + i%300, row
	}
	s := newSeenKeys()
	for i, k := range keys {
		col, row := cell(i)
		if fc, fr, dup := s.add(k.ind, k.unit, k.p, k.t, col, row); dup {
			t.Fatalf("key %d %+v taken for a key met before, at column %d row %d", i, k, fc, fr)
		}
	}
	for i, k := range keys {
		fc, fr, dup := s.add(k.ind, k.unit, k.p, k.t, 1, 9)
		if wc, wr := cell(i); !dup || fc != wc || fr != wr {
			t.Errorf("key %d %+v met again: dup %v at column %d row %d; want column %d row %d", i, k, dup, fc, fr, wc, wr)
		}
	}
	if len(s.wide) == 0 || len(s.pairs) == 0 {
		t.Errorf("%d keys packed in %d pairs, %d kept whole; want both kinds exercised", len(keys)-len(s.wide), len(s.pairs), len(s.wide))
	}
}
