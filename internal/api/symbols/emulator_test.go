package symbols

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/exit"
)

// The decoders against the emulator's answers: the contract the commands
// build on, without the HTTP layer they will use.

type answer struct {
	status int
	header http.Header
	body   []byte
}

func send(t *testing.T, method, url string, body any, pass string) answer {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.SetBasicAuth("", pass)
	req.Header.Set("Content-Type", "application/json")
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBody))
	return answer{resp.StatusCode, resp.Header, b}
}

func TestAgainstEmulator(t *testing.T) {
	ts := httptest.NewServer(emulator.New(emulator.Options{}))
	defer ts.Close()
	base, org, pat := ts.URL+"/", emulator.SymbolsOrg, emulator.SymbolsPAT

	// Create a request.
	exp, _ := ParseExpiry("7d", "", time.Now())
	rc, _ := NewRequestCreate("build-42", "", exp)
	a := send(t, "POST", base+RequestsPath(org)+"?"+VersionQuery(DefaultAPIVersion), rc, pat)
	req, err := DecodeRequest(OpCreateRequest, a.status, a.header, a.body)
	if err != nil || req.Status != RequestCreated || len(req.ID) != 64 {
		t.Fatalf("create: %v %+v", err, req)
	}
	a = send(t, "POST", base+RequestsPath(org)+"?"+VersionQuery(DefaultAPIVersion), rc, pat)
	_, err = DecodeRequest(OpCreateRequest, a.status, a.header, a.body)
	if exit.Code(err) != exit.Rejected || !strings.Contains(exit.Hint(err), "another name") {
		t.Errorf("name taken: %v", err)
	}

	// Entries from `symbols keys --json`, in batches of 2.
	doc := `[{"file":"a","kind":"pe","clientKey":"a.exe/1/a.exe","blobIdentifier":{"identifierValue":"` + emulator.KnownBlobID + `"},"size":1},
	        {"file":"b","kind":"pe","clientKey":"b.exe/1/b.exe","blobIdentifier":{"identifierValue":"` + blobB + `"},"size":2},
	        {"file":"c","kind":"pe","clientKey":"c.exe/1/c.exe","blobIdentifier":{"identifierValue":"` + blobB + `"},"size":3}]`
	in, err := ParseEntries(strings.NewReader(doc), "keys.json", 0)
	if err != nil || CheckDuplicates(in.Items) != nil {
		t.Fatal(err)
	}
	var got []StoredEntry
	for _, b := range NewBatches("", Entries(in.Items), 2) {
		a = send(t, "POST", base+RequestPath(org, req.ID)+"?"+EntriesQuery(DefaultAPIVersion), b, pat)
		es, err := DecodeEntries(a.status, a.header, a.body)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, es...)
	}
	if len(got) != 3 || got[0].Status != StatusCreated || got[1].Status != StatusBlobMissing || got[2].ID != "c.exe/1/c.exe/00000001" {
		t.Errorf("entries = %+v", got)
	}

	// The same batch again: 409 with the create-behavior hint.
	a = send(t, "POST", base+RequestPath(org, req.ID)+"?"+EntriesQuery(DefaultAPIVersion), NewBatches("", Entries(in.Items), 0)[0], pat)
	_, err = DecodeEntries(a.status, a.header, a.body)
	var se *ServiceError
	if !errors.As(err, &se) || se.Status != 409 || se.TypeKey != TypeEntryExists || !strings.Contains(exit.Hint(err), "skipIfExists") {
		t.Errorf("409: %v", err)
	}

	// Lookup: found (signature redacted) and missing.
	a = send(t, "GET", base+SymsrvPath(org, "A.EXE/1/A.EXE"), nil, pat)
	l, err := DecodeLookup(a.status, a.header, a.body)
	if err != nil || !l.Found || !strings.Contains(l.Location, "sig=[redacted]") || strings.Contains(a.header.Get("Location"), "[redacted]") {
		t.Errorf("lookup a: %+v %v", l, err)
	}
	a = send(t, "GET", base+SymsrvPath(org, "b.exe/1/b.exe"), nil, pat)
	if l, err := DecodeLookup(a.status, a.header, a.body); err != nil || l.Found {
		t.Errorf("lookup b: %+v %v", l, err)
	}

	// Seal, then entries are refused with the sealed hint.
	a = send(t, "PATCH", base+RequestPath(org, req.ID)+"?"+VersionQuery(DefaultAPIVersion), SealBody(), pat)
	if req, err := DecodeRequest(OpSealRequest, a.status, a.header, a.body); err != nil || req.Status != RequestSealed {
		t.Fatalf("seal: %v %+v", err, req)
	}
	a = send(t, "POST", base+RequestPath(org, req.ID)+"?"+EntriesQuery(DefaultAPIVersion), NewBatches(SkipIfExists, Entries(in.Items), 0)[0], pat)
	if _, err := DecodeEntries(a.status, a.header, a.body); exit.Code(err) != exit.Auth || !strings.Contains(exit.Hint(err), "sealed") {
		t.Errorf("sealed: %v", err)
	}

	// Unknown request and organization; preview; the sign-in page.
	a = send(t, "GET", base+RequestPath(org, emulator.SymbolRequestUnknown)+"?"+VersionQuery(DefaultAPIVersion), nil, pat)
	if _, err := DecodeRequest(OpShowRequest, a.status, a.header, a.body); exit.Code(err) != exit.NotFound {
		t.Errorf("unknown request: %v", err)
	}
	a = send(t, "GET", base+RequestPath("contoso", emulator.SymbolRequestOpen)+"?"+VersionQuery(DefaultAPIVersion), nil, pat)
	if _, err := DecodeRequest(OpShowRequest, a.status, a.header, a.body); exit.Code(err) != exit.NotFound || !strings.Contains(exit.Hint(err), "--organization") {
		t.Errorf("unknown organization: %v", err)
	}
	a = send(t, "POST", base+RequestPath(org, emulator.SymbolRequestPreview)+"?"+EntriesQuery(DefaultAPIVersion), NewBatches("", Entries(in.Items), 0)[0], pat)
	if _, err := DecodeEntries(a.status, a.header, a.body); !errors.As(err, &se) || !se.PreviewRequired() {
		t.Errorf("preview: %v", err)
	}
	a = send(t, "POST", base+RequestPath(org, emulator.SymbolRequestOpen)+"?"+EntriesQuery(DefaultAPIVersion), NewBatches("", Entries(in.Items), 0)[0], emulator.SymbolsExpiredPAT)
	var sie *SignInError
	if _, err := DecodeEntries(a.status, a.header, a.body); !errors.As(err, &sie) || sie.Status != 203 {
		t.Errorf("expired PAT: %v", err)
	}
	a = send(t, "POST", base+RequestPath(org, emulator.SymbolRequestOpen)+"?"+EntriesQuery(DefaultAPIVersion), NewBatches("", Entries(in.Items), 0)[0], "wrong")
	if _, err := DecodeEntries(a.status, a.header, a.body); !errors.As(err, &sie) || sie.Status != 401 {
		t.Errorf("wrong PAT: %v", err)
	}
	a = send(t, "POST", base+RequestPath(org, emulator.SymbolRequest429)+"?"+EntriesQuery(DefaultAPIVersion), NewBatches("", Entries(in.Items), 0)[0], pat)
	if _, err := DecodeEntries(a.status, a.header, a.body); !errors.As(err, &se) || !se.Retryable() || se.RetryAfter != "1" {
		t.Errorf("429: %v", err)
	}
}
