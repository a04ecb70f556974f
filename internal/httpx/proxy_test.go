package httpx

import (
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/diagctl/diagctl/internal/exit"
)

// testProxy is a small forward proxy: CONNECT tunnels and absolute-URI
// requests, Basic credentials when wantAuth is set, every target host
// reached at upstream (the tests' names are not resolvable, and loopback
// names are never proxied). It counts the requests it got.
type testProxy struct {
	*httptest.Server
	n        atomic.Int32
	wantAuth string // "user:password"; "" lets everything through
	refuse   int    // answer CONNECT with this status instead
	upstream string // host:port every target goes to
}

func newTestProxy(t *testing.T, upstream, wantAuth string) *testProxy {
	t.Helper()
	p := &testProxy{wantAuth: wantAuth, upstream: upstream}
	p.Server = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.Close)
	return p
}

func (p *testProxy) serve(w http.ResponseWriter, r *http.Request) {
	p.n.Add(1)
	if p.wantAuth != "" && r.Header.Get("Proxy-Authorization") != "Basic "+base64.StdEncoding.EncodeToString([]byte(p.wantAuth)) {
		w.Header().Set("Proxy-Authenticate", `Basic realm="test proxy"`)
		w.WriteHeader(http.StatusProxyAuthRequired)
		return
	}
	if r.Method == http.MethodConnect {
		if p.refuse != 0 {
			w.WriteHeader(p.refuse)
			return
		}
		dst, err := net.Dial("tcp", p.upstream)
		if err != nil {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			dst.Close()
			return
		}
		io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n")
		go func() { io.Copy(dst, conn); dst.Close() }()
		io.Copy(conn, dst)
		conn.Close()
		return
	}
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.URL.Host = p.upstream
	out.Header.Del("Proxy-Authorization")
	resp, err := http.DefaultTransport.RoundTrip(out)
	if err != nil {
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.Header().Set("Via", "1.1 testproxy")
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

func (p *testProxy) url(userinfo string) string {
	u, _ := url.Parse(p.URL)
	if userinfo != "" {
		user, pass, _ := strings.Cut(userinfo, ":")
		u.User = url.UserPassword(user, pass)
	}
	return u.String()
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestProxyAuthRequired(t *testing.T) {
	t.Parallel()
	target := newServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	upstream := target.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(upstream)
	for _, tt := range []struct {
		name       string
		url        string // the request's
		o          func(p *testProxy) Options
		wantOrigin string
	}{
		{"CONNECT, proxy from HTTPS_PROXY", "https://sandbox.test:" + port + "/x", func(p *testProxy) Options {
			return Options{Getenv: env(map[string]string{"HTTPS_PROXY": p.url("alice:wrong-pass")})}
		}, "HTTPS_PROXY"},
		{"plain http, proxy from http_proxy", "http://sandbox.test:" + port + "/x", func(p *testProxy) Options {
			return Options{Getenv: env(map[string]string{"http_proxy": p.url("alice:wrong-pass")})}
		}, "http_proxy"},
		{"CONNECT, the service's proxy setting", "https://sandbox.test:" + port + "/x", func(p *testProxy) Options {
			return Options{Proxy: p.url("alice:wrong-pass"), ProxyOrigin: "sandbox.proxy", Getenv: env(map[string]string{"HTTPS_PROXY": "http://127.0.0.1:1"})}
		}, "sandbox.proxy"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := newTestProxy(t, upstream, "alice:right-pass")
			o := tt.o(p)
			o.Service, o.Retries = "sandbox", 3
			c, s := newClient(t, o)
			_, err := c.Do(get(t, tt.url))
			var pe *ProxyError
			if !errors.As(err, &pe) || exit.Code(err) != exit.Auth {
				t.Fatalf("err %v (%T, exit %d), want a ProxyError, exit 3", err, err, exit.Code(err))
			}
			msg, hint := err.Error(), exit.Hint(err)
			proxyHost := strings.TrimPrefix(p.URL, "http://")
			if !strings.Contains(msg, "alice") || !strings.Contains(msg, proxyHost) || !strings.Contains(msg, "407") || !strings.Contains(msg, "sandbox.test:"+port) {
				t.Errorf("message %q does not name the proxy, its user, the status and the target", msg)
			}
			if strings.Contains(msg+hint, "wrong-pass") {
				t.Errorf("the proxy password leaked: %q / %q", msg, hint)
			}
			if !strings.Contains(hint, "check the user and password in "+tt.wantOrigin) {
				t.Errorf("hint %q, want it to point at %s", hint, tt.wantOrigin)
			}
			if p.n.Load() != 1 || len(s.all()) != 0 {
				t.Errorf("%d requests to the proxy, %d waits: a 407 is not retried", p.n.Load(), len(s.all()))
			}
		})
	}
}

func TestProxyRefusedConnect(t *testing.T) {
	t.Parallel()
	p := newTestProxy(t, "127.0.0.1:1", "")
	p.refuse = http.StatusForbidden
	c, _ := newClient(t, Options{Service: "logs", Retries: 2, Getenv: env(map[string]string{"HTTPS_PROXY": p.URL})})
	_, err := c.Do(get(t, "https://codearts.test/v2/x"))
	if exit.Code(err) != exit.Auth || !strings.Contains(err.Error(), "refused the connection to codearts.test:443") ||
		!strings.Contains(exit.Hint(err), "HTTPS_PROXY") {
		t.Errorf("err %v (exit %d), hint %q", err, exit.Code(err), exit.Hint(err))
	}
	if p.n.Load() != 1 {
		t.Errorf("%d CONNECTs, want 1 (a refusal is not retried)", p.n.Load())
	}
}

func TestProxyUnreachable(t *testing.T) {
	t.Parallel()
	dead := "http://bob:hunter2@" + closedPort(t)
	for _, tt := range []struct {
		name, origin string
		o            Options
	}{
		{"from HTTPS_PROXY", "HTTPS_PROXY", Options{Getenv: env(map[string]string{"HTTPS_PROXY": dead})}},
		{"from the service's setting", "DIAGCTL_SANDBOX_PROXY", Options{Proxy: dead, ProxyOrigin: "DIAGCTL_SANDBOX_PROXY"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.o
			o.Service, o.Retries = "sandbox", 1
			c, s := newClient(t, o)
			_, err := c.Do(get(t, "https://sandbox.test/api"))
			var ne *NetError
			if !errors.As(err, &ne) || exit.Code(err) != exit.Service {
				t.Fatalf("err %v (exit %d), want a NetError, exit 6", err, exit.Code(err))
			}
			hint := exit.Hint(err)
			if !strings.Contains(hint, "cannot reach the proxy http://bob:") || !strings.Contains(hint, "check "+tt.origin) || !strings.Contains(err.Error(), tt.origin) {
				t.Errorf("err %q, hint %q: want the proxy and %s named", err, hint, tt.origin)
			}
			if strings.Contains(err.Error()+hint, "hunter2") {
				t.Errorf("proxy password leaked: %q %q", err, hint)
			}
			if !ne.NotSent || len(s.all()) != 1 {
				t.Errorf("NotSent %v, %d waits: an unreachable proxy is a failed dial, retried", ne.NotSent, len(s.all()))
			}
		})
	}
}

func TestProxyRoutes(t *testing.T) {
	t.Parallel()
	target := newServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "direct") })
	upstream := target.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(upstream)
	p := newTestProxy(t, upstream, "")
	deadEnv := env(map[string]string{"HTTP_PROXY": "http://" + closedPort(t), "HTTPS_PROXY": "http://" + closedPort(t)})

	t.Run("service setting overrides the environment", func(t *testing.T) {
		c, _ := newClient(t, Options{Proxy: p.URL, ProxyOrigin: "--proxy", Getenv: deadEnv})
		before := p.n.Load()
		resp, err := c.Do(get(t, "http://sandbox.test:"+port+"/x"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if p.n.Load() != before+1 || resp.Header.Get("Via") == "" {
			t.Errorf("the request did not go through the service's proxy")
		}
	})
	t.Run("loopback is never proxied", func(t *testing.T) {
		for _, o := range []Options{{Getenv: deadEnv}, {Proxy: "http://" + closedPort(t)}} {
			c, _ := newClient(t, o)
			resp, err := c.Do(get(t, target.URL))
			if err != nil {
				t.Fatalf("%+v: %v", o, err)
			}
			resp.Body.Close()
		}
	})
	t.Run("lookup", func(t *testing.T) {
		for _, tt := range []struct {
			setting string
			env     map[string]string
			url     string
			want    string // proxy host, "" direct
			origin  string
		}{
			{"", map[string]string{"HTTPS_PROXY": "proxy:3128"}, "https://api.example.com/", "proxy:3128", "HTTPS_PROXY"},
			{"", map[string]string{"https_proxy": "http://p2:8080"}, "https://api.example.com/", "p2:8080", "https_proxy"},
			{"", map[string]string{"HTTP_PROXY": "proxy:3128"}, "https://api.example.com/", "", ""}, // https does not fall back to HTTP_PROXY
			{"", map[string]string{"HTTP_PROXY": "proxy:3128"}, "http://api.example.com/", "proxy:3128", "HTTP_PROXY"},
			{"", map[string]string{"HTTPS_PROXY": "proxy:3128", "NO_PROXY": ".example.com"}, "https://api.example.com/", "", ""},
			{"", map[string]string{"HTTPS_PROXY": "proxy:3128", "no_proxy": "example.com"}, "https://example.com/", "", ""},
			{"", map[string]string{"HTTPS_PROXY": "proxy:3128", "NO_PROXY": "10.0.0.0/8"}, "https://10.1.2.3/", "", ""},
			{"", map[string]string{"HTTPS_PROXY": "proxy:3128", "NO_PROXY": "sandbox.lab:8443"}, "https://sandbox.lab/", "proxy:3128", "HTTPS_PROXY"},
			{"", map[string]string{"HTTPS_PROXY": "proxy:3128", "NO_PROXY": "sandbox.lab:8443"}, "https://sandbox.lab:8443/", "", ""},
			{"", map[string]string{"HTTPS_PROXY": "proxy:3128", "NO_PROXY": "*"}, "https://a.b/", "", ""},
			{"", map[string]string{"HTTPS_PROXY": "proxy:3128"}, "https://localhost:8443/", "", ""},
			{"", map[string]string{"HTTPS_PROXY": "proxy:3128"}, "https://127.0.0.5/", "", ""},
			{"", map[string]string{"HTTPS_PROXY": "proxy:3128"}, "https://[::1]:9000/", "", ""},
			{"none", map[string]string{"HTTPS_PROXY": "proxy:3128"}, "https://api.example.com/", "", ""},
			{"NONE", map[string]string{"HTTPS_PROXY": "proxy:3128"}, "https://api.example.com/", "", ""},
			{"corp:8080", map[string]string{"HTTPS_PROXY": "proxy:3128", "NO_PROXY": "*"}, "https://api.example.com/", "corp:8080", "logs.proxy"},
			{"socks5://corp:1080", nil, "http://api.example.com/", "corp:1080", "logs.proxy"},
			{"corp:8080", nil, "https://127.0.0.1:9000/", "", ""},
		} {
			r, err := newProxyRoute(tt.setting, "logs.proxy", env(tt.env))
			if err != nil {
				t.Fatalf("%q: %v", tt.setting, err)
			}
			u, _ := url.Parse(tt.url)
			got, origin, err := r.lookup(u)
			host := ""
			if got != nil {
				host = got.Host
			}
			if err != nil || host != tt.want || origin != tt.origin {
				t.Errorf("setting %q env %v url %s: proxy %q from %q (%v), want %q from %q", tt.setting, tt.env, tt.url, host, origin, err, tt.want, tt.origin)
			}
		}
	})
	t.Run("bad settings are usage errors", func(t *testing.T) {
		for _, s := range []string{"ftp://proxy:21", "http://", "http://a b:1", "http://:3128"} {
			_, err := New(Options{Proxy: s, ProxyOrigin: "--proxy"})
			if exit.Code(err) != exit.Usage || !strings.Contains(err.Error(), "--proxy") {
				t.Errorf("%q: err %v (exit %d)", s, err, exit.Code(err))
			}
		}
		r, _ := newProxyRoute("", "", env(map[string]string{"HTTPS_PROXY": "ftp://x:1"}))
		u, _ := url.Parse("https://api.example.com/")
		if _, _, err := r.lookup(u); exit.Code(err) != exit.Usage || !strings.Contains(err.Error(), "HTTPS_PROXY") {
			t.Errorf("bad HTTPS_PROXY: %v", err)
		}
	})
}

func TestRedactedProxy(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"http://u:p%40ss@proxy:3128": "http://u:[redacted]@proxy:3128",
		"http://u@proxy:3128":        "http://u@proxy:3128",
		"http://proxy:3128":          "http://proxy:3128",
		"u:p@ss@%zz":                 "[redacted]@%zz",
	} {
		if got := RedactedProxy(in); got != want {
			t.Errorf("RedactedProxy(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzNoProxy: any NO_PROXY list and host is handled without a panic; a
// list holding the host itself, or "*", always excludes it; a proxy
// setting either parses to a URL with a host or is refused.
func FuzzNoProxy(f *testing.F) {
	f.Add(".example.com, 10.0.0.0/8,[::1]:443", "api.example.com", "https", "proxy:3128")
	f.Add("*", "10.1.2.3", "http", "http://u:p@[::1]:1")
	f.Fuzz(func(t *testing.T, list, host, scheme, setting string) {
		u := &url.URL{Scheme: scheme, Host: host}
		noProxyMatches(list, u)
		// The property holds for host names and addresses, not for
		// degenerate hosts ("." or "*x") no real URL has.
		if h := u.Hostname(); h != "" && !strings.ContainsAny(h, ",/:[] \t\r\n\v\f\u0085\u00a0") && strings.Trim(h, ".*") == h && strings.TrimSpace(h) == h {
			if !noProxyMatches(list+","+h, u) || !noProxyMatches("*", u) {
				t.Errorf("NO_PROXY %q does not exclude %q", list+","+h, h)
			}
		}
		if p, err := parseProxyURL(setting); err == nil && p.Hostname() == "" {
			t.Errorf("proxy %q parsed without a host", setting)
		}
	})
}
