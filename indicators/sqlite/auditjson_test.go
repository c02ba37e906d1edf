package sqlite

import (
	"math"
	"testing"
	"time"

	"chitieu/indicators"
)

// The hand-built audit JSON must be byte for byte what encoding/json
// writes, or the hash chain written by the fast path would not verify.
func TestFastAuditJSONMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	high := 8.0
	key := newAuditKey([]byte("0123456789abcdef0123456789abcdef"))
	strs := []string{"", "Biểu 01", "I11", `a"b\c`, "<script>&", "tab\there\nnew", "\u2028\u2029", "\x01\x7f",
		string([]byte{0xff, 0xfe, 'a'}), "Sở Tài chính — 7,5%", "ECO-01/CT-CU/2024/official"}
	nums := []float64{0, math.Copysign(0, -1), 1, -2.79, 7.12, 1e-7, 1e-6, 123456789012, 1e20, 1e21, 3.4e38,
		-1e-9, 0.1 + 0.2, 94.12, 1.0 / 3}
	for _, s := range strs {
		for i, x := range nums {
			v := &indicators.Value{ID: int64(i * 997), Value: x, Sheet: s, Cell: s, Source: s}
			if i%2 == 0 {
				v.Batch = int64(i + 1)
			}
			if i%3 == 0 {
				v.High = &high
			}
			if got, want := string(appendValueAudit(nil, v)), jsonOf(valueAudit(v)); got != want {
				t.Errorf("appendValueAudit = %s, want %s", got, want)
			}
			if got, want := string(appendIDValue(nil, v.ID, x)), jsonOf(map[string]any{"id": v.ID, "value": x}); got != want {
				t.Errorf("appendIDValue = %s, want %s", got, want)
			}
			ev := indicators.AuditEvent{At: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC), User: s, Addr: s,
				Action: "value.add", Object: s, Before: s, After: s, Batch: int64(i), FileHash: s, PrevHash: s}
			if got, _ := fastEventHash(nil, &ev, fmtTime(ev.At)); got != eventHash(ev) {
				t.Errorf("fastEventHash(%q) = %s, want %s", s, got, eventHash(ev))
			}
			if got, _ := key.fastHash(nil, &ev, fmtTime(ev.At)); got != key.eventHash(ev) {
				t.Errorf("keyed fastHash(%q) = %s, want %s", s, got, key.eventHash(ev))
			}
		}
	}
}

// BenchmarkEventHash compares the plain chain's hash of a value's event
// with the keyed one the trail now uses, on the import's fast path.
func BenchmarkEventHash(b *testing.B) {
	v := &indicators.Value{ID: 123456, Value: 7.12, Batch: 42, Sheet: "Biểu 01", Cell: "F12", Source: ""}
	ev := indicators.AuditEvent{User: "hoa.nguyen", Addr: "10.0.0.7", Action: "value.add",
		Object: "value:123456:ECO-01/CT-CU/2024/official", After: string(appendValueAudit(nil, v)), Batch: 42,
		FileHash: "9f2c4e0b7d1a5c3e8f6b2d4a0c9e7b5d3f1a8c6e4b2d0f9e7c5a3b1d8f6e4c2a",
		PrevHash: "0b1d3f5a7c9e2b4d6f8a0c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d2f4a6c8e0b2d"}
	at := "2026-01-02T03:04:05.000000006Z"
	k := newAuditKey(make([]byte, 32))
	b.Run("plain", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			_, buf = fastEventHash(buf, &ev, at)
		}
	})
	b.Run("keyed", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			_, buf = k.fastHash(buf, &ev, at)
		}
	})
}
