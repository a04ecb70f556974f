// Package api holds what every service client shares: Service, the one
// value through which a vendor API describes itself to the shared layers
// (cmdutil turns it into a ready *httpx.Client; httpx redacts and decodes
// errors from it). Each internal/api/<service> package exports one.
package api

import (
	"net/http"
	"net/url"

	"github.com/diagctl/diagctl/internal/httpx"
)

// Settings is how a service reads its settings (*config.Config).
type Settings interface {
	// String is the resolved value of key ("" when unset).
	String(key string) string
	// Require is the value of key, or a usage error naming the flag, the
	// variable and the config key that would set it.
	Require(key string) (string, error)
}

// AuthKind is how a service takes its credential.
type AuthKind int

const (
	NoAuth AuthKind = iota
	Basic           // Authorization: Basic, with User and the secret
	Bearer          // Authorization: Bearer, the secret
	Header          // the secret in AuthHeader (X-Auth-Token, PgrApiKey)
)

// Secret is where a service's credential comes from: stdin with its
// flag, else the environment or config file, else a no-echo prompt.
type Secret struct {
	Key       string // config key, e.g. "sandbox.password"
	StdinFlag string // the flag that reads it from stdin, e.g. "password-stdin"
	StdinHelp string // that flag's help text
	// Optional: sent only when set. Missing is not an error and nobody is
	// prompted (the Radar API key).
	Optional bool
	// Prompt is the prompt's text, given the user name ("" without one)
	// and the server's host.
	Prompt func(user, host string) string
}

// ResolveAuth returns s with its auth kind decided: SelectAuth's choice
// when it has one, else s unchanged.
func (s Service) ResolveAuth(st Settings) (Service, error) {
	if s.SelectAuth == nil {
		return s, nil
	}
	kind, err := s.SelectAuth(st)
	if err != nil {
		return s, err
	}
	s.Auth = kind
	return s, nil
}

// Service describes one vendor API.
type Service struct {
	Name string // "sandbox": settings prefix (ca-cert, insecure), messages
	Auth AuthKind
	// SelectAuth, when set, picks the auth kind from the settings (a
	// service that takes one secret in several ways: a token sent as
	// Basic or as Bearer, as the user chooses); it replaces Auth for the
	// client being built. A bad setting is a usage error. nil means Auth.
	SelectAuth func(s Settings) (AuthKind, error)
	AuthHeader string // the header for Header auth, spelled as the vendor does
	UserKey    string // Basic: the user name's setting (required)
	Secret     Secret // the credential; Key "" for a service without one
	// SecretHeaders are other headers that carry secrets (a token the
	// service sends back), redacted in -v traces. The auth header is
	// always redacted.
	SecretHeaders []string
	// RedactHeader shows one of the secret headers partly in -v traces
	// (see httpx.Options.RedactHeader): a signature scheme's access key
	// and signed header names, say. nil redacts secret headers whole.
	RedactHeader func(name, value string) (string, bool)
	// DecodeError maps the vendor's error bodies (see httpx.Options).
	DecodeError func(resp *http.Response, body []byte) *httpx.APIError
	// BaseURL resolves the service's URL from its settings; a missing or
	// bad setting is a usage error.
	BaseURL func(s Settings) (*url.URL, error)
}

// NewAuth is the request hook for the resolved credentials; nil when an
// optional secret is not set.
func (s Service) NewAuth(user, secret string) httpx.Auth {
	if secret == "" && s.Secret.Optional {
		return nil
	}
	switch s.Auth {
	case Basic:
		return httpx.BasicAuth(user, secret)
	case Bearer:
		return httpx.BearerAuth(secret)
	case Header:
		return httpx.HeaderAuth(s.AuthHeader, secret)
	}
	return nil
}
