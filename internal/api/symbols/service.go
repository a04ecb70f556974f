package symbols

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/diagctl/diagctl/internal/api"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/safetext"
)

// Setting keys (config.Settings).
const (
	OrganizationKey = "symbols.organization"
	URLKey          = "symbols.url"
	TokenKey        = "symbols.token"
	AuthKey         = "symbols.auth"
)

// Service is the symbol service as the shared layers see it: the token
// at symbols.token (DIAGCTL_SYMBOLS_TOKEN, else AZURE_DEVOPS_EXT_PAT),
// sent as HTTP Basic with an empty user name (a PAT, symbols.auth pat, the
// default) or as Bearer (an Entra token, symbols.auth bearer); the base
// URL is symbols.url joined with the organization.
var Service = api.Service{
	Name:       "symbols",
	Auth:       api.Basic, // UserKey "": the empty user name a PAT goes with
	SelectAuth: SelectAuth,
	Secret: api.Secret{
		Key:       TokenKey,
		StdinFlag: "token-stdin",
		StdinHelp: "read the token (a PAT, or an Entra token with --auth bearer) from the first line of stdin",
		Prompt:    func(_, host string) string { return "Azure DevOps token for " + host + ": " },
	},
	DecodeError: DecodeAPIError,
	BaseURL:     BaseURL,
}

// SelectAuth reads symbols.auth: pat (or unset) is Basic, bearer Bearer.
func SelectAuth(s api.Settings) (api.AuthKind, error) {
	switch v := s.String(AuthKey); strings.ToLower(v) {
	case "", "pat":
		return api.Basic, nil
	case "bearer":
		return api.Bearer, nil
	default:
		return 0, exit.UsageErrorf("pass --auth pat (a personal access token) or --auth bearer (a Microsoft Entra token), or set DIAGCTL_SYMBOLS_AUTH",
			"symbols auth %q is neither pat nor bearer", safetext.Escape(v))
	}
}

// BaseURL is {symbols.url}/{organization}: every call's path goes on it.
func BaseURL(s api.Settings) (*url.URL, error) {
	org, err := s.Require(OrganizationKey)
	if err != nil {
		return nil, err
	}
	if err := ValidateOrganization(org); err != nil {
		return nil, err
	}
	u, err := httpx.BaseURL(s.String(URLKey), "--url / DIAGCTL_SYMBOLS_URL")
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

// DecodeAPIError is Service's error decoder: DecodeError for the call the
// answer belongs to (read from the request's method and path), as the
// shared layer's *httpx.APIError with the service's text escaped.
func DecodeAPIError(resp *http.Response, body []byte) *httpx.APIError {
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

// opOf tells which call an answer is for.
func opOf(req *http.Request) Op {
	if req == nil {
		return OpCreateEntries
	}
	switch path := req.URL.Path; {
	case strings.Contains(path, "/_apis/symbol/symsrv/"):
		return OpLookup
	case req.Method == http.MethodPatch:
		return OpSealRequest
	case req.Method == http.MethodGet:
		return OpShowRequest
	case req.URL.Query().Get("collection") != "":
		return OpCreateEntries
	case strings.HasSuffix(strings.TrimSuffix(path, "/"), "/_apis/symbol/requests"):
		return OpCreateRequest
	}
	return OpCreateEntries
}

// PreviewRequired reports the 400 with which a preview resource refuses
// an api-version without "-preview" (err from Client.Send).
func PreviewRequired(err error) bool {
	ae, ok := err.(*httpx.APIError)
	return ok && ae.Status == http.StatusBadRequest && (ae.Code == TypePreviewRequired || strings.Contains(ae.Message, "-preview"))
}
