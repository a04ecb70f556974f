package symbols

import (
	"context"
	"io"
	"net/http"
	"strings"

	"github.com/diagctl/diagctl/internal/httpx"
)

// maxLookupBody bounds what is read of a lookup's answer: a redirect's
// body is a line of HTML, a 200 one entry's metadata.
const maxLookupBody = 1 << 20

// LookupKey asks symsrv what a debugger would get for clientKey: GET
// {org}/_apis/symbol/symsrv/{clientKey}, without following the redirect
// (its Location is a signed URL of the content, which is not wanted and
// must not be printed whole). No api-version is sent, as debuggers send
// none. A 404 (other than for an unknown organization) is a Lookup with Found false, not an error; the request is
// retried like any GET. clientKey must have passed ValidateClientKey.
func LookupKey(ctx context.Context, c *httpx.Client, clientKey string) (Lookup, error) {
	u := c.URL(append([]string{"_apis", "symbol", "symsrv"}, strings.Split(clientKey, "/")...)...)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Lookup{}, err
	}
	resp, err := c.Send(req, httpx.Call{Retry: httpx.Idempotent, NoRedirect: true})
	// A 404 is a missing key, unless the organization itself is unknown.
	if ae, ok := err.(*httpx.APIError); ok && ae.Status == http.StatusNotFound && ae.Code != TypeHostNotFound {
		return Lookup{}, nil
	}
	if err != nil {
		return Lookup{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxLookupBody))
	if err != nil {
		return Lookup{}, err
	}
	l, err := DecodeLookup(resp.StatusCode, resp.Header, body)
	if err != nil {
		return Lookup{}, AsAPIError(err)
	}
	return l, nil
}
