package symbols

import (
	"encoding/json"
	"time"
)

// BlobIdentifier names a blob by its content: standard base64 of 33 bytes
// (the 32-byte VSO hash and an algorithm byte), 44 characters.
type BlobIdentifier struct {
	IdentifierValue string `json:"identifierValue"`
}

// DebugEntry is one entry as diagctl sends it: only the fields a client
// sets when it creates entries. Everything else in the service's
// DebugEntry model is assigned by the service (see StoredEntry).
type DebugEntry struct {
	BlobIdentifier BlobIdentifier `json:"blobIdentifier"`
	ClientKey      string         `json:"clientKey"`
	// InformationLevel is one of InformationLevels, or "" to leave it to
	// the service (which then uses "none").
	InformationLevel string `json:"informationLevel,omitempty"`
	// Size is the file's size in bytes; nil when it is not known (a single
	// --client-key entry without --size), so that nothing made up is sent.
	Size *int64 `json:"size,omitempty"`
}

// DebugEntryCreateBatch is the body of one entries POST. CreateBehavior is
// left out when the user did not choose one (the service then throws if a
// key exists); proofNodes, only for chunk-dedup requests, is never sent.
type DebugEntryCreateBatch struct {
	CreateBehavior string       `json:"createBehavior,omitempty"`
	DebugEntries   []DebugEntry `json:"debugEntries"`
}

// Debug entry statuses, as the service returns them.
const (
	StatusCreated     = "created"     // the blob is stored: the entry is usable
	StatusBlobMissing = "blobMissing" // the blob's content must be uploaded before sealing
	StatusNone        = "none"        // undefined in this context
)

// StoredEntry is a debug entry as the service returns it. Raw is the
// entry's JSON exactly as received, for --json output that passes the
// service's answer on unchanged (fields this model does not know included).
type StoredEntry struct {
	BlobIdentifier   *BlobIdentifier `json:"blobIdentifier,omitempty"`
	BlobURI          string          `json:"blobUri,omitempty"`
	ClientKey        string          `json:"clientKey"`
	InformationLevel string          `json:"informationLevel,omitempty"`
	RequestID        string          `json:"requestId,omitempty"`
	Size             int64           `json:"size"`
	Status           string          `json:"status"`
	CreatedBy        string          `json:"createdBy,omitempty"`
	CreatedDate      string          `json:"createdDate,omitempty"`
	ID               string          `json:"id"`
	StorageETag      string          `json:"storageETag,omitempty"`
	URL              string          `json:"url,omitempty"`

	Raw json.RawMessage `json:"-"`
}

// Symbol request statuses.
const (
	RequestCreated     = "created"     // open: takes debug entries
	RequestSealed      = "sealed"      // final: takes no more entries
	RequestUnavailable = "unavailable" // gone, possibly deleted
)

// Request is a symbol request as the service returns it. Raw is its JSON as
// received.
type Request struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	Description    string `json:"description,omitempty"`
	ExpirationDate string `json:"expirationDate,omitempty"`
	Status         string `json:"status"`
	Size           int64  `json:"size"`
	IsChunked      bool   `json:"isChunked"`
	CreatedBy      string `json:"createdBy,omitempty"`
	CreatedDate    string `json:"createdDate,omitempty"`
	StorageETag    string `json:"storageETag,omitempty"`
	URL            string `json:"url,omitempty"`

	Raw json.RawMessage `json:"-"`
}

// Expires parses ExpirationDate. Azure writes dates with or without a zone
// and with up to seven fractional digits; a date without a zone is UTC.
func (r *Request) Expires() (time.Time, bool) { return parseAzureTime(r.ExpirationDate) }

func parseAzureTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// RequestCreate is the body of POST {org}/_apis/symbol/requests. Without an
// expiration date the service keeps the request 30 days.
type RequestCreate struct {
	Name           string     `json:"name"`
	Description    string     `json:"description,omitempty"`
	ExpirationDate *time.Time `json:"expirationDate,omitempty"`
}

// RequestSeal is the body of PATCH {org}/_apis/symbol/requests/{id} that
// seals a request.
type RequestSeal struct {
	Status string `json:"status"`
}

// SealBody returns the PATCH body that seals a request.
func SealBody() RequestSeal { return RequestSeal{Status: RequestSealed} }
