package emulator

import (
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Azure DevOps Artifacts symbol service (FACTS.md section 3):
//
//	POST  /{org}/_apis/symbol/requests                                  create a request (symbolrequests.go)
//	GET   /{org}/_apis/symbol/requests/{id}                             show it
//	PATCH /{org}/_apis/symbol/requests/{id}                             seal it
//	POST  /{org}/_apis/symbol/requests/{id}?collection=debugentries     create entries (this file)
//	GET   /{org}/_apis/symbol/symsrv/{clientKey}                        look a key up (symsrv.go)
//
// Auth is a PAT as HTTP Basic with an empty user name, or a Bearer token.
// Errors have Azure's shape and the X-TFS-ServiceError header it sends.
// Every request/entry call wants an api-version; symsrv, which debuggers
// call, does not.

// BlobIdentifier names a blob by its content (base64 of 33 bytes).
type BlobIdentifier struct {
	IdentifierValue string `json:"identifierValue"`
}

// DebugEntry is an entry as the service stores and returns it.
type DebugEntry struct {
	BlobIdentifier   *BlobIdentifier `json:"blobIdentifier,omitempty"`
	BlobURI          string          `json:"blobUri,omitempty"`
	ClientKey        string          `json:"clientKey"`
	InformationLevel string          `json:"informationLevel"`
	RequestID        string          `json:"requestId"`
	Size             int64           `json:"size"`
	Status           string          `json:"status"`
	CreatedBy        string          `json:"createdBy"`
	CreatedDate      string          `json:"createdDate"`
	ID               string          `json:"id"`
	StorageETag      string          `json:"storageETag"`
	URL              string          `json:"url"`
}

type debugEntryBatch struct {
	CreateBehavior string `json:"createBehavior"`
	DebugEntries   []struct {
		BlobIdentifier   *BlobIdentifier `json:"blobIdentifier"`
		ClientKey        string          `json:"clientKey"`
		InformationLevel string          `json:"informationLevel"`
		Size             int64           `json:"size"`
	} `json:"debugEntries"`
	ProofNodes []string `json:"proofNodes"`
}

type azureError struct {
	ID             string `json:"$id"`
	InnerException any    `json:"innerException"`
	Message        string `json:"message"`
	TypeName       string `json:"typeName"`
	TypeKey        string `json:"typeKey"`
	ErrorCode      int    `json:"errorCode"`
	EventID        int    `json:"eventId"`
}

const (
	azureJSON      = "application/json; charset=utf-8"
	symbolWebAPI   = "Microsoft.VisualStudio.Services.Symbol.WebApi"
	vssWebAPI      = "Microsoft.VisualStudio.Services.WebApi"
	entryVersion   = "00000001"
	emulatorUserID = "7b1f3c2a-0d4e-4f6a-9b8c-5d2e1f0a3b4c"
	azureTime      = "2006-01-02T15:04:05.0000000Z"
)

// azureErr writes an Azure DevOps error. ns is the .NET namespace and
// assembly of the exception type, typeKey its name.
func azureErr(w http.ResponseWriter, status int, ns, typeKey, msg string) {
	// Azure's own spelling; Header.Set would canonicalise it.
	w.Header()["X-TFS-ServiceError"] = []string{url.QueryEscape(msg)}
	typeName := ns + "." + typeKey + ", " + ns
	if ns == "System" {
		typeName = "System." + typeKey + ", mscorlib"
	}
	writeJSON(w, status, azureJSON, azureError{
		ID: "1", Message: msg, TypeName: typeName, TypeKey: typeKey, EventID: 3000,
	})
}

func (e *Emulator) serveSymbols(w http.ResponseWriter, r *http.Request) {
	w.Header()["ActivityId"] = []string{uuid.NewString()}
	parts := strings.Split(r.URL.Path, "/")
	if len(parts) < 5 || parts[0] != "" || !strings.EqualFold(parts[2], "_apis") || !strings.EqualFold(parts[3], "symbol") {
		http.NotFound(w, r)
		return
	}
	org, resource := parts[1], strings.ToLower(parts[4])
	var route func(http.ResponseWriter, *http.Request, string, []string)
	switch {
	case resource == "requests" && len(parts) == 5:
		route = e.serveRequests
	case resource == "requests" && len(parts) == 6:
		route = e.serveRequest
	case resource == "symsrv" && len(parts) == 8:
		route = e.serveSymsrv
	default:
		http.NotFound(w, r)
		return
	}
	if !strings.EqualFold(org, SymbolsOrg) {
		azureErr(w, http.StatusNotFound, vssWebAPI, "HostNotFoundException",
			"VS800075: The organization '"+org+"' was not found.")
		return
	}
	if !symbolsAuthorized(w, r) {
		return
	}
	route(w, r, org, parts[5:])
}

// symbolsAuthorized checks the credential and, when it is refused, answers
// the way Azure does: a bare 401 with an HTML page (not its JSON error),
// or, for SymbolsExpiredPAT, 203 with the sign-in page.
func symbolsAuthorized(w http.ResponseWriter, r *http.Request) bool {
	if user, pass, ok := r.BasicAuth(); ok && user == "" {
		if subtle.ConstantTimeCompare([]byte(pass), []byte(SymbolsPAT)) == 1 {
			return true
		}
		if subtle.ConstantTimeCompare([]byte(pass), []byte(SymbolsExpiredPAT)) == 1 {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNonAuthoritativeInfo)
			_, _ = w.Write([]byte(signInPage))
			return false
		}
	} else if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok &&
		subtle.ConstantTimeCompare([]byte(tok), []byte(SymbolsBearer)) == 1 {
		return true
	}
	w.Header().Add("WWW-Authenticate", `Bearer authorization_uri=https://login.microsoftonline.com/common`)
	w.Header().Add("WWW-Authenticate", `Basic realm="https://artifacts.dev.azure.com/"`)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = w.Write([]byte("<html><head><title>Access denied</title></head><body>401 - Unauthorized: Access is denied due to invalid credentials.</body></html>\n"))
	return false
}

const signInPage = `<!DOCTYPE html>
<html><head><title>Azure DevOps Services | Sign In</title></head>
<body><form method="post" action="https://login.microsoftonline.com/common/oauth2/authorize">Sign in to your account</form></body></html>
`

func methodNotAllowed(w http.ResponseWriter, r *http.Request, allow string) {
	w.Header().Set("Allow", allow)
	azureErr(w, http.StatusMethodNotAllowed, "System", "NotSupportedException",
		"The requested resource does not support http method '"+r.Method+"'.")
}

var createBehaviors = []string{"throwIfExists", "skipIfExists", "overwriteIfExists"}

var informationLevels = []string{"none", "binary", "publics", "traceFormatPresent", "typeInfo",
	"lineNumbers", "globalSymbols", "private", "sourceIndexed"}

// canonical finds v in names ignoring case, as .NET enum parsing does.
func canonical(v string, names []string) (string, bool) {
	for _, n := range names {
		if strings.EqualFold(v, n) {
			return n, true
		}
	}
	return "", false
}

// createEntries handles the batch: it is validated whole before anything
// is stored, so a refused batch changes nothing, as on the service. It
// returns the entries to answer with, or false once it has answered.
func (e *Emulator) createEntries(w http.ResponseWriter, r *http.Request, org, reqID string) ([]DebugEntry, bool) {
	var batch debugEntryBatch
	body := requestBody(r)
	if len(strings.TrimSpace(string(body))) == 0 {
		azureErr(w, http.StatusBadRequest, "System", "ArgumentNullException", "Value cannot be null.\r\nParameter name: batch")
		return nil, false
	}
	if err := json.Unmarshal(body, &batch); err != nil {
		azureErr(w, http.StatusBadRequest, vssWebAPI, "VssRequestContentException",
			"The request body is not a valid DebugEntryCreateBatch: "+err.Error())
		return nil, false
	}
	behavior := "throwIfExists"
	if batch.CreateBehavior != "" {
		var ok bool
		if behavior, ok = canonical(batch.CreateBehavior, createBehaviors); !ok {
			azureErr(w, http.StatusBadRequest, "System", "ArgumentException",
				`The create behavior "`+batch.CreateBehavior+`" is not recognized. Valid values: throwIfExists, skipIfExists, overwriteIfExists.`)
			return nil, false
		}
	}

	now := time.Now().UTC()
	fresh := make([]*DebugEntry, len(batch.DebugEntries))
	for i, in := range batch.DebugEntries {
		field := "debugEntries[" + strconv.Itoa(i) + "]"
		if in.ClientKey == "" {
			azureErr(w, http.StatusBadRequest, "System", "ArgumentException", field+".clientKey is required.")
			return nil, false
		}
		if in.BlobIdentifier == nil || in.BlobIdentifier.IdentifierValue == "" {
			azureErr(w, http.StatusBadRequest, "System", "ArgumentNullException",
				"Value cannot be null.\r\nParameter name: "+field+".blobIdentifier")
			return nil, false
		}
		blob := in.BlobIdentifier.IdentifierValue
		if raw, err := base64.StdEncoding.DecodeString(blob); err != nil || len(raw) != 33 {
			azureErr(w, http.StatusBadRequest, "System", "ArgumentException",
				`The blob identifier "`+blob+`" is not valid: it must be the base64 of 33 bytes (content hash and algorithm id).`)
			return nil, false
		}
		level, ok := informationLevel(in.InformationLevel)
		if !ok {
			azureErr(w, http.StatusBadRequest, "System", "ArgumentException",
				`The information level "`+in.InformationLevel+`" is not recognized.`)
			return nil, false
		}
		fresh[i] = newEntry(baseURL(r), org, reqID, in.ClientKey, blob, level, in.Size, now)
	}
	out, conflict, status := e.storeEntries(reqID, behavior, fresh)
	switch {
	case status == http.StatusNotFound:
		requestNotFound(w, reqID)
		return nil, false
	case status == http.StatusForbidden:
		requestSealed(w, reqID)
		return nil, false
	case conflict != "":
		azureErr(w, http.StatusConflict, symbolWebAPI, "DebugEntryExistsException",
			"A debug entry with client key '"+conflict+"' already exists in request "+reqID+".")
		return nil, false
	}
	return out, true
}

// writeEntries answers with Azure's collection wrapper.
func writeEntries(w http.ResponseWriter, out []DebugEntry) {
	writeJSON(w, http.StatusOK, azureJSON, struct {
		Count int          `json:"count"`
		Value []DebugEntry `json:"value"`
	}{len(out), out})
}

// storeEntries applies the create behavior to a validated batch and returns
// the entries to answer with, or the client key that made throwIfExists
// refuse the whole batch, or the status that refuses it (404 unknown
// request, 403 sealed): checked under the same lock as the store, so a
// request sealed meanwhile takes nothing.
func (e *Emulator) storeEntries(reqID, behavior string, fresh []*DebugEntry) (out []DebugEntry, conflict string, status int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	req := e.symbolState().requests[reqID]
	switch {
	case req == nil:
		return nil, "", http.StatusNotFound
	case req.Status == "sealed":
		return nil, "", http.StatusForbidden
	}
	stored := req.entries
	find := func(list []*DebugEntry, key string) int {
		for i, d := range list {
			if strings.EqualFold(d.ClientKey, key) { // keys are case-insensitive on the service
				return i
			}
		}
		return -1
	}
	if behavior == "throwIfExists" {
		for i, d := range fresh {
			if find(stored, d.ClientKey) >= 0 || find(fresh[:i], d.ClientKey) >= 0 {
				return nil, d.ClientKey, 0
			}
		}
	}
	out = make([]DebugEntry, 0, len(fresh))
	for _, d := range fresh {
		d.Status = "blobMissing"
		if e.knownBlobs[d.BlobIdentifier.IdentifierValue] {
			d.Status = "created"
		}
		switch i := find(stored, d.ClientKey); {
		case i < 0:
			stored = append(stored, d)
		case behavior == "skipIfExists":
			d = stored[i]
		default: // overwriteIfExists
			stored[i] = d
		}
		out = append(out, *d)
	}
	req.entries = stored
	return out, "", 0
}

// informationLevel validates a (possibly comma-separated, flags-style)
// level; absent means "none", the enum's zero.
func informationLevel(v string) (string, bool) {
	if strings.TrimSpace(v) == "" {
		return "none", true
	}
	var out []string
	for _, p := range strings.Split(v, ",") {
		n, ok := canonical(strings.TrimSpace(p), informationLevels)
		if !ok {
			return "", false
		}
		out = append(out, n)
	}
	return strings.Join(out, ", "), true
}

// newEntry builds an entry; its status is set when it is stored.
func newEntry(base, org, reqID, key, blob, level string, size int64, now time.Time) *DebugEntry {
	created := now.Format(azureTime)
	return &DebugEntry{
		BlobIdentifier: &BlobIdentifier{IdentifierValue: blob},
		// Where the content would be read or uploaded: on the emulator, so
		// that nothing a test does can reach a real storage account.
		BlobURI:          blobURL(base, blob, now),
		ClientKey:        key,
		InformationLevel: level,
		RequestID:        reqID,
		Size:             size,
		CreatedBy:        emulatorUserID,
		CreatedDate:      created,
		ID:               key + "/" + entryVersion,
		StorageETag:      `W/"datetime'` + url.QueryEscape(created) + `'"`,
		URL:              base + "/" + org + "/_apis/Symbol/requests/" + reqID + "/debugentries/" + key + "/" + entryVersion,
	}
}

// DebugEntries returns copies of the entries stored for a symbol request.
func (e *Emulator) DebugEntries(requestID string) []DebugEntry {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []DebugEntry
	if req := e.symbolState().requests[strings.ToLower(requestID)]; req != nil {
		for _, d := range req.entries {
			out = append(out, *d)
		}
	}
	return out
}

// HoldBlob makes the emulator hold these blobs from now on, as if their
// content had been uploaded: new entries naming them come back "created",
// and entries already stored with them turn "created" too.
func (e *Emulator) HoldBlob(ids ...string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, id := range ids {
		e.knownBlobs[id] = true
	}
	for _, req := range e.symbolState().requests {
		for _, d := range req.entries {
			if e.knownBlobs[d.BlobIdentifier.IdentifierValue] {
				d.Status = "created"
			}
		}
	}
}
