package httpx

import (
	"encoding/base64"
	"net/http"
)

// Auth sets a service's credentials on a request. The client calls it
// only for requests to the host a call started with, and redacts every
// header it sets in the -v trace.
type Auth func(h http.Header)

// BasicAuth sends HTTP Basic credentials (Authorization: Basic ...).
func BasicAuth(user, password string) Auth {
	value := "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
	return func(h http.Header) { h.Set("Authorization", value) }
}

// BearerAuth sends a bearer token (Authorization: Bearer ...).
func BearerAuth(token string) Auth {
	value := "Bearer " + token
	return func(h http.Header) { h.Set("Authorization", value) }
}

// HeaderAuth sends a secret in a header of the vendor's (X-Auth-Token,
// PgrApiKey). The name is sent exactly as given: some servers match
// header names case-sensitively.
func HeaderAuth(name, value string) Auth {
	return func(h http.Header) { h[name] = []string{value} }
}

// headers lists the header names a sets (by calling it on an empty
// header), so that the trace redacts them whatever they are.
func (a Auth) headers() []string {
	if a == nil {
		return nil
	}
	h := http.Header{}
	a(h)
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	return names
}
