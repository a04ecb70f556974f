package symbols

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/diagctl/diagctl/internal/httpx"
)

// The symbol request calls (FACTS.md section 3): create, show and seal.
// Each is sent with DefaultAPIVersion and, when the service answers that
// the resource wants a preview version, once more with PreviewVersion:
// that 400 means the service did nothing, so even the create may be sent
// again.

// CreateRequest POSTs a new symbol request. It is never retried once it
// may have reached the service (only a failed dial is): a second POST
// would meet the first's name (409) at best. The error then says the
// outcome is unknown (see CreateUnknown).
func CreateRequest(ctx context.Context, c *httpx.Client, body RequestCreate) (*Request, error) {
	data, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	return requestCall(ctx, c, OpCreateRequest, http.MethodPost, data, httpx.NeverSentOnly)
}

// ShowRequest GETs a symbol request (retried like any GET).
func ShowRequest(ctx context.Context, c *httpx.Client, id string) (*Request, error) {
	return requestCall(ctx, c, OpShowRequest, http.MethodGet, nil, httpx.Idempotent, id)
}

// SealRequest PATCHes {"status":"sealed"}. It is retried like a GET: the
// body names a final state, not a change relative to the current one, so
// a second PATCH after a lost answer leaves the request as one does (and
// the emulator, like the REST spec's model, answers a repeated seal with
// the same sealed request).
func SealRequest(ctx context.Context, c *httpx.Client, id string) (*Request, error) {
	data, err := json.Marshal(SealBody())
	if err != nil {
		return nil, err
	}
	return requestCall(ctx, c, OpSealRequest, http.MethodPatch, data, httpx.Idempotent, id)
}

func requestCall(ctx context.Context, c *httpx.Client, op Op, method string, body []byte, retry httpx.Retry, id ...string) (*Request, error) {
	version := DefaultAPIVersion
	for {
		r, err := sendRequestCall(ctx, c, op, method, version, body, retry, id)
		if PreviewRequired(err) && version != PreviewVersion(version) {
			version = PreviewVersion(version)
			continue
		}
		return r, err
	}
}

func sendRequestCall(ctx context.Context, c *httpx.Client, op Op, method, version string, body []byte, retry httpx.Retry, id []string) (*Request, error) {
	u := c.URL(append([]string{"_apis", "symbol", "requests"}, id...)...)
	u.RawQuery = VersionQuery(version)
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body) // a GetBody, so a permitted retry resends it
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Send(req, httpx.Call{Retry: retry})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBody+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxResponseBody {
		return nil, fmt.Errorf("symbols: the answer to %s %s is larger than 16 MiB", method, u.Path)
	}
	r, err := DecodeRequest(op, resp.StatusCode, resp.Header, data)
	var se *ServiceError
	var si *SignInError
	if errors.As(err, &se) || errors.As(err, &si) {
		return nil, AsAPIError(err) // a 2xx sign-in page: escaped like an error answer
	}
	return r, err
}
