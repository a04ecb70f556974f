package emulator

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func requestsURL(base, org string) string {
	return base + "/" + org + "/_apis/symbol/requests?api-version=7.1"
}

func requestURL(base, id string) string {
	return base + "/" + SymbolsOrg + "/_apis/symbol/requests/" + id + "?api-version=7.1"
}

func TestSymbolRequestLifecycle(t *testing.T) {
	e, base := serve(t, Options{})
	before := time.Now().UTC()

	a := call(t, "POST", requestsURL(base, SymbolsOrg), `{"name":"v1.2.3","description":"nightly"}`, patAuth)
	if a.status != 201 {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	var req SymbolRequest
	decode(t, a.body, &req)
	id := SymbolRequestID("v1.2.3")
	if req.ID != id || len(id) != 64 || req.Name != "v1.2.3" || req.Description != "nightly" || req.Status != "created" ||
		!strings.HasSuffix(req.URL, "/_apis/Symbol/requests/"+id) || a.header.Get("Location") != req.URL {
		t.Errorf("created = %+v", req)
	}
	exp, err := time.Parse(time.RFC3339Nano, req.ExpirationDate)
	if err != nil || exp.Before(before.Add(30*24*time.Hour-time.Second)) || exp.After(time.Now().Add(30*24*time.Hour)) {
		t.Errorf("default expiry %q, want 30 days from now (%v)", req.ExpirationDate, err)
	}

	// Names are unique without regard to case.
	a = call(t, "POST", requestsURL(base, SymbolsOrg), `{"name":"V1.2.3"}`, patAuth)
	checkAzureErr(t, a, 409, "RequestExistsException", "V1.2.3")
	a = call(t, "POST", requestsURL(base, SymbolsOrg), `{"name":"`+SymbolRequestOpenName+`"}`, patAuth)
	checkAzureErr(t, a, 409, "RequestExistsException", SymbolRequestOpenName)

	// An explicit expiry is kept.
	a = call(t, "POST", requestsURL(base, SymbolsOrg), `{"name":"dated","expirationDate":"2098-05-01T00:00:00Z"}`, patAuth)
	decode(t, a.body, &req)
	if a.status != 201 || !strings.HasPrefix(req.ExpirationDate, "2098-05-01T00:00:00") {
		t.Errorf("dated: %d %s", a.status, a.body)
	}

	// Entries are counted in the request's size.
	a = call(t, "POST", symbolsURL(base, SymbolsOrg, id, stdQuery), entryBody("", [2]string{"a/1/a", KnownBlobID}, [2]string{"b/1/b", otherBlob}), patAuth)
	if a.status != 200 {
		t.Fatalf("entries: %d %s", a.status, a.body)
	}
	a = call(t, "GET", requestURL(base, strings.ToUpper(id)), "", patAuth)
	decode(t, a.body, &req)
	if a.status != 200 || req.ID != id || req.Size != 2*57344 || req.Status != "created" {
		t.Errorf("show: %d %s", a.status, a.body)
	}

	// Sealing, twice; then entries are refused.
	for range 2 {
		a = call(t, "PATCH", requestURL(base, id), `{"status":"Sealed"}`, patAuth)
		decode(t, a.body, &req)
		if a.status != 200 || req.Status != "sealed" {
			t.Fatalf("seal: %d %s", a.status, a.body)
		}
	}
	a = call(t, "POST", symbolsURL(base, SymbolsOrg, id, stdQuery), entryBody("skipIfExists", [2]string{"c/1/c", KnownBlobID}), patAuth)
	checkAzureErr(t, a, 403, "RequestSealedException", id)
	if n := len(e.DebugEntries(id)); n != 2 {
		t.Errorf("%d entries after the refused batch, want 2", n)
	}
	a = call(t, "GET", requestURL(base, id), "", patAuth)
	decode(t, a.body, &req)
	if req.Status != "sealed" {
		t.Errorf("show after seal: %s", a.body)
	}
}

func TestSymbolRequestErrors(t *testing.T) {
	_, base := serve(t, Options{})
	tests := []struct {
		name, method, url, body string
		status                  int
		typeKey, msg            string
	}{
		{"no name", "POST", requestsURL(base, SymbolsOrg), `{"description":"x"}`, 400, "ArgumentException", "name"},
		{"empty body", "POST", requestsURL(base, SymbolsOrg), ``, 400, "ArgumentNullException", "request"},
		{"bad JSON", "POST", requestsURL(base, SymbolsOrg), `{"name":`, 400, "VssRequestContentException", "Request"},
		{"past expiry", "POST", requestsURL(base, SymbolsOrg), `{"name":"old","expirationDate":"2001-01-01T00:00:00Z"}`, 400, "ArgumentException", "not in the future"},
		{"no api-version", "POST", base + "/" + SymbolsOrg + "/_apis/symbol/requests", `{"name":"x"}`, 400, "VssVersionNotSpecifiedException", "api-version"},
		{"unknown org", "POST", requestsURL(base, "contoso"), `{"name":"x"}`, 404, "HostNotFoundException", "contoso"},
		{"list", "GET", requestsURL(base, SymbolsOrg), ``, 405, "NotSupportedException", "GET"},
		{"show unknown", "GET", requestURL(base, SymbolRequestUnknown), ``, 404, "RequestNotFoundException", SymbolRequestUnknown},
		{"seal unknown", "PATCH", requestURL(base, SymbolRequestUnknown), `{"status":"sealed"}`, 404, "RequestNotFoundException", SymbolRequestUnknown},
		{"reopen", "PATCH", requestURL(base, SymbolRequestSealed), `{"status":"created"}`, 400, "ArgumentException", "sealed"},
		{"delete", "DELETE", requestURL(base, SymbolRequestOpen), ``, 405, "NotSupportedException", "DELETE"},
		{"show, other org", "GET", base + "/contoso/_apis/symbol/requests/" + SymbolRequestOpen + "?api-version=7.1", ``, 404, "HostNotFoundException", "contoso"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkAzureErr(t, call(t, tt.method, tt.url, tt.body, patAuth), tt.status, tt.typeKey, tt.msg)
		})
	}
	if a := call(t, "GET", requestURL(base, SymbolRequestOpen), "", nil); a.status != 401 {
		t.Errorf("show without credentials: %d", a.status)
	}
}

// The fixtures exist from the start with their names and states.
func TestSymbolRequestFixtures(t *testing.T) {
	e, base := serve(t, Options{})
	for id, want := range map[string][2]string{
		SymbolRequestOpen:    {SymbolRequestOpenName, "created"},
		SymbolRequestSealed:  {SymbolRequestSealedName, "sealed"},
		SymbolRequest429:     {SymbolRequest429Name, "created"},
		SymbolRequestDrop:    {SymbolRequestDropName, "created"},
		SymbolRequestPreview: {SymbolRequestPreviewName, "created"},
	} {
		var req SymbolRequest
		a := call(t, "GET", requestURL(base, id), "", withHeaders("Authorization", "Bearer "+SymbolsBearer))
		decode(t, a.body, &req)
		if a.status != 200 || req.Name != want[0] || req.Status != want[1] || !strings.HasPrefix(req.ExpirationDate, "2099-01-01") {
			t.Errorf("%s: %d %s", id, a.status, a.body)
		}
	}
	if n := len(e.SymbolRequests()); n != 5 {
		t.Errorf("%d requests, want the 5 fixtures", n)
	}
}

// With --require-preview every request call wants "-preview", not only
// the entries POST.
func TestSymbolRequestRequirePreview(t *testing.T) {
	_, base := serve(t, Options{RequirePreview: true})
	a := call(t, "POST", requestsURL(base, SymbolsOrg), `{"name":"p"}`, patAuth)
	checkAzureErr(t, a, 400, "VssInvalidPreviewVersionException", "-preview flag must be supplied")
	a = call(t, "POST", base+"/"+SymbolsOrg+"/_apis/symbol/requests?api-version=7.1-preview.1", `{"name":"p"}`, patAuth)
	if a.status != 201 {
		t.Errorf("with -preview: %d %s", a.status, a.body)
	}
	a = call(t, "PATCH", requestURL(base, SymbolRequestOpen), `{"status":"sealed"}`, patAuth)
	checkAzureErr(t, a, 400, "VssInvalidPreviewVersionException", "-preview")
}

// A refused credential gets an HTML page, never JSON: 401, or 203 with
// the sign-in page for SymbolsExpiredPAT.
func TestSymbolsExpiredPAT(t *testing.T) {
	_, base := serve(t, Options{})
	a := call(t, "POST", symbolsURL(base, SymbolsOrg, SymbolRequestOpen, stdQuery), `{"debugEntries":[]}`, func(r *http.Request) { r.SetBasicAuth("", SymbolsExpiredPAT) })
	if a.status != 203 || !strings.HasPrefix(a.header.Get("Content-Type"), "text/html") || !strings.Contains(string(a.body), "Sign In") {
		t.Errorf("expired PAT: %d %s %s", a.status, a.header.Get("Content-Type"), a.body)
	}
}
