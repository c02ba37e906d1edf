package postgres

import (
	"encoding/json"
	"math"
	"strconv"
	"unicode/utf8"

	"chitieu/indicators"
)

// The bytes an event's hash is taken over, and the JSON of a value's
// event, are encoding/json's output. A commit writes an event per value,
// and json.Marshal of a map or a []any spends most of its time on
// reflection and sorting keys: the functions here append the same bytes
// directly, and hand anything out of the ordinary (a string to escape, a
// number that is not finite) to encoding/json itself, so that the output
// stays byte for byte what json.Marshal gives (auditjson_test.go checks it
// over awkward strings and numbers).

// appendJSONString appends s as json.Marshal writes it: as it is when it
// holds nothing to escape, else through encoding/json.
func appendJSONString(b []byte, s string) []byte {
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

// appendJSONFloat appends a finite f as json.Marshal writes a float64:
// shortest form, exponent only below 1e-6 or from 1e21, "e-07" as "e-7".
func appendJSONFloat(b []byte, f float64) []byte {
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

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// appendCanonical appends the canonical bytes of ev (see canonicalEvent).
func appendCanonical(b []byte, ev *indicators.AuditEvent) []byte {
	b = append(b, '[')
	for i, s := range [...]string{ev.PrevHash, fmtTime(ev.At), ev.User, ev.Addr, ev.Action, ev.Object, ev.Before, ev.After} {
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

// valueAuditJSON is jsonOf(valueAudit(v)): the keys in the order
// json.Marshal sorts a map's.
func valueAuditJSON(v *indicators.Value) string {
	if !finite(v.Value) || (v.High != nil && !finite(*v.High)) {
		return jsonOf(valueAudit(v))
	}
	b := make([]byte, 0, 96+len(v.Source)+len(v.Sheet)+len(v.Cell))
	b = append(b, '{')
	if v.Batch != 0 {
		b = append(b, `"batch":`...)
		b = strconv.AppendInt(b, v.Batch, 10)
		b = append(b, ',')
	}
	b = append(b, `"cell":`...)
	b = appendJSONString(b, v.Cell)
	if v.High != nil {
		b = append(b, `,"high":`...)
		b = appendJSONFloat(b, *v.High)
	}
	b = append(b, `,"id":`...)
	b = strconv.AppendInt(b, v.ID, 10)
	b = append(b, `,"sheet":`...)
	b = appendJSONString(b, v.Sheet)
	b = append(b, `,"source":`...)
	b = appendJSONString(b, v.Source)
	b = append(b, `,"value":`...)
	b = appendJSONFloat(b, v.Value)
	return string(append(b, '}'))
}

// replacedJSON is jsonOf(map[string]any{"id": id, "value": old}): the value
// a changed value replaces, in its event's before.
func replacedJSON(id int64, old float64) string {
	if !finite(old) {
		return jsonOf(map[string]any{"id": id, "value": old})
	}
	b := make([]byte, 0, 48)
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, id, 10)
	b = append(b, `,"value":`...)
	b = appendJSONFloat(b, old)
	return string(append(b, '}'))
}
