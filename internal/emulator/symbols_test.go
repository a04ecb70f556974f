package emulator

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
)

func symbolsURL(base, org, req, query string) string {
	return base + "/" + org + "/_apis/symbol/requests/" + req + "?" + query
}

const stdQuery = "collection=debugentries&api-version=7.1"

func patAuth(r *http.Request) {
	r.SetBasicAuth("", SymbolsPAT)
	r.Header.Set("Content-Type", "application/json")
}

// otherBlob is a valid identifier the emulator does not hold.
var otherBlob = base64.StdEncoding.EncodeToString(append(make([]byte, 32), 0))

func entryBody(behavior string, entries ...[2]string) string {
	var b strings.Builder
	b.WriteString("{")
	if behavior != "" {
		b.WriteString(`"createBehavior":"` + behavior + `",`)
	}
	b.WriteString(`"debugEntries":[`)
	for i, e := range entries {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"clientKey":"` + e[0] + `","blobIdentifier":{"identifierValue":"` + e[1] + `"},"informationLevel":"binary","size":57344}`)
	}
	b.WriteString("]}")
	return b.String()
}

type entriesAnswer struct {
	Count int          `json:"count"`
	Value []DebugEntry `json:"value"`
}

type azureErrBody struct {
	ID        string `json:"$id"`
	Message   string `json:"message"`
	TypeName  string `json:"typeName"`
	TypeKey   string `json:"typeKey"`
	ErrorCode *int   `json:"errorCode"`
	EventID   int    `json:"eventId"`
}

// checkAzureErr checks the status and that the body has Azure's exact shape
// (field order included: some clients compare the raw text in tests).
func checkAzureErr(t *testing.T, a answer, status int, typeKey, msgPart string) {
	t.Helper()
	if a.status != status {
		t.Fatalf("status = %d, want %d: %s", a.status, status, a.body)
	}
	if !strings.HasPrefix(string(a.body), `{"$id":"1","innerException":null,"message":`) {
		t.Errorf("not Azure's error shape: %s", a.body)
	}
	var e azureErrBody
	decode(t, a.body, &e)
	if e.TypeKey != typeKey || !strings.Contains(e.TypeName, typeKey+", ") || e.ErrorCode == nil || e.EventID != 3000 {
		t.Errorf("error = %+v, want typeKey %s", e, typeKey)
	}
	if !strings.Contains(e.Message, msgPart) {
		t.Errorf("message %q lacks %q", e.Message, msgPart)
	}
	if a.header.Get("X-TFS-ServiceError") == "" {
		t.Error("no X-TFS-ServiceError header")
	}
}

func TestSymbolsCreateBehaviors(t *testing.T) {
	e, base := serve(t, Options{})
	url := symbolsURL(base, SymbolsOrg, SymbolRequestOpen, stdQuery)
	key := "symbol.exe/557A1D8EE000/symbol.exe"

	a := call(t, "POST", url, entryBody("", [2]string{key, KnownBlobID}, [2]string{"foo.pdb/497b72f6390a44fc878e5a2d63b6cc4b1/foo.pdb", otherBlob}), patAuth)
	if a.status != 200 || !strings.HasPrefix(a.header.Get("Content-Type"), "application/json") {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	var got entriesAnswer
	decode(t, a.body, &got)
	if got.Count != 2 || len(got.Value) != 2 {
		t.Fatalf("count %d, %d values", got.Count, len(got.Value))
	}
	first := got.Value[0]
	if first.Status != "created" || first.ID != key+"/00000001" || first.RequestID != SymbolRequestOpen ||
		first.InformationLevel != "binary" || first.Size != 57344 || first.BlobURI == "" ||
		!strings.HasSuffix(first.URL, "/debugentries/"+key+"/00000001") {
		t.Errorf("first entry = %+v", first)
	}
	if got.Value[1].Status != "blobMissing" || got.Value[1].BlobURI == "" {
		t.Errorf("second entry = %+v", got.Value[1])
	}

	// throwIfExists, explicit or by default, refuses the whole batch.
	for _, behavior := range []string{"", "throwIfExists", "THROWIFEXISTS"} {
		a = call(t, "POST", url, entryBody(behavior, [2]string{"new/1/new", otherBlob}, [2]string{strings.ToLower(key), otherBlob}), patAuth)
		checkAzureErr(t, a, 409, "DebugEntryExistsException", strings.ToLower(key))
	}
	if n := len(e.DebugEntries(SymbolRequestOpen)); n != 2 {
		t.Fatalf("%d entries stored after refused batches, want 2", n)
	}

	// skipIfExists returns the old entry untouched, and adds the new one.
	a = call(t, "POST", url, entryBody("skipIfExists", [2]string{key, otherBlob}, [2]string{"new/1/new", otherBlob}), patAuth)
	decode(t, a.body, &got)
	if a.status != 200 || got.Value[0].Status != "created" || got.Value[0].CreatedDate != first.CreatedDate || got.Value[1].ClientKey != "new/1/new" {
		t.Errorf("skipIfExists: %d %s", a.status, a.body)
	}

	// overwriteIfExists replaces it.
	a = call(t, "POST", url, entryBody("overwriteIfExists", [2]string{key, otherBlob}), patAuth)
	decode(t, a.body, &got)
	if a.status != 200 || got.Value[0].Status != "blobMissing" {
		t.Errorf("overwriteIfExists: %d %s", a.status, a.body)
	}
	stored := e.DebugEntries(SymbolRequestOpen)
	if len(stored) != 3 || stored[0].Status != "blobMissing" {
		t.Errorf("stored = %+v", stored)
	}

	a = call(t, "POST", url, entryBody("replaceAll", [2]string{key, otherBlob}), patAuth)
	checkAzureErr(t, a, 400, "ArgumentException", "replaceAll")
}

func TestSymbolsKnownBlobsOption(t *testing.T) {
	_, base := serve(t, Options{KnownBlobs: []string{otherBlob}})
	a := call(t, "POST", symbolsURL(base, SymbolsOrg, SymbolRequestOpen, stdQuery), entryBody("", [2]string{"a/1/a", otherBlob}), patAuth)
	var got entriesAnswer
	decode(t, a.body, &got)
	if got.Value[0].Status != "created" {
		t.Errorf("status %q, want created", got.Value[0].Status)
	}
}

func TestSymbolsErrors(t *testing.T) {
	_, base := serve(t, Options{})
	body := entryBody("", [2]string{"a/1/a", KnownBlobID})
	tests := []struct {
		name, org, req, query, body string
		setup                       func(*http.Request)
		status                      int
		typeKey, msg                string
	}{
		{"sealed", SymbolsOrg, SymbolRequestSealed, stdQuery, body, patAuth, 403, "RequestSealedException", SymbolRequestSealed},
		{"unknown request", SymbolsOrg, SymbolRequestUnknown, stdQuery, body, patAuth, 404, "RequestNotFoundException", SymbolRequestUnknown},
		{"malformed request", SymbolsOrg, "xyz", stdQuery, body, patAuth, 404, "RequestNotFoundException", "xyz"},
		{"unknown org", "contoso", SymbolRequestOpen, stdQuery, body, patAuth, 404, "HostNotFoundException", "contoso"},
		{"no api-version", SymbolsOrg, SymbolRequestOpen, "collection=debugentries", body, patAuth, 400, "VssVersionNotSpecifiedException", "api-version"},
		{"bad api-version", SymbolsOrg, SymbolRequestOpen, "collection=debugentries&api-version=latest", body, patAuth, 400, "VssInvalidApiVersionException", "latest"},
		{"future api-version", SymbolsOrg, SymbolRequestOpen, "collection=debugentries&api-version=9.0", body, patAuth, 400, "VssVersionOutOfRangeException", "9.0"},
		{"wrong collection", SymbolsOrg, SymbolRequestOpen, "collection=requests&api-version=7.1", body, patAuth, 400, "ArgumentException", "debugentries"},
		{"empty body", SymbolsOrg, SymbolRequestOpen, stdQuery, "", patAuth, 400, "ArgumentNullException", "batch"},
		{"bad JSON", SymbolsOrg, SymbolRequestOpen, stdQuery, "{", patAuth, 400, "VssRequestContentException", "DebugEntryCreateBatch"},
		{"no client key", SymbolsOrg, SymbolRequestOpen, stdQuery, `{"debugEntries":[{"blobIdentifier":{"identifierValue":"` + KnownBlobID + `"}}]}`, patAuth, 400, "ArgumentException", "clientKey"},
		{"no blob", SymbolsOrg, SymbolRequestOpen, stdQuery, `{"debugEntries":[{"clientKey":"a/1/a"}]}`, patAuth, 400, "ArgumentNullException", "blobIdentifier"},
		{"hex blob", SymbolsOrg, SymbolRequestOpen, stdQuery, entryBody("", [2]string{"a/1/a", "71949481"}), patAuth, 400, "ArgumentException", "71949481"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, "POST", symbolsURL(base, tt.org, tt.req, tt.query), tt.body, tt.setup)
			checkAzureErr(t, a, tt.status, tt.typeKey, tt.msg)
		})
	}
}

func TestSymbolsAuth(t *testing.T) {
	_, base := serve(t, Options{})
	url := symbolsURL(base, SymbolsOrg, SymbolRequestOpen, stdQuery)
	body := `{"debugEntries":[]}`
	tests := []struct {
		name   string
		setup  func(*http.Request)
		status int
	}{
		{"pat", patAuth, 200},
		{"bearer", withHeaders("Authorization", "Bearer "+SymbolsBearer), 200},
		{"pat with a user name", func(r *http.Request) { r.SetBasicAuth("me", SymbolsPAT) }, 401},
		{"wrong pat", func(r *http.Request) { r.SetBasicAuth("", "nope") }, 401},
		{"pat as bearer", withHeaders("Authorization", "Bearer "+SymbolsPAT), 401},
		{"none", nil, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, "POST", url, body, tt.setup)
			if a.status != tt.status {
				t.Fatalf("status = %d, want %d: %s", a.status, tt.status, a.body)
			}
			if tt.status == 200 {
				jsonEqual(t, a.body, `{"count":0,"value":[]}`)
			}
			if tt.status == 401 && len(a.header.Values("WWW-Authenticate")) == 0 {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
}

func TestSymbolsRequirePreview(t *testing.T) {
	_, base := serve(t, Options{RequirePreview: true})
	body := `{"debugEntries":[]}`
	a := call(t, "POST", symbolsURL(base, SymbolsOrg, SymbolRequestOpen, stdQuery), body, patAuth)
	checkAzureErr(t, a, 400, "VssInvalidPreviewVersionException", "-preview flag must be supplied")
	for _, v := range []string{"7.1-preview", "7.1-preview.1"} {
		if a := call(t, "POST", symbolsURL(base, SymbolsOrg, SymbolRequestOpen, "collection=debugentries&api-version="+v), body, patAuth); a.status != 200 {
			t.Errorf("api-version %s: %d %s", v, a.status, a.body)
		}
	}
	// The version may also travel in the Accept header.
	a = call(t, "POST", symbolsURL(base, SymbolsOrg, SymbolRequestOpen, "collection=debugentries"), body, func(r *http.Request) {
		patAuth(r)
		r.Header.Set("Accept", "application/json; api-version=7.1-preview.1")
	})
	if a.status != 200 {
		t.Errorf("Accept api-version: %d %s", a.status, a.body)
	}
}
