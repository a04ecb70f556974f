// Package radar is the Pangeo Radar client for periodic report tasks:
// the create (POST) and update (PUT) requests, the task the service
// returns, and the mapping of its {"error","error_code"} bodies.
package radar

import (
	"net"
	"net/url"
	"strings"

	"github.com/google/uuid"

	"github.com/diagctl/diagctl/internal/api"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
)

// Paths of the two documented report-task calls (FACTS.md section 4).
const (
	CreatePath = "/cruddy/v2/report_tasks/create"
	UpdatePath = "/cruddy/v2/report_tasks/update"
)

// DefaultPort is Radar's API port: a bare host means https://HOST:9000.
const DefaultPort = "9000"

// Setting keys.
const (
	ServerKey = "report-task.server"
	UserIDKey = "report-task.user-id"
	APIKeyKey = "report-task.api-key"
)

// UserIDHeader and APIKeyHeader are spelled as the vendor page does.
const (
	UserIDHeader = "Pgr-User-Id"
	APIKeyHeader = "PgrApiKey"
)

// Service is Radar as the shared layers see it: the API key, when set,
// in PgrApiKey, at report-task.server. The user id is not a secret and
// is set on each request (see UserID).
var Service = api.Service{
	Name:       "report-task",
	Auth:       api.Header,
	AuthHeader: APIKeyHeader,
	Secret: api.Secret{
		Key:       APIKeyKey,
		StdinFlag: "api-key-stdin",
		StdinHelp: "read the API key (sent as PgrApiKey) from the first line of stdin",
		Optional:  true,
	},
	DecodeError: DecodeError,
	BaseURL: func(s api.Settings) (*url.URL, error) {
		server, err := s.Require(ServerKey)
		if err != nil {
			return nil, err
		}
		return BaseURL(server)
	},
}

// BaseURL resolves the server setting: a URL is used as given; a bare
// host (no scheme) means https on Radar's API port 9000 unless it names
// a port of its own.
func BaseURL(server string) (*url.URL, error) {
	u, err := httpx.BaseURL(server, "--server / DIAGCTL_REPORT_TASK_SERVER")
	if err != nil {
		return nil, err
	}
	if !strings.Contains(server, "://") && u.Port() == "" {
		u.Host = net.JoinHostPort(u.Hostname(), DefaultPort)
	}
	return u, nil
}

// UserID is the user id setting, which every request carries in
// Pgr-User-Id: required, and a UUID.
func UserID(s api.Settings) (string, error) {
	id, err := s.Require(UserIDKey)
	if err != nil {
		return "", err
	}
	if err := ValidUUID(id); err != nil {
		return "", exit.UsageErrorf("the user id is the Radar user's UUID (Radar's user settings show it), e.g. 2c6a9f0e-8f3b-4f57-9a55-3c9e2d7b1a10",
			"user id %q (--user-id / DIAGCTL_REPORT_TASK_USER_ID) is not a UUID", id)
	}
	return id, nil
}

// ValidUUID accepts the canonical 8-4-4-4-12 hexadecimal form, the one
// Radar documents ("uuid format"); braces, urn: prefixes and dashless
// forms are refused rather than sent and refused by the service.
func ValidUUID(s string) error {
	if len(s) != 36 {
		return errNotUUID
	}
	if _, err := uuid.Parse(s); err != nil {
		return errNotUUID
	}
	return nil
}

var errNotUUID = exit.UsageErrorf("", "not a UUID")
