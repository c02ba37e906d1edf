package postgres

import (
	"strconv"

	"chitieu/indicators"
	"chitieu/indicators/auditjson"
)

// The bytes an event's hash is taken over, and the JSON of a value's
// event, are encoding/json's output. A commit writes an event per value,
// and json.Marshal of a map or a []any spends most of its time on
// reflection and sorting keys: the functions here append the same bytes
// directly, and hand anything out of the ordinary (a string to escape, a
// number that is not finite) to encoding/json itself, so that the output
// stays byte for byte what json.Marshal gives (auditjson_test.go checks it
// over awkward strings and numbers).

// valueAuditJSON is jsonOf(valueAudit(v)): the keys in the order
// json.Marshal sorts a map's.
func valueAuditJSON(v *indicators.Value) string {
	if !auditjson.Finite(v.Value) || (v.High != nil && !auditjson.Finite(*v.High)) {
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
	b = auditjson.AppendString(b, v.Cell)
	if v.High != nil {
		b = append(b, `,"high":`...)
		b = auditjson.AppendFloat(b, *v.High)
	}
	b = append(b, `,"id":`...)
	b = strconv.AppendInt(b, v.ID, 10)
	b = append(b, `,"sheet":`...)
	b = auditjson.AppendString(b, v.Sheet)
	b = append(b, `,"source":`...)
	b = auditjson.AppendString(b, v.Source)
	b = append(b, `,"value":`...)
	b = auditjson.AppendFloat(b, v.Value)
	return string(append(b, '}'))
}

// replacedJSON is jsonOf(map[string]any{"id": id, "value": old}): the value
// a changed value replaces, in its event's before.
func replacedJSON(id int64, old float64) string {
	if !auditjson.Finite(old) {
		return jsonOf(map[string]any{"id": id, "value": old})
	}
	b := make([]byte, 0, 48)
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, id, 10)
	b = append(b, `,"value":`...)
	b = auditjson.AppendFloat(b, old)
	return string(append(b, '}'))
}
