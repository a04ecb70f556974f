package downloadcmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/diagctl/diagctl/internal/download"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// rawControl is the first byte of b a terminal could act on, or -1: C0
// other than tab and the newline that ends a line, DEL, C1 (UTF-8 C2
// 80-9F), or invalid UTF-8.
func rawControl(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && n == 1,
			r < 0x20 && r != '\t' && r != '\n',
			r == 0x7f, r >= 0x80 && r <= 0x9f:
			return i
		}
		i += n
	}
	return -1
}

// hostile is the text a hostile server or proxy sends.
const hostile = "bad id \u001b]0;TITLE\u0007\u001b[2K end\r\nerror: fake line \u009b31m\x7f\xff"

func hostileResults() []download.Result {
	apiErr := &httpx.APIError{Service: "sandbox", Status: 400, Code: "4\x1b[1m", Message: hostile, Next: "the server says: " + hostile}
	return []download.Result{
		{ID: "ok-1", Path: "reports/debug\x1b[31m.zip", Bytes: 10, SHA256: "ab", Files: 1},
		{ID: "bad-\x1b-2", Err: apiErr},
		{ID: "bad-3", Err: exit.Wrapf(errors.New(hostile), exit.Failure, hostile, "wrapped %s", hostile)},
	}
}

// TestResultsEscaped: control bytes in an error message, its code and
// hint, and a saved file's name are escaped in text and exact in --json.
func TestResultsEscaped(t *testing.T) {
	t.Parallel()
	ios, _, out, errOut := iostreams.Test()
	err := PrintResults(ios, false, hostileResults())
	if exit.Code(err) != exit.Rejected {
		t.Errorf("exit %d", exit.Code(err))
	}
	for name, b := range map[string][]byte{"stdout": out.Bytes(), "stderr": errOut.Bytes()} {
		if i := rawControl(b); i >= 0 {
			t.Errorf("%s has a raw control byte at %d: %q", name, i, b)
		}
	}
	if !strings.Contains(out.String(), `reports/debug\e[31m.zip`) {
		t.Errorf("stdout %q", out)
	}
	for _, want := range []string{`error: bad-\e-2: sandbox: HTTP 400: bad id \e]0;TITLE\x07\e[2K end\r\nerror: fake line \u009b31m\x7f\xff (code 4\e[1m)`, `hint: the server says: bad id \e]0;TITLE`} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr %q\nlacks %q", errOut, want)
		}
	}
	if n := strings.Count(errOut.String(), "\n"); n != 4 {
		t.Errorf("stderr has %d lines, want 4 (two errors, two hints): %q", n, errOut)
	}

	ios, _, out, errOut = iostreams.Test()
	PrintResults(ios, true, hostileResults())
	for name, b := range map[string][]byte{"stdout": out.Bytes(), "stderr": errOut.Bytes()} {
		if i := rawControl(b); i >= 0 {
			t.Errorf("--json %s has a raw control byte at %d: %q", name, i, b)
		}
	}
	var doc []struct {
		ID    string  `json:"id"`
		Path  string  `json:"path"`
		Error *string `json:"error"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	wantMsg := hostileResults()[1].Err.Error()
	if doc[0].Path != "reports/debug\x1b[31m.zip" || doc[1].ID != "bad-\x1b-2" || doc[1].Error == nil || *doc[1].Error != strings.ToValidUTF8(wantMsg, "\ufffd") {
		t.Errorf("--json is not exact: %+v", doc)
	}
	line, _, _ := bytes.Cut(errOut.Bytes(), []byte("\n"))
	var e struct {
		ID, Error, Hint string
	}
	if err := json.Unmarshal(line, &e); err != nil || e.ID != "bad-\x1b-2" || e.Hint != strings.ToValidUTF8("the server says: "+hostile, "\ufffd") {
		t.Errorf("--json error line %q: %+v (%v)", line, e, err)
	}
}

// jsonRoundTrip is s as the encoder keeps it (each invalid UTF-8 byte
// becomes U+FFFD).
func jsonRoundTrip(s string) string {
	b, _ := json.Marshal(s)
	var back string
	json.Unmarshal(b, &back)
	return back
}

// FuzzResultsNoRawControl: whatever a server puts in a message, a code,
// a hint or a name, no printer output holds a byte a terminal acts on,
// and --json decodes to the same text.
func FuzzResultsNoRawControl(f *testing.F) {
	f.Add(hostile, "4", "x.zip")
	f.Add("\x1b[2J\x1bP+q\x1b\\", "\xc2\x9b", "\x00")
	f.Fuzz(func(t *testing.T, msg, code, name string) {
		if name == "-" {
			name = "-x" // "-" is stdout: the JSON then goes to stderr
		}
		results := []download.Result{
			{ID: "a", Path: name, Bytes: 1, SHA256: "00", Files: 1},
			{ID: name, Err: &httpx.APIError{Service: "logs", Status: 500, Code: code, Message: msg, Next: msg}},
		}
		for _, asJSON := range []bool{false, true} {
			ios, _, out, errOut := iostreams.Test()
			PrintResults(ios, asJSON, results)
			for _, b := range [][]byte{out.Bytes(), errOut.Bytes()} {
				if i := rawControl(b); i >= 0 {
					t.Fatalf("json=%v: raw control byte at %d: %q", asJSON, i, b)
				}
			}
			if asJSON {
				var doc []struct {
					Error *string `json:"error"`
				}
				if err := json.Unmarshal(out.Bytes(), &doc); err != nil || len(doc) != 2 || doc[1].Error == nil ||
					*doc[1].Error != jsonRoundTrip(results[1].Err.Error()) {
					t.Fatalf("--json not exact: %s (%v)", out, err)
				}
			}
		}
	})
}
