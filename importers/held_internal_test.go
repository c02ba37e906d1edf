package importers

import (
	"context"
	"testing"

	"chitieu/indicators"
)

// heldStore is a store whose values in force are given.
type heldStore struct {
	Store
	held  map[[2]string]map[indicators.Key]indicators.HeldValue
	reads int
}

func (s *heldStore) HeldValues(_ context.Context, indicator, unit string) (map[indicators.Key]indicators.HeldValue, error) {
	s.reads++
	return s.held[[2]string{indicator, unit}], nil
}

// The values in force, kept packed by period and type, are found for
// exactly their own key: every period kind, half, quarter, month and
// year-to-date N and every type of one pair lands on a slot of its own,
// and the pair is read from the store once.
func TestHeldValuesFindEachKeyAndNoOther(t *testing.T) {
	t.Parallel()
	var keys []indicators.Key
	for _, typ := range []indicators.ValueType{indicators.OfficialValue, indicators.EstimateValue, indicators.PlanValue, indicators.SamePeriodValue} {
		for _, y := range []int{2005, 2024, 2030} {
			keys = append(keys, indicators.Key{Indicator: "ECO-01", Unit: "CT", Period: indicators.YearPeriod(y), Type: typ})
			for n := 1; n <= 12; n++ {
				keys = append(keys,
					indicators.Key{Indicator: "ECO-01", Unit: "CT", Period: indicators.Period{Year: y, Kind: indicators.Month, N: n}, Type: typ},
					indicators.Key{Indicator: "ECO-01", Unit: "CT", Period: indicators.Period{Year: y, Kind: indicators.YearToDate, N: n}, Type: typ})
			}
			for n := 1; n <= 4; n++ {
				keys = append(keys, indicators.Key{Indicator: "ECO-01", Unit: "CT", Period: indicators.Period{Year: y, Kind: indicators.Quarter, N: n}, Type: typ})
			}
			for n := 1; n <= 2; n++ {
				keys = append(keys, indicators.Key{Indicator: "ECO-01", Unit: "CT", Period: indicators.Period{Year: y, Kind: indicators.Half, N: n}, Type: typ})
			}
		}
	}
	// Every other key holds a value: its index.
	stored := map[indicators.Key]indicators.HeldValue{}
	for i, k := range keys {
		if i%2 == 0 {
			stored[k] = indicators.HeldValue{ID: int64(i + 1), Value: float64(i)}
		}
	}
	st := &heldStore{held: map[[2]string]map[indicators.Key]indicators.HeldValue{{"ECO-01", "CT"}: stored}}
	h := newHeldValues(st)
	for i, k := range keys {
		v, ok, err := h.get(context.Background(), k)
		if err != nil {
			t.Fatal(err)
		}
		if want := i%2 == 0; ok != want || (ok && (v.ID != int64(i+1) || v.Value != float64(i))) {
			t.Errorf("%s: held %v %+v; want held %v with ID %d", k, ok, v, want, i+1)
		}
	}
	if st.reads != 1 {
		t.Errorf("the pair was read %d times, want once", st.reads)
	}
}

// The packed values in force keep what a reading is compared with: the
// upper end of a planned range, IDs too far apart for offsets of 32 bits,
// and a key whose year does not pack, each for its own key only.
func TestHeldValuesKeepRangesFarIDsAndOddKeys(t *testing.T) {
	t.Parallel()
	key := func(unit string, y int, typ indicators.ValueType) indicators.Key {
		return indicators.Key{Indicator: "ECO-06", Unit: unit, Period: indicators.YearPeriod(y), Type: typ}
	}
	hi := func(x float64) *float64 { return &x }
	far := int64(1)<<33 + 7 // 2³³ + 7 − 5 does not fit in 32 bits
	odd := key("CT", 70000, indicators.PlanValue)
	st := &heldStore{held: map[[2]string]map[indicators.Key]indicators.HeldValue{
		{"ECO-06", "CT"}: {
			key("CT", 2024, indicators.PlanValue):     {ID: 5, Value: 230, High: hi(250)},
			key("CT", 2024, indicators.OfficialValue): {ID: far, Value: 241},
			odd: {ID: 9, Value: 1, High: hi(2)},
		},
		{"ECO-06", "HG"}: {
			key("HG", 2024, indicators.PlanValue): {ID: 11, Value: 100},
		},
	}}
	h := newHeldValues(st)
	for _, c := range []struct {
		k    indicators.Key
		ok   bool
		id   int64
		v    float64
		high *float64
	}{
		{key("CT", 2024, indicators.PlanValue), true, 5, 230, hi(250)},
		{key("CT", 2024, indicators.OfficialValue), true, far, 241, nil},
		{key("CT", 2024, indicators.EstimateValue), false, 0, 0, nil},
		{key("CT", 2023, indicators.PlanValue), false, 0, 0, nil},
		{odd, true, 9, 1, hi(2)},
		{key("CT", 70001, indicators.PlanValue), false, 0, 0, nil},
		{key("HG", 2024, indicators.PlanValue), true, 11, 100, nil},
		{key("HG", 2024, indicators.OfficialValue), false, 0, 0, nil},
	} {
		v, ok, err := h.get(context.Background(), c.k)
		if err != nil {
			t.Fatal(err)
		}
		if ok != c.ok || v.ID != c.id || v.Value != c.v || !sameHigh(v.High, c.high) {
			t.Errorf("%s: held %v %+v (high %v); want %v, ID %d, value %v, high %v", c.k, ok, v, v.High, c.ok, c.id, c.v, c.high)
		}
	}
	if st.reads != 2 {
		t.Errorf("the two pairs were read %d times, want once each", st.reads)
	}
}
