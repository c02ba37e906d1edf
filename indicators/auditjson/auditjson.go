// Package auditjson builds the JSON of audit events by hand, byte for byte
// what encoding/json gives, for both stores.
//
// The audit trail hashes JSON made by encoding/json. A commit writes an
// event per value, and json.Marshal of a []any or a map spends most of its
// time on reflection and sorting keys, so the write paths append the same
// bytes directly and hand anything out of the ordinary (a string to
// escape, a number json.Marshal writes with an exponent) to encoding/json
// itself. The stores' tests hold the output equal to json.Marshal over
// awkward strings and numbers; both stores must give the same bytes, or a
// trail copied from one to the other would not verify.
package auditjson

import (
	"encoding/json"
	"math"
	"strconv"
	"unicode/utf8"

	"chitieu/indicators"
)

// AppendString appends s as json.Marshal writes it: as it is when it holds
// nothing to escape, else through encoding/json.
func AppendString(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return appendMarshalled(b, s)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r == '\u2028' || r == '\u2029' {
			return appendMarshalled(b, s)
		}
		i += size
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendMarshalled(b []byte, v any) []byte {
	out, err := json.Marshal(v)
	if err != nil {
		// Not reached for strings and finite numbers; the callers
		// check what they hand over.
		return append(b, "null"...)
	}
	return append(b, out...)
}

// AppendFloat appends a finite f as json.Marshal writes a float64:
// shortest form, exponent only below 1e-6 or from 1e21, "e-07" as "e-7".
func AppendFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// Finite reports whether f can be written as JSON at all.
func Finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// AppendCanonical appends the bytes an event's hash is taken over: the
// JSON array of its predecessor's hash, its time as stored (at), user,
// address, action, object, before, after, batch and file hash.
func AppendCanonical(b []byte, ev *indicators.AuditEvent, at string) []byte {
	b = append(b, '[')
	for i, s := range [...]string{ev.PrevHash, at, ev.User, ev.Addr, ev.Action, ev.Object, ev.Before, ev.After} {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendString(b, s)
	}
	b = append(b, ',')
	b = strconv.AppendInt(b, ev.Batch, 10)
	b = append(b, ',')
	b = AppendString(b, ev.FileHash)
	return append(b, ']')
}
