package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Retry is a request's retry policy: when a failed attempt may be sent
// again without risking a second effect on the service. Each request
// states it (Call.Retry); the zero value derives it from the method.
type Retry int

const (
	// ByMethod is Idempotent for GET, HEAD and PUT and NeverSentOnly for
	// every other method.
	ByMethod Retry = iota
	// Idempotent retries any transient failure: network errors, 408,
	// 429, 5xx and the vendor codes the service's decoder marks
	// retryable.
	Idempotent
	// NeverSentOnly retries only when the request surely never reached
	// the service: the dial or the DNS lookup failed. It is the default
	// for POST: a request that may have arrived is never sent again.
	NeverSentOnly
	// Also429 is NeverSentOnly plus a 429 answer: the service said it did
	// not process the request (the symbol service's batches).
	Also429
)

func (p Retry) resolve(method string) Retry {
	if p != ByMethod {
		return p
	}
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut:
		return Idempotent
	}
	return NeverSentOnly
}

// retryTransport: a transport error may be retried under p.
func (p Retry) retryTransport(err error) bool {
	return p == Idempotent || notSent(err)
}

// retryAnswer: an error answer (already marked Retryable or not by the
// status and the decoder) may be retried under p.
func (p Retry) retryAnswer(e *APIError) bool {
	switch p {
	case Idempotent:
		return e.Retryable
	case Also429:
		return e.Status == http.StatusTooManyRequests
	}
	return false
}

// errHTTPToHTTPS is net/http's text (an unexported error value) for a TLS
// handshake that got a plain HTTP answer.
const errHTTPToHTTPS = "server gave HTTP response to HTTPS client"

// permanent reports whether a transport error would fail the same way
// on every attempt, so retrying only makes the user wait: a host name
// that does not exist, a certificate that is not trusted or does not name
// the host, or a TLS handshake answered in plain HTTP (an https:// URL
// aimed at an http port). A DNS failure that may pass (a timeout, a
// server failure) is still retried.
func permanent(err error) bool {
	var (
		dnsErr    *net.DNSError
		recErr    tls.RecordHeaderError
		unknownCA x509.UnknownAuthorityError
		hostErr   x509.HostnameError
		invalid   x509.CertificateInvalidError
		verifyErr *tls.CertificateVerificationError
	)
	switch {
	case errors.As(err, &dnsErr):
		return dnsErr.IsNotFound
	case strings.Contains(err.Error(), errHTTPToHTTPS):
		return true
	case errors.As(err, &recErr), errors.As(err, &unknownCA), errors.As(err, &hostErr),
		errors.As(err, &invalid), errors.As(err, &verifyErr):
		return true
	}
	return false
}

// notSent reports whether err happened before any byte of the request
// could reach the server, so even a POST may safely be sent again.
func notSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "proxyconnect" {
		// The proxy could not be dialled (or its TLS failed): nothing
		// went past it. Its dial error is inside.
		if !errors.As(op.Err, &op) {
			return false
		}
	}
	if op != nil && op.Op == "dial" {
		return true
	}
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr)
}

// MaybeSent reports whether the request that failed with err (an error
// from Client.Do or Client.Send) may have reached the service, so that
// whatever it asked for may have happened: a command that creates
// something says "it may exist; check before re-running". Only a failed
// dial or DNS lookup proves the request was never sent; an answer from
// the service (an *APIError) proves it was.
func MaybeSent(err error) bool {
	var ne *NetError
	if errors.As(err, &ne) {
		return !ne.NotSent
	}
	return err != nil
}

// Budget is the number of retries one item may use, shared by every
// request made for it: the retries of each request and the resumes of a
// broken transfer draw on the same budget, so --retries N bounds the
// item's requests at N+1. It is safe for concurrent use.
type Budget struct {
	mu   sync.Mutex
	max  int
	used int
}

// NewBudget allows retries retries (0 or more).
func NewBudget(retries int) *Budget { return &Budget{max: max(retries, 0)} }

// Take uses one retry; it returns the retry's number (1-based) and false
// when the budget is spent.
func (b *Budget) Take() (int, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used >= b.max {
		return b.used, false
	}
	b.used++
	return b.used, true
}

// Used is how many retries were taken; Max how many are allowed.
func (b *Budget) Used() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}

// Max is the number of retries allowed.
func (b *Budget) Max() int { return b.max }

// Backoff is the one wait between attempts, for request retries and
// transfer resumes alike: exponential from Base, capped at Max, with
// jitter (a uniform wait in [d/2, d]), or the server's Retry-After when
// that is longer. Sleep does the waiting; tests replace it so that no
// test sleeps for real.
type Backoff struct {
	Base  time.Duration                                    // first wait; 500 ms when 0
	Max   time.Duration                                    // longest wait; 30 s when 0
	Sleep func(ctx context.Context, d time.Duration) error // SleepCtx when nil
}

func (b Backoff) withDefaults() Backoff {
	if b.Base <= 0 {
		b.Base = 500 * time.Millisecond
	}
	if b.Max <= 0 {
		b.Max = 30 * time.Second
	}
	if b.Sleep == nil {
		b.Sleep = SleepCtx
	}
	return b
}

// Delay is the wait before retry number n (1-based).
func (b Backoff) Delay(n int, retryAfter time.Duration) time.Duration {
	b = b.withDefaults()
	d := b.Base << max(n-1, 0)
	if d > b.Max || d <= 0 {
		d = b.Max
	}
	d = d/2 + rand.N(d/2+1)
	if retryAfter > d {
		d = retryAfter
	}
	return d
}

// Wait sleeps Delay(n, retryAfter), or less when ctx ends (it then
// returns the context's cause).
func (b Backoff) Wait(ctx context.Context, n int, retryAfter time.Duration) error {
	return b.withDefaults().Sleep(ctx, b.Delay(n, retryAfter))
}

// SleepCtx waits d, or until ctx ends (then it returns the context's
// cause: exit.ErrInterrupted on Ctrl-C). It is the one real sleep of the
// retry paths.
func SleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return context.Cause(ctx)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// NoSleep is a Backoff.Sleep for tests and the emulator-driven scripts:
// it returns at once (with the context's cause when it has ended).
func NoSleep(ctx context.Context, _ time.Duration) error { return context.Cause(ctx) }
