package symbols

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// field is one member of a JSON object, in document order.
type field struct {
	name  string
	value json.RawMessage
}

// objectFields splits a JSON object into its members without losing
// duplicates (encoding/json keeps the last silently), so that a field
// given twice can be refused instead of guessed at.
func objectFields(raw json.RawMessage) ([]field, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("not an object")
	}
	var out []field
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, field{name, v})
	}
	return out, nil
}

// pick finds the members named in names (matched without regard to case,
// as the service's .NET deserialiser does) and refuses one given twice.
// The result is indexed like names; a missing member is nil.
func pick(fields []field, names ...string) ([]json.RawMessage, error) {
	out := make([]json.RawMessage, len(names))
	for _, f := range fields {
		for i, n := range names {
			if !strings.EqualFold(f.name, n) {
				continue
			}
			if out[i] != nil {
				return nil, fmt.Errorf("%s is given twice", n)
			}
			out[i] = f.value
		}
	}
	return out, nil
}

// kind names a JSON value's type for messages.
func kind(raw json.RawMessage) string {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

func isNull(raw json.RawMessage) bool {
	return raw == nil || string(bytes.TrimSpace(raw)) == "null"
}

// position turns a byte offset into "line L, column C" for syntax errors.
func position(data []byte, off int64) string {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - (bytes.LastIndexByte(before, '\n') + 1)
	return fmt.Sprintf("line %d, column %d", line, col)
}
