package httpx

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/safetext"
)

// TestPermanent: what fails the same way every time is not retried; what
// may pass is.
func TestPermanent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"no such host", &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "x.invalid", IsNotFound: true}}, true},
		{"DNS timeout", &net.OpError{Op: "dial", Err: &net.DNSError{Err: "i/o timeout", Name: "x", IsTimeout: true}}, false},
		{"DNS server failure", &net.DNSError{Err: "server misbehaving", Name: "x", IsTemporary: true}, false},
		{"unknown CA", fmt.Errorf("tls: %w", x509.UnknownAuthorityError{}), true},
		{"wrong host", &tls.CertificateVerificationError{Err: x509.HostnameError{Host: "h"}}, true},
		{"expired", x509.CertificateInvalidError{Reason: x509.Expired}, true},
		{"TLS to plain HTTP", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, true},
		{"net/http's HTTP answer to TLS", errors.New("http: server gave HTTP response to HTTPS client"), true},
		{"refused", &net.OpError{Op: "dial", Err: errors.New("connection refused")}, false},
		{"reset", &net.OpError{Op: "read", Err: errors.New("connection reset by peer")}, false},
	} {
		if got := permanent(tc.err); got != tc.want {
			t.Errorf("%s: permanent = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestNoSuchHostNotRetried looks up a name that cannot exist (.invalid,
// RFC 6761): one attempt, no wait, exit 6, the DNS hint. Skipped where
// there is no resolver to say "no such host".
func TestNoSuchHostNotRetried(t *testing.T) {
	t.Parallel()
	if _, err := net.LookupHost("diagctl-test.invalid"); err == nil {
		t.Skip("this resolver answers for .invalid")
	} else if de := (*net.DNSError)(nil); !errors.As(err, &de) || !de.IsNotFound {
		t.Skipf("no resolver that says no such host: %v", err)
	}
	c, s := newClient(t, Options{Retries: 3})
	_, err := c.Do(get(t, "http://diagctl-test.invalid/x"))
	if exit.Code(err) != exit.Service || len(s.all()) != 0 {
		t.Errorf("err %v (exit %d), %d waits; want exit 6 at once", err, exit.Code(err), len(s.all()))
	}
	if !strings.Contains(exit.Hint(err), "server name") {
		t.Errorf("hint %q", exit.Hint(err))
	}
}

// escapedCSI is how safetext shows "bad", the C1 CSI and "2Jid".
var escapedCSI = safetext.Escape("bad\u009b2Jid")

// TestRequestIDInMessage: the vendor's request id is in the message, from
// whichever header the service uses, escaped.
func TestRequestIDInMessage(t *testing.T) {
	t.Parallel()
	if escapedCSI == "bad\u009b2Jid" {
		t.Fatal("safetext left the C1 CSI as it is")
	}
	for _, tc := range []struct{ header, value, want string }{
		{"X-Request-Id", "5d1e7a", "[request id 5d1e7a]"},
		{"x-ms-request-id", "9b2c-11", "[request id 9b2c-11]"},
		{"X-TFS-ActivityId", "a1b2", "[request id a1b2]"},
		{"X-Request-Id", "bad\u009b2Jid", "[request id " + escapedCSI + "]"},
	} {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set(tc.header, tc.value)
			w.WriteHeader(http.StatusNotFound)
		})
		c, _ := newClient(t, Options{})
		_, err := c.Do(get(t, srv.URL))
		if err == nil || !strings.HasSuffix(err.Error(), tc.want) {
			t.Errorf("%s: err %q, want it to end with %q", tc.header, err, tc.want)
		}
	}
	// None sent: nothing added.
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotFound) })
	c, _ := newClient(t, Options{})
	if _, err := c.Do(get(t, srv.URL)); err == nil || strings.Contains(err.Error(), "request id") {
		t.Errorf("err %q", err)
	}
}

// TestTraceShowsErrorBody: -v shows the first KiB of an error body,
// escaped, after the headers; a success body is never shown.
func TestTraceShowsErrorBody(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	long := strings.Repeat("x", 3000)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1:
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, "{\"error_code\":\"CC.1\",\n\"error_msg\":\"bad \x1b]0;title\x07\"}")
		case 2:
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, long)
		default:
			fmt.Fprint(w, "secret archive bytes")
		}
	})
	var trace strings.Builder
	c, _ := newClient(t, Options{Trace: &trace})
	c.Do(get(t, srv.URL))
	want := "<\n* error body, 51 bytes:\n< {\"error_code\":\"CC.1\",\n< \"error_msg\":\"bad \\e]0;title\\x07\"}\n"
	if !strings.Contains(trace.String(), want) {
		t.Errorf("trace %q\nwant it to hold %q", trace.String(), want)
	}
	trace.Reset()
	c.Do(get(t, srv.URL))
	if !strings.Contains(trace.String(), "* error body, the first 1024 of 3000 bytes:\n< "+strings.Repeat("x", 1024)+"\n") || strings.Contains(trace.String(), strings.Repeat("x", 1025)) {
		t.Errorf("long body trace %q", trace.String())
	}
	trace.Reset()
	resp, err := c.Do(get(t, srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if strings.Contains(trace.String(), "body") || strings.Contains(trace.String(), "secret") {
		t.Errorf("success trace %q", trace.String())
	}
}
