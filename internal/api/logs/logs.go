// Package logs is the Huawei Cloud CodeArts Check client: the log-file
// request and the mapping of {error_code, error_msg} bodies, including the
// ones served with HTTP 200.
package logs

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/diagctl/diagctl/internal/api"
	"github.com/diagctl/diagctl/internal/api/logs/aksk"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
)

var subJobID = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9A-Za-z]{32}$`) })

// ValidSubJobID accepts 32 characters of [0-9A-Za-z].
func ValidSubJobID(id string) error {
	if !subJobID().MatchString(id) {
		return exit.UsageErrorf("a sub-job ID is 32 letters and digits, such as a777ff00d3cf4d369d87066806ae0001", "a sub-job ID is 32 letters and digits (this one has %d characters)", len(id))
	}
	return nil
}

var region = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z]{2}(-[a-z0-9]+)+$`) })

// Endpoint resolves the service URL: the endpoint setting, else the
// region's public endpoint.
func Endpoint(endpoint, regionName string) (*url.URL, error) {
	if endpoint != "" {
		return httpx.BaseURL(endpoint, "--endpoint / DIAGCTL_LOGS_ENDPOINT")
	}
	if regionName == "" {
		return nil, exit.UsageErrorf("pass --region (e.g. cn-north-4) or --endpoint, or set DIAGCTL_LOGS_REGION or DIAGCTL_LOGS_ENDPOINT", "no CodeArts Check endpoint or region")
	}
	if !region().MatchString(regionName) {
		return nil, exit.UsageErrorf("a region looks like cn-north-4 or ap-southeast-3", "%q is not a Huawei Cloud region", regionName)
	}
	return httpx.BaseURL("https://codearts-check."+regionName+".myhuaweicloud.com", "--region")
}

// LogFileRequest is GET /v1/log-file?sub_job_id=ID on the client's
// endpoint.
func LogFileRequest(ctx context.Context, c *httpx.Client, id string) (*http.Request, error) {
	u := c.URL("v1", "log-file")
	u.RawQuery = url.Values{"sub_job_id": {id}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/zip, application/octet-stream, application/json")
	return req, nil
}

// Service is CodeArts Check as the shared layers see it: the IAM token
// in X-Auth-Token, at logs.endpoint or the region's public endpoint. IAM
// hands tokens out in X-Subject-Token, which is redacted too. With an
// access key and secret key, the command signs requests instead
// (SignAuth); RedactHeader keeps the signature out of -v traces.
var Service = api.Service{
	Name:       "logs",
	Auth:       api.Header,
	AuthHeader: "X-Auth-Token",
	Secret: api.Secret{
		Key:       "logs.token",
		StdinFlag: "token-stdin",
		StdinHelp: "read the IAM token from the first line of stdin",
		Prompt:    func(_, host string) string { return "IAM token for " + host + ": " },
	},
	SecretHeaders: append([]string{"X-Subject-Token"}, aksk.SecretHeaders...),
	RedactHeader:  RedactHeader,
	DecodeError:   DecodeError,
	BaseURL: func(s api.Settings) (*url.URL, error) {
		return Endpoint(s.String("logs.endpoint"), s.String("logs.region"))
	},
}

// Vendor codes with a meaning of their own (FACTS.md section 2).
const (
	CodeTokenExpired = "CC.00000003"
	CodeNetworkBusy  = "CC.00000000"
	CodeRetryLater   = "CC.00050012"
)

type errorBody struct {
	Code    string `json:"error_code"`
	Message string `json:"error_msg"`
}

const newTokenHint = "the IAM token expired (tokens live 24 hours): get a new one with 'diagctl logs token' and set DIAGCTL_LOGS_TOKEN or pass --token-stdin, or set an IAM user and password so downloads get one themselves"

// DecodeError maps CodeArts Check error bodies, whatever their HTTP status.
func DecodeError(resp *http.Response, body []byte) *httpx.APIError {
	e := &httpx.APIError{}
	var b errorBody
	if json.Unmarshal(body, &b) == nil {
		e.Code, e.Message = b.Code, b.Message
	}
	switch {
	case e.Code == CodeTokenExpired:
		e.Exit, e.Next = exit.Auth, newTokenHint
	case e.Code == CodeNetworkBusy || e.Code == CodeRetryLater:
		e.Retryable = true
		e.Exit = exit.Service
		e.Next = "the service is busy; try again in a few minutes"
	case strings.HasSuffix(e.Code, ".400"):
		e.Exit = exit.Rejected
		e.Next = "the service refused the request's parameters; check the sub-job ID"
	case strings.HasPrefix(e.Code, "APIGW.") && (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden):
		e.Next = "the API gateway refused the token or the AK/SK signature: set a valid IAM token in DIAGCTL_LOGS_TOKEN or pass --token-stdin, or check the access key and secret key"
	}
	if e.Next == "" {
		switch resp.StatusCode {
		case http.StatusUnauthorized:
			e.Next = "check the IAM token (DIAGCTL_LOGS_TOKEN or --token-stdin)"
		case http.StatusForbidden:
			e.Next = "the token's user lacks codeartscheck:task:get on this project; ask the account administrator"
		case http.StatusOK:
			e.Next = "the service answered with an error instead of the archive; check the sub-job in the CodeArts Check console"
		}
	}
	return e
}
