package httpx

import (
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/diagctl/diagctl/internal/safetext"
)

// authTransport adds credentials only when the request goes to the host
// the call started with: after a redirect to another host (a storage
// account, a CDN) they are not sent.
type authTransport struct {
	next http.RoundTripper
	auth Auth
}

// origin is where a call started: credentials go only to its host (host
// and port), and never from https down to plain http.
type origin struct{ scheme, host string }

func (o origin) allows(u *url.URL) bool {
	if !strings.EqualFold(o.host, u.Host) {
		return false
	}
	return !(strings.EqualFold(o.scheme, "https") && !strings.EqualFold(u.Scheme, "https"))
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	o, ok := req.Context().Value(originKey{}).(origin)
	if t.auth == nil || !ok || !o.allows(req.URL) {
		return t.next.RoundTrip(req)
	}
	r := req.Clone(req.Context())
	if err := t.auth(r); err != nil {
		if r.Body != nil {
			r.Body.Close() // a RoundTripper closes the body, even on error
		}
		return nil, &authError{err}
	}
	return t.next.RoundTrip(r)
}

// Headers that hold a secret whatever the service. A service's own
// secret headers come from its Auth and Options.SecretHeaders; how one of
// them is shown can come from Options.RedactHeader.
var alwaysSecret = []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"}

func secretSet(extra []string) map[string]bool {
	m := map[string]bool{}
	for _, h := range append(append([]string(nil), alwaysSecret...), extra...) {
		m[http.CanonicalHeaderKey(h)] = true
	}
	return m
}

// urlHeader are the headers whose value is a URL, which may be signed
// (an Azure SAS "sig", an S3 signature): the trace shows them as
// redactURL does a request's URL.
var urlHeader = map[string]bool{"Location": true, "Content-Location": true}

// Redacted is what the trace shows instead of a secret.
const Redacted = "[redacted]"

// traceTransport writes a curl -v style trace: "> " for the request,
// "< " for the response headers, secrets replaced by [redacted].
type traceTransport struct {
	next   http.RoundTripper
	w      io.Writer
	secret map[string]bool
	// redact shows a secret header partly (Options.RedactHeader); nil,
	// or ok false, redacts the whole value.
	redact func(name, value string) (string, bool)
	mu     sync.Mutex
}

// RoundTrip writes the request once its connection is known, with the
// protocol that connection speaks (HTTP/2.0 after ALPN "h2"), and the
// response with the protocol it came in. Every server-controlled string
// (status, header names and values) is escaped: a trace is text on a
// terminal too.
func (t *traceTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var once sync.Once
	writeRequest := func(proto string) {
		once.Do(func() {
			var b strings.Builder
			fmt.Fprintf(&b, "> %s %s %s\n", req.Method, safetext.Escape(redactURL(req.URL.RequestURI())), proto)
			fmt.Fprintf(&b, "> Host: %s\n", safetext.Escape(req.URL.Host))
			t.headers(&b, "> ", req.Header)
			b.WriteString(">\n")
			t.write(b.String())
		})
	}
	ctx := httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) { writeRequest(connProto(info.Conn)) },
	})
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		writeRequest("HTTP/1.1")
		t.write("* " + req.Method + " " + safetext.Escape(redactURL(req.URL.String())) + ": " + safetext.Escape(err.Error()) + "\n")
		return nil, err
	}
	writeRequest(resp.Proto)
	var b strings.Builder
	fmt.Fprintf(&b, "< %s %s\n", safetext.Escape(resp.Proto), safetext.Escape(resp.Status))
	t.headers(&b, "< ", resp.Header)
	b.WriteString("<\n")
	t.write(b.String())
	return resp, nil
}

// connProto is the protocol a connection speaks: HTTP/2.0 when TLS
// negotiated h2, else HTTP/1.1.
func connProto(c net.Conn) string {
	if tc, ok := c.(interface{ ConnectionState() tls.ConnectionState }); ok && tc.ConnectionState().NegotiatedProtocol == "h2" {
		return "HTTP/2.0"
	}
	return "HTTP/1.1"
}

func (t *traceTransport) headers(b *strings.Builder, prefix string, h http.Header) {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range h[k] {
			if t.secret[http.CanonicalHeaderKey(k)] {
				v = t.redactSecret(k, v)
			} else if urlHeader[http.CanonicalHeaderKey(k)] {
				v = redactURL(v) // a redirect to a signed storage URL
			}
			fmt.Fprintf(b, "%s%s: %s\n", prefix, safetext.Escape(k), safetext.Escape(v))
		}
	}
}

// redactSecret is what the trace shows of a secret header's value: the
// service's partial redaction when it has one for this value, else
// redactValue's.
func (t *traceTransport) redactSecret(name, v string) string {
	if t.redact != nil {
		if shown, ok := t.redact(http.CanonicalHeaderKey(name), v); ok {
			return shown
		}
	}
	return redactValue(v)
}

// redactValue keeps the auth scheme ("Basic", "Bearer") visible, since it
// helps debugging, and hides the credential.
func redactValue(v string) string {
	if scheme, _, ok := strings.Cut(v, " "); ok && (strings.EqualFold(scheme, "Basic") || strings.EqualFold(scheme, "Bearer")) {
		return scheme + " " + Redacted
	}
	return Redacted
}

func (t *traceTransport) write(s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	io.WriteString(t.w, s)
}

// redactURL hides a password given in the URL's user info and the values
// of query parameters that carry credentials (signed storage URLs).
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			raw = strings.Replace(u.String(), "xxxxx", Redacted, 1)
		}
	}
	if u.RawQuery == "" {
		return raw
	}
	return strings.Replace(raw, "?"+u.RawQuery, "?"+redactQuery(u.RawQuery), 1)
}

// secretParam matches query parameter names that carry credentials:
// Azure SAS "sig", S3 "X-Amz-Signature"/"X-Amz-Credential", tokens, keys.
var secretParam = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)^(sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|token|access_token|api[-_]?key|key|password|secret)$`)
})

func redactQuery(q string) string {
	parts := strings.Split(q, "&")
	for i, p := range parts {
		name, _, hasValue := strings.Cut(p, "=")
		if n, err := url.QueryUnescape(name); err == nil && hasValue && secretParam().MatchString(n) {
			parts[i] = name + "=" + Redacted
		}
	}
	return strings.Join(parts, "&")
}
