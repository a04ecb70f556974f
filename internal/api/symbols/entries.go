package symbols

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxEntriesInput bounds an --entries document (ParseEntries' default
// limit): 64 MiB is some 300,000 entries, far beyond any real publish.
const MaxEntriesInput = 64 << 20

// Item is one entry and where it came from, for messages: a file's path
// for entries computed from files, "entries.json .[3]" for entries read
// from JSON, "--client-key" for the single-entry flags.
type Item struct {
	Source string
	Entry  DebugEntry
}

// Entries returns the entries of items, in order.
func Entries(items []Item) []DebugEntry {
	out := make([]DebugEntry, len(items))
	for i, it := range items {
		out[i] = it.Entry
	}
	return out
}

// EntriesInput is what an --entries document held.
type EntriesInput struct {
	Items []Item
	// CreateBehavior is a DebugEntryCreateBatch's createBehavior,
	// canonicalised; "" when the document is an array or left it out. A
	// command should use it when --create-behavior is not given and
	// refuse a different --create-behavior rather than pick one.
	CreateBehavior string
}

// ParseEntries reads an --entries document from r (at most limit bytes;
// limit <= 0 means MaxEntriesInput) and checks every entry. source names
// the document in messages ("entries.json", "stdin"). Accepted forms:
//
//   - a DebugEntryCreateBatch object {"createBehavior", "debugEntries": [...]};
//   - an array of DebugEntry objects;
//   - a single DebugEntry object (the vendor page's own example body);
//   - `diagctl symbols keys --json` output as it is, or the entries
//     `create-entries --json` returned: fields other than blobIdentifier,
//     clientKey, informationLevel and size are ignored (a "file" field is
//     used to name the entry in messages).
//
// identifierValue may be the base64 string or, as Microsoft's .NET client
// writes it, an array of 33 byte values. Field names match without regard
// to case, as on the service. Errors are *InputError values naming the
// source, the entry's JSON path as jq writes it (".[3]", ".debugEntries[3]") and the field.
// An empty list is not an error: Items is then empty.
func ParseEntries(r io.Reader, source string, limit int64) (*EntriesInput, error) {
	if limit <= 0 {
		limit = MaxEntriesInput
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, &InputError{Source: source, Msg: "cannot read the entries: " + err.Error(), Next: "check the file, or pass - to read stdin"}
	}
	if int64(len(data)) > limit {
		return nil, &InputError{Source: source, Msg: fmt.Sprintf("the entries document is larger than %d bytes", limit), Next: "split it into several runs"}
	}
	return ParseEntriesBytes(data, source)
}

// ParseEntriesBytes is ParseEntries on a document already in memory.
func ParseEntriesBytes(data []byte, source string) (*EntriesInput, error) {
	data = bytes.TrimPrefix(data, utf8BOM) // PowerShell's Out-File writes one
	bad := func(path, field, msg string) error {
		return &InputError{Source: source, Path: path, Field: field, Msg: msg,
			Next: "the entries must be a DebugEntryCreateBatch object, an array of DebugEntry objects or `diagctl symbols keys --json` output: nothing was sent"}
	}
	var doc json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		var se *json.SyntaxError
		switch {
		case errors.Is(err, io.EOF):
			return nil, bad("", "", "the document is empty")
		case errors.As(err, &se):
			return nil, bad("", "", fmt.Sprintf("not valid JSON at %s: %v", position(data, se.Offset), err))
		default:
			return nil, bad("", "", "not valid JSON: "+err.Error())
		}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, bad("", "", fmt.Sprintf("more than one JSON value (the second starts near %s): put the entries in one array", position(data, dec.InputOffset())))
	}

	in := &EntriesInput{}
	var elems []json.RawMessage
	prefix := ""
	switch kind(doc) {
	case "an array":
		if err := json.Unmarshal(doc, &elems); err != nil {
			return nil, bad("", "", err.Error())
		}
	case "an object":
		fields, _ := objectFields(doc) // doc is a valid object
		got, err := pick(fields, "debugEntries", "createBehavior", "proofNodes", "clientKey", "blobIdentifier")
		if err != nil {
			return nil, bad("", "", err.Error())
		}
		entries, behavior, proof := got[0], got[1], got[2]
		if entries == nil {
			if got[3] == nil && got[4] == nil {
				return nil, bad("", "", `the object has no "debugEntries" (a DebugEntryCreateBatch) and no "clientKey" (a DebugEntry)`)
			}
			elems = []json.RawMessage{doc} // one DebugEntry
			break
		}
		prefix = ".debugEntries"
		if !isNull(entries) {
			if kind(entries) != "an array" {
				return nil, bad("", "debugEntries", "must be an array, not "+kind(entries))
			}
			_ = json.Unmarshal(entries, &elems)
		}
		if !isNull(behavior) {
			var s string
			if json.Unmarshal(behavior, &s) != nil {
				return nil, bad("", "createBehavior", "must be a string, not "+kind(behavior))
			}
			if in.CreateBehavior, err = CanonicalCreateBehavior(s); err != nil {
				return nil, bad("", "createBehavior", err.Error())
			}
		}
		if !isNull(proof) {
			var nodes []json.RawMessage
			if json.Unmarshal(proof, &nodes) != nil || len(nodes) > 0 {
				return nil, bad("", "proofNodes", "proof nodes belong to chunk-dedup uploads, which diagctl does not make: remove them")
			}
		}
	default:
		return nil, bad("", "", "the document is "+kind(doc)+", not an object or an array of entries")
	}

	single := kind(doc) == "an object" && prefix == ""
	in.Items = make([]Item, 0, len(elems))
	for i, raw := range elems {
		path := prefix + "[" + strconv.Itoa(i) + "]"
		if prefix == "" {
			path = ".[" + strconv.Itoa(i) + "]" // a jq path: .[3]
		}
		if single {
			path = "" // the document is the entry
		}
		it, err := parseEntry(raw)
		if err != nil {
			var ie *InputError
			if errors.As(err, &ie) {
				ie.Source, ie.Path = source, path+ie.Path
				if ie.Next == "" {
					ie.Next = "fix the entry (its position is a jq path into the document): nothing was sent"
				}
				return nil, ie
			}
			return nil, bad(path, "", err.Error())
		}
		it.Source = strings.TrimSpace(source + " " + path)
		if f := fileOf(raw); f != "" {
			it.Source += " (" + printable(f) + ")"
		}
		in.Items = append(in.Items, it)
	}
	return in, nil
}

// parseEntry reads and checks one entry object.
func parseEntry(raw json.RawMessage) (Item, error) {
	var it Item
	fields, err := objectFields(raw)
	if err != nil {
		return it, &InputError{Msg: "an entry must be an object, not " + kind(raw)}
	}
	got, err := pick(fields, "blobIdentifier", "clientKey", "informationLevel", "size")
	if err != nil {
		return it, &InputError{Msg: err.Error()}
	}
	e := &it.Entry
	if !isNull(got[0]) {
		v, err := identifierValue(got[0])
		if err != nil {
			return it, err
		}
		e.BlobIdentifier.IdentifierValue = v
	}
	if !isNull(got[1]) {
		if json.Unmarshal(got[1], &e.ClientKey) != nil {
			return it, &InputError{Field: "clientKey", Msg: "must be a string, not " + kind(got[1])}
		}
	}
	if !isNull(got[2]) {
		if json.Unmarshal(got[2], &e.InformationLevel) != nil {
			return it, &InputError{Field: "informationLevel", Msg: "must be a string such as \"binary\", not " + kind(got[2])}
		}
	}
	if !isNull(got[3]) {
		n, err := strconv.ParseInt(string(bytes.TrimSpace(got[3])), 10, 64)
		if err != nil {
			return it, &InputError{Field: "size", Msg: "must be a whole number of bytes, not " + string(bytes.TrimSpace(got[3]))}
		}
		e.Size = &n
	}
	return it, ValidateEntry(e)
}

// identifierValue reads blobIdentifier: {"identifierValue": "<base64>"} or
// {"identifierValue": [33 byte values]}.
func identifierValue(raw json.RawMessage) (string, error) {
	fields, err := objectFields(raw)
	if err != nil {
		return "", &InputError{Field: "blobIdentifier", Msg: `must be an object {"identifierValue": "<base64>"}, not ` + kind(raw)}
	}
	got, err := pick(fields, "identifierValue")
	if err != nil {
		return "", &InputError{Field: "blobIdentifier", Msg: err.Error()}
	}
	v := got[0]
	switch kind(v) {
	case "a string":
		var s string
		_ = json.Unmarshal(v, &s)
		return s, nil
	case "an array":
		// encoding/json reads []byte from base64 only: decode numbers.
		var nums []json.Number
		bad := &InputError{Field: "blobIdentifier.identifierValue", Msg: "an array must hold byte values 0 to 255"}
		if json.Unmarshal(v, &nums) != nil {
			return "", bad
		}
		b := make([]byte, len(nums))
		for i, n := range nums {
			x, err := strconv.ParseUint(n.String(), 10, 8)
			if err != nil {
				return "", bad
			}
			b[i] = byte(x)
		}
		return base64.StdEncoding.EncodeToString(b), nil
	case "null", "nothing":
		return "", nil
	}
	return "", &InputError{Field: "blobIdentifier.identifierValue", Msg: "must be a base64 string, not " + kind(v)}
}

// printable quotes s when it holds control characters or is not UTF-8, so
// a hostile file name cannot drive the terminal from an error message.
func printable(s string) string {
	if !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

// fileOf returns an entry's "file" member (`symbols keys --json`), if it
// is a string.
func fileOf(raw json.RawMessage) string {
	var v struct {
		File string `json:"file"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	return v.File
}
