package auditjson_test

import (
	"encoding/json"
	"math"
	"testing"

	"chitieu/indicators"
	"chitieu/indicators/auditjson"
)

func TestAppendMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "Cần Thơ", "a\"b\\c", "<&>", "tab\there", "\u2028\u2029", "bad \xff utf-8", "Tỷ lệ (%)"} {
		want, _ := json.Marshal(s)
		if got := auditjson.AppendString(nil, s); string(got) != string(want) {
			t.Errorf("AppendString(%q) = %s, want %s", s, got, want)
		}
	}
	for _, f := range []float64{0, -0.5, 7.5, 1234567.89, 1e-7, 1e-6, 123e20, 1e21, -2.5e-9, math.MaxFloat64, math.SmallestNonzeroFloat64} {
		want, _ := json.Marshal(f)
		if got := auditjson.AppendFloat(nil, f); string(got) != string(want) {
			t.Errorf("AppendFloat(%v) = %s, want %s", f, got, want)
		}
	}
	ev := indicators.AuditEvent{PrevHash: "ab", User: "lan", Addr: "10.0.0.1", Action: "value.add",
		Object: "ECO-01", Before: "", After: `{"value":7.5}`, Batch: 12, FileHash: "ff"}
	at := "2026-12-04T05:00:00.000000Z"
	want, _ := json.Marshal([]any{ev.PrevHash, at, ev.User, ev.Addr, ev.Action, ev.Object, ev.Before, ev.After, ev.Batch, ev.FileHash})
	if got := auditjson.AppendCanonical(nil, &ev, at); string(got) != string(want) {
		t.Errorf("AppendCanonical = %s, want %s", got, want)
	}
}
