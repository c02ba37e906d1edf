package postgres

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"chitieu/indicators"
)

// awkward are strings that encoding/json escapes or rewrites, beside plain
// ASCII and Vietnamese.
var awkward = []string{"", "E12", "Số liệu", "Thực hiện 6 tháng đầu năm", `a"b`, `a\b`, "<script>&", "tab\there",
	"line\nbreak\r", "\x00\x01\x1f", "\x7f", "\u2028\u2029", "bad \xff utf-8", "\xe1\xba", "emoji 😀", "\b\f"}

// finiteNumbers are floats around json.Marshal's switches between plain
// and exponent form, and the shortest forms of awkward binaries.
var finiteNumbers = []float64{0, math.Copysign(0, -1), 1, -1, 7.5, 11420, 1234567, 0.1, 0.000001, 0.00000099999,
	1e-7, -1e-7, 1e-10, 1e20, 1e21, 123456789e15, -1e21, math.MaxFloat64, math.SmallestNonzeroFloat64, 1.0 / 3, 2e-308}

func TestCanonicalEventIsJSONMarshal(t *testing.T) {
	at := time.Date(2025, 7, 1, 8, 30, 0, 123456789, time.UTC)
	for _, s := range awkward {
		ev := indicators.AuditEvent{At: at, User: s, Addr: s, Action: "value.add", Object: "value:1:" + s,
			Before: s, After: s, Batch: -42, FileHash: s, PrevHash: s}
		want, err := json.Marshal([]any{ev.PrevHash, fmtTime(ev.At), ev.User, ev.Addr, ev.Action, ev.Object,
			ev.Before, ev.After, ev.Batch, ev.FileHash})
		if err != nil {
			t.Fatal(err)
		}
		if got := canonicalEvent(ev); string(got) != string(want) {
			t.Errorf("canonical event of %q:\n got %s\nwant %s", s, got, want)
		}
	}
}

func TestValueAuditJSONIsJSONMarshal(t *testing.T) {
	var cases []indicators.Value
	for _, s := range awkward {
		cases = append(cases, indicators.Value{ID: 7, Value: 1.5, Sheet: s, Cell: s, Source: s, Batch: 3})
	}
	numbers := append(finiteNumbers, math.NaN(), math.Inf(1), math.Inf(-1))
	for i, f := range numbers {
		high := numbers[len(numbers)-1-i]
		cases = append(cases, indicators.Value{ID: int64(i), Value: f, High: &high, Sheet: "Biểu 01", Cell: "F12"})
		cases = append(cases, indicators.Value{ID: -int64(i), Value: f, Batch: int64(i)})
	}
	for _, v := range cases {
		if got, want := valueAuditJSON(&v), jsonOf(valueAudit(&v)); got != want {
			t.Errorf("value %+v:\n got %s\nwant %s", v, got, want)
		}
	}
	for i, f := range numbers {
		if got, want := replacedJSON(int64(i), f), jsonOf(map[string]any{"id": int64(i), "value": f}); got != want {
			t.Errorf("replaced value %v:\n got %s\nwant %s", f, got, want)
		}
	}
}
