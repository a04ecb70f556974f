package symbols

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/diagctl/diagctl/internal/exit"
)

func TestParseEntriesForms(t *testing.T) {
	entry := `{"blobIdentifier":{"identifierValue":"` + blobA + `"},"clientKey":"` + keyA + `","informationLevel":"Binary","size":57344}`
	tests := []struct {
		name, doc, behavior string
		sources             []string
	}{
		{"batch", `{"createBehavior":"SKIPIFEXISTS","debugEntries":[` + entry + `],"proofNodes":[]}`, SkipIfExists, []string{"in.json .debugEntries[0]"}},
		{"batch without behavior", `{"debugEntries":[` + entry + `,` + strings.Replace(entry, "symbol.exe/", "other.exe/", 1) + `]}`, "", []string{"in.json .debugEntries[0]", "in.json .debugEntries[1]"}},
		{"array", `[` + entry + `]`, "", []string{"in.json .[0]"}},
		{"single entry, the vendor page's example", entry, "", []string{"in.json"}},
		{"BOM and blank lines", "\xef\xbb\xbf\n\n[" + entry + "]\n", "", []string{"in.json .[0]"}},
		{"field names in another case", `[{"BlobIdentifier":{"IdentifierValue":"` + blobA + `"},"ClientKey":"` + keyA + `","InformationLevel":"binary","Size":57344}]`, "", []string{"in.json .[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := ParseEntriesBytes([]byte(tt.doc), "in.json")
			if err != nil {
				t.Fatal(err)
			}
			if in.CreateBehavior != tt.behavior {
				t.Errorf("behavior %q, want %q", in.CreateBehavior, tt.behavior)
			}
			if len(in.Items) != len(tt.sources) {
				t.Fatalf("%d items, want %d", len(in.Items), len(tt.sources))
			}
			for i, it := range in.Items {
				if it.Source != tt.sources[i] {
					t.Errorf("source %q, want %q", it.Source, tt.sources[i])
				}
				if it.Entry.BlobIdentifier.IdentifierValue != blobA || it.Entry.InformationLevel != "binary" || it.Entry.Size == nil || *it.Entry.Size != 57344 {
					t.Errorf("entry = %+v", it.Entry)
				}
			}
		})
	}
}

// symbols keys --json output is taken as it is; only DebugEntry fields are
// sent, and the file names the entry in messages.
func TestParseEntriesKeysOutput(t *testing.T) {
	doc := `[
	  {"file":"bin/symbol.exe","kind":"pe","clientKey":"` + keyA + `","blobIdentifier":{"identifierValue":"` + blobA + `"},"size":57344},
	  {"file":"bin/empty.txt","kind":"other","clientKey":"empty.txt/sha1-da39a3ee5e6b4b0d3255bfef95601890afd80709/empty.txt","blobIdentifier":{"identifierValue":"` + blobB + `"},"size":0}
	]`
	in, err := ParseEntriesBytes([]byte(doc), "keys.json")
	if err != nil {
		t.Fatal(err)
	}
	if in.Items[0].Source != "keys.json .[0] (bin/symbol.exe)" {
		t.Errorf("source %q", in.Items[0].Source)
	}
	body, _ := json.Marshal(NewBatches("", Entries(in.Items), 0)[0])
	want := `{"debugEntries":[{"blobIdentifier":{"identifierValue":"` + blobA + `"},"clientKey":"` + keyA + `","size":57344},` +
		`{"blobIdentifier":{"identifierValue":"` + blobB + `"},"clientKey":"empty.txt/sha1-da39a3ee5e6b4b0d3255bfef95601890afd80709/empty.txt","size":0}]}`
	if string(body) != want {
		t.Errorf("body\n%s\nwant\n%s", body, want)
	}
}

// Microsoft's .NET client writes identifierValue as an array of bytes.
func TestParseEntriesByteArrayIdentifier(t *testing.T) {
	nums := make([]string, 33)
	for i := range nums {
		nums[i] = "0"
	}
	in, err := ParseEntriesBytes([]byte(`[{"clientKey":"a/b/c","blobIdentifier":{"identifierValue":[`+strings.Join(nums, ",")+`]}}]`), "x")
	if err != nil {
		t.Fatal(err)
	}
	if got := in.Items[0].Entry.BlobIdentifier.IdentifierValue; got != blobB {
		t.Errorf("identifier %q, want %q", got, blobB)
	}
	if in.Items[0].Entry.Size != nil {
		t.Error("size made up for an entry without one")
	}
}

func TestParseEntriesErrors(t *testing.T) {
	ok := `"blobIdentifier":{"identifierValue":"` + blobA + `"}`
	tests := []struct{ name, doc, want string }{
		{"empty", "  \n", "in.json: the document is empty"},
		{"syntax", "[\n  {\"clientKey\": }\n]", "in.json: not valid JSON at line 2, column 17"},
		{"two values", "[]\n[]", "more than one JSON value"},
		{"scalar", `"a/b/c"`, "in.json: the document is a string"},
		{"object of neither kind", `{"entries":[]}`, `no "debugEntries"`},
		{"debugEntries not a list", `{"debugEntries":{}}`, "in.json: debugEntries: must be an array, not an object"},
		{"bad behavior", `{"createBehavior":"replace","debugEntries":[]}`, "in.json: createBehavior: \"replace\" is not a create behavior"},
		{"behavior not a string", `{"createBehavior":1,"debugEntries":[]}`, "createBehavior: must be a string"},
		{"proof nodes", `{"debugEntries":[],"proofNodes":["x"]}`, "proofNodes: proof nodes belong to chunk-dedup"},
		{"entry not an object", `[1]`, "in.json: .[0]: an entry must be an object, not a number"},
		{"no key", `[{` + ok + `}]`, "in.json: .[0].clientKey: missing"},
		{"key not a string", `[{` + ok + `,"clientKey":7}]`, "in.json: .[0].clientKey: must be a string, not a number"},
		{"two-part key", `[{` + ok + `,"clientKey":"a/b"}]`, "in.json: .[0].clientKey: a client key has three parts"},
		{"key twice", `[{` + ok + `,"clientKey":"a/b/c","ClientKey":"d/e/f"}]`, "in.json: .[0]: clientKey is given twice"},
		{"no blob", `[{"clientKey":"a/b/c"}]`, "in.json: .[0].blobIdentifier.identifierValue: missing"},
		{"blob as string", `[{"clientKey":"a/b/c","blobIdentifier":"` + blobA + `"}]`, `[0].blobIdentifier: must be an object {"identifierValue"`},
		{"blob wrong length", `[{"clientKey":"a/b/c","blobIdentifier":{"identifierValue":"abcd"}}]`, ".[0].blobIdentifier.identifierValue: a blob identifier is 44 characters"},
		{"blob bytes out of range", `[{"clientKey":"a/b/c","blobIdentifier":{"identifierValue":[256]}}]`, "byte values 0 to 255"},
		{"blob a number", `[{"clientKey":"a/b/c","blobIdentifier":{"identifierValue":5}}]`, "must be a base64 string, not a number"},
		{"bad level", `[{"clientKey":"a/b/c",` + ok + `,"informationLevel":"tracedPublics"}]`, `[0].informationLevel: "tracedPublics" is not an information level`},
		{"level a number", `[{"clientKey":"a/b/c",` + ok + `,"informationLevel":1}]`, `informationLevel: must be a string such as "binary"`},
		{"fractional size", `[{"clientKey":"a/b/c",` + ok + `,"size":1.5}]`, ".[0].size: must be a whole number of bytes, not 1.5"},
		{"negative size", `[{"clientKey":"a/b/c",` + ok + `,"size":-3}]`, ".[0].size: a size cannot be negative"},
		{"huge size", `[{"clientKey":"a/b/c",` + ok + `,"size":99999999999999999999}]`, "must be a whole number of bytes"},
		{"second entry in a batch", `{"debugEntries":[{"clientKey":"a/b/c",` + ok + `},{"clientKey":"x"}]}`, "in.json: .debugEntries[1].clientKey:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseEntriesBytes([]byte(tt.doc), "in.json")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
			var ie *InputError
			if !errors.As(err, &ie) || exit.Code(err) != exit.Usage || exit.Hint(err) == "" {
				t.Errorf("error %T with exit %d, hint %q: want an *InputError, exit 2, a hint", err, exit.Code(err), exit.Hint(err))
			}
		})
	}
}

func TestParseEntriesLimit(t *testing.T) {
	doc := `[{"clientKey":"a/b/c","blobIdentifier":{"identifierValue":"` + blobA + `"}}]`
	if _, err := ParseEntries(strings.NewReader(doc), "stdin", int64(len(doc))); err != nil {
		t.Errorf("a document of exactly the limit: %v", err)
	}
	_, err := ParseEntries(strings.NewReader(doc+" "), "stdin", int64(len(doc)))
	if err == nil || !strings.Contains(err.Error(), "stdin: the entries document is larger than") {
		t.Errorf("over the limit: %v", err)
	}
}

func TestParseEntriesEmptyList(t *testing.T) {
	for _, doc := range []string{"[]", `{"debugEntries":[]}`, `{"debugEntries":null}`} {
		in, err := ParseEntriesBytes([]byte(doc), "x")
		if err != nil || len(in.Items) != 0 {
			t.Errorf("%s: %v, %d items", doc, err, len(in.Items))
		}
	}
}

func TestParseEntriesHostileFileName(t *testing.T) {
	doc := `[{"file":"evil\u001b[2J.dll","clientKey":"a/b/c","blobIdentifier":{"identifierValue":"` + blobA + `"}}]`
	in, err := ParseEntriesBytes([]byte(doc), "x")
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsRune(in.Items[0].Source, 0x1b) {
		t.Errorf("source %q carries an escape character", in.Items[0].Source)
	}
}
