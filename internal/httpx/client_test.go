package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/diagctl/diagctl/internal/exit"
)

// sleeps records the waits a client asks for instead of sleeping.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return context.Cause(ctx)
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// newClient builds a client whose waits between attempts are recorded, not slept.
func newClient(t *testing.T, o Options) (*Client, *sleeps) {
	t.Helper()
	if o.Service == "" {
		o.Service = "test"
	}
	s := &sleeps{}
	o.Backoff.Sleep = s.sleep
	c, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, s
}

// newServer starts an httptest server closed when the test ends.
func newServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// newBlockingServer is newServer for handlers that hang: wait returns when
// the client goes away or the test ends (before the server is closed, so
// Close never waits for a hung handler).
func newBlockingServer(t *testing.T, h func(w http.ResponseWriter, r *http.Request, wait func())) *httptest.Server {
	t.Helper()
	done := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		h(w, r, func() {
			select {
			case <-r.Context().Done():
			case <-done:
			}
		})
	})
	t.Cleanup(func() { close(done) })
	return srv
}

func get(t *testing.T, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestTraceRedaction(t *testing.T) {
	t.Parallel()
	longToken := strings.Repeat("T", 100_000)
	tests := []struct {
		name       string
		auth       headerSetter
		reqHeaders map[string]string // set by the caller on the request itself
		extra      []string          // Options.SecretHeaders
		secrets    []string          // must never appear in the trace
		want       []string          // must appear in the trace
	}{
		{
			name:    "basic keeps scheme",
			auth:    func(h http.Header) { h.Set("Authorization", "Basic dXNlcjpodW50ZXIy") },
			secrets: []string{"dXNlcjpodW50ZXIy"},
			want:    []string{"> Authorization: Basic [redacted]"},
		},
		{
			name:    "bearer keeps scheme",
			auth:    func(h http.Header) { h.Set("Authorization", "Bearer eyJhbGciOi.secret.sig") },
			secrets: []string{"eyJhbGciOi", "secret.sig"},
			want:    []string{"> Authorization: Bearer [redacted]"},
		},
		{
			name:    "other scheme fully hidden",
			auth:    func(h http.Header) { h.Set("Authorization", "Digest username=u, response=abc123") },
			secrets: []string{"abc123", "username=u"},
			want:    []string{"> Authorization: [redacted]"},
		},
		{
			name:    "x-auth-token",
			auth:    func(h http.Header) { h.Set("X-Auth-Token", "MIIZ-token-value") },
			secrets: []string{"MIIZ-token-value"},
			want:    []string{"> X-Auth-Token: [redacted]"},
		},
		{
			name:    "x-auth-token of 100,000 characters",
			auth:    func(h http.Header) { h.Set("X-Auth-Token", longToken) },
			secrets: []string{strings.Repeat("T", 64)},
			want:    []string{"> X-Auth-Token: [redacted]"},
		},
		{
			name:    "pgrapikey set non-canonically",
			auth:    func(h http.Header) { h["PgrApiKey"] = []string{"pgr-key-123"} },
			secrets: []string{"pgr-key-123"},
			want:    []string{"PgrApiKey: [redacted]"},
		},
		{
			name:       "cookie and set-cookie",
			reqHeaders: map[string]string{"Cookie": "session=cookie-secret"},
			secrets:    []string{"cookie-secret", "server-cookie"},
			want:       []string{"> Cookie: [redacted]", "< Set-Cookie: [redacted]"},
		},
		{
			name:       "secret set on the request, not by Auth",
			reqHeaders: map[string]string{"Authorization": "Basic cmVxOnNlY3JldA=="},
			secrets:    []string{"cmVxOnNlY3JldA=="},
			want:       []string{"> Authorization: Basic [redacted]"},
		},
		{
			name:       "extra secret header",
			reqHeaders: map[string]string{"X-Vendor-Key": "vendor-secret"},
			extra:      []string{"x-vendor-key"},
			secrets:    []string{"vendor-secret"},
			want:       []string{"> X-Vendor-Key: [redacted]"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got http.Header
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				got = r.Header.Clone()
				http.SetCookie(w, &http.Cookie{Name: "s", Value: "server-cookie"})
				w.Header().Set("X-Subject-Token", "subject-token-secret")
				w.Header().Set("Content-Type", "text/plain")
				io.WriteString(w, "ok")
			})
			var trace bytes.Buffer
			var auth Auth
			if tt.auth != nil {
				auth = tt.auth.auth()
			}
			c, _ := newClient(t, Options{Trace: &trace, Auth: auth, SecretHeaders: append(tt.extra, "X-Subject-Token"), UserAgent: "diagctl/test"})
			req := get(t, srv.URL+"/v1/thing?x=1")
			for k, v := range tt.reqHeaders {
				req.Header.Set(k, v)
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()

			out := trace.String()
			for _, s := range append(tt.secrets, "subject-token-secret") {
				if strings.Contains(out, s) {
					t.Errorf("trace holds secret %.40q:\n%.2000s", s, out)
				}
			}
			for _, s := range append(tt.want, "> GET /v1/thing?x=1 HTTP/1.1", "> User-Agent: diagctl/test", "< HTTP/1.1 200 OK", "< X-Subject-Token: [redacted]") {
				if !strings.Contains(out, s) {
					t.Errorf("trace lacks %q:\n%.2000s", s, out)
				}
			}
			for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
				if !strings.HasPrefix(line, ">") && !strings.HasPrefix(line, "<") {
					t.Errorf("trace line without > or <: %q", line)
				}
			}
			// The secrets did reach the server: redaction is only in the trace.
			if tt.auth != nil {
				h := http.Header{}
				tt.auth(h)
				for k, v := range h {
					if got.Get(k) != v[0] {
						t.Errorf("server got %s=%.40q, want %.40q", k, got.Get(k), v[0])
					}
				}
			}
		})
	}
}

func TestTraceRetryAndErrorLines(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	var trace bytes.Buffer
	c, _ := newClient(t, Options{Trace: &trace, Retries: 2})
	resp, err := c.Do(get(t, srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.Contains(trace.String(), "* test: HTTP 503") || !strings.Contains(trace.String(), "(retry 1 of 2)") {
		t.Errorf("no retry line in trace:\n%s", trace.String())
	}

	// A transport error is traced with the password in the URL hidden.
	trace.Reset()
	req := get(t, "http://user:pa55word@"+closedPort(t)+"/x")
	_, err = c.Do(req)
	if exit.Code(err) != exit.Service {
		t.Fatalf("err %v", err)
	}
	if strings.Contains(trace.String(), "pa55word") || strings.Contains(err.Error(), "pa55word") {
		t.Errorf("password in trace or error:\n%s\n%v", trace.String(), err)
	}
}

func TestAuthNotSentAfterRedirectToAnotherHost(t *testing.T) {
	t.Parallel()
	auth := headerSetter(func(h http.Header) {
		h.Set("Authorization", "Basic c2VjcmV0")
		h.Set("X-Auth-Token", "token-secret")
		h.Set("PgrApiKey", "pgr-secret")
	}).auth()
	type hop struct {
		auth, token, pgr string
	}
	var mu sync.Mutex
	var hops []hop
	record := func(r *http.Request) {
		mu.Lock()
		hops = append(hops, hop{r.Header.Get("Authorization"), r.Header.Get("X-Auth-Token"), r.Header.Get("PgrApiKey")})
		mu.Unlock()
	}
	target := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		record(r)
		io.WriteString(w, "file")
	})
	_, targetPort, _ := net.SplitHostPort(strings.TrimPrefix(target.URL, "http://"))

	tests := []struct {
		name     string
		location func(origin string) string
		wantAuth bool
	}{
		{"another port", func(string) string { return target.URL + "/blob" }, false},
		{"localhost instead of 127.0.0.1", func(string) string { return "http://localhost:" + targetPort + "/blob" }, false},
		{"same host", func(origin string) string { return origin + "/final" }, true},
		{"same host, relative", func(string) string { return "/final" }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			hops = nil
			mu.Unlock()
			var srv *httptest.Server
			srv = newServer(t, func(w http.ResponseWriter, r *http.Request) {
				record(r)
				if r.URL.Path == "/final" {
					io.WriteString(w, "file")
					return
				}
				http.Redirect(w, r, tt.location(srv.URL), http.StatusFound)
			})
			c, _ := newClient(t, Options{Auth: auth})
			resp, err := c.Do(get(t, srv.URL+"/start"))
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			mu.Lock()
			defer mu.Unlock()
			if len(hops) != 2 {
				t.Fatalf("%d requests, want 2", len(hops))
			}
			if hops[0] != (hop{"Basic c2VjcmV0", "token-secret", "pgr-secret"}) {
				t.Errorf("first hop lacks credentials: %+v", hops[0])
			}
			if tt.wantAuth && hops[1] != hops[0] {
				t.Errorf("same-host redirect lost credentials: %+v", hops[1])
			}
			if !tt.wantAuth && hops[1] != (hop{}) {
				t.Errorf("credentials sent to another host: %+v", hops[1])
			}
		})
	}
}

// Auth is decided by scheme and host of each hop: a redirect from https to
// plain http on the same host must not carry the credentials in clear.
func TestAuthOrigin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		origin, url string
		want        bool
	}{
		{"https://h.example", "https://h.example/x", true},
		{"https://h.example", "https://H.EXAMPLE/x", true},
		{"https://h.example", "http://h.example/x", false},
		{"http://h.example", "https://h.example/x", true},
		{"http://h.example", "http://h.example/x", true},
		{"https://h.example", "https://h.example:8443/x", false},
		{"https://h.example", "https://cdn.example/x", false},
	}
	for _, tt := range tests {
		var sent bool
		rt := &authTransport{
			next: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				sent = r.Header.Get("Authorization") != ""
				return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
			}),
			auth: BearerAuth("x"),
		}
		o, _ := http.NewRequest(http.MethodGet, tt.origin, nil)
		req, _ := http.NewRequest(http.MethodGet, tt.url, nil)
		req = req.WithContext(context.WithValue(context.Background(), originKey{}, origin{o.URL.Scheme, o.URL.Host}))
		if _, err := rt.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
		if sent != tt.want {
			t.Errorf("origin %s, request %s: auth sent %v, want %v", tt.origin, tt.url, sent, tt.want)
		}
		if req.Header.Get("Authorization") != "" {
			t.Error("Auth changed the caller's request")
		}
	}
}

// headerSetter is an Auth that only sets headers, for tables of them.
type headerSetter func(h http.Header)

func (s headerSetter) auth() Auth {
	return func(r *http.Request) error { s(r.Header); return nil }
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// failing answers `fails` times with status, then 200.
func failing(t *testing.T, status, fails int, header http.Header) (*httptest.Server, *atomic.Int32, *[]string) {
	t.Helper()
	var n atomic.Int32
	var mu sync.Mutex
	var bodies []string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		if int(n.Add(1)) <= fails {
			for k, v := range header {
				w.Header()[k] = v
			}
			w.WriteHeader(status)
			io.WriteString(w, `{"error":"busy"}`)
			return
		}
		io.WriteString(w, "ok")
	})
	return srv, &n, &bodies
}

func TestRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		method   string
		status   int
		fails    int
		retries  int
		wantReqs int32
		wantErr  int // exit status, 0 for success
	}{
		{"GET 503x3 retries 3", "GET", 503, 3, 3, 4, 0},
		{"GET 503x3 retries 1", "GET", 503, 3, 1, 2, exit.Service},
		{"GET 503 retries 0", "GET", 503, 1, 0, 1, exit.Service},
		{"GET 500 retried", "GET", 500, 1, 3, 2, 0},
		{"GET 502 retried", "GET", 502, 1, 3, 2, 0},
		{"GET 504 retried", "GET", 504, 1, 3, 2, 0},
		{"GET 408 retried", "GET", 408, 1, 3, 2, 0},
		{"GET 429 retried", "GET", 429, 2, 3, 3, 0},
		{"HEAD 503 retried", "HEAD", 503, 1, 3, 2, 0},
		{"PUT 503 retried", "PUT", 503, 1, 3, 2, 0},
		{"GET 404 not retried", "GET", 404, 1, 3, 1, exit.NotFound},
		{"GET 401 not retried", "GET", 401, 1, 3, 1, exit.Auth},
		{"GET 501 not retried", "GET", 501, 1, 3, 1, exit.Service},
		{"POST 500 not retried", "POST", 500, 1, 3, 1, exit.Service},
		{"POST 503 not retried", "POST", 503, 1, 3, 1, exit.Service},
		{"POST 502 not retried", "POST", 502, 1, 3, 1, exit.Service},
		{"POST 429 not retried by default", "POST", 429, 2, 3, 1, exit.Rejected},
		{"PATCH 503 not retried", "PATCH", 503, 1, 3, 1, exit.Service},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n, bodies := failing(t, tt.status, tt.fails, nil)
			c, s := newClient(t, Options{Retries: tt.retries})
			req, _ := http.NewRequest(tt.method, srv.URL, strings.NewReader(`{"interval":"* 0 1 1 1"}`))
			resp, err := c.Do(req)
			if got := n.Load(); got != tt.wantReqs {
				t.Errorf("%d requests, want %d", got, tt.wantReqs)
			}
			if len(s.all()) != int(tt.wantReqs)-1 {
				t.Errorf("%d waits for %d requests", len(s.all()), tt.wantReqs)
			}
			if tt.wantErr == 0 {
				if err != nil {
					t.Fatalf("err %v", err)
				}
				resp.Body.Close()
				for i, b := range *bodies {
					if tt.method != "HEAD" && b != `{"interval":"* 0 1 1 1"}` {
						t.Errorf("request %d had body %q: not replayed", i+1, b)
					}
				}
				return
			}
			if got := exit.Code(err); got != tt.wantErr {
				t.Errorf("exit %d, want %d (err %v)", got, tt.wantErr, err)
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.Status != tt.status {
				t.Errorf("err %v is not an APIError with status %d", err, tt.status)
			}
		})
	}
}

func TestBackoffGrowsAndIsBounded(t *testing.T) {
	t.Parallel()
	srv, _, _ := failing(t, 503, 10, nil)
	c, s := newClient(t, Options{Retries: 6, Backoff: Backoff{Base: 100 * time.Millisecond, Max: time.Second}})
	c.Do(get(t, srv.URL))
	d := s.all()
	if len(d) != 6 {
		t.Fatalf("%d waits", len(d))
	}
	for i, w := range d {
		base := 100 * time.Millisecond << i
		if base > time.Second {
			base = time.Second
		}
		if w < base/2 || w > base {
			t.Errorf("wait %d = %v, want within [%v, %v]", i+1, w, base/2, base)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	t.Run("honoured", func(t *testing.T) {
		srv, n, _ := failing(t, 503, 1, http.Header{"Retry-After": {"2"}})
		c, s := newClient(t, Options{Retries: 3, Backoff: Backoff{Base: time.Millisecond}})
		resp, err := c.Do(get(t, srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if d := s.all(); n.Load() != 2 || len(d) != 1 || d[0] < 2*time.Second {
			t.Errorf("%d requests, waits %v; want 2 and one wait >= 2s", n.Load(), d)
		}
	})
	t.Run("429 on POST with Also429 honoured", func(t *testing.T) {
		srv, n, _ := failing(t, 429, 1, http.Header{"Retry-After": {"3"}})
		c, s := newClient(t, Options{Retries: 3, Backoff: Backoff{Base: time.Millisecond}})
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("x"))
		resp, err := c.Send(req, Call{Retry: Also429})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if d := s.all(); n.Load() != 2 || len(d) != 1 || d[0] < 3*time.Second {
			t.Errorf("%d requests, waits %v", n.Load(), d)
		}
	})
	for _, ra := range []string{"121", "3600", "99999999999", "999999999999999999999999"} {
		t.Run("beyond MaxRetryAfter "+ra, func(t *testing.T) {
			srv, n, _ := failing(t, 503, 1, http.Header{"Retry-After": {ra}})
			c, s := newClient(t, Options{Retries: 3})
			_, err := c.Do(get(t, srv.URL))
			if n.Load() != 1 || len(s.all()) != 0 {
				t.Errorf("%d requests, waits %v: a too-long Retry-After was waited for", n.Load(), s.all())
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.RetryAfter <= MaxRetryAfter || exit.Code(err) != exit.Service {
				t.Errorf("err %v (%+v)", err, apiErr)
			}
		})
	}
	t.Run("http date", func(t *testing.T) {
		when := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
		srv, _, _ := failing(t, 503, 1, http.Header{"Retry-After": {when}})
		c, s := newClient(t, Options{Retries: 1, Backoff: Backoff{Base: time.Millisecond}})
		resp, err := c.Do(get(t, srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if d := s.all(); len(d) != 1 || d[0] < 80*time.Second || d[0] > 91*time.Second {
			t.Errorf("waits %v, want about 90s", d)
		}
	})
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"5", 5 * time.Second},
		{" 7 ", 7 * time.Second},
		{"-1", 0},
		{"1.5", 0},
		{"soon", 0},
		{"9223372036", 9223372036 * time.Second},
		{"9223372037", 1<<63 - 1},
		{"18446744073709551616", 1<<63 - 1},
		{time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat), 0},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.in); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"", "0", "120", "121", "-5", "99999999999999999999", "Wed, 21 Oct 2015 07:28:00 GMT", " 3", "+3", "0x10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := parseRetryAfter(s)
		if d < 0 {
			t.Fatalf("parseRetryAfter(%q) = %v < 0", s, d)
		}
		// A number of seconds never comes back smaller than a smaller number.
		if t2 := strings.TrimSpace(s); t2 != "" && strings.Trim(t2, "0123456789") == "" && len(t2) < 40 {
			if d2 := parseRetryAfter(t2 + "0"); d2 < d {
				t.Fatalf("parseRetryAfter(%q0) = %v < parseRetryAfter(%q) = %v", t2, d2, s, d)
			}
		}
	})
}

func TestNetworkErrors(t *testing.T) {
	t.Parallel()
	t.Run("GET refused retried then exit 6", func(t *testing.T) {
		c, s := newClient(t, Options{Retries: 2})
		_, err := c.Do(get(t, "http://"+closedPort(t)+"/x"))
		var ne *NetError
		if !errors.As(err, &ne) || exit.Code(err) != exit.Service {
			t.Fatalf("err %v (exit %d)", err, exit.Code(err))
		}
		if len(s.all()) != 2 {
			t.Errorf("%d waits, want 2", len(s.all()))
		}
		if exit.Hint(err) == "" || !strings.Contains(err.Error(), "test: GET http://") {
			t.Errorf("err %q, hint %q", err, exit.Hint(err))
		}
	})
	t.Run("POST whose dial fails is retried", func(t *testing.T) {
		addr := closedPort(t)
		c, s := newClient(t, Options{Retries: 3})
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/create", strings.NewReader("{}"))
		_, err := c.Do(req)
		if exit.Code(err) != exit.Service || len(s.all()) != 3 {
			t.Errorf("err %v, %d waits; want exit 6 after 3 waits", err, len(s.all()))
		}
	})
	t.Run("POST whose dial fails then succeeds", func(t *testing.T) {
		// The first attempt goes to a closed port; the retry's dial reaches
		// a server that then listens there.
		addr := closedPort(t)
		var got atomic.Int32
		var body atomic.Value
		c, _ := newClient(t, Options{Retries: 3})
		c.opts.Backoff.Sleep = func(ctx context.Context, d time.Duration) error {
			if got.Load() == 0 {
				l, err := net.Listen("tcp", addr)
				if err != nil {
					t.Skipf("port %s taken meanwhile: %v", addr, err)
				}
				srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					b, _ := io.ReadAll(r.Body)
					body.Store(string(b))
					got.Add(1)
					w.WriteHeader(http.StatusCreated)
				})}}
				srv.Start()
				t.Cleanup(srv.Close)
			}
			return nil
		}
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/create", strings.NewReader(`{"a":1}`))
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got.Load() != 1 || body.Load() != `{"a":1}` || resp.StatusCode != http.StatusCreated {
			t.Errorf("%d requests, body %v, status %d", got.Load(), body.Load(), resp.StatusCode)
		}
	})
	t.Run("POST whose connection breaks is not retried", func(t *testing.T) {
		var n atomic.Int32
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		})
		c, s := newClient(t, Options{Retries: 3})
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("{}"))
		_, err := c.Do(req)
		if exit.Code(err) != exit.Service || n.Load() != 1 || len(s.all()) != 0 {
			t.Errorf("err %v, %d requests, %d waits", err, n.Load(), len(s.all()))
		}
	})
}

func TestStatusExit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status int
		want   int
	}{
		{401, exit.Auth}, {403, exit.Auth}, {404, exit.NotFound}, {400, exit.Rejected},
		{409, exit.Rejected}, {422, exit.Rejected}, {500, exit.Service}, {503, exit.Service},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				io.WriteString(w, "{\n  \"message\": \"went   wrong\"\n}")
			})
			c, _ := newClient(t, Options{Service: "svc", Retries: 0})
			_, err := c.Do(get(t, srv.URL))
			if got := exit.Code(err); got != tt.want {
				t.Errorf("exit %d, want %d (err %v)", got, tt.want, err)
			}
			if StatusExit(tt.status) != tt.want {
				t.Errorf("StatusExit(%d) = %d", tt.status, StatusExit(tt.status))
			}
			// Without a decoder the body is summarised on one line.
			if !strings.Contains(err.Error(), `svc: HTTP `+fmt.Sprint(tt.status)+`: { "message": "went wrong" }`) {
				t.Errorf("message %q", err)
			}
			if tt.status == 401 || tt.status == 403 || tt.status >= 500 {
				if exit.Hint(err) == "" {
					t.Errorf("no hint for %d", tt.status)
				}
			}
		})
	}
}

func TestAPIErrorMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		e    APIError
		want string
	}{
		{APIError{Service: "logs", Status: 401, Code: "CC.00000003", Message: "expired"}, "logs: HTTP 401: expired (code CC.00000003)"},
		{APIError{Status: 404}, "HTTP 404 Not Found"},
		{APIError{Service: "s", Status: 200, Message: "busy"}, "s: HTTP 200: busy"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	if (&APIError{Status: 404, Exit: exit.Rejected}).ExitCode() != exit.Rejected {
		t.Error("Exit does not override Status")
	}
}

func TestDecodeErrorHook(t *testing.T) {
	t.Parallel()
	var gotBody []byte
	var gotStatus int
	hook := func(resp *http.Response, body []byte) *APIError {
		gotBody, gotStatus = body, resp.StatusCode
		return &APIError{Code: "4", Message: "task artifacts disabled", Next: "re-run the task with debug_report=true", Exit: exit.NotFound}
	}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"code":4,"message":"task artifacts disabled for this task"}`)
	})
	c, _ := newClient(t, Options{Service: "sandbox", DecodeError: hook})
	_, err := c.Do(get(t, srv.URL))
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err %v", err)
	}
	if gotStatus != 400 || string(gotBody) != `{"code":4,"message":"task artifacts disabled for this task"}` {
		t.Errorf("hook got %d %q", gotStatus, gotBody)
	}
	if apiErr.Code != "4" || apiErr.Service != "sandbox" || apiErr.Status != 400 || exit.Code(err) != exit.NotFound ||
		exit.Hint(err) != "re-run the task with debug_report=true" || !strings.Contains(err.Error(), "task artifacts disabled") {
		t.Errorf("hook result not used: %+v (exit %d, hint %q)", apiErr, exit.Code(err), exit.Hint(err))
	}

	// A hook that does not recognise the body leaves the summary.
	c, _ = newClient(t, Options{Service: "sandbox", DecodeError: func(*http.Response, []byte) *APIError { return nil }})
	_, err = c.Do(get(t, srv.URL))
	if !strings.Contains(err.Error(), `"code":4`) || exit.Code(err) != exit.Rejected {
		t.Errorf("nil hook result: %v", err)
	}
}

func TestErrorBodyBounded(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		for i := 0; i < 64; i++ { // 4 MiB
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	var size int
	c, _ := newClient(t, Options{DecodeError: func(_ *http.Response, b []byte) *APIError { size = len(b); return nil }})
	_, err := c.Do(get(t, srv.URL))
	if size != errorBodyLimit || exit.Code(err) != exit.Rejected || len(err.Error()) > 400 {
		t.Errorf("decoder got %d bytes, err %.100v", size, err)
	}
}

var zipBody = append([]byte("PK\x03\x04\x14\x00\x00\x00\x00\x00"), bytes.Repeat([]byte{0, 1, 2, 0xff}, 50_000)...)

func TestDoBinary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		status      int
		contentType string
		body        []byte
		wantErr     int // 0: the body must come back intact
	}{
		{"zip passes intact", 200, "application/zip", zipBody, 0},
		{"zip as octet-stream", 200, "application/octet-stream", zipBody, 0},
		{"no content type", 200, "", zipBody, 0},
		{"empty body", 200, "application/octet-stream", nil, 0},
		{"one byte", 200, "application/zip", []byte("P"), 0},
		// A 200 with an error body is the service misbehaving (6) unless
		// the decoder gave the vendor code a status of its own.
		{"vendor json error with 200", 200, "application/json", []byte(`{"error_code":"CC.00050012","error_msg":"retry later"}`), exit.Service},
		{"vendor code under octet-stream", 200, "application/octet-stream", []byte(`{"error_code":"CC.00050012"}`), exit.Service},
		{"unknown json with charset", 200, "application/json; charset=utf-8", []byte(`{"x":1}`), exit.Service},
		{"problem+json", 200, "application/problem+json", []byte(`{"x":1}`), exit.Service},
		{"brace under octet-stream", 200, "application/octet-stream", []byte(`{"x":1}`), exit.Service},
		{"text", 200, "text/plain", []byte("Internal error, please retry"), exit.Service},
		{"html", 200, "text/html", []byte("<html>login</html>"), exit.Service},
		{"404 json", 404, "application/json", []byte(`{"code":6,"message":"task not found"}`), exit.NotFound},
	}
	// decodeCodeArts knows the {"error_code","error_msg"} body.
	decodeCodeArts := func(_ *http.Response, b []byte) *APIError {
		var v struct {
			Code string `json:"error_code"`
			Msg  string `json:"error_msg"`
		}
		if json.Unmarshal(b, &v) != nil || v.Code == "" {
			return nil
		}
		return &APIError{Code: v.Code, Message: v.Msg}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				} else {
					w.Header()["Content-Type"] = nil
				}
				w.WriteHeader(tt.status)
				w.Write(tt.body)
			})
			c, _ := newClient(t, Options{Service: "logs", DecodeError: decodeCodeArts})
			resp, err := c.DoBinary(get(t, srv.URL))
			if tt.wantErr != 0 {
				if err == nil {
					resp.Body.Close()
					t.Fatal("an error body was handed back as the file")
				}
				var apiErr *APIError
				if !errors.As(err, &apiErr) || exit.Code(err) != tt.wantErr {
					t.Errorf("err %v (exit %d), want APIError exit %d", err, exit.Code(err), tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.body) {
				t.Errorf("body changed: %d bytes, want %d; starts %q", len(got), len(tt.body), got[:min(len(got), 8)])
			}
		})
	}
}

func TestDoBinaryVendorCodeDecides(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if n.Add(1) == 1 {
			io.WriteString(w, `{"error_code":"CC.00000000","error_msg":"network busy"}`)
			return
		}
		io.WriteString(w, `{"error_code":"CC.00050001","error_msg":"not found"}`)
	})
	hook := func(_ *http.Response, b []byte) *APIError {
		if bytes.Contains(b, []byte("CC.00000000")) {
			return &APIError{Code: "CC.00000000", Message: "network busy", Retryable: true}
		}
		return &APIError{Code: "CC.00050001", Message: "not found", Exit: exit.NotFound}
	}
	c, s := newClient(t, Options{Service: "logs", Retries: 3, DecodeError: hook})
	_, err := c.DoBinary(get(t, srv.URL))
	if n.Load() != 2 || len(s.all()) != 1 {
		t.Errorf("%d requests, %d waits: a retryable vendor code in a 200 was not retried once", n.Load(), len(s.all()))
	}
	if exit.Code(err) != exit.NotFound {
		t.Errorf("exit %d, want the vendor code's %d: %v", exit.Code(err), exit.NotFound, err)
	}
}

// stallServer sends headers and half of a declared body, then nothing.
func stallServer(t *testing.T, status int, contentType string, sendFirst int) *httptest.Server {
	return newBlockingServer(t, func(w http.ResponseWriter, r *http.Request, wait func()) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Length", "2000")
		w.WriteHeader(status)
		w.Write(zipBody[:sendFirst])
		w.(http.Flusher).Flush()
		wait()
	})
}

// within runs f and fails the test if it has not returned after d: a
// layer that hangs must fail its test, not the whole run's timeout.
func within(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("still blocked after %v", d)
	}
}

func assertStalled(t *testing.T, err error, start time.Time) {
	t.Helper()
	if err == nil {
		t.Fatal("no error from a stalled transfer")
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("stall detected after %v", el)
	}
	if !errors.Is(err, ErrStalled) {
		t.Errorf("err %v does not wrap ErrStalled", err)
	}
	var ne *NetError
	if !errors.As(err, &ne) || exit.Code(err) != exit.Service {
		t.Errorf("err %v (%T) is not a NetError with exit 6", err, err)
	}
}

func TestStallDetector(t *testing.T) {
	t.Parallel()
	t.Run("mid-body", func(t *testing.T) {
		srv := stallServer(t, 200, "application/zip", 1000)
		c, _ := newClient(t, Options{StallTimeout: 200 * time.Millisecond})
		resp, err := c.DoBinary(get(t, srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		start := time.Now()
		var got []byte
		within(t, 5*time.Second, func() { got, err = io.ReadAll(resp.Body) })
		if len(got) != 1000 {
			t.Errorf("read %d bytes before the stall, want 1000", len(got))
		}
		assertStalled(t, err, start)
	})
	t.Run("before the first byte of a download", func(t *testing.T) {
		srv := stallServer(t, 200, "application/zip", 0)
		c, _ := newClient(t, Options{StallTimeout: 200 * time.Millisecond})
		start := time.Now()
		var err error
		within(t, 5*time.Second, func() {
			var resp *http.Response
			resp, err = c.DoBinary(get(t, srv.URL))
			if err == nil {
				_, err = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
		})
		assertStalled(t, err, start)
	})
	t.Run("in an error body", func(t *testing.T) {
		srv := stallServer(t, 404, "application/json", 10)
		c, _ := newClient(t, Options{StallTimeout: 200 * time.Millisecond})
		start := time.Now()
		var err error
		within(t, 5*time.Second, func() { _, err = c.Do(get(t, srv.URL)) })
		if exit.Code(err) != exit.NotFound || time.Since(start) > 3*time.Second {
			t.Errorf("err %v after %v", err, time.Since(start))
		}
	})
	t.Run("slow but steady is not a stall", func(t *testing.T) {
		// The body takes longer than the stall limit as a whole, while no
		// gap comes near it (a 5x margin, so a busy machine does not make
		// a gap look like a stall).
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/zip")
			for i := 0; i < 8; i++ {
				w.Write([]byte("PK"))
				w.(http.Flusher).Flush()
				time.Sleep(100 * time.Millisecond)
			}
		})
		c, _ := newClient(t, Options{StallTimeout: 500 * time.Millisecond})
		resp, err := c.DoBinary(get(t, srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if b, err := io.ReadAll(resp.Body); err != nil || len(b) != 16 {
			t.Errorf("read %d bytes, err %v", len(b), err)
		}
	})
}

func TestInterruptMidBody(t *testing.T) {
	t.Parallel()
	srv := stallServer(t, 200, "application/zip", 100)
	c, _ := newClient(t, Options{})
	ctx, cancel := context.WithCancelCause(context.Background())
	resp, err := c.DoBinary(get(t, srv.URL).WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	time.AfterFunc(100*time.Millisecond, func() { cancel(exit.ErrInterrupted) })
	_, err = io.ReadAll(resp.Body)
	if exit.Code(err) != exit.Interrupted {
		t.Errorf("err %v (exit %d), want exit 130", err, exit.Code(err))
	}
}

func TestInterruptDuringWait(t *testing.T) {
	t.Parallel()
	srv, _, _ := failing(t, 503, 5, nil)
	c, err := New(Options{Retries: 3, Backoff: Backoff{Base: time.Hour, Max: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	time.AfterFunc(100*time.Millisecond, func() { cancel(exit.ErrInterrupted) })
	start := time.Now()
	_, err = c.Do(get(t, srv.URL).WithContext(ctx))
	if exit.Code(err) != exit.Interrupted || time.Since(start) > 5*time.Second {
		t.Errorf("err %v after %v", err, time.Since(start))
	}
}

func TestTimeout(t *testing.T) {
	t.Parallel()
	t.Run("slow headers", func(t *testing.T) {
		srv := newBlockingServer(t, func(w http.ResponseWriter, r *http.Request, wait func()) { wait() })
		c, _ := newClient(t, Options{Timeout: 200 * time.Millisecond})
		start := time.Now()
		_, err := c.Do(get(t, srv.URL))
		if el := time.Since(start); el > 3*time.Second {
			t.Errorf("took %v", el)
		}
		var te *TimeoutError
		if !errors.As(err, &te) || exit.Code(err) != exit.Service || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err %v", err)
		}
		if err.Error() != "test: GET "+srv.URL+": timed out after 200ms" || !strings.HasPrefix(exit.Hint(err), "raise --timeout") {
			t.Errorf("err %q, hint %q", err, exit.Hint(err))
		}
	})
	t.Run("whole request includes the body", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/zip")
			for i := 0; i < 100; i++ {
				if _, err := w.Write([]byte("PK")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				time.Sleep(50 * time.Millisecond)
			}
		})
		c, _ := newClient(t, Options{Timeout: 400 * time.Millisecond})
		start := time.Now()
		resp, err := c.DoBinary(get(t, srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		_, err = io.ReadAll(resp.Body)
		if el := time.Since(start); el > 3*time.Second {
			t.Errorf("took %v", el)
		}
		var te *TimeoutError
		if !errors.As(err, &te) || !errors.Is(err, context.DeadlineExceeded) || exit.Code(err) != exit.Service {
			t.Errorf("err %v (%T)", err, err)
		}
	})
}

func writeCertPEM(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	data := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestTLS(t *testing.T) {
	t.Parallel()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	// httptest's certificate names 127.0.0.1 and example.com.

	t.Run("untrusted", func(t *testing.T) {
		var warn bytes.Buffer
		c, s := newClient(t, Options{Service: "sandbox", Retries: 2, Warn: &warn})
		_, err := c.Do(get(t, srv.URL))
		if err == nil {
			t.Fatal("an untrusted certificate was accepted")
		}
		var ne *NetError
		if !errors.As(err, &ne) || exit.Code(err) != exit.Service {
			t.Errorf("err %v", err)
		}
		h := exit.Hint(err)
		if !strings.Contains(h, "--ca-cert") || !strings.Contains(h, "--insecure") || !strings.Contains(h, "sandbox.insecure") {
			t.Errorf("hint %q", h)
		}
		if warn.Len() != 0 {
			t.Errorf("warning without --insecure: %q", warn.String())
		}
		_ = s
	})
	t.Run("ca-cert", func(t *testing.T) {
		c, _ := newClient(t, Options{CACert: writeCertPEM(t, srv)})
		resp, err := c.Do(get(t, srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	})
	t.Run("ca-cert does not vouch for another name", func(t *testing.T) {
		c, _ := newClient(t, Options{CACert: writeCertPEM(t, srv)})
		_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
		_, err := c.Do(get(t, "https://localhost:"+port))
		if err == nil || !strings.Contains(exit.Hint(err), "the certificate is for example.com") || !strings.Contains(exit.Hint(err), "not localhost") {
			t.Errorf("err %v, hint %q", err, exit.Hint(err))
		}
	})
	t.Run("insecure warns", func(t *testing.T) {
		var warn bytes.Buffer
		c, _ := newClient(t, Options{Service: "sandbox", Insecure: true, Warn: &warn})
		resp, err := c.Do(get(t, srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if !strings.Contains(warn.String(), "warning") || !strings.Contains(warn.String(), "sandbox") || !strings.Contains(warn.String(), "--insecure") {
			t.Errorf("warning %q", warn.String())
		}
	})
	t.Run("ca-cert without PEM", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "not.pem")
		os.WriteFile(path, []byte("hello, not a certificate\n"), 0o600)
		_, err := New(Options{CACert: path})
		if exit.Code(err) != exit.Usage || !strings.Contains(err.Error(), path) || exit.Hint(err) == "" {
			t.Errorf("err %v (exit %d)", err, exit.Code(err))
		}
	})
	t.Run("ca-cert missing", func(t *testing.T) {
		_, err := New(Options{CACert: filepath.Join(t.TempDir(), "none.pem")})
		if exit.Code(err) != exit.Usage {
			t.Errorf("err %v (exit %d)", err, exit.Code(err))
		}
	})
}

func TestUserAgent(t *testing.T) {
	t.Parallel()
	var ua atomic.Value
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { ua.Store(r.Header.Get("User-Agent")) })
	c, _ := newClient(t, Options{UserAgent: "diagctl/1.2.3"})
	resp, err := c.Do(get(t, srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ua.Load() != "diagctl/1.2.3" {
		t.Errorf("User-Agent %q", ua.Load())
	}
	// A caller's own User-Agent is kept.
	req := get(t, srv.URL)
	req.Header.Set("User-Agent", "custom/1")
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ua.Load() != "custom/1" {
		t.Errorf("User-Agent %q", ua.Load())
	}
}

func TestBodyNotReplayable(t *testing.T) {
	t.Parallel()
	srv, n, _ := failing(t, 503, 5, nil)
	c, _ := newClient(t, Options{Retries: 3})
	req, _ := http.NewRequest(http.MethodPut, srv.URL, io.NopCloser(strings.NewReader("x")))
	req.GetBody = nil
	_, err := c.Do(req)
	if n.Load() != 1 || err == nil || exit.Code(err) != exit.Service {
		t.Errorf("%d requests, err %v", n.Load(), err)
	}
}

func TestRedactURL(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"https://h/x?a=1":         "https://h/x?a=1",
		"https://u@h/x":           "https://u@h/x",
		"https://u:p4ss@h/x":      "https://u:[redacted]@h/x",
		"https://u:xxxxx@h/xxxxx": "https://u:[redacted]@h/xxxxx",
		"https://u:p%40ss@h/x":    "https://u:[redacted]@h/x",
		"::not a url":             "::not a url",
	}
	for in, want := range tests {
		if got := redactURL(in); got != want {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
