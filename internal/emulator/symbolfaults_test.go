package emulator

import (
	"net/http"
	"strings"
	"testing"
)

func TestSymbols429(t *testing.T) {
	e, base := serve(t, Options{})
	url := symbolsURL(base, SymbolsOrg, SymbolRequest429, stdQuery)
	body := entryBody("", [2]string{"a/1/a", KnownBlobID})
	for round := range 2 {
		a := call(t, "POST", url, body, patAuth)
		if a.status != 429 || a.header.Get("Retry-After") != "1" {
			t.Fatalf("round %d, first POST: %d Retry-After %q", round, a.status, a.header.Get("Retry-After"))
		}
		checkAzureErr(t, a, 429, "RequestBlockedException", "TF400733")
		if round == 0 && len(e.DebugEntries(SymbolRequest429)) != 0 {
			t.Fatal("a 429 stored entries")
		}
		// The resend is answered; skipIfExists in the second round, since
		// the first stored the key.
		if round == 1 {
			body = entryBody("skipIfExists", [2]string{"a/1/a", KnownBlobID})
		}
		if a := call(t, "POST", url, body, patAuth); a.status != 200 {
			t.Fatalf("round %d, resend: %d %s", round, a.status, a.body)
		}
	}
	posts := 0
	for _, r := range e.Received() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, SymbolRequest429) {
			posts++
		}
	}
	if posts != 4 {
		t.Errorf("the request log has %d POSTs, want 4", posts)
	}
}

// postRaw sends a POST and returns the transport error, if any: a dropped
// connection is what the test is after.
func postRaw(t *testing.T, url, body string) (int, error) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	patAuth(req)
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func TestSymbolsDrop(t *testing.T) {
	e, base := serve(t, Options{})
	url := symbolsURL(base, SymbolsOrg, SymbolRequestDrop, stdQuery)
	body := entryBody("", [2]string{"a/1/a", KnownBlobID}, [2]string{"b/1/b", otherBlob})

	if status, err := postRaw(t, url, body); err == nil {
		t.Fatalf("first POST answered %d; want the connection closed", status)
	}
	if n := len(e.DebugEntries(SymbolRequestDrop)); n != 2 {
		t.Fatalf("%d entries stored by the dropped POST, want 2", n)
	}
	// Resending with throwIfExists hits the entries the lost answer made.
	a := call(t, "POST", url, body, patAuth)
	checkAzureErr(t, a, 409, "DebugEntryExistsException", "a/1/a")
	// The third POST is cut again; a resend with skipIfExists is answered.
	skip := entryBody("skipIfExists", [2]string{"a/1/a", KnownBlobID}, [2]string{"b/1/b", otherBlob})
	if _, err := postRaw(t, url, skip); err == nil {
		t.Fatal("third POST answered")
	}
	var got entriesAnswer
	a = call(t, "POST", url, skip, patAuth)
	decode(t, a.body, &got)
	if a.status != 200 || got.Count != 2 || got.Value[0].Status != "created" || got.Value[1].Status != "blobMissing" {
		t.Errorf("resend with skipIfExists: %d %s", a.status, a.body)
	}
}

// SymbolRequestPreview wants "-preview" even when the emulator does not.
func TestSymbolsPreviewFixture(t *testing.T) {
	_, base := serve(t, Options{})
	body := entryBody("", [2]string{"a/1/a", KnownBlobID})
	a := call(t, "POST", symbolsURL(base, SymbolsOrg, SymbolRequestPreview, stdQuery), body, patAuth)
	checkAzureErr(t, a, 400, "VssInvalidPreviewVersionException", "-preview flag must be supplied")
	if a := call(t, "POST", symbolsURL(base, SymbolsOrg, SymbolRequestPreview, "collection=debugentries&api-version=7.1-preview.1"), body, patAuth); a.status != 200 {
		t.Errorf("with -preview: %d %s", a.status, a.body)
	}
	// Other requests still take 7.1.
	if a := call(t, "POST", symbolsURL(base, SymbolsOrg, SymbolRequestOpen, stdQuery), body, patAuth); a.status != 200 {
		t.Errorf("open request with 7.1: %d", a.status)
	}
}
