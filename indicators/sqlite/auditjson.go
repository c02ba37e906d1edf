package sqlite

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"strconv"

	"chitieu/indicators"
)

// The audit trail hashes and stores JSON made by encoding/json (eventHash,
// jsonOf). Writing a large batch marshals millions of small documents, so
// the write path builds the same bytes by hand: plain strings and ordinary
// numbers directly, anything else through encoding/json itself, so that the
// bytes cannot differ. TestFastAuditJSONMatchesEncodingJSON holds them equal.

// appendJSONString appends s as encoding/json writes it.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			enc, _ := json.Marshal(s)
			return append(b, enc...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendJSONFloat appends f as encoding/json writes a float64.
func appendJSONFloat(b []byte, f float64) []byte {
	if a := math.Abs(f); a == 0 || (a >= 1e-6 && a < 1e21) {
		return strconv.AppendFloat(b, f, 'f', -1, 64)
	}
	enc, _ := json.Marshal(f)
	return append(b, enc...)
}

// appendValueAudit appends jsonOf(valueAudit(v)): the keys of a map come out
// sorted.
func appendValueAudit(b []byte, v *indicators.Value) []byte {
	b = append(b, '{')
	if v.Cell != "" {
		b = append(b, `"cell":`...)
		b = appendJSONString(b, v.Cell)
		b = append(b, ',')
	}
	if v.High != nil {
		b = append(b, `"high":`...)
		b = appendJSONFloat(b, *v.High)
		b = append(b, ',')
	}
	if v.Sheet != "" {
		b = append(b, `"sheet":`...)
		b = appendJSONString(b, v.Sheet)
		b = append(b, ',')
	}
	if v.Source != "" {
		b = append(b, `"source":`...)
		b = appendJSONString(b, v.Source)
		b = append(b, ',')
	}
	b = append(b, `"value":`...)
	b = appendJSONFloat(b, v.Value)
	return append(b, '}')
}

// appendIDValue appends jsonOf(map[string]any{"id": id, "value": x}).
func appendIDValue(b []byte, id int64, x float64) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, id, 10)
	b = append(b, `,"value":`...)
	b = appendJSONFloat(b, x)
	return append(b, '}')
}

// fastEventHash is eventHash(ev), with buf as scratch space and at the
// event's time as stored.
func fastEventHash(buf []byte, ev *indicators.AuditEvent, at string) (string, []byte) {
	b := fastEventBytes(buf, ev, at)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), b
}

// fastEventBytes is canonicalEvent(ev), built in buf.
func fastEventBytes(buf []byte, ev *indicators.AuditEvent, at string) []byte {
	b := append(buf[:0], '[')
	for i, s := range []string{ev.PrevHash, at, ev.User, ev.Addr, ev.Action, ev.Object, ev.Before, ev.After} {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	b = append(b, ',')
	b = strconv.AppendInt(b, ev.Batch, 10)
	b = append(b, ',')
	b = appendJSONString(b, ev.FileHash)
	return append(b, ']')
}
