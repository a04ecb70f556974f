package cmdutil

import (
	"net/url"

	"github.com/diagctl/diagctl/internal/api"
	"github.com/diagctl/diagctl/internal/httpx"
)

// HTTPClient turns a service's description into a ready client: its base
// URL from its settings, the user name and secret it needs (the secret
// from stdin when secretFromStdin, else the environment or config file,
// else a no-echo prompt; an optional one only when set), the global and
// per-service HTTP settings (timeout, retries, TLS, -v trace), its auth,
// the redaction of its secret headers and its error decoder. Every
// missing or bad setting is a usage error (exit 2) before anything is
// sent. A service with SelectAuth gets the auth kind its settings name
// (api.Service.ResolveAuth), checked before any secret is asked for.
func (f *Factory) HTTPClient(svc api.Service, secretFromStdin bool) (*httpx.Client, error) {
	cfg, err := f.Config()
	if err != nil {
		return nil, err
	}
	base, err := svc.BaseURL(cfg)
	if err != nil {
		return nil, err
	}
	if svc, err = svc.ResolveAuth(cfg); err != nil {
		return nil, err
	}
	var user, secret string
	if svc.UserKey != "" {
		if user, err = cfg.Require(svc.UserKey); err != nil {
			return nil, err
		}
	}
	if s := svc.Secret; s.Key != "" {
		spec := SecretSpec{Key: s.Key, StdinFlag: "--" + s.StdinFlag, FromStdin: secretFromStdin, Optional: s.Optional}
		if s.Prompt != nil {
			spec.Label = s.Prompt(user, base.Host)
		}
		if secret, err = f.Secret(spec); err != nil {
			return nil, err
		}
	}
	return f.newClient(svc, base, svc.NewAuth(user, secret))
}

// HTTPClientWithAuth is HTTPClient for a service whose credentials the
// command resolves itself (one of several kinds, a signer, a token it
// logs in for): everything but the secret comes from svc as in
// HTTPClient, and auth (nil for none) goes on every request.
func (f *Factory) HTTPClientWithAuth(svc api.Service, auth httpx.Auth) (*httpx.Client, error) {
	cfg, err := f.Config()
	if err != nil {
		return nil, err
	}
	base, err := svc.BaseURL(cfg)
	if err != nil {
		return nil, err
	}
	return f.newClient(svc, base, auth)
}

func (f *Factory) newClient(svc api.Service, base *url.URL, auth httpx.Auth) (*httpx.Client, error) {
	o, err := f.HTTPOptions(svc.Name)
	if err != nil {
		return nil, err
	}
	o.Base = base
	o.Auth = auth
	o.SecretHeaders = svc.SecretHeaders
	o.RedactHeader = svc.RedactHeader
	o.DecodeError = svc.DecodeError
	return httpx.New(o)
}
