package symbols

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// MaxResponseBody bounds what a client should read of any answer from the
// symbol service: a batch of 100 entries comes back in well under 1 MiB.
const MaxResponseBody = 16 << 20

// IsSignInPage reports whether an answer is an HTML page (Azure's sign-in
// or access-denied page) rather than the JSON that was asked for: by its
// Content-Type, or by a body that starts with '<' whatever the type says.
func IsSignInPage(h http.Header, body []byte) bool {
	if mt, _, err := mime.ParseMediaType(h.Get("Content-Type")); err == nil && (mt == "text/html" || mt == "application/xhtml+xml") {
		return true
	}
	b := bytes.TrimLeft(bytes.TrimPrefix(body, utf8BOM), " \t\r\n")
	return len(b) > 0 && b[0] == '<'
}

var utf8BOM = []byte("\xef\xbb\xbf")

// DecodeError turns a non-success answer into an error: a *SignInError
// for an HTML page on 401, 403, or a status below 400; else a
// *ServiceError with Azure's fields when the body has them (any other body
// is ignored: the status alone decides).
func DecodeError(op Op, status int, h http.Header, body []byte) error {
	if IsSignInPage(h, body) && (status < 400 || status == 401 || status == 403) {
		return &SignInError{Status: status}
	}
	e := &ServiceError{Op: op, Status: status}
	if status == 429 || status == 503 {
		e.RetryAfter = h.Get("Retry-After")
	}
	var b struct {
		Message   string `json:"message"`
		TypeName  string `json:"typeName"`
		TypeKey   string `json:"typeKey"`
		ErrorCode int    `json:"errorCode"`
		EventID   int    `json:"eventId"`
	}
	if json.Unmarshal(bytes.TrimPrefix(body, utf8BOM), &b) == nil {
		e.Message, e.TypeName, e.TypeKey, e.ErrorCode, e.EventID = b.Message, b.TypeName, b.TypeKey, b.ErrorCode, b.EventID
	}
	if e.Message == "" {
		// Azure also puts the message in a header, URL-escaped.
		if m, err := url.QueryUnescape(h.Get("X-TFS-ServiceError")); err == nil {
			e.Message = m
		}
	}
	e.classify()
	return e
}

// DecodeEntries decodes the answer to an entries POST: on 200 the
// collection wrapper {"count": n, "value": [...]} or a bare array, each
// entry with its raw JSON; any other status, or an HTML page with any
// status, is an error from DecodeError.
func DecodeEntries(status int, h http.Header, body []byte) ([]StoredEntry, error) {
	if err := answerError(OpCreateEntries, status, h, body); err != nil {
		return nil, err
	}
	raws, err := collection(body)
	if err != nil {
		return nil, err
	}
	out := make([]StoredEntry, len(raws))
	for i, raw := range raws {
		if err := json.Unmarshal(raw, &out[i]); err != nil {
			return nil, fmt.Errorf("symbols: entry %d of the answer is not a debug entry: %v", i, err)
		}
		out[i].Raw = raw
	}
	return out, nil
}

// DecodeRequest decodes a symbol request from the answer to op
// (OpCreateRequest, OpSealRequest, OpShowRequest).
func DecodeRequest(op Op, status int, h http.Header, body []byte) (*Request, error) {
	if err := answerError(op, status, h, body); err != nil {
		return nil, err
	}
	var r Request
	if err := json.Unmarshal(bytes.TrimPrefix(body, utf8BOM), &r); err != nil {
		return nil, fmt.Errorf("symbols: the answer is not a symbol request: %v", err)
	}
	if r.ID == "" {
		return nil, fmt.Errorf("symbols: the answer is not a symbol request: it has no id")
	}
	r.Raw = json.RawMessage(bytes.TrimPrefix(body, utf8BOM))
	return &r, nil
}

// answerError is the error for an answer that is not a 2xx JSON body.
func answerError(op Op, status int, h http.Header, body []byte) error {
	if status < 200 || status > 299 || IsSignInPage(h, body) {
		return DecodeError(op, status, h, body)
	}
	return nil
}

// collection returns the elements of Azure's collection wrapper, or of a
// bare array.
func collection(body []byte) ([]json.RawMessage, error) {
	body = bytes.TrimLeft(bytes.TrimPrefix(body, utf8BOM), " \t\r\n")
	if len(body) > 0 && body[0] == '[' {
		var arr []json.RawMessage
		if err := json.Unmarshal(body, &arr); err != nil {
			return nil, fmt.Errorf("symbols: the answer is not a list of debug entries: %v", err)
		}
		return arr, nil
	}
	var w struct {
		Count *int               `json:"count"`
		Value *[]json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, fmt.Errorf("symbols: the answer is not a list of debug entries: %v", err)
	}
	if w.Value == nil {
		return nil, fmt.Errorf("symbols: the answer has no \"value\" list of debug entries")
	}
	return *w.Value, nil
}

// Lookup is the outcome of a symsrv lookup that the service answered.
type Lookup struct {
	Found bool
	// Location is where a 302 points, with any signature redacted
	// (RedactURL): safe to print. Empty for a 200.
	Location string
	// Entry is the metadata a 200 answer carries, when it is a debug entry.
	Entry *StoredEntry
}

// DecodeLookup decodes the answer to GET symsrv/{clientKey}, sent without
// following redirects: 301, 302, 303, 307, 308 and 200 are found, 404 is
// missing, anything else (or an HTML page) is an error.
func DecodeLookup(status int, h http.Header, body []byte) (Lookup, error) {
	switch status {
	case 301, 302, 303, 307, 308:
		return Lookup{Found: true, Location: RedactURL(h.Get("Location"))}, nil
	case 404:
		return Lookup{}, nil
	case 200:
		if IsSignInPage(h, body) {
			return Lookup{}, &SignInError{Status: status}
		}
		l := Lookup{Found: true}
		var e StoredEntry
		if json.Unmarshal(bytes.TrimPrefix(body, utf8BOM), &e) == nil && e.ClientKey != "" {
			e.Raw = json.RawMessage(body)
			l.Entry = &e
		}
		return l, nil
	}
	return Lookup{}, DecodeError(OpLookup, status, h, body)
}

// credentialParams are query parameters that make a URL a credential:
// Azure Storage SAS signatures and the like.
var credentialParams = []string{"sig", "signature", "x-amz-signature", "token", "access_token"}

// RedactURL replaces the values of credential query parameters (an Azure
// SAS "sig", ...) with "[redacted]", so a signed URL can be printed. A
// value that does not parse as a URL is returned as "[redacted URL]".
func RedactURL(s string) string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		return "[redacted URL]"
	}
	u.User = nil
	if u.RawQuery == "" {
		return u.String()
	}
	parts := strings.Split(u.RawQuery, "&")
	for i, p := range parts {
		k, _, _ := strings.Cut(p, "=")
		if name, err := url.QueryUnescape(k); err == nil {
			for _, c := range credentialParams {
				if strings.EqualFold(name, c) {
					parts[i] = k + "=[redacted]"
				}
			}
		}
	}
	u.RawQuery = strings.Join(parts, "&")
	return u.String()
}
