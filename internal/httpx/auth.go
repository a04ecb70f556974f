package httpx

import (
	"encoding/base64"
	"errors"
	"net/http"
)

// Auth puts a service's credentials on one attempt of a request. It sees
// the whole request (method, URL, Host, a replayable body through
// GetBody), so it can sign it as well as set a header. The client calls
// it again on every attempt (a retry, a transfer's resume, a same-host
// redirect), so a timestamped signature is always fresh, and only for
// requests to the host the call started with. An error stops the
// request: it is returned as it is and never retried.
type Auth func(req *http.Request) error

// BasicAuth sends HTTP Basic credentials (Authorization: Basic ...).
func BasicAuth(user, password string) Auth {
	value := "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
	return func(r *http.Request) error { r.Header.Set("Authorization", value); return nil }
}

// BearerAuth sends a bearer token (Authorization: Bearer ...).
func BearerAuth(token string) Auth {
	value := "Bearer " + token
	return func(r *http.Request) error { r.Header.Set("Authorization", value); return nil }
}

// HeaderAuth sends a secret in a header of the vendor's (X-Auth-Token,
// PgrApiKey). The name is sent exactly as given: some servers match
// header names case-sensitively.
func HeaderAuth(name, value string) Auth {
	return func(r *http.Request) error { r.Header[name] = []string{value}; return nil }
}

// headers lists the header names a sets, by applying it to a probe
// request, so that the trace redacts them whatever they are.
func (a Auth) headers() []string {
	if a == nil {
		return nil
	}
	probe, err := http.NewRequest(http.MethodGet, "https://auth-probe.invalid/", nil)
	if err != nil {
		return nil
	}
	_ = a(probe) // a failing probe sets fewer headers; the real call reports its error
	names := make([]string, 0, len(probe.Header))
	for k := range probe.Header {
		names = append(names, k)
	}
	return names
}

// authError carries an Auth failure through the transport, so that Send
// can tell it from a network error and not retry it.
type authError struct{ err error }

func (e *authError) Error() string { return e.err.Error() }
func (e *authError) Unwrap() error { return e.err }

// asAuthError finds an Auth failure in a transport error.
func asAuthError(err error) (error, bool) {
	var ae *authError
	if errors.As(err, &ae) {
		return ae.err, true
	}
	return nil, false
}
