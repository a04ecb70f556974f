package httpx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/diagctl/diagctl/internal/exit"
)

// ProxyNone is the proxy setting that sends requests directly, whatever
// the environment says.
const ProxyNone = "none"

// proxyRoute picks the proxy of each request. A service's own setting
// (Options.Proxy) overrides the environment; without it HTTPS_PROXY (for
// https URLs), HTTP_PROXY (for http URLs) and NO_PROXY apply, as curl and
// Go read them (the upper-case name first, then the lower-case one).
// Loopback hosts (localhost, 127.0.0.0/8, ::1) never go through a proxy:
// a local emulator or tunnel is reached directly even with HTTPS_PROXY set.
type proxyRoute struct {
	fixed  *url.URL // the service's proxy; nil: the environment's
	direct bool     // the service's setting is "none"
	origin string   // where fixed came from, for messages
	getenv func(string) string
}

// newProxyRoute checks the service's proxy setting: "" (the environment),
// "none", or a URL (a bare host:port means http://host:port, as in curl).
// A setting that is not a usable URL is a usage error.
func newProxyRoute(setting, origin string, getenv func(string) string) (*proxyRoute, error) {
	r := &proxyRoute{origin: origin, getenv: getenv}
	switch setting = strings.TrimSpace(setting); {
	case setting == "":
		return r, nil
	case strings.EqualFold(setting, ProxyNone):
		r.direct = true
		return r, nil
	}
	u, err := parseProxyURL(setting)
	if err != nil {
		return nil, exit.UsageErrorf("give the proxy as http://[USER:PASSWORD@]HOST:PORT, or none to go direct",
			"%s: %v", origin, err)
	}
	r.fixed = u
	return r, nil
}

// parseProxyURL reads a proxy URL as curl does: a missing scheme means
// http. Only http, https and socks5 proxies exist for Go's transport.
func parseProxyURL(s string) (*url.URL, error) {
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("the proxy %q is not a URL", RedactedProxy(s))
	}
	switch u.Scheme {
	case "http", "https", "socks5", "socks5h":
	default:
		return nil, fmt.Errorf("the proxy %s has scheme %q: use http, https or socks5", RedactedProxy(s), u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("the proxy %q names no host", RedactedProxy(s))
	}
	return u, nil
}

// proxy is the http.Transport.Proxy function.
func (r *proxyRoute) proxy(req *http.Request) (*url.URL, error) {
	u, _, err := r.lookup(req.URL)
	return u, err
}

// lookup is the proxy for u (nil: direct) and the setting that named it.
func (r *proxyRoute) lookup(u *url.URL) (*url.URL, string, error) {
	if r.direct || isLoopback(u.Hostname()) {
		return nil, "", nil
	}
	if r.fixed != nil {
		return r.fixed, r.origin, nil
	}
	name := "HTTP_PROXY"
	if u.Scheme == "https" {
		name = "HTTPS_PROXY"
	}
	val, from := r.env(name)
	if val == "" {
		return nil, "", nil
	}
	if noProxy, _ := r.env("NO_PROXY"); noProxyMatches(noProxy, u) {
		return nil, "", nil
	}
	p, err := parseProxyURL(val)
	if err != nil {
		return nil, from, exit.UsageErrorf("fix or unset "+from, "%s: %v", from, err)
	}
	return p, from, nil
}

// env reads the upper-case variable, then the lower-case one.
func (r *proxyRoute) env(name string) (value, from string) {
	getenv := r.getenv
	if getenv == nil {
		return "", ""
	}
	for _, n := range []string{name, strings.ToLower(name)} {
		if v := getenv(n); v != "" {
			return v, n
		}
	}
	return "", ""
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// noProxyMatches reports whether NO_PROXY's list excludes u: "*" matches
// everything; an IP or CIDR matches addresses; "example.com" and
// ".example.com" match the domain and its subdomains; an entry with a
// port matches only that port.
func noProxyMatches(list string, u *url.URL) bool {
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	ip := net.ParseIP(host)
	for _, entry := range strings.Split(list, ",") {
		entry = strings.ToLower(strings.TrimSpace(entry))
		switch {
		case entry == "":
			continue
		case entry == "*":
			return true
		}
		if _, cidr, err := net.ParseCIDR(entry); err == nil {
			if ip != nil && cidr.Contains(ip) {
				return true
			}
			continue
		}
		ePort := ""
		if h, p, err := net.SplitHostPort(entry); err == nil {
			entry, ePort = h, p
		}
		if ePort != "" && ePort != port {
			continue
		}
		if eIP := net.ParseIP(strings.Trim(entry, "[]")); eIP != nil {
			if ip != nil && eIP.Equal(ip) {
				return true
			}
			continue
		}
		entry = strings.TrimPrefix(strings.TrimPrefix(entry, "*"), ".")
		if entry != "" && (host == entry || strings.HasSuffix(host, "."+entry)) {
			return true
		}
	}
	return false
}

// RedactedProxy is a proxy URL fit for messages: its password replaced.
func RedactedProxy(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		if i := strings.LastIndex(raw, "@"); i >= 0 {
			return Redacted + raw[i:] // unparsable: keep only the host part
		}
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
		return strings.Replace(u.String(), "xxxxx", Redacted, 1)
	}
	return u.String()
}

// ProxyError is a proxy's refusal: an answer to CONNECT other than 200, or
// a 407 to a plain-http request sent through it.
type ProxyError struct {
	Service string
	Proxy   string // redacted
	Origin  string // the setting that named it: HTTPS_PROXY, --proxy, ...
	Target  string // host:port asked for
	Status  int
	Text    string // status text
}

func (e *ProxyError) Error() string {
	s := fmt.Sprintf("the proxy %s refused the connection to %s: HTTP %d %s", e.Proxy, e.Target, e.Status, e.Text)
	if e.Status == http.StatusProxyAuthRequired {
		s = fmt.Sprintf("the proxy %s asked for credentials (HTTP 407 %s) for %s", e.Proxy, e.Text, e.Target)
	}
	if e.Service != "" {
		s = e.Service + ": " + s
	}
	return s
}

// ExitCode: a proxy that wants credentials or refuses the destination is
// a permission refusal (3); one that could not reach the service is a
// network failure (6).
func (e *ProxyError) ExitCode() int {
	if e.Status == http.StatusProxyAuthRequired || e.Status == http.StatusForbidden {
		return exit.Auth
	}
	return exit.Service
}

func (e *ProxyError) Hint() string {
	switch {
	case e.Status == http.StatusProxyAuthRequired:
		return "check the user and password in " + e.Origin + " (http://USER:PASSWORD@HOST:PORT, special characters percent-encoded)"
	case e.Status == http.StatusForbidden:
		return "the proxy's rules refuse " + e.Target + ": check the credentials in " + e.Origin + ", or ask the proxy's administrator to allow it"
	}
	return "the proxy could not reach " + e.Target + ": check the server name, or try again later"
}

// retryable: only a proxy's gateway failures may pass.
func (e *ProxyError) retryable() bool { return e.Status >= 500 }

// connectRefused is the Transport's OnProxyConnectResponse: any answer but
// 200 to CONNECT (which Go uses for https URLs) becomes a ProxyError
// naming the proxy.
func (r *proxyRoute) connectRefused(service string) func(context.Context, *url.URL, *http.Request, *http.Response) error {
	return func(_ context.Context, proxy *url.URL, req *http.Request, resp *http.Response) error {
		if resp.StatusCode == http.StatusOK {
			return nil
		}
		target := req.Host
		if target == "" {
			target = req.URL.Opaque
		}
		return r.proxyError(service, proxy, &url.URL{Scheme: "https", Host: target}, resp)
	}
}

// proxyError is the refusal resp of the proxy for a request to target.
func (r *proxyRoute) proxyError(service string, proxy, target *url.URL, resp *http.Response) *ProxyError {
	_, text, _ := strings.Cut(resp.Status, " ")
	e := &ProxyError{Service: service, Proxy: "a proxy on the way", Origin: "HTTPS_PROXY", Target: target.Host, Status: resp.StatusCode, Text: text}
	if proxy != nil {
		e.Proxy = RedactedProxy(proxy.String())
	}
	if _, origin, _ := r.lookup(target); origin != "" {
		e.Origin = origin
	}
	return e
}

// proxyDialError is the failure to reach the proxy itself (refused,
// unknown name, timed out): nothing reached the service.
type proxyDialError struct {
	proxy, origin string
}

// asProxyDialError tells whether err is the failed dial of the proxy
// that u went through, and which proxy that was.
func (r *proxyRoute) asProxyDialError(u *url.URL, err error) (*proxyDialError, bool) {
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "proxyconnect" {
		return nil, false
	}
	p, origin, _ := r.lookup(u)
	if p == nil {
		return nil, false
	}
	return &proxyDialError{proxy: RedactedProxy(p.String()), origin: origin}, true
}

// proxyOf is the proxy a request to u goes through (nil: direct).
func (r *proxyRoute) proxyOf(u *url.URL) *url.URL {
	p, _, _ := r.lookup(u)
	return p
}
