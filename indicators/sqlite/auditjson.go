package sqlite

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"

	"chitieu/indicators"
	"chitieu/indicators/auditjson"
)

// The audit trail hashes and stores JSON made by encoding/json (eventHash,
// jsonOf). Writing a large batch marshals millions of small documents, so
// the write path builds the same bytes by hand: plain strings and ordinary
// numbers directly, anything else through encoding/json itself, so that the
// bytes cannot differ. TestFastAuditJSONMatchesEncodingJSON holds them equal.

// appendValueAudit appends jsonOf(valueAudit(v)): the keys of a map come out
// sorted.
func appendValueAudit(b []byte, v *indicators.Value) []byte {
	b = append(b, '{')
	if v.Cell != "" {
		b = append(b, `"cell":`...)
		b = auditjson.AppendString(b, v.Cell)
		b = append(b, ',')
	}
	if v.High != nil {
		b = append(b, `"high":`...)
		b = auditjson.AppendFloat(b, *v.High)
		b = append(b, ',')
	}
	if v.Sheet != "" {
		b = append(b, `"sheet":`...)
		b = auditjson.AppendString(b, v.Sheet)
		b = append(b, ',')
	}
	if v.Source != "" {
		b = append(b, `"source":`...)
		b = auditjson.AppendString(b, v.Source)
		b = append(b, ',')
	}
	b = append(b, `"value":`...)
	b = auditjson.AppendFloat(b, v.Value)
	return append(b, '}')
}

// appendIDValue appends jsonOf(map[string]any{"id": id, "value": x}).
func appendIDValue(b []byte, id int64, x float64) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, id, 10)
	b = append(b, `,"value":`...)
	b = auditjson.AppendFloat(b, x)
	return append(b, '}')
}

// fastEventHash is eventHash(ev), with buf as scratch space and at the
// event's time as stored.
func fastEventHash(buf []byte, ev *indicators.AuditEvent, at string) (string, []byte) {
	b := auditjson.AppendCanonical(buf[:0], ev, at)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), b
}
