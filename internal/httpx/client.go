// Package httpx is the one HTTP layer every service client uses: TLS
// options, proxies, timeouts, a stall detector, retries with backoff,
// per-request auth that never follows a redirect to another host, a
// redacted curl-style trace and decoding of vendors' error bodies.
package httpx

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/safetext"
)

// Options configure a Client for one service.
type Options struct {
	Service   string // "sandbox", "logs", ...: named in messages and hints
	UserAgent string
	// Timeout bounds each item's whole operation (--timeout, as curl's
	// --max-time): a Send and all its retries, or everything done under
	// one Bound context. 0 means none.
	Timeout  time.Duration
	Retries  int // retries after the first attempt
	Insecure bool
	// InsecureFrom names where Insecure came from ("--insecure",
	// "DIAGCTL_SANDBOX_INSECURE", "sandbox.insecure in FILE"), for the
	// warning; "" says "--insecure".
	InsecureFrom string
	CACert       string    // PEM file trusted besides the system pool
	Trace        io.Writer // -v: curl-style trace, secrets redacted; nil for none
	Warn         io.Writer // where warnings go (--insecure); nil for none

	// Proxy is the service's proxy setting: "" follows HTTPS_PROXY,
	// HTTP_PROXY and NO_PROXY (read with Getenv); "none" goes direct; a
	// URL sends every request of the service through it. Loopback hosts
	// are never proxied. ProxyOrigin names the setting it came from
	// (--proxy, DIAGCTL_LOGS_PROXY, logs.proxy) for messages.
	Proxy       string
	ProxyOrigin string
	// Getenv reads the proxy variables; nil reads none (no proxy from
	// the environment).
	Getenv func(string) string

	// Base is the service's base URL (see URL); nil when requests are
	// built from full URLs.
	Base *url.URL

	// Auth sets credentials on a request (BasicAuth, BearerAuth,
	// HeaderAuth, or a service's signer). It is called on every attempt,
	// and only for requests to the host the call started with, so a
	// redirect elsewhere never carries them. Every header it sets is
	// redacted in the trace.
	Auth Auth
	// SecretHeaders are redacted in the trace besides the standard ones
	// and Auth's: the service's own (a token it sends back, say).
	SecretHeaders []string
	// RedactHeader, when set, shows a secret header partly in the trace:
	// given the canonical name and a value the trace would redact, it
	// returns what to show and true (a signature scheme's public parts,
	// say), or false to redact the whole value. It is asked only about
	// secret headers, so it can only reveal what it returns on purpose.
	RedactHeader func(name, value string) (string, bool)
	// DecodeError turns a vendor's error body into an APIError. It is given
	// the response (status, headers) and up to 1 MiB of its body.
	DecodeError func(resp *http.Response, body []byte) *APIError

	// Limits; zero values get the documented defaults.
	ConnectTimeout time.Duration // 30 s
	TLSTimeout     time.Duration // 30 s
	HeaderTimeout  time.Duration // 30 s
	StallTimeout   time.Duration // 60 s
	// Backoff is the wait between attempts (request retries and transfer
	// resumes); tests replace its Sleep.
	Backoff Backoff
}

// Client sends requests for one service.
type Client struct {
	opts  Options
	hc    *http.Client
	route *proxyRoute
}

// MaxRetryAfter is the longest Retry-After we wait for; a service that asks
// for more gets the error reported instead of a silent long hang.
const MaxRetryAfter = 2 * time.Minute

// errorBodyLimit bounds how much of an error body is read.
const errorBodyLimit = 1 << 20

// New builds a client. A bad --ca-cert is a usage error.
func New(o Options) (*Client, error) {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&o.ConnectTimeout, 30*time.Second)
	def(&o.TLSTimeout, 30*time.Second)
	def(&o.HeaderTimeout, 30*time.Second)
	def(&o.StallTimeout, 60*time.Second)
	o.Backoff = o.Backoff.withDefaults()

	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	if o.CACert != "" {
		pool, err := loadPool(o.CACert)
		if err != nil {
			return nil, err
		}
		tlsConf.RootCAs = pool
	}
	if o.Insecure {
		tlsConf.InsecureSkipVerify = true
		if o.Warn != nil {
			from := o.InsecureFrom
			if from == "" {
				from = "--insecure"
			}
			io.WriteString(o.Warn, "warning: TLS certificate verification is off for "+o.Service+" (set by "+from+"): anyone on the network path can read and alter this traffic\n")
		}
	}
	if o.ProxyOrigin == "" {
		o.ProxyOrigin = "the proxy setting"
	}
	route, err := newProxyRoute(o.Proxy, o.ProxyOrigin, o.Getenv)
	if err != nil {
		return nil, err
	}
	dialer := &net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: 30 * time.Second}
	transport := &http.Transport{
		Proxy:                  route.proxy,
		OnProxyConnectResponse: route.connectRefused(o.Service),
		DialContext:            dialer.DialContext,
		TLSClientConfig:        tlsConf,
		TLSHandshakeTimeout:    o.TLSTimeout,
		ResponseHeaderTimeout:  o.HeaderTimeout,
		ExpectContinueTimeout:  time.Second,
		ForceAttemptHTTP2:      true,
		MaxIdleConnsPerHost:    16,
		IdleConnTimeout:        90 * time.Second,
		// Archives are sent as they are; transparent gzip would break
		// Content-Length, ranges and the byte count.
		DisableCompression: true,
		ReadBufferSize:     256 << 10,
	}
	var rt http.RoundTripper = transport
	if o.Trace != nil {
		rt = &traceTransport{next: rt, w: o.Trace, secret: secretSet(append(o.Auth.headers(), o.SecretHeaders...)), redact: o.RedactHeader}
	}
	rt = &authTransport{next: rt, auth: o.Auth}
	c := &Client{opts: o, hc: &http.Client{Transport: rt, CheckRedirect: checkRedirect}, route: route}
	return c, nil
}

// Service is the name the client was made for ("sandbox", "logs", ...).
func (c *Client) Service() string { return c.opts.Service }

// URL is the service's base URL with escaped path segments appended.
func (c *Client) URL(segments ...string) *url.URL {
	base := c.opts.Base
	if base == nil {
		base = &url.URL{}
	}
	return JoinPath(base, segments...)
}

// StallTimeout is how long a body may send nothing before the transfer
// fails (--stall-timeout; 60 s by default).
func (c *Client) StallTimeout() time.Duration { return c.opts.StallTimeout }

// Retries is --retries: the retries one item may use.
func (c *Client) Retries() int { return c.opts.Retries }

// NewBudget is a fresh retry budget of --retries for one item.
func (c *Client) NewBudget() *Budget { return NewBudget(c.opts.Retries) }

// Backoff is the client's wait between attempts, for callers that retry
// at a higher level (a transfer's resume) on the same schedule.
func (c *Client) Backoff() Backoff { return c.opts.Backoff }

// Pause takes one retry from b and waits before it, saying why in the
// trace. It returns false when the budget is spent; an error when the
// wait was interrupted.
func (c *Client) Pause(ctx context.Context, b *Budget, retryAfter time.Duration, why string) (bool, error) {
	n, ok := b.Take()
	if !ok {
		return false, nil
	}
	d := c.opts.Backoff.Delay(n, retryAfter)
	if c.opts.Trace != nil {
		io.WriteString(c.opts.Trace, "* "+safetext.Escape(why)+"; retrying in "+d.Round(time.Millisecond).String()+" (retry "+strconv.Itoa(n)+" of "+strconv.Itoa(b.Max())+")\n")
	}
	return true, c.opts.Backoff.Sleep(ctx, d)
}

func loadPool(file string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, exit.Wrapf(err, exit.Usage, "give a readable PEM bundle", "cannot read --ca-cert file")
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, exit.UsageErrorf("the file must hold PEM certificates (-----BEGIN CERTIFICATE-----)", "--ca-cert %s holds no PEM certificate", file)
	}
	return pool, nil
}

// Call says how one request is sent.
type Call struct {
	// Retry is the request's retry policy; the zero value follows the
	// method (Idempotent for GET, HEAD, PUT; NeverSentOnly otherwise).
	Retry Retry
	// Binary: the answer should be a file, so a 200 whose body is JSON or
	// text (some services answer errors with status 200) is decoded as
	// an error instead of being handed back.
	Binary bool
	// Budget is the item's retry budget, shared with its other requests
	// (a download's resumes); nil means a fresh one of Options.Retries.
	Budget *Budget
	// NoRedirect returns a redirect (3xx with Location) as the answer
	// instead of following it: for a lookup whose answer is where the
	// content is (a signed storage URL), not the content itself. Its body
	// is the caller's to close, like any answer's.
	NoRedirect bool
	// IsFile, with Binary, recognises the file by its first bytes (at
	// most SniffLen; fewer when the body is shorter): an answer it
	// accepts is the file whatever its Content-Type says (nginx labels a
	// file without extension text/plain, proxies relabel), and one it
	// refuses is decoded as an error when it looks like one (JSON, HTML,
	// text) whatever its label.
	IsFile func(head []byte) bool
}

type noRedirectKey struct{}

// maxRedirects is net/http's own limit, kept for followed redirects.
const maxRedirects = 10

// checkRedirect follows redirects as net/http does, except for a call
// made with Call.NoRedirect, whose redirect is the answer.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if no, _ := req.Context().Value(noRedirectKey{}).(bool); no {
		return http.ErrUseLastResponse
	}
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	return nil
}

// SniffLen is how many first bytes Call.IsFile is shown.
const SniffLen = 8

// Do sends req under the method's retry policy. A non-2xx answer is
// returned as an *APIError with the body decoded; a failure to talk to
// the service as a *NetError (see MaybeSent).
func (c *Client) Do(req *http.Request) (*http.Response, error) {
	return c.Send(req, Call{})
}

// DoBinary is Do for a download (Call.Binary).
func (c *Client) DoBinary(req *http.Request) (*http.Response, error) {
	return c.Send(req, Call{Binary: true})
}

type originKey struct{}

// Send sends req as call says, retrying what its policy allows within
// its budget.
func (c *Client) Send(req *http.Request, call Call) (*http.Response, error) {
	policy := call.Retry.resolve(req.Method)
	budget := call.Budget
	if budget == nil {
		budget = c.NewBudget()
	}
	// --timeout bounds the whole call, retries and waits included, unless
	// the caller bounded the item it belongs to (Bound).
	bounded, unbound := c.Bound(req.Context())
	req = req.WithContext(bounded)
	parent := context.WithValue(bounded, originKey{}, origin{req.URL.Scheme, req.URL.Host})
	if call.NoRedirect {
		parent = context.WithValue(parent, noRedirectKey{}, true)
	}
	op := req.Method + " " + redactURL(req.URL.String())
	for attempt := 0; ; attempt++ {
		ctx, cancel := context.WithCancelCause(parent)
		release := func() { cancel(nil) }
		fail := func(err error) (*http.Response, error) { unbound(); return nil, err }
		r := req.Clone(ctx)
		if r.Header.Get("User-Agent") == "" && c.opts.UserAgent != "" {
			r.Header.Set("User-Agent", c.opts.UserAgent)
		}
		if attempt > 0 && req.Body != nil && req.Body != http.NoBody {
			if req.GetBody == nil {
				release()
				return fail(c.classify(op, req.URL, errors.New("request body cannot be replayed")))
			}
			body, err := req.GetBody()
			if err != nil {
				release()
				return fail(err)
			}
			r.Body = body
		}
		resp, err := c.hc.Do(r)
		if err != nil {
			release()
			if cause := context.Cause(req.Context()); cause != nil {
				return fail(c.during(cause, op, req.URL, err))
			}
			if authErr, ok := asAuthError(err); ok {
				return fail(authErr) // signing failed: sending again would not help
			}
			var pe *ProxyError
			if errors.As(err, &pe) && !pe.retryable() {
				return fail(pe) // the proxy's credentials or rules: the same again
			}
			if policy.retryTransport(err) && !permanent(err) {
				if ok, werr := c.Pause(req.Context(), budget, 0, err.Error()); werr != nil {
					return fail(werr)
				} else if ok {
					continue
				}
			}
			if pe != nil {
				return fail(pe)
			}
			return fail(c.classify(op, req.URL, err))
		}
		// Watch the body from the start: a server that sends headers and
		// then nothing must not hang the error-body read or the sniff.
		// The item's bound ends with the body handed back, not with an
		// error body read here before a retry.
		handedBack := false
		resp.Body = newWatchedBody(resp.Body, c.opts.StallTimeout, cancel, func() {
			release()
			if handedBack {
				unbound()
			}
		}, func(err error) error {
			if cause := context.Cause(req.Context()); cause != nil {
				return c.during(cause, op, req.URL, err) // interrupted (unwrapped) or timed out
			}
			if cause := context.Cause(ctx); cause != nil && cause != context.Canceled && !errors.Is(err, cause) {
				err = fmt.Errorf("%w (%w)", cause, err)
			}
			return c.classify(op, req.URL, err)
		})
		var apiErr *APIError
		encodingErr := decodeContentEncoding(r, resp)
		switch {
		case resp.StatusCode == http.StatusProxyAuthRequired:
			resp.Body.Close()
			return fail(c.route.proxyError(c.opts.Service, c.route.proxyOf(req.URL), req.URL, resp))
		case resp.StatusCode >= 400:
			apiErr = c.decode(resp)
		case call.Binary && encodingErr != nil:
			resp.Body.Close()
			apiErr = encodingErr
		case call.Binary && resp.StatusCode == http.StatusOK:
			if apiErr, resp = c.sniffError(resp, call.IsFile); apiErr != nil && apiErr.Exit == 0 {
				// A success status with an error body: the vendor code's
				// own status when the decoder gave it one (not found,
				// expired token, ...), else the service misbehaved. The
				// same in every service.
				apiErr.Exit = exit.Service
			}
		}
		if apiErr != nil {
			release()
			if policy.retryAnswer(apiErr) && apiErr.RetryAfter <= MaxRetryAfter {
				if ok, werr := c.Pause(req.Context(), budget, apiErr.RetryAfter, apiErr.Error()); werr != nil {
					return fail(werr)
				} else if ok {
					continue
				}
			}
			return fail(apiErr)
		}
		handedBack = true
		return resp, nil
	}
}

// decode reads an error answer's body and lets the service decode it.
func (c *Client) decode(resp *http.Response) *APIError {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, errorBodyLimit))
	resp.Body.Close()
	c.traceErrorBody(body)
	var e *APIError
	if c.opts.DecodeError != nil {
		e = c.opts.DecodeError(resp, body)
	}
	if e == nil {
		e = &APIError{}
	}
	if e.Message == "" && e.Code == "" {
		// Not the vendor's body: a web server's or a proxy's page says
		// what happened (nginx's "400 The plain HTTP request was sent to
		// HTTPS port").
		e.Message = summarize(body)
	}
	e.Service, e.Status = c.opts.Service, resp.StatusCode
	if e.RequestID == "" {
		e.RequestID = RequestID(resp.Header)
	}
	if ra := parseRetryAfter(resp.Header.Get("Retry-After")); ra > 0 {
		e.RetryAfter = ra
	}
	switch resp.StatusCode {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		e.Retryable = true
	}
	if e.Next == "" {
		e.Next = schemeHint(resp, body)
	}
	if e.Next == "" {
		e.Next = defaultNext(c.opts.Service, resp.StatusCode)
	}
	return e
}

func defaultNext(svc string, status int) string {
	switch {
	case status == http.StatusUnauthorized:
		return "check the " + svc + " credentials (diagctl config list shows where each setting comes from)"
	case status == http.StatusForbidden:
		return "the credentials are valid but lack permission for this; ask the service's administrator"
	case status >= 500:
		return "the service failed; try again later"
	}
	return ""
}

// traceBodyMax is how much of an error body -v shows: enough to read the
// vendor's message, as curl -v shows the body.
const traceBodyMax = 1024

// traceErrorBody shows the start of an error body in the -v trace, each
// line escaped (it is the server's text) and prefixed "< ", after the
// headers.
func (c *Client) traceErrorBody(body []byte) {
	if c.opts.Trace == nil || len(body) == 0 {
		return
	}
	var b strings.Builder
	shown := body
	if len(shown) > traceBodyMax {
		shown = shown[:traceBodyMax]
		fmt.Fprintf(&b, "* error body, the first %d of %d bytes:\n", traceBodyMax, len(body))
	} else {
		fmt.Fprintf(&b, "* error body, %d bytes:\n", len(body))
	}
	for _, line := range strings.SplitAfter(string(shown), "\n") {
		if line == "" {
			continue
		}
		b.WriteString("< " + safetext.Escape(strings.TrimSuffix(line, "\n")) + "\n")
	}
	io.WriteString(c.opts.Trace, b.String())
}

// sniffError looks at a success answer that should be a file. With
// isFile, the first bytes decide: the file's signature passes whatever
// the Content-Type, and anything else that looks like an error body
// (JSON, HTML, text: by its label or its first bytes) is decoded as one.
// Without isFile, a JSON or text Content-Type, or a body that starts like
// JSON, is an error body. It returns the response with its body intact
// when it is not an error.
func (c *Client) sniffError(resp *http.Response, isFile func([]byte) bool) (*APIError, *http.Response) {
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	br := bufio.NewReaderSize(resp.Body, 64<<10)
	resp.Body = readCloser{br, resp.Body}
	if isFile != nil {
		head, _ := br.Peek(SniffLen)
		if isFile(head) {
			return nil, resp
		}
		if !errorLabel(mt) && !errorStart(br) {
			return nil, resp // not the file, not an error body: the caller says what it is
		}
	} else {
		head, _ := br.Peek(1)
		if !errorLabel(mt) && !(len(head) == 1 && head[0] == '{') {
			return nil, resp
		}
	}
	e := c.decode(resp)
	e.Retryable = e.Retryable && e.Code != ""
	if e.Message == "" {
		e.Message = "the answer is " + mt + ", not a file"
	}
	return e, resp
}

// errorLabel: a Content-Type error bodies come in.
func errorLabel(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json") || strings.HasPrefix(mt, "text/") ||
		mt == "application/xml" || strings.HasSuffix(mt, "+xml") || mt == "application/problem+json"
}

// errorStart: the body starts like JSON, HTML or XML (after blanks), or
// is short printable text, as error pages are.
func errorStart(br *bufio.Reader) bool {
	head, _ := br.Peek(512)
	t := bytes.TrimLeft(head, " \t\r\n")
	if len(t) == 0 {
		return false
	}
	switch t[0] {
	case '{', '[', '<':
		return true
	}
	for _, c := range head {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return false
		}
	}
	return utf8.Valid(head) || len(head) == 512 // a cut rune at the end
}

type readCloser struct {
	io.Reader
	io.Closer
}

// summarize makes a short, single-line message of an unknown error body:
// an HTML page's title when it has one (proxies and web servers answer
// with pages), else its text; never its binary (a body that is not text
// is described, not quoted).
func summarize(body []byte) string {
	if !looksText(body) {
		return fmt.Sprintf("a %d-byte answer that is not text", len(body))
	}
	if t := htmlTitle(body); t != "" {
		body = []byte(t)
	}
	s := strings.Join(strings.Fields(string(bytes.ToValidUTF8(body, nil))), " ")
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return safetext.Escape(s)
}

// looksText: no NUL, and mostly valid UTF-8, as error pages are.
func looksText(b []byte) bool {
	if bytes.IndexByte(b, 0) >= 0 {
		return false
	}
	return utf8.Valid(b) || len(bytes.ToValidUTF8(b, nil)) > len(b)*9/10
}

func htmlTitle(b []byte) string {
	lower := bytes.ToLower(b)
	i := bytes.Index(lower, []byte("<title>"))
	if i < 0 {
		return ""
	}
	j := bytes.Index(lower[i:], []byte("</title>"))
	if j < 0 {
		return ""
	}
	return strings.TrimSpace(string(b[i+len("<title>") : i+j]))
}

// parseRetryAfter reads seconds or an HTTP date. A number of seconds too
// large for a Duration is the longest Duration, never a wrapped-around or
// zero one (which would retry at once instead of giving up).
func parseRetryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		if err != nil || n > uint64(math.MaxInt64/int64(time.Second)) {
			return math.MaxInt64
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}
