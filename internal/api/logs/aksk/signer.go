// Package aksk signs Huawei Cloud API requests with an access key and a
// secret key (the API gateway's "SDK-HMAC-SHA256" scheme, as
// huaweicloud-sdk-go-v3's core/auth/signer does it; FACTS.md section 2).
//
// Sign is a pure function of the request (method, URL, host, body hash),
// the keys and the time: it reads no clock and no environment, so the
// caller decides the time and tests can pin it. SignRequest is the thin
// wrapper that puts the result on an *http.Request.
package aksk

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// The scheme's names, as the gateway expects them.
const (
	Algorithm  = "SDK-HMAC-SHA256"
	DateHeader = "X-Sdk-Date"       // the signing time, DateFormat, UTC
	DateFormat = "20060102T150405Z" // e.g. 20240506T070809Z

	ProjectHeader       = "X-Project-Id"     // project-scoped credentials
	SecurityTokenHeader = "X-Security-Token" // temporary credentials

	// EmptyBodySHA256 is the hex SHA-256 of an empty body (a GET).
	EmptyBodySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

// Keys are the credentials a request is signed with. AccessKey and
// SecretKey are required; ProjectID and SecurityToken are sent (and
// signed) when set.
type Keys struct {
	AccessKey string
	SecretKey string // never printed; only its HMAC leaves the process
	// ProjectID is sent as X-Project-Id (project-level AK/SK).
	ProjectID string
	// SecurityToken is sent as X-Security-Token (temporary AK/SK from
	// IAM's securitytokens API). It is a secret: redact it in traces.
	SecurityToken string
}

// Request is what the signature covers.
type Request struct {
	Method string   // "" means GET
	URL    *url.URL // path and query are signed; scheme and fragment are not
	// Host is the Host header the request will carry; "" means URL.Host.
	Host string
	// BodySHA256 is the hex SHA-256 of the body (HashBody); "" means an
	// empty body.
	BodySHA256 string
}

// Signature is the result of Sign: the headers to send, and the
// intermediate strings, which a trace or a test may want to see (none of
// them holds the secret key).
type Signature struct {
	Date             string   // the X-Sdk-Date value
	SignedHeaders    []string // lower-case, sorted
	CanonicalRequest string
	StringToSign     string
	Signature        string // hex HMAC-SHA256 of StringToSign with the SK
	Authorization    string // the Authorization header value
	// Header holds every header to set on the request: X-Sdk-Date,
	// Authorization and, when the keys have them, X-Project-Id and
	// X-Security-Token.
	Header http.Header
}

// HashBody is the hex SHA-256 of a request body.
func HashBody(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// Sign computes the signature of r with k at time t (converted to UTC).
func Sign(r Request, k Keys, t time.Time) (Signature, error) {
	if k.AccessKey == "" || k.SecretKey == "" {
		return Signature{}, errors.New("aksk: both an access key and a secret key are needed")
	}
	if r.URL == nil {
		return Signature{}, errors.New("aksk: no URL to sign")
	}
	method := strings.ToUpper(r.Method)
	if method == "" {
		method = http.MethodGet
	}
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	if host == "" {
		return Signature{}, errors.New("aksk: the request has no host")
	}
	bodyHash := strings.ToLower(r.BodySHA256)
	if bodyHash == "" {
		bodyHash = EmptyBodySHA256
	}
	query, err := CanonicalQuery(r.URL.RawQuery)
	if err != nil {
		return Signature{}, err
	}
	date := t.UTC().Format(DateFormat)

	// The headers to sign, by lower-case name. Only these travel signed:
	// the gateway needs host and x-sdk-date; the optional credential
	// headers are signed so they cannot be swapped in transit.
	values := map[string]string{"host": host, "x-sdk-date": date}
	out := http.Header{}
	out.Set(DateHeader, date)
	if k.ProjectID != "" {
		values["x-project-id"] = k.ProjectID
		out.Set(ProjectHeader, k.ProjectID)
	}
	if k.SecurityToken != "" {
		values["x-security-token"] = k.SecurityToken
		out.Set(SecurityTokenHeader, k.SecurityToken)
	}
	signed := make([]string, 0, len(values))
	for name := range values {
		signed = append(signed, name)
	}
	sort.Strings(signed)
	var headers strings.Builder
	for _, name := range signed {
		headers.WriteString(name + ":" + strings.TrimSpace(values[name]) + "\n")
	}
	signedList := strings.Join(signed, ";")

	canonical := method + "\n" +
		CanonicalURI(r.URL) + "\n" +
		query + "\n" +
		headers.String() + "\n" +
		signedList + "\n" +
		bodyHash
	crHash := sha256.Sum256([]byte(canonical))
	toSign := Algorithm + "\n" + date + "\n" + hex.EncodeToString(crHash[:])
	mac := hmac.New(sha256.New, []byte(k.SecretKey))
	mac.Write([]byte(toSign))
	sig := hex.EncodeToString(mac.Sum(nil))
	auth := fmt.Sprintf("%s Access=%s, SignedHeaders=%s, Signature=%s", Algorithm, k.AccessKey, signedList, sig)
	out.Set("Authorization", auth)
	return Signature{
		Date:             date,
		SignedHeaders:    signed,
		CanonicalRequest: canonical,
		StringToSign:     toSign,
		Signature:        sig,
		Authorization:    auth,
		Header:           out,
	}, nil
}

// SignRequest signs req at time t and sets the resulting headers on it.
// bodySHA256 is HashBody of the body req will send ("" for none): the
// caller knows the body, an http.Request may not hold it any more.
func SignRequest(req *http.Request, bodySHA256 string, k Keys, t time.Time) error {
	s, err := Sign(Request{Method: req.Method, URL: req.URL, Host: req.Host, BodySHA256: bodySHA256}, k, t)
	if err != nil {
		return err
	}
	for name, v := range s.Header {
		req.Header[name] = v
	}
	return nil
}

// CanonicalURI is the request path with each segment percent-escaped
// (everything but A-Za-z0-9-_.~) and a trailing "/" added. The trailing
// slash exists only here: the request itself is sent without it.
// Segments are split on the escaped path, so an escaped "/" (%2F) inside
// a segment stays one segment.
func CanonicalURI(u *url.URL) string {
	segs := strings.Split(u.EscapedPath(), "/")
	for i, s := range segs {
		if dec, err := url.PathUnescape(s); err == nil {
			s = dec
		}
		segs[i] = escape(s)
	}
	p := strings.Join(segs, "/")
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// CanonicalQuery sorts the query by key, then the values of a repeated
// key, and escapes both (everything but A-Za-z0-9-_.~) as k=v joined by
// "&". A key without "=" counts as an empty value. "+" in the raw query
// means a space, as url.ParseQuery reads it.
func CanonicalQuery(rawQuery string) (string, error) {
	if rawQuery == "" {
		return "", nil
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return "", fmt.Errorf("aksk: cannot sign the query %q: %w", rawQuery, err)
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		vs := append([]string(nil), q[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			parts = append(parts, escape(k)+"="+escape(v))
		}
	}
	return strings.Join(parts, "&"), nil
}

// escape percent-encodes every byte outside A-Za-z0-9-_.~ with upper-case
// hex digits, as the gateway does (url.QueryEscape differs: it writes a
// space as "+" and leaves some characters alone).
func escape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}
