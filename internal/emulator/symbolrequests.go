package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Symbol requests: created with a name (unique, compared without regard to
// case), open ("created") until sealed, and kept with their entries for as
// long as the emulator lives. A new request's id is the hex SHA-256 of
// "diagctl emulator symbol request " and its lower-cased name, so a name
// always gives the same id (tests can predict it: SymbolRequestID).

// symbolStore is the symbol service's state, guarded by Emulator.mu.
type symbolStore struct {
	requests map[string]*symbolRequest // by lower-case id
	names    map[string]string         // lower-case name -> id
}

type symbolRequest struct {
	ID          string
	Name        string
	Description string
	Expires     time.Time
	Created     time.Time
	Status      string // "created" or "sealed"
	preview     bool   // entries POST wants "-preview" (SymbolRequestPreview)
	entries     []*DebugEntry
}

// SymbolRequest is a symbol request as the service returns it.
type SymbolRequest struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	Description    string `json:"description,omitempty"`
	ExpirationDate string `json:"expirationDate"`
	Status         string `json:"status"`
	Size           int64  `json:"size"`
	IsChunked      bool   `json:"isChunked"`
	CreatedBy      string `json:"createdBy"`
	CreatedDate    string `json:"createdDate"`
	StorageETag    string `json:"storageETag"`
	URL            string `json:"url"`
}

// defaultRequestExpiry is what the service gives a request created
// without an expiration date.
const defaultRequestExpiry = 30 * 24 * time.Hour

// fixtureExpiry is far enough away that the fixture requests never expire.
var fixtureExpiry = time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)

// SymbolRequestID is the id the emulator gives a request created with name.
func SymbolRequestID(name string) string {
	sum := sha256.Sum256([]byte("diagctl emulator symbol request " + strings.ToLower(name)))
	return hex.EncodeToString(sum[:])
}

// symbolState returns the store, made with the fixture requests on first
// use (start-up stays cheap). e.mu must be held.
func (e *Emulator) symbolState() *symbolStore {
	if e.symbols != nil {
		return e.symbols
	}
	s := &symbolStore{requests: map[string]*symbolRequest{}, names: map[string]string{}}
	now := time.Now().UTC()
	for _, f := range symbolFixtures {
		s.add(&symbolRequest{ID: f.id, Name: f.name, Status: f.status, preview: f.preview,
			Description: "emulator fixture", Expires: fixtureExpiry, Created: now})
	}
	e.symbols = s
	return s
}

// symbolFixtures are the requests every emulator starts with.
var symbolFixtures = []struct {
	id, name, status string
	preview          bool
}{
	{SymbolRequestOpen, SymbolRequestOpenName, "created", false},
	{SymbolRequestSealed, SymbolRequestSealedName, "sealed", false},
	{SymbolRequest429, SymbolRequest429Name, "created", false},
	{SymbolRequestDrop, SymbolRequestDropName, "created", false},
	{SymbolRequestPreview, SymbolRequestPreviewName, "created", true},
}

func (s *symbolStore) add(r *symbolRequest) {
	s.requests[r.ID] = r
	s.names[strings.ToLower(r.Name)] = r.ID
}

// view is the request as the service shows it. e.mu must be held.
func (r *symbolRequest) view(base, org string) SymbolRequest {
	var size int64
	for _, d := range r.entries {
		size += d.Size
	}
	created := r.Created.Format(azureTime)
	return SymbolRequest{
		ID: r.ID, Name: r.Name, Description: r.Description,
		ExpirationDate: r.Expires.Format(azureTime), Status: r.Status, Size: size,
		CreatedBy: emulatorUserID, CreatedDate: created,
		StorageETag: `W/"datetime'` + url.QueryEscape(created) + `'"`,
		URL:         base + "/" + org + "/_apis/Symbol/requests/" + r.ID,
	}
}

// SymbolRequests returns the requests the emulator holds (fixtures
// included), in no particular order.
func (e *Emulator) SymbolRequests() []SymbolRequest {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []SymbolRequest
	for _, r := range e.symbolState().requests {
		out = append(out, r.view("", SymbolsOrg))
	}
	return out
}

func requestNotFound(w http.ResponseWriter, id string) {
	azureErr(w, http.StatusNotFound, symbolWebAPI, "RequestNotFoundException", "Request "+id+" was not found.")
}

func requestSealed(w http.ResponseWriter, id string) {
	azureErr(w, http.StatusForbidden, symbolWebAPI, "RequestSealedException",
		"Request "+id+" is sealed: debug entries can no longer be added to it.")
}

func requestBody(r *http.Request) []byte {
	b, _ := io.ReadAll(r.Body) // already in memory: ServeHTTP read it
	return b
}

// requestFields is what a client may send for a request.
type requestFields struct {
	Name           string     `json:"name"`
	Description    string     `json:"description"`
	ExpirationDate *time.Time `json:"expirationDate"`
	Status         string     `json:"status"`
}

func decodeRequestBody(w http.ResponseWriter, r *http.Request) (requestFields, bool) {
	var f requestFields
	body := requestBody(r)
	if len(strings.TrimSpace(string(body))) == 0 {
		azureErr(w, http.StatusBadRequest, "System", "ArgumentNullException", "Value cannot be null.\r\nParameter name: request")
		return f, false
	}
	if err := json.Unmarshal(body, &f); err != nil {
		azureErr(w, http.StatusBadRequest, vssWebAPI, "VssRequestContentException", "The request body is not a valid Request: "+err.Error())
		return f, false
	}
	return f, true
}

// serveRequests: POST /{org}/_apis/symbol/requests creates a request.
func (e *Emulator) serveRequests(w http.ResponseWriter, r *http.Request, org string, _ []string) {
	if r.Method != http.MethodPost {
		methodNotAllowed(w, r, "POST")
		return
	}
	if !e.checkAPIVersion(w, r, false) {
		return
	}
	f, ok := decodeRequestBody(w, r)
	if !ok {
		return
	}
	if strings.TrimSpace(f.Name) == "" {
		azureErr(w, http.StatusBadRequest, "System", "ArgumentException", "A symbol request needs a name.\r\nParameter name: name")
		return
	}
	now := time.Now().UTC()
	expires := now.Add(defaultRequestExpiry)
	if f.ExpirationDate != nil {
		if !f.ExpirationDate.After(now) {
			azureErr(w, http.StatusBadRequest, "System", "ArgumentException", "The expiration date "+f.ExpirationDate.UTC().Format(time.RFC3339)+" is not in the future.")
			return
		}
		expires = f.ExpirationDate.UTC()
	}
	e.mu.Lock()
	s := e.symbolState()
	if _, taken := s.names[strings.ToLower(f.Name)]; taken {
		e.mu.Unlock()
		// The type key is the emulator's guess: match on 409, not on it.
		azureErr(w, http.StatusConflict, symbolWebAPI, "RequestExistsException",
			"A symbol request with the name '"+f.Name+"' already exists.")
		return
	}
	req := &symbolRequest{ID: SymbolRequestID(f.Name), Name: f.Name, Description: f.Description,
		Expires: expires, Created: now, Status: "created"}
	s.add(req)
	v := req.view(baseURL(r), org)
	e.mu.Unlock()
	w.Header().Set("Location", v.URL)
	writeJSON(w, http.StatusCreated, azureJSON, v)
}

// serveRequest: GET shows, PATCH seals (or changes the expiry), POST with
// collection=debugentries adds entries to /{org}/_apis/symbol/requests/{id}.
func (e *Emulator) serveRequest(w http.ResponseWriter, r *http.Request, org string, rest []string) {
	id := strings.ToLower(rest[0])
	switch r.Method {
	case http.MethodGet, http.MethodPatch:
		if !e.checkAPIVersion(w, r, false) {
			return
		}
		if r.Method == http.MethodGet {
			e.showRequest(w, r, org, id)
		} else {
			e.patchRequest(w, r, org, id)
		}
	case http.MethodPost:
		e.mu.Lock()
		req := e.symbolState().requests[id]
		preview, sealed := req != nil && req.preview, req != nil && req.Status == "sealed"
		e.mu.Unlock()
		if !e.checkAPIVersion(w, r, preview) {
			return
		}
		// The request is checked before the body, as the service does;
		// storeEntries checks again under the store's lock.
		switch {
		case req == nil:
			requestNotFound(w, id)
			return
		case sealed:
			requestSealed(w, id)
			return
		}
		if c := r.URL.Query().Get("collection"); !strings.EqualFold(c, "debugentries") {
			azureErr(w, http.StatusBadRequest, "System", "ArgumentException",
				`The collection "`+c+`" is not valid for a symbol request: it must be "debugentries".`)
			return
		}
		e.postEntries(w, r, org, id)
	default:
		methodNotAllowed(w, r, "GET, PATCH, POST")
	}
}

func (e *Emulator) showRequest(w http.ResponseWriter, r *http.Request, org, id string) {
	e.mu.Lock()
	req := e.symbolState().requests[id]
	var v SymbolRequest
	if req != nil {
		v = req.view(baseURL(r), org)
	}
	e.mu.Unlock()
	if req == nil {
		requestNotFound(w, id)
		return
	}
	writeJSON(w, http.StatusOK, azureJSON, v)
}

// patchRequest seals a request ({"status":"sealed"}; sealing a sealed one
// again is answered the same way) or, with no status (or "none"), changes
// its expiration date; a sealed request cannot be reopened.
func (e *Emulator) patchRequest(w http.ResponseWriter, r *http.Request, org, id string) {
	f, ok := decodeRequestBody(w, r)
	if !ok {
		return
	}
	status := strings.ToLower(f.Status)
	if status != "" && status != "none" && status != "sealed" {
		azureErr(w, http.StatusBadRequest, "System", "ArgumentException",
			`The status "`+f.Status+`" cannot be set on a request: send "sealed" to seal it.`)
		return
	}
	if f.ExpirationDate != nil && !f.ExpirationDate.After(time.Now()) {
		azureErr(w, http.StatusBadRequest, "System", "ArgumentException", "The expiration date "+f.ExpirationDate.UTC().Format(time.RFC3339)+" is not in the future.")
		return
	}
	e.mu.Lock()
	req := e.symbolState().requests[id]
	var v SymbolRequest
	if req != nil {
		if status == "sealed" {
			req.Status = "sealed"
		}
		if f.ExpirationDate != nil {
			req.Expires = f.ExpirationDate.UTC()
		}
		v = req.view(baseURL(r), org)
	}
	e.mu.Unlock()
	if req == nil {
		requestNotFound(w, id)
		return
	}
	writeJSON(w, http.StatusOK, azureJSON, v)
}
