package httpx

import (
	"net/url"
	"strings"

	"github.com/diagctl/diagctl/internal/exit"
)

// BaseURL turns a server setting into a URL: a bare host (with an optional
// port) means https; a URL must be http or https. settingName is used in
// the error, e.g. "--server / DIAGCTL_SANDBOX_SERVER".
func BaseURL(server, settingName string) (*url.URL, error) {
	s := strings.TrimSpace(server)
	if s == "" {
		return nil, exit.UsageErrorf("set "+settingName, "no server given")
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, exit.UsageErrorf("give a host name (sandbox.example.com), host:port, or an http(s) URL", "%s: %q is not a valid server", settingName, server)
	}
	if u.User != nil {
		return nil, exit.UsageErrorf("remove the user name and password from the URL and use the documented settings", "%s: credentials in the server URL are not accepted", settingName)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

// JoinPath appends escaped path segments to base.
func JoinPath(base *url.URL, segments ...string) *url.URL {
	u := *base
	for _, s := range segments {
		u.Path += "/" + s
	}
	u.RawPath = ""
	return &u
}
