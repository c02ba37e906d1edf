package importers

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"chitieu/indicators"
)

// SentRequest is a batch of values sent as JSON:
//
//	{"unit": "CT-CU", "values": [{"indicator": "ECO-01", "period": "2024", "type": "official", "value": 7.12}]}
//
// Unit is the unit of the values that name none.
type SentRequest struct {
	Unit   string
	Values []SentValue
}

// DecodeSentValues reads an SentRequest from JSON strictly: every field of
// its type, no unknown field, nothing after it. A fault is an EINVALID
// error whose field is the JSON pointer of where it is ("/values/3/value"),
// with the byte offset for a syntax error; more than MaxSentValues values is
// ETOOLARGE.
func DecodeSentValues(r io.Reader) (SentRequest, error) {
	d := &entryDecoder{dec: json.NewDecoder(r)}
	d.dec.UseNumber()
	var req SentRequest
	err := d.object("", func(key, at string) error {
		switch key {
		case "unit":
			return d.str(at, &req.Unit)
		case "values":
			return d.values(at, &req.Values)
		}
		return unknownField(at)
	})
	if err == nil && d.dec.More() {
		err = jsonFault("", "sau đối tượng JSON còn dữ liệu thừa", "there is data after the JSON object")
	}
	if err == nil && req.Values == nil {
		err = jsonFault("/values", "thiếu danh sách số liệu \"values\"", "the list of values \"values\" is missing")
	}
	if err == nil && len(req.Values) == 0 {
		err = jsonFault("/values", "danh sách số liệu \"values\" trống", "the list of values \"values\" is empty")
	}
	return req, err
}

type entryDecoder struct{ dec *json.Decoder }

// token reads the next token, turning a syntax error into a fault at at.
func (d *entryDecoder) token(at string) (json.Token, error) {
	t, err := d.dec.Token()
	if err == nil {
		return t, nil
	}
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return nil, jsonFault(at, fmt.Sprintf("JSON không hợp lệ ở byte %d: %v", se.Offset, se),
			fmt.Sprintf("invalid JSON at byte %d: %v", se.Offset, se))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return nil, jsonFault(at, "JSON bị cắt ngang (thiếu phần cuối)", "the JSON ends too early")
	}
	return nil, err // the body could not be read: too large, too slow
}

// object reads an object at at, calling field for each key with the key's
// pointer.
func (d *entryDecoder) object(at string, field func(key, at string) error) error {
	t, err := d.token(at)
	if err != nil {
		return err
	}
	if t != json.Delim('{') {
		return jsonFault(at, "cần một đối tượng JSON {…}", "a JSON object {…} is expected")
	}
	seen := map[string]bool{}
	for d.dec.More() {
		t, err := d.token(at)
		if err != nil {
			return err
		}
		key, _ := t.(string)
		kat := at + "/" + escapePointer(key)
		if seen[key] {
			return jsonFault(kat, "trường bị lặp lại", "the field is repeated")
		}
		seen[key] = true
		if err := field(key, kat); err != nil {
			return err
		}
	}
	_, err = d.token(at)
	return err
}

func (d *entryDecoder) values(at string, out *[]SentValue) error {
	t, err := d.token(at)
	if err != nil {
		return err
	}
	if t != json.Delim('[') {
		return jsonFault(at, "cần một danh sách JSON […]", "a JSON array […] is expected")
	}
	*out = []SentValue{}
	for i := 0; d.dec.More(); i++ {
		eat := at + "/" + strconv.Itoa(i)
		if i == MaxSentValues {
			return indicators.FieldError(indicators.ETOOLARGE, eat,
				fmt.Sprintf("một lần gửi có tối đa %d số liệu; hãy chia thành nhiều lần", MaxSentValues),
				fmt.Sprintf("one request holds at most %d values; send them in several", MaxSentValues))
		}
		var e SentValue
		if err := d.object(eat, func(key, fat string) error { return d.entryField(key, fat, &e) }); err != nil {
			return err
		}
		*out = append(*out, e)
	}
	_, err = d.token(at)
	return err
}

func (d *entryDecoder) entryField(key, at string, e *SentValue) error {
	switch key {
	case "indicator":
		return d.str(at, &e.Indicator)
	case "unit":
		return d.str(at, &e.Unit)
	case "period":
		return d.str(at, &e.Period)
	case "type":
		return d.str(at, &e.Type)
	case "note":
		return d.str(at, &e.Note)
	case "value":
		return d.number(at, &e.Value)
	case "high":
		var h float64
		if err := d.number(at, &h); err != nil {
			return err
		}
		e.High = &h
		return nil
	}
	return unknownField(at)
}

func (d *entryDecoder) str(at string, out *string) error {
	t, err := d.token(at)
	if err != nil {
		return err
	}
	s, ok := t.(string)
	if !ok {
		return jsonFault(at, "cần một chuỗi văn bản", "a string is expected")
	}
	*out = s
	return nil
}

func (d *entryDecoder) number(at string, out *float64) error {
	t, err := d.token(at)
	if err != nil {
		return err
	}
	n, ok := t.(json.Number)
	if !ok {
		return jsonFault(at, "cần một số JSON (ví dụ 7.5, không phải \"7,5\")", "a JSON number is expected (7.5, not \"7,5\")")
	}
	v, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(v, 0) {
		return jsonFault(at, fmt.Sprintf("số %s vượt quá phạm vi", n), fmt.Sprintf("the number %s is out of range", n))
	}
	*out = v
	return nil
}

func unknownField(at string) error {
	return jsonFault(at, "trường không được biết đến", "unknown field")
}

// jsonFault is an EINVALID error at a JSON pointer ("" is the whole body).
func jsonFault(at, vi, en string) error {
	where := at
	if where == "" {
		where = "/"
	}
	return indicators.FieldError(indicators.EINVALID, at, fmt.Sprintf("JSON tại %s: %s", where, vi), fmt.Sprintf("JSON at %s: %s", where, en))
}
