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
