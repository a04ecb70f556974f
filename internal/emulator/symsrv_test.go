package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// lookup sends GET symsrv/{key} without following the redirect.
func lookupKey(t *testing.T, base, key string, setup func(*http.Request)) *http.Response {
	t.Helper()
	req, err := http.NewRequest("GET", base+"/"+SymbolsOrg+"/_apis/symbol/symsrv/"+key, nil)
	if err != nil {
		t.Fatal(err)
	}
	if setup != nil {
		setup(req)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestSymsrvLookup(t *testing.T) {
	e, base := serve(t, Options{})
	created, missing := "symbol.exe/557A1D8EE000/symbol.exe", "foo.pdb/497b72f6390a44fc878e5a2d63b6cc4b1/foo.pdb"
	a := call(t, "POST", symbolsURL(base, SymbolsOrg, SymbolRequestOpen, stdQuery), entryBody("", [2]string{created, KnownBlobID}, [2]string{missing, otherBlob}), patAuth)
	if a.status != 200 {
		t.Fatalf("entries: %d %s", a.status, a.body)
	}

	// Found, whatever the case of the key; no api-version needed.
	for _, key := range []string{created, strings.ToLower(created)} {
		resp := lookupKey(t, base, key, patAuth)
		loc, err := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != 302 || err != nil || loc.Query().Get("sig") == "" || loc.Query().Get("se") == "" ||
			!strings.HasPrefix(loc.String(), base+"/_emulator/blobs/") {
			t.Errorf("%s: %d Location %q", key, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	// blobMissing and unknown keys are not found.
	for _, key := range []string{missing, "nothing.pdb/00/nothing.pdb"} {
		if resp := lookupKey(t, base, key, patAuth); resp.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", key, resp.StatusCode)
		}
	}
	// Once the emulator holds the blob, the entry is created and found.
	e.HoldBlob(otherBlob)
	if got := e.DebugEntries(SymbolRequestOpen); got[1].Status != "created" {
		t.Errorf("after HoldBlob: %+v", got[1])
	}
	if resp := lookupKey(t, base, missing, withHeaders("Authorization", "Bearer "+SymbolsBearer)); resp.StatusCode != 302 {
		t.Errorf("after HoldBlob: %d", resp.StatusCode)
	}
	// Credentials are required; the shape of the key is part of the path.
	if resp := lookupKey(t, base, created, nil); resp.StatusCode != 401 {
		t.Errorf("no credentials: %d", resp.StatusCode)
	}
	if resp := lookupKey(t, base, "symbol.exe/557A1D8EE000", patAuth); resp.StatusCode != 404 {
		t.Errorf("two-part key: %d", resp.StatusCode)
	}
	a = call(t, "POST", base+"/"+SymbolsOrg+"/_apis/symbol/symsrv/"+created, "", patAuth)
	checkAzureErr(t, a, 405, "NotSupportedException", "POST")
}

// An entry stored in a request that was sealed stays found.
func TestSymsrvSealedRequest(t *testing.T) {
	_, base := serve(t, Options{})
	a := call(t, "POST", symbolsURL(base, SymbolsOrg, SymbolRequestOpen, stdQuery), entryBody("", [2]string{"a/1/a", KnownBlobID}), patAuth)
	if a.status != 200 {
		t.Fatal(a.status)
	}
	if a := call(t, "PATCH", requestURL(base, SymbolRequestOpen), `{"status":"sealed"}`, patAuth); a.status != 200 {
		t.Fatal(a.status)
	}
	if resp := lookupKey(t, base, "A/1/A", patAuth); resp.StatusCode != 302 {
		t.Errorf("%d", resp.StatusCode)
	}
}
