package symbols

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"testing"

	"github.com/diagctl/diagctl/internal/exit"
)

// FuzzParseEntries: any document either fails with an *InputError or gives
// entries that all pass ValidateEntry and survive a round trip through the
// JSON diagctl sends.
func FuzzParseEntries(f *testing.F) {
	entry := `{"blobIdentifier":{"identifierValue":"` + blobA + `"},"clientKey":"` + keyA + `","informationLevel":"binary","size":57344}`
	for _, s := range []string{
		entry, "[" + entry + "]", `{"createBehavior":"skipIfExists","debugEntries":[` + entry + `],"proofNodes":[]}`,
		`[{"file":"a","kind":"pe","clientKey":"a/b/c","blobIdentifier":{"identifierValue":[0,0,0]},"size":0}]`,
		`[]`, `{}`, `{"debugEntries":null}`, "\xef\xbb\xbf[]", `[{"clientKey":"a/b/c","ClientKey":"x"}]`, `[1,"x",null]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := ParseEntriesBytes(data, "fuzz")
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || exit.Code(err) != exit.Usage {
				t.Fatalf("error %v is %T, not an *InputError", err, err)
			}
			return
		}
		entries := Entries(in.Items)
		for i := range entries {
			e := entries[i]
			if err := ValidateEntry(&e); err != nil {
				t.Fatalf("entry %d passed parsing but not validation: %v", i, err)
			}
		}
		if len(entries) == 0 {
			return
		}
		body, err := json.Marshal(DebugEntryCreateBatch{CreateBehavior: in.CreateBehavior, DebugEntries: entries})
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseEntriesBytes(body, "again")
		if err != nil {
			t.Fatalf("what diagctl would send does not parse back: %v\n%s", err, body)
		}
		if !reflect.DeepEqual(Entries(again.Items), entries) || again.CreateBehavior != in.CreateBehavior {
			t.Fatalf("round trip changed the entries:\n%s", body)
		}
	})
}

// FuzzDecodeError: any answer decodes to an error with an exit status of
// the documented kind and a next step, without panicking; HTML is never a
// parse error.
func FuzzDecodeError(f *testing.F) {
	f.Add(409, "application/json", []byte(azureBody(TypeEntryExists, "exists")))
	f.Add(203, "text/html", []byte(signInPage))
	f.Add(400, "", []byte(`{"message":5}`))
	f.Add(500, "application/json", []byte(`{"$id":"1","innerException":{"x":[]},"message":"m","typeName":"t","typeKey":"k","errorCode":1,"eventId":3000}`))
	f.Add(429, "application/json; charset=utf-8", []byte("\xef\xbb\xbf{}"))
	f.Fuzz(func(t *testing.T, status int, ctype string, body []byte) {
		if status < 100 || status > 999 {
			return
		}
		h := http.Header{"Content-Type": {ctype}, "X-Tfs-Serviceerror": {string(body)}}
		for _, op := range []Op{OpCreateEntries, OpCreateRequest, OpSealRequest, OpShowRequest, OpLookup} {
			err := DecodeError(op, status, h, body)
			if err == nil || err.Error() == "" || exit.Hint(err) == "" && status >= 400 {
				t.Fatalf("DecodeError(%d) = %v, hint %q", status, err, exit.Hint(err))
			}
			switch exit.Code(err) {
			case exit.Auth, exit.NotFound, exit.Rejected, exit.Service:
			default:
				t.Fatalf("exit %d for %d", exit.Code(err), status)
			}
			if IsSignInPage(h, body) && (status < 400 || status == 401 || status == 403) {
				var se *SignInError
				if !errors.As(err, &se) {
					t.Fatalf("HTML with %d is not a sign-in error: %v", status, err)
				}
			}
		}
		_, _ = DecodeEntries(status, h, body)
		_, _ = DecodeRequest(OpShowRequest, status, h, body)
		_, _ = DecodeLookup(status, h, body)
	})
}
