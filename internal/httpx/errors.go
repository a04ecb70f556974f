package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/safetext"
)

// APIError is an answer the service gave that is not a success: its
// status, the vendor's code and message, and what the user should do.
type APIError struct {
	Service string
	Status  int
	Code    string // vendor error code, e.g. "CC.00000003" or "4"
	Message string
	Next    string // what to do next
	Exit    int    // exit status; 0 means derived from Status

	// RequestID is the id the service gave this request (X-Request-Id,
	// x-ms-request-id, ...): support asks for it. Named in Error().
	RequestID string

	// Retryable: the service asked us to come back later (busy, 503, 429).
	Retryable  bool
	RetryAfter time.Duration
}

// requestIDHeaders carry a service's id for one request, most specific
// first: CodeArts and most gateways send X-Request-Id, Azure
// x-ms-request-id, Azure DevOps X-TFS-ActivityId (and X-VSS-E2EID).
var requestIDHeaders = []string{"X-Request-Id", "X-Ms-Request-Id", "X-Tfs-Activityid", "X-Vss-E2eid", "X-Correlation-Id"}

// RequestID is the service's id for the request that got resp ("" when
// it sent none), escaped so it is safe to print.
func RequestID(h http.Header) string {
	for _, k := range requestIDHeaders {
		if v := strings.TrimSpace(h.Get(k)); v != "" {
			if len(v) > 128 {
				v = v[:128]
			}
			return safetext.Escape(v)
		}
	}
	return ""
}

func (e *APIError) Error() string {
	var b strings.Builder
	if e.Service != "" {
		b.WriteString(e.Service + ": ")
	}
	fmt.Fprintf(&b, "HTTP %d", e.Status)
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	} else if t := http.StatusText(e.Status); t != "" {
		b.WriteString(" " + t)
	}
	if e.Code != "" {
		b.WriteString(" (code " + e.Code + ")")
	}
	if e.RequestID != "" {
		b.WriteString(" [request id " + e.RequestID + "]")
	}
	return b.String()
}

func (e *APIError) Hint() string { return e.Next }

// ExitCode maps the answer to the documented exit statuses.
func (e *APIError) ExitCode() int {
	if e.Exit != 0 {
		return e.Exit
	}
	return StatusExit(e.Status)
}

// StatusExit is the exit status of an HTTP error status.
func StatusExit(status int) int {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return exit.Auth
	case status == http.StatusNotFound:
		return exit.NotFound
	case status >= 400 && status < 500:
		return exit.Rejected
	default:
		return exit.Service
	}
}

// NetError is a failure to talk to the service at all: DNS, connection,
// TLS, timeout or a transfer that stalled.
type NetError struct {
	Service string
	Op      string // what we were doing, e.g. "GET https://host/path"
	Err     error
	Next    string
	// NotSent: the request surely never reached the service (the dial or
	// the DNS lookup failed). See MaybeSent.
	NotSent bool
}

func (e *NetError) Error() string {
	s := e.Op + ": " + e.Err.Error()
	if e.Service != "" {
		s = e.Service + ": " + s
	}
	return s
}
func (e *NetError) Unwrap() error { return e.Err }
func (e *NetError) ExitCode() int { return exit.Service }
func (e *NetError) Hint() string  { return e.Next }

// ErrStalled is the cause given when no byte arrived for the stall limit.
var ErrStalled = errors.New("transfer stalled: no data received")

// classify turns a transport error for a request to u into a NetError
// with a useful hint.
func (c *Client) classify(op string, u *url.URL, err error) error {
	// net/http wraps errors in a *url.Error that repeats the method and
	// URL that op already names.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	ne := &NetError{Service: c.opts.Service, Op: op, Err: err, NotSent: notSent(err)}
	var (
		unknownCA x509.UnknownAuthorityError
		hostErr   x509.HostnameError
		invalid   x509.CertificateInvalidError
		verifyErr *tls.CertificateVerificationError
		recordErr tls.RecordHeaderError
		dnsErr    *net.DNSError
	)
	svc := c.opts.Service
	pd, viaProxy := c.route.asProxyDialError(u, err)
	switch {
	case viaProxy:
		ne.Op = op + " (through the proxy " + pd.proxy + " from " + pd.origin + ")"
		ne.Next = "cannot reach the proxy " + pd.proxy + ": check " + pd.origin + ", or go direct with --proxy none (" + svc + ".proxy: none)"
	// A name mismatch also comes inside a CertificateVerificationError:
	// look for it first, as --ca-cert cannot fix it.
	case errors.As(err, &hostErr):
		ne.Next = hostnameHint(svc, hostErr)
	case errors.As(err, &unknownCA), errors.As(err, &invalid), errors.As(err, &verifyErr):
		ne.Next = fmt.Sprintf("the server's certificate is not trusted: pass --ca-cert FILE (or set %s.ca-cert) with the CA that signed it, or --insecure (%s.insecure: true) for a lab server you trust", svc, svc)
	case errors.Is(err, http.ErrSchemeMismatch), errors.As(err, &recordErr) && u.Scheme == "https":
		ne.Next = tlsToPlainHint(u)
	case u.Scheme == "http" && strings.Contains(err.Error(), `malformed HTTP response "\x15\x03`):
		ne.Next = plainToTLSHint(u) // a TLS alert record where an HTTP status line should be
	case errors.As(err, &dnsErr):
		ne.Next = "check the server name (" + svc + " settings: diagctl config list)"
	case errors.Is(err, ErrStalled):
		ne.Next = "the server stopped sending; try again, or check the network path"
	case errors.Is(err, context.DeadlineExceeded):
		ne.Next = "raise --timeout, or check that the server is reachable"
	default:
		ne.Next = "check that the server is reachable and that the " + svc + " settings are right (diagctl config list shows them), then try again"
	}
	return ne
}
