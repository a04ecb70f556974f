package symbols

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/diagctl/diagctl/internal/api"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/safetext"
)

// Setting keys (config.Settings rows).
const (
	OrganizationKey = "symbols.organization"
	URLKey          = "symbols.url"
	TokenKey        = "symbols.token"
	AuthKey         = "symbols.auth"
)

// Auth kinds of the symbols.auth setting.
const (
	AuthPAT    = "pat"    // a personal access token, sent as Basic with an empty user name
	AuthBearer = "bearer" // a Microsoft Entra token, sent as Bearer
)

// Service is the symbol service as the shared layers see it. Its base URL
// is the service URL with the organization appended
// (https://artifacts.dev.azure.com/fabrikam): every call names the
// organization first, so requests only add "_apis", "symbol", ....
// The token is sent as HTTP Basic with an empty user name (auth pat, the
// default) or as a Bearer token (auth bearer): SelectAuth reads
// symbols.auth.
var Service = api.Service{
	Name:       "symbols",
	Auth:       api.Basic,
	SelectAuth: SelectAuth,
	Secret: api.Secret{
		Key:       TokenKey,
		StdinFlag: "token-stdin",
		StdinHelp: "read the token (PAT, or Entra token with --auth bearer) from the first line of stdin",
		Prompt: func(_, host string) string {
			return "Azure DevOps token for " + host + " (PAT, or Entra token with --auth bearer): "
		},
	},
	DecodeError: DecodeHTTPError,
	BaseURL:     BaseURL,
}

// SelectAuth is the auth kind symbols.auth names: pat (Basic, empty user)
// or bearer. Any other value is a usage error.
func SelectAuth(s api.Settings) (api.AuthKind, error) {
	switch v := strings.ToLower(strings.TrimSpace(s.String(AuthKey))); v {
	case "", AuthPAT:
		return api.Basic, nil
	case AuthBearer:
		return api.Bearer, nil
	default:
		return 0, exit.UsageErrorf("use --auth pat (a personal access token) or --auth bearer (a Microsoft Entra token); DIAGCTL_SYMBOLS_AUTH and symbols.auth take the same values",
			"auth kind %q is neither pat nor bearer", safetext.Escape(v))
	}
}

// BaseURL is the service URL (symbols.url, default DefaultBaseURL) with
// the organization (symbols.organization, required) as its last segment.
func BaseURL(s api.Settings) (*url.URL, error) {
	org, err := s.Require(OrganizationKey)
	if err != nil {
		return nil, err
	}
	if err := ValidateOrganization(org); err != nil {
		return nil, err
	}
	raw := s.String(URLKey)
	if raw == "" {
		raw = DefaultBaseURL
	}
	u, err := httpx.BaseURL(raw, "--url / DIAGCTL_SYMBOLS_URL")
	if err != nil {
		return nil, err
	}
	return httpx.JoinPath(u, org), nil
}

// ValidateOrganization refuses an organization that would not stay one
// path segment: Azure DevOps names are letters, digits, '-', '_' and '.'.
func ValidateOrganization(org string) error {
	ok := org != "" && org != "." && org != ".."
	for _, r := range org {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			ok = false
		}
	}
	if !ok {
		return exit.UsageErrorf("give the organization's name as in https://dev.azure.com/NAME (--organization or DIAGCTL_SYMBOLS_ORGANIZATION)",
			"organization %q is not an Azure DevOps organization name (letters, digits, '-', '_', '.')", safetext.Escape(org))
	}
	return nil
}

// EntriesRequest is the POST that adds one batch of debug entries to the
// request requestID (already checked by ParseRequestID):
// {org}/_apis/symbol/requests/{id}?collection=debugentries&api-version=V.
// The body is replayable, so the client may resend it where its retry
// policy allows (see RetryFor).
func EntriesRequest(ctx context.Context, c *httpx.Client, requestID, apiVersion string, batch DebugEntryCreateBatch) (*http.Request, error) {
	body, err := json.Marshal(batch)
	if err != nil {
		return nil, err
	}
	u := c.URL("_apis", "symbol", "requests", requestID)
	u.RawQuery = EntriesQuery(apiVersion)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	return req, nil
}

// RetryFor is the retry policy of an entries POST with this create
// behavior. A dial failure and a 429 (the service did not act) are always
// retried; anything after the batch may have reached the service only
// with skipIfExists or overwriteIfExists, where a second delivery cannot
// change the outcome. With throwIfExists (or none, the service's default)
// a resend would be refused with 409 for the entries the first delivery
// created.
func RetryFor(behavior string) httpx.Retry {
	if ResendSafe(behavior) {
		return httpx.Idempotent
	}
	return httpx.Also429
}

// ErrBodyTooLarge is the error of an answer longer than MaxResponseBody.
var ErrBodyTooLarge = fmt.Errorf("the answer is larger than %d MiB, far more than any symbol service answer", MaxResponseBody>>20)

// ReadBody reads a success answer's body, at most MaxResponseBody bytes
// (a longer one is ErrBodyTooLarge, never read to its end), and closes
// it.
func ReadBody(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBody+1))
	if err != nil {
		return nil, err
	}
	if len(body) > MaxResponseBody {
		return nil, ErrBodyTooLarge
	}
	return body, nil
}

// DecodeHTTPError is Service.DecodeError: it finds the call from the
// request (the same status means another thing on each) and maps the
// answer with DecodeError, as the shared layer's error with the server's
// text escaped; Code is Azure's typeKey.
func DecodeHTTPError(resp *http.Response, body []byte) *httpx.APIError {
	return AsAPIError(DecodeError(opOf(resp.Request), resp.StatusCode, resp.Header, body))
}

// AsAPIError turns a *ServiceError or *SignInError (from DecodeError or a
// Decode function given a success status with a sign-in page) into the
// shared layer's error, server text escaped; any other error is returned
// as an APIError with its message.
func AsAPIError(err error) *httpx.APIError {
	ae := &httpx.APIError{Service: "symbols", Exit: exit.Code(err), Next: exit.Hint(err)}
	switch e := err.(type) {
	case *ServiceError:
		ae.Status = e.Status
		ae.Message = safetext.Escape(e.Message)
		ae.Code = safetext.Escape(e.TypeKey)
		ae.Retryable = e.Retryable()
	case *SignInError:
		ae.Status = e.Status
		ae.Message = "the service answered with a sign-in page instead of JSON: the credentials were not accepted"
	default:
		ae.Message = safetext.Escape(err.Error())
	}
	return ae
}

// opOf tells the symbol call from its request.
func opOf(r *http.Request) Op {
	if r == nil {
		return OpCreateEntries
	}
	path := strings.ToLower(r.URL.Path)
	switch {
	case strings.Contains(path, "/_apis/symbol/symsrv/"):
		return OpLookup
	case r.Method == http.MethodPatch:
		return OpSealRequest
	case r.Method == http.MethodGet:
		return OpShowRequest
	case strings.HasSuffix(path, "/_apis/symbol/requests"):
		return OpCreateRequest
	}
	return OpCreateEntries
}

// PreviewRequired reports the 400 that asks for a "-preview" api-version,
// as the client returns it (an *httpx.APIError from DecodeHTTPError).
func PreviewRequired(err error) bool {
	var e *httpx.APIError
	if !errors.As(err, &e) || e.Status != http.StatusBadRequest {
		return false
	}
	return e.Code == TypePreviewRequired || strings.Contains(e.Message, "-preview")
}
