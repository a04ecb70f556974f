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
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/diagctl/diagctl/internal/exit"
)

// Options configure a Client for one service.
type Options struct {
	Service   string // "sandbox", "logs", ...: named in messages and hints
	UserAgent string
	Timeout   time.Duration // whole request, body included; 0 means none
	Retries   int           // retries after the first attempt
	Insecure  bool
	CACert    string    // PEM file trusted besides the system pool
	Trace     io.Writer // -v: curl-style trace, secrets redacted; nil for none
	Warn      io.Writer // where warnings go (--insecure); nil for none

	// Auth sets credentials on a request. It is called only for requests to
	// the host the call started with, so a redirect elsewhere never
	// carries them.
	Auth func(h http.Header)
	// SecretHeaders are redacted in the trace besides the standard ones.
	SecretHeaders []string
	// DecodeError turns a vendor's error body into an APIError. It is given
	// the response (status, headers) and up to 1 MiB of its body.
	DecodeError func(resp *http.Response, body []byte) *APIError

	// Limits; zero values get the documented defaults.
	ConnectTimeout time.Duration // 30 s
	TLSTimeout     time.Duration // 30 s
	HeaderTimeout  time.Duration // 30 s
	StallTimeout   time.Duration // 60 s
	BaseDelay      time.Duration // first retry delay, 500 ms
	MaxDelay       time.Duration // longest wait between attempts, 30 s
}

// Client sends requests for one service.
type Client struct {
	opts Options
	hc   *http.Client
	// sleep waits between attempts; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
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
	def(&o.BaseDelay, 500*time.Millisecond)
	def(&o.MaxDelay, 30*time.Second)

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
			io.WriteString(o.Warn, "warning: TLS certificate verification is off for "+o.Service+" (--insecure): anyone on the network path can read and alter this traffic\n")
		}
	}
	dialer := &net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: 30 * time.Second}
	transport := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSClientConfig:       tlsConf,
		TLSHandshakeTimeout:   o.TLSTimeout,
		ResponseHeaderTimeout: o.HeaderTimeout,
		ExpectContinueTimeout: time.Second,
		ForceAttemptHTTP2:     true,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		// Archives are sent as they are; transparent gzip would break
		// Content-Length, ranges and the byte count.
		DisableCompression: true,
		ReadBufferSize:     256 << 10,
	}
	var rt http.RoundTripper = transport
	if o.Trace != nil {
		rt = &traceTransport{next: rt, w: o.Trace, secret: secretSet(o.SecretHeaders)}
	}
	rt = &authTransport{next: rt, auth: o.Auth}
	c := &Client{opts: o, hc: &http.Client{Transport: rt}, sleep: sleepCtx}
	return c, nil
}

func loadPool(file string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, exit.Wrap(err, exit.Usage, "cannot read --ca-cert file", "give a readable PEM bundle")
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

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// Do sends req, retrying transient failures. GET, HEAD and PUT are retried
// on network errors, 408, 429 and 5xx; any other method only when the
// request surely never reached the server (dial failure, 429). A non-2xx
// answer is returned as an *APIError with the body decoded.
func (c *Client) Do(req *http.Request) (*http.Response, error) {
	return c.do(req, false)
}

// DoBinary is Do for a download: a 200 answer whose body is JSON or
// text (some services answer errors with status 200) is decoded as an
// error instead of being handed back as the file.
func (c *Client) DoBinary(req *http.Request) (*http.Response, error) {
	return c.do(req, true)
}

type originKey struct{}

func (c *Client) do(req *http.Request, binary bool) (*http.Response, error) {
	idempotent := req.Method == http.MethodGet || req.Method == http.MethodHead || req.Method == http.MethodPut
	parent := context.WithValue(req.Context(), originKey{}, origin{req.URL.Scheme, req.URL.Host})
	op := req.Method + " " + redactURL(req.URL.String())
	for attempt := 0; ; attempt++ {
		ctx, cancel := context.WithCancelCause(parent)
		var stopTimeout context.CancelFunc = func() {}
		if c.opts.Timeout > 0 {
			ctx, stopTimeout = context.WithTimeout(ctx, c.opts.Timeout)
		}
		release := func() { stopTimeout(); cancel(nil) }
		r := req.Clone(ctx)
		if r.Header.Get("User-Agent") == "" && c.opts.UserAgent != "" {
			r.Header.Set("User-Agent", c.opts.UserAgent)
		}
		if attempt > 0 && req.Body != nil && req.Body != http.NoBody {
			if req.GetBody == nil {
				release()
				return nil, c.classify(op, errors.New("request body cannot be replayed"))
			}
			body, err := req.GetBody()
			if err != nil {
				release()
				return nil, err
			}
			r.Body = body
		}
		resp, err := c.hc.Do(r)
		if err != nil {
			release()
			if cause := context.Cause(req.Context()); cause != nil {
				return nil, cause
			}
			retry := idempotent || notSent(err)
			if retry && attempt < c.opts.Retries {
				if werr := c.wait(req.Context(), attempt, 0, err.Error()); werr != nil {
					return nil, werr
				}
				continue
			}
			return nil, c.classify(op, err)
		}
		// Watch the body from the start: a server that sends headers and
		// then nothing must not hang the error-body read or the sniff.
		resp.Body = newWatchedBody(resp.Body, c.opts.StallTimeout, cancel, release, func(err error) error {
			if cause := context.Cause(req.Context()); cause != nil {
				return cause // interrupted: the caller's cause, unwrapped
			}
			if cause := context.Cause(ctx); cause != nil && cause != context.Canceled && !errors.Is(err, cause) {
				err = fmt.Errorf("%w (%w)", cause, err)
			}
			return c.classify(op, err)
		})
		var apiErr *APIError
		if resp.StatusCode >= 400 {
			apiErr = c.decode(resp)
		} else if binary && resp.StatusCode == http.StatusOK {
			if apiErr, resp = c.sniffError(resp); apiErr != nil && apiErr.Exit == 0 {
				// A success status with an error body: a vendor error the
				// service decoded is a rejection; anything else is simply
				// not the file we asked for.
				apiErr.Exit = exit.Failure
				if apiErr.Code != "" {
					apiErr.Exit = exit.Rejected
				}
			}
		}
		if apiErr != nil {
			release()
			retry := apiErr.Retryable && (idempotent || resp.StatusCode == http.StatusTooManyRequests)
			if retry && attempt < c.opts.Retries && apiErr.RetryAfter <= MaxRetryAfter {
				if werr := c.wait(req.Context(), attempt, apiErr.RetryAfter, apiErr.Error()); werr != nil {
					return nil, werr
				}
				continue
			}
			return nil, apiErr
		}
		return resp, nil
	}
}

// wait sleeps before the next attempt: exponential backoff with jitter,
// or the server's Retry-After when it is longer.
func (c *Client) wait(ctx context.Context, attempt int, retryAfter time.Duration, why string) error {
	d := c.opts.BaseDelay << attempt
	if d > c.opts.MaxDelay || d <= 0 {
		d = c.opts.MaxDelay
	}
	d = d/2 + rand.N(d/2+1)
	if retryAfter > d {
		d = retryAfter
	}
	if c.opts.Trace != nil {
		io.WriteString(c.opts.Trace, "* "+why+"; retrying in "+d.Round(time.Millisecond).String()+" (retry "+strconv.Itoa(attempt+1)+" of "+strconv.Itoa(c.opts.Retries)+")\n")
	}
	return c.sleep(ctx, d)
}

// decode reads an error answer's body and lets the service decode it.
func (c *Client) decode(resp *http.Response) *APIError {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, errorBodyLimit))
	resp.Body.Close()
	var e *APIError
	if c.opts.DecodeError != nil {
		e = c.opts.DecodeError(resp, body)
	}
	if e == nil {
		e = &APIError{Message: summarize(body)}
	}
	e.Service, e.Status = c.opts.Service, resp.StatusCode
	if ra := parseRetryAfter(resp.Header.Get("Retry-After")); ra > 0 {
		e.RetryAfter = ra
	}
	switch resp.StatusCode {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		e.Retryable = true
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

// sniffError looks at a success answer that should be a file: a JSON or
// text Content-Type, or a body that starts like JSON, is an error body.
// It returns the response with its body intact when it is not an error.
func (c *Client) sniffError(resp *http.Response) (*APIError, *http.Response) {
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	suspicious := mt == "application/json" || strings.HasSuffix(mt, "+json") || strings.HasPrefix(mt, "text/")
	br := bufio.NewReaderSize(resp.Body, 64<<10)
	head, _ := br.Peek(1)
	if !suspicious && !(len(head) == 1 && head[0] == '{') {
		resp.Body = readCloser{br, resp.Body}
		return nil, resp
	}
	resp.Body = readCloser{br, resp.Body}
	e := c.decode(resp)
	e.Retryable = e.Retryable && e.Code != ""
	if e.Message == "" {
		e.Message = "the answer is " + mt + ", not a file"
	}
	return e, resp
}

type readCloser struct {
	io.Reader
	io.Closer
}

// summarize makes a short, single-line message of an unknown error body.
func summarize(body []byte) string {
	s := strings.Join(strings.Fields(string(bytes.ToValidUTF8(body, nil))), " ")
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
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
